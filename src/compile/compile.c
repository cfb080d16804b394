/*
 * compile.c - the code generator: turns each validated instruction into the
 * register-style internal code of code.h, in the validator's single pass.
 *
 * The compile-time operand stack mirrors the validator's.  Each entry says
 * where its value is right now:
 *   K_STACK  in its canonical slot (nlocals_total + height),
 *   K_LOCAL  still in local i's slot (a `local.get` emits nothing),
 *   K_CONST  a constant not yet written anywhere.
 * Pending entries are written to their canonical slot ("materialized") only
 * when something needs it there: a `local.set/tee` of the local they refer
 * to, block boundaries, branches, calls.  Consumers read local slots
 * directly, and a `local.set` right after the instruction that produced its
 * value retargets that instruction's destination ("fold").
 *
 * Arity: branches, returns and block ends to labels of more than CG_FEW
 * values first materialize the values still pending (each entry at most
 * once after it was pushed: lazy entries are found through a stack of
 * their heights, `lazy`, not by scanning) and then move them with one
 * COPY_N, so the code of every instruction is O(1) cells whatever the
 * arity (docs/hardening.md, "Compile cost").
 *
 * Fuel: the function is cut into basic blocks (entry, labels, after every
 * branch and call).  Each block gets one charge of the summed cost of the
 * wasm operators it contains, emitted before the first costed operator, so
 * that code without fuel pays nothing and code with fuel pays one
 * instruction per block.  Loop headers and the function entry carry the
 * interrupt check (fused with the charge).
 */
#include "compile/compile.h"
#include "compile/code.h"
#include "compile/compile_int.h"
#include "util/util.h"
#include <stdio.h>

/* The opcode arithmetic below relies on these lists' order (code.h). */
_Static_assert(CG_OP_I64_EXTEND32_S - CG_OP_I32_EQZ == 0xC4 - 0x45,
               "numeric ops in wasm order");
_Static_assert(CG_OP_I64_STORE32 - CG_OP_I32_LOAD == 0x3E - 0x28,
               "memory ops in wasm order");
_Static_assert(CG_OP_I64_STORE32_AI - CG_OP_I32_LOAD_AI == 0x3E - 0x28,
               "memory _AI ops in wasm order");
_Static_assert(CG_OP_I64_TRUNC_SAT_F64_U - CG_OP_I32_TRUNC_SAT_F32_S == 7,
               "saturating truncations in 0xFC order");

enum { K_STACK, K_LOCAL, K_CONST, K_ADDI };

/* K_ADDI: an i32 value slot + imm not computed yet (i32.add of a constant),
   so that a memory access can take it as base and displacement.  Its base
   slot is a local (on_local) or the entry's own canonical slot. */
typedef struct cg_val {
  uint8_t kind;
  bool on_local;  /* K_ADDI: local is a local, counted in pending */
  bool wide;      /* a v128: two slots (never K_CONST or K_ADDI) */
  uint32_t local; /* K_LOCAL: the local's slot; K_ADDI: the base slot */
  uint32_t pos;   /* slot of its canonical place, from the stack base */
  uint64_t imm;   /* K_CONST, K_ADDI */
} cg_val;

/* Whether v reads local i (and must be materialized before i changes). */
static bool refs_local(const cg_val *v, uint32_t i) {
  return (v->kind == K_LOCAL || (v->kind == K_ADDI && v->on_local)) &&
         v->local == i;
}

enum { C_FUNC, C_BLOCK, C_LOOP, C_IF, C_ELSE };

#define NONE UINT32_MAX

typedef struct cg_ctrl {
  uint8_t kind;
  bool dead;       /* opened in dead code: nothing is emitted inside */
  bool has_branch; /* a branch targets the end label */
  uint32_t base;   /* stack height below the block's parameters */
  uint32_t nparams, nresults;
  uint32_t loop_pc;  /* loops: cell of the header (branch target) */
  uint32_t fix;      /* chain of offset cells to patch with the end */
  uint32_t else_fix; /* ifs: offset cell of the BR_UNLESS to the else */
} cg_ctrl;

struct cg_func {
  const wm_module *m;
  const wm_functype *type;
  /* In slots (a v128 takes two): nlocals = params + declared locals. */
  uint32_t nparams, nlocals;
  uint32_t nlocal_idx; /* params + declared locals, as wasm indexes them */
  uint32_t *lslot;     /* slot of each local; NULL: local i is slot i */
  uint8_t *lwide;      /* per local: a v128; NULL when none is */
  uint32_t max_slots;  /* operand-stack slots used at most */
  uint32_t nresult_slots;
  const wm_instr *cur; /* the instruction being compiled */
  bool fuel;
  bool oom;

  uint32_t *code;
  uint32_t ncode, capcode;
  uint32_t *starts; /* cell index of every instruction, for threading */
  uint32_t *opidx;  /* fuel only: code.h's fuel_ops of each instruction */
  uint32_t nstarts, capstarts, capopidx;

  cg_val *stack;
  uint32_t height, capstack, max_height;
  /* Heights of entries pushed as K_LOCAL, K_CONST or K_ADDI, strictly
     increasing; an entry may since have been materialized or popped
     (then it is skipped when met), so each push is met at most once. */
  uint32_t *lazy;
  uint32_t nlazy, caplazy;
  /* Entries run_lo..run_lo+run_n-1 were written by push_stack_n from the
     type list run_types and no entry below their end was written since
     (push_w, cg_set_wide invalidate): pushing the same list at the same
     height again finds their kind, width and slot position in place. */
  const uint8_t *run_types;
  uint32_t run_lo, run_n;
  uint32_t *pending; /* per local slot: K_LOCAL entries referring to it */
  uint32_t npending; /* all K_LOCAL entries */

  cg_ctrl *ctrl;
  uint32_t nctrl, capctrl;
  bool unreachable; /* the current code is dead */
  /* Straight-line code from the entry (no label or branch seen yet):
     declared locals never written are still zero there. */
  bool straight;
  uint8_t *written; /* per local slot: written since entry */

  /* Fold: the last instruction wrote its single result (operand cell 1) to
     the canonical slot of height last_h, and nothing was emitted or
     labelled since. */
  uint32_t last_start, last_h;
  /* The last instruction is a COPY starting here (no label since). */
  uint32_t last_copy;

  /* Fuel: the charge of the current basic block. */
  bool charge_pending;  /* a block began; charge before its first op */
  uint32_t charge_cell; /* cell holding the current block's cost */
  uint32_t block_cost;

  uint32_t *tramp; /* br_table: per label depth, trampoline cell */
  uint32_t captramp;
};

/* ------------------------------------------------------------------ */
/* Emission                                                             */
/* ------------------------------------------------------------------ */

static void emit(cg_func *cg, uint32_t cell) {
  if (cg->ncode == cg->capcode && !aw_grow((void **)&cg->code, sizeof *cg->code,
                                           &cg->capcode, cg->ncode + 1)) {
    cg->oom = true;
    return;
  }
  cg->code[cg->ncode++] = cell;
}

/* Starts an instruction; returns its first cell index. */
static uint32_t op(cg_func *cg, enum cg_opcode o) {
  if (cg->nstarts == cg->capstarts &&
      !aw_grow((void **)&cg->starts, sizeof *cg->starts, &cg->capstarts,
               cg->nstarts + 1)) {
    cg->oom = true;
  } else if (cg->fuel && cg->nstarts >= cg->capopidx &&
             !aw_grow((void **)&cg->opidx, sizeof *cg->opidx, &cg->capopidx,
                      cg->nstarts + 1)) {
    cg->oom = true;
  } else {
    if (cg->fuel)
      cg->opidx[cg->nstarts] = o == CG_OP_CHARGE || o == CG_OP_CHARGE_CHECK
                                   ? CG_FUEL_CHARGE
                                   : cg->block_cost;
    cg->starts[cg->nstarts++] = cg->ncode;
  }
  uint32_t at = cg->ncode;
  emit(cg, (uint32_t)o);
  for (int k = 1; k < CG_OPW; k++)
    emit(cg, 0); /* room for the handler */
  cg->last_start = NONE;
  cg->last_copy = NONE;
  return at;
}

/* Slot position (from the operand stack's base) of height h: where the
   entry below ends. */
static uint32_t pos_at(const cg_func *cg, uint32_t h) {
  if (h == 0) return 0;
  const cg_val *b = &cg->stack[h - 1];
  return b->pos + 1u + (b->wide ? 1u : 0u);
}

