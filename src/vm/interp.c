/*
 * interp.c - the interpreter: the dispatch loop over the register-style
 * code of src/compile/code.h, calls without C recursion, host calls, traps,
 * fuel charges and interrupt checks.
 *
 * Dispatch is direct threading (each opcode slot holds its handler's
 * address; a handler ends with one indirect jump) with labels-as-values,
 * or a switch elsewhere.  Hot state lives in locals of vm_run so the
 * compiler keeps it in registers: ip, fp (frame base), the memory base
 * and size, the fuel counter, the instance and the frame-stack top.  No
 * hot variable is live across a C call (CALLOUT saves and reloads them),
 * so the compiler may use caller-saved registers for them.  The memory is
 * reloaded after calls, returns, memory.grow and host calls, the only
 * points where it can change.
 *
 * Every wasm call pushes a vm_frame (return address, caller's frame, its
 * instance, memory and code) on the store's frame stack; the callee's
 * slots start at the caller's argument slots.  Both stacks have a hard
 * size: running out of either is the trap "call stack exhausted".
 *
 * Fuel and interruption: code compiled with fuel charges each basic block
 * once (CHARGE n); function entries and loop headers are CHARGE_CHECK n,
 * which also tests the interrupt flag.  Calls do the callee's entry check
 * and returns the continuation's charge inline, and backward jumps (which
 * only go to loop headers) do the header's work at back_edge, so none of
 * them costs a dispatch.  When the fuel left cannot pay for a block, the
 * instructions it can pay for run from a copy (fuel_short), so execution
 * stops exactly before the first unpaid operator.
 */
#include "compile/code.h"
#include "runtime.h"
#include "util/util.h"
#include "vm/vm.h"
#include "vm/vm_num.h"
#include "vm/vm_simd.h"
#include "vm/vm_state.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The memory seen by functions of modules without one: size 0, so every
   access is out of bounds before its base is used. */
static aw_memory vm_nomem;

static aw_memory *vm_mem_of(aw_instance *inst, const struct cg_code *code) {
  return code->has_memory ? inst->mems[0] : &vm_nomem;
}

/* ------------------------------------------------------------------ */
/* Host calls                                                           */
/* ------------------------------------------------------------------ */

/* Slots taken by n values of the given types (a v128 takes two). */
static uint32_t vm_slots_of(const uint8_t *types, uint32_t n) {
  uint32_t k = n;
  for (uint32_t i = 0; i < n; i++)
    k += types[i] == WM_V128;
  return k;
}

/* Value <-> slots; return the slots used. */
static uint32_t vm_slot_to_val(aw_val *v, uint8_t type, const aw_slot *s) {
  memset(v, 0, sizeof *v);
  v->kind = (aw_valkind)type;
  switch (type) {
  case WM_V128: memcpy(v->of.v128, s, 16); return 2;
  case WM_I32: v->of.i32 = (int32_t)s->i32; break;
  case WM_I64: v->of.i64 = (int64_t)s->i64; break;
  case WM_F32: memcpy(&v->of.f32, &s->i32, 4); break;
  case WM_F64: memcpy(&v->of.f64, &s->i64, 8); break;
  default: v->of.ref = s->ref; break;
  }
  return 1;
}

static uint32_t vm_val_to_slot(aw_slot *s, uint8_t type, const aw_val *v) {
  s->i64 = 0;
  switch (type) {
  case WM_V128: memcpy(s, v->of.v128, 16); return 2;
  case WM_I32: s->i32 = (uint32_t)v->of.i32; break;
  case WM_I64: s->i64 = (uint64_t)v->of.i64; break;
  case WM_F32: memcpy(&s->i32, &v->of.f32, 4); break;
  case WM_F64: memcpy(&s->i64, &v->of.f64, 8); break;
  default: s->ref = v->of.ref; break;
  }
  return 1;
}

/* Calls host function f with its arguments in slots[0..] and writes its
   results to slots[0..].  inst is the calling instance (NULL from C). */
static aw_errkind vm_call_host(aw_store *s, aw_func *f, aw_slot *slots,
                               aw_instance *inst, aw_error *err) {
  const wm_functype *t = f->type;
  aw_val small[16];
  aw_val *args = small, *res;
  size_t n = (size_t)t->nparams + t->nresults;
  if (n > 16) {
    args = aw_calloc(n, sizeof *args);
    if (!args) {
      aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
              "out of memory calling a host function");
      return AW_ERR_NOMEM;
    }
  }
  res = args + t->nparams;
  for (uint32_t i = 0, k = 0; i < t->nparams; i++)
    k += vm_slot_to_val(&args[i], t->params[i], &slots[k]);
  for (uint32_t i = 0; i < t->nresults; i++) {
    memset(&res[i], 0, sizeof res[i]);
    res[i].kind = (aw_valkind)t->results[i];
  }
  aw_caller caller = {s, inst};
  aw_error_clear(err);
  aw_errkind k = f->host(f->env, &caller, args, res, err);
  if (k != AW_ERR_OUT_OF_FUEL && k != AW_ERR_TIMEOUT && rt_interrupted(s)) {
    /* It returned after the deadline (or an interrupt): whatever it says,
       the call ends here, as a timeout (its results are discarded). */
    aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
            "host function returned after the deadline");
    k = AW_ERR_TIMEOUT;
  }
  if (k == AW_OK) {
    for (uint32_t i = 0, j = 0; i < t->nresults; i++)
      j += vm_val_to_slot(&slots[j], t->results[i], &res[i]);
  } else if (err && err->kind == AW_OK && err->message[0]) {
    err->kind = k; /* the host wrote only its message: keep it */
  } else if (err && err->kind == AW_OK) {
    aw_fail(err, k, UINT64_MAX, "host function failed (%s)",
            aw_errkind_name(k));
  } else if (err && err->kind != k) {
    err->kind = k;
  }
  /* A host trap without a trap kind is a host trap. */
  if (k == AW_ERR_TRAP && err && err->trap == AW_TRAP_NONE)
    err->trap = AW_TRAP_HOST;
  if (args != small) free(args);
  return k;
}

/* ------------------------------------------------------------------ */
/* Bulk operations                                                      */
/* ------------------------------------------------------------------ */

/* Bulk operators and table.grow work in chunks of RT_CHUNK_BYTES bytes or
   RT_CHUNK_ELEMS elements and test the store's interrupt flag between two
   chunks, so that one operation of any size stops within one chunk's time
   of the deadline.  Each returns false when interrupted: the chunks done
   stay written (visible to the host through the memory or table; the
   execution ends with AW_ERR_TIMEOUT anyway), and the operation's fuel,
   charged before the work, stays charged. */

static bool vm_bulk_fill(aw_store *s, uint8_t *d, int v, uint32_t n) {
  while (n > RT_CHUNK_BYTES) {
    memset(d, v, RT_CHUNK_BYTES);
    d += RT_CHUNK_BYTES;
    n -= RT_CHUNK_BYTES;
    if (rt_interrupted(s)) return false;
  }
  memset(d, v, n);
  return true;
}

/* memmove of n bytes in chunks of `chunk`, front to back when the
   destination is below the source and back to front otherwise, so that
   overlapping ranges copy as one memmove would. */
