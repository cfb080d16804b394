/*
 * test_compile_arity_simd.c - many values of mixed widths (branches
 * compile and simd together): br, br_if, br_table, block end, if/else,
 * loop parameters, return and call results of type
 * (i32 v128 i32 v128 i32), 5 values > CG_FEW in 7 slots, over extra v128
 * and i32 values below the label's base and above it, so that the values
 * are materialized once and moved with one COPY_N whose count is in
 * slots (the widths' sum) and whose source and destination are slot
 * positions, not heights.  Every path runs with fuel on and off and each
 * result is checked; the code of the br case must hold a COPY_N of 7.
 */
#include "airssys/executor.h"
#include "compile/code.h"
#include "runtime.h"
#include "test.h"
#include "test_exec_util.h"
#include <stdlib.h>
#include <string.h>

#define R5 "(result i32 v128 i32 v128 i32)"
#define P5 "(param i32 v128 i32 v128 i32)"
#define X2 "(v128.const i32x4 -9 -9 -9 -9) (i32.const -99)\n"
#define LOCW                                                                   \
  "(local.set $x (i32.const 11))"                                              \
  "(local.set $w (v128.const i32x4 1 2 3 4))\n"
#define BELOW "(v128.const i32x4 1000 2000 3000 4000) (i32.const 5000)\n"

static const char *const mixed_wat =
    "(module\n"
    /* a + 100, b, c, d + 100, e */
    "  (func $bump " P5 " " R5 "\n"
    "    (i32.add (local.get 0) (i32.const 100)) (local.get 1) (local.get 2)\n"
    "    (i32x4.add (local.get 3) (v128.const i32x4 100 100 100 100))\n"
    "    (local.get 4))\n"
    /* the two values below the five: a + n, b + u, c, d, e */
    "  (func $mix (param $u v128) (param $n i32) " P5 " " R5 "\n"
    "    (i32.add (local.get 2) (local.get $n))\n"
    "    (i32x4.add (local.get 3) (local.get $u))\n"
    "    (local.get 4) (local.get 5) (local.get 6))\n"
    "  (func $g (param $k i32) " R5 " (local $v v128)\n"
    "    (local.set $v (i32x4.splat (local.get $k)))\n"
    "    (local.get $k) (local.get $v) (i32.add (local.get $k) (i32.const 1))\n"
    "    (i32x4.add (local.get $v) (local.get $v))\n"
    "    (i32.mul (local.get $k) (i32.const 3)))\n"
    /* br over two extra values, from a block above two others */
    "  (func (export \"br\") (param $k i32) " R5 " (local $x i32) (local $w "
    "v128)\n" LOCW BELOW "    (block " R5 "\n      " X2
    "      (local.get $x) (local.get $w) (i32.const 12)\n"
    "      (v128.const i32x4 5 6 7 8) (local.get $k)\n"
    "      (br 0))\n"
    "    (call $mix))\n"
    /* br_if taken or not; the fall-through changes the locals read */
    "  (func (export \"br_if\") (param $k i32) " R5
    " (local $x i32) (local $w v128)\n" LOCW BELOW "    (block " R5
    "\n      " X2
    "      (local.get $x) (local.get $w) (i32.const 12) (local.get $w)\n"
    "      (local.get $k)\n"
    "      (br_if 0 (local.get $k))\n"
    "      (local.set $x (i32.const 0))\n"
    "      (local.set $w (v128.const i32x4 0 0 0 0))\n"
    "      (call $bump)\n"
    "      (br 0))\n"
    "    (call $mix))\n"
    /* br_table to two blocks and to the function (a return) */
    "  (func (export \"br_table\") (param $k i32) " R5
    " (local $x i32) (local $w v128)\n" LOCW "    (block $b1 " R5
    "\n      (block $b0 " R5 "\n        " X2
    "        (local.get $x) (local.get $w) (i32.const 12)\n"
    "        (v128.const i32x4 5 6 7 8) (local.get $k)\n"
    "        (br_table $b0 $b1 2 (local.get $k)))\n"
    "      (call $bump))\n"
    "    (call $bump))\n"
    /* return, and br_if to the function, over extra values */
    "  (func (export \"ret\") (param $k i32) " R5
    " (local $x i32) (local $w v128)\n" LOCW "    (block " R5 "\n      " X2
    "      (local.get $x) (local.get $w) (i32.const 12)\n"
    "      (v128.const i32x4 5 6 7 8) (local.get $k)\n"
    "      (br_if 1 (local.get $k))\n"
    "      (local.set $w (v128.const i32x4 0 0 0 0))\n"
    "      (return)))\n"
    /* loop parameters: k rounds of a+1, b+(1 2 3 4), c+10, d-1, e = i */
    "  (func (export \"loop\") (param $k i32) " R5 " (local $i i32)\n"
    "    (local $a i32) (local $b v128) (local $c i32) (local $d v128)\n"
    "    (local $e i32)\n"
    "    (local.set $i (local.get $k))\n"
    "    (block $out " R5 "\n"
    "      (i32.const 0) (v128.const i32x4 0 0 0 0) (i32.const 0)\n"
    "      (v128.const i32x4 0 0 0 0) (i32.const 0)\n"
    "      (loop $l " P5 " " R5 "\n"
    "        (local.set $e) (local.set $d) (local.set $c) (local.set $b)\n"
    "        (local.set $a)\n        " X2
    "        (i32.add (local.get $a) (i32.const 1))\n"
    "        (i32x4.add (local.get $b) (v128.const i32x4 1 2 3 4))\n"
    "        (i32.add (local.get $c) (i32.const 10))\n"
    "        (i32x4.sub (local.get $d) (v128.const i32x4 1 1 1 1))\n"
    "        (local.get $i)\n"
    "        (local.set $i (i32.sub (local.get $i) (i32.const 1)))\n"
    "        (br_if $l (local.get $i))\n"
    "        (br $out))))\n"
    /* if/else results over two values below */
    "  (func (export \"if\") (param $k i32) " R5 " (local $w v128)\n"
    "    (local.set $w (v128.const i32x4 1 2 3 4))\n" BELOW "    (if " R5
    " (local.get $k)\n"
    "      (then (i32.const 1) (local.get $w) (i32.const 2)\n"
    "            (v128.const i32x4 5 6 7 8) (local.get $k))\n"
    "      (else (i32.const 3) (v128.const i32x4 9 10 11 12) (i32.const 4)\n"
    "            (local.get $w) (local.get $k)))\n"
    "    (call $mix))\n"
    /* call results passed on as arguments, twice the same type */
    "  (func (export \"calls\") (param $k i32) " R5 "\n" BELOW
    "    (call $g (local.get $k)) (call $bump) (i32.const 1) (drop)\n"
    "    (call $bump) (call $mix)))\n";

