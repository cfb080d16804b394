/*
 * compile.h - the code generator, driven by the validator.
 *
 * The validator walks each function body once.  For every instruction it
 * has checked, it calls cg_instr with the decoded instruction and its own
 * view of the operand stack at that point, and the code generator emits
 * the interpreter's internal code (src/vm).  So a module is walked once:
 * decode, validate and compile in the same pass.
 */
#ifndef AW_COMPILE_H
#define AW_COMPILE_H

#include "module.h"

/* Opcodes: one byte, or prefix<<8 | sub-opcode for 0xFC and 0xFD. */
#define WM_OP_FC(sub) ((uint16_t)(0xFC00u | (sub)))
#define WM_OP_FD(sub) ((uint16_t)(0xFD00u | (sub)))

/* One decoded instruction. */
typedef struct wm_instr {
  uint16_t op;
  uint32_t offset; /* byte offset of the opcode in the binary */
  /* Immediates, by instruction:
     - local.*, global.*, call, ref.func, br, br_if: a = index / label depth
     - call_indirect: a = type index, b = table index
     - memory loads/stores: a = align (log2), b = offset (imm64 for SIMD
       lanes: lane index in lane)
     - memory.size/grow/fill: a = memory index; memory.copy: a = dst, b = src
     - memory.init: a = data index, b = memory; data.drop: a = data index
     - table.get/set/size/grow/fill: a = table; table.copy: a = dst, b = src
     - table.init: a = elem index, b = table; elem.drop: a = elem index
     - i32.const / i64.const: imm (sign-extended); f32/f64.const: imm = bits
     - select with type / ref.null: type
     - block/loop/if: bt_* below
     - br_table: labels[0..nlabels-1] then the default in labels[nlabels] */
  uint32_t a, b;
  uint64_t imm;
  uint8_t type;
  uint8_t lane;
  uint8_t v128[16]; /* v128.const and i8x16.shuffle */
  const uint32_t *labels;
  uint32_t nlabels;
  uint32_t bt_nparams, bt_nresults;
  const uint8_t *bt_params, *bt_results;
} wm_instr;

/* The validator's view of the operand stack for one instruction. */
typedef struct cg_view {
  bool unreachable;         /* the instruction is dead code */
  uint32_t height;          /* operand stack height before it, in values,
                               counted from the function's first operand */
  uint32_t npop, npush;     /* values it pops and pushes */
  const uint8_t *pop_types; /* npop types, deepest first; 0 = unknown
                               (popped from a polymorphic stack) */
  const uint8_t *push_types;/* npush types, deepest first */
} cg_view;

/* Options of one compilation. */
typedef struct cg_options {
  bool fuel; /* emit fuel charges */
} cg_options;

typedef struct cg_func cg_func;
struct cg_code; /* compiled function, owned by the wm_func */

/* Starts compiling defined function funcidx (index space) of m. */
cg_func *cg_func_begin(const wm_module *m, uint32_t funcidx,
                       const cg_options *opt, aw_error *err);
/* Emits code for one validated instruction (including the final end). */
int cg_instr(cg_func *cg, const wm_instr *ins, const cg_view *v,
             aw_error *err);
/* Finishes: *out receives the code. Frees cg in all cases. */
int cg_func_end(cg_func *cg, struct cg_code **out, aw_error *err);
/* Abandons a compilation (validation failed). */
void cg_func_abort(cg_func *cg);
/* Frees compiled code. */
void cg_code_free(struct cg_code *code);

#endif /* AW_COMPILE_H */
