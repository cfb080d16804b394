/*
 * bench/kernels/blend.c - 8-bit alpha blending of two 64 KiB images with
 * a per-pass weight, n passes (SIMD kernel: clang -msimd128 vectorizes it
 * with u8 -> u16 extensions, i16x8 multiplies, shifts and narrowing).
 */
#include "kernel.h"

#define BLEND_N 65536u

static uint8_t bl_a[BLEND_N];
static uint8_t bl_b[BLEND_N];
static uint8_t bl_out[BLEND_N];

uint64_t bench_blend(uint32_t n) {
  uint32_t seed = 0xc2b2ae35u;
  for (uint32_t i = 0; i < BLEND_N; i++) {
    bl_a[i] = (uint8_t)k_rand(&seed);
    bl_b[i] = (uint8_t)k_rand(&seed);
  }
  for (uint32_t r = 0; r < n; r++) {
    uint16_t w = (uint16_t)(r * 37u & 255u), iw = (uint16_t)(256u - w);
    for (uint32_t i = 0; i < BLEND_N; i++)
      bl_out[i] = (uint8_t)((bl_a[i] * w + bl_b[i] * iw) >> 8);
    /* Feed the output back so that passes depend on each other. */
    for (uint32_t i = 0; i < BLEND_N; i++)
      bl_b[i] = (uint8_t)(bl_out[i] ^ bl_a[i]);
  }
  uint64_t h = n;
  for (uint32_t i = 0; i < BLEND_N; i += 8) {
    uint64_t v;
    __builtin_memcpy(&v, &bl_out[i], sizeof v);
    h = k_mix64(h, v);
  }
  return h;
}