static uint32_t slot_of(const cg_func *cg, uint32_t h) {
  return cg->nlocals + pos_at(cg, h);
}

/* Emits a forward offset cell linked into chain *fix. */
static void emit_fix(cg_func *cg, uint32_t *fix) {
  uint32_t at = cg->ncode;
  emit(cg, *fix);
  if (!cg->oom) *fix = at;
}

/* Emits an offset cell to an already known target cell. */
static void emit_back(cg_func *cg, uint32_t target) {
  emit(cg, (uint32_t)(int32_t)((int64_t)target - (int64_t)cg->ncode));
}

/* Patches every cell of chain fix to point at target. */
static void patch(cg_func *cg, uint32_t fix, uint32_t target) {
  while (fix != NONE && !cg->oom) {
    uint32_t next = cg->code[fix];
    cg->code[fix] = (uint32_t)(int32_t)((int64_t)target - (int64_t)fix);
    fix = next;
  }
}

/* ------------------------------------------------------------------ */
/* Fuel blocks                                                          */
/* ------------------------------------------------------------------ */

static void fuel_close(cg_func *cg) {
  if (cg->charge_cell != NONE && !cg->oom)
    cg->code[cg->charge_cell] = cg->block_cost;
  cg->charge_cell = NONE;
  cg->block_cost = 0;
}

/* A new basic block starts here (label, after a branch or call). */
static void block_start(cg_func *cg) {
  cg->last_start = NONE;
  cg->last_copy = NONE;
  cg->straight = false;
  if (!cg->fuel) return;
  fuel_close(cg);
  cg->charge_pending = true;
}

/* A header (function entry, loop): CHARGE_CHECK n, charging the block it
   starts (n = 0 without fuel) and checking the interrupt flag.  Returns
   the cell after it: the target of the loop's back-edges, which perform
   the header's work themselves (they read n from the cell before their
   target), and where calls enter once the entry check passed. */
static uint32_t header(cg_func *cg) {
  cg->last_start = NONE;
  cg->last_copy = NONE;
  cg->straight = false;
  if (cg->fuel) fuel_close(cg);
  op(cg, CG_OP_CHARGE_CHECK);
  if (cg->fuel) {
    cg->charge_cell = cg->ncode;
    cg->charge_pending = false;
  }
  emit(cg, 0);
  return cg->ncode;
}

/* Cost model: every operator costs 1 except these structural ones. */
static bool costs_fuel(uint16_t opc) {
  switch (opc) {
  case 0x00: /* unreachable */
  case 0x01: /* nop */
  case 0x02: /* block */
  case 0x03: /* loop */
  case 0x05: /* else */
  case 0x0B: /* end */
  case 0x0F: /* return */
  case 0x1A: /* drop */ return false;
  default: return true;
  }
}

static void charge(cg_func *cg) {
  if (!cg->fuel) return;
  if (cg->charge_pending) {
    op(cg, CG_OP_CHARGE);
    cg->charge_cell = cg->ncode;
    emit(cg, 0);
    cg->charge_pending = false;
    cg->block_cost = 0;
  }
  cg->block_cost++;
}

/* ------------------------------------------------------------------ */
/* Operand stack                                                        */
/* ------------------------------------------------------------------ */

/* Makes room for n more entries.  Entries above the height are always
   K_STACK (truncate_to forgets the pending ones, new room is zeroed), so
   that push_stack_n only has to lay out kind, width and position. */
static bool stack_room(cg_func *cg, uint32_t n) {
  uint32_t old = cg->capstack;
  if ((uint64_t)cg->height + n <= old) return true;
  if ((uint64_t)cg->height + n > UINT32_MAX ||
      !aw_grow((void **)&cg->stack, sizeof *cg->stack, &cg->capstack,
               cg->height + n)) {
    cg->oom = true;
    return false;
  }
  memset(cg->stack + old, 0, (size_t)(cg->capstack - old) * sizeof *cg->stack);
  return true;
}

/* Entry h is about to be written: the run push_stack_n left in place no
   longer holds from there. */
static void run_touch(cg_func *cg, uint32_t h) {
  if (h < cg->run_lo + cg->run_n) cg->run_n = 0;
}

static cg_val *push_w(cg_func *cg, uint8_t kind, bool wide) {
  if (cg->height == cg->capstack && !stack_room(cg, 1)) {
    static _Thread_local cg_val sink;
    return &sink;
  }
  run_touch(cg, cg->height);
  if (kind != K_STACK) {
    while (cg->nlazy && cg->lazy[cg->nlazy - 1] >= cg->height)
      cg->nlazy--; /* popped since */
    if (cg->nlazy == cg->caplazy &&
        !aw_grow((void **)&cg->lazy, sizeof *cg->lazy, &cg->caplazy,
                 cg->nlazy + 1)) {
      cg->oom = true;
      static _Thread_local cg_val sink;
      return &sink;
    }
    cg->lazy[cg->nlazy++] = cg->height;
  }
  uint32_t pos = pos_at(cg, cg->height);
  cg_val *v = &cg->stack[cg->height++];
  v->kind = kind;
  v->on_local = false;
  v->wide = wide;
  v->local = 0;
  v->pos = pos;
  v->imm = 0;
  if (cg->height > cg->max_height) cg->max_height = cg->height;
  if (pos + 1u + wide > cg->max_slots) cg->max_slots = pos + 1u + wide;
  return v;
}

static cg_val *push(cg_func *cg, uint8_t kind) {
  return push_w(cg, kind, false);
}

static void push_local(cg_func *cg, uint32_t local, bool wide) {
  cg_val *v = push_w(cg, K_LOCAL, wide);
  if (cg->oom) return;
  v->local = local;
  cg->pending[local]++;
  cg->npending++;
}

static void push_const(cg_func *cg, uint64_t imm) {
  cg_val *v = push(cg, K_CONST);
  v->imm = imm;
}

static void forget(cg_func *cg, cg_val *v) {
  if (v->kind == K_LOCAL || (v->kind == K_ADDI && v->on_local)) {
    cg->pending[v->local]--;
    cg->npending--;
  }
  v->kind = K_STACK;
}

/* Pushes n canonical (K_STACK) values of types t[0..n) (NULL: none is a
   v128), each taking its slots after the one below.  O(n) cheap stores
   at most (the validator charged this push 1 + n/16 compile units), and
   O(1) when the same list was pushed at the same height and nothing
   below its end was written since: a call of a [T] -> [T] function or
   the end of a [T] -> [T] block after another one (docs/hardening.md,
   "Compile cost"). */
static void push_stack_n(cg_func *cg, uint32_t n, const uint8_t *t) {
  if (n == 0) return;
  if (!stack_room(cg, n)) return;
  uint32_t h0 = cg->height;
  if (t && cg->run_n == n && cg->run_lo == h0 && cg->run_types == t) {
    cg->height += n; /* still laid out (max_height, max_slots included) */
    return;
  }
  run_touch(cg, h0);
  uint32_t pos = pos_at(cg, h0);
  for (uint32_t i = 0; i < n; i++) {
    cg_val *v = &cg->stack[h0 + i];
    bool w = t && t[i] == WM_V128;
    v->kind = K_STACK;
    v->on_local = false;
    v->wide = w;
    v->pos = pos;
    pos += 1u + w;
  }
  cg->height += n;
  if (cg->height > cg->max_height) cg->max_height = cg->height;
  if (pos > cg->max_slots) cg->max_slots = pos;
  if (t) {
    cg->run_types = t;
    cg->run_lo = h0;
    cg->run_n = n;
  }
}

/* Drops entries down to height h, visiting only the pending ones (found
   through `lazy`): O(1) amortized whatever the number dropped. */
static void truncate_to(cg_func *cg, uint32_t h) {
  while (cg->nlazy && cg->lazy[cg->nlazy - 1] >= h) {
    uint32_t x = cg->lazy[--cg->nlazy];
    if (x < cg->height) forget(cg, &cg->stack[x]);
  }
  if (cg->height > h) cg->height = h;
}

static void emit_const(cg_func *cg, uint32_t dst, uint64_t imm) {
  op(cg, CG_OP_CONST);
  emit(cg, dst);
  emit(cg, (uint32_t)imm);
  emit(cg, (uint32_t)(imm >> 32));
}

static void emit_addi(cg_func *cg, uint32_t dst, uint32_t base, uint64_t imm) {
  op(cg, CG_OP_I32_ADD_IMM);
  emit(cg, dst);
  emit(cg, base);
  emit(cg, (uint32_t)imm);
}

