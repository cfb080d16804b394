/*
 * code.h - the internal code format shared by the code generator
 * (src/compile) and the interpreter (src/vm).
 *
 * A compiled function is an array of 32-bit cells.  Each instruction is an
 * opcode (CG_OPW cells, see below) followed by its operand cells.  Operands
 * name value slots of the current frame (register-style code): slot i of a
 * frame holds
 *   - parameter i for i < nparams,
 *   - declared local i - nparams for i < nlocals_total,
 *   - the operand-stack value at height h in slot nlocals_total + h.
 * The code generator gives every operand-stack value its fixed slot, so
 * instructions never push or pop: `i32.add` is I32_ADD d, a, b meaning
 * fp[d].i32 = fp[a].i32 + fp[b].i32.
 *
 * When the interpreter is built with labels-as-values (gcc, clang), the
 * opcode of each instruction is replaced ("threaded") at the end of
 * compilation by its handler's address, so dispatch is one load and an
 * indirect jump.  Otherwise the opcode stays and the interpreter switches
 * on it.
 *
 * Constants are operands of fused forms where it pays (x op imm, compare
 * and branch, loads/stores at base + imm), written with CONST otherwise.
 *
 * Branch offsets are relative to the cell that holds them:
 * target = &cell + (int32_t)cell.
 *
 * Calls: the arguments sit in consecutive slots (base..) of the caller and
 * the callee's frame starts at the caller's slot `base`, so arguments are
 * the callee's parameters without any copy.  Results are left by the callee
 * in its slots 0..nresults-1, i.e. where the caller expects them.
 */
#ifndef AW_CODE_H
#define AW_CODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "airssys-wasm's interpreter assumes a little-endian host"
#endif

/* clang-format off */
/* Numeric instructions in WebAssembly opcode order (0x45 .. 0xC4), so that
   the internal opcode is CG_OP_I32_EQZ + (wasm opcode - 0x45).
   Unary ones are OP d, s; binary ones OP d, a, b. */
#define CG_NUMERIC_OPS(X) \
  X(I32_EQZ) X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) \
  X(I32_GT_U) X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U) \
  X(I64_EQZ) X(I64_EQ) X(I64_NE) X(I64_LT_S) X(I64_LT_U) X(I64_GT_S) \
  X(I64_GT_U) X(I64_LE_S) X(I64_LE_U) X(I64_GE_S) X(I64_GE_U) \
  X(F32_EQ) X(F32_NE) X(F32_LT) X(F32_GT) X(F32_LE) X(F32_GE) \
  X(F64_EQ) X(F64_NE) X(F64_LT) X(F64_GT) X(F64_LE) X(F64_GE) \
  X(I32_CLZ) X(I32_CTZ) X(I32_POPCNT) X(I32_ADD) X(I32_SUB) X(I32_MUL) \
  X(I32_DIV_S) X(I32_DIV_U) X(I32_REM_S) X(I32_REM_U) X(I32_AND) X(I32_OR) \
  X(I32_XOR) X(I32_SHL) X(I32_SHR_S) X(I32_SHR_U) X(I32_ROTL) X(I32_ROTR) \
  X(I64_CLZ) X(I64_CTZ) X(I64_POPCNT) X(I64_ADD) X(I64_SUB) X(I64_MUL) \
  X(I64_DIV_S) X(I64_DIV_U) X(I64_REM_S) X(I64_REM_U) X(I64_AND) X(I64_OR) \
  X(I64_XOR) X(I64_SHL) X(I64_SHR_S) X(I64_SHR_U) X(I64_ROTL) X(I64_ROTR) \
  X(F32_ABS) X(F32_NEG) X(F32_CEIL) X(F32_FLOOR) X(F32_TRUNC) X(F32_NEAREST) \
  X(F32_SQRT) X(F32_ADD) X(F32_SUB) X(F32_MUL) X(F32_DIV) X(F32_MIN) \
  X(F32_MAX) X(F32_COPYSIGN) \
  X(F64_ABS) X(F64_NEG) X(F64_CEIL) X(F64_FLOOR) X(F64_TRUNC) X(F64_NEAREST) \
  X(F64_SQRT) X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV) X(F64_MIN) \
  X(F64_MAX) X(F64_COPYSIGN) \
  X(I32_WRAP_I64) X(I32_TRUNC_F32_S) X(I32_TRUNC_F32_U) X(I32_TRUNC_F64_S) \
  X(I32_TRUNC_F64_U) X(I64_EXTEND_I32_S) X(I64_EXTEND_I32_U) \
  X(I64_TRUNC_F32_S) X(I64_TRUNC_F32_U) X(I64_TRUNC_F64_S) X(I64_TRUNC_F64_U) \
  X(F32_CONVERT_I32_S) X(F32_CONVERT_I32_U) X(F32_CONVERT_I64_S) \
  X(F32_CONVERT_I64_U) X(F32_DEMOTE_F64) \
  X(F64_CONVERT_I32_S) X(F64_CONVERT_I32_U) X(F64_CONVERT_I64_S) \
  X(F64_CONVERT_I64_U) X(F64_PROMOTE_F32) \
  X(I32_REINTERPRET_F32) X(I64_REINTERPRET_F64) X(F32_REINTERPRET_I32) \
  X(F64_REINTERPRET_I64) \
  X(I32_EXTEND8_S) X(I32_EXTEND16_S) X(I64_EXTEND8_S) X(I64_EXTEND16_S) \
  X(I64_EXTEND32_S)

