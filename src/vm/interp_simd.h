/*
 * interp_simd.h - the interpreter's handlers for the 0xFD (fixed-width
 * SIMD) instructions, included inside vm_run's dispatch (interp.c): they
 * use its hot state (ip, fp, mem, memsize) and macros (CASE, S, O, ADV,
 * NEXT, TRAP).  Operand cells per shape: see CG_SIMD_OPS in code.h.  A
 * v128 operand is the pair of slots starting at S(k); every source is read
 * before the destination is written (it may alias one).  Lane operations
 * are in vm_simd.h.
 */

/* GCC cannot follow lane-wise writes through the union's vector members
   (every v128 here is fully initialized before its lanes are set). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

/* clang-format off */
#define VLD(k) vm_vld(&S(k))
#define VST(k, v) vm_vst(&S(k), (v))
#define VUN(name, EXPR)                                                        \
  CASE(V_##name) {                                                             \
    vm_v128 a = VLD(2), r = a;                                                 \
    EXPR;                                                                      \
    VST(1, r);                                                                 \
    ADV(3);                                                                    \
    NEXT();                                                                    \
  }
#define VBIN(name, EXPR)                                                       \
  CASE(V_##name) {                                                             \
    vm_v128 a = VLD(2), b = VLD(3), r = a;                                     \
    EXPR;                                                                      \
    VST(1, r);                                                                 \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }
/* Shifts: the count is taken modulo the lane width. */
#define VSHIFT(name, EXPR)                                                     \
  CASE(V_##name) {                                                             \
    vm_v128 a = VLD(2), r = a;                                                 \
    uint32_t n = S(3).i32;                                                     \
    EXPR;                                                                      \
    VST(1, r);                                                                 \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }
/* Scalar result (i32) of a v128. */
#define VTEST(name, EXPR)                                                      \
  CASE(V_##name) {                                                             \
    vm_v128 a = VLD(2);                                                        \
    S(1).i32 = (EXPR);                                                         \
    ADV(3);                                                                    \
    NEXT();                                                                    \
  }
/* Loads of N bytes at addr + offset (64-bit effective address), and the
   _AI form at (uint32)(base + imm) + offset. */