/* A copy right after another one (no label between) joins it into one
   COPY2 d1, s1, d2, s2 (done in that order): register shuffles between
   locals come in runs. */
static void emit_copy(cg_func *cg, uint32_t dst, uint32_t src) {
  if (dst == src) return;
  if (cg->last_copy != NONE && cg->last_copy + CG_OPW + 2 == cg->ncode &&
      !cg->oom) {
    cg->code[cg->last_copy] = CG_OP_COPY2;
    emit(cg, dst);
    emit(cg, src);
    cg->last_copy = NONE;
    return;
  }
  uint32_t at = op(cg, CG_OP_COPY);
  emit(cg, dst);
  emit(cg, src);
  cg->last_copy = at;
}

/* Copies a value of one or two slots (a v128), in the order that keeps an
   overlapping source intact. */
static void emit_copy_w(cg_func *cg, uint32_t dst, uint32_t src, bool wide) {
  if (!wide) {
    emit_copy(cg, dst, src);
  } else if (dst > src) {
    emit_copy(cg, dst + 1, src + 1);
    emit_copy(cg, dst, src);
  } else {
    emit_copy(cg, dst, src);
    emit_copy(cg, dst + 1, src + 1);
  }
}

/* Writes the entry at height h to its canonical slot. */
static void materialize(cg_func *cg, uint32_t h) {
  cg_val *v = &cg->stack[h];
  if (v->kind == K_LOCAL) {
    emit_copy_w(cg, slot_of(cg, h), v->local, v->wide);
  } else if (v->kind == K_CONST) {
    emit_const(cg, slot_of(cg, h), v->imm);
  } else if (v->kind == K_ADDI) {
    emit_addi(cg, slot_of(cg, h), v->local, v->imm);
  }
  forget(cg, v);
}

/* Branch, return and block arities above this are moved with COPY_N
   after materializing the values (amortized O(1) per instruction); up to
   it, value by value as before (at most CG_FEW moves per instruction). */
#define CG_FEW 1

/* A local.set scans at most this many entries for earlier reads of its
   local, then materializes every pending read. */
#define CG_SCAN 32

/* Materializes every pending entry at height h0 or above, visiting only
   the entries pushed pending (amortized O(1)): afterwards the entries
   h0..height-1 are all K_STACK. */
static void flush_from(cg_func *cg, uint32_t h0) {
  uint32_t i = cg->nlazy;
  while (i && cg->lazy[i - 1] >= h0)
    i--;
  /* In ascending order, as value by value (copies pair up the same way). */
  for (uint32_t k = i; k < cg->nlazy && !cg->oom; k++) {
    uint32_t h = cg->lazy[k];
    if (h < cg->height && cg->stack[h].kind != K_STACK) materialize(cg, h);
  }
  cg->nlazy = i;
}

/* Whether an entry at height h0 or above may be pending (amortized O(1):
   drops the markers of entries materialized or popped since). */
static bool lazy_from(cg_func *cg, uint32_t h0) {
  while (cg->nlazy && cg->lazy[cg->nlazy - 1] >= h0) {
    uint32_t h = cg->lazy[cg->nlazy - 1];
    if (h < cg->height && cg->stack[h].kind != K_STACK) return true;
    cg->nlazy--;
  }
  return false;
}

static void materialize_top(cg_func *cg, uint32_t n) {
  if (n > CG_FEW) {
    flush_from(cg, cg->height - n);
    return;
  }
  for (uint32_t h = cg->height - n; h < cg->height; h++)
    materialize(cg, h);
}

/* COPY_N d, s, n (nothing when d == s). */
static void emit_copy_n(cg_func *cg, uint32_t dst, uint32_t src, uint32_t n) {
  if (dst == src || n == 0) return;
  op(cg, CG_OP_COPY_N);
  emit(cg, dst);
  emit(cg, src);
  emit(cg, n);
}

/* Pending reads of locals sit above the last block entry (which
   materialized all of them), so scanning from the top and stopping when
   none is left costs only what was pushed since. */
static void materialize_locals(cg_func *cg) {
  for (uint32_t h = cg->height; h-- > 0 && cg->npending;) {
    const cg_val *v = &cg->stack[h];
    if (v->kind == K_LOCAL || (v->kind == K_ADDI && v->on_local))
      materialize(cg, h);
  }
}

/* The slot holding the entry at height h for reading, materializing a
   constant first. */
static uint32_t src(cg_func *cg, uint32_t h) {
  cg_val *v = &cg->stack[h];
  if (v->kind == K_LOCAL) return v->local;
  if (v->kind != K_STACK) materialize(cg, h);
  return slot_of(cg, h);
}

/* Pops n entries (their sources have been read). */
static void pop_n(cg_func *cg, uint32_t n) {
  truncate_to(cg, cg->height - n);
}

/* Pushes the result of the instruction starting at `at` (dst in cell 1). */
static void push_result(cg_func *cg, uint32_t at) {
  uint32_t h = cg->height;
  push(cg, K_STACK);
  cg->last_start = at;
  cg->last_h = h;
}

/* Moves the value of entry e (at height h) into slot dst. */
static void move_to(cg_func *cg, uint32_t dst, uint32_t h) {
  cg_val *v = &cg->stack[h];
  if (v->kind == K_CONST)
    emit_const(cg, dst, v->imm);
  else if (v->kind == K_ADDI)
    emit_addi(cg, dst, v->local, v->imm);
  else
    emit_copy_w(cg, dst, v->kind == K_LOCAL ? v->local : slot_of(cg, h),
                v->wide);
}

/* The slot of local i, and whether it is a v128 (two slots). */
static uint32_t local_slot(const cg_func *cg, uint32_t i) {
  return cg->lslot ? cg->lslot[i] : i;
}

static bool local_wide(const cg_func *cg, uint32_t i) {
  return cg->lwide && cg->lwide[i];
}

/* Whether global g (index space, validated) holds a v128. */
static bool global_wide(const cg_func *cg, uint32_t g) {
  return g < cg->m->nglobals && cg->m->globals[g].type.type == WM_V128;
}

/* The SIMD code generator's view (compile_int.h). */
uint32_t cg_height(const cg_func *cg) {
  return cg->height;
}
uint32_t cg_src(cg_func *cg, uint32_t h) {
  return src(cg, h);
}
uint32_t cg_slot(const cg_func *cg, uint32_t h) {
  return slot_of(cg, h);
}
uint32_t cg_op(cg_func *cg, enum cg_opcode o) {
  return op(cg, o);
}
void cg_emit(cg_func *cg, uint32_t cell) {
  emit(cg, cell);
}
void cg_pop(cg_func *cg, uint32_t n) {
  pop_n(cg, n);
}
void cg_push_result(cg_func *cg, uint32_t at, bool wide) {
  push_result(cg, at);
  if (wide) cg_set_wide(cg);
}
bool cg_addr_pending(const cg_func *cg, uint32_t h, uint32_t *base,
                     uint32_t *disp) {
  const cg_val *v = &cg->stack[h];
  if (v->kind != K_ADDI) return false;
  *base = v->local;
  *disp = (uint32_t)v->imm;
  return true;
}
void cg_set_wide(cg_func *cg) {
  if (cg->oom || cg->height == 0) return;
  run_touch(cg, cg->height - 1);
  cg_val *v = &cg->stack[cg->height - 1];
  v->wide = true;
  if (v->pos + 2u > cg->max_slots) cg->max_slots = v->pos + 2u;
}

/* ------------------------------------------------------------------ */
/* Control                                                              */
/* ------------------------------------------------------------------ */

static cg_ctrl *push_ctrl(cg_func *cg, uint8_t kind, uint32_t np, uint32_t nr) {
  if (cg->nctrl == cg->capctrl && !aw_grow((void **)&cg->ctrl, sizeof *cg->ctrl,
                                           &cg->capctrl, cg->nctrl + 1)) {
    cg->oom = true;
    return NULL;
  }
  cg_ctrl *c = &cg->ctrl[cg->nctrl++];
  memset(c, 0, sizeof *c);
  c->kind = kind;
  c->dead = cg->unreachable;
  c->base = cg->unreachable ? 0 : cg->height - np;
  c->nparams = np;
  c->nresults = nr;
  c->loop_pc = NONE;
  c->fix = NONE;
  c->else_fix = NONE;
  return c;
}

/* Code from here on is dead: forget the stack above the block's base. */
static void set_unreachable(cg_func *cg) {
  cg_ctrl *c = &cg->ctrl[cg->nctrl - 1];
  truncate_to(cg, c->base);
  cg->unreachable = true;
  block_start(cg);
}

