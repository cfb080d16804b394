/* test_vm.c - the code generator and interpreter, driven directly with
   hand-built instruction sequences (no decoder or validator needed). */
#include "compile/code.h"
#include "compile/compile.h"
#include "runtime.h"
#include "test.h"
#include "util/util.h"
#include "vm/vm.h"
#include "vm/vm_num.h"
#include "vm/vm_state.h"
#include <math.h>
#include <stdlib.h>

/* A tiny module: up to 8 functions sharing a few types, and a store with
   one instance holding them. */
typedef struct tmod {
  wm_module m;
  wm_functype types[8];
  uint8_t tbytes[8][8];
  uint32_t func_types[8];
  wm_func funcs[8];
  aw_func afuncs[8];
  aw_func *funcp[8];
  aw_module amod;
  uint32_t type_ids[8];
  aw_instance inst;
  aw_store store;
  aw_memory mem;
  aw_memory *memp;
  uint8_t membytes[65536];
} tmod;

static tmod *tmod_new(void) {
  tmod *t = calloc(1, sizeof *t);
  t->m.types = t->types;
  t->m.func_types = t->func_types;
  t->m.funcs = t->funcs;
  t->amod.type_ids = t->type_ids;
  t->inst.module = &t->amod;
  t->inst.funcs = t->funcp;
  t->inst.store = &t->store;
  t->mem.data = t->membytes;
  t->mem.size = sizeof t->membytes;
  t->memp = &t->mem;
  t->inst.mems = &t->memp;
  return t;
}

/* Adds a type "params -> results" given as strings of 'i' (i32), 'I'
   (i64), 'f' (f32), 'F' (f64). */
static uint32_t tmod_type(tmod *t, const char *params, const char *results) {
  uint32_t k = t->m.ntypes++;
  wm_functype *ft = &t->types[k];
  uint8_t *b = t->tbytes[k];
  ft->params = b;
  for (const char *p = params; *p; p++)
    *b++ = *p == 'i'   ? WM_I32
           : *p == 'I' ? WM_I64
           : *p == 'f' ? WM_F32
                       : WM_F64;
  ft->nparams = (uint32_t)(b - ft->params);
  ft->results = b;
  for (const char *p = results; *p; p++)
    *b++ = *p == 'i'   ? WM_I32
           : *p == 'I' ? WM_I64
           : *p == 'f' ? WM_F32
                       : WM_F64;
  ft->nresults = (uint32_t)(b - ft->results);
  t->type_ids[k] = k;
  return k;
}

static uint32_t tmod_func(tmod *t, uint32_t type, uint32_t nlocals,
                          uint8_t ltype) {
  uint32_t k = t->m.nfuncs++;
  t->func_types[k] = type;
  t->funcs[k].type_idx = type;
  t->funcs[k].nlocals = nlocals;
  t->funcs[k].local_types = malloc(nlocals + 1);
  memset(t->funcs[k].local_types, ltype, nlocals);
  t->afuncs[k].type_id = type;
  t->afuncs[k].type = &t->types[type];
  t->afuncs[k].inst = &t->inst;
  t->afuncs[k].def = &t->funcs[k];
  t->funcp[k] = &t->afuncs[k];
  return k;
}

static void tmod_free(tmod *t) {
  for (uint32_t i = 0; i < t->m.nfuncs; i++) {
    cg_code_free(t->funcs[i].code);
    free(t->funcs[i].local_types);
  }
  vm_store_free(&t->store);
  free(t);
}

/* Instructions. */
#define OP(o) ((wm_instr){.op = (o)})
#define OPA(o, x) ((wm_instr){.op = (o), .a = (x)})
#define I32(v) ((wm_instr){.op = 0x41, .imm = (uint64_t)(int64_t)(v)})
#define I64(v) ((wm_instr){.op = 0x42, .imm = (uint64_t)(v)})
#define BLOCK(o, np, nr)                                                       \
  ((wm_instr){.op = (o), .bt_nparams = (np), .bt_nresults = (nr)})
#define LOCAL_GET(i) OPA(0x20, i)
#define LOCAL_SET(i) OPA(0x21, i)
#define LOCAL_TEE(i) OPA(0x22, i)
#define END OP(0x0B)

