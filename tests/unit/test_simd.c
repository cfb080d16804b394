/* test_simd.c - v128 in the interpreter: values across the C API and host
   calls, the compiler's slot layout (a v128 takes two slots) under
   branches, returns, calls and selects of mixed widths, frame sizes and
   stack limits, memory bounds of every SIMD access shape, fuel per SIMD
   operator, and the SIMD switch of the engine. */
#include "airssys/executor.h"
#include "compile/code.h"
#include "runtime.h"
#include "test.h"
#include "test_exec_util.h"
#include <stdlib.h>
#include <string.h>

static aw_engine *simd_engine(bool fuel, bool simd) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = fuel;
  cfg.simd = simd;
  return aw_engine_new(&cfg);
}

static aw_val v128_of_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  aw_val v;
  memset(&v, 0, sizeof v);
  v.kind = AW_V128;
  uint32_t w[4] = {a, b, c, d};
  memcpy(v.of.v128, w, 16);
  return v;
}

static bool v128_is(const aw_val *v, uint32_t a, uint32_t b, uint32_t c,
                    uint32_t d) {
  uint32_t w[4], e[4] = {a, b, c, d};
  memcpy(w, v->of.v128, 16);
  return v->kind == AW_V128 && !memcmp(w, e, 16);
}

/* An instance of text (no imports unless given) in a fresh store. */
typedef struct sx {
  aw_engine *e;
  aw_module *m;
  aw_store *s;
  aw_instance *inst;
} sx;

static bool sx_open(sx *x, bool fuel, const char *text,
                    const aw_extern *imports, size_t nimports) {
  memset(x, 0, sizeof *x);
  x->e = simd_engine(fuel, true);
  x->m = tx_load(x->e, text);
  if (!x->m) return false;
  x->s = aw_store_new(x->e);
  aw_error err;
  x->inst = aw_instantiate(x->s, x->m, imports, nimports, &err);
  if (!x->inst) fprintf(stderr, "  instantiate: %s\n", err.message);
  return x->inst != NULL;
}

static void sx_close(sx *x) {
  if (x->s) aw_store_free(x->s);
  aw_module_free(x->m);
  aw_engine_free(x->e);
}

static aw_func *sx_func(sx *x, const char *name) {
  aw_extern ex;
  if (!aw_instance_export(x->inst, name, strlen(name), &ex) ||
      ex.kind != AW_EXTERN_FUNC)
    return NULL;
  return ex.of.func;
}

/* ------------------------------------------------------------------ */
/* Values across the boundary                                           */
/* ------------------------------------------------------------------ */

/* Host function (v128 i32 v128) -> (i32 v128): returns a + b lane-wise
   (i32x4) and the i32 plus one; records what it saw. */
static aw_val host_seen[3];
static aw_errkind host_v128(void *env, aw_caller *caller, const aw_val *args,
                            aw_val *results, aw_error *err) {
  (void)env;
  (void)caller;
  (void)err;
  memcpy(host_seen, args, sizeof host_seen);
  uint32_t a[4], b[4], r[4];
  memcpy(a, args[0].of.v128, 16);
  memcpy(b, args[2].of.v128, 16);
  for (int i = 0; i < 4; i++)
    r[i] = a[i] + b[i];
  results[0].of.i32 = args[1].of.i32 + 1;
  memcpy(results[1].of.v128, r, 16);
  return AW_OK;
}

static const char *const values_wat =
    "(module\n"
    "  (import \"h\" \"f\" (func $h (param v128 i32 v128) (result i32 v128)))\n"
    "  (global $g (export \"g\") (mut v128) (v128.const i32x4 9 8 7 6))\n"
    "  ;; mixed widths in and out: results in reverse order\n"
    "  (func (export \"mix\") (param i32 v128 f64 v128)\n"
    "        (result v128 f64 v128 i32)\n"
    "    (local.get 3) (local.get 2) (local.get 1) (local.get 0))\n"
    "  ;; calls the host with v128s around an i32, deep in the stack\n"
    "  (func (export \"via_host\") (param v128) (result i32 v128)\n"
    "    (local v128)\n"
    "    (local.set 1 (v128.const i32x4 100 200 300 400))\n"
    "    (call $h (local.get 0) (i32.const 41) (local.get 1)))\n"
    "  (func (export \"gswap\") (param v128) (result v128)\n"
    "    (global.get $g) (global.set $g (local.get 0)))\n"
    "  (func (export \"sel\") (param v128 v128 i32) (result v128)\n"
    "    (select (result v128) (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"sel_untyped\") (param v128 v128 i32) (result v128)\n"
    "    (select (local.get 0) (local.get 1) (local.get 2))))\n";

