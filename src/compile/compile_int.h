/*
 * compile_int.h - what compile.c shows the SIMD code generator
 * (compile_simd.c): the compile-time operand stack and code emission.
 * Heights count values; slots are the frame slots they occupy (a v128
 * takes two consecutive ones).
 */
#ifndef AW_COMPILE_INT_H
#define AW_COMPILE_INT_H

#include "compile/code.h"
#include "compile/compile.h"

/* The compile-time operand stack's height (values). */
uint32_t cg_height(const cg_func *cg);
/* The slot holding the entry at height h for reading (materializing a
   pending constant or address first). */
uint32_t cg_src(cg_func *cg, uint32_t h);
/* The canonical slot of height h (h <= height). */
uint32_t cg_slot(const cg_func *cg, uint32_t h);
/* Starts instruction o; returns its first cell. */
uint32_t cg_op(cg_func *cg, enum cg_opcode o);
/* Appends an operand cell. */
void cg_emit(cg_func *cg, uint32_t cell);
/* Pops n entries whose sources have been read. */
void cg_pop(cg_func *cg, uint32_t n);
/* Pushes the result of the instruction at `at` (its destination is operand
   cell 1, which a following local.set may retarget); wide: a v128. */
void cg_push_result(cg_func *cg, uint32_t at, bool wide);
/* Whether the entry at height h is a pending i32 base + disp (an i32.add
   of a constant not computed yet), for a memory access to fuse. */
bool cg_addr_pending(const cg_func *cg, uint32_t h, uint32_t *base,
                     uint32_t *disp);
/* Marks the top entry as a v128. */
void cg_set_wide(cg_func *cg);

/* Compiles one 0xFD instruction (validated). */
int cg_simd_instr(cg_func *cg, const wm_instr *ins, aw_error *err);

#endif /* AW_COMPILE_INT_H */
