/*
 * test_compile_cost.c - compiling and validating are linear in the input
 * (issue 10): 1 MB modules built to make the work per instruction grow
 * with the arity of labels and function types (br_if to a 1,000-result
 * block, blocks [1000] -> [1000], a br_table cycling over 64 distinct
 * 1,000-result label types, calls of a 1,000 -> 1,000 function) must
 * compile within the documented bounds: generated code bytes and compile
 * units (aw_engine_config.compile_units_per_byte) per input byte.  The
 * counts are deterministic, so these are not timing tests; the times are
 * in docs/hardening.md ("Compile cost", bench/compile/run.sh).
 *
 * Before the fix, br_if/1000 made ~55 KB of code per 4 input bytes (so
 * the 1 MB case needed ~13 GB) and the others took seconds.
 */
#include "airssys/wasm.h"
#include "compile/code.h"
#include "runtime.h"
#include "test.h"
#include <stdlib.h>

/* The documented bounds (docs/hardening.md, "Compile cost"), for these
   cases and for ordinary code alike. */
#define CODE_BYTES_PER_INPUT_BYTE 16
#define UNITS_PER_INPUT_BYTE 8

typedef struct buf {
  uint8_t *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *s, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n)
      cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) abort();
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void byte(buf *b, uint8_t c) {
  put(b, &c, 1);
}

static void leb(buf *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    byte(b, v ? (uint8_t)(c | 0x80) : c);
  } while (v);
}

static void rep(buf *b, const uint8_t *s, size_t n, size_t times) {
  for (size_t i = 0; i < times; i++)
    put(b, s, n);
}

static void section(buf *m, uint8_t id, buf *s) {
  byte(m, id);
  leb(m, (uint32_t)s->n);
  put(m, s->p, s->n);
  free(s->p);
  memset(s, 0, sizeof *s);
}

static void functype(buf *s, uint32_t np, uint32_t nr) {
  byte(s, 0x60);
  leb(s, np);
  for (uint32_t i = 0; i < np; i++)
    byte(s, 0x7F);
  leb(s, nr);
  for (uint32_t i = 0; i < nr; i++)
    byte(s, 0x7F);
}

/* A module: types (k copies of [] -> [a], then [a] -> [a] if two), the
   functions' type indices, and their bodies. */