TEST(simd_values_cross_api_host_and_globals) {
  aw_engine *e0 = simd_engine(false, true);
  aw_store *hs = aw_store_new(e0);
  aw_valkind hp[] = {AW_V128, AW_I32, AW_V128}, hr[] = {AW_I32, AW_V128};
  aw_functype ht = {3, 2, hp, hr};
  sx x;
  memset(&x, 0, sizeof x);
  bool ok = false;
  /* The host function must live in the instance's store. */
  x.e = e0;
  x.m = tx_load(e0, values_wat);
  CHECK(x.m != NULL);
  if (x.m) {
    x.s = hs;
    aw_extern imp = {AW_EXTERN_FUNC,
                     {.func = aw_func_new(hs, &ht, host_v128, NULL, NULL)}};
    aw_error err;
    x.inst = aw_instantiate(hs, x.m, &imp, 1, &err);
    ok = x.inst != NULL;
  }
  CHECK(ok);
  if (!ok) goto done;
  aw_error err;
  aw_val args[4], res[4];
  memset(args, 0, sizeof args);
  args[0].kind = AW_I32;
  args[0].of.i32 = -7;
  args[1] = v128_of_u32(1, 2, 3, 0xFFFFFFFFu);
  args[2].kind = AW_F64;
  args[2].of.f64 = 2.5;
  args[3] = v128_of_u32(0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u);
  CHECK_EQ_INT(aw_func_call(hs, sx_func(&x, "mix"), args, 4, res, 4, &err),
               AW_OK);
  CHECK(v128_is(&res[0], 0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u));
  CHECK(res[1].kind == AW_F64 && res[1].of.f64 == 2.5);
  CHECK(v128_is(&res[2], 1, 2, 3, 0xFFFFFFFFu));
  CHECK(res[3].kind == AW_I32 && res[3].of.i32 == -7);
  /* A v128 where an i32 is expected is refused, not reinterpreted. */
  aw_val wrong[4];
  memcpy(wrong, args, sizeof wrong);
  wrong[0] = args[1];
  CHECK_EQ_INT(aw_func_call(hs, sx_func(&x, "mix"), wrong, 4, res, 4, &err),
               AW_ERR_ARGUMENT);

  aw_val a1 = v128_of_u32(5, 6, 7, 8);
  CHECK_EQ_INT(aw_func_call(hs, sx_func(&x, "via_host"), &a1, 1, res, 2, &err),
               AW_OK);
  CHECK_EQ_INT(res[0].of.i32, 42);
  CHECK(v128_is(&res[1], 105, 206, 307, 408));
  CHECK(v128_is(&host_seen[0], 5, 6, 7, 8));
  CHECK_EQ_INT(host_seen[1].of.i32, 41);
  CHECK(v128_is(&host_seen[2], 100, 200, 300, 400));

  /* Globals: the old value out, the new one kept whole. */
  CHECK_EQ_INT(aw_func_call(hs, sx_func(&x, "gswap"), &a1, 1, res, 1, &err),
               AW_OK);
  CHECK(v128_is(&res[0], 9, 8, 7, 6));
  aw_extern g;
  CHECK(aw_instance_export(x.inst, "g", 1, &g));
  aw_val gv = aw_global_get(g.of.global);
  CHECK(v128_is(&gv, 5, 6, 7, 8));

  const char *sels[] = {"sel", "sel_untyped"};
  for (int k = 0; k < 2; k++) {
    aw_val sa[3] = {v128_of_u32(1, 2, 3, 4), v128_of_u32(5, 6, 7, 8),
                    tx_i32(1)};
    CHECK_EQ_INT(aw_func_call(hs, sx_func(&x, sels[k]), sa, 3, res, 1, &err),
                 AW_OK);
    CHECK(v128_is(&res[0], 1, 2, 3, 4));
    sa[2].of.i32 = 0;
    CHECK_EQ_INT(aw_func_call(hs, sx_func(&x, sels[k]), sa, 3, res, 1, &err),
                 AW_OK);
    CHECK(v128_is(&res[0], 5, 6, 7, 8));
  }
done:
  sx_close(&x);
}

