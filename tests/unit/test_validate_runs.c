/*
 * test_validate_runs.c - the validator's O(1) paths for lists of 8 or
 * more values (runs of multi-value pushes, interned type lists) must
 * accept and reject exactly what the value-by-value algorithm does: a run
 * cut by a pop and a push of another type, a run partly popped, unknown
 * types of dead code (which never make a run), runs stacked on runs.
 */
#include "airssys/wasm.h"
#include "decode/decode.h"
#include "test.h"
#include "validate/val_internal.h"
#include <stdlib.h>

/* A module: t0 = [] -> [i32 x 8], t1 = [] -> [], t2 = [i32 x 8] ->
   [i32 x 8]; g : t0 (eight i32.const 0), f : t1 with one i64 local and
   the given code (without the final end).  Returns aw_module_new's
   outcome. */
static aw_errkind check_f(const uint8_t *code, size_t n) {
  uint8_t m[512];
  size_t k = 0;
  static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  memcpy(m, head, 8);
  k = 8;
  /* type section: 3 types */
  uint8_t ts[64];
  size_t t = 0;
  ts[t++] = 3;
  ts[t++] = 0x60;
  ts[t++] = 0;
  ts[t++] = 8;
  for (int i = 0; i < 8; i++)
    ts[t++] = 0x7F;
  ts[t++] = 0x60;
  ts[t++] = 0;
  ts[t++] = 0;
  ts[t++] = 0x60;
  ts[t++] = 8;
  for (int i = 0; i < 8; i++)
    ts[t++] = 0x7F;
  ts[t++] = 8;
  for (int i = 0; i < 8; i++)
    ts[t++] = 0x7F;
  m[k++] = 1;
  m[k++] = (uint8_t)t;
  memcpy(m + k, ts, t);
  k += t;
  /* function section: g : t0, f : t1 */
  static const uint8_t fs[] = {3, 3, 2, 0, 1};
  memcpy(m + k, fs, sizeof fs);
  k += sizeof fs;
  /* code section */
  uint8_t g[18];
  size_t gn = 0;
  g[gn++] = 0;
  for (int i = 0; i < 8; i++) {
    g[gn++] = 0x41;
    g[gn++] = 0;
  }
  g[gn++] = 0x0B;
  size_t fn = 3 + n + 1; /* locals, code, end */
  size_t cs = 1 + 1 + gn + 1 + fn;
  m[k++] = 10;
  m[k++] = (uint8_t)cs;
  m[k++] = 2;
  m[k++] = (uint8_t)gn;
  memcpy(m + k, g, gn);
  k += gn;
  m[k++] = (uint8_t)fn;
  m[k++] = 1;
  m[k++] = 1;
  m[k++] = 0x7E;
  memcpy(m + k, code, n);
  k += n;
  m[k++] = 0x0B;
  aw_engine *e = aw_engine_new(NULL);
  aw_error err;
  aw_module *mod = aw_module_new(e, m, k, &err);
  aw_errkind kind = mod ? AW_OK : err.kind;
  aw_module_free(mod);
  aw_engine_free(e);
  return kind;
}

#define CODE(...)                                                              \
  ((const uint8_t[]){__VA_ARGS__}), sizeof((uint8_t[]){__VA_ARGS__})
#define CALL_G 0x10, 0
#define BLOCK_T2 0x02, 2, 0x0B
#define DROP8 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A
#define I32_0 0x41, 0

TEST(val_runs_accept_what_the_spec_accepts) {
  /* a run of g's results passes a block [8] -> [8] */
  CHECK_EQ_INT(check_f(CODE(CALL_G, BLOCK_T2, DROP8)), AW_OK);
  /* two runs stacked: each block sees the top one */
  CHECK_EQ_INT(check_f(CODE(CALL_G, CALL_G, BLOCK_T2, DROP8, BLOCK_T2, DROP8)),
               AW_OK);
  /* a run cut and rebuilt value by value: still the right types */
  CHECK_EQ_INT(check_f(CODE(CALL_G, 0x1A, 0x1A, I32_0, I32_0, BLOCK_T2, DROP8)),
               AW_OK);
  /* dead code: six values over the polymorphic bottom, br_if to [8] */
  CHECK_EQ_INT(check_f(CODE(0x02, 0, 0x00, I32_0, I32_0, I32_0, I32_0, I32_0,
                            I32_0, I32_0, 0x0D, 0, 0x0B, DROP8)),
               AW_OK);
}