/* Writes the function's results (the top nresults entries) to slots
   0..nresults-1 and returns.  Does not change the compile-time stack (the
   code may sit on one path only, e.g. a br_if's taken branch). */
static void emit_return(cg_func *cg) {
  uint32_t n = cg->type->nresults, h0 = cg->height - n;
  if (n > CG_FEW) {
    /* A br_if flushed before its condition, so this emits nothing on a
       path of its own (see the br_if case). */
    flush_from(cg, h0);
    emit_copy_n(cg, 0, slot_of(cg, h0), cg->nresult_slots);
    op(cg, CG_OP_RET);
    return;
  }
  /* Copies go in ascending order; a source local j < i would already be
     overwritten by the copy to slot j, so then stage every value in its
     canonical stack slot first (those are never below nlocals). */
  bool stage = false;
  for (uint32_t i = 0, r = 0; i < n; i++) {
    const cg_val *v = &cg->stack[h0 + i];
    if ((v->kind == K_LOCAL || (v->kind == K_ADDI && v->on_local)) &&
        v->local < r)
      stage = true;
    r += 1u + v->wide; /* result i's slot: after the ones before it */
  }
  /* A single result produced by the instruction just emitted: make that
     instruction write slot 0 directly. */
  if (n == 1 && cg->stack[h0].kind == K_STACK && cg->last_start != NONE &&
      cg->last_h == h0) {
    cg->code[cg->last_start + CG_OPW] = 0;
    op(cg, CG_OP_RET);
    return;
  }
  for (uint32_t i = 0; i < n && stage; i++)
    if (cg->stack[h0 + i].kind != K_STACK)
      move_to(cg, slot_of(cg, h0 + i), h0 + i);
  for (uint32_t i = 0, r = 0; i < n; i++) {
    bool w = cg->stack[h0 + i].wide;
    if (stage)
      emit_copy_w(cg, r, slot_of(cg, h0 + i), w);
    else
      move_to(cg, r, h0 + i);
    r += 1u + w;
  }
  op(cg, CG_OP_RET);
}

/* Moves the branch values for label c into place; returns false when the
   target is the function (a return was emitted instead). */
static bool branch_moves(cg_func *cg, cg_ctrl *c) {
  if (c->kind == C_FUNC) {
    emit_return(cg);
    return false;
  }
  uint32_t n = c->kind == C_LOOP ? c->nparams : c->nresults;
  uint32_t h0 = cg->height - n;
  if (n > CG_FEW) {
    /* The values have the label's types, so their slots from the
       label's base are laid out as theirs from h0. */
    flush_from(cg, h0); /* a no-op after a br_if's or br_table's flush */
    emit_copy_n(cg, slot_of(cg, c->base), slot_of(cg, h0),
                slot_of(cg, cg->height) - slot_of(cg, h0));
    return true;
  }
  /* The label's values go to consecutive slots from the label's base. */
  for (uint32_t i = 0, dst = slot_of(cg, c->base); i < n; i++) {
    cg_val *v = &cg->stack[h0 + i];
    bool w = v->wide;
    if (!(v->kind == K_STACK && h0 + i == c->base + i))
      move_to(cg, dst, h0 + i);
    dst += 1u + w;
  }
  return true;
}

/* The number of values a branch to c carries. */
static uint32_t label_arity(const cg_ctrl *c) {
  if (c->kind == C_FUNC) return c->nresults;
  return c->kind == C_LOOP ? c->nparams : c->nresults;
}

/* Whether a branch to c needs no moves (amortized O(1)). */
static bool branch_direct(cg_func *cg, const cg_ctrl *c) {
  if (c->kind == C_FUNC) return false;
  uint32_t n = c->kind == C_LOOP ? c->nparams : c->nresults;
  uint32_t h0 = cg->height - n;
  if (h0 != c->base) return false;
  if (n > CG_FEW) return !lazy_from(cg, h0);
  for (uint32_t i = 0; i < n; i++) {
    const cg_val *v = &cg->stack[h0 + i];
    if (v->kind != K_STACK || h0 + i != c->base + i) return false;
  }
  return true;
}

/* Emits the offset cell of a jump to label c. */
static void emit_target(cg_func *cg, cg_ctrl *c) {
  if (c->kind == C_LOOP) {
    emit_back(cg, c->loop_pc);
  } else {
    c->has_branch = true;
    emit_fix(cg, &c->fix);
  }
}

/* An unconditional branch to c (moves included). */
static void emit_br(cg_func *cg, cg_ctrl *c) {
  if (!branch_moves(cg, c)) return;
  op(cg, CG_OP_BR);
  emit_target(cg, c);
}

/* An instruction OP d, s1..sn over the top n entries: reads the sources,
   pops them and pushes the result. */
static void simple(cg_func *cg, enum cg_opcode o, uint32_t n) {
  uint32_t h0 = cg->height - n;
  uint32_t s[4];
  for (uint32_t i = 0; i < n; i++)
    s[i] = src(cg, h0 + i);
  uint32_t at = op(cg, o);
  emit(cg, slot_of(cg, h0));
  for (uint32_t i = 0; i < n; i++)
    emit(cg, s[i]);
  pop_n(cg, n);
  push_result(cg, at);
}

/* An instruction with no result: OP s1..sn (imm cells added by caller). */
static uint32_t consume(cg_func *cg, enum cg_opcode o, uint32_t n) {
  uint32_t h0 = cg->height - n;
  uint32_t s[5];
  for (uint32_t i = 0; i < n; i++)
    s[i] = src(cg, h0 + i);
  uint32_t at = op(cg, o);
  for (uint32_t i = 0; i < n; i++)
    emit(cg, s[i]);
  pop_n(cg, n);
  return at;
}

/* ------------------------------------------------------------------ */
/* Fused forms                                                          */
/* ------------------------------------------------------------------ */

/* The _IMM form of a binary operation, or 0. */
static enum cg_opcode imm_form(enum cg_opcode o) {
  switch (o) {
#define IMM_CASE(n)                                                            \
  case CG_OP_##n: return CG_OP_##n##_IMM;
    CG_IMMABLE_OPS(IMM_CASE)
    CG_FIMMABLE_OPS(IMM_CASE)
#undef IMM_CASE
  default: return (enum cg_opcode)0;
  }
}

/* The operation with its operands swapped (a op b == b op' a), or 0.
   Exact for floats too (comparisons with NaN are false either way). */
static enum cg_opcode mirror(enum cg_opcode o) {
  switch (o) {
  case CG_OP_I32_EQ:
  case CG_OP_I32_NE:
  case CG_OP_I32_ADD:
  case CG_OP_I32_MUL:
  case CG_OP_I32_AND:
  case CG_OP_I32_OR:
  case CG_OP_I32_XOR:
  case CG_OP_I64_EQ:
  case CG_OP_I64_NE:
  case CG_OP_I64_ADD:
  case CG_OP_I64_MUL:
  case CG_OP_I64_AND:
  case CG_OP_I64_OR:
  case CG_OP_I64_XOR:
  case CG_OP_F32_EQ:
  case CG_OP_F32_NE:
  case CG_OP_F32_ADD:
  case CG_OP_F32_MUL:
  case CG_OP_F64_EQ:
  case CG_OP_F64_NE:
  case CG_OP_F64_ADD:
  case CG_OP_F64_MUL: return o;
#define MIRROR(a, b)                                                           \
  case CG_OP_##a: return CG_OP_##b;                                            \
  case CG_OP_##b: return CG_OP_##a;
    // clang-format off
    MIRROR(I32_LT_S, I32_GT_S)
    MIRROR(I32_LT_U, I32_GT_U)
    MIRROR(I32_LE_S, I32_GE_S)
    MIRROR(I32_LE_U, I32_GE_U)
    MIRROR(I64_LT_S, I64_GT_S)
    MIRROR(I64_LT_U, I64_GT_U)
    MIRROR(I64_LE_S, I64_GE_S)
    MIRROR(I64_LE_U, I64_GE_U)
    MIRROR(F32_LT, F32_GT)
    MIRROR(F32_LE, F32_GE)
    MIRROR(F64_LT, F64_GT)
    MIRROR(F64_LE, F64_GE)
    // clang-format on
#undef MIRROR
  default: return (enum cg_opcode)0;
  }
}

/* For a comparison o (plain or _IMM): the compare-and-branch forms that
   jump when it holds (*yes) and when it does not (*no).  false if o is
   not a comparison that has them. */
