/*
 * bench/kernels/dot16.c - int16 dot products accumulated in int32 over
 * 32 Ki pairs, n passes (SIMD kernel: clang -msimd128 vectorizes the
 * reduction with i16 -> i32 extensions and i32x4 multiply-adds).
 *
 * Integer arithmetic wraps identically in any order, so the vectorized
 * reduction gives the scalar result exactly.
 */
#include "kernel.h"

#define DOT_N 32768u

static int16_t dt_a[DOT_N];
static int16_t dt_b[DOT_N];

uint64_t bench_dot16(uint32_t n) {
  uint32_t seed = 0x85ebca6bu;
  for (uint32_t i = 0; i < DOT_N; i++) {
    dt_a[i] = (int16_t)k_rand(&seed);
    dt_b[i] = (int16_t)k_rand(&seed);
  }
  uint64_t h = n;
  for (uint32_t r = 0; r < n; r++) {
    uint32_t acc = 0;
    for (uint32_t i = 0; i < DOT_N; i++)
      acc += (uint32_t)((int32_t)dt_a[i] * (int32_t)dt_b[i]);
    h = k_mix64(h, acc);
    dt_a[r % DOT_N] = (int16_t)acc; /* a dependency between passes */
  }
  return h;
}