TEST(val_runs_reject_what_the_spec_rejects) {
  /* a run cut by a drop and an i64 push */
  CHECK_EQ_INT(check_f(CODE(CALL_G, 0x1A, 0x42, 0, BLOCK_T2, DROP8)),
               AW_ERR_INVALID);
  /* a run partly popped: 7 values for a block of 8 params */
  CHECK_EQ_INT(check_f(CODE(CALL_G, 0x1A, BLOCK_T2, DROP8)), AW_ERR_INVALID);
  /* the i64 local read over a run, then a call of t2 shape via block */
  CHECK_EQ_INT(check_f(CODE(CALL_G, 0x1A, 0x20, 0, BLOCK_T2, DROP8)),
               AW_ERR_INVALID);
  /* dead code: br_if pushed the label's 8 concrete types (unknowns
     replaced); an i64 in place of one of them is a mismatch at end */
  CHECK_EQ_INT(check_f(CODE(0x02, 0, 0x00, I32_0, I32_0, I32_0, I32_0, I32_0,
                            I32_0, I32_0, 0x0D, 0, 0x1A, 0x42, 0, 0x0B, DROP8)),
               AW_ERR_INVALID);
  /* a fast pop, then the block's params pushed back, then one too many
     drops at the end: the stack height must still be exact */
  CHECK_EQ_INT(check_f(CODE(CALL_G, BLOCK_T2, DROP8, 0x1A)), AW_ERR_INVALID);
}

/* Interning: equal lists get one pointer, different ones not, single
   values the shared static lists; the work is charged and a budget
   stops it (a type section crafted to collide cannot hang it). */
TEST(val_canon_types_interns_and_is_bounded) {
  /* types: [i32 i32] -> [i64 i64], [i32 i32] -> [i64 i64], [] -> [i32],
     [i64] -> [i32 i32] */
  static const uint8_t mod[] = {
      0,    'a',  's',  'm', 1,    0,    0,    0,    1,    25,   4,   0x60,
      2,    0x7F, 0x7F, 2,   0x7E, 0x7E, 0x60, 2,    0x7F, 0x7F, 2,   0x7E,
      0x7E, 0x60, 0,    1,   0x7F, 0x60, 1,    0x7E, 2,    0x7F, 0x7F};
  wm_module m;
  aw_error err;
  int rc = dec_module(mod, sizeof mod, &m, &err);
  CHECK_EQ_INT(rc, 0);
  if (rc) return;
  val_state s;
  memset(&s, 0, sizeof s);
  CHECK_EQ_INT(val_canon_types(&m, &s, 0, &err), 0);
  CHECK(s.ncanon == 4);
  if (s.ncanon == 4) {
    CHECK(s.cparams[0] == s.cparams[1]); /* same content */
    CHECK(s.cresults[0] == s.cresults[1]);
    CHECK(s.cparams[0] == s.cresults[3]);       /* [i32 i32] both */
    CHECK(s.cparams[0] != s.cresults[0]);       /* [i32 i32] vs [i64 i64] */
    CHECK(s.cresults[2][0] == 0x7F);            /* a single value */
    CHECK(s.cresults[2] != m.types[2].results); /* the static list */
  }
  CHECK(s.work > 0);
  val_state_free(&s);
  memset(&s, 0, sizeof s);
  CHECK_EQ_INT(val_canon_types(&m, &s, 2, &err), -1);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_COMPILE);
  CHECK_EQ_INT(err.figures.limit.limit, 2);
  val_state_free(&s);
  wm_module_free(&m);
}