typedef struct exp5 {
  int32_t a;
  int32_t b[4];
  int32_t c;
  int32_t d[4];
  int32_t e;
} exp5;

static bool lanes_are(const aw_val *v, const int32_t *w) {
  int32_t got[4];
  memcpy(got, v->of.v128, 16);
  return v->kind == AW_V128 && !memcmp(got, w, 16);
}

/* Runs export name(k) and checks its five results against x. */
static bool run5(const aw_module *m, const char *name, int32_t k,
                 const exp5 *x) {
  aw_exec_result r;
  aw_val a = tx_i32(k);
  /* No fuel limit: one of the two engines does not meter fuel, and a
     chosen fuel there is an invalid configuration. */
  aw_errkind o =
      tx_run(m, tx_limits(1 << 20, AW_NO_LIMIT, 10000), name, &a, 1, &r);
  bool ok = o == AW_OK && r.nresults == 5 && r.results[0].kind == AW_I32 &&
            r.results[0].of.i32 == x->a && lanes_are(&r.results[1], x->b) &&
            r.results[2].kind == AW_I32 && r.results[2].of.i32 == x->c &&
            lanes_are(&r.results[3], x->d) && r.results[4].kind == AW_I32 &&
            r.results[4].of.i32 == x->e;
  if (!ok) {
    fprintf(stderr, "  %s(%d): outcome %d, %u results", name, k, (int)o,
            r.nresults);
    if (o == AW_OK && r.nresults == 5) {
      int32_t b[4], d[4];
      memcpy(b, r.results[1].of.v128, 16);
      memcpy(d, r.results[3].of.v128, 16);
      fprintf(stderr, ": %d (%d %d %d %d) %d (%d %d %d %d) %d",
              r.results[0].of.i32, b[0], b[1], b[2], b[3], r.results[2].of.i32,
              d[0], d[1], d[2], d[3], r.results[4].of.i32);
    }
    fputc('\n', stderr);
  }
  return ok;
}