/* ------------------------------------------------------------------ */
/* Slot layout under control flow                                       */
/* ------------------------------------------------------------------ */

/* Branch values land in consecutive slots from the label's base even when
   the stack between the base and the values has other widths; returns
   stage values whose source locals would be overwritten; loop parameters
   and if/else results of mixed widths. */
static const char *const layout_wat =
    "(module\n"
    "  ;; br out of a block with (i32 v128) results from a stack holding\n"
    "  ;; v128 i32 v128 above the base\n"
    "  (func (export \"br_mixed\") (param i32) (result i32 v128)\n"
    "    (block (result i32 v128)\n"
    "      (v128.const i32x4 -1 -1 -1 -1)\n"
    "      (i32.const 77)\n"
    "      (v128.const i32x4 -2 -2 -2 -2)\n"
    "      (drop) (drop) (drop)\n"
    "      (v128.const i32x4 -3 -3 -3 -3)\n"
    "      (i32.const 5)\n"
    "      (i32.const 6) (v128.const i32x4 10 20 30 40)\n"
    "      (br_if 0 (local.get 0))\n"
    "      (i32.const 7) (v128.const i32x4 50 60 70 80)\n"
    "      (br 0))\n"
    "    (return))\n"
    "  ;; the same through br_table (label depth 0 and the function)\n"
    "  (func (export \"br_table_mixed\") (param i32) (result i32 v128)\n"
    "    (block (result i32 v128)\n"
    "      (i32.const 1) (v128.const i32x4 0 0 0 0) (drop) (drop)\n"
    "      (v128.const i32x4 9 9 9 9) (drop)\n"
    "      (i32.const 3) (v128.const i32x4 1 2 3 4)\n"
    "      (br_table 0 1 (local.get 0))))\n"
    "  ;; return (param v128 i32) as (i32 v128): the i32 goes to slot 0,\n"
    "  ;; which holds the v128 param's low half\n"
    "  (func (export \"ret_swap\") (param v128 i32) (result i32 v128)\n"
    "    (local.get 1) (local.get 0))\n"
    "  ;; loop with (v128 i32) parameters, 4 iterations adding 1 to lanes\n"
    "  (func (export \"loop_params\") (result v128 i32) (local i32)\n"
    "    (v128.const i32x4 0 10 20 30) (i32.const 4)\n"
    "    (loop (param v128 i32) (result v128 i32)\n"
    "      (local.set 0 (i32.sub (i32.const 1)))\n"
    "      (i32x4.add (v128.const i32x4 1 1 1 1))\n"
    "      (local.get 0)\n"
    "      (br_if 0 (local.get 0))\n"
    "    )\n"
    "    (local.get 0) (drop))\n"
    "  (func (export \"if_mixed\") (param i32) (result f32 v128 i64)\n"
    "    (if (result f32 v128 i64) (local.get 0)\n"
    "      (then (f32.const 1) (v128.const i64x2 2 3) (i64.const 4))\n"
    "      (else (f32.const 5) (v128.const i64x2 6 7) (i64.const 8))))\n"
    "  ;; a local.tee of a v128 followed by reads of the old value\n"
    "  (func (export \"tee_order\") (param v128) (result v128)\n"
    "    (local.get 0)\n"
    "    (local.tee 0 (v128.const i32x4 1 1 1 1))\n"
    "    (i32x4.sub))\n"
    "  ;; v128 locals start at zero in both halves, whatever the stack held\n"
    "  (func $dirty (param v128) (result v128)\n"
    "    (i32x4.mul (local.get 0) (local.get 0)))\n"
    "  (func $fresh (result v128) (local v128 i32 v128) (local.get 2))\n"
    "  (func (export \"zeroed\") (result v128)\n"
    "    (drop (call $dirty (v128.const i32x4 -1 -2 -3 -4)))\n"
    "    (call $fresh)))\n";