static void module(buf *m, uint32_t a, uint32_t k, bool two, const uint32_t *ft,
                   uint32_t nf, buf *bodies) {
  static const uint8_t hdr[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  buf s = {0};
  put(m, hdr, 8);
  leb(&s, k + (two ? 1u : 0u));
  for (uint32_t i = 0; i < k; i++)
    functype(&s, 0, a);
  if (two) functype(&s, a, a);
  section(m, 1, &s);
  leb(&s, nf);
  for (uint32_t i = 0; i < nf; i++)
    leb(&s, ft[i]);
  section(m, 3, &s);
  leb(&s, nf);
  for (uint32_t i = 0; i < nf; i++) {
    leb(&s, (uint32_t)bodies[i].n);
    put(&s, bodies[i].p, bodies[i].n);
    free(bodies[i].p);
  }
  section(m, 10, &s);
}

enum { BRIF, BRIF_DEEP, BLOCK, BRTABLE, CALL };

/* The cases of bench/compile/gen.py, about size bytes, arity a. */
static void gen(buf *m, int which, uint32_t a, size_t size) {
  static const uint8_t locals[] = {1, 1, 0x7F}, get0[] = {0x20, 0};
  buf b[2] = {{0}, {0}};
  put(&b[0], locals, sizeof locals);
  uint32_t ft[2] = {0, 1};
  if (which == BRIF || which == BRIF_DEEP) {
    static const uint8_t unit[] = {0x20, 0, 0x0D, 0};
    byte(&b[0], 0x02);
    byte(&b[0], 0x00);
    if (which == BRIF_DEEP) put(&b[0], (const uint8_t[]){0x41, 0}, 2);
    rep(&b[0], get0, 2, a);
    rep(&b[0], unit, 4, size / 4);
    if (which == BRIF_DEEP) put(&b[0], (const uint8_t[]){0x0C, 0}, 2);
    put(&b[0], (const uint8_t[]){0x0B, 0x0B}, 2);
    module(m, a, 1, false, ft, 1, b);
  } else if (which == BLOCK) {
    static const uint8_t unit[] = {0x02, 0x01, 0x0B};
    rep(&b[0], get0, 2, a);
    rep(&b[0], unit, 3, size / 3);
    byte(&b[0], 0x0B);
    module(m, a, 1, true, ft, 1, b);
  } else if (which == BRTABLE) {
    for (uint32_t t = 0; t < 64; t++) {
      byte(&b[0], 0x02);
      leb(&b[0], t);
    }
    rep(&b[0], get0, 2, a);
    put(&b[0], (const uint8_t[]){0x20, 0, 0x0E}, 3);
    uint32_t nl = (uint32_t)size;
    leb(&b[0], nl);
    for (uint32_t j = 0; j < nl; j++)
      byte(&b[0], (uint8_t)(j % 64));
    byte(&b[0], 0);
    for (uint32_t t = 0; t <= 64; t++)
      byte(&b[0], 0x0B);
    module(m, a, 64, false, ft, 1, b);
  } else {
    static const uint8_t unit[] = {0x10, 0x01};
    rep(&b[0], get0, 2, a);
    rep(&b[0], unit, 2, size / 2);
    byte(&b[0], 0x0B);
    byte(&b[1], 0);
    for (uint32_t i = 0; i < a; i++) {
      byte(&b[1], 0x20);
      leb(&b[1], i);
    }
    byte(&b[1], 0x0B);
    module(m, a, 1, true, ft, 2, b);
  }
}

/* Compiles m with the given budget (0, 0: the defaults); returns the
   module (NULL on error, in *err). */
static aw_module *compile(aw_engine **e, const buf *m, uint32_t per_byte,
                          uint64_t base, aw_error *err) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  if (per_byte) cfg.compile_units_per_byte = per_byte;
  if (base) cfg.compile_units_base = base;
  *e = aw_engine_new(&cfg);
  return aw_module_new(*e, m->p, m->n, err);
}

static uint64_t code_bytes(const aw_module *mod) {
  uint64_t n = 0;
  for (uint32_t i = 0; i < mod->m.nfuncs - mod->m.nfuncs_imported; i++)
    n += (uint64_t)mod->m.funcs[i].code->ncells * sizeof(uint32_t);
  return n;
}

/* Every case at 1 MB, arities 1000 and 1: compiles under a budget of
   UNITS_PER_INPUT_BYTE units per byte with a small constant, and makes
   at most CODE_BYTES_PER_INPUT_BYTE bytes of code per input byte. */
static void check_case(int *test_failed_, int which, uint32_t a) {
  buf m = {0};
  gen(&m, which, a, 1u << 20);
  aw_engine *e = NULL;
  aw_error err;
  aw_module *mod = compile(&e, &m, UNITS_PER_INPUT_BYTE, 1u << 16, &err);
  if (!mod) fprintf(stderr, "  case %d/%u: %s\n", which, a, err.message);
  CHECK(mod != NULL);
  if (mod) {
    uint64_t code = code_bytes(mod);
    CHECK(code <= (uint64_t)CODE_BYTES_PER_INPUT_BYTE * m.n);
    CHECK(mod->compile_units <=
          (uint64_t)UNITS_PER_INPUT_BYTE * m.n + (1u << 16));
    printf("  case %d arity %u: %zu bytes -> %llu code bytes (%.2f/byte), "
           "%.2f units/byte\n",
           which, a, m.n, (unsigned long long)code, (double)code / m.n,
           (double)mod->compile_units / m.n);
  }
  aw_module_free(mod);
  aw_engine_free(e);
  free(m.p);
}

TEST(compile_cost_br_if_1000_results) {
  check_case(test_failed_, BRIF, 1000);
  check_case(test_failed_, BRIF_DEEP, 1000);
  check_case(test_failed_, BRIF, 1);
  check_case(test_failed_, BRIF_DEEP, 1);
}

TEST(compile_cost_block_labels_1000) {
  check_case(test_failed_, BLOCK, 1000);
  check_case(test_failed_, BLOCK, 1);
}

TEST(compile_cost_br_table_64_label_types) {
  check_case(test_failed_, BRTABLE, 1000);
  check_case(test_failed_, BRTABLE, 1);
}