/* Whether function f's code holds COPY_N with count n (its listing). */
static bool has_copy_n(const aw_module *mod, uint32_t f, uint32_t n) {
  FILE *out = tmpfile();
  if (!out) return false;
  cg_code_dump(mod->m.funcs[f].code, out);
  rewind(out);
  char line[256], want[32];
  snprintf(want, sizeof want, " %u\n", n);
  bool found = false;
  while (fgets(line, sizeof line, out))
    if (strstr(line, "COPY_N") && strstr(line, want)) found = true;
  fclose(out);
  return found;
}

TEST(compile_arity_simd_mixed_widths_every_path) {
  for (int fuel = 0; fuel < 2; fuel++) {
    aw_engine_config cfg;
    aw_engine_config_default(&cfg);
    cfg.consume_fuel = fuel;
    cfg.simd = true;
    aw_engine *e = aw_engine_new(&cfg);
    aw_module *m = tx_load(e, mixed_wat);
    CHECK(m != NULL);
    if (!m) {
      aw_engine_free(e);
      continue;
    }
    /* "br" is function 3: $bump, $mix, $g come first.  7 slots: the
       values' widths, copied from above the extra v128 and i32. */
    CHECK(has_copy_n(m, 3, 7));
    const exp5 br = {5011, {1001, 2002, 3003, 4004}, 12, {5, 6, 7, 8}, 4};
    CHECK(run5(m, "br", 4, &br));
    const exp5 brif1 = {5011, {1001, 2002, 3003, 4004}, 12, {1, 2, 3, 4}, 1};
    const exp5 brif0 = {
        5111, {1001, 2002, 3003, 4004}, 12, {101, 102, 103, 104}, 0};
    CHECK(run5(m, "br_if", 1, &brif1));
    CHECK(run5(m, "br_if", 0, &brif0));
    const exp5 bt0 = {211, {1, 2, 3, 4}, 12, {205, 206, 207, 208}, 0};
    const exp5 bt1 = {111, {1, 2, 3, 4}, 12, {105, 106, 107, 108}, 1};
    const exp5 bt2 = {11, {1, 2, 3, 4}, 12, {5, 6, 7, 8}, 2};
    const exp5 bt9 = {11, {1, 2, 3, 4}, 12, {5, 6, 7, 8}, 9};
    CHECK(run5(m, "br_table", 0, &bt0));
    CHECK(run5(m, "br_table", 1, &bt1));
    CHECK(run5(m, "br_table", 2, &bt2));
    CHECK(run5(m, "br_table", 9, &bt9));
    const exp5 r3 = {11, {1, 2, 3, 4}, 12, {5, 6, 7, 8}, 3};
    const exp5 r0 = {11, {1, 2, 3, 4}, 12, {5, 6, 7, 8}, 0};
    CHECK(run5(m, "ret", 3, &r3));
    CHECK(run5(m, "ret", 0, &r0));
    const exp5 l3 = {3, {3, 6, 9, 12}, 30, {-3, -3, -3, -3}, 1};
    const exp5 l1 = {1, {1, 2, 3, 4}, 10, {-1, -1, -1, -1}, 1};
    CHECK(run5(m, "loop", 3, &l3));
    CHECK(run5(m, "loop", 1, &l1));
    const exp5 i1 = {5001, {1001, 2002, 3003, 4004}, 2, {5, 6, 7, 8}, 1};
    const exp5 i0 = {5003, {1009, 2010, 3011, 4012}, 4, {1, 2, 3, 4}, 0};
    CHECK(run5(m, "if", 1, &i1));
    CHECK(run5(m, "if", 0, &i0));
    const exp5 c7 = {
        5207, {1007, 2007, 3007, 4007}, 8, {214, 214, 214, 214}, 21};
    CHECK(run5(m, "calls", 7, &c7));
    aw_module_free(m);
    aw_engine_free(e);
  }
}

/* ------------------------------------------------------------------ */
/* Compile cost with wide values                                        */
/* ------------------------------------------------------------------ */

typedef struct mbuf {
  uint8_t *p;
  size_t n, cap;
} mbuf;