TEST(simd_layout_under_control_flow) {
  sx x;
  bool ok = sx_open(&x, false, layout_wat, NULL, 0);
  CHECK(ok);
  if (!ok) goto done;
  aw_error err;
  aw_val res[3];
  aw_val one = tx_i32(1), zero = tx_i32(0);
  CHECK_EQ_INT(
      aw_func_call(x.s, sx_func(&x, "br_mixed"), &one, 1, res, 2, &err), AW_OK);
  CHECK_EQ_INT(res[0].of.i32, 6);
  CHECK(v128_is(&res[1], 10, 20, 30, 40));
  CHECK_EQ_INT(
      aw_func_call(x.s, sx_func(&x, "br_mixed"), &zero, 1, res, 2, &err),
      AW_OK);
  CHECK_EQ_INT(res[0].of.i32, 7);
  CHECK(v128_is(&res[1], 50, 60, 70, 80));
  for (int32_t k = 0; k < 3; k++) {
    aw_val a = tx_i32(k);
    CHECK_EQ_INT(
        aw_func_call(x.s, sx_func(&x, "br_table_mixed"), &a, 1, res, 2, &err),
        AW_OK);
    CHECK_EQ_INT(res[0].of.i32, 3);
    CHECK(v128_is(&res[1], 1, 2, 3, 4));
  }
  aw_val rs[2] = {v128_of_u32(0xA, 0xB, 0xC, 0xD), tx_i32(-9)};
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "ret_swap"), rs, 2, res, 2, &err),
               AW_OK);
  CHECK_EQ_INT(res[0].of.i32, -9);
  CHECK(v128_is(&res[1], 0xA, 0xB, 0xC, 0xD));
  CHECK_EQ_INT(
      aw_func_call(x.s, sx_func(&x, "loop_params"), NULL, 0, res, 2, &err),
      AW_OK);
  CHECK(v128_is(&res[0], 4, 14, 24, 34));
  CHECK_EQ_INT(res[1].of.i32, 0);
  for (int32_t k = 0; k < 2; k++) {
    aw_val a = tx_i32(k);
    CHECK_EQ_INT(
        aw_func_call(x.s, sx_func(&x, "if_mixed"), &a, 1, res, 3, &err), AW_OK);
    CHECK(res[0].of.f32 == (k ? 1.0f : 5.0f));
    CHECK(k ? v128_is(&res[1], 2, 0, 3, 0) : v128_is(&res[1], 6, 0, 7, 0));
    CHECK_EQ_INT(res[2].of.i64, k ? 4 : 8);
  }
  aw_val tv = v128_of_u32(10, 20, 30, 40);
  CHECK_EQ_INT(
      aw_func_call(x.s, sx_func(&x, "tee_order"), &tv, 1, res, 1, &err), AW_OK);
  CHECK(v128_is(&res[0], 9, 19, 29, 39));
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "zeroed"), NULL, 0, res, 1, &err),
               AW_OK);
  CHECK(v128_is(&res[0], 0, 0, 0, 0));
done:
  sx_close(&x);
}

/* The frame of a function is exactly its parameter and local slots plus
   the deepest operand stack, in slots: a wrong count would let a deep
   v128 stack write past the frame the call check reserved. */
