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

static inline uint32_t vm_popcnt32(uint32_t x) {
#if defined(__GNUC__)
  return (uint32_t)__builtin_popcount(x);
#else
  uint32_t n = 0;
  for (; x; x &= x - 1)
    n++;
  return n;
#endif
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

/* Rounding: libm may return a signalling NaN unchanged, but WebAssembly
   requires an arithmetic (quiet) NaN result, which a + a gives. */
static inline float vm_ceilf(float a) {
  return isnan(a) ? a + a : ceilf(a);
}
static inline float vm_floorf(float a) {
  return isnan(a) ? a + a : floorf(a);
}
static inline float vm_truncf(float a) {
  return isnan(a) ? a + a : truncf(a);
}
static inline float vm_nearestf(float a) {
  return isnan(a) ? a + a : nearbyintf(a);
}
static inline double vm_ceil(double a) {
  return isnan(a) ? a + a : ceil(a);
}
static inline double vm_floor(double a) {
  return isnan(a) ? a + a : floor(a);
}
static inline double vm_trunc(double a) {
  return isnan(a) ? a + a : trunc(a);
}
static inline double vm_nearest(double a) {
  return isnan(a) ? a + a : nearbyint(a);
}

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