static void mput(mbuf *b, const void *s, size_t n) {
  if (b->n + n > b->cap) {
    b->cap = (b->n + n) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void mbyte(mbuf *b, uint8_t c) {
  mput(b, &c, 1);
}

static void mleb(mbuf *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    mbyte(b, (uint8_t)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void msection(mbuf *m, uint8_t id, mbuf *s) {
  mbyte(m, id);
  mleb(m, (uint32_t)s->n);
  mput(m, s->p, s->n);
  s->n = 0;
}

/* M = (i32 v128) x a/2. f0 : [] -> M pushes M from two locals, then
   `call f1; block (type 1) end` over and over (5 bytes), f1 : M -> M.
   The call's and the block's result lists are the same content, so
   push_stack_n finds the layout in place (the interned list) instead of
   laying out a values for every 2-3 input bytes. */
static void gen_wide(mbuf *m, uint32_t a, size_t size) {
  static const uint8_t hdr[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  mbuf s = {0}, b = {0};
  mput(m, hdr, 8);
  mleb(&s, 2);
  mput(&s, (const uint8_t[]){0x60, 0}, 2); /* t0: [] -> M */
  mleb(&s, a);
  for (uint32_t i = 0; i < a; i++)
    mbyte(&s, i % 2 ? 0x7B : 0x7F);
  mbyte(&s, 0x60); /* t1: M -> M */
  for (int k = 0; k < 2; k++) {
    mleb(&s, a);
    for (uint32_t i = 0; i < a; i++)
      mbyte(&s, i % 2 ? 0x7B : 0x7F);
  }
  msection(m, 1, &s);
  mput(&s, (const uint8_t[]){2, 0, 1}, 3);
  msection(m, 3, &s);
  mput(&b, (const uint8_t[]){2, 1, 0x7F, 1, 0x7B}, 5);
  for (uint32_t i = 0; i < a / 2; i++)
    mput(&b, (const uint8_t[]){0x20, 0, 0x20, 1}, 4);
  for (size_t k = 0; k < size / 5; k++)
    mput(&b, (const uint8_t[]){0x10, 1, 0x02, 1, 0x0B}, 5);
  mbyte(&b, 0x0B);
  mleb(&s, 2);
  mleb(&s, (uint32_t)b.n);
  mput(&s, b.p, b.n);
  b.n = 0;
  mbyte(&b, 0);
  for (uint32_t i = 0; i < a; i++) {
    mbyte(&b, 0x20);
    mleb(&b, i);
  }
  mbyte(&b, 0x0B);
  mleb(&s, (uint32_t)b.n);
  mput(&s, b.p, b.n);
  msection(m, 10, &s);
  free(b.p);
  free(s.p);
}

/* The bounds of test_compile_cost.c (docs/hardening.md, "Compile cost"):
   16 code bytes and 8 compile units per input byte. */
TEST(compile_cost_wide_calls_and_blocks_1000) {
  for (uint32_t a = 2; a <= 1000; a += 998) {
    mbuf m = {0};
    gen_wide(&m, a, 1u << 20);
    aw_engine_config cfg;
    aw_engine_config_default(&cfg);
    cfg.compile_units_per_byte = 8;
    cfg.compile_units_base = 1u << 16;
    aw_engine *e = aw_engine_new(&cfg);
    aw_error err;
    aw_module *mod = aw_module_new(e, m.p, m.n, &err);
    if (!mod) fprintf(stderr, "  arity %u: %s\n", a, err.message);
    CHECK(mod != NULL);
    if (mod) {
      uint64_t code = 0;
      for (uint32_t i = 0; i < mod->m.nfuncs - mod->m.nfuncs_imported; i++)
        code += (uint64_t)mod->m.funcs[i].code->ncells * sizeof(uint32_t);
      CHECK(code <= 16u * (uint64_t)m.n);
      CHECK(mod->compile_units <= 8u * (uint64_t)m.n + (1u << 16));
      printf("  arity %u: %zu bytes -> %llu code bytes (%.2f/byte), %.2f "
             "units/byte\n",
             a, m.n, (unsigned long long)code, (double)code / m.n,
             (double)mod->compile_units / m.n);
    }
    aw_module_free(mod);
    aw_engine_free(e);
    free(m.p);
  }
}