TEST(simd_frame_slots_exact) {
  sx x;
  bool ok = sx_open(&x, false,
                    "(module (func (export \"f\") (param v128 i32)"
                    " (local v128 f64)\n"
                    "  (v128.const i32x4 1 2 3 4) (i32.const 1)"
                    " (v128.const i32x4 5 6 7 8)\n"
                    "  (v128.const i32x4 0 0 0 0) (i32x4.add) (drop) (drop)"
                    " (drop)))",
                    NULL, 0);
  CHECK(ok);
  if (!ok) goto done;
  const struct cg_code *c = x.m->m.funcs[0].code;
  CHECK(c != NULL);
  if (!c) goto done;
  CHECK_EQ_INT(c->nparams, 3);      /* v128 + i32 */
  CHECK_EQ_INT(c->nlocals, 3);      /* v128 + f64 */
  CHECK_EQ_INT(c->frame_slots, 13); /* 6 + v128 i32 v128 v128 = 7 */
done:
  sx_close(&x);
}

/* Recursion with v128 frames exhausts the store's slots at the depth the
   two-slot frames give, and the stack is usable again afterwards. */
TEST(simd_recursion_exhausts_slots) {
  sx x;
  bool ok = sx_open(
      &x, false,
      "(module (func $r (export \"r\") (param v128 i32) (result i32)"
      " (local v128 v128 v128)\n"
      "  (if (result i32) (i32.eqz (local.get 1)) (then (i32.const 0))\n"
      "    (else (i32.add (i32.const 1) (call $r (local.get 0)"
      " (i32.sub (local.get 1) (i32.const 1))))))))",
      NULL, 0);
  CHECK(ok);
  if (!ok) goto done;
  aw_error err;
  aw_val a[2] = {v128_of_u32(1, 2, 3, 4), tx_i32(1000)}, r;
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "r"), a, 2, &r, 1, &err), AW_OK);
  CHECK_EQ_INT(r.of.i32, 1000);
  a[1].of.i32 = 100000000;
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "r"), a, 2, &r, 1, &err),
               AW_ERR_TRAP);
  CHECK_EQ_INT(err.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  a[1].of.i32 = 10;
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "r"), a, 2, &r, 1, &err), AW_OK);
  CHECK_EQ_INT(r.of.i32, 10);
done:
  sx_close(&x);
}

/* ------------------------------------------------------------------ */
/* Memory bounds                                                        */
/* ------------------------------------------------------------------ */

static const char *const bounds_wat =
    "(module (memory 1)\n"
    "  (func (export \"load\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 3 (v128.load (local.get 0))))\n"
    "  (func (export \"load_off\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 0 (v128.load offset=0xfffffff0 (local.get 0))))\n"
    "  (func (export \"store\") (param i32)\n"
    "    (v128.store (local.get 0) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 "
    "1 1 1)))\n"
    "  (func (export \"ext\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 1 (v128.load32x2_u (local.get 0))))\n"
    "  (func (export \"splat\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 1 (v128.load64_splat (local.get 0))))\n"
    "  (func (export \"zero\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 0 (v128.load32_zero (local.get 0))))\n"
    "  (func (export \"lane\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 0 (v128.load64_lane 1 (local.get 0) (v128.const "
    "i64x2 0 0))))\n"
    "  (func (export \"slane\") (param i32)\n"
    "    (v128.store64_lane 0 (local.get 0) (v128.const i64x2 -1 -1)))\n"
    "  ;; base + constant fused into the access: the i32.add wraps first\n"
    "  (func (export \"load_ai\") (param i32) (result i32)\n"
    "    (i32x4.extract_lane 0 (v128.load offset=4 (i32.add (local.get 0)\n"
    "      (i32.const 0x20)))))\n"
    "  (func (export \"store_ai\") (param i32)\n"
    "    (v128.store offset=4 (i32.add (local.get 0) (i32.const 0x20))\n"
    "      (v128.const i32x4 0x5a5a5a5a 2 3 4)))\n"
    "  (func (export \"peek\") (param i32) (result i32)\n"
    "    (i32.load8_u (local.get 0))))\n";

