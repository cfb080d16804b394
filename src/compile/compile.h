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

#include "decode/decode.h"
#include "module.h"

/* The validator's view of the operand stack for one instruction. */
typedef struct cg_view {
  bool unreachable;          /* the instruction is dead code */
  uint32_t height;           /* operand stack height before it, in values,
                                counted from the function's first operand */
  uint32_t npop, npush;      /* values it pops and pushes */
  const uint8_t *pop_types;  /* npop types, deepest first; 0 = unknown
                                (popped from a polymorphic stack) */
  const uint8_t *push_types; /* npush types, deepest first */
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
int cg_instr(cg_func *cg, const wm_instr *ins, const cg_view *v, aw_error *err);
/* Cells of code emitted so far (the compile budget counts them). */
uint32_t cg_ncells(const cg_func *cg);
/* Finishes: *out receives the code. Frees cg in all cases. */
int cg_func_end(cg_func *cg, struct cg_code **out, aw_error *err);
/* Abandons a compilation (validation failed). */
void cg_func_abort(cg_func *cg);
/* Frees compiled code. */
void cg_code_free(struct cg_code *code);

#endif /* AW_COMPILE_H */
