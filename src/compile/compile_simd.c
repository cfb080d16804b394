/*
 * compile_simd.c - code generation for the 0xFD (fixed-width SIMD)
 * instructions of WebAssembly 2.0.
 *
 * Sub-opcode n becomes internal opcode CG_OP_V_V128_LOAD + n; the operand
 * cells follow the instruction's shape (validate_simd.c's classification):
 * its destination first (so that a following local.set can retarget it),
 * then the source slots, then immediates (memory offset, lane).  A v128
 * value occupies two consecutive frame slots; the operand stack and the
 * locals record which entries are wide (compile.c).  Every SIMD operator
 * costs 1 unit of fuel, charged with its basic block like any operator
 * (Wasmtime's cost model).
 */
#include "compile/compile_int.h"
#include "util/util.h"
#include "validate/val_internal.h"

_Static_assert(CG_OP_V_F64X2_CONVERT_LOW_I32X4_U - CG_OP_V_V128_LOAD == 255,
               "SIMD ops in 0xFD order");
_Static_assert(CG_OP_V_V128_STORE_AI - CG_OP_V_V128_LOAD_AI == 11,
               "SIMD _AI ops in 0xFD order");

/* An instruction OP d, s1..sn over the top n entries, then imm cells. */
static void vop(cg_func *cg, enum cg_opcode o, uint32_t n, bool has_dst,
                bool wide, const uint32_t *imm, uint32_t nimm) {
  uint32_t h0 = cg_height(cg) - n, s[3];
  for (uint32_t i = 0; i < n; i++)
    s[i] = cg_src(cg, h0 + i);
  uint32_t at = cg_op(cg, o);
  if (has_dst) cg_emit(cg, cg_slot(cg, h0));
  for (uint32_t i = 0; i < n; i++)
    cg_emit(cg, s[i]);
  for (uint32_t i = 0; i < nimm; i++)
    cg_emit(cg, imm[i]);
  cg_pop(cg, n);
  if (has_dst) cg_push_result(cg, at, wide);
}