/* Saturating truncations, in 0xFC 0..7 order: OP d, s. */
#define CG_SAT_OPS(X) \
  X(I32_TRUNC_SAT_F32_S) X(I32_TRUNC_SAT_F32_U) X(I32_TRUNC_SAT_F64_S) \
  X(I32_TRUNC_SAT_F64_U) \
  X(I64_TRUNC_SAT_F32_S) X(I64_TRUNC_SAT_F32_U) X(I64_TRUNC_SAT_F64_S) \
  X(I64_TRUNC_SAT_F64_U)

/* Memory accesses, in wasm opcode order (0x28 .. 0x3E).
   Loads: OP d, addr, offset.  Stores: OP addr, value, offset. */
#define CG_MEMORY_OPS(X) \
  X(I32_LOAD) X(I64_LOAD) X(F32_LOAD) X(F64_LOAD) X(I32_LOAD8_S) \
  X(I32_LOAD8_U) X(I32_LOAD16_S) X(I32_LOAD16_U) \
  X(I64_LOAD8_S) X(I64_LOAD8_U) X(I64_LOAD16_S) X(I64_LOAD16_U) \
  X(I64_LOAD32_S) X(I64_LOAD32_U) \
  X(I32_STORE) X(I64_STORE) X(F32_STORE) X(F64_STORE) X(I32_STORE8) \
  X(I32_STORE16) X(I64_STORE8) X(I64_STORE16) X(I64_STORE32)

/* Everything else.  Operands, in cell order after the opcode:
   EXIT                          leave the interpreter (end of vm_call)
   OUT_OF_FUEL                   stop: fuel exhausted (ends partial blocks)
   UNREACHABLE                   trap
   COPY d, s                     fp[d] = fp[s] (whole 64-bit slot)
   COPY2 d1, s1, d2, s2          two copies, in that order
   COPY_N d, s, n                fp[d..d+n) = fp[s..s+n) as one parallel
                                 copy (memmove): the values of a branch,
                                 a return or a block of arity > CG_FEW,
                                 so code stays O(1) per instruction
   CONST d, lo, hi               fp[d].i64 = hi << 32 | lo
   BR off                        jump
   BR_IF c, off / BR_UNLESS c, off   jump if fp[c].i32 != 0 / == 0
   BR_TABLE i, n, off[0..n]      jump to off[min(fp[i].i32, n)]
   RET                           results are in slots 0..; pop the frame
   CALL func, base               call function index func, args at base
   CALL_INDIRECT type, table, base, idx
   SELECT d, a, b, c             fp[d] = fp[c].i32 ? fp[a] : fp[b]
   GLOBAL_GET d, g / GLOBAL_SET s, g
   CHARGE n                      fuel -= n; out of fuel if it cannot pay
   CHECK                         interrupt check (loop headers, entry)
   CHARGE_CHECK n                both
   MEMORY_SIZE d / MEMORY_GROW d, delta
   MEMORY_FILL d, val, n / MEMORY_COPY d, s, n
   MEMORY_INIT d, s, n, seg / DATA_DROP seg
   TABLE_GET d, i, t / TABLE_SET i, v, t / TABLE_SIZE d, t
   TABLE_GROW d, init, n, t / TABLE_FILL i, v, n, t
   TABLE_COPY d, s, n, dt, st / TABLE_INIT d, s, n, seg, t / ELEM_DROP seg
   REF_FUNC d, func / REF_IS_NULL d, s
*/
#define CG_OTHER_OPS(X) \
  X(EXIT) X(OUT_OF_FUEL) X(UNREACHABLE) X(COPY) X(COPY2) X(CONST) X(BR) X(BR_IF) \
  X(BR_UNLESS) X(BR_TABLE) X(RET) X(CALL) X(CALL_INDIRECT) \
  X(SELECT) X(GLOBAL_GET) X(GLOBAL_SET) X(CHARGE) X(CHECK) X(CHARGE_CHECK) \
  X(MEMORY_SIZE) X(MEMORY_GROW) X(MEMORY_FILL) \
  X(MEMORY_COPY) X(MEMORY_INIT) X(DATA_DROP) X(TABLE_GET) X(TABLE_SET) \
  X(TABLE_SIZE) X(TABLE_GROW) X(TABLE_FILL) \
  X(TABLE_COPY) X(TABLE_INIT) X(ELEM_DROP) X(REF_FUNC) X(REF_IS_NULL) \
  X(COPY_N)