/* Compiles function f from ins[0..n) with fuel charges if fuel. */
static int tmod_compile(tmod *t, uint32_t f, const wm_instr *ins, size_t n,
                        bool fuel, aw_error *err) {
  cg_options o = {.fuel = fuel};
  cg_func *cg = cg_func_begin(&t->m, f, &o, err);
  if (!cg) return -1;
  for (size_t i = 0; i < n; i++) {
    if (cg_instr(cg, &ins[i], NULL, err) < 0) {
      cg_func_abort(cg);
      return -1;
    }
  }
  return cg_func_end(cg, &t->funcs[f].code, err);
}

#define COMPILE(t, f, fuel, ...)                                               \
  do {                                                                         \
    const wm_instr code_[] = {__VA_ARGS__};                                    \
    aw_error e_;                                                               \
    aw_error_clear(&e_);                                                       \
    int r_ =                                                                   \
        tmod_compile(t, f, code_, sizeof code_ / sizeof code_[0], fuel, &e_);  \
    if (r_ != 0) fprintf(stderr, "  compile: %s\n", e_.message);               \
    CHECK_EQ_INT(r_, 0);                                                       \
  } while (0)

static aw_errkind call2(tmod *t, uint32_t f, uint64_t a, uint64_t b,
                        aw_slot *res, aw_error *err) {
  aw_slot args[2] = {{.i64 = a}, {.i64 = b}};
  aw_error_clear(err);
  return vm_call(&t->store, &t->afuncs[f], args, res, err);
}

TEST(vm_add_params) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "ii", "i");
  uint32_t f = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, false, LOCAL_GET(0), LOCAL_GET(1), OP(0x6A), END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 40, 2, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 42);
  CHECK_EQ_INT(call2(t, f, 0xFFFFFFFFu, 2, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 1);
  tmod_free(t);
}

TEST(vm_div_traps) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "ii", "i");
  uint32_t ds = tmod_func(t, ty, 0, 0), rs = tmod_func(t, ty, 0, 0);
  COMPILE(t, ds, false, LOCAL_GET(0), LOCAL_GET(1), OP(0x6D), END);
  COMPILE(t, rs, false, LOCAL_GET(0), LOCAL_GET(1), OP(0x6F), END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, ds, 7, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_INT_DIV_BY_ZERO);
  CHECK_STR(e.message, "integer divide by zero");
  CHECK_EQ_INT(call2(t, ds, 0x80000000u, 0xFFFFFFFFu, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_INT_OVERFLOW);
  CHECK_EQ_INT(call2(t, rs, 0x80000000u, 0xFFFFFFFFu, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 0);
  CHECK_EQ_INT(call2(t, ds, (uint32_t)-7, 2, r, &e), AW_OK);
  CHECK_EQ_INT((int32_t)r[0].i32, -3);
  tmod_free(t);
}

/* fac(n) = n == 0 ? 1 : n * fac(n - 1), recursive, i64. */
TEST(vm_recursive_factorial) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "I", "I");
  uint32_t f = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, false, LOCAL_GET(0), OP(0x50), BLOCK(0x04, 0, 1), I64(1),
          OP(0x05), LOCAL_GET(0), LOCAL_GET(0), I64(1), OP(0x7D), OPA(0x10, f),
          OP(0x7E), END, END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 20, 0, r, &e), AW_OK);
  CHECK(r[0].i64 == 2432902008176640000ull);
  tmod_free(t);
}

/* Iterative sum 1..n with a loop, br_if and local.tee. */
TEST(vm_loop_sum) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "i", "i");
  uint32_t f = tmod_func(t, ty, 1, WM_I32);
  for (int fuel = 0; fuel < 2; fuel++) {
    COMPILE(t, f, fuel, BLOCK(0x02, 0, 0), BLOCK(0x03, 0, 0), LOCAL_GET(0),
            OP(0x45), OPA(0x0D, 1), LOCAL_GET(1), LOCAL_GET(0), OP(0x6A),
            LOCAL_SET(1), LOCAL_GET(0), I32(1), OP(0x6B), LOCAL_TEE(0),
            OPA(0x0D, 0), END, END, LOCAL_GET(1), END);
    aw_slot r[1];
    aw_error e;
    CHECK_EQ_INT(call2(t, f, 100, 0, r, &e), AW_OK);
    CHECK_EQ_INT(r[0].i32, 5050);
    CHECK_EQ_INT(call2(t, f, 0, 0, r, &e), AW_OK);
    CHECK_EQ_INT(r[0].i32, 0);
    cg_code_free(t->funcs[f].code);
    t->funcs[f].code = NULL;
  }
  tmod_free(t);
}