TEST(simd_memory_bounds_every_shape) {
  sx x;
  bool ok = sx_open(&x, false, bounds_wat, NULL, 0);
  CHECK(ok);
  if (!ok) goto done;
  aw_error err;
  aw_val r;
  /* A store that traps writes nothing, not even its in-bounds bytes. */
  aw_val edge = tx_i32(65529);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "slane"), &edge, 1, NULL, 0, &err),
               AW_ERR_TRAP);
  edge = tx_i32(65521);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "store"), &edge, 1, NULL, 0, &err),
               AW_ERR_TRAP);
  for (int32_t b = 65521; b < 65536; b++) {
    aw_val pa = tx_i32(b);
    CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "peek"), &pa, 1, &r, 1, &err),
                 AW_OK);
    CHECK_EQ_INT(r.of.i32, 0);
  }
  struct {
    const char *f;
    int32_t last_ok; /* highest address in bounds */
  } cases[] = {{"load", 65520},  {"store", 65520}, {"ext", 65528},
               {"splat", 65528}, {"zero", 65532},  {"lane", 65528},
               {"slane", 65528}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    aw_func *f = sx_func(&x, cases[k].f);
    bool has_result =
        strcmp(cases[k].f, "store") && strcmp(cases[k].f, "slane");
    const int32_t addrs[] = {
        cases[k].last_ok, cases[k].last_ok + 1, 65535, 65536, -1, INT32_MIN};
    for (size_t j = 0; j < sizeof addrs / sizeof *addrs; j++) {
      aw_val a = tx_i32(addrs[j]);
      aw_errkind got =
          aw_func_call(x.s, f, &a, 1, &r, has_result ? 1 : 0, &err);
      if (j == 0) {
        CHECK_EQ_INT(got, AW_OK);
      } else {
        CHECK_EQ_INT(got, AW_ERR_TRAP);
        CHECK_EQ_INT(err.trap, AW_TRAP_OUT_OF_BOUNDS_MEMORY);
      }
    }
  }
  /* The in-bounds stores wrote. */
  aw_val a = tx_i32(65520);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "peek"), &a, 1, &r, 1, &err),
               AW_OK);
  CHECK_EQ_INT(r.of.i32, 1); /* v128.store at 65520 */
  a = tx_i32(65528);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "peek"), &a, 1, &r, 1, &err),
               AW_OK);
  CHECK_EQ_INT(r.of.i32, 255); /* store64_lane at 65528 */
  /* Fused base + constant: (base + 0x20) wraps in 32 bits, then the
     offset is added in 64 bits. */
  aw_val w = tx_i32((int32_t)0xFFFFFFF0u); /* + 0x20 = 0x10, + 4 = 0x14 */
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "store_ai"), &w, 1, NULL, 0, &err),
               AW_OK);
  a = tx_i32(0x14);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "peek"), &a, 1, &r, 1, &err),
               AW_OK);
  CHECK_EQ_INT(r.of.i32, 0x5a);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "load_ai"), &w, 1, &r, 1, &err),
               AW_OK);
  CHECK_EQ_INT(r.of.i32, 0x5a5a5a5a);
  w = tx_i32(65536 - 0x20 - 4 - 16); /* the last in-bounds v128 */
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "load_ai"), &w, 1, &r, 1, &err),
               AW_OK);
  w.of.i32++;
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "load_ai"), &w, 1, &r, 1, &err),
               AW_ERR_TRAP);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "store_ai"), &w, 1, NULL, 0, &err),
               AW_ERR_TRAP);
  w = tx_i32((int32_t)0xFFFFFFDCu); /* base + 0x20 = 0xFFFFFFFC: far */
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "load_ai"), &w, 1, &r, 1, &err),
               AW_ERR_TRAP);
  /* offset + address beyond 4 GiB never wraps. */
  a = tx_i32(0x20);
  CHECK_EQ_INT(aw_func_call(x.s, sx_func(&x, "load_off"), &a, 1, &r, 1, &err),
               AW_ERR_TRAP);
  CHECK_EQ_INT(err.trap, AW_TRAP_OUT_OF_BOUNDS_MEMORY);
done:
  sx_close(&x);
}

/* ------------------------------------------------------------------ */
/* Fuel                                                                 */
/* ------------------------------------------------------------------ */

/* n iterations of 6 SIMD operators + loop overhead: the cost is linear
   and each SIMD operator costs exactly 1 (the scalar twin with the same
   operator count, extract_lane matched by extend16_s, costs the same);
   every budget below the cost stops exactly at it. */