/* Binary operations that also exist with an immediate right operand:
   <op>_IMM d, a, imm: one cell for i32, two (low, high) for i64.  i32.sub
   by c is I32_ADD_IMM -c (i64 likewise). */
#define CG_IMMABLE_OPS(X) \
  X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) X(I32_GT_U) \
  X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U) X(I64_EQ) X(I64_NE) \
  X(I64_LT_S) X(I64_LT_U) X(I64_GT_S) X(I64_GT_U) X(I64_LE_S) X(I64_LE_U) \
  X(I64_GE_S) X(I64_GE_U) X(I32_ADD) X(I32_MUL) X(I32_AND) X(I32_OR) \
  X(I32_XOR) X(I32_SHL) X(I32_SHR_S) X(I32_SHR_U) X(I32_ROTL) X(I32_ROTR) \
  X(I64_ADD) X(I64_MUL) X(I64_AND) X(I64_OR) X(I64_XOR) X(I64_SHL) \
  X(I64_SHR_S) X(I64_SHR_U) X(I64_ROTL) X(I64_ROTR)

#define CG_IMM_OPS(X) \
  X(I32_EQ_IMM) X(I32_NE_IMM) X(I32_LT_S_IMM) X(I32_LT_U_IMM) X(I32_GT_S_IMM) \
  X(I32_GT_U_IMM) X(I32_LE_S_IMM) X(I32_LE_U_IMM) X(I32_GE_S_IMM) \
  X(I32_GE_U_IMM) X(I64_EQ_IMM) X(I64_NE_IMM) X(I64_LT_S_IMM) X(I64_LT_U_IMM) \
  X(I64_GT_S_IMM) X(I64_GT_U_IMM) X(I64_LE_S_IMM) X(I64_LE_U_IMM) \
  X(I64_GE_S_IMM) X(I64_GE_U_IMM) X(I32_ADD_IMM) X(I32_MUL_IMM) \
  X(I32_AND_IMM) X(I32_OR_IMM) X(I32_XOR_IMM) X(I32_SHL_IMM) X(I32_SHR_S_IMM) \
  X(I32_SHR_U_IMM) X(I32_ROTL_IMM) X(I32_ROTR_IMM) X(I64_ADD_IMM) \
  X(I64_MUL_IMM) X(I64_AND_IMM) X(I64_OR_IMM) X(I64_XOR_IMM) X(I64_SHL_IMM) \
  X(I64_SHR_S_IMM) X(I64_SHR_U_IMM) X(I64_ROTL_IMM) X(I64_ROTR_IMM)

/* Compare-and-branch: BR_<cmp> a, b, off and BR_<cmp>_IMM a, imm, off
   (i64: imm in two cells) jump when the comparison holds (an integer
   compare fused with the br_if or if that consumes it). */
#define CG_BRCMP_OPS(X) \
  X(BR_I32_EQ) X(BR_I32_NE) X(BR_I32_LT_S) X(BR_I32_LT_U) X(BR_I32_GT_S) \
  X(BR_I32_GT_U) X(BR_I32_LE_S) X(BR_I32_LE_U) X(BR_I32_GE_S) X(BR_I32_GE_U) \
  X(BR_I64_EQ) X(BR_I64_NE) X(BR_I64_LT_S) X(BR_I64_LT_U) X(BR_I64_GT_S) \
  X(BR_I64_GT_U) X(BR_I64_LE_S) X(BR_I64_LE_U) X(BR_I64_GE_S) X(BR_I64_GE_U) \
  X(BR_I32_EQ_IMM) X(BR_I32_NE_IMM) X(BR_I32_LT_S_IMM) X(BR_I32_LT_U_IMM) \
  X(BR_I32_GT_S_IMM) X(BR_I32_GT_U_IMM) X(BR_I32_LE_S_IMM) X(BR_I32_LE_U_IMM) \
  X(BR_I32_GE_S_IMM) X(BR_I32_GE_U_IMM) X(BR_I64_EQ_IMM) X(BR_I64_NE_IMM) \
  X(BR_I64_LT_S_IMM) X(BR_I64_LT_U_IMM) X(BR_I64_GT_S_IMM) X(BR_I64_GT_U_IMM) \
  X(BR_I64_LE_S_IMM) X(BR_I64_LE_U_IMM) X(BR_I64_GE_S_IMM) X(BR_I64_GE_U_IMM)