TEST(compile_cost_call_1000_to_1000) {
  check_case(test_failed_, CALL, 1000);
  check_case(test_failed_, CALL, 1);
}

/* Past the budget: AW_ERR_LIMIT_EXCEEDED with resource compile and its
   figures, at an instruction of the function; the same module compiles
   with the default budget. */
TEST(compile_budget_refuses_with_figures) {
  buf m = {0};
  gen(&m, CALL, 1000, 1u << 16);
  aw_engine *e = NULL;
  aw_error err;
  aw_module *mod = compile(&e, &m, 1, 1000, &err);
  CHECK(mod == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_COMPILE);
  CHECK_EQ_INT(err.figures.limit.limit, m.n + 1000);
  CHECK(err.figures.limit.requested > err.figures.limit.limit);
  CHECK(err.offset < m.n);
  CHECK(strstr(err.message, "compile budget") != NULL);
  aw_module_free(mod);
  aw_engine_free(e);
  mod = compile(&e, &m, 0, 0, &err);
  CHECK(mod != NULL);
  aw_module_free(mod);
  aw_engine_free(e);
  free(m.p);
}

/* A hostile module that no fast path helps: in dead code, 998 i32
   values over the polymorphic bottom, then a br_table cycling over 36
   blocks whose types [X Y i32 x 998] differ in the two values the stack
   leaves unknown (X, Y among the 6 value types): every label matches,
   each check costs 998, and 36 lists overflow the validator's cache of
   checked lists.  The work grows with labels x arity, so the compile
   budget must stop it, inside the one long instruction, with at most
   one label's work past the budget. */
TEST(compile_budget_stops_one_long_instruction) {
  static const uint8_t vt[6] = {0x7F, 0x7E, 0x7D, 0x7C, 0x70, 0x6F};
  static const uint8_t hdr[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  buf m = {0}, s = {0}, b = {0};
  put(&m, hdr, 8);
  leb(&s, 37); /* 36 label types, then f: [] -> [] */
  for (uint32_t k = 0; k < 36; k++) {
    put(&s, (const uint8_t[]){0x60, 0}, 2);
    leb(&s, 1000);
    byte(&s, vt[k / 6]);
    byte(&s, vt[k % 6]);
    for (uint32_t i = 0; i < 998; i++)
      byte(&s, 0x7F);
  }
  put(&s, (const uint8_t[]){0x60, 0, 0}, 3);
  section(&m, 1, &s);
  put(&s, (const uint8_t[]){1, 36}, 2);
  section(&m, 3, &s);
  put(&b, (const uint8_t[]){1, 1, 0x7F}, 3);
  for (uint32_t t = 0; t < 36; t++) {
    byte(&b, 0x02);
    leb(&b, t);
  }
  byte(&b, 0x00); /* unreachable */
  for (uint32_t i = 0; i < 998; i++)
    put(&b, (const uint8_t[]){0x20, 0}, 2);
  put(&b, (const uint8_t[]){0x20, 0, 0x0E}, 3);
  uint32_t nl = 1u << 20;
  leb(&b, nl);
  for (uint32_t j = 0; j < nl; j++)
    byte(&b, (uint8_t)(j % 36));
  byte(&b, 0);
  for (uint32_t t = 0; t < 36; t++) /* end, and drop its results */
    put(&b, (const uint8_t[]){0x0B, 0x00}, 2);
  byte(&b, 0x0B);
  leb(&s, 1);
  leb(&s, (uint32_t)b.n);
  put(&s, b.p, b.n);
  free(b.p);
  section(&m, 10, &s);
  aw_engine *e = NULL;
  aw_error err;
  aw_module *mod = compile(&e, &m, 0, 0, &err);
  CHECK(mod == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_COMPILE);
  CHECK_EQ_INT(err.figures.limit.limit,
               (uint64_t)AW_DEFAULT_COMPILE_UNITS_PER_BYTE * m.n +
                   AW_DEFAULT_COMPILE_UNITS_BASE);
  CHECK(err.figures.limit.requested <= err.figures.limit.limit + 1000);
  aw_module_free(mod);
  aw_engine_free(e);
  free(m.p);
}