static const char *const fuel_wat =
    "(module (memory 1)\n"
    "  (func (export \"vec\") (param i32) (result i32) (local v128)\n"
    "    (loop $l\n"
    "      (local.set 1 (i32x4.add (local.get 1) (v128.const i32x4 1 2 3 4)))\n"
    "      (v128.store (i32.const 0) (i32x4.mul (local.get 1) (local.get 1)))\n"
    "      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))\n"
    "    (i32x4.extract_lane 3 (local.get 1)))\n"
    "  (func (export \"sca\") (param i32) (result i32) (local i32)\n"
    "    (loop $l\n"
    "      (local.set 1 (i32.add (local.get 1) (i32.const 4)))\n"
    "      (i32.store (i32.const 0) (i32.mul (local.get 1) (local.get 1)))\n"
    "      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))\n"
    "    (i32.extend16_s (local.get 1))))\n";

TEST(simd_fuel_one_per_operator_exact_stop) {
  aw_engine *e = simd_engine(true, true);
  aw_module *m = tx_load(e, fuel_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  uint64_t cost[2][3];
  const int32_t ns[] = {1, 2, 10};
  for (int v = 0; v < 2; v++)
    for (int k = 0; k < 3; k++) {
      aw_exec_result r;
      aw_val a = tx_i32(ns[k]);
      CHECK_EQ_INT(tx_run(m, tx_limits(1 << 20, 1000000, 10000),
                          v ? "sca" : "vec", &a, 1, &r),
                   AW_OK);
      CHECK_EQ_INT(r.results[0].of.i32, 4 * ns[k]);
      cost[v][k] = r.fuel.consumed;
    }
  /* Per iteration: local.get, v128.const, i32x4.add, local.set, i32.const,
     local.get, local.get, i32x4.mul, v128.store, local.get, i32.const,
     i32.sub, local.tee, br_if = 14. */
  CHECK_EQ_INT(cost[0][1] - cost[0][0], 14);
  CHECK_EQ_INT(cost[0][2] - cost[0][0], 14 * 9);
  for (int k = 0; k < 3; k++)
    CHECK_EQ_INT(cost[0][k], cost[1][k]);
  for (uint64_t f = 0; f <= cost[0][1] + 2; f++) {
    aw_exec_result r;
    aw_val a = tx_i32(2);
    aw_errkind k = tx_run(m, tx_limits(1 << 20, f, 10000), "vec", &a, 1, &r);
    if (f < cost[0][1]) {
      CHECK_EQ_INT(k, AW_ERR_OUT_OF_FUEL);
      CHECK_EQ_INT(r.fuel.consumed, f);
    } else {
      CHECK_EQ_INT(k, AW_OK);
      CHECK_EQ_INT(r.fuel.consumed, cost[0][1]);
    }
  }
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* The switch                                                           */
/* ------------------------------------------------------------------ */

TEST(simd_engine_switch) {
  static const char *const wat =
      "(module (func (export \"f\") (result i32)"
      " (i8x16.all_true (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1))))";
  size_t n = 0;
  uint8_t *bin = test_wat2bin(wat, &n);
  CHECK(bin != NULL);
  if (!bin) return;
  aw_engine *off = simd_engine(false, false), *on = simd_engine(false, true);
  aw_error err;
  aw_module *m = aw_module_new(off, bin, n, &err);
  CHECK(m == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_UNSUPPORTED);
  CHECK(strstr(err.message, "unsupported feature: SIMD") != NULL);
  m = aw_module_new(on, bin, n, &err);
  CHECK(m != NULL);
  if (m) {
    aw_exec_result r;
    /* No fuel limit: this engine does not meter fuel. */
    CHECK_EQ_INT(
        tx_run(m, tx_limits(1 << 20, AW_NO_LIMIT, 1000), "f", NULL, 0, &r),
        AW_OK);
    CHECK_EQ_INT(r.results[0].of.i32, 1);
  }
  aw_module_free(m);
  aw_engine_free(off);
  aw_engine_free(on);
  free(bin);
}
