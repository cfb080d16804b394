/*
 * test_compile_arity.c - code generation for many values (issue 10,
 * "compiling is linear"): branches, returns, block ends and calls that
 * carry more than CG_FEW values are materialized once and moved with one
 * COPY_N.  These tests run such code on every path (taken and not taken,
 * every br_table target, shifts over an extra value, loops, calls) and
 * check each result, so a wrong copy or a flush on one path only shows.
 */
#include "airssys/wasm.h"
#include "test.h"
#include <stdlib.h>

/* Calls export name of the module in text with one i32 argument; writes
   its n i32 results (n <= 8) to out.  Returns the outcome. */
static aw_errkind call6(const char *text, const char *name, int32_t arg,
                        int32_t *out, uint32_t n) {
  size_t len = 0;
  uint8_t *bin = test_wat2bin(text, &len);
  if (!bin) return AW_ERR_ARGUMENT;
  aw_error err;
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = aw_module_new(e, bin, len, &err);
  free(bin);
  aw_errkind k = err.kind;
  if (m) {
    aw_store *s = aw_store_new(e);
    aw_instance *inst = aw_instantiate(s, m, NULL, 0, &err);
    aw_extern ex;
    k = err.kind;
    if (inst && aw_instance_export(inst, name, strlen(name), &ex)) {
      aw_val a = {.kind = AW_I32, .of.i32 = arg};
      aw_val r[8];
      memset(r, 0, sizeof r);
      k = aw_func_call(s, ex.of.func, &a, 1, r, n, &err);
      for (uint32_t i = 0; i < n; i++)
        out[i] = r[i].of.i32;
    } else if (k == AW_OK) {
      k = AW_ERR_LINK;
    }
    aw_store_free(s);
    aw_module_free(m);
  }
  aw_engine_free(e);
  return k;
}

#define R6 "(result i32 i32 i32 i32 i32 i32)"
#define P6 "(param i32 i32 i32 i32 i32 i32)"

static bool same6(const int32_t *got, int32_t a, int32_t b, int32_t c,
                  int32_t d, int32_t e, int32_t f) {
  return got[0] == a && got[1] == b && got[2] == c && got[3] == d &&
         got[4] == e && got[5] == f;
}

/* br_if with six values over an extra one (a shift), taken or not; the
   values include a local changed on the fall-through path, so they must
   have been materialized before the condition, on both paths. */
static const char *const brif_text =
    "(module (func (export \"f\") (param $c i32) " R6 " (local $x i32)\n"
    "  (local.set $x (i32.const 7))\n"
    "  (block " R6 "\n"
    "    (i32.const 99)\n"
    "    (local.get $x) (i32.const 2) (i32.const 3) (local.get $c)\n"
    "    (i32.const 5) (i32.const 6)\n"
    "    (br_if 0 (local.get $c))\n"
    "    (br_if 0 (i32.eq (local.get $c) (i32.const 2)))\n"
    "    (local.set $x) (i32.const 60)\n"
    "    (br 0))))";

TEST(arity_br_if_shift_taken_and_not) {
  int32_t r[6];
  CHECK_EQ_INT(call6(brif_text, "f", 1, r, 6), AW_OK);
  CHECK(same6(r, 7, 2, 3, 1, 5, 6));
  CHECK_EQ_INT(call6(brif_text, "f", 0, r, 6), AW_OK);
  CHECK(same6(r, 7, 2, 3, 0, 5, 60));
  CHECK_EQ_INT(call6(brif_text, "f", 2, r, 6), AW_OK);
  CHECK(same6(r, 7, 2, 3, 2, 5, 6));
}

/* br_table over three six-value labels, each reached through a
   trampoline that shifts the values down over an extra one. */
static const char *const brtable_text =
    "(module (func (export \"f\") (param $i i32) " R6 " (local $t i32)\n"
    "  (block $o " R6 "\n"
    "    (block $m " R6 "\n"
    "      (block $n " R6 "\n"
    "        (i32.const 99)\n"
    "        (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)\n"
    "        (local.get $i) (i32.const 6)\n"
    "        (br_table $n $m $m $o (local.get $i)))\n"
    "      (local.set $t) (i32.const 100) (br $o))\n"
    "    (local.set $t) (i32.const 200))))";