static bool branch_forms(enum cg_opcode o, enum cg_opcode *yes,
                         enum cg_opcode *no) {
  switch (o) {
#define CMP(n, inv)                                                            \
  case CG_OP_##n:                                                              \
    *yes = CG_OP_BR_##n;                                                       \
    *no = CG_OP_BR_##inv;                                                      \
    return true;                                                               \
  case CG_OP_##n##_IMM:                                                        \
    *yes = CG_OP_BR_##n##_IMM;                                                 \
    *no = CG_OP_BR_##inv##_IMM;                                                \
    return true;
    // clang-format off
    CMP(I32_EQ, I32_NE)
    CMP(I32_NE, I32_EQ)
    CMP(I32_LT_S, I32_GE_S)
    CMP(I32_LT_U, I32_GE_U)
    CMP(I32_GT_S, I32_LE_S)
    CMP(I32_GT_U, I32_LE_U)
    CMP(I32_LE_S, I32_GT_S)
    CMP(I32_LE_U, I32_GT_U)
    CMP(I32_GE_S, I32_LT_S)
    CMP(I32_GE_U, I32_LT_U)
    CMP(I64_EQ, I64_NE)
    CMP(I64_NE, I64_EQ)
    CMP(I64_LT_S, I64_GE_S)
    CMP(I64_LT_U, I64_GE_U)
    CMP(I64_GT_S, I64_LE_S)
    CMP(I64_GT_U, I64_LE_U)
    CMP(I64_LE_S, I64_GT_S)
    CMP(I64_LE_U, I64_GT_U)
    CMP(I64_GE_S, I64_LT_S)
    CMP(I64_GE_U, I64_LT_U)
    /* Floats: eq and ne negate each other even with NaN; the ordered comparisons negate into the NOT_ forms. */
    CMP(F32_EQ, F32_NE)
    CMP(F32_NE, F32_EQ)
    CMP(F32_LT, F32_NOT_LT)
    CMP(F32_GT, F32_NOT_GT)
    CMP(F32_LE, F32_NOT_LE)
    CMP(F32_GE, F32_NOT_GE)
    CMP(F64_EQ, F64_NE)
    CMP(F64_NE, F64_EQ)
    CMP(F64_LT, F64_NOT_LT)
    CMP(F64_GT, F64_NOT_GT)
    CMP(F64_LE, F64_NOT_LE)
    CMP(F64_GE, F64_NOT_GE)
    // clang-format on
#undef CMP
  default: return false;
  }
}

/* A branch condition: the compare-and-branch forms taken when the value
   on top of the stack is true (yes) or false (no), and their operand
   cells (the offset cell follows).  When the value was computed by a
   comparison just emitted, that instruction is taken back and fused. */
typedef struct cg_cond {
  enum cg_opcode yes, no;
  uint32_t cells[3];
  uint32_t n;
} cg_cond;

/* Pops the condition on top of the stack. */
static cg_cond take_cond(cg_func *cg) {
  cg_cond c = {CG_OP_BR_IF, CG_OP_BR_UNLESS, {0, 0, 0}, 1};
  uint32_t h = cg->height - 1;
  if (cg->last_start != NONE && cg->last_h == h &&
      cg->stack[h].kind == K_STACK && !cg->oom) {
    uint32_t at = cg->last_start;
    enum cg_opcode o = (enum cg_opcode)cg->code[at];
    bool fuse = true;
    if (o == CG_OP_I32_EQZ) {
      c.yes = CG_OP_BR_UNLESS;
      c.no = CG_OP_BR_IF;
    } else if (o == CG_OP_I64_EQZ) {
      c.yes = CG_OP_BR_I64_EQ_IMM;
      c.no = CG_OP_BR_I64_NE_IMM;
    } else {
      fuse = branch_forms(o, &c.yes, &c.no);
    }
    if (fuse) {
      /* Operands: the compare's cells after its destination; i64.eqz x is
         x == 0 with a two-cell zero immediate. */
      uint32_t first = at + CG_OPW + 1; /* after the destination */
      c.n = cg->ncode - first;
      for (uint32_t i = 0; i < c.n && i < 3; i++)
        c.cells[i] = cg->code[first + i];
      if (o == CG_OP_I64_EQZ) c.n = 3; /* cells[1..2] are 0 */
      cg->ncode = at;                  /* take the compare back */
      cg->nstarts--;
      cg->last_start = NONE;
      pop_n(cg, 1);
      return c;
    }
  }
  c.cells[0] = src(cg, h);
  pop_n(cg, 1);
  return c;
}

/* Emits a conditional branch taken when c holds (or, if invert, when it
   does not); the caller emits the offset cell. */
static void emit_cond(cg_func *cg, const cg_cond *c, bool invert) {
  op(cg, invert ? c->no : c->yes);
  for (uint32_t i = 0; i < c->n; i++)
    emit(cg, c->cells[i]);
}

static bool is_64bit_op(enum cg_opcode o) {
  return (o >= CG_OP_I64_EQZ && o <= CG_OP_I64_GE_U) ||
         (o >= CG_OP_F64_EQ && o <= CG_OP_F64_GE) ||
         (o >= CG_OP_I64_CLZ && o <= CG_OP_I64_ROTR) ||
         (o >= CG_OP_F64_ABS && o <= CG_OP_F64_COPYSIGN);
}

/* A binary numeric operation, with an immediate operand when one side is
   a constant. */
static void binary(cg_func *cg, enum cg_opcode o) {
  uint32_t h0 = cg->height - 2;
  cg_val *a = &cg->stack[h0], *b = &cg->stack[h0 + 1];
  uint64_t imm = 0;
  cg_val *x = NULL; /* the non-constant operand */
  enum cg_opcode f = (enum cg_opcode)0;
  if (b->kind == K_CONST) {
    imm = b->imm;
    x = a;
    if (o == CG_OP_I32_SUB) {
      o = CG_OP_I32_ADD;
      imm = (uint64_t)(0u - (uint32_t)imm);
    } else if (o == CG_OP_I64_SUB) {
      o = CG_OP_I64_ADD;
      imm = 0 - imm;
    }
    f = imm_form(o);
  } else if (a->kind == K_CONST) {
    imm = a->imm;
    x = b;
    if (o == CG_OP_F32_SUB || o == CG_OP_F32_DIV)
      f = o == CG_OP_F32_SUB ? CG_OP_F32_RSUB_IMM : CG_OP_F32_RDIV_IMM;
    else if (o == CG_OP_F64_SUB || o == CG_OP_F64_DIV)
      f = o == CG_OP_F64_SUB ? CG_OP_F64_RSUB_IMM : CG_OP_F64_RDIV_IMM;
    else if (mirror(o))
      f = imm_form(mirror(o));
  }
  if (o == CG_OP_I32_ADD && x) {
    /* x + imm stays pending (K_ADDI) when its base slot outlives the
       entry: a local, or the slot of height h0 the result takes. */
    uint32_t hx = (uint32_t)(x - cg->stack);
    if (x->kind == K_CONST) {
      uint32_t sum = (uint32_t)x->imm + (uint32_t)imm;
      pop_n(cg, 2);
      push_const(cg, (uint64_t)(int64_t)(int32_t)sum);
      return;
    }
    bool on_local = x->kind == K_LOCAL || (x->kind == K_ADDI && x->on_local);
    if (on_local || hx == h0) {
      uint32_t base = x->kind == K_STACK ? slot_of(cg, h0) : x->local;
      uint64_t total = x->kind == K_ADDI ? (uint32_t)(x->imm + imm) : imm;
      pop_n(cg, 2);
      cg_val *v = push(cg, K_ADDI);
      if (cg->oom) return;
      v->local = base;
      v->imm = (uint32_t)total;
      v->on_local = on_local;
      if (on_local) {
        cg->pending[base]++;
        cg->npending++;
      }
      return;
    }
  }
  if (f) {
    uint32_t sx = src(cg, (uint32_t)(x - cg->stack));
    uint32_t at = op(cg, f);
    emit(cg, slot_of(cg, h0));
    emit(cg, sx);
    emit(cg, (uint32_t)imm);
    if (is_64bit_op(o)) emit(cg, (uint32_t)(imm >> 32));
    pop_n(cg, 2);
    push_result(cg, at);
    return;
  }
  simple(cg, o, 2);
}

/* Block entry: pending locals could be overwritten inside the block on one
   path only, so they are materialized; so are the block's parameters. */
static void enter_block(cg_func *cg, uint32_t np) {
  materialize_locals(cg);
  materialize_top(cg, np);
}