/* Float operations with an immediate right operand: <op>_IMM d, a, imm
   (f32: one cell of bits; f64: two cells, low then high).  RSUB and RDIV
   take the immediate as the left operand: d = imm - a, d = imm / a. */
#define CG_FIMMABLE_OPS(X) \
  X(F32_EQ) X(F32_NE) X(F32_LT) X(F32_GT) X(F32_LE) X(F32_GE) X(F64_EQ) \
  X(F64_NE) X(F64_LT) X(F64_GT) X(F64_LE) X(F64_GE) X(F32_ADD) X(F32_SUB) \
  X(F32_MUL) X(F32_DIV) X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV)

#define CG_FIMM_OPS(X) \
  X(F32_EQ_IMM) X(F32_NE_IMM) X(F32_LT_IMM) X(F32_GT_IMM) X(F32_LE_IMM) \
  X(F32_GE_IMM) X(F64_EQ_IMM) X(F64_NE_IMM) X(F64_LT_IMM) X(F64_GT_IMM) \
  X(F64_LE_IMM) X(F64_GE_IMM) X(F32_ADD_IMM) X(F32_SUB_IMM) X(F32_MUL_IMM) \
  X(F32_DIV_IMM) X(F64_ADD_IMM) X(F64_SUB_IMM) X(F64_MUL_IMM) X(F64_DIV_IMM) \
  X(F32_RSUB_IMM) X(F32_RDIV_IMM) X(F64_RSUB_IMM) X(F64_RDIV_IMM)

/* Float compare-and-branch, also negated (NOT_LT jumps unless a < b,
   i.e. also when either is NaN): BR_F.. a, b, off and BR_F.._IMM a, imm,
   off (f64: imm in two cells). */
#define CG_FBRCMP_OPS(X) \
  X(BR_F32_EQ) X(BR_F32_NE) X(BR_F32_LT) X(BR_F32_GT) X(BR_F32_LE) \
  X(BR_F32_GE) X(BR_F32_NOT_LT) X(BR_F32_NOT_GT) X(BR_F32_NOT_LE) \
  X(BR_F32_NOT_GE) X(BR_F64_EQ) X(BR_F64_NE) X(BR_F64_LT) X(BR_F64_GT) \
  X(BR_F64_LE) X(BR_F64_GE) X(BR_F64_NOT_LT) X(BR_F64_NOT_GT) \
  X(BR_F64_NOT_LE) X(BR_F64_NOT_GE) X(BR_F32_EQ_IMM) X(BR_F32_NE_IMM) \
  X(BR_F32_LT_IMM) X(BR_F32_GT_IMM) X(BR_F32_LE_IMM) X(BR_F32_GE_IMM) \
  X(BR_F32_NOT_LT_IMM) X(BR_F32_NOT_GT_IMM) X(BR_F32_NOT_LE_IMM) \
  X(BR_F32_NOT_GE_IMM) X(BR_F64_EQ_IMM) X(BR_F64_NE_IMM) X(BR_F64_LT_IMM) \
  X(BR_F64_GT_IMM) X(BR_F64_LE_IMM) X(BR_F64_GE_IMM) X(BR_F64_NOT_LT_IMM) \
  X(BR_F64_NOT_GT_IMM) X(BR_F64_NOT_LE_IMM) X(BR_F64_NOT_GE_IMM)

/* Memory accesses whose address is base + imm (a pending i32.add): the
   plain form's operands then imm, in the same order: loads
   OP_AI d, base, offset, imm; stores OP_AI base, value, offset, imm.  The
   address is (uint32)(base + imm), then offset is added without wrap. */
