/*
 * hostile_gen.c - hostile modules built in C, too large or too deeply
 * nested for wat2wasm (whose own parser recurses): 100k nested blocks,
 * loops and ifs, a 1M-entry br_table, locals at and over the decoder's
 * cap, 100k functions, exports and imports, huge segments, huge bodies and
 * lying counts.  Each is compiled (timed) and, when it compiles, run under
 * the executor with the outcome it must have.
 */
#include "hostile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  uint8_t *p;
  size_t n, cap;
} hb;

static void hb_put(hb *b, const void *s, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n)
      cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
      fprintf(stderr, "hostile_gen: out of memory\n");
      exit(2);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void hb_byte(hb *b, uint8_t c) {
  hb_put(b, &c, 1);
}

static void hb_u32(hb *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    hb_byte(b, v ? (uint8_t)(c | 0x80) : c);
  } while (v);
}

static void hb_fill(hb *b, uint8_t c, size_t n) {
  for (size_t i = 0; i < n; i++)
    hb_byte(b, c);
}

static void hb_str(hb *b, const char *s) {
  hb_u32(b, (uint32_t)strlen(s));
  hb_put(b, s, strlen(s));
}

/* Appends section id holding sec (freed). */
static void hb_section(hb *m, uint8_t id, hb *sec) {
  hb_byte(m, id);
  hb_u32(m, (uint32_t)sec->n);
  hb_put(m, sec->p, sec->n);
  free(sec->p);
  memset(sec, 0, sizeof *sec);
}