#define VLOAD_AT(name, N, EA, NCELLS, BODY)                                    \
  CASE(name) {                                                                 \
    uint64_t ea = (EA);                                                        \
    if (AW_UNLIKELY(ea + (N) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);           \
    const uint8_t *p = mem + ea;                                               \
    vm_v128 r = vm_vzero();                                                    \
    BODY;                                                                      \
    VST(1, r);                                                                 \
    ADV(NCELLS);                                                               \
    NEXT();                                                                    \
  }
#define VEA_PLAIN ((uint64_t)S(2).i32 + O(3))
#define VEA_AI ((uint64_t)(uint32_t)(S(2).i32 + O(4)) + O(3))
#define VLOAD(name, N, BODY)                                                   \
  VLOAD_AT(V_##name, N, VEA_PLAIN, 4, BODY)                                    \
  VLOAD_AT(V_##name##_AI, N, VEA_AI, 5, BODY)
/* load8x8_s and friends: N lanes of type ST widened into lanes LT. */
#define VLOAD_EXT(name, H, LT, F)                                              \
  VLOAD(name, 8, {                                                             \
    H t_;                                                                      \
    memcpy(&t_, p, 8);                                                         \
    r.LT = __builtin_convertvector(t_, F);                                     \
  })
#define VLOAD_SPLAT(name, T, LT)                                               \
  VLOAD(name, sizeof(T), {                                                     \
    T t_;                                                                      \
    memcpy(&t_, p, sizeof t_);                                                 \
    for (unsigned i_ = 0; i_ < 16 / sizeof(T); i_++)                           \
      r.LT[i_] = t_;                                                           \
  })
/* Lane loads/stores: N bytes into/from lane O(lane cell) of a v128. */
#define VLOAD_LANE(name, N)                                                    \
  CASE(V_##name) {                                                             \
    uint64_t ea = (uint64_t)S(2).i32 + O(4);                                   \
    if (AW_UNLIKELY(ea + (N) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);           \
    vm_v128 r = VLD(3);                                                        \
    memcpy((uint8_t *)&r + (O(5) & (16 / (N) - 1)) * (N), mem + ea, (N));      \
    VST(1, r);                                                                 \
    ADV(6);                                                                    \
    NEXT();                                                                    \
  }
#define VSTORE_LANE(name, N)                                                   \
  CASE(V_##name) {                                                             \
    uint64_t ea = (uint64_t)S(1).i32 + O(3);                                   \
    if (AW_UNLIKELY(ea + (N) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);           \
    vm_v128 v = VLD(2);                                                        \
    memcpy(mem + ea, (uint8_t *)&v + (O(4) & (16 / (N) - 1)) * (N), (N));      \
    ADV(5);                                                                    \
    NEXT();                                                                    \
  }
#define VSPLAT(name, LT, N, VAL)                                               \
  CASE(V_##name) {                                                             \
    vm_v128 r = vm_vzero();                                                    \
    for (int i_ = 0; i_ < (N); i_++)                                           \
      r.LT[i_] = (VAL);                                                        \
    VST(1, r);                                                                 \
    ADV(3);                                                                    \
    NEXT();                                                                    \
  }
#define VEXTRACT(name, FIELD, MASK, EXPR)                                      \
  CASE(V_##name) {                                                             \
    vm_v128 a = VLD(2);                                                        \
    unsigned l_ = O(3) & (MASK);                                               \
    S(1).FIELD = (EXPR);                                                       \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }
#define VREPLACE(name, LT, MASK, VAL)                                          \
  CASE(V_##name) {                                                             \
    vm_v128 r = VLD(2);                                                        \
    r.LT[O(4) & (MASK)] = (VAL);                                               \
    VST(1, r);                                                                 \
    ADV(5);                                                                    \
    NEXT();                                                                    \
  }
/* Lane-wise loops over n lanes: r.<RT>[i] = EXPR (a, b and i in scope). */
#define VLOOP(n, STMT)                                                         \
  for (int i = 0; i < (n); i++) {                                              \
    STMT;                                                                      \
  }
/* Integer compares give all-ones / zero lanes. */
#define VCMP(name, LT, RT, OPR) VBIN(name, r.RT = (vm_##RT##x)(a.LT OPR b.LT))
#define vm_i8x vm_i8x16
#define vm_i16x vm_i16x8
#define vm_i32x vm_i32x4
#define vm_i64x vm_i64x2
#define VMINMAX(name, LT, OPR)                                                 \
  VBIN(name, {                                                                 \
    __typeof__(a.LT) m_ = (__typeof__(a.LT))(a.LT OPR b.LT);                   \
    r.LT = VM_VSEL(m_, a.LT, b.LT);                                            \
  })
/* clang-format on */

/* Memory. */
VLOAD(V128_LOAD, 16, memcpy(&r, p, 16))
VLOAD_EXT(V128_LOAD8X8_S, vm_i8x8, i16, vm_i16x8)
VLOAD_EXT(V128_LOAD8X8_U, vm_u8x8, u16, vm_u16x8)
VLOAD_EXT(V128_LOAD16X4_S, vm_i16x4, i32, vm_i32x4)
VLOAD_EXT(V128_LOAD16X4_U, vm_u16x4, u32, vm_u32x4)
VLOAD_EXT(V128_LOAD32X2_S, vm_i32x2, i64, vm_i64x2)
VLOAD_EXT(V128_LOAD32X2_U, vm_u32x2, u64, vm_u64x2)
VLOAD_SPLAT(V128_LOAD8_SPLAT, uint8_t, u8)
VLOAD_SPLAT(V128_LOAD16_SPLAT, uint16_t, u16)
VLOAD_SPLAT(V128_LOAD32_SPLAT, uint32_t, u32)
VLOAD_SPLAT(V128_LOAD64_SPLAT, uint64_t, u64)
VLOAD(V128_LOAD32_ZERO, 4, memcpy(&r, p, 4))
VLOAD(V128_LOAD64_ZERO, 8, memcpy(&r, p, 8))
CASE(V_V128_STORE) {
  uint64_t ea = (uint64_t)S(1).i32 + O(3);
  if (AW_UNLIKELY(ea + 16 > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);
  memcpy(mem + ea, &S(2), 16);
  ADV(4);
  NEXT();
}
CASE(V_V128_STORE_AI) {
  uint64_t ea = (uint64_t)(uint32_t)(S(1).i32 + O(4)) + O(3);
  if (AW_UNLIKELY(ea + 16 > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);
  memcpy(mem + ea, &S(2), 16);
  ADV(5);
  NEXT();
}
VLOAD_LANE(V128_LOAD8_LANE, 1)
VLOAD_LANE(V128_LOAD16_LANE, 2)
VLOAD_LANE(V128_LOAD32_LANE, 4)
VLOAD_LANE(V128_LOAD64_LANE, 8)
VSTORE_LANE(V128_STORE8_LANE, 1)
VSTORE_LANE(V128_STORE16_LANE, 2)
VSTORE_LANE(V128_STORE32_LANE, 4)
VSTORE_LANE(V128_STORE64_LANE, 8)

/* Constants, shuffles, splats, lanes. */
CASE(V_V128_CONST) {
  memcpy(&S(1), &O(2), 16);
  ADV(6);
  NEXT();
}
CASE(V_I8X16_SHUFFLE) {
  uint8_t idx[16];
  memcpy(idx, &O(4), 16);
  vm_v128 r = vm_shuffle(VLD(2), VLD(3), idx);
  VST(1, r);
  ADV(8);
  NEXT();
}
VBIN(I8X16_SWIZZLE, r = vm_swizzle(a, b))
VSPLAT(I8X16_SPLAT, u8, 16, (uint8_t)S(2).i32)
VSPLAT(I16X8_SPLAT, u16, 8, (uint16_t)S(2).i32)
VSPLAT(I32X4_SPLAT, u32, 4, S(2).i32)
VSPLAT(I64X2_SPLAT, u64, 2, S(2).i64)
VSPLAT(F32X4_SPLAT, u32, 4, S(2).i32)
VSPLAT(F64X2_SPLAT, u64, 2, S(2).i64)
VEXTRACT(I8X16_EXTRACT_LANE_S, i32, 15, (uint32_t)(int32_t)a.i8[l_])
VEXTRACT(I8X16_EXTRACT_LANE_U, i32, 15, a.u8[l_])
VREPLACE(I8X16_REPLACE_LANE, u8, 15, (uint8_t)S(3).i32)
VEXTRACT(I16X8_EXTRACT_LANE_S, i32, 7, (uint32_t)(int32_t)a.i16[l_])
VEXTRACT(I16X8_EXTRACT_LANE_U, i32, 7, a.u16[l_])
VREPLACE(I16X8_REPLACE_LANE, u16, 7, (uint16_t)S(3).i32)
VEXTRACT(I32X4_EXTRACT_LANE, i32, 3, a.u32[l_])
VREPLACE(I32X4_REPLACE_LANE, u32, 3, S(3).i32)
VEXTRACT(I64X2_EXTRACT_LANE, i64, 1, a.u64[l_])
VREPLACE(I64X2_REPLACE_LANE, u64, 1, S(3).i64)
VEXTRACT(F32X4_EXTRACT_LANE, i32, 3, a.u32[l_])
VREPLACE(F32X4_REPLACE_LANE, u32, 3, S(3).i32)
VEXTRACT(F64X2_EXTRACT_LANE, i64, 1, a.u64[l_])
VREPLACE(F64X2_REPLACE_LANE, u64, 1, S(3).i64)

/* Comparisons. */
VCMP(I8X16_EQ, i8, i8, ==)
VCMP(I8X16_NE, i8, i8, !=)
VCMP(I8X16_LT_S, i8, i8, <)
VCMP(I8X16_LT_U, u8, i8, <)
VCMP(I8X16_GT_S, i8, i8, >)
VCMP(I8X16_GT_U, u8, i8, >)
VCMP(I8X16_LE_S, i8, i8, <=)
VCMP(I8X16_LE_U, u8, i8, <=)
VCMP(I8X16_GE_S, i8, i8, >=)
VCMP(I8X16_GE_U, u8, i8, >=)
VCMP(I16X8_EQ, i16, i16, ==)
VCMP(I16X8_NE, i16, i16, !=)
VCMP(I16X8_LT_S, i16, i16, <)
VCMP(I16X8_LT_U, u16, i16, <)
VCMP(I16X8_GT_S, i16, i16, >)
VCMP(I16X8_GT_U, u16, i16, >)
VCMP(I16X8_LE_S, i16, i16, <=)
VCMP(I16X8_LE_U, u16, i16, <=)
VCMP(I16X8_GE_S, i16, i16, >=)
VCMP(I16X8_GE_U, u16, i16, >=)
VCMP(I32X4_EQ, i32, i32, ==)
VCMP(I32X4_NE, i32, i32, !=)
VCMP(I32X4_LT_S, i32, i32, <)
VCMP(I32X4_LT_U, u32, i32, <)
VCMP(I32X4_GT_S, i32, i32, >)
VCMP(I32X4_GT_U, u32, i32, >)
VCMP(I32X4_LE_S, i32, i32, <=)
VCMP(I32X4_LE_U, u32, i32, <=)
VCMP(I32X4_GE_S, i32, i32, >=)
VCMP(I32X4_GE_U, u32, i32, >=)
VCMP(F32X4_EQ, f32, i32, ==)
VCMP(F32X4_NE, f32, i32, !=)
VCMP(F32X4_LT, f32, i32, <)
VCMP(F32X4_GT, f32, i32, >)
VCMP(F32X4_LE, f32, i32, <=)
VCMP(F32X4_GE, f32, i32, >=)
VCMP(F64X2_EQ, f64, i64, ==)
VCMP(F64X2_NE, f64, i64, !=)
VCMP(F64X2_LT, f64, i64, <)
VCMP(F64X2_GT, f64, i64, >)
VCMP(F64X2_LE, f64, i64, <=)
VCMP(F64X2_GE, f64, i64, >=)
VCMP(I64X2_EQ, i64, i64, ==)
VCMP(I64X2_NE, i64, i64, !=)
VCMP(I64X2_LT_S, i64, i64, <)
VCMP(I64X2_GT_S, i64, i64, >)
VCMP(I64X2_LE_S, i64, i64, <=)
VCMP(I64X2_GE_S, i64, i64, >=)

/* Bitwise. */
VUN(V128_NOT, r.u64 = ~a.u64)
VBIN(V128_AND, r.u64 = a.u64 & b.u64)
VBIN(V128_ANDNOT, r.u64 = a.u64 & ~b.u64)
VBIN(V128_OR, r.u64 = a.u64 | b.u64)
VBIN(V128_XOR, r.u64 = a.u64 ^ b.u64)
CASE(V_V128_BITSELECT) {
  vm_v128 a = VLD(2), b = VLD(3), c = VLD(4), r;
  r.u64 = VM_VSEL(c.u64, a.u64, b.u64);
  VST(1, r);
  ADV(5);
  NEXT();
}
VTEST(V128_ANY_TRUE, (a.u64[0] | a.u64[1]) != 0)
VTEST(I8X16_ALL_TRUE, vm_all8(a))
VTEST(I16X8_ALL_TRUE, vm_all16(a))
VTEST(I32X4_ALL_TRUE, vm_all32(a))
VTEST(I64X2_ALL_TRUE, vm_all64(a))
VTEST(I8X16_BITMASK, vm_bitmask8(a))
VTEST(I16X8_BITMASK, vm_bitmask16(a))
VTEST(I32X4_BITMASK, vm_bitmask32(a))
VTEST(I64X2_BITMASK, vm_bitmask64(a))

/* Float conversions. */
VUN(F32X4_DEMOTE_F64X2_ZERO, {
  r = vm_vzero();
  r.f32[0] = (float)a.f64[0];
  r.f32[1] = (float)a.f64[1];
})
VUN(F64X2_PROMOTE_LOW_F32X4, {
  r.f64[0] = (double)a.f32[0];
  r.f64[1] = (double)a.f32[1];
})
VUN(I32X4_TRUNC_SAT_F32X4_S, VLOOP(4, r.u32[i] = vm_sat_f32_i32(a.f32[i])))
VUN(I32X4_TRUNC_SAT_F32X4_U, VLOOP(4, r.u32[i] = vm_sat_f32_u32(a.f32[i])))
VUN(F32X4_CONVERT_I32X4_S, r.f32 = __builtin_convertvector(a.i32, vm_f32x4))
VUN(F32X4_CONVERT_I32X4_U, r.f32 = __builtin_convertvector(a.u32, vm_f32x4))
VUN(I32X4_TRUNC_SAT_F64X2_S_ZERO, {
  r = vm_vzero();
  r.u32[0] = vm_sat_f64_i32(a.f64[0]);
  r.u32[1] = vm_sat_f64_i32(a.f64[1]);
})
VUN(I32X4_TRUNC_SAT_F64X2_U_ZERO, {
  r = vm_vzero();
  r.u32[0] = vm_sat_f64_u32(a.f64[0]);
  r.u32[1] = vm_sat_f64_u32(a.f64[1]);
})
VUN(F64X2_CONVERT_LOW_I32X4_S, {
  r.f64[0] = (double)a.i32[0];
  r.f64[1] = (double)a.i32[1];
})
VUN(F64X2_CONVERT_LOW_I32X4_U, {
  r.f64[0] = (double)a.u32[0];
  r.f64[1] = (double)a.u32[1];
})

/* i8x16. */
VUN(I8X16_ABS, {
  vm_u8x16 m_ = (vm_u8x16)(a.i8 < 0);
  r.u8 = (a.u8 ^ m_) - m_;
})
VUN(I8X16_NEG, r.u8 = -a.u8)
VUN(I8X16_POPCNT, VLOOP(16, r.u8[i] = (uint8_t)__builtin_popcount(a.u8[i])))
VBIN(I8X16_NARROW_I16X8_S, r = vm_narrow16_s(a, b))
VBIN(I8X16_NARROW_I16X8_U, r = vm_narrow16_u(a, b))
VSHIFT(I8X16_SHL, r.u8 = a.u8 << (n & 7))
VSHIFT(I8X16_SHR_S, r.i8 = a.i8 >> (n & 7))
VSHIFT(I8X16_SHR_U, r.u8 = a.u8 >> (n & 7))
VBIN(I8X16_ADD, r.u8 = a.u8 + b.u8)
VBIN(I8X16_ADD_SAT_S, VLOOP(16, r.i8[i] = vm_sat_i8(a.i8[i] + b.i8[i])))
VBIN(I8X16_ADD_SAT_U, {
  r.u8 = a.u8 + b.u8;
  r.u8 |= (vm_u8x16)(r.u8 < a.u8);
})
VBIN(I8X16_SUB, r.u8 = a.u8 - b.u8)
VBIN(I8X16_SUB_SAT_S, VLOOP(16, r.i8[i] = vm_sat_i8(a.i8[i] - b.i8[i])))
VBIN(I8X16_SUB_SAT_U, r.u8 = (a.u8 - b.u8) & (vm_u8x16)(a.u8 >= b.u8))
VMINMAX(I8X16_MIN_S, i8, <)
VMINMAX(I8X16_MIN_U, u8, <)
VMINMAX(I8X16_MAX_S, i8, >)
VMINMAX(I8X16_MAX_U, u8, >)
VBIN(I8X16_AVGR_U, r.u8 = (a.u8 | b.u8) - ((a.u8 ^ b.u8) >> 1))

/* i16x8. */
VUN(I16X8_EXTADD_PAIRWISE_I8X16_S,
    VLOOP(8, r.i16[i] = (int16_t)(a.i8[2 * i] + a.i8[2 * i + 1])))
VUN(I16X8_EXTADD_PAIRWISE_I8X16_U,
    VLOOP(8, r.u16[i] = (uint16_t)(a.u8[2 * i] + a.u8[2 * i + 1])))
VUN(I16X8_ABS, {
  vm_u16x8 m_ = (vm_u16x8)(a.i16 < 0);
  r.u16 = (a.u16 ^ m_) - m_;
})
VUN(I16X8_NEG, r.u16 = -a.u16)
VBIN(I16X8_Q15MULR_SAT_S, r = vm_q15mulr(a, b))
VBIN(I16X8_NARROW_I32X4_S, r = vm_narrow32_s(a, b))
VBIN(I16X8_NARROW_I32X4_U, r = vm_narrow32_u(a, b))
VUN(I16X8_EXTEND_LOW_I8X16_S, r.i16 = VM_EXTEND_HALF(a, 0, vm_i8x8, vm_i16x8))
VUN(I16X8_EXTEND_HIGH_I8X16_S, r.i16 = VM_EXTEND_HALF(a, 8, vm_i8x8, vm_i16x8))
VUN(I16X8_EXTEND_LOW_I8X16_U, r.u16 = VM_EXTEND_HALF(a, 0, vm_u8x8, vm_u16x8))
VUN(I16X8_EXTEND_HIGH_I8X16_U, r.u16 = VM_EXTEND_HALF(a, 8, vm_u8x8, vm_u16x8))
VSHIFT(I16X8_SHL, r.u16 = a.u16 << (n & 15))
VSHIFT(I16X8_SHR_S, r.i16 = a.i16 >> (n & 15))
VSHIFT(I16X8_SHR_U, r.u16 = a.u16 >> (n & 15))
VBIN(I16X8_ADD, r.u16 = a.u16 + b.u16)
VBIN(I16X8_ADD_SAT_S, VLOOP(8, r.i16[i] = vm_sat_i16(a.i16[i] + b.i16[i])))
VBIN(I16X8_ADD_SAT_U, VLOOP(8, r.u16[i] = vm_sat_u16(a.u16[i] + b.u16[i])))
VBIN(I16X8_SUB, r.u16 = a.u16 - b.u16)
VBIN(I16X8_SUB_SAT_S, VLOOP(8, r.i16[i] = vm_sat_i16(a.i16[i] - b.i16[i])))
VBIN(I16X8_SUB_SAT_U, VLOOP(8, r.u16[i] = vm_sat_u16(a.u16[i] - b.u16[i])))
VBIN(I16X8_MUL, r.u16 = a.u16 * b.u16)
VMINMAX(I16X8_MIN_S, i16, <)
VMINMAX(I16X8_MIN_U, u16, <)
VMINMAX(I16X8_MAX_S, i16, >)
VMINMAX(I16X8_MAX_U, u16, >)
VBIN(I16X8_AVGR_U, r.u16 = (a.u16 | b.u16) - ((a.u16 ^ b.u16) >> 1))
VBIN(I16X8_EXTMUL_LOW_I8X16_S,
     VLOOP(8, r.i16[i] = (int16_t)(a.i8[i] * b.i8[i])))
VBIN(I16X8_EXTMUL_HIGH_I8X16_S,
     VLOOP(8, r.i16[i] = (int16_t)(a.i8[i + 8] * b.i8[i + 8])))
VBIN(I16X8_EXTMUL_LOW_I8X16_U,
     VLOOP(8, r.u16[i] = (uint16_t)(a.u8[i] * b.u8[i])))
VBIN(I16X8_EXTMUL_HIGH_I8X16_U,
     VLOOP(8, r.u16[i] = (uint16_t)(a.u8[i + 8] * b.u8[i + 8])))

/* i32x4. */
VUN(I32X4_EXTADD_PAIRWISE_I16X8_S,
    VLOOP(4, r.i32[i] = a.i16[2 * i] + a.i16[2 * i + 1]))
VUN(I32X4_EXTADD_PAIRWISE_I16X8_U,
    VLOOP(4, r.u32[i] = (uint32_t)a.u16[2 * i] + a.u16[2 * i + 1]))
VUN(I32X4_ABS, {
  vm_u32x4 m_ = (vm_u32x4)(a.i32 < 0);
  r.u32 = (a.u32 ^ m_) - m_;
})
VUN(I32X4_NEG, r.u32 = -a.u32)
VUN(I32X4_EXTEND_LOW_I16X8_S, r.i32 = VM_EXTEND_HALF(a, 0, vm_i16x4, vm_i32x4))
VUN(I32X4_EXTEND_HIGH_I16X8_S, r.i32 = VM_EXTEND_HALF(a, 8, vm_i16x4, vm_i32x4))
VUN(I32X4_EXTEND_LOW_I16X8_U, r.u32 = VM_EXTEND_HALF(a, 0, vm_u16x4, vm_u32x4))
VUN(I32X4_EXTEND_HIGH_I16X8_U, r.u32 = VM_EXTEND_HALF(a, 8, vm_u16x4, vm_u32x4))
VSHIFT(I32X4_SHL, r.u32 = a.u32 << (n & 31))
VSHIFT(I32X4_SHR_S, r.i32 = a.i32 >> (n & 31))
VSHIFT(I32X4_SHR_U, r.u32 = a.u32 >> (n & 31))
VBIN(I32X4_ADD, r.u32 = a.u32 + b.u32)
VBIN(I32X4_SUB, r.u32 = a.u32 - b.u32)
VBIN(I32X4_MUL, r.u32 = a.u32 * b.u32)
VMINMAX(I32X4_MIN_S, i32, <)
VMINMAX(I32X4_MIN_U, u32, <)
VMINMAX(I32X4_MAX_S, i32, >)
VMINMAX(I32X4_MAX_U, u32, >)
VBIN(I32X4_DOT_I16X8_S, r = vm_dot16(a, b))
VBIN(I32X4_EXTMUL_LOW_I16X8_S,
     VLOOP(4, r.u32[i] = (uint32_t)((int32_t)a.i16[i] * b.i16[i])))
VBIN(I32X4_EXTMUL_HIGH_I16X8_S,
     VLOOP(4, r.u32[i] = (uint32_t)((int32_t)a.i16[i + 4] * b.i16[i + 4])))
VBIN(I32X4_EXTMUL_LOW_I16X8_U,
     VLOOP(4, r.u32[i] = (uint32_t)a.u16[i] * b.u16[i]))
VBIN(I32X4_EXTMUL_HIGH_I16X8_U,
     VLOOP(4, r.u32[i] = (uint32_t)a.u16[i + 4] * b.u16[i + 4]))

/* i64x2. */
VUN(I64X2_ABS, {
  vm_u64x2 m_ = (vm_u64x2)(a.i64 < 0);
  r.u64 = (a.u64 ^ m_) - m_;
})
VUN(I64X2_NEG, r.u64 = -a.u64)
VUN(I64X2_EXTEND_LOW_I32X4_S, r.i64 = VM_EXTEND_HALF(a, 0, vm_i32x2, vm_i64x2))
VUN(I64X2_EXTEND_HIGH_I32X4_S, r.i64 = VM_EXTEND_HALF(a, 8, vm_i32x2, vm_i64x2))
VUN(I64X2_EXTEND_LOW_I32X4_U, r.u64 = VM_EXTEND_HALF(a, 0, vm_u32x2, vm_u64x2))
VUN(I64X2_EXTEND_HIGH_I32X4_U, r.u64 = VM_EXTEND_HALF(a, 8, vm_u32x2, vm_u64x2))
VSHIFT(I64X2_SHL, r.u64 = a.u64 << (n & 63))
VSHIFT(I64X2_SHR_S, r.i64 = a.i64 >> (n & 63))
VSHIFT(I64X2_SHR_U, r.u64 = a.u64 >> (n & 63))
VBIN(I64X2_ADD, r.u64 = a.u64 + b.u64)
VBIN(I64X2_SUB, r.u64 = a.u64 - b.u64)
VBIN(I64X2_MUL, r.u64 = a.u64 * b.u64)
VBIN(I64X2_EXTMUL_LOW_I32X4_S,
     VLOOP(2, r.u64[i] = (uint64_t)((int64_t)a.i32[i] * b.i32[i])))
VBIN(I64X2_EXTMUL_HIGH_I32X4_S,
     VLOOP(2, r.u64[i] = (uint64_t)((int64_t)a.i32[i + 2] * b.i32[i + 2])))
VBIN(I64X2_EXTMUL_LOW_I32X4_U,
     VLOOP(2, r.u64[i] = (uint64_t)a.u32[i] * b.u32[i]))
VBIN(I64X2_EXTMUL_HIGH_I32X4_U,
     VLOOP(2, r.u64[i] = (uint64_t)a.u32[i + 2] * b.u32[i + 2]))

/* f32x4: abs/neg touch only the sign bit; rounding, sqrt, min and max
   use the scalar semantics per lane; add..div are IEEE lane-wise (NaN
   results are arithmetic NaNs, as for the scalar operators). */
VUN(F32X4_CEIL, VM_F32_LANES(r, a, vm_ceilf))
VUN(F32X4_FLOOR, VM_F32_LANES(r, a, vm_floorf))
VUN(F32X4_TRUNC, VM_F32_LANES(r, a, vm_truncf))
VUN(F32X4_NEAREST, VM_F32_LANES(r, a, vm_nearestf))
VUN(F32X4_ABS, r.u32 = a.u32 & 0x7FFFFFFFu)
VUN(F32X4_NEG, r.u32 = a.u32 ^ 0x80000000u)
VUN(F32X4_SQRT, VM_F32_LANES(r, a, vm_sqrtf))
VBIN(F32X4_ADD, r.f32 = a.f32 + b.f32)
VBIN(F32X4_SUB, r.f32 = a.f32 - b.f32)
VBIN(F32X4_MUL, r.f32 = a.f32 * b.f32)
VBIN(F32X4_DIV, r.f32 = a.f32 / b.f32)
VBIN(F32X4_MIN, VM_F32_LANES2(r, a, b, vm_fminf))
VBIN(F32X4_MAX, VM_F32_LANES2(r, a, b, vm_fmaxf))
/* pmin: b < a ? b : a; pmax: a < b ? b : a (IEEE compares, so a NaN
   compare picks a). */
VBIN(F32X4_PMIN, {
  vm_u32x4 m_ = (vm_u32x4)(b.f32 < a.f32);
  r.u32 = VM_VSEL(m_, b.u32, a.u32);
})
VBIN(F32X4_PMAX, {
  vm_u32x4 m_ = (vm_u32x4)(a.f32 < b.f32);
  r.u32 = VM_VSEL(m_, b.u32, a.u32);
})

/* f64x2. */
VUN(F64X2_CEIL, VM_F64_LANES(r, a, vm_ceil))
VUN(F64X2_FLOOR, VM_F64_LANES(r, a, vm_floor))
VUN(F64X2_TRUNC, VM_F64_LANES(r, a, vm_trunc))
VUN(F64X2_NEAREST, VM_F64_LANES(r, a, vm_nearest))
VUN(F64X2_ABS, r.u64 = a.u64 & 0x7FFFFFFFFFFFFFFFu)
VUN(F64X2_NEG, r.u64 = a.u64 ^ 0x8000000000000000u)
VUN(F64X2_SQRT, VM_F64_LANES(r, a, vm_sqrt))
VBIN(F64X2_ADD, r.f64 = a.f64 + b.f64)
VBIN(F64X2_SUB, r.f64 = a.f64 - b.f64)
VBIN(F64X2_MUL, r.f64 = a.f64 * b.f64)
VBIN(F64X2_DIV, r.f64 = a.f64 / b.f64)
VBIN(F64X2_MIN, VM_F64_LANES2(r, a, b, vm_fmin))
VBIN(F64X2_MAX, VM_F64_LANES2(r, a, b, vm_fmax))
VBIN(F64X2_PMIN, {
  vm_u64x2 m_ = (vm_u64x2)(b.f64 < a.f64);
  r.u64 = VM_VSEL(m_, b.u64, a.u64);
})
VBIN(F64X2_PMAX, {
  vm_u64x2 m_ = (vm_u64x2)(a.f64 < b.f64);
  r.u64 = VM_VSEL(m_, b.u64, a.u64);
})

/* v128 moves. */
CASE(V128_SELECT) {
  vm_v128 r = S(4).i32 ? VLD(2) : VLD(3);
  VST(1, r);
  ADV(5);
  NEXT();
}
CASE(V128_GLOBAL_GET) {
  memcpy(&S(1), inst->globals[O(2)]->val.v128, 16);
  ADV(3);
  NEXT();
}
CASE(V128_GLOBAL_SET) {
  memcpy(inst->globals[O(2)]->val.v128, &S(1), 16);
  ADV(3);
  NEXT();
}

/* Unassigned sub-opcodes: never emitted. */
#define VGAP(n) CASE(V_GAP_##n)
// clang-format off
VGAP(154) VGAP(162) VGAP(165) VGAP(166) VGAP(175) VGAP(176) VGAP(178)
VGAP(179) VGAP(180) VGAP(187) VGAP(194) VGAP(197) VGAP(198) VGAP(207)
VGAP(208) VGAP(210) VGAP(211) VGAP(212) VGAP(226) VGAP(238)
// clang-format on
{
  ek = AW_ERR_INVALID;
  fail_text = "bad internal opcode";
  goto failed;
}
#undef VGAP

#undef VLD
#undef VST
#undef VUN
#undef VBIN
#undef VSHIFT
#undef VTEST
#undef VLOAD
#undef VLOAD_AT
#undef VEA_PLAIN
#undef VEA_AI
#undef VLOAD_EXT
#undef VLOAD_SPLAT
#undef VLOAD_LANE
#undef VSTORE_LANE
#undef VSPLAT
#undef VEXTRACT
#undef VREPLACE
#undef VLOOP
#undef VCMP
#undef vm_i8x
#undef vm_i16x
#undef vm_i32x
#undef vm_i64x
#undef VMINMAX

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