#define CG_MEMORY_AI_OPS(X) \
  X(I32_LOAD_AI) X(I64_LOAD_AI) X(F32_LOAD_AI) X(F64_LOAD_AI) \
  X(I32_LOAD8_S_AI) X(I32_LOAD8_U_AI) X(I32_LOAD16_S_AI) X(I32_LOAD16_U_AI) \
  X(I64_LOAD8_S_AI) X(I64_LOAD8_U_AI) X(I64_LOAD16_S_AI) X(I64_LOAD16_U_AI) \
  X(I64_LOAD32_S_AI) X(I64_LOAD32_U_AI) X(I32_STORE_AI) X(I64_STORE_AI) \
  X(F32_STORE_AI) X(F64_STORE_AI) X(I32_STORE8_AI) X(I32_STORE16_AI) \
  X(I64_STORE8_AI) X(I64_STORE16_AI) X(I64_STORE32_AI)

/* SIMD (0xFD prefix), one opcode per sub-opcode 0..255 in wasm order so
   that the internal opcode is CG_OP_V_V128_LOAD + sub (V_GAP_n: sub-opcode
   n is unassigned and never emitted).  v128 values take two consecutive
   slots (low 8 bytes first).  Operands, by shape (see compile_simd.c):
   load        d, addr, offset          store       addr, v, offset
   const       d, w0, w1, w2, w3        shuffle     d, a, b, w0..w3 (lanes)
   unary/test/splat  d, a               binary/shift      d, a, b
   bitselect   d, a, b, c               extract     d, a, lane
   replace     d, a, x, lane            load_lane   d, addr, v, offset, lane
   store_lane  addr, v, offset, lane */