static bool vm_bulk_move(aw_store *s, uint8_t *d, const uint8_t *src, size_t n,
                         size_t chunk) {
  if ((uintptr_t)d <= (uintptr_t)src) {
    while (n > chunk) {
      memmove(d, src, chunk);
      d += chunk;
      src += chunk;
      n -= chunk;
      if (rt_interrupted(s)) return false;
    }
  } else {
    while (n > chunk) {
      n -= chunk;
      memmove(d + n, src + n, chunk);
      if (rt_interrupted(s)) return false;
    }
  }
  memmove(d, src, n);
  return true;
}

static bool vm_table_fill(aw_store *s, void **e, void *v, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) {
    e[k] = v;
    if ((k + 1) % RT_CHUNK_ELEMS == 0 && k + 1 < n && rt_interrupted(s))
      return false;
  }
  return true;
}

static bool vm_table_init(aw_store *s, aw_instance *inst, aw_table *t,
                          const wm_elem *es, uint32_t d, uint32_t sr,
                          uint32_t n) {
  for (uint32_t k = 0; k < n; k++) {
    t->elems[d + k] = rt_elem_item(inst, es, sr + k);
    if ((k + 1) % RT_CHUNK_ELEMS == 0 && k + 1 < n && rt_interrupted(s))
      return false;
  }
  return true;
}

/* ------------------------------------------------------------------ */
/* Fuel map (see cg_code)                                               */
/* ------------------------------------------------------------------ */

/* Index in code's fuel map of the instruction starting at cell, or
   UINT32_MAX. */
static uint32_t vm_fuel_find(const struct cg_code *code, uint32_t cell) {
  uint32_t lo = 0, hi = code->nfuel;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (code->fuel_cell[mid] < cell)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < code->nfuel && code->fuel_cell[lo] == cell ? lo : UINT32_MAX;
}

/* The block charged at cell `at` can pay for only `paid` operators: the
   cell where execution must stop, i.e. the first instruction of the block
   implementing a later operator (or the end of the block). */
static uint32_t vm_fuel_stop(const struct cg_code *code, uint32_t at,
                             uint32_t paid) {
  uint32_t j = vm_fuel_find(code, at);
  if (j == UINT32_MAX) return at + CG_OPW + 1;
  for (j++; j < code->nfuel; j++) {
    uint32_t k = code->fuel_ops[j];
    if ((k & CG_FUEL_CHARGE) || k == 0 || k > paid) return code->fuel_cell[j];
  }
  return code->ncells;
}

/* Fuel charged for operators of the current block after the one that
   trapped at ip. */
static int64_t vm_fuel_refund(const vm_state *st, const struct cg_code *code,
                              const uint32_t *ip) {
  uintptr_t p = (uintptr_t)ip;
  uintptr_t sc = (uintptr_t)st->scratch, cc = (uintptr_t)code->cells;
  if (st->scratch && st->scratch_code == code && p >= sc &&
      p < sc + (uintptr_t)st->scratch_cap * sizeof *ip) {
    uint32_t j = vm_fuel_find(code, st->scratch_from +
                                        (uint32_t)((p - sc) / sizeof *ip));
    if (j == UINT32_MAX || (code->fuel_ops[j] & CG_FUEL_CHARGE)) return 0;
    uint32_t k = code->fuel_ops[j];
    return k < st->scratch_paid ? (int64_t)(st->scratch_paid - k) : 0;
  }
  if (p < cc || p >= cc + (uintptr_t)code->ncells * sizeof *ip) return 0;
  uint32_t j = vm_fuel_find(code, (uint32_t)((p - cc) / sizeof *ip));
  if (j == UINT32_MAX || (code->fuel_ops[j] & CG_FUEL_CHARGE)) return 0;
  uint32_t k = code->fuel_ops[j], c = j;
  while (c > 0 && !(code->fuel_ops[c] & CG_FUEL_CHARGE))
    c--;
  if (!(code->fuel_ops[c] & CG_FUEL_CHARGE) || k == 0) return 0;
  uint32_t n = code->cells[code->fuel_cell[c] + CG_OPW];
  return k < n ? (int64_t)(n - k) : 0;
}

/* ip is a CHARGE or CHARGE_CHECK (2 cells) of code whose block costs more
   than the `paid` operators the fuel left can pay for.  Copies the
   instructions implementing those operators into the state's scratch
   buffer followed by OUT_OF_FUEL, and returns the copy's start (NULL on
   OOM).  The block is straight-line code (branches and calls end blocks),
   so the copy runs as is. */
static const uint32_t *vm_fuel_scratch(vm_state *st, const struct cg_code *code,
                                       const uint32_t *ip, uint32_t paid) {
  uint32_t at = (uint32_t)(ip - code->cells);
  uint32_t stop = vm_fuel_stop(code, at, paid);
  uint32_t from = at + CG_OPW + 1; /* after the charge instruction */
  uint32_t n = stop > from ? stop - from : 0;
  if (n + CG_OPW > st->scratch_cap) {
    uint32_t *p = realloc(st->scratch, ((size_t)n + CG_OPW) * sizeof *p);
    if (!p) return NULL;
    st->scratch = p;
    st->scratch_cap = n + CG_OPW;
  }
  memcpy(st->scratch, ip + CG_OPW + 1, (size_t)n * sizeof *ip);
  cg_set_opcode(st->scratch + n, CG_OP_OUT_OF_FUEL);
  st->scratch_from = from;
  st->scratch_paid = paid;
  st->scratch_code = code;
  return st->scratch;
}

/* Fills err for an execution that stops with ek: a trap of kind trap, or
   text as the message (NULL: err was filled already, by a host). */
static void vm_fail(aw_error *err, aw_errkind ek, aw_trapkind trap,
                    const char *text) {
  if (ek == AW_ERR_TRAP && !text) {
    aw_trap(err, trap);
  } else if (text) {
    aw_fail(err, ek, UINT64_MAX, "%s", text);
    if (err) err->trap = ek == AW_ERR_TRAP ? trap : AW_TRAP_NONE;
  } else if (err && err->kind == AW_OK) {
    err->kind = ek;
  }
}

/* ------------------------------------------------------------------ */
/* The dispatch loop                                                    */
/* ------------------------------------------------------------------ */

/* Runs wasm function f with its arguments in base[0..]; results are left
   in base[0..].  When st is NULL, stores the threading table (handler
   addresses by opcode) in *table instead. */