static void hb_header(hb *m) {
  static const uint8_t h[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  hb_put(m, h, sizeof h);
}

/* Type section with one type: params/results of i32. */
static void sec_type(hb *m, uint32_t np, uint32_t nr) {
  hb s = {0};
  hb_u32(&s, 1);
  hb_byte(&s, 0x60);
  hb_u32(&s, np);
  hb_fill(&s, 0x7F, np);
  hb_u32(&s, nr);
  hb_fill(&s, 0x7F, nr);
  hb_section(m, 1, &s);
}

/* Function section: n functions of type 0. */
static void sec_funcs(hb *m, uint32_t n) {
  hb s = {0};
  hb_u32(&s, n);
  hb_fill(&s, 0, n);
  hb_section(m, 3, &s);
}

static void sec_export_f(hb *m, uint32_t idx) {
  hb s = {0};
  hb_u32(&s, 1);
  hb_str(&s, "f");
  hb_byte(&s, 0);
  hb_u32(&s, idx);
  hb_section(m, 7, &s);
}

/* Code section with one body (locals encoded by the caller in body). */
static void sec_code1(hb *m, hb *body) {
  hb s = {0};
  hb_u32(&s, 1);
  hb_u32(&s, (uint32_t)body->n);
  hb_put(&s, body->p, body->n);
  free(body->p);
  memset(body, 0, sizeof *body);
  hb_section(m, 10, &s);
}

/* A module with one exported function f of type (i32^np) -> (i32^nr). */
static void one_func(hb *m, uint32_t np, uint32_t nr, hb *body) {
  hb_header(m);
  sec_type(m, np, nr);
  sec_funcs(m, 1);
  sec_export_f(m, 0);
  sec_code1(m, body);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Compiles m (freed) expecting `expect`; if it compiles and c is given,
   runs c.  The compile must take under max_ms. */
static void gen_case(aw_engine *e, const char *name, hb *m, aw_errkind expect,
                     hs_case *c, double max_ms) {
  char nm[200];
  snprintf(nm, sizeof nm, "gen:%s:module", name);
  int fds0 = hs_open_fds();
  aw_error err;
  double t0 = now_ms();
  aw_module *mod = aw_module_new(e, m->p, m->n, &err);
  double ms = now_ms() - t0;
  free(m->p);
  memset(m, 0, sizeof *m);
  aw_errkind got = mod ? AW_OK : err.kind;
  hs_result(nm, got == expect && ms <= max_ms && (mod || err.message[0]),
            "compile: %s in %.0f ms (max %.0f), expected %s: %s",
            aw_errkind_name(got), ms, max_ms, aw_errkind_name(expect),
            mod ? "" : err.message);
  if (getenv("AW_HOSTILE_VERBOSE"))
    printf("     %s: %s in %.1f ms%s%s\n", nm, aw_errkind_name(got), ms,
           mod ? "" : ": ", mod ? "" : err.message);
  if (mod && c) {
    snprintf(c->name, sizeof c->name, "gen:%s:%s", name, c->func);
    hs_run_case(e, mod, c);
  }
  aw_module_free(mod);
  if (hs_open_fds() != fds0) hs_result(nm, false, "fd leak");
}

static hs_case expect_result(int64_t r) {
  hs_case c;
  hs_case_init(&c);
  snprintf(c.func, sizeof c.func, "f");
  c.expect = AW_OK;
  c.has_result = true;
  c.result = r;
  return c;
}

/* 100k nested blocks / loops / ifs around i32.const 7. */
static void nested(aw_engine *e, const char *name, uint8_t op, uint32_t n) {
  hb m = {0}, body = {0};
  hb_u32(&body, 0);
  for (uint32_t i = 0; i < n; i++) {
    if (op == 0x04) {
      hb_byte(&body, 0x41);
      hb_byte(&body, 1);
    }
    hb_byte(&body, op);
    hb_byte(&body, 0x40);
  }
  for (uint32_t i = 0; i < n; i++)
    hb_byte(&body, 0x0B);
  hb_byte(&body, 0x41);
  hb_byte(&body, 7);
  hb_byte(&body, 0x0B);
  one_func(&m, 0, 1, &body);
  hs_case c = expect_result(7);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* block block (br_table with n entries) ... */
static void big_br_table(aw_engine *e, uint32_t n, int64_t arg, int64_t r) {
  hb m = {0}, body = {0};
  hb_u32(&body, 0);
  hb_byte(&body, 0x02);
  hb_byte(&body, 0x40);
  hb_byte(&body, 0x02);
  hb_byte(&body, 0x40);
  hb_byte(&body, 0x20);
  hb_byte(&body, 0);
  hb_byte(&body, 0x0E);
  hb_u32(&body, n);
  for (uint32_t i = 0; i < n; i++)
    hb_byte(&body, (uint8_t)(i & 1));
  hb_byte(&body, 1); /* default */
  hb_byte(&body, 0x0B);
  hb_byte(&body, 0x41);
  hb_byte(&body, 10);
  hb_byte(&body, 0x0F);
  hb_byte(&body, 0x0B);
  hb_byte(&body, 0x41);
  hb_byte(&body, 20);
  hb_byte(&body, 0x0B);
  one_func(&m, 1, 1, &body);
  hs_case c = expect_result(r);
  c.args[0] = arg;
  c.nargs = 1;
  char name[64];
  snprintf(name, sizeof name, "br_table_%u[%lld]", n, (long long)arg);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* A function with n i32 locals declared in groups of g; returns the last. */
static void many_locals(aw_engine *e, uint32_t n, uint32_t g,
                        aw_errkind expect) {
  hb m = {0}, body = {0};
  uint32_t groups = (n + g - 1) / g;
  hb_u32(&body, groups);
  for (uint32_t i = 0; i < groups; i++) {
    hb_u32(&body, i + 1 < groups ? g : n - g * (groups - 1));
    hb_byte(&body, 0x7F);
  }
  hb_byte(&body, 0x20);
  hb_u32(&body, n - 1);
  hb_byte(&body, 0x0B);
  one_func(&m, 0, 1, &body);
  hs_case c = expect_result(0);
  char name[64];
  snprintf(name, sizeof name, "locals_%u_by_%u", n, g);
  gen_case(e, name, &m, expect, &c, 10000);
}

/* n functions (result i32) each returning its index; exports the last
   (or every one when all_exports). */
static void many_funcs(aw_engine *e, uint32_t n, bool all_exports) {
  hb m = {0}, s = {0};
  hb_header(&m);
  sec_type(&m, 0, 1);
  sec_funcs(&m, n);
  if (all_exports) {
    hb_u32(&s, n);
    char nm[16];
    for (uint32_t i = 0; i < n; i++) {
      snprintf(nm, sizeof nm, i + 1 == n ? "f" : "e%u", i);
      hb_str(&s, nm);
      hb_byte(&s, 0);
      hb_u32(&s, i);
    }
    hb_section(&m, 7, &s);
  } else {
    sec_export_f(&m, n - 1);
  }
  hb_u32(&s, n);
  for (uint32_t i = 0; i < n; i++) {
    hb body = {0};
    hb_u32(&body, 0);
    hb_byte(&body, 0x41);
    hb_u32(&body, i & 0x3F); /* small positive: one LEB byte */
    hb_byte(&body, 0x0B);
    hb_u32(&s, (uint32_t)body.n);
    hb_put(&s, body.p, body.n);
    free(body.p);
  }
  hb_section(&m, 10, &s);
  hs_case c = expect_result((n - 1) & 0x3F);
  char name[64];
  snprintf(name, sizeof name, "funcs_%u%s", n, all_exports ? "_exported" : "");
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* n imported functions: the executor cannot link them. */
static void many_imports(aw_engine *e, uint32_t n) {
  hb m = {0}, s = {0};
  hb_header(&m);
  sec_type(&m, 0, 1);
  hb_u32(&s, n);
  char nm[16];
  for (uint32_t i = 0; i < n; i++) {
    hb_str(&s, "env");
    snprintf(nm, sizeof nm, "i%u", i);
    hb_str(&s, nm);
    hb_byte(&s, 0);
    hb_u32(&s, 0);
  }
  hb_section(&m, 2, &s);
  sec_export_f(&m, 0);
  hs_case c;
  hs_case_init(&c);
  snprintf(c.func, sizeof c.func, "f");
  c.expect = AW_ERR_LINK;
  char name[64];
  snprintf(name, sizeof name, "imports_%u", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* n exports all named "f": invalid (duplicate names). */
static void duplicate_exports(aw_engine *e, uint32_t n) {
  hb m = {0}, s = {0}, body = {0};
  hb_header(&m);
  sec_type(&m, 0, 0);
  sec_funcs(&m, 1);
  hb_u32(&s, n);
  char nm[16];
  for (uint32_t i = 0; i < n; i++) {
    snprintf(nm, sizeof nm, "x%u", i + 1 == n ? 0 : i);
    hb_str(&s, nm);
    hb_byte(&s, 0);
    hb_u32(&s, 0);
  }
  hb_section(&m, 7, &s);
  hb_u32(&body, 0);
  hb_byte(&body, 0x0B);
  sec_code1(&m, &body);
  char name[64];
  snprintf(name, sizeof name, "exports_%u_last_duplicate", n);
  gen_case(e, name, &m, AW_ERR_INVALID, NULL, 20000);
}

/* A section whose count claims 2^32-1 entries in a few bytes. */
static void lying_count(aw_engine *e, uint8_t id) {
  hb m = {0}, s = {0};
  hb_header(&m);
  hb_u32(&s, 0xFFFFFFFFu);
  hb_fill(&s, 0, 8);
  hb_section(&m, id, &s);
  char name[64];
  snprintf(name, sizeof name, "count_4G_in_section_%u", id);
  gen_case(e, name, &m, AW_ERR_MALFORMED, NULL, 2000);
}

/* Memory of 1 page with an active data segment of n bytes at 0. */
static void huge_data(aw_engine *e, uint32_t n) {
  hb m = {0}, s = {0}, body = {0};
  hb_header(&m);
  sec_type(&m, 0, 1);
  sec_funcs(&m, 1);
  hb_u32(&s, 1);
  hb_byte(&s, 0);
  hb_u32(&s, 1);
  hb_section(&m, 5, &s);
  sec_export_f(&m, 0);
  hb_u32(&body, 0);
  hb_byte(&body, 0x41);
  hb_byte(&body, 1);
  hb_byte(&body, 0x0B);
  sec_code1(&m, &body);
  hb_u32(&s, 1);
  hb_byte(&s, 0);
  hb_byte(&s, 0x41);
  hb_byte(&s, 0);
  hb_byte(&s, 0x0B);
  hb_u32(&s, n);
  hb_fill(&s, 0xAB, n);
  hb_section(&m, 11, &s);
  hs_case c;
  hs_case_init(&c);
  snprintf(c.func, sizeof c.func, "f");
  c.expect = AW_ERR_TRAP;
  c.expect_trap = AW_TRAP_OUT_OF_BOUNDS_MEMORY;
  char name[64];
  snprintf(name, sizeof name, "data_segment_%u_bytes", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* Table of 10 with an active element segment of n entries at 0. */
static void huge_elem(aw_engine *e, uint32_t n) {
  hb m = {0}, s = {0}, body = {0};
  hb_header(&m);
  sec_type(&m, 0, 1);
  sec_funcs(&m, 1);
  hb_u32(&s, 1);
  hb_byte(&s, 0x70);
  hb_byte(&s, 0);
  hb_u32(&s, 10);
  hb_section(&m, 4, &s);
  sec_export_f(&m, 0);
  hb_u32(&s, 1);
  hb_byte(&s, 0);
  hb_byte(&s, 0x41);
  hb_byte(&s, 0);
  hb_byte(&s, 0x0B);
  hb_u32(&s, n);
  hb_fill(&s, 0, n);
  hb_section(&m, 9, &s);
  hb_u32(&body, 0);
  hb_byte(&body, 0x41);
  hb_byte(&body, 1);
  hb_byte(&body, 0x0B);
  sec_code1(&m, &body);
  hs_case c;
  hs_case_init(&c);
  snprintf(c.func, sizeof c.func, "f");
  c.expect = AW_ERR_TRAP;
  c.expect_trap = AW_TRAP_OUT_OF_BOUNDS_TABLE;
  char name[64];
  snprintf(name, sizeof name, "elem_segment_%u_entries", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* One body of n nops. */
static void huge_body(aw_engine *e, uint32_t n) {
  hb m = {0}, body = {0};
  hb_u32(&body, 0);
  hb_fill(&body, 0x01, n);
  hb_byte(&body, 0x41);
  hb_byte(&body, 3);
  hb_byte(&body, 0x0B);
  one_func(&m, 0, 1, &body);
  hs_case c = expect_result(3);
  char name[64];
  snprintf(name, sizeof name, "body_%u_nops", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* A body of n (i32.const 1) pushes: a deep operand stack, then drops. */
static void deep_stack(aw_engine *e, uint32_t n) {
  hb m = {0}, body = {0};
  hb_u32(&body, 0);
  for (uint32_t i = 0; i < n; i++) {
    hb_byte(&body, 0x41);
    hb_byte(&body, 1);
  }
  for (uint32_t i = 1; i < n; i++)
    hb_byte(&body, 0x6A); /* i32.add */
  hb_byte(&body, 0x0B);
  one_func(&m, 0, 1, &body);
  hs_case c = expect_result(n);
  char name[64];
  snprintf(name, sizeof name, "operand_stack_%u", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* A type with n params. */
static void many_params(aw_engine *e, uint32_t n, aw_errkind expect) {
  hb m = {0}, body = {0};
  hb_u32(&body, 0);
  hb_byte(&body, 0x41);
  hb_byte(&body, 5);
  hb_byte(&body, 0x0B);
  one_func(&m, n, 1, &body);
  hs_case c = expect_result(5);
  char name[64];
  snprintf(name, sizeof name, "params_%u", n);
  gen_case(e, name, &m, expect, &c, 5000);
}

/* n levels of nesting, each holding a block with a br_table to it, so
   every br_table sees a deep label stack (compile time must stay linear). */
static void nested_br_tables(aw_engine *e, uint32_t n) {
  hb m = {0}, body = {0};
  static const uint8_t inner[] = {0x02, 0x40, 0x41, 0x00, 0x0E,
                                  0x01, 0x00, 0x00, 0x0B};
  hb_u32(&body, 0);
  for (uint32_t i = 0; i < n; i++) {
    hb_byte(&body, 0x02);
    hb_byte(&body, 0x40);
    hb_put(&body, inner, sizeof inner);
  }
  hb_fill(&body, 0x0B, n);
  hb_byte(&body, 0x41);
  hb_byte(&body, 9);
  hb_byte(&body, 0x0B);
  one_func(&m, 0, 1, &body);
  hs_case c = expect_result(9);
  char name[64];
  snprintf(name, sizeof name, "nested_br_tables_%u", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* n reads of local 0 left on the stack, then n times (local.get 0;
   local.set 0 of a constant): each set must keep the earlier reads' old
   value (compile time must not be quadratic). */
static void pending_locals(aw_engine *e, uint32_t n) {
  hb m = {0}, body = {0};
  hb_u32(&body, 1);
  hb_u32(&body, 1);
  hb_byte(&body, 0x7F);
  for (uint32_t i = 0; i < n; i++) {
    hb_byte(&body, 0x20);
    hb_byte(&body, 0);
  }
  for (uint32_t i = 0; i < n; i++) {
    static const uint8_t step[] = {0x20, 0x00, 0x41, 0x05, 0x21, 0x00};
    hb_put(&body, step, sizeof step);
  }
  for (uint32_t i = 0; i < 2 * n - 1; i++) hb_byte(&body, 0x6A);
  hb_byte(&body, 0x0B);
  one_func(&m, 0, 1, &body);
  hs_case c = expect_result(5 * (int64_t)(n - 1));
  char name[64];
  snprintf(name, sizeof name, "pending_locals_%u", n);
  gen_case(e, name, &m, AW_OK, &c, 20000);
}

/* n functions of 50,000 locals each: 7-byte bodies that would expand to
   n * 50,000 local types; over 16M locals per module is refused. */
static void locals_per_module(aw_engine *e, uint32_t n, aw_errkind expect) {
  hb m = {0}, s = {0};
  hb_header(&m);
  sec_type(&m, 0, 0);
  sec_funcs(&m, n);
  hb_u32(&s, n);
  static const uint8_t body[] = {6, 1, 0xD0, 0x86, 0x03, 0x7F, 0x0B};
  for (uint32_t i = 0; i < n; i++) hb_put(&s, body, sizeof body);
  hb_section(&m, 10, &s);
  char name[64];
  snprintf(name, sizeof name, "funcs_%u_x_50000_locals", n);
  gen_case(e, name, &m, expect, NULL, 20000);
}

void hs_run_generated(aw_engine *e) {
  locals_per_module(e, 335, AW_OK);
  locals_per_module(e, 336, AW_ERR_UNSUPPORTED);
  nested(e, "blocks_1000000", 0x02, 1000000);
  nested_br_tables(e, 50000);
  pending_locals(e, 50000);
  nested(e, "blocks_100000", 0x02, 100000);
  nested(e, "loops_100000", 0x03, 100000);
  nested(e, "ifs_100000", 0x04, 100000);
  big_br_table(e, 1000000, 0, 10);
  big_br_table(e, 1000000, 999999, 20);
  big_br_table(e, 1000000, -1, 20);
  many_locals(e, 50000, 1, AW_OK);
  many_locals(e, 50000, 50000, AW_OK);
  many_locals(e, 50001, 50001, AW_ERR_UNSUPPORTED);
  many_locals(e, 50001, 1, AW_ERR_UNSUPPORTED);
  many_params(e, 1000, AW_OK);
  many_params(e, 1001, AW_ERR_UNSUPPORTED);
  many_funcs(e, 100000, false);
  many_funcs(e, 100000, true);
  many_imports(e, 100000);
  duplicate_exports(e, 100000);
  for (uint8_t id = 1; id <= 11; id++)
    if (id != 8) lying_count(e, id);
  huge_data(e, 32u << 20);
  huge_elem(e, 1000000);
  huge_body(e, 8u << 20);
  deep_stack(e, 100000);
}