#define CG_SIMD_OPS(X) \
  X(V_V128_LOAD) X(V_V128_LOAD8X8_S) X(V_V128_LOAD8X8_U) \
  X(V_V128_LOAD16X4_S) X(V_V128_LOAD16X4_U) X(V_V128_LOAD32X2_S) \
  X(V_V128_LOAD32X2_U) X(V_V128_LOAD8_SPLAT) X(V_V128_LOAD16_SPLAT) \
  X(V_V128_LOAD32_SPLAT) X(V_V128_LOAD64_SPLAT) X(V_V128_STORE) \
  X(V_V128_CONST) X(V_I8X16_SHUFFLE) X(V_I8X16_SWIZZLE) X(V_I8X16_SPLAT) \
  X(V_I16X8_SPLAT) X(V_I32X4_SPLAT) X(V_I64X2_SPLAT) X(V_F32X4_SPLAT) \
  X(V_F64X2_SPLAT) X(V_I8X16_EXTRACT_LANE_S) X(V_I8X16_EXTRACT_LANE_U) \
  X(V_I8X16_REPLACE_LANE) X(V_I16X8_EXTRACT_LANE_S) \
  X(V_I16X8_EXTRACT_LANE_U) X(V_I16X8_REPLACE_LANE) X(V_I32X4_EXTRACT_LANE) \
  X(V_I32X4_REPLACE_LANE) X(V_I64X2_EXTRACT_LANE) X(V_I64X2_REPLACE_LANE) \
  X(V_F32X4_EXTRACT_LANE) X(V_F32X4_REPLACE_LANE) X(V_F64X2_EXTRACT_LANE) \
  X(V_F64X2_REPLACE_LANE) X(V_I8X16_EQ) X(V_I8X16_NE) X(V_I8X16_LT_S) \
  X(V_I8X16_LT_U) X(V_I8X16_GT_S) X(V_I8X16_GT_U) X(V_I8X16_LE_S) \
  X(V_I8X16_LE_U) X(V_I8X16_GE_S) X(V_I8X16_GE_U) X(V_I16X8_EQ) \
  X(V_I16X8_NE) X(V_I16X8_LT_S) X(V_I16X8_LT_U) X(V_I16X8_GT_S) \
  X(V_I16X8_GT_U) X(V_I16X8_LE_S) X(V_I16X8_LE_U) X(V_I16X8_GE_S) \
  X(V_I16X8_GE_U) X(V_I32X4_EQ) X(V_I32X4_NE) X(V_I32X4_LT_S) \
  X(V_I32X4_LT_U) X(V_I32X4_GT_S) X(V_I32X4_GT_U) X(V_I32X4_LE_S) \
  X(V_I32X4_LE_U) X(V_I32X4_GE_S) X(V_I32X4_GE_U) X(V_F32X4_EQ) \
  X(V_F32X4_NE) X(V_F32X4_LT) X(V_F32X4_GT) X(V_F32X4_LE) X(V_F32X4_GE) \
  X(V_F64X2_EQ) X(V_F64X2_NE) X(V_F64X2_LT) X(V_F64X2_GT) X(V_F64X2_LE) \
  X(V_F64X2_GE) X(V_V128_NOT) X(V_V128_AND) X(V_V128_ANDNOT) X(V_V128_OR) \
  X(V_V128_XOR) X(V_V128_BITSELECT) X(V_V128_ANY_TRUE) X(V_V128_LOAD8_LANE) \
  X(V_V128_LOAD16_LANE) X(V_V128_LOAD32_LANE) X(V_V128_LOAD64_LANE) \
  X(V_V128_STORE8_LANE) X(V_V128_STORE16_LANE) X(V_V128_STORE32_LANE) \
  X(V_V128_STORE64_LANE) X(V_V128_LOAD32_ZERO) X(V_V128_LOAD64_ZERO) \
  X(V_F32X4_DEMOTE_F64X2_ZERO) X(V_F64X2_PROMOTE_LOW_F32X4) X(V_I8X16_ABS) \
  X(V_I8X16_NEG) X(V_I8X16_POPCNT) X(V_I8X16_ALL_TRUE) X(V_I8X16_BITMASK) \
  X(V_I8X16_NARROW_I16X8_S) X(V_I8X16_NARROW_I16X8_U) X(V_F32X4_CEIL) \
  X(V_F32X4_FLOOR) X(V_F32X4_TRUNC) X(V_F32X4_NEAREST) X(V_I8X16_SHL) \
  X(V_I8X16_SHR_S) X(V_I8X16_SHR_U) X(V_I8X16_ADD) X(V_I8X16_ADD_SAT_S) \
  X(V_I8X16_ADD_SAT_U) X(V_I8X16_SUB) X(V_I8X16_SUB_SAT_S) \
  X(V_I8X16_SUB_SAT_U) X(V_F64X2_CEIL) X(V_F64X2_FLOOR) X(V_I8X16_MIN_S) \
  X(V_I8X16_MIN_U) X(V_I8X16_MAX_S) X(V_I8X16_MAX_U) X(V_F64X2_TRUNC) \
  X(V_I8X16_AVGR_U) X(V_I16X8_EXTADD_PAIRWISE_I8X16_S) \
  X(V_I16X8_EXTADD_PAIRWISE_I8X16_U) X(V_I32X4_EXTADD_PAIRWISE_I16X8_S) \
  X(V_I32X4_EXTADD_PAIRWISE_I16X8_U) X(V_I16X8_ABS) X(V_I16X8_NEG) \
  X(V_I16X8_Q15MULR_SAT_S) X(V_I16X8_ALL_TRUE) X(V_I16X8_BITMASK) \
  X(V_I16X8_NARROW_I32X4_S) X(V_I16X8_NARROW_I32X4_U) \
  X(V_I16X8_EXTEND_LOW_I8X16_S) X(V_I16X8_EXTEND_HIGH_I8X16_S) \
  X(V_I16X8_EXTEND_LOW_I8X16_U) X(V_I16X8_EXTEND_HIGH_I8X16_U) \
  X(V_I16X8_SHL) X(V_I16X8_SHR_S) X(V_I16X8_SHR_U) X(V_I16X8_ADD) \
  X(V_I16X8_ADD_SAT_S) X(V_I16X8_ADD_SAT_U) X(V_I16X8_SUB) \
  X(V_I16X8_SUB_SAT_S) X(V_I16X8_SUB_SAT_U) X(V_F64X2_NEAREST) \
  X(V_I16X8_MUL) X(V_I16X8_MIN_S) X(V_I16X8_MIN_U) X(V_I16X8_MAX_S) \
  X(V_I16X8_MAX_U) X(V_GAP_154) X(V_I16X8_AVGR_U) \
  X(V_I16X8_EXTMUL_LOW_I8X16_S) X(V_I16X8_EXTMUL_HIGH_I8X16_S) \
  X(V_I16X8_EXTMUL_LOW_I8X16_U) X(V_I16X8_EXTMUL_HIGH_I8X16_U) \
  X(V_I32X4_ABS) X(V_I32X4_NEG) X(V_GAP_162) X(V_I32X4_ALL_TRUE) \
  X(V_I32X4_BITMASK) X(V_GAP_165) X(V_GAP_166) X(V_I32X4_EXTEND_LOW_I16X8_S) \
  X(V_I32X4_EXTEND_HIGH_I16X8_S) X(V_I32X4_EXTEND_LOW_I16X8_U) \
  X(V_I32X4_EXTEND_HIGH_I16X8_U) X(V_I32X4_SHL) X(V_I32X4_SHR_S) \
  X(V_I32X4_SHR_U) X(V_I32X4_ADD) X(V_GAP_175) X(V_GAP_176) X(V_I32X4_SUB) \
  X(V_GAP_178) X(V_GAP_179) X(V_GAP_180) X(V_I32X4_MUL) X(V_I32X4_MIN_S) \
  X(V_I32X4_MIN_U) X(V_I32X4_MAX_S) X(V_I32X4_MAX_U) X(V_I32X4_DOT_I16X8_S) \
  X(V_GAP_187) X(V_I32X4_EXTMUL_LOW_I16X8_S) X(V_I32X4_EXTMUL_HIGH_I16X8_S) \
  X(V_I32X4_EXTMUL_LOW_I16X8_U) X(V_I32X4_EXTMUL_HIGH_I16X8_U) \
  X(V_I64X2_ABS) X(V_I64X2_NEG) X(V_GAP_194) X(V_I64X2_ALL_TRUE) \
  X(V_I64X2_BITMASK) X(V_GAP_197) X(V_GAP_198) X(V_I64X2_EXTEND_LOW_I32X4_S) \
  X(V_I64X2_EXTEND_HIGH_I32X4_S) X(V_I64X2_EXTEND_LOW_I32X4_U) \
  X(V_I64X2_EXTEND_HIGH_I32X4_U) X(V_I64X2_SHL) X(V_I64X2_SHR_S) \
  X(V_I64X2_SHR_U) X(V_I64X2_ADD) X(V_GAP_207) X(V_GAP_208) X(V_I64X2_SUB) \
  X(V_GAP_210) X(V_GAP_211) X(V_GAP_212) X(V_I64X2_MUL) X(V_I64X2_EQ) \
  X(V_I64X2_NE) X(V_I64X2_LT_S) X(V_I64X2_GT_S) X(V_I64X2_LE_S) \
  X(V_I64X2_GE_S) X(V_I64X2_EXTMUL_LOW_I32X4_S) \
  X(V_I64X2_EXTMUL_HIGH_I32X4_S) X(V_I64X2_EXTMUL_LOW_I32X4_U) \
  X(V_I64X2_EXTMUL_HIGH_I32X4_U) X(V_F32X4_ABS) X(V_F32X4_NEG) X(V_GAP_226) \
  X(V_F32X4_SQRT) X(V_F32X4_ADD) X(V_F32X4_SUB) X(V_F32X4_MUL) \
  X(V_F32X4_DIV) X(V_F32X4_MIN) X(V_F32X4_MAX) X(V_F32X4_PMIN) \
  X(V_F32X4_PMAX) X(V_F64X2_ABS) X(V_F64X2_NEG) X(V_GAP_238) X(V_F64X2_SQRT) \
  X(V_F64X2_ADD) X(V_F64X2_SUB) X(V_F64X2_MUL) X(V_F64X2_DIV) X(V_F64X2_MIN) \
  X(V_F64X2_MAX) X(V_F64X2_PMIN) X(V_F64X2_PMAX) \
  X(V_I32X4_TRUNC_SAT_F32X4_S) X(V_I32X4_TRUNC_SAT_F32X4_U) \
  X(V_F32X4_CONVERT_I32X4_S) X(V_F32X4_CONVERT_I32X4_U) \
  X(V_I32X4_TRUNC_SAT_F64X2_S_ZERO) X(V_I32X4_TRUNC_SAT_F64X2_U_ZERO) \
  X(V_F64X2_CONVERT_LOW_I32X4_S) X(V_F64X2_CONVERT_LOW_I32X4_U)

