/*
 * bench/kernels/saxpy.c - f32 "a*x + b*y" over 16 Ki floats, n passes
 * (SIMD kernel: clang -msimd128 vectorizes the loop into f32x4 mul/add).
 *
 * Exercises f32 loads, multiplies, adds and stores in a loop every
 * auto-vectorizer handles; the lane-wise results are the same as the
 * scalar ones (no reduction, no contraction), so the checksum of the exact
 * bit patterns is the same for the scalar and the SIMD wasm builds and
 * the native one.
 */
#include "kernel.h"

#define SAXPY_N 16384u

static float sx_x[SAXPY_N];
static float sx_y[SAXPY_N];

uint64_t bench_saxpy(uint32_t n) {
  uint32_t seed = 0x1b873593u;
  for (uint32_t i = 0; i < SAXPY_N; i++) {
    sx_x[i] = (float)k_rand_f64(&seed);
    sx_y[i] = (float)k_rand_f64(&seed);
  }
  for (uint32_t r = 0; r < n; r++) {
    float a = 0.25f + (float)(r & 7) * 0.03125f, b = 1.0f - a;
    for (uint32_t i = 0; i < SAXPY_N; i++)
      sx_y[i] = a * sx_x[i] + b * sx_y[i];
  }
  uint64_t h = n;
  for (uint32_t i = 0; i < SAXPY_N; i++) {
    uint32_t u;
    __builtin_memcpy(&u, &sx_y[i], sizeof u);
    h = k_mix64(h, u);
  }
  return h;
}