/* local.get 0; local.get 1; local.set 0; local.set 1: swap needs the
   pending read of local 0 materialized before the first set. */
TEST(vm_swap_locals) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "ii", "ii");
  uint32_t f = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, false, LOCAL_GET(0), LOCAL_GET(1), LOCAL_SET(0), LOCAL_SET(1),
          LOCAL_GET(0), LOCAL_GET(1), END);
  aw_slot r[2];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 1, 2, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 2);
  CHECK_EQ_INT(r[1].i32, 1);
  /* Returning (local 1, local 0) must not clobber local 0 first. */
  uint32_t g = tmod_func(t, ty, 0, 0);
  COMPILE(t, g, false, LOCAL_GET(1), LOCAL_GET(0), END);
  CHECK_EQ_INT(call2(t, g, 1, 2, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 2);
  CHECK_EQ_INT(r[1].i32, 1);
  tmod_free(t);
}

/* br_table with a multi-value block result and a default. */
TEST(vm_br_table) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "i", "i");
  uint32_t f = tmod_func(t, ty, 0, 0);
  static const uint32_t labels[] = {0, 1, 2, 1};
  wm_instr bt = {.op = 0x0E, .labels = labels, .nlabels = 3};
  COMPILE(t, f, false, BLOCK(0x02, 0, 1), BLOCK(0x02, 0, 1), BLOCK(0x02, 0, 1),
          I32(100), LOCAL_GET(0), bt, END, I32(1), OP(0x6A), OPA(0x0C, 1), END,
          I32(2), OP(0x6A), END, END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 0, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 101);
  CHECK_EQ_INT(call2(t, f, 1, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 102);
  CHECK_EQ_INT(call2(t, f, 2, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 100);
  CHECK_EQ_INT(call2(t, f, 77, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 102);
  tmod_free(t);
}

/* Unbounded recursion traps (frames), and so do huge frames (slots). */
TEST(vm_stack_exhaustion) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "", "");
  uint32_t f = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, false, OPA(0x10, 0), END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 0, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  /* The store is usable again afterwards. */
  uint32_t ty2 = tmod_type(t, "ii", "i");
  uint32_t g = tmod_func(t, ty2, 5000, WM_I64);
  COMPILE(t, g, false, LOCAL_GET(0), LOCAL_GET(1), OP(0x6A), END);
  CHECK_EQ_INT(call2(t, g, 1, 2, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 3);
  uint32_t h = tmod_func(t, ty, 5000, WM_I64);
  COMPILE(t, h, false, OPA(0x10, 2), END);
  CHECK_EQ_INT(call2(t, h, 0, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  tmod_free(t);
}

/* Loads and stores, with the bounds check on addr + offset + size. */
TEST(vm_memory_bounds) {
  tmod *t = tmod_new();
  t->m.nmems = 1;
  uint32_t ty = tmod_type(t, "ii", "i");
  uint32_t st = tmod_func(t, ty, 0, 0), ld = tmod_func(t, ty, 0, 0);
  wm_instr store = {.op = 0x36, .b = 4}, load = {.op = 0x28, .b = 4};
  COMPILE(t, st, false, LOCAL_GET(0), LOCAL_GET(1), store, I32(0), END);
  COMPILE(t, ld, false, LOCAL_GET(0), load, END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, st, 100, 0xDEADBEEF, r, &e), AW_OK);
  CHECK_EQ_INT(call2(t, ld, 100, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 0xDEADBEEF);
  CHECK_EQ_INT(call2(t, ld, 65532, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_OUT_OF_BOUNDS_MEMORY);
  CHECK_EQ_INT(call2(t, ld, 65528, 0, r, &e), AW_OK);
  CHECK_EQ_INT(call2(t, ld, 0xFFFFFFFF, 0, r, &e), AW_ERR_TRAP);
  tmod_free(t);
}

/* Fuel: a loop of known cost runs out at a deterministic point. */
TEST(vm_fuel_charges) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "i", "i");
  uint32_t f = tmod_func(t, ty, 0, 0);
  /* loop: local.get 0; i32.const 1; i32.sub; local.tee 0; br_if 0 (5 ops
     per iteration); then local.get 0 (1 op); entering costs 1. */
  COMPILE(t, f, true, BLOCK(0x03, 0, 0), LOCAL_GET(0), I32(1), OP(0x6B),
          LOCAL_TEE(0), OPA(0x0D, 0), END, LOCAL_GET(0), END);
  vm_state *st = vm_state_get(&t->store, NULL);
  CHECK(st != NULL);
  aw_slot r[1];
  aw_error e;
  st->fuel = 52;
  CHECK_EQ_INT(call2(t, f, 10, 0, r, &e), AW_OK);
  CHECK_EQ_INT(st->fuel, 0);
  st->fuel = 51;
  CHECK_EQ_INT(call2(t, f, 10, 0, r, &e), AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(st->fuel, 0);
  /* The last iteration pays for 4 of its 5 operators: they run, the
     br_if does not. */
  st->fuel = 50;
  CHECK_EQ_INT(call2(t, f, 10, 0, r, &e), AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(st->fuel, 0);
  tmod_free(t);
}

/* Out of fuel inside a block: exactly the operators paid for run. */
TEST(vm_fuel_partial_block) {
  tmod *t = tmod_new();
  t->m.nmems = 1;
  uint32_t ty = tmod_type(t, "", "");
  uint32_t f = tmod_func(t, ty, 0, 0);
  wm_instr store = {.op = 0x36};
  /* Three stores of 3 operators each: 0 <- 11, 4 <- 22, 8 <- 33, after
     the entry's 1. */
  COMPILE(t, f, true, I32(0), I32(11), store, I32(4), I32(22), store, I32(8),
          I32(33), store, END);
  vm_state *st = vm_state_get(&t->store, NULL);
  aw_slot r[1];
  aw_error e;
  for (int64_t budget = 0; budget <= 10; budget++) {
    memset(t->membytes, 0, 16);
    st->fuel = budget;
    aw_errkind k = call2(t, f, 0, 0, r, &e);
    CHECK_EQ_INT(k, budget == 10 ? AW_OK : AW_ERR_OUT_OF_FUEL);
    CHECK_EQ_INT(st->fuel, 0);
    CHECK_EQ_INT(t->membytes[0], budget >= 4 ? 11 : 0);
    CHECK_EQ_INT(t->membytes[4], budget >= 7 ? 22 : 0);
    CHECK_EQ_INT(t->membytes[8], budget >= 10 ? 33 : 0);
  }
  tmod_free(t);
}

/* A trap refunds the operators of its block that did not run. */
TEST(vm_fuel_trap_refund) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "ii", "i");
  uint32_t f = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, true, LOCAL_GET(0), LOCAL_GET(1), OP(0x6D), I32(1), OP(0x6A),
          I32(2), OP(0x6C), END);
  vm_state *st = vm_state_get(&t->store, NULL);
  aw_slot r[1];
  aw_error e;
  st->fuel = 100;
  CHECK_EQ_INT(call2(t, f, 7, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(st->fuel, 96);
  st->fuel = 100;
  CHECK_EQ_INT(call2(t, f, 7, 1, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 16);
  CHECK_EQ_INT(st->fuel, 92);
  /* Trap inside a partially paid block: entry + 4 paid, trap at the 3rd
     operator. */
  st->fuel = 5;
  CHECK_EQ_INT(call2(t, f, 7, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(st->fuel, 1);
  tmod_free(t);
}

/* The interrupt flag stops a loop that would never end. */
TEST(vm_interrupt) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "", "");
  uint32_t f = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, false, BLOCK(0x03, 0, 0), OPA(0x0C, 0), END, END);
  atomic_store(&t->store.interrupt, 1);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 0, 0, r, &e), AW_ERR_TIMEOUT);
  tmod_free(t);
}

/* Float semantics: min/max with -0 and NaN, nearest, bit-exact neg. */
TEST(vm_float_semantics) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "FF", "F");
  uint32_t mn = tmod_func(t, ty, 0, 0), mx = tmod_func(t, ty, 0, 0);
  uint32_t ty1 = tmod_type(t, "F", "F");
  uint32_t ne = tmod_func(t, ty1, 0, 0), ng = tmod_func(t, ty1, 0, 0);
  COMPILE(t, mn, false, LOCAL_GET(0), LOCAL_GET(1), OP(0xA4), END);
  COMPILE(t, mx, false, LOCAL_GET(0), LOCAL_GET(1), OP(0xA5), END);
  COMPILE(t, ne, false, LOCAL_GET(0), OP(0x9E), END);
  COMPILE(t, ng, false, LOCAL_GET(0), OP(0x9A), END);
  aw_slot a, b, r[1];
  aw_error e;
  a.f64 = 0.0;
  b.f64 = -0.0;
  CHECK_EQ_INT(call2(t, mn, a.i64, b.i64, r, &e), AW_OK);
  CHECK(r[0].i64 == 0x8000000000000000ull);
  CHECK_EQ_INT(call2(t, mx, b.i64, a.i64, r, &e), AW_OK);
  CHECK(r[0].i64 == 0);
  a.i64 = 0x7FF4000000000001ull; /* signalling NaN */
  CHECK_EQ_INT(call2(t, ng, a.i64, 0, r, &e), AW_OK);
  CHECK(r[0].i64 == 0xFFF4000000000001ull);
  b.f64 = 1.0;
  CHECK_EQ_INT(call2(t, mn, b.i64, a.i64, r, &e), AW_OK);
  CHECK(isnan(r[0].f64));
  a.f64 = 2.5;
  CHECK_EQ_INT(call2(t, ne, a.i64, 0, r, &e), AW_OK);
  CHECK(r[0].f64 == 2.0);
  a.f64 = -3.5;
  CHECK_EQ_INT(call2(t, ne, a.i64, 0, r, &e), AW_OK);
  CHECK(r[0].f64 == -4.0);
  tmod_free(t);
}