/* Sets the stack to base + n canonical values after a label. */
static void reset_stack(cg_func *cg, const cg_ctrl *c, uint32_t n) {
  /* The values are the block's results (end) or parameters (else), as the
     validator gave them in the instruction's block type. */
  const wm_instr *ins = cg->cur;
  const uint8_t *t = !ins              ? NULL
                     : ins->op == 0x05 ? ins->bt_params
                                       : ins->bt_results;
  truncate_to(cg, c->base);
  push_stack_n(cg, n, t);
}

/* ------------------------------------------------------------------ */
/* Instructions                                                         */
/* ------------------------------------------------------------------ */

static int unsupported(cg_func *cg, const wm_instr *ins, aw_error *err) {
  (void)cg;
  return aw_fail(err, AW_ERR_UNSUPPORTED, ins->offset,
                 "not yet compiled: opcode 0x%x", ins->op);
}

/* Sets the local at slot i (two slots when wide). */
static void local_set(cg_func *cg, uint32_t i, bool wide, bool tee) {
  uint32_t h = cg->height - 1;
  cg_val *v = &cg->stack[h];
  /* Earlier reads of local i must see its old value. */
  uint32_t others = cg->pending[i] - (refs_local(v, i) ? 1u : 0u);
  for (uint32_t k = h, steps = 0; others && k-- > 0;) {
    if (++steps > CG_SCAN) {
      /* Deep: materialize every pending local instead, so that no entry
         is scanned again for another local (O(1) amortized). */
      materialize_locals(cg);
      break;
    }
    if (refs_local(&cg->stack[k], i)) {
      materialize(cg, k);
      others--;
    }
  }
  if (v->kind == K_LOCAL) {
    emit_copy_w(cg, i, v->local, wide);
  } else if (v->kind == K_ADDI) {
    emit_addi(cg, i, v->local, v->imm);
  } else if (v->kind == K_CONST) {
    /* Declared locals start at zero: setting one to 0 before anything
       else wrote it (typical compiler output) is a no-op. */
    if (!(v->imm == 0 && cg->straight && i >= cg->nparams && !cg->written[i]))
      emit_const(cg, i, v->imm);
  } else if (cg->last_start != NONE && cg->last_h == h) {
    cg->code[cg->last_start + CG_OPW] = i; /* fold into the producer */
  } else {
    emit_copy_w(cg, i, slot_of(cg, h), wide);
  }
  cg->written[i] = 1;
  cg->last_start = NONE;
  pop_n(cg, 1);
  if (tee) push_local(cg, i, wide);
}

static void call(cg_func *cg, uint32_t typeidx_fn, const wm_functype *t,
                 bool indirect, uint32_t table) {
  uint32_t np = t->nparams;
  if (indirect) {
    uint32_t h = cg->height - 1;
    uint32_t is = src(cg, h);
    uint32_t base = h - np;
    /* The index first: only canonical slots below it are written until
       the call, so its slot (a local's, possibly) still holds it. */
    pop_n(cg, 1);
    materialize_top(cg, np);
    op(cg, CG_OP_CALL_INDIRECT);
    emit(cg, typeidx_fn);
    emit(cg, table);
    emit(cg, slot_of(cg, base));
    emit(cg, is);
    pop_n(cg, np);
  } else {
    materialize_top(cg, np);
    op(cg, CG_OP_CALL);
    emit(cg, typeidx_fn);
    emit(cg, slot_of(cg, cg->height - np));
    pop_n(cg, np);
  }
  /* The interned list (the validator's, same content: same pointer), so
     that push_stack_n recognizes it after a block end of that type. */
  const uint8_t *rt = cg->cur && cg->cur->bt_results && t->nresults
                          ? cg->cur->bt_results
                          : t->results;
  push_stack_n(cg, t->nresults, rt);
  block_start(cg);
}

static void br_table(cg_func *cg, const wm_instr *ins) {
  uint32_t is = src(cg, cg->height - 1);
  pop_n(cg, 1);
  uint32_t n = ins->nlabels;
  /* Every label has the default's arity (validated): with many values,
     materialize them once, so that each label is O(1) (branch_direct)
     and each trampoline one COPY_N. */
  uint32_t arity = label_arity(&cg->ctrl[cg->nctrl - 1 - ins->labels[n]]);
  if (arity > CG_FEW) flush_from(cg, cg->height - arity);
  op(cg, CG_OP_BR_TABLE);
  emit(cg, is);
  emit(cg, n);
  uint32_t first = cg->ncode;
  for (uint32_t j = 0; j <= n; j++)
    emit(cg, 0);
  if (cg->oom) return;
  /* Labels needing moves get a trampoline (moves then a jump), one per
     distinct label. */
  if (!aw_grow((void **)&cg->tramp, sizeof *cg->tramp, &cg->captramp,
               cg->nctrl)) {
    cg->oom = true;
    return;
  }
  for (uint32_t j = 0; j <= n; j++) /* only the labels used: O(n) */
    cg->tramp[ins->labels[j]] = NONE;
  for (uint32_t j = 0; j <= n && !cg->oom; j++) {
    uint32_t cell = first + j, d = ins->labels[j];
    cg_ctrl *c = &cg->ctrl[cg->nctrl - 1 - d];
    if (branch_direct(cg, c)) {
      if (c->kind == C_LOOP) {
        cg->code[cell] = (uint32_t)(int32_t)((int64_t)c->loop_pc - cell);
      } else {
        c->has_branch = true;
        cg->code[cell] = c->fix;
        c->fix = cell;
      }
      continue;
    }
    if (cg->tramp[d] == NONE) {
      cg->tramp[d] = cg->ncode;
      cg->last_start = NONE;
      cg->last_copy = NONE;
      emit_br(cg, c);
    }
    cg->code[cell] = (uint32_t)(int32_t)((int64_t)cg->tramp[d] - cell);
  }
}

static void op_block(cg_func *cg, const wm_instr *ins, uint8_t kind) {
  if (cg->unreachable) {
    push_ctrl(cg, kind, 0, 0);
    return;
  }
  cg_cond cond = {CG_OP_BR_IF, CG_OP_BR_UNLESS, {0, 0, 0}, 1};
  if (kind == C_IF) cond = take_cond(cg);
  enter_block(cg, ins->bt_nparams);
  cg_ctrl *c = push_ctrl(cg, kind, ins->bt_nparams, ins->bt_nresults);
  if (!c) return;
  if (kind == C_LOOP) {
    c->loop_pc = header(cg);
  } else if (kind == C_IF) {
    emit_cond(cg, &cond, true);
    emit_fix(cg, &c->else_fix);
    block_start(cg);
  }
}

static void op_else(cg_func *cg) {
  cg_ctrl *c = &cg->ctrl[cg->nctrl - 1];
  c->kind = C_ELSE;
  if (c->dead) return;
  if (!cg->unreachable) {
    materialize_top(cg, c->nresults);
    op(cg, CG_OP_BR);
    c->has_branch = true;
    emit_fix(cg, &c->fix);
  }
  patch(cg, c->else_fix, cg->ncode);
  c->else_fix = NONE;
  block_start(cg);
  cg->unreachable = false;
  reset_stack(cg, c, c->nparams);
}

static void op_end(cg_func *cg) {
  cg_ctrl *c = &cg->ctrl[cg->nctrl - 1];
  if (c->dead) {
    cg->nctrl--;
    return;
  }
  if (c->kind == C_FUNC) {
    if (!cg->unreachable) emit_return(cg);
    truncate_to(cg, 0);
    cg->nctrl--;
    cg->unreachable = true;
    return;
  }
  bool reach = !cg->unreachable;
  if (reach) materialize_top(cg, c->nresults);
  if (c->else_fix != NONE) { /* if without else: false path ends here */
    patch(cg, c->else_fix, cg->ncode);
    reach = true;
  }
  if (c->kind != C_LOOP && c->has_branch) {
    patch(cg, c->fix, cg->ncode);
    reach = true;
  }
  block_start(cg);
  reset_stack(cg, c, c->nresults);
  cg->nctrl--;
  cg->unreachable = !reach;
  if (!reach) truncate_to(cg, cg->ctrl[cg->nctrl - 1].base);
}

static const wm_functype *func_type(const wm_module *m, uint32_t f) {
  return &m->types[m->func_types[f]];
}