static void words_of(const uint8_t *b, uint32_t *w) {
  for (int i = 0; i < 4; i++)
    w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
           (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
}

/* The _AI form of SIMD memory sub-opcode sub (loads and v128.store), or
   0. */
static enum cg_opcode ai_form(uint32_t sub) {
  if (sub <= 11) return (enum cg_opcode)(CG_OP_V_V128_LOAD_AI + sub);
  if (sub == 92) return CG_OP_V_V128_LOAD32_ZERO_AI;
  if (sub == 93) return CG_OP_V_V128_LOAD64_ZERO_AI;
  return (enum cg_opcode)0;
}

/* A load (d, addr, offset) or v128.store (addr, v, offset) whose address
   is a pending base + disp: OP_AI with the base slot and disp appended. */
static bool fuse_addr(cg_func *cg, uint32_t sub, uint32_t offset) {
  bool store = sub == 11;
  uint32_t h0 = cg_height(cg) - (store ? 2u : 1u), base, disp;
  enum cg_opcode ai = ai_form(sub);
  if (!ai || !cg_addr_pending(cg, h0, &base, &disp)) return false;
  uint32_t sv = store ? cg_src(cg, h0 + 1) : 0;
  uint32_t at = cg_op(cg, ai);
  if (store) {
    cg_emit(cg, base);
    cg_emit(cg, sv);
  } else {
    cg_emit(cg, cg_slot(cg, h0));
    cg_emit(cg, base);
  }
  cg_emit(cg, offset);
  cg_emit(cg, disp);
  cg_pop(cg, store ? 2 : 1);
  if (!store) cg_push_result(cg, at, true);
  return true;
}

int cg_simd_instr(cg_func *cg, const wm_instr *ins, aw_error *err) {
  uint32_t sub = ins->op & 0xFFu;
  val_simd c;
  if ((ins->op >> 8) != 0xFD || !val_simd_class(sub, &c))
    return aw_fail(err, AW_ERR_UNSUPPORTED, ins->offset,
                   "not yet compiled: SIMD opcode 0x%x", ins->op);
  enum cg_opcode o = (enum cg_opcode)(CG_OP_V_V128_LOAD + sub);
  uint32_t imm[5];
  switch (c.shape) {
  case VAL_SIMD_LOAD:
    if (fuse_addr(cg, sub, ins->b)) break;
    imm[0] = ins->b;
    vop(cg, o, 1, true, true, imm, 1);
    break;
  case VAL_SIMD_STORE:
    if (fuse_addr(cg, sub, ins->b)) break;
    imm[0] = ins->b;
    vop(cg, o, 2, false, false, imm, 1);
    break;
  case VAL_SIMD_CONST: {
    words_of(ins->v128, imm);
    uint32_t at = cg_op(cg, o);
    cg_emit(cg, cg_slot(cg, cg_height(cg)));
    for (int i = 0; i < 4; i++)
      cg_emit(cg, imm[i]);
    cg_push_result(cg, at, true);
    break;
  }
  case VAL_SIMD_SHUFFLE:
    words_of(ins->v128, imm);
    vop(cg, o, 2, true, true, imm, 4);
    break;
  case VAL_SIMD_BIN:
  case VAL_SIMD_SHIFT: vop(cg, o, 2, true, true, NULL, 0); break;
  case VAL_SIMD_UN:
  case VAL_SIMD_SPLAT: vop(cg, o, 1, true, true, NULL, 0); break;
  case VAL_SIMD_TERN: vop(cg, o, 3, true, true, NULL, 0); break;
  case VAL_SIMD_TEST: vop(cg, o, 1, true, false, NULL, 0); break;
  case VAL_SIMD_EXTRACT:
    imm[0] = ins->lane;
    vop(cg, o, 1, true, false, imm, 1);
    break;
  case VAL_SIMD_REPLACE:
    imm[0] = ins->lane;
    vop(cg, o, 2, true, true, imm, 1);
    break;
  case VAL_SIMD_LOAD_LANE:
  case VAL_SIMD_STORE_LANE:
    imm[0] = ins->b;
    imm[1] = ins->lane;
    vop(cg, o, 2, c.shape == VAL_SIMD_LOAD_LANE, true, imm, 2);
    break;
  default:
    return aw_fail(err, AW_ERR_UNSUPPORTED, ins->offset,
                   "not yet compiled: SIMD opcode 0x%x", ins->op);
  }
  return 0;
}

uint32_t cg_simd_operands(enum cg_opcode o) {
  switch (o) {
  case CG_OP_V128_SELECT: return 4;
  case CG_OP_V128_GLOBAL_GET:
  case CG_OP_V128_GLOBAL_SET: return 2;
  default: break;
  }
  if (o >= CG_OP_V_V128_LOAD_AI && o <= CG_OP_V_V128_LOAD64_ZERO_AI) return 4;
  val_simd c;
  if (o < CG_OP_V_V128_LOAD || o > CG_OP_V_F64X2_CONVERT_LOW_I32X4_U ||
      !val_simd_class((uint32_t)(o - CG_OP_V_V128_LOAD), &c))
    return 0;
  switch (c.shape) {
  case VAL_SIMD_LOAD:
  case VAL_SIMD_STORE:
  case VAL_SIMD_BIN:
  case VAL_SIMD_SHIFT:
  case VAL_SIMD_EXTRACT: return 3;
  case VAL_SIMD_CONST: return 5;
  case VAL_SIMD_SHUFFLE: return 7;
  case VAL_SIMD_TERN:
  case VAL_SIMD_REPLACE:
  case VAL_SIMD_STORE_LANE: return 4;
  case VAL_SIMD_LOAD_LANE: return 5;
  default: return 2; /* unary, test, splat */
  }
}