/* The library-free rounding, sqrt and bit-count helpers agree with libm
   and simple loops on random bit patterns (NaNs: any quiet NaN). */
static uint64_t test_rng(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static bool same_f64(double a, double b) {
  if (isnan(a) || isnan(b)) {
    uint64_t ba;
    memcpy(&ba, &a, 8);
    return isnan(a) && isnan(b) && (ba & 0x0008000000000000ull);
  }
  return memcmp(&a, &b, 8) == 0;
}

static bool same_f32(float a, float b) {
  if (isnan(a) || isnan(b)) {
    uint32_t ba;
    memcpy(&ba, &a, 4);
    return isnan(a) && isnan(b) && (ba & 0x00400000u);
  }
  return memcmp(&a, &b, 4) == 0;
}

TEST(vm_num_helpers) {
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  int bad = 0;
  for (int i = 0; i < 200000; i++) {
    uint64_t bits = test_rng(&seed);
    /* Bias towards small magnitudes and halves, where rounding is hard. */
    if (i % 3 == 0)
      bits = (bits & 0x800FFFFFFFFFFFFFull) | (uint64_t)(1013 + i % 45) << 52;
    double d;
    memcpy(&d, &bits, 8);
    if (i % 7 == 0) d = (double)(int64_t)(bits % 2001) / 2.0 - 500.0;
    bad += !same_f64(vm_ceil(d), ceil(d));
    bad += !same_f64(vm_floor(d), floor(d));
    bad += !same_f64(vm_trunc(d), trunc(d));
    bad += !same_f64(vm_nearest(d), nearbyint(d));
    bad += !same_f64(vm_sqrt(d), sqrt(d));
    uint32_t fb = (uint32_t)bits;
    if (i % 3 == 0) fb = (fb & 0x807FFFFFu) | (uint32_t)(120 + i % 30) << 23;
    float f;
    memcpy(&f, &fb, 4);
    if (i % 7 == 0) f = (float)(int32_t)(fb % 2001) / 2.0f - 500.0f;
    bad += !same_f32(vm_ceilf(f), ceilf(f));
    bad += !same_f32(vm_floorf(f), floorf(f));
    bad += !same_f32(vm_truncf(f), truncf(f));
    bad += !same_f32(vm_nearestf(f), nearbyintf(f));
    bad += !same_f32(vm_sqrtf(f), sqrtf(f));
    uint64_t n = 0;
    for (uint64_t x = bits; x; x &= x - 1)
      n++;
    bad += vm_popcnt64(bits) != n;
    n = 0;
    for (uint32_t x = (uint32_t)bits; x; x &= x - 1)
      n++;
    bad += vm_popcnt32((uint32_t)bits) != n;
  }
  CHECK_EQ_INT(bad, 0);
  /* Signalling NaNs come back quiet. */
  uint32_t snan = 0x7FA00000u;
  float fs;
  memcpy(&fs, &snan, 4);
  uint32_t out;
  float r = vm_floorf(fs);
  memcpy(&out, &r, 4);
  CHECK((out & 0x7FC00000u) == 0x7FC00000u);
}

#define F64C(v) ((wm_instr){.op = 0x44, .imm = f64_bits(v)})
static uint64_t f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

/* Addresses computed as x + c: the add wraps at 32 bits before the offset
   is added, and a pending x + c reads x's value from before a local.set. */
TEST(vm_address_plus_constant) {
  tmod *t = tmod_new();
  t->m.nmems = 1;
  uint32_t ty = tmod_type(t, "i", "i");
  uint32_t f = tmod_func(t, ty, 0, 0), g = tmod_func(t, ty, 0, 0);
  wm_instr load = {.op = 0x28, .b = 2}, store = {.op = 0x36, .b = 0};
  COMPILE(t, f, false, LOCAL_GET(0), I32(8), OP(0x6A), load, END);
  COMPILE(t, g, false, LOCAL_GET(0), I32(4), OP(0x6A), I32(100), LOCAL_SET(0),
          LOCAL_GET(0), I32(-96), OP(0x6A), I32(77), store, load, END);
  memcpy(t->membytes + 6, "\x11\x22\x33\x44", 4);
  aw_slot r[1];
  aw_error e;
  /* 0xFFFFFFFE + 8 wraps to 6; + offset 2 = 8..11. */
  memcpy(t->membytes + 8, "\x01\x02\x03\x04", 4);
  CHECK_EQ_INT(call2(t, f, 0xFFFFFFFEu, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 0x04030201);
  CHECK_EQ_INT(call2(t, f, 65530, 0, r, &e), AW_ERR_TRAP);
  /* g(0): stores 77 at 100 - 96 = 4, then loads at (0 + 4) + 2 = 6. */
  memset(t->membytes, 0, 16);
  CHECK_EQ_INT(call2(t, g, 0, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 0);
  CHECK_EQ_INT(t->membytes[4], 77);
  /* g(-2): the store is still at 4; the load at (-2 + 4) + 2 = 4. */
  CHECK_EQ_INT(call2(t, g, 0xFFFFFFFEu, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 77);
  tmod_free(t);
}

/* Float compare-and-branch, both polarities, with NaN operands. */
TEST(vm_float_branches) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "F", "i");
  uint32_t f = tmod_func(t, ty, 0, 0), g = tmod_func(t, ty, 0, 0);
  /* f: if (x < 1.0) 1 else 0 */
  COMPILE(t, f, false, LOCAL_GET(0), F64C(1.0), OP(0x63), BLOCK(0x04, 0, 1),
          I32(1), OP(0x05), I32(0), END, END);
  /* g: block (result i32) i32.const 1; x >= 2.0 br_if 0; drop; i32.const 0
     end */
  COMPILE(t, g, false, BLOCK(0x02, 0, 1), I32(1), LOCAL_GET(0), F64C(2.0),
          OP(0x66), OPA(0x0D, 0), OP(0x1A), I32(0), END, END);
  aw_slot r[1];
  aw_error e;
  double in[] = {0.5, 1.0, 2.0, 3.0, NAN, -INFINITY};
  int want_f[] = {1, 0, 0, 0, 0, 1}, want_g[] = {0, 0, 1, 1, 0, 0};
  for (int i = 0; i < 6; i++) {
    CHECK_EQ_INT(call2(t, f, f64_bits(in[i]), 0, r, &e), AW_OK);
    CHECK_EQ_INT(r[0].i32, want_f[i]);
    CHECK_EQ_INT(call2(t, g, f64_bits(in[i]), 0, r, &e), AW_OK);
    CHECK_EQ_INT(r[0].i32, want_g[i]);
  }
  tmod_free(t);
}

/* Immediate operands: 64-bit constants, constant left operands. */
TEST(vm_immediates) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "I", "I"), tf = tmod_type(t, "F", "F");
  uint32_t f = tmod_func(t, ty, 0, 0), g = tmod_func(t, tf, 0, 0);
  uint32_t h = tmod_func(t, ty, 0, 0);
  COMPILE(t, f, false, LOCAL_GET(0), I64(0x123456789ABCDEF0ull), OP(0x7C), END);
  COMPILE(t, g, false, F64C(10.0), LOCAL_GET(0), OP(0xA1), F64C(4.0),
          LOCAL_GET(0), OP(0xA3), OP(0xA0), END);
  /* h: (x - 0x8000000000000000) as add, and 5 - x */
  COMPILE(t, h, false, LOCAL_GET(0), I64(0x8000000000000000ull), OP(0x7D),
          I64(5), LOCAL_GET(0), OP(0x7D), OP(0x7E), END);
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 0x10, 0, r, &e), AW_OK);
  CHECK(r[0].i64 == 0x123456789ABCDF00ull);
  CHECK_EQ_INT(call2(t, g, f64_bits(2.0), 0, r, &e), AW_OK);
  CHECK(r[0].f64 == 10.0); /* (10 - 2) + 4 / 2 */
  CHECK_EQ_INT(call2(t, h, 3, 0, r, &e), AW_OK);
  CHECK(r[0].i64 == (0x8000000000000003ull * 2ull)); /* wraps */
  tmod_free(t);
}

