/*
 * bench/kernels/vm.c - a small register bytecode interpreter with switch
 * dispatch, running a Collatz-length program.
 *
 * Exercises what every embedded scripting engine does: fetch, decode and a
 * switch over opcodes (a jump table natively, br_table in wasm), register
 * file accesses and unpredictable branches.  The bytecode computes, for
 * every start value x in [1, n], the number of Collatz steps to reach 1,
 * and sums steps * x with a running xor.  n = largest start value.
 */
#include "kernel.h"

enum {
  OP_LOADI, /* r[a] = imm */
  OP_MOV,   /* r[a] = r[b] */
  OP_ADD,   /* r[a] = r[b] + r[c] */
  OP_ADDI,  /* r[a] = r[b] + imm */
  OP_MUL,   /* r[a] = r[b] * r[c] */
  OP_XOR,   /* r[a] = r[b] ^ r[c] */
  OP_ANDI,  /* r[a] = r[b] & imm */
  OP_SHRI,  /* r[a] = r[b] >> imm */
  OP_JEQ,   /* if r[a] == r[b] goto imm */
  OP_JNZ,   /* if r[a] != 0 goto imm */
  OP_JGT,   /* if r[a] > r[b] goto imm */
  OP_JMP,   /* goto imm */
  OP_HALT   /* return r[a] */
};

/* One instruction: opcode, three register numbers and an immediate. */
typedef struct vm_ins {
  uint8_t op, a, b, c;
  int32_t imm;
} vm_ins;

#define I(op, a, b, c, imm)                                                    \
  { op, a, b, c, imm }

/* Registers: r0 = n, r1 = x, r2 = v, r3 = steps, r4 = acc, r5 = tmp,
 * r6 = one. */
static const vm_ins vm_program[] = {
    /* 0 */ I(OP_LOADI, 1, 0, 0, 1), /* x = 1 */
    /* 1 */ I(OP_LOADI, 4, 0, 0, 0), /* acc = 0 */
    /* 2 */ I(OP_LOADI, 6, 0, 0, 1), /* one = 1 */
    /* 3 */ I(OP_JGT, 1, 0, 0, 20),  /* outer: if x > n goto done */
    /* 4 */ I(OP_MOV, 2, 1, 0, 0),   /* v = x */
    /* 5 */ I(OP_LOADI, 3, 0, 0, 0), /* steps = 0 */
    /* 6 */ I(OP_JEQ, 2, 6, 0, 15),  /* inner: if v == 1 goto next */
    /* 7 */ I(OP_ANDI, 5, 2, 0, 1),  /* tmp = v & 1 */
    /* 8 */ I(OP_JNZ, 5, 0, 0, 11),  /* if odd goto odd */
    /* 9 */ I(OP_SHRI, 2, 2, 0, 1),  /* v >>= 1 */
    /* 10 */ I(OP_JMP, 0, 0, 0, 13),
    /* 11 */ I(OP_ADD, 5, 2, 2, 0),  /* odd: tmp = 2v */
    /* 12 */ I(OP_ADD, 2, 5, 2, 1),  /* v = tmp + v + 1 */
    /* 13 */ I(OP_ADDI, 3, 3, 0, 1), /* steps++ */
    /* 14 */ I(OP_JMP, 0, 0, 0, 6),  /* goto inner */
    /* 15 */ I(OP_MUL, 5, 3, 1, 0),  /* next: tmp = steps * x */
    /* 16 */ I(OP_XOR, 4, 4, 5, 0),  /* acc ^= tmp */
    /* 17 */ I(OP_ADD, 4, 4, 5, 0),  /* acc += tmp */
    /* 18 */ I(OP_ADDI, 1, 1, 0, 1), /* x++ */
    /* 19 */ I(OP_JMP, 0, 0, 0, 3),  /* goto outer */
    /* 20 */ I(OP_HALT, 4, 0, 0, 0), /* done: return acc */
};

static uint64_t vm_run(const vm_ins *code, uint64_t *r) {
  uint32_t pc = 0;
  for (;;) {
    const vm_ins *in = &code[pc++];
    switch (in->op) {
    case OP_LOADI: r[in->a] = (uint64_t)(int64_t)in->imm; break;
    case OP_MOV: r[in->a] = r[in->b]; break;
    case OP_ADD: r[in->a] = r[in->b] + r[in->c] + (uint64_t)in->imm; break;
    case OP_ADDI: r[in->a] = r[in->b] + (uint64_t)(int64_t)in->imm; break;
    case OP_MUL: r[in->a] = r[in->b] * r[in->c]; break;
    case OP_XOR: r[in->a] = r[in->b] ^ r[in->c]; break;
    case OP_ANDI: r[in->a] = r[in->b] & (uint64_t)(int64_t)in->imm; break;
    case OP_SHRI: r[in->a] = r[in->b] >> (in->imm & 63); break;
    case OP_JEQ:
      if (r[in->a] == r[in->b]) pc = (uint32_t)in->imm;
      break;
    case OP_JNZ:
      if (r[in->a] != 0) pc = (uint32_t)in->imm;
      break;
    case OP_JGT:
      if (r[in->a] > r[in->b]) pc = (uint32_t)in->imm;
      break;
    case OP_JMP: pc = (uint32_t)in->imm; break;
    case OP_HALT: return r[in->a];
    default: return ~(uint64_t)0; /* corrupt program */
    }
  }
}

uint64_t bench_vm(uint32_t n) {
  uint64_t regs[8] = {0};
  regs[0] = n;
  uint64_t acc = vm_run(vm_program, regs);
  return k_mix64(acc, regs[1]);
}
