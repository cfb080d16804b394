/*
 * vm_num.h - WebAssembly numeric semantics that C does not give directly:
 * bit counts, rotations, float min/max/nearest/copysign as the spec defines
 * them, and the range checks of float-to-integer truncation.  Private to
 * src/vm.
 */
#ifndef AW_VM_NUM_H
#define AW_VM_NUM_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Floats from their bits (immediates in the code). */
static inline float vm_f32_of(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}
static inline double vm_f64_of(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static inline uint32_t vm_clz32(uint32_t x) {
#if defined(__GNUC__)
  return x ? (uint32_t)__builtin_clz(x) : 32;
#else
  uint32_t n = 0;
  if (!x) return 32;
  while (!(x & 0x80000000u))
    x <<= 1, n++;
  return n;
#endif
}

static inline uint32_t vm_ctz32(uint32_t x) {
#if defined(__GNUC__)
  return x ? (uint32_t)__builtin_ctz(x) : 32;
#else
  uint32_t n = 0;
  if (!x) return 32;
  while (!(x & 1))
    x >>= 1, n++;
  return n;
#endif
}

#if defined(__GNUC__)
#define VM_OPAQUE(x) __asm__("" : "+r"(x)) /* hides the idiom from gcc */
#else
#define VM_OPAQUE(x) (void)0
#endif
static inline uint32_t vm_popcnt32(uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  VM_OPAQUE(x);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  VM_OPAQUE(x);
  x = (x + (x >> 4)) & 0x0F0F0F0Fu;
  VM_OPAQUE(x);
  return (x * 0x01010101u) >> 24;
}

static inline uint64_t vm_clz64(uint64_t x) {
#if defined(__GNUC__)
  return x ? (uint64_t)__builtin_clzll(x) : 64;
#else
  uint32_t hi = (uint32_t)(x >> 32);
  return hi ? vm_clz32(hi) : 32 + vm_clz32((uint32_t)x);
#endif
}

static inline uint64_t vm_ctz64(uint64_t x) {
#if defined(__GNUC__)
  return x ? (uint64_t)__builtin_ctzll(x) : 64;
#else
  uint32_t lo = (uint32_t)x;
  return lo ? vm_ctz32(lo) : 32 + vm_ctz32((uint32_t)(x >> 32));
#endif
}

static inline uint64_t vm_popcnt64(uint64_t x) {
  /* Two halves: gcc recognises the 64-bit SWAR idiom and calls libgcc. */
  return vm_popcnt32((uint32_t)x) + vm_popcnt32((uint32_t)(x >> 32));
}

static inline uint32_t vm_rotl32(uint32_t x, uint32_t k) {
  k &= 31;
  return (x << k) | (x >> ((32 - k) & 31));
}
static inline uint32_t vm_rotr32(uint32_t x, uint32_t k) {
  k &= 31;
  return (x >> k) | (x << ((32 - k) & 31));
}
static inline uint64_t vm_rotl64(uint64_t x, uint64_t k) {
  k &= 63;
  return (x << k) | (x >> ((64 - k) & 63));
}
static inline uint64_t vm_rotr64(uint64_t x, uint64_t k) {
  k &= 63;
  return (x >> k) | (x << ((64 - k) & 63));
}

/* Arithmetic right shift without relying on implementation-defined >>. */
static inline uint32_t vm_shr_s32(uint32_t x, uint32_t k) {
  k &= 31;
  return (x & 0x80000000u) ? ~(~x >> k) : x >> k;
}
static inline uint64_t vm_shr_s64(uint64_t x, uint64_t k) {
  k &= 63;
  return (x >> 63) ? ~(~x >> k) : x >> k;
}

/* min/max: NaN if either operand is NaN (propagated, so quieted), and
   -0 < +0. */
static inline float vm_fminf(float a, float b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline float vm_fmaxf(float a, float b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline double vm_fmin(double a, double b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline double vm_fmax(double a, double b) {
  if (isnan(a) || isnan(b)) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

/* Rounding to integral values, exactly as IEEE 754 and without library
   calls: |x| below 2^23 (f32) or 2^52 (f64) has a fraction and fits an
   integer, so truncation is a conversion there; larger values, infinities
   and NaNs are already integral (NaNs come back quieted by a + a, as
   WebAssembly requires an arithmetic NaN).  copysign keeps -0. */
static inline float vm_truncf(float a) {
  if (!(fabsf(a) < 8388608.0f)) return isnan(a) ? a + a : a;
  return copysignf((float)(int32_t)a, a);
}
static inline float vm_floorf(float a) {
  float t = vm_truncf(a);
  return t > a ? t - 1.0f : t;
}
static inline float vm_ceilf(float a) {
  float t = vm_truncf(a);
  return t < a ? copysignf(t + 1.0f, a) : t;
}
/* Round half to even: adding and subtracting 2^23 rounds |a| to an
   integer in the default rounding mode (to nearest, ties to even). */
static inline float vm_nearestf(float a) {
  if (!(fabsf(a) < 8388608.0f)) return isnan(a) ? a + a : a;
  float m = fabsf(a);
  return copysignf((m + 8388608.0f) - 8388608.0f, a);
}
static inline double vm_trunc(double a) {
  if (!(fabs(a) < 4503599627370496.0)) return isnan(a) ? a + a : a;
  return copysign((double)(int64_t)a, a);
}
static inline double vm_floor(double a) {
  double t = vm_trunc(a);
  return t > a ? t - 1.0 : t;
}
static inline double vm_ceil(double a) {
  double t = vm_trunc(a);
  return t < a ? copysign(t + 1.0, a) : t;
}
static inline double vm_nearest(double a) {
  if (!(fabs(a) < 4503599627370496.0)) return isnan(a) ? a + a : a;
  double m = fabs(a);
  return copysign((m + 4503599627370496.0) - 4503599627370496.0, a);
}

/* Square roots; SSE2's instructions are exact and never touch errno, so
   no library call is needed. */
#if defined(__SSE2__)
#include <emmintrin.h>
static inline float vm_sqrtf(float a) {
  return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(a)));
}
static inline double vm_sqrt(double a) {
  __m128d v = _mm_set_sd(a);
  return _mm_cvtsd_f64(_mm_sqrt_sd(v, v));
}
#else
static inline float vm_sqrtf(float a) {
  return sqrtf(a);
}
static inline double vm_sqrt(double a) {
  return sqrt(a);
}
#endif

/* Float -> integer truncation: is x (not NaN) in range of the target?
   The bounds are exact powers of two, so the comparisons are exact. */
static inline bool vm_f32_fits_i32(float x) {
  return x >= -2147483648.0f && x < 2147483648.0f;
}
static inline bool vm_f32_fits_u32(float x) {
  return x > -1.0f && x < 4294967296.0f;
}
static inline bool vm_f64_fits_i32(double x) {
  return x > -2147483649.0 && x < 2147483648.0;
}
static inline bool vm_f64_fits_u32(double x) {
  return x > -1.0 && x < 4294967296.0;
}
static inline bool vm_f32_fits_i64(float x) {
  return x >= -9223372036854775808.0f && x < 9223372036854775808.0f;
}
static inline bool vm_f32_fits_u64(float x) {
  return x > -1.0f && x < 18446744073709551616.0f;
}
static inline bool vm_f64_fits_i64(double x) {
  return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}
static inline bool vm_f64_fits_u64(double x) {
  return x > -1.0 && x < 18446744073709551616.0;
}

/* Saturating truncations: NaN -> 0, out of range -> the nearest bound. */
static inline uint32_t vm_sat_f32_i32(float x) {
  if (isnan(x)) return 0;
  if (x < -2147483648.0f) return 0x80000000u;
  if (x >= 2147483648.0f) return 0x7FFFFFFFu;
  return (uint32_t)(int32_t)x;
}
static inline uint32_t vm_sat_f32_u32(float x) {
  if (isnan(x) || x <= -1.0f) return 0;
  if (x >= 4294967296.0f) return 0xFFFFFFFFu;
  return (uint32_t)x;
}
static inline uint32_t vm_sat_f64_i32(double x) {
  if (isnan(x)) return 0;
  if (x <= -2147483649.0) return 0x80000000u;
  if (x >= 2147483648.0) return 0x7FFFFFFFu;
  return (uint32_t)(int32_t)x;
}
static inline uint32_t vm_sat_f64_u32(double x) {
  if (isnan(x) || x <= -1.0) return 0;
  if (x >= 4294967296.0) return 0xFFFFFFFFu;
  return (uint32_t)x;
}
static inline uint64_t vm_sat_f32_i64(float x) {
  if (isnan(x)) return 0;
  if (x < -9223372036854775808.0f) return 0x8000000000000000u;
  if (x >= 9223372036854775808.0f) return 0x7FFFFFFFFFFFFFFFu;
  return (uint64_t)(int64_t)x;
}
static inline uint64_t vm_sat_f32_u64(float x) {
  if (isnan(x) || x <= -1.0f) return 0;
  if (x >= 18446744073709551616.0f) return UINT64_MAX;
  return (uint64_t)x;
}
static inline uint64_t vm_sat_f64_i64(double x) {
  if (isnan(x)) return 0;
  if (x < -9223372036854775808.0) return 0x8000000000000000u;
  if (x >= 9223372036854775808.0) return 0x7FFFFFFFFFFFFFFFu;
  return (uint64_t)(int64_t)x;
}
static inline uint64_t vm_sat_f64_u64(double x) {
  if (isnan(x) || x <= -1.0) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}

#endif /* AW_VM_NUM_H */