/* br_table to a loop (a backward jump) and out of it: sum of i for i in
   n..1, with the table choosing between continue (0) and exit (1). */
TEST(vm_br_table_backward) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "i", "i");
  uint32_t f = tmod_func(t, ty, 1, WM_I32);
  static const uint32_t labels[] = {0, 1, 0};
  wm_instr bt = {.op = 0x0E, .labels = labels, .nlabels = 2};
  for (int fuel = 0; fuel < 2; fuel++) {
    COMPILE(t, f, fuel, BLOCK(0x02, 0, 0), BLOCK(0x03, 0, 0), LOCAL_GET(1),
            LOCAL_GET(0), OP(0x6A), LOCAL_SET(1), LOCAL_GET(0), I32(1),
            OP(0x6B), LOCAL_TEE(0), OP(0x45), bt, END, END, LOCAL_GET(1), END);
    aw_slot r[1];
    aw_error e;
    CHECK_EQ_INT(call2(t, f, 10, 0, r, &e), AW_OK);
    CHECK_EQ_INT(r[0].i32, 55);
    cg_code_free(t->funcs[f].code);
    t->funcs[f].code = NULL;
  }
  tmod_free(t);
}

/* Host functions: typed arguments and results, re-entry into wasm from a
   host function, and a host error aborting the whole call chain. */