/* SIMD loads and the store whose address is base + imm (a pending
   i32.add, as CG_MEMORY_AI_OPS): the plain form's operands then imm. */
#define CG_SIMD_AI_OPS(X) \
  X(V_V128_LOAD_AI) X(V_V128_LOAD8X8_S_AI) X(V_V128_LOAD8X8_U_AI) \
  X(V_V128_LOAD16X4_S_AI) X(V_V128_LOAD16X4_U_AI) X(V_V128_LOAD32X2_S_AI) \
  X(V_V128_LOAD32X2_U_AI) X(V_V128_LOAD8_SPLAT_AI) X(V_V128_LOAD16_SPLAT_AI) \
  X(V_V128_LOAD32_SPLAT_AI) X(V_V128_LOAD64_SPLAT_AI) X(V_V128_STORE_AI) \
  X(V_V128_LOAD32_ZERO_AI) X(V_V128_LOAD64_ZERO_AI)

/* SIMD moves that the scalar forms cannot do in one slot:
   V128_SELECT d, a, b, c / V128_GLOBAL_GET d, g / V128_GLOBAL_SET s, g. */
#define CG_SIMD_EXTRA_OPS(X) \
  X(V128_SELECT) X(V128_GLOBAL_GET) X(V128_GLOBAL_SET)