static int instr(cg_func *cg, const wm_instr *ins, aw_error *err) {
  uint16_t o = ins->op;
  if (o >= 0xFD00) return cg_simd_instr(cg, ins, err);
  if (o >= 0x45 && o <= 0xC4) {
    if (o >= 0xBC && o <= 0xBF) return 0; /* reinterpret: same bits */
    if (o == 0xA7) {                      /* wrap: low half of the slot */
      return 0;
    }
    enum cg_opcode co = (enum cg_opcode)(CG_OP_I32_EQZ + (o - 0x45));
    if (cg_numeric_is_unary(o))
      simple(cg, co, 1);
    else
      binary(cg, co);
    return 0;
  }
  if (o >= 0x28 && o <= 0x3E) {
    enum cg_opcode co = (enum cg_opcode)(CG_OP_I32_LOAD + (o - 0x28));
    enum cg_opcode ai = (enum cg_opcode)(CG_OP_I32_LOAD_AI + (o - 0x28));
    bool load = o <= 0x35;
    uint32_t ha = cg->height - (load ? 1 : 2); /* the address */
    cg_val *addr = &cg->stack[ha];
    if (addr->kind == K_ADDI) {
      uint32_t base = addr->local, disp = (uint32_t)addr->imm;
      if (load) {
        uint32_t at = op(cg, ai);
        emit(cg, slot_of(cg, ha));
        emit(cg, base);
        emit(cg, ins->b);
        emit(cg, disp);
        pop_n(cg, 1);
        push_result(cg, at);
      } else {
        uint32_t sv = src(cg, ha + 1);
        op(cg, ai);
        emit(cg, base);
        emit(cg, sv);
        emit(cg, ins->b);
        emit(cg, disp);
        pop_n(cg, 2);
      }
      return 0;
    }
    if (load) {
      simple(cg, co, 1);
    } else {
      consume(cg, co, 2);
    }
    emit(cg, ins->b);
    return 0;
  }
  switch (o) {
  case 0x00: /* unreachable */
    op(cg, CG_OP_UNREACHABLE);
    set_unreachable(cg);
    return 0;
  case 0x01: return 0; /* nop */
  case 0x02: op_block(cg, ins, C_BLOCK); return 0;
  case 0x03: op_block(cg, ins, C_LOOP); return 0;
  case 0x04: op_block(cg, ins, C_IF); return 0;
  case 0x05: op_else(cg); return 0;
  case 0x0B: op_end(cg); return 0;
  case 0x0C: /* br */
    emit_br(cg, &cg->ctrl[cg->nctrl - 1 - ins->a]);
    set_unreachable(cg);
    return 0;
  case 0x0D: { /* br_if */
    cg_cond c = take_cond(cg);
    cg_ctrl *t = &cg->ctrl[cg->nctrl - 1 - ins->a];
    /* Many values: materialize them here, on both paths, so the taken
       path is one COPY_N and the next br_if finds them in place (the
       compare taken back by take_cond reads only slots above them or
       locals). */
    uint32_t n = label_arity(t);
    if (n > CG_FEW) flush_from(cg, cg->height - n);
    if (branch_direct(cg, t)) {
      emit_cond(cg, &c, false);
      emit_target(cg, t);
    } else {
      emit_cond(cg, &c, true);
      uint32_t skip = NONE;
      emit_fix(cg, &skip);
      emit_br(cg, t);
      patch(cg, skip, cg->ncode);
    }
    block_start(cg);
    return 0;
  }
  case 0x0E:
    br_table(cg, ins);
    set_unreachable(cg);
    return 0;
  case 0x0F:
    emit_return(cg);
    set_unreachable(cg);
    return 0;
  case 0x10: call(cg, ins->a, func_type(cg->m, ins->a), false, 0); return 0;
  case 0x11: call(cg, ins->a, &cg->m->types[ins->a], true, ins->b); return 0;
  case 0x1A: pop_n(cg, 1); return 0; /* drop */
  case 0x1B:
  case 0x1C:
    if (ins->type == WM_V128) {
      simple(cg, CG_OP_V128_SELECT, 3);
      cg_set_wide(cg);
    } else {
      simple(cg, CG_OP_SELECT, 3);
    }
    return 0;
  case 0x20:
    push_local(cg, local_slot(cg, ins->a), local_wide(cg, ins->a));
    return 0;
  case 0x21:
  case 0x22:
    local_set(cg, local_slot(cg, ins->a), local_wide(cg, ins->a), o == 0x22);
    return 0;
  case 0x23: {
    bool w = global_wide(cg, ins->a);
    uint32_t at = op(cg, w ? CG_OP_V128_GLOBAL_GET : CG_OP_GLOBAL_GET);
    emit(cg, slot_of(cg, cg->height));
    emit(cg, ins->a);
    push_result(cg, at);
    if (w) cg_set_wide(cg);
    return 0;
  }
  case 0x24:
    consume(cg,
            global_wide(cg, ins->a) ? CG_OP_V128_GLOBAL_SET : CG_OP_GLOBAL_SET,
            1);
    emit(cg, ins->a);
    return 0;
  case 0x25: simple(cg, CG_OP_TABLE_GET, 1); break;
  case 0x26: consume(cg, CG_OP_TABLE_SET, 2); break;
  case 0x3F: {
    uint32_t at = op(cg, CG_OP_MEMORY_SIZE);
    emit(cg, slot_of(cg, cg->height));
    push_result(cg, at);
    return 0;
  }
  case 0x40: simple(cg, CG_OP_MEMORY_GROW, 1); return 0;
  case 0x41: push_const(cg, (uint64_t)(int64_t)(int32_t)ins->imm); return 0;
  case 0x42: push_const(cg, ins->imm); return 0;
  case 0x43: push_const(cg, ins->imm & 0xFFFFFFFFu); return 0;
  case 0x44: push_const(cg, ins->imm); return 0;
  case 0xD0: push_const(cg, 0); return 0; /* ref.null: NULL */
  case 0xD1: simple(cg, CG_OP_REF_IS_NULL, 1); return 0;
  case 0xD2: {
    uint32_t at = op(cg, CG_OP_REF_FUNC);
    emit(cg, slot_of(cg, cg->height));
    emit(cg, ins->a);
    push_result(cg, at);
    return 0;
  }
  default: break;
  }
  /* Instructions whose table index must follow the opcode's operands. */
  switch (o) {
  case 0x25: /* table.get d, t, i: the table goes before i */
  case 0x26: /* table.set t, i, v */ break;
  case WM_OP_FC(0):
  case WM_OP_FC(1):
  case WM_OP_FC(2):
  case WM_OP_FC(3):
  case WM_OP_FC(4):
  case WM_OP_FC(5):
  case WM_OP_FC(6):
  case WM_OP_FC(7):
    simple(cg, (enum cg_opcode)(CG_OP_I32_TRUNC_SAT_F32_S + (o & 0xFF)), 1);
    return 0;
  case WM_OP_FC(8): /* memory.init seg, d, s, n */
    consume(cg, CG_OP_MEMORY_INIT, 3);
    emit(cg, ins->a);
    return 0;
  case WM_OP_FC(9):
    op(cg, CG_OP_DATA_DROP);
    emit(cg, ins->a);
    return 0;
  case WM_OP_FC(10): consume(cg, CG_OP_MEMORY_COPY, 3); return 0;
  case WM_OP_FC(11): consume(cg, CG_OP_MEMORY_FILL, 3); return 0;
  case WM_OP_FC(12): /* table.init */
    consume(cg, CG_OP_TABLE_INIT, 3);
    emit(cg, ins->a);
    emit(cg, ins->b);
    return 0;
  case WM_OP_FC(13):
    op(cg, CG_OP_ELEM_DROP);
    emit(cg, ins->a);
    return 0;
  case WM_OP_FC(14): /* table.copy */
    consume(cg, CG_OP_TABLE_COPY, 3);
    emit(cg, ins->a);
    emit(cg, ins->b);
    return 0;
  case WM_OP_FC(15): simple(cg, CG_OP_TABLE_GROW, 2); break;
  case WM_OP_FC(16): {
    uint32_t at = op(cg, CG_OP_TABLE_SIZE);
    emit(cg, slot_of(cg, cg->height));
    push_result(cg, at);
    break;
  }
  case WM_OP_FC(17): consume(cg, CG_OP_TABLE_FILL, 3); break;
  default: return unsupported(cg, ins, err);
  }
  /* table.get/set/grow/size/fill: the table index is the last cell. */
  emit(cg, ins->a);
  return 0;
}

/* ------------------------------------------------------------------ */
/* API                                                                  */
/* ------------------------------------------------------------------ */

static void cg_free(cg_func *cg) {
  if (!cg) return;
  free(cg->code);
  free(cg->starts);
  free(cg->opidx);
  free(cg->stack);
  free(cg->lazy);
  free(cg->pending);
  free(cg->written);
  free(cg->lslot);
  free(cg->lwide);
  free(cg->ctrl);
  free(cg->tramp);
  free(cg);
}