typedef struct host_env {
  tmod *t;
  uint32_t callback; /* wasm function the host calls back */
  int calls;
} host_env;

static aw_errkind host_mix(void *env, aw_caller *caller, const aw_val *args,
                           aw_val *results, aw_error *err) {
  host_env *h = env;
  h->calls++;
  if (args[0].of.i32 < 0) {
    aw_fail(err, AW_ERR_TRAP, UINT64_MAX, "host refused %d", args[0].of.i32);
    err->trap = AW_TRAP_HOST;
    return AW_ERR_TRAP;
  }
  /* Call back into wasm: callback(x) = x * 2. */
  aw_slot a[2] = {{.i32 = (uint32_t)args[0].of.i32}, {0}}, r[1];
  aw_errkind k = vm_call(caller->store, &h->t->afuncs[h->callback], a, r, err);
  if (k != AW_OK) return k;
  results[0].kind = AW_I64;
  results[0].of.i64 = (int64_t)r[0].i32 + (int64_t)args[1].of.f64;
  return AW_OK;
}

TEST(vm_host_calls) {
  tmod *t = tmod_new();
  uint32_t th = tmod_type(t, "iF", "I"), tc = tmod_type(t, "i", "i");
  uint32_t tw = tmod_type(t, "i", "I");
  /* function 0: the host import; 1: the callback; 2: wasm calling host */
  host_env env = {t, 1, 0};
  t->m.nfuncs = 1;
  t->m.nfuncs_imported = 1;
  t->func_types[0] = th;
  t->afuncs[0].type_id = th;
  t->afuncs[0].type = &t->types[th];
  t->afuncs[0].host = host_mix;
  t->afuncs[0].env = &env;
  t->funcp[0] = &t->afuncs[0];
  uint32_t cb = tmod_func(t, tc, 0, 0), w = tmod_func(t, tw, 0, 0);
  /* The compiler finds defined function i at m.funcs[i - 1]. */
  t->m.funcs = &t->funcs[1];
  COMPILE(t, cb, false, LOCAL_GET(0), I32(2), OP(0x6C), END);
  COMPILE(t, w, false, LOCAL_GET(0), F64C(0.5), OPA(0x10, 0), I64(1), OP(0x7C),
          END);
  t->m.funcs = t->funcs;
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, w, 20, 0, r, &e), AW_OK);
  CHECK_EQ_INT((int64_t)r[0].i64, 41);
  CHECK_EQ_INT(env.calls, 1);
  CHECK_EQ_INT(call2(t, w, (uint32_t)-5, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_HOST);
  CHECK_STR(e.message, "host refused -5");
  /* The store still works after the aborted chain. */
  CHECK_EQ_INT(call2(t, w, 1, 0, r, &e), AW_OK);
  CHECK_EQ_INT((int64_t)r[0].i64, 3);
  tmod_free(t);
}