static aw_errkind vm_run(vm_state *st, aw_store *s, aw_func *f, aw_slot *base,
                         aw_error *err, void *const **table) {
#if CG_THREADED
#define HANDLER_OF(name) &&L_##name,
  static void *const handlers[] = {CG_ALL_OPS(HANDLER_OF)};
#undef HANDLER_OF
  if (!st) {
    *table = handlers;
    return AW_OK;
  }
#define CASE(name) L_##name:
#define NEXT() goto *cg_handler_at(ip)
#else
  if (!st) {
    *table = NULL;
    return AW_OK;
  }
#define CASE(name) case CG_OP_##name:
#define NEXT() goto dispatch
#endif
/* Operand cell k (1-based) of the instruction at ip, and the advance past
   an instruction of n - 1 operand cells. */
#define O(k) ip[(k) + CG_OPW - 1]
#define ADV(n) (ip += (n) + CG_OPW - 1)

  /* Hot state. */
  const uint32_t *ip = st->exit_code;
  aw_slot *fp = base;
  aw_instance *inst = NULL;
  aw_memory *memobj = &vm_nomem;
  const struct cg_code *code = NULL;
  uint8_t *mem = NULL;
  uint64_t memsize = 0;
  int64_t fuel = st->fuel;
  vm_frame *ftop = st->ftop;
  vm_frame *const fbase = st->ftop, *const fend = st->frames_end;
  aw_slot *const send = st->slots_end;

  /* Call setup shared by CALL, CALL_INDIRECT and the entry. */
  aw_func *callee = f;
  aw_slot *nfp = base;
  const uint32_t *ret = st->exit_code;
  aw_trapkind trap = AW_TRAP_NONE;
  const char *fail_text = NULL;
  aw_errkind ek;

#define S(k) fp[O(k)]
#define TRAP(kind)                                                             \
  do {                                                                         \
    trap = AW_TRAP_##kind;                                                     \
    goto trapped;                                                              \
  } while (0)
/* Jumps by the offset in cell k.  Backward jumps go to loop headers and
   do the header's work (fuel charge, interrupt check) at back_edge. */
#define JUMP(k)                                                                \
  do {                                                                         \
    int32_t off_ = (int32_t)O(k);                                              \
    /* signed: k may be unsigned (br_table) and off_ negative */               \
    ip += (ptrdiff_t)(int32_t)(k) + off_ + (CG_OPW - 1);                       \
    if (off_ < 0) goto back_edge;                                              \
    NEXT();                                                                    \
  } while (0)
/* Variable cost of bulk operators (1 per byte or element), charged
   before the work when the code is metered; if the fuel left cannot pay,
   the operator does not run (the rest of its block is refunded). */
#define VAR_FUEL(n)                                                            \
  do {                                                                         \
    if (code->nfuel) {                                                         \
      if (AW_UNLIKELY(fuel < (int64_t)(n))) goto var_out_of_fuel;              \
      fuel -= (int64_t)(n);                                                    \
    }                                                                          \
  } while (0)
/* Runs a C call with the hot state saved in st and reloaded after, so no
   hot variable is live across the call: the compiler may then keep them
   in caller-saved registers (x86-64 has only six callee-saved ones). */
#define CALLOUT(stmt)                                                          \
  do {                                                                         \
    st->hot_ip = ip;                                                           \
    st->hot_fp = fp;                                                           \
    st->hot_inst = inst;                                                       \
    st->hot_memobj = memobj;                                                   \
    st->hot_code = code;                                                       \
    st->ftop = ftop;                                                           \
    st->fuel = fuel;                                                           \
    stmt;                                                                      \
    ip = st->hot_ip;                                                           \
    fp = st->hot_fp;                                                           \
    inst = st->hot_inst;                                                       \
    memobj = st->hot_memobj;                                                   \
    code = st->hot_code;                                                       \
    ftop = st->ftop;                                                           \
    fuel = st->fuel;                                                           \
    RELOAD_MEM();                                                              \
  } while (0)
#define RELOAD_MEM()                                                           \
  do {                                                                         \
    mem = memobj->data;                                                        \
    memsize = memobj->size;                                                    \
  } while (0)

  goto do_call;

#if !CG_THREADED
dispatch:
  switch ((enum cg_opcode) * ip) {
#endif

/* Numeric instructions: d in cell 1, operands in cells 2 (and 3). */
#define UN(name, IN, OUT, EXPR)                                                \
  CASE(name) {                                                                 \
    vm_##IN a = S(2).IN;                                                       \
    S(1).OUT = (EXPR);                                                         \
    ADV(3);                                                                    \
    NEXT();                                                                    \
  }
#define BIN(name, IN, OUT, EXPR)                                               \
  CASE(name) {                                                                 \
    vm_##IN a = S(2).IN, b = S(3).IN;                                          \
    S(1).OUT = (EXPR);                                                         \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }
    typedef uint32_t vm_i32;
    typedef uint64_t vm_i64;
    typedef float vm_f32;
    typedef double vm_f64;

    UN(I32_EQZ, i32, i32, a == 0)
    BIN(I32_EQ, i32, i32, a == b)
    BIN(I32_NE, i32, i32, a != b)
    BIN(I32_LT_S, i32, i32, (int32_t)a < (int32_t)b)
    BIN(I32_LT_U, i32, i32, a < b)
    BIN(I32_GT_S, i32, i32, (int32_t)a > (int32_t)b)
    BIN(I32_GT_U, i32, i32, a > b)
    BIN(I32_LE_S, i32, i32, (int32_t)a <= (int32_t)b)
    BIN(I32_LE_U, i32, i32, a <= b)
    BIN(I32_GE_S, i32, i32, (int32_t)a >= (int32_t)b)
    BIN(I32_GE_U, i32, i32, a >= b)
    UN(I64_EQZ, i64, i32, a == 0)
    BIN(I64_EQ, i64, i32, a == b)
    BIN(I64_NE, i64, i32, a != b)
    BIN(I64_LT_S, i64, i32, (int64_t)a < (int64_t)b)
    BIN(I64_LT_U, i64, i32, a < b)
    BIN(I64_GT_S, i64, i32, (int64_t)a > (int64_t)b)
    BIN(I64_GT_U, i64, i32, a > b)
    BIN(I64_LE_S, i64, i32, (int64_t)a <= (int64_t)b)
    BIN(I64_LE_U, i64, i32, a <= b)
    BIN(I64_GE_S, i64, i32, (int64_t)a >= (int64_t)b)
    BIN(I64_GE_U, i64, i32, a >= b)
    BIN(F32_EQ, f32, i32, a == b)
    BIN(F32_NE, f32, i32, a != b)
    BIN(F32_LT, f32, i32, a < b)
    BIN(F32_GT, f32, i32, a > b)
    BIN(F32_LE, f32, i32, a <= b)
    BIN(F32_GE, f32, i32, a >= b)
    BIN(F64_EQ, f64, i32, a == b)
    BIN(F64_NE, f64, i32, a != b)
    BIN(F64_LT, f64, i32, a < b)
    BIN(F64_GT, f64, i32, a > b)
    BIN(F64_LE, f64, i32, a <= b)
    BIN(F64_GE, f64, i32, a >= b)

    UN(I32_CLZ, i32, i32, vm_clz32(a))
    UN(I32_CTZ, i32, i32, vm_ctz32(a))
    UN(I32_POPCNT, i32, i32, vm_popcnt32(a))
    BIN(I32_ADD, i32, i32, a + b)
    BIN(I32_SUB, i32, i32, a - b)
    BIN(I32_MUL, i32, i32, a * b)
    CASE(I32_DIV_S) {
      uint32_t a = S(2).i32, b = S(3).i32;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      if (a == 0x80000000u && b == 0xFFFFFFFFu) TRAP(INT_OVERFLOW);
      S(1).i32 = (uint32_t)((int32_t)a / (int32_t)b);
      ADV(4);
      NEXT();
    }
    CASE(I32_DIV_U) {
      uint32_t a = S(2).i32, b = S(3).i32;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      S(1).i32 = a / b;
      ADV(4);
      NEXT();
    }
    CASE(I32_REM_S) {
      uint32_t a = S(2).i32, b = S(3).i32;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      S(1).i32 = b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
      ADV(4);
      NEXT();
    }
    CASE(I32_REM_U) {
      uint32_t a = S(2).i32, b = S(3).i32;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      S(1).i32 = a % b;
      ADV(4);
      NEXT();
    }
    BIN(I32_AND, i32, i32, a & b)
    BIN(I32_OR, i32, i32, a | b)
    BIN(I32_XOR, i32, i32, a ^ b)
    BIN(I32_SHL, i32, i32, a << (b & 31))
    BIN(I32_SHR_S, i32, i32, vm_shr_s32(a, b))
    BIN(I32_SHR_U, i32, i32, a >> (b & 31))
    BIN(I32_ROTL, i32, i32, vm_rotl32(a, b))
    BIN(I32_ROTR, i32, i32, vm_rotr32(a, b))

    UN(I64_CLZ, i64, i64, vm_clz64(a))
    UN(I64_CTZ, i64, i64, vm_ctz64(a))
    UN(I64_POPCNT, i64, i64, vm_popcnt64(a))
    BIN(I64_ADD, i64, i64, a + b)
    BIN(I64_SUB, i64, i64, a - b)
    BIN(I64_MUL, i64, i64, a * b)
    CASE(I64_DIV_S) {
      uint64_t a = S(2).i64, b = S(3).i64;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      if (a == 0x8000000000000000u && b == UINT64_MAX) TRAP(INT_OVERFLOW);
      S(1).i64 = (uint64_t)((int64_t)a / (int64_t)b);
      ADV(4);
      NEXT();
    }
    CASE(I64_DIV_U) {
      uint64_t a = S(2).i64, b = S(3).i64;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      S(1).i64 = a / b;
      ADV(4);
      NEXT();
    }
    CASE(I64_REM_S) {
      uint64_t a = S(2).i64, b = S(3).i64;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      S(1).i64 = b == UINT64_MAX ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
      ADV(4);
      NEXT();
    }
    CASE(I64_REM_U) {
      uint64_t a = S(2).i64, b = S(3).i64;
      if (b == 0) TRAP(INT_DIV_BY_ZERO);
      S(1).i64 = a % b;
      ADV(4);
      NEXT();
    }
    BIN(I64_AND, i64, i64, a & b)
    BIN(I64_OR, i64, i64, a | b)
    BIN(I64_XOR, i64, i64, a ^ b)
    BIN(I64_SHL, i64, i64, a << (b & 63))
    BIN(I64_SHR_S, i64, i64, vm_shr_s64(a, b))
    BIN(I64_SHR_U, i64, i64, a >> (b & 63))
    BIN(I64_ROTL, i64, i64, vm_rotl64(a, b))
    BIN(I64_ROTR, i64, i64, vm_rotr64(a, b))

    /* abs, neg and copysign only touch the sign bit, so NaN payloads are
       kept exactly. */
    UN(F32_ABS, i32, i32, a & 0x7FFFFFFFu)
    UN(F32_NEG, i32, i32, a ^ 0x80000000u)
    UN(F32_CEIL, f32, f32, vm_ceilf(a))
    UN(F32_FLOOR, f32, f32, vm_floorf(a))
    UN(F32_TRUNC, f32, f32, vm_truncf(a))
    UN(F32_NEAREST, f32, f32, vm_nearestf(a))
    UN(F32_SQRT, f32, f32, vm_sqrtf(a))
    BIN(F32_ADD, f32, f32, a + b)
    BIN(F32_SUB, f32, f32, a - b)
    BIN(F32_MUL, f32, f32, a * b)
    BIN(F32_DIV, f32, f32, a / b)
    BIN(F32_MIN, f32, f32, vm_fminf(a, b))
    BIN(F32_MAX, f32, f32, vm_fmaxf(a, b))
    BIN(F32_COPYSIGN, i32, i32, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
    UN(F64_ABS, i64, i64, a & 0x7FFFFFFFFFFFFFFFu)
    UN(F64_NEG, i64, i64, a ^ 0x8000000000000000u)
    UN(F64_CEIL, f64, f64, vm_ceil(a))
    UN(F64_FLOOR, f64, f64, vm_floor(a))
    UN(F64_TRUNC, f64, f64, vm_trunc(a))
    UN(F64_NEAREST, f64, f64, vm_nearest(a))
    UN(F64_SQRT, f64, f64, vm_sqrt(a))
    BIN(F64_ADD, f64, f64, a + b)
    BIN(F64_SUB, f64, f64, a - b)
    BIN(F64_MUL, f64, f64, a * b)
    BIN(F64_DIV, f64, f64, a / b)
    BIN(F64_MIN, f64, f64, vm_fmin(a, b))
    BIN(F64_MAX, f64, f64, vm_fmax(a, b))
    BIN(F64_COPYSIGN, i64, i64,
        (a & 0x7FFFFFFFFFFFFFFFu) | (b & 0x8000000000000000u))

    UN(I32_WRAP_I64, i64, i32, (uint32_t)a)
#define TRUNC(name, IN, OUT, FITS, CT)                                         \
  CASE(name) {                                                                 \
    vm_##IN a = S(2).IN;                                                       \
    if (isnan(a)) TRAP(INVALID_CONVERSION);                                    \
    if (!FITS(a)) TRAP(INT_OVERFLOW);                                          \
    S(1).OUT = (vm_##OUT)(CT)a;                                                \
    ADV(3);                                                                    \
    NEXT();                                                                    \
  }
    TRUNC(I32_TRUNC_F32_S, f32, i32, vm_f32_fits_i32, int32_t)
    TRUNC(I32_TRUNC_F32_U, f32, i32, vm_f32_fits_u32, uint32_t)
    TRUNC(I32_TRUNC_F64_S, f64, i32, vm_f64_fits_i32, int32_t)
    TRUNC(I32_TRUNC_F64_U, f64, i32, vm_f64_fits_u32, uint32_t)
    UN(I64_EXTEND_I32_S, i32, i64, (uint64_t)(int64_t)(int32_t)a)
    UN(I64_EXTEND_I32_U, i32, i64, (uint64_t)a)
    TRUNC(I64_TRUNC_F32_S, f32, i64, vm_f32_fits_i64, int64_t)
    TRUNC(I64_TRUNC_F32_U, f32, i64, vm_f32_fits_u64, uint64_t)
    TRUNC(I64_TRUNC_F64_S, f64, i64, vm_f64_fits_i64, int64_t)
    TRUNC(I64_TRUNC_F64_U, f64, i64, vm_f64_fits_u64, uint64_t)
    UN(F32_CONVERT_I32_S, i32, f32, (float)(int32_t)a)
    UN(F32_CONVERT_I32_U, i32, f32, (float)a)
    UN(F32_CONVERT_I64_S, i64, f32, (float)(int64_t)a)
    UN(F32_CONVERT_I64_U, i64, f32, (float)a)
    UN(F32_DEMOTE_F64, f64, f32, (float)a)
    UN(F64_CONVERT_I32_S, i32, f64, (double)(int32_t)a)
    UN(F64_CONVERT_I32_U, i32, f64, (double)a)
    UN(F64_CONVERT_I64_S, i64, f64, (double)(int64_t)a)
    UN(F64_CONVERT_I64_U, i64, f64, (double)a)
    UN(F64_PROMOTE_F32, f32, f64, (double)a)
    UN(I32_REINTERPRET_F32, i32, i32, a)
    UN(I64_REINTERPRET_F64, i64, i64, a)
    UN(F32_REINTERPRET_I32, i32, i32, a)
    UN(F64_REINTERPRET_I64, i64, i64, a)
    UN(I32_EXTEND8_S, i32, i32, (uint32_t)(int32_t)(int8_t)(uint8_t)a)
    UN(I32_EXTEND16_S, i32, i32, (uint32_t)(int32_t)(int16_t)(uint16_t)a)
    UN(I64_EXTEND8_S, i64, i64, (uint64_t)(int64_t)(int8_t)(uint8_t)a)
    UN(I64_EXTEND16_S, i64, i64, (uint64_t)(int64_t)(int16_t)(uint16_t)a)
    UN(I64_EXTEND32_S, i64, i64, (uint64_t)(int64_t)(int32_t)(uint32_t)a)

    UN(I32_TRUNC_SAT_F32_S, f32, i32, vm_sat_f32_i32(a))
    UN(I32_TRUNC_SAT_F32_U, f32, i32, vm_sat_f32_u32(a))
    UN(I32_TRUNC_SAT_F64_S, f64, i32, vm_sat_f64_i32(a))
    UN(I32_TRUNC_SAT_F64_U, f64, i32, vm_sat_f64_u32(a))
    UN(I64_TRUNC_SAT_F32_S, f32, i64, vm_sat_f32_i64(a))
    UN(I64_TRUNC_SAT_F32_U, f32, i64, vm_sat_f32_u64(a))
    UN(I64_TRUNC_SAT_F64_S, f64, i64, vm_sat_f64_i64(a))
    UN(I64_TRUNC_SAT_F64_U, f64, i64, vm_sat_f64_u64(a))

/* Fused forms: an immediate right operand, compare-and-branch. */
#define I32_CMP(X)                                                             \
  X(I32_EQ, a == b)                                                            \
  X(I32_NE, a != b)                                                            \
  X(I32_LT_S, (int32_t)a < (int32_t)b)                                         \
  X(I32_LT_U, a < b)                                                           \
  X(I32_GT_S, (int32_t)a > (int32_t)b)                                         \
  X(I32_GT_U, a > b)                                                           \
  X(I32_LE_S, (int32_t)a <= (int32_t)b)                                        \
  X(I32_LE_U, a <= b) X(I32_GE_S, (int32_t)a >= (int32_t)b) X(I32_GE_U, a >= b)
#define I64_CMP(X)                                                             \
  X(I64_EQ, a == b)                                                            \
  X(I64_NE, a != b)                                                            \
  X(I64_LT_S, (int64_t)a < (int64_t)b)                                         \
  X(I64_LT_U, a < b)                                                           \
  X(I64_GT_S, (int64_t)a > (int64_t)b)                                         \
  X(I64_GT_U, a > b)                                                           \
  X(I64_LE_S, (int64_t)a <= (int64_t)b)                                        \
  X(I64_LE_U, a <= b) X(I64_GE_S, (int64_t)a >= (int64_t)b) X(I64_GE_U, a >= b)
#define I32_ARITH(X)                                                           \
  X(I32_ADD, a + b)                                                            \
  X(I32_MUL, a *b)                                                             \
  X(I32_AND, a &b)                                                             \
  X(I32_OR, a | b)                                                             \
  X(I32_XOR, a ^ b)                                                            \
  X(I32_SHL, a << (b & 31))                                                    \
  X(I32_SHR_S, vm_shr_s32(a, b))                                               \
  X(I32_SHR_U, a >> (b & 31))                                                  \
  X(I32_ROTL, vm_rotl32(a, b)) X(I32_ROTR, vm_rotr32(a, b))
#define I64_ARITH(X)                                                           \
  X(I64_ADD, a + b)                                                            \
  X(I64_MUL, a *b)                                                             \
  X(I64_AND, a &b)                                                             \
  X(I64_OR, a | b)                                                             \
  X(I64_XOR, a ^ b)                                                            \
  X(I64_SHL, a << (b & 63))                                                    \
  X(I64_SHR_S, vm_shr_s64(a, b))                                               \
  X(I64_SHR_U, a >> (b & 63))                                                  \
  X(I64_ROTL, vm_rotl64(a, b)) X(I64_ROTR, vm_rotr64(a, b))
#define F32_CMP(X)                                                             \
  X(F32_EQ, a == b)                                                            \
  X(F32_NE, a != b)                                                            \
  X(F32_LT, a < b) X(F32_GT, a > b) X(F32_LE, a <= b) X(F32_GE, a >= b)
#define F64_CMP(X)                                                             \
  X(F64_EQ, a == b)                                                            \
  X(F64_NE, a != b)                                                            \
  X(F64_LT, a < b) X(F64_GT, a > b) X(F64_LE, a <= b) X(F64_GE, a >= b)
#define F32_NCMP(X)                                                            \
  X(F32_NOT_LT, !(a < b))                                                      \
  X(F32_NOT_GT, !(a > b)) X(F32_NOT_LE, !(a <= b)) X(F32_NOT_GE, !(a >= b))
#define F64_NCMP(X)                                                            \
  X(F64_NOT_LT, !(a < b))                                                      \
  X(F64_NOT_GT, !(a > b)) X(F64_NOT_LE, !(a <= b)) X(F64_NOT_GE, !(a >= b))
#define F32_ARITH(X)                                                           \
  X(F32_ADD, a + b) X(F32_SUB, a - b) X(F32_MUL, a *b) X(F32_DIV, a / b)
#define F64_ARITH(X)                                                           \
  X(F64_ADD, a + b) X(F64_SUB, a - b) X(F64_MUL, a *b) X(F64_DIV, a / b)
/* Immediates: i32/f32 one cell, i64/f64 two (low, high). */
#define IMM_i32(k) O(k)
#define IMM_i64(k) ((uint64_t)O(k) | (uint64_t)O((k) + 1) << 32)
#define IMM_f32(k) vm_f32_of(O(k))
#define IMM_f64(k) vm_f64_of(IMM_i64(k))
#define W_i32 1
#define W_i64 2
#define W_f32 1
#define W_f64 2
#define BIN_IMM(name, IN, OUT, e)                                              \
  CASE(name##_IMM) {                                                           \
    vm_##IN a = S(2).IN, b = IMM_##IN(3);                                      \
    S(1).OUT = (e);                                                            \
    ADV(3 + W_##IN);                                                           \
    NEXT();                                                                    \
  }
#define BR_CMP(name, IN, e)                                                    \
  CASE(BR_##name) {                                                            \
    vm_##IN a = S(1).IN, b = S(2).IN;                                          \
    if (e) JUMP(3);                                                            \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }                                                                            \
  CASE(BR_##name##_IMM) {                                                      \
    vm_##IN a = S(1).IN, b = IMM_##IN(2);                                      \
    if (e) JUMP(2 + W_##IN);                                                   \
    ADV(3 + W_##IN);                                                           \
    NEXT();                                                                    \
  }
#define I32_CMP_IMM(name, e) BIN_IMM(name, i32, i32, e)
#define I64_CMP_IMM(name, e) BIN_IMM(name, i64, i32, e)
#define I32_AR_IMM(name, e) BIN_IMM(name, i32, i32, e)
#define I64_AR_IMM(name, e) BIN_IMM(name, i64, i64, e)
#define F32_CMP_IMM(name, e) BIN_IMM(name, f32, i32, e)
#define F64_CMP_IMM(name, e) BIN_IMM(name, f64, i32, e)
#define F32_AR_IMM(name, e) BIN_IMM(name, f32, f32, e)
#define F64_AR_IMM(name, e) BIN_IMM(name, f64, f64, e)
#define I32_BR(name, e) BR_CMP(name, i32, e)
#define I64_BR(name, e) BR_CMP(name, i64, e)
#define F32_BR(name, e) BR_CMP(name, f32, e)
#define F64_BR(name, e) BR_CMP(name, f64, e)
    I32_CMP(I32_CMP_IMM)
    I64_CMP(I64_CMP_IMM)
    I32_ARITH(I32_AR_IMM)
    I64_ARITH(I64_AR_IMM)
    F32_CMP(F32_CMP_IMM)
    F64_CMP(F64_CMP_IMM)
    F32_ARITH(F32_AR_IMM)
    F64_ARITH(F64_AR_IMM)
    BIN_IMM(F32_RSUB, f32, f32, b - a)
    BIN_IMM(F32_RDIV, f32, f32, b / a)
    BIN_IMM(F64_RSUB, f64, f64, b - a)
    BIN_IMM(F64_RDIV, f64, f64, b / a)
    I32_CMP(I32_BR)
    I64_CMP(I64_BR)
    F32_CMP(F32_BR)
    F64_CMP(F64_BR)
    F32_NCMP(F32_BR)
    F64_NCMP(F64_BR)

/* Memory: the effective address is computed in 64 bits, so
   addr + offset + size never wraps. */
#define LOAD(name, CT, OUT, CONV)                                              \
  CASE(name) {                                                                 \
    uint64_t ea = (uint64_t)S(2).i32 + O(3);                                   \
    if (AW_UNLIKELY(ea + sizeof(CT) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);    \
    CT v;                                                                      \
    memcpy(&v, mem + ea, sizeof v);                                            \
    S(1).OUT = CONV(v);                                                        \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }                                                                            \
  CASE(name##_AI) {                                                            \
    uint64_t ea = (uint64_t)(uint32_t)(S(2).i32 + O(4)) + O(3);                \
    if (AW_UNLIKELY(ea + sizeof(CT) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);    \
    CT v;                                                                      \
    memcpy(&v, mem + ea, sizeof v);                                            \
    S(1).OUT = CONV(v);                                                        \
    ADV(5);                                                                    \
    NEXT();                                                                    \
  }
#define STORE(name, CT, IN)                                                    \
  CASE(name) {                                                                 \
    uint64_t ea = (uint64_t)S(1).i32 + O(3);                                   \
    if (AW_UNLIKELY(ea + sizeof(CT) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);    \
    CT v = (CT)S(2).IN;                                                        \
    memcpy(mem + ea, &v, sizeof v);                                            \
    ADV(4);                                                                    \
    NEXT();                                                                    \
  }                                                                            \
  CASE(name##_AI) {                                                            \
    uint64_t ea = (uint64_t)(uint32_t)(S(1).i32 + O(4)) + O(3);                \
    if (AW_UNLIKELY(ea + sizeof(CT) > memsize)) TRAP(OUT_OF_BOUNDS_MEMORY);    \
    CT v = (CT)S(2).IN;                                                        \
    memcpy(mem + ea, &v, sizeof v);                                            \
    ADV(5);                                                                    \
    NEXT();                                                                    \
  }
#define AS_U32(v) (uint32_t)(v)
#define AS_U64(v) (uint64_t)(v)
#define S8_32(v) (uint32_t)(int32_t)(v)
#define S8_64(v) (uint64_t)(int64_t)(v)
    LOAD(I32_LOAD, uint32_t, i32, AS_U32)
    LOAD(I64_LOAD, uint64_t, i64, AS_U64)
    LOAD(F32_LOAD, uint32_t, i32, AS_U32)
    LOAD(F64_LOAD, uint64_t, i64, AS_U64)
    LOAD(I32_LOAD8_S, int8_t, i32, S8_32)
    LOAD(I32_LOAD8_U, uint8_t, i32, AS_U32)
    LOAD(I32_LOAD16_S, int16_t, i32, S8_32)
    LOAD(I32_LOAD16_U, uint16_t, i32, AS_U32)
    LOAD(I64_LOAD8_S, int8_t, i64, S8_64)
    LOAD(I64_LOAD8_U, uint8_t, i64, AS_U64)
    LOAD(I64_LOAD16_S, int16_t, i64, S8_64)
    LOAD(I64_LOAD16_U, uint16_t, i64, AS_U64)
    LOAD(I64_LOAD32_S, int32_t, i64, S8_64)
    LOAD(I64_LOAD32_U, uint32_t, i64, AS_U64)
    STORE(I32_STORE, uint32_t, i32)
    STORE(I64_STORE, uint64_t, i64)
    STORE(F32_STORE, uint32_t, i32)
    STORE(F64_STORE, uint64_t, i64)
    STORE(I32_STORE8, uint8_t, i32)
    STORE(I32_STORE16, uint16_t, i32)
    STORE(I64_STORE8, uint8_t, i64)
    STORE(I64_STORE16, uint16_t, i64)
    STORE(I64_STORE32, uint32_t, i64)

    CASE(MEMORY_SIZE) {
      S(1).i32 = (uint32_t)(memsize >> 16);
      ADV(2);
      NEXT();
    }
    CASE(MEMORY_GROW) {
      int64_t r;
      CALLOUT(r = rt_memory_grow(memobj, S(2).i32));
      S(1).i32 = (uint32_t)(int32_t)r;
      RELOAD_MEM();
      ADV(3);
      NEXT();
    }
    CASE(MEMORY_FILL) {
      uint32_t d = S(1).i32, n = S(3).i32;
      if ((uint64_t)d + n > memsize) TRAP(OUT_OF_BOUNDS_MEMORY);
      VAR_FUEL(n);
      int v = (int)(uint8_t)S(2).i32;
      bool done = true;
      if (n) CALLOUT(done = vm_bulk_fill(s, mem + d, v, n));
      if (AW_UNLIKELY(!done)) goto interrupted;
      ADV(4);
      NEXT();
    }
    CASE(MEMORY_COPY) {
      uint32_t d = S(1).i32, sr = S(2).i32, n = S(3).i32;
      if ((uint64_t)d + n > memsize || (uint64_t)sr + n > memsize)
        TRAP(OUT_OF_BOUNDS_MEMORY);
      VAR_FUEL(n);
      bool done = true;
      if (n)
        CALLOUT(done = vm_bulk_move(s, mem + d, mem + sr, n, RT_CHUNK_BYTES));
      if (AW_UNLIKELY(!done)) goto interrupted;
      ADV(4);
      NEXT();
    }
    CASE(MEMORY_INIT) {
      uint32_t d = S(1).i32, sr = S(2).i32, n = S(3).i32, seg = O(4);
      const wm_data *ds = &inst->module->m.datas[seg];
      uint64_t len = inst->data_dropped[seg] ? 0 : ds->bytes.len;
      if ((uint64_t)sr + n > len || (uint64_t)d + n > memsize)
        TRAP(OUT_OF_BOUNDS_MEMORY);
      VAR_FUEL(n);
      bool done = true;
      if (n)
        CALLOUT(done = vm_bulk_move(s, mem + d, ds->bytes.p + sr, n,
                                    RT_CHUNK_BYTES));
      if (AW_UNLIKELY(!done)) goto interrupted;
      ADV(5);
      NEXT();
    }
    CASE(DATA_DROP) {
      inst->data_dropped[O(1)] = true;
      ADV(2);
      NEXT();
    }

    /* Tables. */
    CASE(TABLE_GET) {
      aw_table *t = inst->tables[O(3)];
      uint32_t i = S(2).i32;
      if (i >= t->size) TRAP(OUT_OF_BOUNDS_TABLE);
      S(1).ref = t->elems[i];
      ADV(4);
      NEXT();
    }
    CASE(TABLE_SET) {
      aw_table *t = inst->tables[O(3)];
      uint32_t i = S(1).i32;
      if (i >= t->size) TRAP(OUT_OF_BOUNDS_TABLE);
      t->elems[i] = S(2).ref;
      ADV(4);
      NEXT();
    }
    CASE(TABLE_SIZE) {
      S(1).i32 = inst->tables[O(2)]->size;
      ADV(3);
      NEXT();
    }
    CASE(TABLE_GROW) {
      aw_table *t = inst->tables[O(4)];
      int64_t r;
      void *init = S(2).ref;
      uint32_t n = S(3).i32;
      /* A grow past the limits fails without work and costs no per-element
         fuel, so a guest may probe them (as with memory.grow). */
      if (rt_table_can_grow(t, n)) VAR_FUEL(n);
      CALLOUT(r = rt_table_grow_checked(t, n, init, s));
      if (AW_UNLIKELY(r == RT_TABLE_GROW_INTERRUPTED)) goto interrupted;
      S(1).i32 = (uint32_t)(int32_t)r;
      ADV(5);
      NEXT();
    }
    CASE(TABLE_FILL) {
      aw_table *t = inst->tables[O(4)];
      uint32_t i = S(1).i32, n = S(3).i32;
      void *v = S(2).ref;
      if ((uint64_t)i + n > t->size) TRAP(OUT_OF_BOUNDS_TABLE);
      VAR_FUEL(n);
      bool done;
      CALLOUT(done = vm_table_fill(s, t->elems + i, v, n));
      if (AW_UNLIKELY(!done)) goto interrupted;
      ADV(5);
      NEXT();
    }
    CASE(TABLE_COPY) {
      aw_table *dt = inst->tables[O(4)], *stb = inst->tables[O(5)];
      uint32_t d = S(1).i32, sr = S(2).i32, n = S(3).i32;
      if ((uint64_t)d + n > dt->size || (uint64_t)sr + n > stb->size)
        TRAP(OUT_OF_BOUNDS_TABLE);
      VAR_FUEL(n);
      bool done = true;
      if (n)
        CALLOUT(done = vm_bulk_move(s, (uint8_t *)(dt->elems + d),
                                    (const uint8_t *)(stb->elems + sr),
                                    (size_t)n * sizeof(void *),
                                    RT_CHUNK_ELEMS * sizeof(void *)));
      if (AW_UNLIKELY(!done)) goto interrupted;
      ADV(6);
      NEXT();
    }
    CASE(TABLE_INIT) {
      aw_table *t = inst->tables[O(5)];
      uint32_t d = S(1).i32, sr = S(2).i32, n = S(3).i32, seg = O(4);
      const wm_elem *es = &inst->module->m.elems[seg];
      uint64_t len = inst->elem_dropped[seg] ? 0 : es->count;
      if ((uint64_t)sr + n > len || (uint64_t)d + n > t->size)
        TRAP(OUT_OF_BOUNDS_TABLE);
      VAR_FUEL(n);
      bool done;
      CALLOUT(done = vm_table_init(s, inst, t, es, d, sr, n));
      if (AW_UNLIKELY(!done)) goto interrupted;
      ADV(6);
      NEXT();
    }
    CASE(ELEM_DROP) {
      inst->elem_dropped[O(1)] = true;
      ADV(2);
      NEXT();
    }
    CASE(REF_FUNC) {
      S(1).ref = inst->funcs[O(2)];
      ADV(3);
      NEXT();
    }
    CASE(REF_IS_NULL) {
      S(1).i32 = S(2).ref == NULL;
      ADV(3);
      NEXT();
    }

    /* Variables and moves. */
    CASE(COPY) {
      S(1) = S(2);
      ADV(3);
      NEXT();
    }
    CASE(COPY2) {
      S(1) = S(2);
      S(3) = S(4);
      ADV(5);
      NEXT();
    }
    CASE(COPY_N) { /* at most the frame's own slots (compile.c) */
      memmove(&S(1), &S(2), (size_t)O(3) * sizeof(aw_slot));
      ADV(4);
      NEXT();
    }
    CASE(CONST) {
      S(1).i64 = (uint64_t)O(2) | (uint64_t)O(3) << 32;
      ADV(4);
      NEXT();
    }
    CASE(GLOBAL_GET) {
      S(1) = inst->globals[O(2)]->val.s;
      ADV(3);
      NEXT();
    }
    CASE(GLOBAL_SET) {
      inst->globals[O(2)]->val.s = S(1);
      ADV(3);
      NEXT();
    }
    CASE(SELECT) {
      aw_slot r = S(4).i32 ? S(2) : S(3);
      S(1) = r;
      ADV(5);
      NEXT();
    }

    /* Control. */
    CASE(BR) {
      JUMP(1);
      NEXT();
    }
    CASE(BR_IF) {
      if (S(1).i32)
        JUMP(2);
      else
        ADV(3);
      NEXT();
    }
    CASE(BR_UNLESS) {
      if (!S(1).i32)
        JUMP(2);
      else
        ADV(3);
      NEXT();
    }
    CASE(BR_TABLE) {
      uint32_t k = S(1).i32, n = O(2);
      if (k > n) k = n;
      JUMP(3 + k);
      NEXT();
    }
    CASE(UNREACHABLE) {
      TRAP(UNREACHABLE);
    }
    CASE(CHARGE) {
      if (AW_UNLIKELY(fuel < (int64_t)O(1))) goto fuel_short;
      fuel -= O(1);
      ADV(2);
      NEXT();
    }
    CASE(CHECK) {
      if (AW_UNLIKELY(
              atomic_load_explicit(&s->interrupt, memory_order_relaxed)))
        goto interrupted;
      ADV(1);
      NEXT();
    }
    CASE(CHARGE_CHECK) {
      if (AW_UNLIKELY(fuel < (int64_t)O(1))) goto fuel_short;
      if (AW_UNLIKELY(
              atomic_load_explicit(&s->interrupt, memory_order_relaxed)))
        goto interrupted;
      fuel -= O(1);
      ADV(2);
      NEXT();
    }
    CASE(CALL) {
      callee = inst->funcs[O(1)];
      nfp = fp + O(2);
      ret = ip + CG_OPW + 2;
      goto do_call;
    }
    CASE(CALL_INDIRECT) {
      aw_table *t = inst->tables[O(2)];
      uint32_t i = S(4).i32;
      if (i >= t->size) {
        fail_text = "undefined element";
        TRAP(OUT_OF_BOUNDS_TABLE);
      }
      callee = t->elems[i];
      if (!callee) TRAP(UNINITIALIZED_ELEMENT);
      if (callee->type_id != inst->module->type_ids[O(1)])
        TRAP(INDIRECT_CALL_TYPE_MISMATCH);
      nfp = fp + O(3);
      ret = ip + CG_OPW + 4;
      goto do_call;
    }
    CASE(RET) {
      vm_frame *fr = --ftop;
      ip = fr->ret_ip;
      fp = fr->fp;
      inst = fr->inst;
      memobj = fr->mem;
      code = fr->code;
      RELOAD_MEM();
#if CG_THREADED
      /* Metered code continues with the charge of the block after the
         call: do it here when it can be paid, saving a dispatch. */
      if (cg_handler_at(ip) == &&L_CHARGE && fuel >= (int64_t)O(1)) {
        fuel -= O(1);
        ADV(2);
      }
#endif
      NEXT();
    }
    CASE(OUT_OF_FUEL) {
      goto out_of_fuel;
    }
    CASE(EXIT) {
      st->ftop = ftop;
      st->fuel = fuel;
      return AW_OK;
    }

#include "vm/interp_simd.h"

#if !CG_THREADED
  default:
    ek = AW_ERR_INVALID;
    fail_text = "bad internal opcode";
    goto failed;
  }
#endif

do_call:
  if (callee->host) {
    /* No host call once the deadline passed (it could block). */
    if (AW_UNLIKELY(atomic_load_explicit(&s->interrupt, memory_order_relaxed)))
      goto interrupted;
    /* Nested executions (the host calling back into wasm) start above the
       arguments and results. */
    const wm_functype *t = callee->type;
    aw_slot *saved_top = st->top;
    uint32_t np = vm_slots_of(t->params, t->nparams),
             nr = vm_slots_of(t->results, t->nresults);
    st->top = nfp + (np > nr ? np : nr);
    st->ftop = ftop;
    st->fuel = fuel;
    CALLOUT(ek = vm_call_host(s, callee, nfp, inst, err));
    st->top = saved_top;
    fuel = st->fuel;
    if (ek != AW_OK) goto host_failed; /* err filled by the host call */
    RELOAD_MEM();
    ip = ret;
    NEXT();
  } else {
    const struct cg_code *ncode = callee->def ? callee->def->code : NULL;
    if (!ncode) {
      ek = AW_ERR_INVALID;
      fail_text = "function has no compiled code";
      goto failed;
    }
    if (AW_UNLIKELY(ftop == fend ||
                    (size_t)(send - nfp) < (size_t)ncode->frame_slots))
      TRAP(CALL_STACK_EXHAUSTED);
    ftop->ret_ip = ret;
    ftop->fp = fp;
    ftop->inst = inst;
    ftop->mem = memobj;
    ftop->code = code;
    ftop++;
    fp = nfp;
    code = ncode;
    for (aw_slot *l = fp + code->nparams, *e = l + code->nlocals; l < e; l++) {
      l->i64 = 0;
#if defined(__GNUC__)
      /* Keeps the compiler from turning the loop into a memset call. */
      __asm__("" : : "r"(l) : "memory");
#endif
    }
    if (callee->inst != inst) {
      inst = callee->inst;
      memobj = vm_mem_of(inst, code);
      RELOAD_MEM();
    }
    /* The entry CHARGE_CHECK, done here to save a dispatch per call. */
    ip = code->cells;
    if (AW_LIKELY(fuel >= (int64_t)O(1) &&
                  !atomic_load_explicit(&s->interrupt, memory_order_relaxed))) {
      fuel -= O(1);
      ADV(2);
    }
    NEXT();
  }

back_edge:
  /* ip is just after a loop header CHARGE_CHECK n. */
  if (AW_UNLIKELY(fuel < (int64_t)ip[-1])) {
    ip -= CG_OPW + 1;
    goto fuel_short;
  }
  if (AW_UNLIKELY(atomic_load_explicit(&s->interrupt, memory_order_relaxed)))
    goto interrupted;
  fuel -= ip[-1];
  NEXT();
fuel_short : {
  /* ip is a CHARGE or CHARGE_CHECK (2 cells) whose block costs more than
     the fuel left: run a copy of the instructions the fuel pays for, then
     stop (see vm_fuel_scratch). */
  if (fuel <= 0 || !code || !code->nfuel) goto out_of_fuel;
  const uint32_t *nip;
  CALLOUT(nip = vm_fuel_scratch(st, code, ip, (uint32_t)fuel));
  if (!nip) {
    ek = AW_ERR_NOMEM;
    fail_text = "out of memory metering the last block";
    goto failed;
  }
  fuel = 0;
  ip = nip;
  NEXT();
}
trapped:
  st->fuel = fuel;
  if (code && code->nfuel) st->fuel += vm_fuel_refund(st, code, ip);
  ek = AW_ERR_TRAP;
  goto stopped;
var_out_of_fuel:
  /* The operators of the block after the unpaid one did not run. */
  fuel += vm_fuel_refund(st, code, ip);
out_of_fuel:
  ek = AW_ERR_OUT_OF_FUEL;
  fail_text = "all fuel consumed";
  goto failed;
interrupted:
  ek = AW_ERR_TIMEOUT;
  fail_text = "execution interrupted: deadline exceeded";
  goto failed;
failed:
  st->fuel = fuel;
stopped:
  /* Nothing of the hot state is used past this point. */
  st->ftop = fbase;
  vm_fail(err, ek, trap, fail_text);
  return ek;
host_failed:
  st->fuel = fuel;
  st->ftop = fbase;
  return ek;
#undef S
#undef TRAP
#undef CASE
#undef NEXT
}

void *const *vm_handlers(void) {
  void *const *t = NULL;
  vm_run(NULL, NULL, NULL, NULL, NULL, &t);
  return t;
}

/* ------------------------------------------------------------------ */
/* Entry                                                                */
/* ------------------------------------------------------------------ */

aw_errkind vm_call(aw_store *s, aw_func *f, const aw_slot *args,
                   aw_slot *results, aw_error *err) {
  if (!s || !f) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "vm_call: no store or function");
    return AW_ERR_ARGUMENT;
  }
  const wm_functype *t = f->type;
  uint32_t np = vm_slots_of(t->params, t->nparams),
           nr = vm_slots_of(t->results, t->nresults);
  uint32_t nslots = np > nr ? np : nr;
  vm_state *st = vm_state_get(s, err);
  if (!st) return err ? err->kind : AW_ERR_NOMEM;
  if (st->depth >= VM_MAX_NESTING ||
      (size_t)(st->slots_end - st->top) < nslots) {
    aw_trap(err, AW_TRAP_CALL_STACK_EXHAUSTED);
    return AW_ERR_TRAP;
  }
  if (rt_interrupted(s)) {
    aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
            "execution interrupted: deadline exceeded");
    return AW_ERR_TIMEOUT;
  }
  aw_slot *base = st->top;
  for (uint32_t i = 0; i < np; i++)
    base[i] = args[i];
  aw_errkind k;
  st->depth++;
  if (f->host) {
    aw_slot *saved = st->top;
    st->top = base + nslots;
    k = vm_call_host(s, f, base, NULL, err);
    st->top = saved;
  } else {
    k = vm_run(st, s, f, base, err, NULL);
  }
  st->depth--;
  if (k == AW_OK && rt_interrupted(s)) {
    /* The deadline passed before the call ended: a timeout too. */
    aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
            "execution interrupted: deadline exceeded");
    k = AW_ERR_TIMEOUT;
  }
  if (k == AW_OK)
    for (uint32_t i = 0; i < nr; i++)
      results[i] = base[i];
  return k;
}
