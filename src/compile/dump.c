/*
 * dump.c - a readable listing of compiled code (for debugging the code
 * generator and for `inspect`-style tools): one instruction per line with
 * its cell index, name and operand cells.
 */
#include "compile/code.h"
#include <stdio.h>
#include <string.h>

static const char *const cg_op_names[] = {
#define CG_NAME(name) #name,
    CG_ALL_OPS(CG_NAME)
#undef CG_NAME
};

/* Operand cells after the opcode cell of op o (br_table: its fixed part). */
static uint32_t cg_op_operands(enum cg_opcode o) {
  if (o >= CG_OP_V_V128_LOAD) return cg_simd_operands(o);
  if (o <= CG_OP_I64_EXTEND32_S)
    return cg_numeric_is_unary((uint16_t)(0x45 + (o - CG_OP_I32_EQZ))) ? 2 : 3;
  if (o <= CG_OP_I64_TRUNC_SAT_F64_U) return 2;
  if (o <= CG_OP_I64_STORE32) return 3;
  if (o <= CG_OP_I64_STORE32_AI) return 4;
  switch (o) {
  case CG_OP_EXIT:
  case CG_OP_OUT_OF_FUEL:
  case CG_OP_UNREACHABLE:
  case CG_OP_RET:
  case CG_OP_CHECK: return 0;
  case CG_OP_BR:
  case CG_OP_CHARGE:
  case CG_OP_CHARGE_CHECK:
  case CG_OP_MEMORY_SIZE:
  case CG_OP_DATA_DROP:
  case CG_OP_ELEM_DROP: return 1;
  case CG_OP_COPY:
  case CG_OP_BR_IF:
  case CG_OP_BR_UNLESS:
  case CG_OP_BR_TABLE:
  case CG_OP_CALL:
  case CG_OP_GLOBAL_GET:
  case CG_OP_GLOBAL_SET:
  case CG_OP_MEMORY_GROW:
  case CG_OP_TABLE_SIZE:
  case CG_OP_REF_FUNC:
  case CG_OP_REF_IS_NULL: return 2;
  case CG_OP_CONST:
  case CG_OP_COPY_N:
  case CG_OP_MEMORY_FILL:
  case CG_OP_MEMORY_COPY:
  case CG_OP_TABLE_GET:
  case CG_OP_TABLE_SET: return 3;
  case CG_OP_COPY2:
  case CG_OP_CALL_INDIRECT:
  case CG_OP_SELECT:
  case CG_OP_MEMORY_INIT:
  case CG_OP_TABLE_GROW:
  case CG_OP_TABLE_FILL: return 4;
  case CG_OP_TABLE_COPY:
  case CG_OP_TABLE_INIT: return 5;
  default: break;
  }
  /* Fused forms, by name: <op>_IMM d, a, imm and BR_<cmp>[_IMM] a, b|imm,
     off, with 64-bit immediates in two cells. */
  const char *name = cg_op_names[o];
  bool wide = strstr(name, "I64_") || strstr(name, "F64_");
  bool imm = strstr(name, "_IMM") != NULL;
  return 3u + (wide && imm ? 1u : 0u);
}

/* The opcode of a (possibly threaded) instruction. */
static int cg_decode_op(const uint32_t *cells) {
#if CG_THREADED
  void *h = cg_handler_at(cells);
  void *const *handlers = vm_handlers();
  for (int o = 0; o < CG_OP_COUNT_; o++)
    if (handlers[o] == h) return o;
  return -1;
#else
  return cells[0] < CG_OP_COUNT_ ? (int)cells[0] : -1;
#endif
}

void cg_code_dump(const struct cg_code *code, FILE *out) {
  fprintf(out, "  ; %u params, %u locals, %u results, %u frame slots\n",
          code->nparams, code->nlocals, code->nresults, code->frame_slots);
  for (uint32_t i = 0; i < code->ncells;) {
    int o = i + CG_OPW <= code->ncells ? cg_decode_op(code->cells + i) : -1;
    if (o < 0) {
      fprintf(out, "  %5u: ?? %08x\n", i, code->cells[i]);
      i++;
      continue;
    }
    uint32_t n = cg_op_operands((enum cg_opcode)o);
    if (o == CG_OP_BR_TABLE && i + CG_OPW + 1 < code->ncells)
      n += code->cells[i + CG_OPW + 1] + 1;
    fprintf(out, "  %5u: %-20s", i, cg_op_names[o]);
    for (uint32_t k = CG_OPW; k < CG_OPW + n && i + k < code->ncells; k++)
      fprintf(out, " %d", (int32_t)code->cells[i + k]);
    fputc('\n', out);
    i += CG_OPW + n;
  }
}