/* Out of fuel in the block after a call (the caller's code must be the
   one metered again after the return), and in the callee. */
TEST(vm_fuel_after_call) {
  tmod *t = tmod_new();
  t->m.nmems = 1;
  uint32_t ty = tmod_type(t, "", "");
  uint32_t f = tmod_func(t, ty, 0, 0), g = tmod_func(t, ty, 0, 0);
  wm_instr store = {.op = 0x36};
  COMPILE(t, f, true, OPA(0x10, g), I32(0), I32(11), store, I32(4), I32(22),
          store, END);
  COMPILE(t, g, true, I32(8), I32(33), store, END);
  vm_state *st = vm_state_get(&t->store, NULL);
  aw_slot r[1];
  aw_error e;
  for (int64_t b = 0; b <= 13; b++) {
    memset(t->membytes, 0, 16);
    st->fuel = b;
    aw_errkind k = call2(t, f, 0, 0, r, &e);
    CHECK_EQ_INT(k, b >= 12 ? AW_OK : AW_ERR_OUT_OF_FUEL);
    CHECK_EQ_INT(st->fuel, b >= 12 ? b - 12 : 0);
    CHECK_EQ_INT(t->membytes[8], b >= 6 ? 33 : 0);
    CHECK_EQ_INT(t->membytes[0], b >= 9 ? 11 : 0);
    CHECK_EQ_INT(t->membytes[4], b >= 12 ? 22 : 0);
  }
  tmod_free(t);
}