/* clang-format on */

// clang-format off
#define CG_ALL_OPS(X) \
  CG_NUMERIC_OPS(X) CG_SAT_OPS(X) CG_MEMORY_OPS(X) CG_MEMORY_AI_OPS(X) \
  CG_OTHER_OPS(X) CG_IMM_OPS(X) CG_BRCMP_OPS(X) CG_FIMM_OPS(X) \
  CG_FBRCMP_OPS(X) CG_SIMD_OPS(X) CG_SIMD_EXTRA_OPS(X) CG_SIMD_AI_OPS(X)
// clang-format on

enum cg_opcode {
#define CG_ENUM(name) CG_OP_##name,
  CG_ALL_OPS(CG_ENUM)
#undef CG_ENUM
      CG_OP_COUNT_
};

/* A compiled function. Immutable after cg_func_end. */
struct cg_code {
  uint32_t *cells; /* the instructions */
  uint32_t ncells;
  uint32_t nparams;     /* parameter slots */
  uint32_t nresults;    /* result slots */
  uint32_t nlocals;     /* declared locals (zeroed on entry), after params */
  uint32_t frame_slots; /* slots the frame may touch: locals + max stack,
                           at least nresults */
  bool has_memory;      /* the module has a memory 0 */
  /* Fuel map, when compiled with fuel: for every instruction, in code
     order, its first cell and the number of costed wasm operators of its
     basic block up to and including the one it implements; the block's
     own charge instruction is marked CG_FUEL_CHARGE.  It lets the
     interpreter run exactly the operators the remaining fuel can pay for
     in the last block, and refund the rest of a block on a trap. */
  uint32_t nfuel;
  uint32_t *fuel_cell;
  uint32_t *fuel_ops;
};

#define CG_FUEL_CHARGE 0x80000000u

/* Whether numeric wasm opcode op (0x45..0xC4) takes one operand. */
static inline bool cg_numeric_is_unary(uint16_t op) {
  return op == 0x45 || op == 0x50 || (op >= 0x67 && op <= 0x69) ||
         (op >= 0x79 && op <= 0x7B) || (op >= 0x8B && op <= 0x91) ||
         (op >= 0x99 && op <= 0x9F) || op >= 0xA7;
}

/* Operand cells of SIMD opcode o (CG_SIMD_OPS or CG_SIMD_EXTRA_OPS); see
   compile_simd.c. */
uint32_t cg_simd_operands(enum cg_opcode o);

/* Writes a listing of code to out (see dump.c). */
void cg_code_dump(const struct cg_code *code, FILE *out);

/* Threading.  With labels-as-values (gcc, clang) the opcode of each
   instruction is replaced at the end of compilation by its handler's
   address, stored in the CG_OPW cells of the opcode (2 on 64-bit hosts) (so
   dispatch is one load and an indirect jump); otherwise the opcode stays, in
   one cell, and the interpreter switches on it.  Operand cell k of an
   instruction is at cell CG_OPW - 1 + k. */
#if defined(__GNUC__) && !defined(AW_VM_SWITCH)
#define CG_THREADED 1
#if UINTPTR_MAX > 0xFFFFFFFFu
#define CG_OPW 2
#else
#define CG_OPW 1
#endif
#else
#define CG_THREADED 0
#define CG_OPW 1
#endif

/* The interpreter's handler addresses indexed by cg_opcode, or NULL when
   it dispatches with a switch.  Defined in src/vm. */
void *const *vm_handlers(void);

/* Writes opcode o (threaded if threading is on) at cells[0..CG_OPW). */
static inline void cg_set_opcode(uint32_t *cells, enum cg_opcode o) {
#if CG_THREADED
  void *h = vm_handlers()[o];
  memcpy(cells, &h, sizeof h);
#else
  cells[0] = (uint32_t)o;
#endif
}

/* The handler address at ip (cells need not be 8-byte aligned). */
static inline void *cg_handler_at(const uint32_t *ip) {
  void *h;
  memcpy(&h, ip, sizeof h);
  return h;
}

#endif /* AW_CODE_H */