/* Frame slots are addressed with 32-bit cells and the whole frame must fit
   the store's stack; anything near this is hostile anyway. */
#define CG_MAX_SLOTS (1u << 26)

cg_func *cg_func_begin(const wm_module *m, uint32_t funcidx,
                       const cg_options *opt, aw_error *err) {
  if (funcidx < m->nfuncs_imported || funcidx >= m->nfuncs) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "cannot compile function %u: not a defined function", funcidx);
    return NULL;
  }
  const wm_func *f = &m->funcs[funcidx - m->nfuncs_imported];
  const wm_functype *t = &m->types[m->func_types[funcidx]];
  uint64_t nl = (uint64_t)t->nparams + f->nlocals;
  /* Slots: a v128 takes two. */
  uint64_t np_slots = 0, nl_slots = 0, nr_slots = 0;
  for (uint32_t i = 0; i < t->nparams; i++)
    np_slots += t->params[i] == WM_V128 ? 2u : 1u;
  nl_slots = np_slots;
  for (uint32_t i = 0; i < f->nlocals; i++)
    nl_slots += f->local_types[i] == WM_V128 ? 2u : 1u;
  for (uint32_t i = 0; i < t->nresults; i++)
    nr_slots += t->results[i] == WM_V128 ? 2u : 1u;
  if (nl_slots > CG_MAX_SLOTS || nr_slots > CG_MAX_SLOTS) {
    aw_fail(err, AW_ERR_UNSUPPORTED, f->body.offset,
            "function %u has too many locals (%llu)", funcidx,
            (unsigned long long)nl);
    return NULL;
  }
  cg_func *cg = calloc(1, sizeof *cg);
  if (!cg || !(cg->pending = aw_calloc(nl_slots, sizeof *cg->pending)) ||
      !(cg->written = aw_calloc(nl_slots, 1)) ||
      (nl_slots != nl && (!(cg->lslot = aw_calloc(nl, sizeof *cg->lslot)) ||
                          !(cg->lwide = aw_calloc(nl, 1))))) {
    cg_free(cg);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory compiling");
    return NULL;
  }
  if (cg->lslot) {
    for (uint32_t i = 0, k = 0; i < nl; i++) {
      uint8_t ty =
          i < t->nparams ? t->params[i] : f->local_types[i - t->nparams];
      cg->lslot[i] = k;
      cg->lwide[i] = ty == WM_V128;
      k += ty == WM_V128 ? 2u : 1u;
    }
  }
  cg->m = m;
  cg->type = t;
  cg->nparams = (uint32_t)np_slots;
  cg->nlocals = (uint32_t)nl_slots;
  cg->nlocal_idx = (uint32_t)nl;
  cg->nresult_slots = (uint32_t)nr_slots;
  cg->fuel = opt && opt->fuel;
  cg->last_start = NONE;
  cg->last_copy = NONE;
  cg->charge_cell = NONE;
  push_ctrl(cg, C_FUNC, 0, t->nresults);
  header(cg);
  /* Entering a function costs 1, charged with its first block as if it
     were that block's first operator: exactly Wasmtime's cost model, so
     figures compare.  Declared locals cost nothing, although the entry
     zeroes them; that work per call is bounded by the decoder's 50,000
     locals per function and the deadline is checked at every entry
     (docs/hardening.md, "Known amplifications"). */
  if (cg->fuel) cg->block_cost = 1;
  cg->straight = true;
  if (cg->oom) {
    cg_free(cg);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory compiling");
    return NULL;
  }
  return cg;
}

/* The indices the code generator itself uses to index its own tables
   (labels, locals, function and type indices): validated already, checked
   again so that a validator bug cannot make it read out of bounds. */
static bool indices_ok(const cg_func *cg, const wm_instr *ins) {
  switch (ins->op) {
  case 0x0C:
  case 0x0D: return ins->a < cg->nctrl;
  case 0x0E:
    for (uint32_t j = 0; j <= ins->nlabels; j++)
      if (ins->labels[j] >= cg->nctrl) return false;
    return true;
  case 0x10: return ins->a < cg->m->nfuncs;
  case 0x11: return ins->a < cg->m->ntypes;
  case 0x20:
  case 0x21:
  case 0x22: return ins->a < cg->nlocal_idx;
  case 0x02:
  case 0x03:
  case 0x04:
    return (uint64_t)ins->bt_nparams + (ins->op == 0x04 ? 1u : 0u) <=
           cg->height;
  default: return true;
  }
}

int cg_instr(cg_func *cg, const wm_instr *ins, const cg_view *v,
             aw_error *err) {
  if (cg->nctrl == 0)
    return aw_fail(err, AW_ERR_INVALID, ins->offset,
                   "instruction after the function's end");
  cg->cur = ins;
  if (cg->unreachable) {
    /* Dead code: only the nesting matters. */
    switch (ins->op) {
    case 0x02:
    case 0x03:
    case 0x04: push_ctrl(cg, C_BLOCK, 0, 0); break;
    case 0x05: op_else(cg); break;
    case 0x0B: op_end(cg); break;
    default: break;
    }
  } else {
    if (v && (v->height != cg->height || v->npop > cg->height))
      return aw_fail(err, AW_ERR_INVALID, ins->offset,
                     "code generator out of step with the validator "
                     "(stack height %u, expected %u)",
                     cg->height, v->height);
    if (!indices_ok(cg, ins))
      return aw_fail(err, AW_ERR_INVALID, ins->offset,
                     "code generator: index out of range in opcode 0x%x "
                     "(not validated?)",
                     ins->op);
    if (costs_fuel(ins->op)) charge(cg);
    if (instr(cg, ins, err) < 0) return -1;
  }
  if (cg->oom)
    return aw_fail(err, AW_ERR_NOMEM, ins->offset, "out of memory compiling");
  if (cg->max_slots > CG_MAX_SLOTS)
    return aw_fail(err, AW_ERR_UNSUPPORTED, ins->offset,
                   "operand stack too deep (%u slots)", cg->max_slots);
  return 0;
}

int cg_func_end(cg_func *cg, struct cg_code **out, aw_error *err) {
  *out = NULL;
  if (cg->nctrl != 0) {
    cg_free(cg);
    return aw_fail(err, AW_ERR_INVALID, UINT64_MAX,
                   "function body ends before its final end");
  }
  fuel_close(cg);
  struct cg_code *c = calloc(1, sizeof *c);
  uint32_t *cells = malloc((size_t)cg->ncode * sizeof *cells + 1);
  if (c && cg->fuel) {
    c->nfuel = cg->nstarts;
    c->fuel_cell = malloc((size_t)cg->nstarts * sizeof *c->fuel_cell + 1);
    c->fuel_ops = malloc((size_t)cg->nstarts * sizeof *c->fuel_ops + 1);
  }
  if (!c || !cells || (cg->fuel && (!c->fuel_cell || !c->fuel_ops))) {
    cg_code_free(c);
    free(cells);
    cg_free(cg);
    return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory compiling");
  }
  memcpy(cells, cg->code, (size_t)cg->ncode * sizeof *cells);
  if (cg->fuel) {
    memcpy(c->fuel_cell, cg->starts, (size_t)cg->nstarts * sizeof *cells);
    memcpy(c->fuel_ops, cg->opidx, (size_t)cg->nstarts * sizeof *cells);
  }
  for (uint32_t i = 0; i < cg->nstarts; i++)
    cg_set_opcode(cells + cg->starts[i], (enum cg_opcode)cells[cg->starts[i]]);
  c->cells = cells;
  c->ncells = cg->ncode;
  c->nparams = cg->nparams;
  c->nresults = cg->nresult_slots;
  c->nlocals = cg->nlocals - cg->nparams;
  uint64_t fs = (uint64_t)cg->nlocals + cg->max_slots;
  if (fs < c->nresults) fs = c->nresults;
  c->frame_slots = (uint32_t)fs;
  c->has_memory = cg->m->nmems > 0;
  cg_free(cg);
  *out = c;
  return 0;
}

uint32_t cg_ncells(const cg_func *cg) {
  return cg ? cg->ncode : 0;
}

void cg_func_abort(cg_func *cg) {
  cg_free(cg);
}

void cg_code_free(struct cg_code *code) {
  if (!code) return;
  free(code->cells);
  free(code->fuel_cell);
  free(code->fuel_ops);
  free(code);
}
