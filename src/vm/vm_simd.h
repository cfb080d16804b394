/*
 * vm_simd.h - the v128 value of the interpreter and the lane operations of
 * WebAssembly 2.0's fixed-width SIMD that need more than one vector
 * expression.  Private to src/vm (interp_simd.h uses it).
 *
 * A v128 is a union of GCC/Clang vector types (`vector_size(16)`), so the
 * plain lane-wise operations (integer add/sub/mul, bitwise, compares,
 * shifts, float add/sub/mul/div) compile to host vector instructions on
 * both compilers.  Where the extension's semantics differ from wasm's
 * (float min/max and rounding with NaN and signed zeros, float-to-int
 * conversions, saturation, lane-width shifts), the operation is written per
 * lane with the scalar semantics of vm_num.h, which the compiler may still
 * vectorize.  Lanes are little-endian: lane 0 is the lowest address.
 */
#ifndef AW_VM_SIMD_H
#define AW_VM_SIMD_H

#include "runtime.h"
#include "vm/vm_num.h"
#include <stdint.h>
#include <string.h>

#if !defined(__GNUC__)
#error "the SIMD interpreter needs GCC or Clang vector extensions"
#endif

#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

typedef uint8_t vm_u8x16 __attribute__((vector_size(16)));
typedef int8_t vm_i8x16 __attribute__((vector_size(16)));
typedef uint16_t vm_u16x8 __attribute__((vector_size(16)));
typedef int16_t vm_i16x8 __attribute__((vector_size(16)));
typedef uint32_t vm_u32x4 __attribute__((vector_size(16)));
typedef int32_t vm_i32x4 __attribute__((vector_size(16)));
typedef uint64_t vm_u64x2 __attribute__((vector_size(16)));
typedef int64_t vm_i64x2 __attribute__((vector_size(16)));
typedef float vm_f32x4 __attribute__((vector_size(16)));
typedef double vm_f64x2 __attribute__((vector_size(16)));

/* Half vectors (the low or high 8 bytes), for extensions. */
typedef uint8_t vm_u8x8 __attribute__((vector_size(8)));
typedef int8_t vm_i8x8 __attribute__((vector_size(8)));
typedef uint16_t vm_u16x4 __attribute__((vector_size(8)));
typedef int16_t vm_i16x4 __attribute__((vector_size(8)));
typedef uint32_t vm_u32x2 __attribute__((vector_size(8)));
typedef int32_t vm_i32x2 __attribute__((vector_size(8)));

/* One v128 value, viewed with any lane shape. */
typedef union vm_v128 {
  vm_u8x16 u8;
  vm_i8x16 i8;
  vm_u16x8 u16;
  vm_i16x8 i16;
  vm_u32x4 u32;
  vm_i32x4 i32;
  vm_u64x2 u64;
  vm_i64x2 i64;
  vm_f32x4 f32;
  vm_f64x2 f64;
} vm_v128;

/* A v128 from / to two consecutive value slots (8-byte aligned only). */
static inline vm_v128 vm_vld(const aw_slot *s) {
  vm_v128 v;
  memcpy(&v, s, sizeof v);
  return v;
}
static inline void vm_vst(aw_slot *s, vm_v128 v) {
  memcpy(s, &v, sizeof v);
}
static inline vm_v128 vm_vzero(void) {
  vm_v128 v;
  memset(&v, 0, sizeof v);
  return v;
}

/* Extension of the low (off 0) or high (off 8) half of a, whose lanes are
   of half type H, into full vector type F (sign or zero by H's type). */
#define VM_EXTEND_HALF(a, off, H, F)                                           \
  __extension__({                                                              \
    H h_;                                                                      \
    memcpy(&h_, (const uint8_t *)&(a) + (off), 8);                             \
    __builtin_convertvector(h_, F);                                            \
  })

/* Lane-wise select: bits of x where m is set, of y elsewhere. */
#define VM_VSEL(m, x, y) (((m) & (x)) | (~(m) & (y)))

/* Saturation of a wide intermediate to a lane type. */
static inline int8_t vm_sat_i8(int32_t x) {
  return (int8_t)(x < -128 ? -128 : x > 127 ? 127 : x);
}
static inline uint8_t vm_sat_u8(int32_t x) {
  return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
}
static inline int16_t vm_sat_i16(int32_t x) {
  return (int16_t)(x < -32768 ? -32768 : x > 32767 ? 32767 : x);
}
static inline uint16_t vm_sat_u16(int32_t x) {
  return (uint16_t)(x < 0 ? 0 : x > 65535 ? 65535 : x);
}

/* i8x16.shuffle: lanes of a (0..15) and b (16..31) picked by idx. */
static inline vm_v128 vm_shuffle(vm_v128 a, vm_v128 b, const uint8_t *idx) {
  uint8_t both[32], out[16];
  memcpy(both, &a, 16);
  memcpy(both + 16, &b, 16);
  for (int i = 0; i < 16; i++)
    out[i] = both[idx[i] & 31];
  vm_v128 r = vm_vzero();
  memcpy(&r, out, 16);
  return r;
}