TEST(arity_br_table_every_target) {
  int32_t r[6];
  CHECK_EQ_INT(call6(brtable_text, "f", 0, r, 6), AW_OK);
  CHECK(same6(r, 1, 2, 3, 4, 0, 100));
  CHECK_EQ_INT(call6(brtable_text, "f", 1, r, 6), AW_OK);
  CHECK(same6(r, 1, 2, 3, 4, 1, 200));
  CHECK_EQ_INT(call6(brtable_text, "f", 2, r, 6), AW_OK);
  CHECK(same6(r, 1, 2, 3, 4, 2, 200));
  CHECK_EQ_INT(call6(brtable_text, "f", 3, r, 6), AW_OK);
  CHECK(same6(r, 1, 2, 3, 4, 3, 6));
  CHECK_EQ_INT(call6(brtable_text, "f", 77, r, 6), AW_OK);
  CHECK(same6(r, 1, 2, 3, 4, 77, 6));
}

/* br_if to the function's label and return, with six values above two
   extra ones: the results overlap the frame's first slots (memmove). */
static const char *const ret_text =
    "(module (func (export \"f\") (param $c i32) " R6 "\n"
    "  (i32.const 98) (i32.const 99)\n"
    "  (i32.const 11) (local.get $c) (i32.const 13) (i32.const 14)\n"
    "  (i32.const 15) (i32.const 16)\n"
    "  (br_if 0 (local.get $c))\n"
    "  (drop) (i32.const 26)\n"
    "  (br_if 0 (i32.eq (local.get $c) (i32.const 0)))\n"
    "  (unreachable)))";

TEST(arity_return_through_br_if) {
  int32_t r[6];
  CHECK_EQ_INT(call6(ret_text, "f", 5, r, 6), AW_OK);
  CHECK(same6(r, 11, 5, 13, 14, 15, 16));
  CHECK_EQ_INT(call6(ret_text, "f", 0, r, 6), AW_OK);
  CHECK(same6(r, 11, 0, 13, 14, 15, 26));
}

/* A loop with six params whose back-edge (br_if) shifts the values over
   an extra one; counts the first value down to 0 while summing into the
   second.  Then call and call_indirect of a six-to-six function. */
static const char *const loop_text =
    "(module\n"
    "  (type $t6 (func " P6 " " R6 "))\n"
    "  (table 1 funcref) (elem (i32.const 0) $rev)\n"
    "  (func $rev (type $t6)\n"
    "    (local.get 5) (local.get 4) (local.get 3) (local.get 2)\n"
    "    (local.get 1) (local.get 0))\n"
    "  (func (export \"loop\") (param $n i32) " R6 "\n"
    "    (local $a i32) (local $b i32)\n"
    "    (local.get $n) (i32.const 0) (i32.const 3) (i32.const 4)\n"
    "    (i32.const 5) (i32.const 6)\n"
    "    (loop (type $t6)\n"
    "      (local.set $b) (local.set $b) (local.set $b) (local.set $b)\n"
    "      (local.set $a) (local.set $n)\n"
    "      (i32.const 1234)\n"
    "      (i32.sub (local.get $n) (i32.const 1))\n"
    "      (i32.add (local.get $a) (local.get $n))\n"
    "      (i32.const 3) (i32.const 4) (i32.const 5) (local.get $b)\n"
    "      (br_if 0 (i32.gt_s (local.get $n) (i32.const 1)))\n"
    "      (return)))\n"
    "  (func (export \"call\") (param $x i32) " R6 "\n"
    "    (call $rev (i32.const 1) (local.get $x) (i32.const 3)\n"
    "      (i32.const 4) (i32.const 5) (i32.const 6)))\n"
    "  (func (export \"call_indirect\") (param $x i32) " R6 "\n"
    "    (i32.const 1) (local.get $x) (i32.const 3) (i32.const 4)\n"
    "    (i32.const 5)\n"
    "    (call_indirect (type $t6) (local.get $x)\n"
    "      (i32.sub (local.get $x) (local.get $x)))))";

TEST(arity_loop_and_calls) {
  int32_t r[6];
  CHECK_EQ_INT(call6(loop_text, "loop", 10, r, 6), AW_OK);
  /* The body runs for n = 10 .. 1, adding n to the second value; the
     sixth becomes the third param (the last local.set $b). */
  CHECK(same6(r, 0, 55, 3, 4, 5, 3));
  CHECK_EQ_INT(call6(loop_text, "call", 2, r, 6), AW_OK);
  CHECK(same6(r, 6, 5, 4, 3, 2, 1));
  CHECK_EQ_INT(call6(loop_text, "call_indirect", 9, r, 6), AW_OK);
  /* Arguments 1 9 3 4 5 9, the index 0 (x - x) above them. */
  CHECK(same6(r, 9, 5, 4, 3, 9, 1));
}
