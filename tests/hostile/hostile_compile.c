/*
 * hostile_compile.c - compile-cost bombs (issue 10, "compiling and
 * validating are linear"): 1 MB modules whose validation or code used to
 * grow with the arity of labels and function types (br_if to a
 * 1,000-result block: ~55 KB of code per 4 input bytes; blocks
 * [1000] -> [1000]; a br_table cycling over 64 distinct 1,000-result label
 * types; calls of a 1,000 -> 1,000 function).  Each must compile on an
 * engine whose compile budget is only 8 units per input byte (every cell
 * of generated code is a unit, so this also bounds the code at 32 bytes
 * per input byte), within a generous time and with a peak RSS growth
 * under 64 bytes per input byte + 16 MiB (VmHWM, reset through
 * /proc/self/clear_refs before each compile; not checked under ASan); a
 * br_table that no fast path helps must be refused by the default budget
 * (limit_exceeded, resource compile) without running long.  The same cases with
 * their exact code sizes are unit tests (tests/unit/test_compile_cost.c).
 */
#include "hostile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct cb {
  uint8_t *p;
  size_t n, cap;
} cb;

static void cb_put(cb *b, const void *s, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n)
      cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
      fprintf(stderr, "hostile_compile: out of memory\n");
      exit(2);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void cb_byte(cb *b, uint8_t c) {
  cb_put(b, &c, 1);
}

static void cb_u32(cb *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    cb_byte(b, v ? (uint8_t)(c | 0x80) : c);
  } while (v);
}

static void cb_rep(cb *b, const uint8_t *s, size_t n, size_t times) {
  for (size_t i = 0; i < times; i++)
    cb_put(b, s, n);
}

static void cb_section(cb *m, uint8_t id, cb *s) {
  cb_byte(m, id);
  cb_u32(m, (uint32_t)s->n);
  cb_put(m, s->p, s->n);
  free(s->p);
  memset(s, 0, sizeof *s);
}

/* One type [np x t0, ...] -> [nr values]: the first two results are r0, r1,
   the others i32. */
static void cb_type(cb *s, uint32_t np, uint32_t nr, uint8_t r0, uint8_t r1) {
  cb_byte(s, 0x60);
  cb_u32(s, np);
  for (uint32_t i = 0; i < np; i++)
    cb_byte(s, 0x7F);
  cb_u32(s, nr);
  for (uint32_t i = 0; i < nr; i++)
    cb_byte(s, i == 0 ? r0 : i == 1 ? r1 : 0x7F);
}

/* Header, the type section ts, functions of types ft[nf], bodies. */
static void cb_module(cb *m, cb *ts, const uint32_t *ft, uint32_t nf,
                      cb *bodies) {
  static const uint8_t hdr[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  cb s = {0};
  cb_put(m, hdr, 8);
  cb_section(m, 1, ts);
  cb_u32(&s, nf);
  for (uint32_t i = 0; i < nf; i++)
    cb_u32(&s, ft[i]);
  cb_section(m, 3, &s);
  cb_u32(&s, nf);
  for (uint32_t i = 0; i < nf; i++) {
    cb_u32(&s, (uint32_t)bodies[i].n);
    cb_put(&s, bodies[i].p, bodies[i].n);
    free(bodies[i].p);
  }
  cb_section(m, 10, &s);
}

/* A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), or -1. */
static long cb_status_kb(const char *key) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  size_t kl = strlen(key);
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, key, kl)) kb = strtol(line + kl, NULL, 10);
  if (f) fclose(f);
  return kb;
}

/* Resets the peak RSS (VmHWM) to the current RSS; false if the kernel
   does not let us (then the peak is not measured). */
static bool cb_reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  bool ok = fputs("5", f) >= 0;
  return fclose(f) == 0 && ok;
}

/* Peak RSS growth allowed while compiling a module of n bytes, in KiB:
   the documented bound of docs/hardening.md ("Compile cost"). */
static long cb_peak_bound_kb(size_t n) {
  return (long)(64 * n / 1024) + 16 * 1024;
}

/* Under AddressSanitizer (redzones, quarantine) the peak says nothing
   about the engine: measured and reported, not checked. */