/* The store's frame and slot limits bound recursion exactly. */
TEST(vm_stack_limits) {
  tmod *t = tmod_new();
  uint32_t ty = tmod_type(t, "i", "i");
  uint32_t f = tmod_func(t, ty, 0, 0);
  /* f(n) = n == 0 ? 0 : f(n - 1) + 1: n + 1 nested frames. */
  COMPILE(t, f, false, LOCAL_GET(0), OP(0x45), BLOCK(0x04, 0, 1), I32(0),
          OP(0x05), LOCAL_GET(0), I32(1), OP(0x6B), OPA(0x10, f), I32(1),
          OP(0x6A), END, END);
  t->store.max_frames = 10;
  aw_slot r[1];
  aw_error e;
  CHECK_EQ_INT(call2(t, f, 9, 0, r, &e), AW_OK); /* 10 frames */
  CHECK_EQ_INT(r[0].i32, 9);
  CHECK_EQ_INT(call2(t, f, 10, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  /* Slots: each frame of f takes 1 param + its operand stack. */
  t->store.max_frames = 0;
  t->store.max_slots = 64;
  CHECK_EQ_INT(call2(t, f, 5, 0, r, &e), AW_OK);
  CHECK_EQ_INT(call2(t, f, 1000, 0, r, &e), AW_ERR_TRAP);
  CHECK_EQ_INT(e.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  t->store.max_slots = 0;
  CHECK_EQ_INT(call2(t, f, 1000, 0, r, &e), AW_OK);
  CHECK_EQ_INT(r[0].i32, 1000);
  tmod_free(t);
}