/* i8x16.swizzle: lanes of a picked by b, 0 for indices >= 16. */
static inline vm_v128 vm_swizzle(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 16; i++)
    r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0;
  return r;
}

/* Bitmask: the top bit of each lane, lane 0 in bit 0. */
static inline uint32_t vm_bitmask8(vm_v128 a) {
  uint32_t m = 0;
  for (int i = 0; i < 16; i++)
    m |= (uint32_t)(a.u8[i] >> 7) << i;
  return m;
}
static inline uint32_t vm_bitmask16(vm_v128 a) {
  uint32_t m = 0;
  for (int i = 0; i < 8; i++)
    m |= (uint32_t)(a.u16[i] >> 15) << i;
  return m;
}
static inline uint32_t vm_bitmask32(vm_v128 a) {
  uint32_t m = 0;
  for (int i = 0; i < 4; i++)
    m |= (a.u32[i] >> 31) << i;
  return m;
}
static inline uint32_t vm_bitmask64(vm_v128 a) {
  return (uint32_t)(a.u64[0] >> 63) | (uint32_t)(a.u64[1] >> 63) << 1;
}

/* all_true: every lane non-zero. */
static inline uint32_t vm_all8(vm_v128 a) {
  for (int i = 0; i < 16; i++)
    if (!a.u8[i]) return 0;
  return 1;
}
static inline uint32_t vm_all16(vm_v128 a) {
  for (int i = 0; i < 8; i++)
    if (!a.u16[i]) return 0;
  return 1;
}
static inline uint32_t vm_all32(vm_v128 a) {
  for (int i = 0; i < 4; i++)
    if (!a.u32[i]) return 0;
  return 1;
}
static inline uint32_t vm_all64(vm_v128 a) {
  return a.u64[0] != 0 && a.u64[1] != 0;
}

/* Narrowing with saturation: lanes of a then of b. */
static inline vm_v128 vm_narrow16_s(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 8; i++) {
    r.i8[i] = vm_sat_i8(a.i16[i]);
    r.i8[i + 8] = vm_sat_i8(b.i16[i]);
  }
  return r;
}
static inline vm_v128 vm_narrow16_u(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 8; i++) {
    r.u8[i] = vm_sat_u8(a.i16[i]);
    r.u8[i + 8] = vm_sat_u8(b.i16[i]);
  }
  return r;
}
static inline int32_t vm_clamp_i32(int64_t x, int32_t lo, int32_t hi) {
  return (int32_t)(x < lo ? lo : x > hi ? hi : x);
}
static inline vm_v128 vm_narrow32_s(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 4; i++) {
    r.i16[i] = (int16_t)vm_clamp_i32(a.i32[i], -32768, 32767);
    r.i16[i + 4] = (int16_t)vm_clamp_i32(b.i32[i], -32768, 32767);
  }
  return r;
}
static inline vm_v128 vm_narrow32_u(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 4; i++) {
    r.u16[i] = (uint16_t)vm_clamp_i32(a.i32[i], 0, 65535);
    r.u16[i + 4] = (uint16_t)vm_clamp_i32(b.i32[i], 0, 65535);
  }
  return r;
}

/* i16x8.q15mulr_sat_s: (a * b + 2^14) >> 15, saturated. */
static inline vm_v128 vm_q15mulr(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 8; i++)
    r.i16[i] = vm_sat_i16(
        (int32_t)(((int32_t)a.i16[i] * (int32_t)b.i16[i] + 0x4000) >> 15));
  return r;
}

/* i32x4.dot_i16x8_s: sums of adjacent products (wrapping). */
static inline vm_v128 vm_dot16(vm_v128 a, vm_v128 b) {
  vm_v128 r = vm_vzero();
  for (int i = 0; i < 4; i++)
    r.u32[i] =
        (uint32_t)((int32_t)a.i16[2 * i] * (int32_t)b.i16[2 * i]) +
        (uint32_t)((int32_t)a.i16[2 * i + 1] * (int32_t)b.i16[2 * i + 1]);
  return r;
}

/* Float lanes with the scalar semantics. */
#define VM_F32_LANES(r, a, f)                                                  \
  do {                                                                         \
    for (int i_ = 0; i_ < 4; i_++)                                             \
      (r).f32[i_] = f((a).f32[i_]);                                            \
  } while (0)
#define VM_F64_LANES(r, a, f)                                                  \
  do {                                                                         \
    for (int i_ = 0; i_ < 2; i_++)                                             \
      (r).f64[i_] = f((a).f64[i_]);                                            \
  } while (0)
#define VM_F32_LANES2(r, a, b, f)                                              \
  do {                                                                         \
    for (int i_ = 0; i_ < 4; i_++)                                             \
      (r).f32[i_] = f((a).f32[i_], (b).f32[i_]);                               \
  } while (0)
#define VM_F64_LANES2(r, a, b, f)                                              \
  do {                                                                         \
    for (int i_ = 0; i_ < 2; i_++)                                             \
      (r).f64[i_] = f((a).f64[i_], (b).f64[i_]);                               \
  } while (0)

#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif /* AW_VM_SIMD_H */