#if defined(__SANITIZE_ADDRESS__)
#define CB_CHECK_PEAK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CB_CHECK_PEAK 0
#endif
#endif
#ifndef CB_CHECK_PEAK
#define CB_CHECK_PEAK 1
#endif
/* Time allowed per 1 MB case: generous (the deterministic bound is the
   budget of 8 units per byte), 6x more under the sanitizers. */
#define CB_MAX_MS (CB_CHECK_PEAK ? 5000.0 : 30000.0)

static double cb_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Compiles m with a budget of per_byte units per byte (0: the default)
   and checks the outcome and the time. */
static void cb_case(const char *name, cb *m, uint32_t per_byte,
                    aw_errkind expect, double max_ms) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  if (per_byte) {
    cfg.compile_units_per_byte = per_byte;
    cfg.compile_units_base = 1u << 16;
  }
  aw_engine *e = aw_engine_new(&cfg);
  char nm[200];
  snprintf(nm, sizeof nm, "compile:%s", name);
  aw_error err;
  bool peak = cb_reset_peak();
  long rss0 = cb_status_kb("VmRSS:");
  double t0 = cb_now_ms();
  aw_module *mod = e ? aw_module_new(e, m->p, m->n, &err) : NULL;
  double ms = cb_now_ms() - t0;
  long grew = peak && rss0 >= 0 ? cb_status_kb("VmHWM:") - rss0 : -1;
  aw_errkind got = mod ? AW_OK : e ? err.kind : AW_ERR_NOMEM;
  bool ok = got == expect && ms <= max_ms &&
            (!CB_CHECK_PEAK || grew <= cb_peak_bound_kb(m->n));
  if (expect == AW_ERR_LIMIT_EXCEEDED && !mod)
    ok = ok && err.figures.limit.resource == AW_RESOURCE_COMPILE &&
         err.figures.limit.requested <= err.figures.limit.limit + 1000;
  hs_result(nm, ok,
            "%zu bytes, budget %u units/byte: %s in %.0f ms (max %.0f), "
            "peak RSS +%ld KiB (max %ld; -1: not measurable), expected %s%s%s",
            m->n, per_byte ? per_byte : AW_DEFAULT_COMPILE_UNITS_PER_BYTE,
            aw_errkind_name(got), ms, max_ms, grew, cb_peak_bound_kb(m->n),
            aw_errkind_name(expect), mod ? "" : ": ", mod ? "" : err.message);
  if (getenv("AW_HOSTILE_VERBOSE"))
    printf("     %s: %s in %.1f ms, peak RSS +%ld KiB\n", nm,
           aw_errkind_name(got), ms, grew);
  aw_module_free(mod);
  aw_engine_free(e);
  free(m->p);
  memset(m, 0, sizeof *m);
}

#define MB (1u << 20)

static const uint8_t locals1[] = {1, 1, 0x7F}, get0[] = {0x20, 0};

/* block [] -> [a]: a values, then (local.get 0; br_if 0) to fill size;
   deep: one more value under the block's, so every br_if shifts. */
static void brif(uint32_t a, bool deep) {
  static const uint8_t unit[] = {0x20, 0, 0x0D, 0};
  cb m = {0}, ts = {0}, b = {0};
  cb_u32(&ts, 1);
  cb_type(&ts, 0, a, 0x7F, 0x7F);
  cb_put(&b, locals1, 3);
  cb_put(&b, (const uint8_t[]){0x02, 0}, 2);
  if (deep) cb_put(&b, (const uint8_t[]){0x41, 0}, 2);
  cb_rep(&b, get0, 2, a);
  cb_rep(&b, unit, 4, MB / 4);
  if (deep) cb_put(&b, (const uint8_t[]){0x0C, 0}, 2);
  cb_put(&b, (const uint8_t[]){0x0B, 0x0B}, 2);
  cb_module(&m, &ts, (const uint32_t[]){0}, 1, &b);
  char name[64];
  snprintf(name, sizeof name, "br_if%s_%u_results_1MB", deep ? "_shift" : "",
           a);
  cb_case(name, &m, 8, AW_OK, CB_MAX_MS);
}

/* a values, then block (type [a] -> [a]) end, repeated. */
static void blocks(uint32_t a) {
  static const uint8_t unit[] = {0x02, 0x01, 0x0B};
  cb m = {0}, ts = {0}, b = {0};
  cb_u32(&ts, 2);
  cb_type(&ts, 0, a, 0x7F, 0x7F);
  cb_type(&ts, a, a, 0x7F, 0x7F);
  cb_put(&b, locals1, 3);
  cb_rep(&b, get0, 2, a);
  cb_rep(&b, unit, 3, MB / 3);
  cb_byte(&b, 0x0B);
  cb_module(&m, &ts, (const uint32_t[]){0}, 1, &b);
  char name[64];
  snprintf(name, sizeof name, "blocks_%u_to_%u_1MB", a, a);
  cb_case(name, &m, 8, AW_OK, CB_MAX_MS);
}

/* nt nested blocks of nt distinct types, a values, one br_table of ~1 M
   labels cycling over them.  dead: the values sit over the polymorphic
   stack of dead code and the types differ in the two values it leaves
   unknown, so every label costs a check of a values (only the budget
   stops it). */
static void br_table(uint32_t a, uint32_t nt, bool dead, uint32_t per_byte,
                     aw_errkind expect) {
  static const uint8_t vt[6] = {0x7F, 0x7E, 0x7D, 0x7C, 0x70, 0x6F};
  cb m = {0}, ts = {0}, b = {0};
  cb_u32(&ts, nt + 1);
  for (uint32_t k = 0; k < nt; k++)
    cb_type(&ts, 0, a, dead ? vt[k / 6 % 6] : 0x7F, dead ? vt[k % 6] : 0x7F);
  cb_type(&ts, 0, 0, 0, 0); /* f: [] -> [] */
  cb_put(&b, locals1, 3);
  for (uint32_t t = 0; t < nt; t++) {
    cb_byte(&b, 0x02);
    cb_u32(&b, t);
  }
  if (dead) cb_byte(&b, 0x00);
  cb_rep(&b, get0, 2, dead ? a - 2 : a);
  cb_put(&b, (const uint8_t[]){0x20, 0, 0x0E}, 3);
  cb_u32(&b, MB);
  for (uint32_t j = 0; j < MB; j++)
    cb_byte(&b, (uint8_t)(j % nt));
  cb_byte(&b, 0);
  for (uint32_t t = 0; t < nt; t++) /* end, and forget its results */
    cb_put(&b, (const uint8_t[]){0x0B, 0x00}, 2);
  cb_byte(&b, 0x0B);
  cb_module(&m, &ts, (const uint32_t[]){nt}, 1, &b);
  char name[80];
  snprintf(name, sizeof name, "br_table_%u_labels_over_%u_types_%u%s", MB, nt,
           a, dead ? "_dead_code" : "");
  cb_case(name, &m, per_byte, expect, CB_MAX_MS);
}

/* a values, then call $g repeated, g : [a] -> [a]. */
static void calls(uint32_t a) {
  cb m = {0}, ts = {0}, b[2] = {{0}, {0}};
  cb_u32(&ts, 2);
  cb_type(&ts, 0, a, 0x7F, 0x7F);
  cb_type(&ts, a, a, 0x7F, 0x7F);
  cb_put(&b[0], locals1, 3);
  cb_rep(&b[0], get0, 2, a);
  cb_rep(&b[0], (const uint8_t[]){0x10, 0x01}, 2, MB / 2);
  cb_byte(&b[0], 0x0B);
  cb_byte(&b[1], 0);
  for (uint32_t i = 0; i < a; i++) {
    cb_byte(&b[1], 0x20);
    cb_u32(&b[1], i);
  }
  cb_byte(&b[1], 0x0B);
  cb_module(&m, &ts, (const uint32_t[]){0, 1}, 2, b);
  char name[64];
  snprintf(name, sizeof name, "calls_%u_to_%u_1MB", a, a);
  cb_case(name, &m, 8, AW_OK, CB_MAX_MS);
}

void hs_run_compile_cost(void) {
  brif(1000, false);
  brif(1000, true);
  brif(1, false);
  blocks(1000);
  blocks(1);
  br_table(1000, 64, false, 8, AW_OK);
  br_table(1, 64, false, 8, AW_OK);
  calls(1000);
  calls(1);
  br_table(1000, 36, true, 0, AW_ERR_LIMIT_EXCEEDED);
}
