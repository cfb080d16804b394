/*
 * spectest.c - the `spectest` subcommand: runs one script of the official
 * spec test suite as converted by wast2json (a JSON list of commands with
 * the modules in .wasm files beside it) against the engine, through the
 * public API only.
 *
 * Every command ends as passed, failed, skipped (text-format modules, which
 * a binary-only engine cannot read) or "not run": the engine reported
 * AW_ERR_UNSUPPORTED (a feature not implemented yet, e.g. SIMD) for it or
 * for a module it depends on.  Not-run commands are never counted as
 * passed; they are added to "skipped" in the final line.
 */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- command types and outcomes -------------------------------------- */

enum {
  CT_MODULE,
  CT_REGISTER,
  CT_ACTION,
  CT_ASSERT_RETURN,
  CT_ASSERT_TRAP,
  CT_ASSERT_EXHAUSTION,
  CT_ASSERT_INVALID,
  CT_ASSERT_MALFORMED,
  CT_ASSERT_UNLINKABLE,
  CT_ASSERT_UNINSTANTIABLE,
  CT_OTHER,
  CT_N
};

static const char *const ct_names[CT_N] = {"module",
                                           "register",
                                           "action",
                                           "assert_return",
                                           "assert_trap",
                                           "assert_exhaustion",
                                           "assert_invalid",
                                           "assert_malformed",
                                           "assert_unlinkable",
                                           "assert_uninstantiable",
                                           "other"};

typedef enum outcome { R_PASS, R_FAIL, R_SKIP, R_NOTRUN } outcome;
enum { OUTCOMES = 4 };

/* ---- loaded modules --------------------------------------------------- */

typedef enum mod_state { MS_OK, MS_NOTRUN, MS_FAILED } mod_state;

/* A module of the script: a `module` command (named or not), or a module
   of an assertion that must stay alive because instances or partially
   initialised tables of the store may refer to it. */
typedef struct sp_module {
  char *name;        /* "$name" or NULL */
  aw_module *module; /* NULL if it did not load */
  aw_instance *inst; /* NULL if it did not instantiate */
  mod_state state;
  uint64_t line; /* line of the defining command */
  struct sp_module *next;
} sp_module;

/* A name given by `register` whose module did not run or failed: modules
   importing from it cannot link, and that is not their fault. */
typedef struct sp_poison {
  char *as;
  mod_state state;
  uint64_t line;
  struct sp_poison *next;
} sp_poison;

typedef struct runner {
  const char *src; /* file name used in messages */
  char *dir;       /* directory of the JSON file, with trailing '/' */
  aw_engine *engine;
  aw_store *store;
  aw_linker *linker;
  sp_module *mods; /* newest first */
  sp_module *current;
  sp_poison *poison;
  bool verbose;
  bool has_line;
  uint64_t only_line;
  unsigned long counts[CT_N][OUTCOMES];
  char why[1024]; /* reason of the last failure / not-run */
  /* Line of the first command whose code could not run (the engine said
     AW_ERR_UNSUPPORTED): state it would have changed may be stale. */
  uint64_t stale_since;
} runner;

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

static void why(runner *r, const char *fmt, ...) CLI_PRINTF(2, 3);
static void why(runner *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->why, sizeof r->why, fmt, ap);
  va_end(ap);
}

/* Makes sure an engine-filled message is terminated and not empty. */
static const char *errmsg(aw_error *err) {
  err->message[AW_ERROR_MESSAGE_MAX - 1] = '\0';
  return err->message[0] ? err->message : aw_errkind_name(err->kind);
}

/* "trap: out of bounds memory access", "invalid: type mismatch"... */
static void describe_error(char *buf, size_t n, aw_error *err) {
  if (err->kind == AW_ERR_TRAP)
    snprintf(buf, n, "trap (%s): %s", aw_trapkind_name(err->trap), errmsg(err));
  else
    snprintf(buf, n, "%s: %s", aw_errkind_name(err->kind), errmsg(err));
}

/* ---- values ------------------------------------------------------------ */

enum { NAN_NONE = 0, NAN_CANONICAL, NAN_ARITHMETIC };

typedef enum lane_type {
  LT_NONE,
  LT_I8,
  LT_I16,
  LT_I32,
  LT_I64,
  LT_F32,
  LT_F64
} lane_type;

/* An argument or an expected result. */
typedef struct sp_value {
  aw_val val;
  lane_type lanes;  /* v128: lane interpretation */
  uint8_t nan[16];  /* per lane (index 0 for scalars): NAN_* */
  bool any_nonnull; /* expected reference without a value */
} sp_value;

static unsigned lane_count(lane_type lt) {
  switch (lt) {
  case LT_I8: return 16;
  case LT_I16: return 8;
  case LT_I32:
  case LT_F32: return 4;
  case LT_I64:
  case LT_F64: return 2;
  case LT_NONE: break;
  }
  return 0;
}

static const char *lane_name(lane_type lt) {
  switch (lt) {
  case LT_I8: return "i8x16";
  case LT_I16: return "i16x8";
  case LT_I32: return "i32x4";
  case LT_I64: return "i64x2";
  case LT_F32: return "f32x4";
  case LT_F64: return "f64x2";
  case LT_NONE: break;
  }
  return "v128";
}

/* The host pointer standing for `ref.extern N`: never NULL, and the same
   N always gives the same pointer. */
static void *externref_ptr(uint64_t n) {
  return (void *)(uintptr_t)(n + 1);
}

static bool parse_nan(const char *s, uint8_t *nan) {
  if (!strcmp(s, "nan:canonical")) {
    *nan = NAN_CANONICAL;
    return true;
  }
  if (!strcmp(s, "nan:arithmetic")) {
    *nan = NAN_ARITHMETIC;
    return true;
  }
  return false;
}

/* Parses an unsigned decimal string no larger than max. */
static bool parse_uint(const cli_json *v, uint64_t max, uint64_t *out) {
  if (!v || v->type != CLI_JSON_STRING) return false;
  uint64_t x;
  if (!cli_json_parse_u64(v->str, v->len, &x) || x > max) return false;
  *out = x;
  return true;
}

/* Parses {"type": T, "value": V, "lane_type": L} into *out.  Expected
   values (expected == true) may hold NaN patterns or omit the value of a
   reference.  On error fills r->why. */
static bool parse_value(runner *r, const cli_json *j, bool expected,
                        sp_value *out) {
  memset(out, 0, sizeof *out);
  const char *type = cli_json_get_str(j, "type");
  const cli_json *v = cli_json_get(j, "value");
  if (!type) {
    why(r, "value without a type");
    return false;
  }
  uint64_t x;
  if (!strcmp(type, "i32")) {
    out->val.kind = AW_I32;
    if (!parse_uint(v, UINT32_MAX, &x)) goto bad;
    out->val.of.i32 = (int32_t)(uint32_t)x;
    return true;
  }
  if (!strcmp(type, "i64")) {
    out->val.kind = AW_I64;
    if (!parse_uint(v, UINT64_MAX, &x)) goto bad;
    out->val.of.i64 = (int64_t)x;
    return true;
  }
  if (!strcmp(type, "f32") || !strcmp(type, "f64")) {
    bool f32 = type[1] == '3';
    out->val.kind = f32 ? AW_F32 : AW_F64;
    if (expected && v && v->type == CLI_JSON_STRING &&
        parse_nan(v->str, &out->nan[0]))
      return true;
    if (!parse_uint(v, f32 ? UINT32_MAX : UINT64_MAX, &x)) goto bad;
    if (f32) {
      uint32_t b = (uint32_t)x;
      memcpy(&out->val.of.f32, &b, 4);
    } else {
      memcpy(&out->val.of.f64, &x, 8);
    }
    return true;
  }
  if (!strcmp(type, "v128")) {
    out->val.kind = AW_V128;
    const char *lt = cli_json_get_str(j, "lane_type");
    static const struct {
      const char *name;
      lane_type lt;
    } lts[] = {{"i8", LT_I8},   {"i16", LT_I16}, {"i32", LT_I32},
               {"i64", LT_I64}, {"f32", LT_F32}, {"f64", LT_F64}};
    for (size_t i = 0; lt && i < sizeof lts / sizeof lts[0]; i++)
      if (!strcmp(lt, lts[i].name)) out->lanes = lts[i].lt;
    unsigned n = lane_count(out->lanes);
    if (n == 0 || !v || v->type != CLI_JSON_ARRAY || v->count != n) goto bad;
    unsigned width = 16 / n;
    uint64_t max = width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
    bool fl = out->lanes == LT_F32 || out->lanes == LT_F64;
    for (unsigned i = 0; i < n; i++) {
      const cli_json *lane = v->items[i];
      if (fl && expected && lane->type == CLI_JSON_STRING &&
          parse_nan(lane->str, &out->nan[i]))
        continue;
      if (!parse_uint(lane, max, &x)) goto bad;
      for (unsigned b = 0; b < width; b++)
        out->val.of.v128[i * width + b] = (uint8_t)(x >> (8 * b));
    }
    return true;
  }
  /* 3.0 JSON: {"type": "ref", "heaptype": "func"|"extern"}: any non-null
     reference of that type (other heap types are not in this engine). */
  const char *ht = cli_json_get_str(j, "heaptype");
  if (expected && !strcmp(type, "ref") && ht &&
      (!strcmp(ht, "func") || !strcmp(ht, "extern"))) {
    out->val.kind = ht[0] == 'f' ? AW_FUNCREF : AW_EXTERNREF;
    out->any_nonnull = true;
    return true;
  }
  if (!strcmp(type, "funcref") || !strcmp(type, "externref")) {
    bool func = type[0] == 'f';
    out->val.kind = func ? AW_FUNCREF : AW_EXTERNREF;
    out->val.of.ref = NULL;
    if (!v && expected) {
      out->any_nonnull = true;
      return true;
    }
    if (!v || v->type != CLI_JSON_STRING) goto bad;
    if (!strcmp(v->str, "null")) return true;
    if (func) {
      why(r, "a non-null funcref constant cannot be written by the harness");
      return false;
    }
    if (!parse_uint(v, UINTPTR_MAX - 1, &x)) goto bad;
    out->val.of.ref = externref_ptr(x);
    return true;
  }
  why(r, "unknown value type \"%s\"", type);
  return false;
bad:
  why(r, "bad %s value in the script", type);
  return false;
}

static uint32_t f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

static uint64_t f64_bits(double f) {
  uint64_t b;
  memcpy(&b, &f, 8);
  return b;
}

static bool nan32_ok(uint32_t b, uint8_t nan) {
  if (nan == NAN_CANONICAL) return (b & 0x7FFFFFFFu) == 0x7FC00000u;
  return (b & 0x7FC00000u) == 0x7FC00000u;
}

static bool nan64_ok(uint64_t b, uint8_t nan) {
  if (nan == NAN_CANONICAL)
    return (b & UINT64_C(0x7FFFFFFFFFFFFFFF)) == UINT64_C(0x7FF8000000000000);
  return (b & UINT64_C(0x7FF8000000000000)) == UINT64_C(0x7FF8000000000000);
}

static uint64_t lane_bits(const uint8_t *v, unsigned i, unsigned width) {
  uint64_t x = 0;
  for (unsigned b = 0; b < width; b++)
    x |= (uint64_t)v[i * width + b] << (8 * b);
  return x;
}

/* Does got match the expectation? */
static bool value_matches(const sp_value *exp, const aw_val *got) {
  if (got->kind != exp->val.kind) return false;
  switch (exp->val.kind) {
  case AW_I32: return got->of.i32 == exp->val.of.i32;
  case AW_I64: return got->of.i64 == exp->val.of.i64;
  case AW_F32: {
    uint32_t b = f32_bits(got->of.f32);
    if (exp->nan[0]) return nan32_ok(b, exp->nan[0]);
    return b == f32_bits(exp->val.of.f32);
  }
  case AW_F64: {
    uint64_t b = f64_bits(got->of.f64);
    if (exp->nan[0]) return nan64_ok(b, exp->nan[0]);
    return b == f64_bits(exp->val.of.f64);
  }
  case AW_V128: {
    unsigned n = lane_count(exp->lanes), width = n ? 16 / n : 16;
    for (unsigned i = 0; i < n; i++) {
      uint64_t g = lane_bits(got->of.v128, i, width);
      if (exp->nan[i]) {
        if (width == 4 && !nan32_ok((uint32_t)g, exp->nan[i])) return false;
        if (width == 8 && !nan64_ok(g, exp->nan[i])) return false;
      } else if (g != lane_bits(exp->val.of.v128, i, width)) {
        return false;
      }
    }
    return n != 0;
  }
  case AW_FUNCREF:
  case AW_EXTERNREF:
    if (exp->any_nonnull) return got->of.ref != NULL;
    return got->of.ref == exp->val.of.ref;
  }
  return false;
}

/* A small string builder for messages (truncates silently). */
typedef struct sbuf {
  char *p;
  size_t n, len;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) CLI_PRINTF(2, 3);
static void sb_printf(sbuf *b, const char *fmt, ...) {
  if (b->len + 1 >= b->n) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  b->len += (size_t)k;
  if (b->len >= b->n) b->len = b->n - 1;
}

static const char *nan_name(uint8_t nan) {
  return nan == NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

/* Formats a value.  exp (may be NULL) supplies the v128 lane
   interpretation and, when v is that expectation itself (pattern true),
   its NaN patterns and "any non-null reference". */
static void sb_value(sbuf *b, const aw_val *v, const sp_value *exp,
                     bool pattern) {
  const sp_value *pat = pattern ? exp : NULL;
  switch (v->kind) {
  case AW_I32: sb_printf(b, "i32:%" PRIu32, (uint32_t)v->of.i32); return;
  case AW_I64: sb_printf(b, "i64:%" PRIu64, (uint64_t)v->of.i64); return;
  case AW_F32:
    if (pat && pat->nan[0])
      sb_printf(b, "f32:%s", nan_name(pat->nan[0]));
    else
      sb_printf(b, "f32:0x%08" PRIx32 " (%.9g)", f32_bits(v->of.f32),
                (double)v->of.f32);
    return;
  case AW_F64:
    if (pat && pat->nan[0])
      sb_printf(b, "f64:%s", nan_name(pat->nan[0]));
    else
      sb_printf(b, "f64:0x%016" PRIx64 " (%.17g)", f64_bits(v->of.f64),
                v->of.f64);
    return;
  case AW_V128: {
    lane_type lt = exp && exp->lanes != LT_NONE ? exp->lanes : LT_I32;
    unsigned n = lane_count(lt), width = 16 / n;
    sb_printf(b, "v128:%s[", lane_name(lt));
    for (unsigned i = 0; i < n; i++) {
      if (pat && pat->nan[i])
        sb_printf(b, "%s%s", i ? " " : "", nan_name(pat->nan[i]));
      else
        sb_printf(b, "%s%" PRIu64, i ? " " : "",
                  lane_bits(v->of.v128, i, width));
    }
    sb_printf(b, "]");
    return;
  }
  case AW_FUNCREF:
  case AW_EXTERNREF: {
    const char *k = v->kind == AW_FUNCREF ? "funcref" : "externref";
    if (pat && pat->any_nonnull)
      sb_printf(b, "%s:non-null", k);
    else if (!v->of.ref)
      sb_printf(b, "%s:null", k);
    else if (v->kind == AW_EXTERNREF)
      sb_printf(b, "%s:%" PRIuPTR, k, (uintptr_t)v->of.ref - 1);
    else
      sb_printf(b, "%s:%p", k, v->of.ref);
    return;
  }
  }
  sb_printf(b, "<bad kind 0x%x>", (unsigned)v->kind);
}

/* ---- modules and names ------------------------------------------------- */

static sp_module *find_module(runner *r, const char *name) {
  if (!name) return r->current;
  for (sp_module *m = r->mods; m; m = m->next)
    if (m->name && !strcmp(m->name, name)) return m;
  return NULL;
}

static sp_module *add_module(runner *r, const char *name, uint64_t line) {
  sp_module *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  if (name) {
    m->name = strdup(name);
    if (!m->name) {
      free(m);
      return NULL;
    }
  }
  m->line = line;
  m->next = r->mods;
  r->mods = m;
  return m;
}

static bool set_poison(runner *r, const char *as, mod_state state,
                       uint64_t line) {
  for (sp_poison **pp = &r->poison; *pp; pp = &(*pp)->next) {
    if (!strcmp((*pp)->as, as)) {
      sp_poison *p = *pp;
      if (state == MS_OK) {
        *pp = p->next;
        free(p->as);
        free(p);
      } else {
        p->state = state;
        p->line = line;
      }
      return true;
    }
  }
  if (state == MS_OK) return true;
  sp_poison *p = calloc(1, sizeof *p);
  if (!p) return false;
  p->as = strdup(as);
  if (!p->as) {
    free(p);
    return false;
  }
  p->state = state;
  p->line = line;
  p->next = r->poison;
  r->poison = p;
  return true;
}

/* If module imports from a registered name whose module did not run or
   failed, returns that state (MS_NOTRUN wins) and explains it. */
static mod_state dependency_state(runner *r, const aw_module *module) {
  mod_state worst = MS_OK;
  uint32_t n = aw_module_import_count(module);
  for (uint32_t i = 0; i < n; i++) {
    aw_import_desc d;
    if (!aw_module_import(module, i, &d) || !d.module) continue;
    for (sp_poison *p = r->poison; p; p = p->next) {
      if (strlen(p->as) != d.module_len ||
          memcmp(p->as, d.module, d.module_len) != 0)
        continue;
      if (p->state == MS_NOTRUN || worst == MS_OK) {
        worst = p->state;
        why(r,
            "imports from \"%s\", registered from a module (line %" PRIu64
            ") that %s",
            p->as, p->line, p->state == MS_NOTRUN ? "was not run" : "failed");
      }
      if (worst == MS_NOTRUN) return worst;
    }
  }
  return worst;
}

/* Reads and decodes the module file named by cmd.filename. */
static aw_module *load_binary(runner *r, const cli_json *cmd, aw_error *err) {
  aw_error_clear(err);
  /* Modules of a .wast script (cli/wast.c) are inline: their binary in
     hex, or the message of the text error that prevented encoding. */
  const char *perr = cli_json_get_str(cmd, "parse_error");
  if (perr) {
    err->kind = AW_ERR_MALFORMED;
    snprintf(err->message, sizeof err->message, "%s", perr);
    return NULL;
  }
  const cli_json *hex = cli_json_get(cmd, "wasm_hex");
  if (hex && hex->type == CLI_JSON_STRING) {
    size_t n = hex->len / 2;
    uint8_t *bin = malloc(n ? n : 1);
    if (!bin) {
      err->kind = AW_ERR_NOMEM;
      snprintf(err->message, sizeof err->message, "out of memory");
      return NULL;
    }
    for (size_t i = 0; i < n; i++) {
      unsigned v = 0;
      for (int k = 0; k < 2; k++) {
        char ch = hex->str[2 * i + (size_t)k];
        v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
      }
      bin[i] = (uint8_t)v;
    }
    aw_module *m = aw_module_new(r->engine, bin, n, err);
    free(bin);
    if (!m && err->kind == AW_OK) {
      err->kind = AW_ERR_NOMEM;
      snprintf(err->message, sizeof err->message,
               "aw_module_new returned NULL without an error");
    }
    return m;
  }
  const char *fn = cli_json_get_str(cmd, "filename");
  if (!fn) {
    err->kind = AW_ERR_ARGUMENT;
    snprintf(err->message, sizeof err->message, "command has no filename");
    return NULL;
  }
  size_t plen = strlen(r->dir) + strlen(fn) + 1;
  char *path = malloc(plen);
  if (!path) {
    err->kind = AW_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return NULL;
  }
  snprintf(path, plen, "%s%s", r->dir, fn);
  size_t len = 0;
  uint8_t *bytes = cli_read_file(path, &len);
  if (!bytes) {
    err->kind = AW_ERR_IO;
    snprintf(err->message, sizeof err->message, "cannot read %s: %s", path,
             strerror(errno));
    free(path);
    return NULL;
  }
  free(path);
  aw_module *m = aw_module_new(r->engine, bytes, len, err);
  free(bytes);
  if (!m && err->kind == AW_OK) {
    err->kind = AW_ERR_NOMEM; /* defensive: NULL without a reason */
    snprintf(err->message, sizeof err->message,
             "aw_module_new returned NULL without an error");
  }
  return m;
}

static aw_instance *instantiate(runner *r, const aw_module *m, aw_error *err) {
  aw_error_clear(err);
  aw_instance *inst = aw_linker_instantiate(r->linker, m, err);
  if (!inst && err->kind == AW_OK) {
    err->kind = AW_ERR_NOMEM;
    snprintf(err->message, sizeof err->message,
             "aw_linker_instantiate returned NULL without an error");
  }
  return inst;
}

/* ---- commands ------------------------------------------------------------ */

static outcome cmd_module(runner *r, const cli_json *cmd, uint64_t line) {
  const char *name = cli_json_get_str(cmd, "name");
  sp_module *sm = add_module(r, name, line);
  if (!sm) {
    why(r, "out of memory");
    return R_FAIL;
  }
  r->current = sm;
  sm->state = MS_FAILED;
  aw_error err;
  sm->module = load_binary(r, cmd, &err);
  char d[AW_ERROR_MESSAGE_MAX + 64];
  if (!sm->module) {
    describe_error(d, sizeof d, &err);
    if (err.kind == AW_ERR_UNSUPPORTED) {
      sm->state = MS_NOTRUN;
      why(r, "%s", d);
      return R_NOTRUN;
    }
    why(r, "expected a valid module, got %s", d);
    return R_FAIL;
  }
  sm->inst = instantiate(r, sm->module, &err);
  if (!sm->inst) {
    describe_error(d, sizeof d, &err);
    mod_state dep = dependency_state(r, sm->module);
    if (dep != MS_OK) {
      sm->state = dep;
      return dep == MS_NOTRUN ? R_NOTRUN : R_FAIL;
    }
    if (err.kind == AW_ERR_UNSUPPORTED) {
      sm->state = MS_NOTRUN;
      why(r, "instantiation: %s", d);
      return R_NOTRUN;
    }
    why(r, "expected instantiation to succeed, got %s", d);
    return R_FAIL;
  }
  sm->state = MS_OK;
  return R_PASS;
}

/* Resolves the module a command names (or the current one). */
static outcome target_module(runner *r, const char *name, sp_module **out) {
  sp_module *sm = find_module(r, name);
  *out = sm;
  if (!sm) {
    why(r, name ? "no module named %s" : "no module defined yet%s",
        name ? name : "");
    return R_FAIL;
  }
  if (sm->state == MS_NOTRUN) {
    why(r, "its module (line %" PRIu64 ") was not run", sm->line);
    return R_NOTRUN;
  }
  if (sm->state != MS_OK || !sm->inst) {
    why(r, "its module (line %" PRIu64 ") failed to load", sm->line);
    return R_FAIL;
  }
  return R_PASS;
}

static outcome cmd_register(runner *r, const cli_json *cmd, uint64_t line) {
  const char *as = cli_json_get_str(cmd, "as");
  if (!as) {
    why(r, "register without \"as\"");
    return R_FAIL;
  }
  sp_module *sm;
  outcome o = target_module(r, cli_json_get_str(cmd, "name"), &sm);
  if (o != R_PASS) {
    if (!set_poison(r, as, o == R_NOTRUN ? MS_NOTRUN : MS_FAILED, line)) {
      why(r, "out of memory");
      return R_FAIL;
    }
    return o;
  }
  if (!aw_linker_define_instance(r->linker, as, sm->inst)) {
    why(r, "aw_linker_define_instance failed");
    set_poison(r, as, MS_FAILED, line);
    return R_FAIL;
  }
  if (!set_poison(r, as, MS_OK, line)) return R_FAIL;
  return R_PASS;
}

/* Copies s[0..len) into buf as printable ASCII (other bytes as \xNN),
   truncated to fit. */
static void escape_name(char *buf, size_t n, const char *s, size_t len) {
  size_t o = 0;
  for (size_t i = 0; i < len && o + 5 < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"')
      buf[o++] = (char)c;
    else
      o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
  }
  if (n) buf[o < n ? o : n - 1] = '\0';
}

/* The result of running an action. */
typedef struct act_result {
  aw_error err;    /* engine status (err.kind) when the action ran */
  aw_val *results; /* err.kind == AW_OK: the values */
  uint32_t nresults;
} act_result;

/* Runs cmd.action.  Returns R_PASS when the engine was called (its status
   is in res->err), R_NOTRUN / R_FAIL (with r->why) when it could not be. */
static outcome run_action(runner *r, const cli_json *cmd, act_result *res) {
  memset(res, 0, sizeof *res);
  aw_error_clear(&res->err);
  const cli_json *act = cli_json_get(cmd, "action");
  const char *type = cli_json_get_str(act, "type");
  const cli_json *field = cli_json_get(act, "field");
  if (!type || !field || field->type != CLI_JSON_STRING) {
    why(r, "malformed action in the script");
    return R_FAIL;
  }
  sp_module *sm;
  outcome o = target_module(r, cli_json_get_str(act, "module"), &sm);
  if (o != R_PASS) return o;
  /* The name as printable text for messages (names may hold any byte). */
  char fname[200];
  escape_name(fname, sizeof fname, field->str, field->len);
  aw_extern ext;
  memset(&ext, 0, sizeof ext);
  if (!aw_instance_export(sm->inst, field->str, field->len, &ext)) {
    why(r, "no export \"%s\"", fname);
    return R_FAIL;
  }
  if (!strcmp(type, "get")) {
    if (ext.kind != AW_EXTERN_GLOBAL || !ext.of.global) {
      why(r, "export \"%s\" is not a global", fname);
      return R_FAIL;
    }
    res->results = calloc(1, sizeof *res->results);
    if (!res->results) {
      why(r, "out of memory");
      return R_FAIL;
    }
    res->results[0] = aw_global_get(ext.of.global);
    res->nresults = 1;
    return R_PASS;
  }
  if (strcmp(type, "invoke") != 0) {
    why(r, "unknown action type \"%s\"", type);
    return R_FAIL;
  }
  if (ext.kind != AW_EXTERN_FUNC || !ext.of.func) {
    why(r, "export \"%s\" is not a function", fname);
    return R_FAIL;
  }
  aw_functype ft = aw_func_type(ext.of.func);
  if ((ft.nparams && !ft.params) || (ft.nresults && !ft.results) ||
      ft.nparams > 100000 || ft.nresults > 100000) {
    why(r, "engine returned a bad type for \"%s\"", fname);
    return R_FAIL;
  }
  const cli_json *args = cli_json_get(act, "args");
  size_t nargs = 0;
  if (args) {
    if (args->type != CLI_JSON_ARRAY) {
      why(r, "malformed args in the script");
      return R_FAIL;
    }
    nargs = args->count;
  }
  if (nargs != ft.nparams) {
    why(r, "\"%s\" takes %" PRIu32 " arguments, the script passes %zu", fname,
        ft.nparams, nargs);
    return R_FAIL;
  }
  aw_val *argv = calloc(nargs ? nargs : 1, sizeof *argv);
  res->results = calloc(ft.nresults ? ft.nresults : 1, sizeof *res->results);
  if (!argv || !res->results) {
    free(argv);
    why(r, "out of memory");
    return R_FAIL;
  }
  for (size_t i = 0; i < nargs; i++) {
    sp_value v;
    if (!parse_value(r, args->items[i], false, &v)) {
      free(argv);
      return R_FAIL;
    }
    if (v.val.kind != ft.params[i]) {
      why(r, "argument %zu of \"%s\" is %s, the script passes %s", i, fname,
          cli_valkind_name(ft.params[i]), cli_valkind_name(v.val.kind));
      free(argv);
      return R_FAIL;
    }
    argv[i] = v.val;
  }
  res->nresults = ft.nresults;
  aw_errkind k = aw_func_call(r->store, ext.of.func, argv, nargs, res->results,
                              ft.nresults, &res->err);
  free(argv);
  if (k != res->err.kind) {
    /* Trust the return value; keep the details when they agree. */
    if (k == AW_OK) aw_error_clear(&res->err);
    res->err.kind = k;
  }
  errmsg(&res->err);
  return R_PASS;
}

/* Maps an assertion's trap text to the trap kind the engine must report;
   AW_TRAP_NONE if the text is unknown. */
static aw_trapkind trap_for_text(const char *text) {
  if (!text) return AW_TRAP_NONE;
  if (!strncmp(text, "undefined element", 17))
    return AW_TRAP_OUT_OF_BOUNDS_TABLE;
  for (int k = AW_TRAP_UNREACHABLE; k <= AW_TRAP_HOST; k++) {
    const char *m = aw_trapkind_message((aw_trapkind)k);
    size_t n = strlen(m);
    if (n && !strncmp(text, m, n)) return (aw_trapkind)k;
  }
  return AW_TRAP_NONE;
}

/* Checks that err is the trap the text names. */
static outcome check_trap(runner *r, aw_error *err, const char *text,
                          const char *what) {
  char d[AW_ERROR_MESSAGE_MAX + 64];
  describe_error(d, sizeof d, err);
  if (err->kind == AW_ERR_UNSUPPORTED) {
    why(r, "%s", d);
    return R_NOTRUN;
  }
  if (err->kind == AW_OK) {
    why(r, "expected trap \"%s\", %s", text ? text : "?", what);
    return R_FAIL;
  }
  aw_trapkind want = trap_for_text(text);
  if (err->kind == AW_ERR_TRAP) {
    if (want != AW_TRAP_NONE
            ? err->trap == want
            : (text && !strncmp(errmsg(err), text, strlen(text))))
      return R_PASS;
  }
  why(r, "expected trap \"%s\", got %s", text ? text : "?", d);
  return R_FAIL;
}

static void act_free(act_result *res) {
  free(res->results);
  res->results = NULL;
}

static outcome cmd_assert_return(runner *r, const cli_json *cmd) {
  act_result res;
  outcome o = run_action(r, cmd, &res);
  if (o != R_PASS) {
    act_free(&res);
    return o;
  }
  char d[AW_ERROR_MESSAGE_MAX + 64];
  if (res.err.kind != AW_OK) {
    describe_error(d, sizeof d, &res.err);
    why(r, "expected a result, got %s", d);
    act_free(&res);
    return res.err.kind == AW_ERR_UNSUPPORTED ? R_NOTRUN : R_FAIL;
  }
  const cli_json *exp = cli_json_get(cmd, "expected");
  const cli_json *either = cli_json_get(cmd, "either");
  if (!exp && either && either->type == CLI_JSON_ARRAY) {
    /* (either r1 r2 ...): one result matching any of the alternatives. */
    o = R_FAIL;
    for (size_t i = 0; i < either->count && o == R_FAIL; i++) {
      sp_value ev;
      if (!parse_value(r, either->items[i], true, &ev)) break;
      if (res.nresults == 1 && value_matches(&ev, &res.results[0])) o = R_PASS;
    }
    if (o == R_FAIL && !r->why[0])
      why(r, "the result matches none of the %zu alternatives", either->count);
    act_free(&res);
    return o;
  }
  if (!exp || exp->type != CLI_JSON_ARRAY) {
    why(r, "malformed expected values in the script");
    act_free(&res);
    return R_FAIL;
  }
  sp_value *ev = calloc(exp->count ? exp->count : 1, sizeof *ev);
  if (!ev) {
    why(r, "out of memory");
    act_free(&res);
    return R_FAIL;
  }
  o = R_PASS;
  for (size_t i = 0; i < exp->count; i++) {
    if (!parse_value(r, exp->items[i], true, &ev[i])) {
      o = R_FAIL;
      break;
    }
  }
  bool match = o == R_PASS && exp->count == res.nresults;
  for (size_t i = 0; match && i < exp->count; i++)
    if (!value_matches(&ev[i], &res.results[i])) match = false;
  if (o == R_PASS && !match) {
    char buf[900];
    sbuf b = {buf, sizeof buf, 0};
    buf[0] = '\0';
    sb_printf(&b, "expected (");
    for (size_t i = 0; i < exp->count; i++) {
      if (i) sb_printf(&b, " ");
      sb_value(&b, &ev[i].val, &ev[i], true);
    }
    sb_printf(&b, "), got (");
    for (uint32_t i = 0; i < res.nresults; i++) {
      if (i) sb_printf(&b, " ");
      sb_value(&b, &res.results[i], i < exp->count ? &ev[i] : NULL, false);
    }
    sb_printf(&b, ")");
    why(r, "%s", buf);
    o = R_FAIL;
  }
  free(ev);
  act_free(&res);
  return o;
}

static outcome cmd_assert_trap(runner *r, const cli_json *cmd,
                               bool exhaustion) {
  act_result res;
  outcome o = run_action(r, cmd, &res);
  act_free(&res);
  if (o != R_PASS) return o;
  const char *text = cli_json_get_str(cmd, "text");
  if (exhaustion) text = aw_trapkind_message(AW_TRAP_CALL_STACK_EXHAUSTED);
  return check_trap(r, &res.err, text, "got a result");
}

static outcome cmd_action(runner *r, const cli_json *cmd) {
  act_result res;
  outcome o = run_action(r, cmd, &res);
  act_free(&res);
  if (o != R_PASS) return o;
  if (res.err.kind == AW_OK) return R_PASS;
  char d[AW_ERROR_MESSAGE_MAX + 64];
  describe_error(d, sizeof d, &res.err);
  why(r, "expected the action to succeed, got %s", d);
  return res.err.kind == AW_ERR_UNSUPPORTED ? R_NOTRUN : R_FAIL;
}

/* assert_malformed / assert_invalid: decoding must fail with want. */
static outcome cmd_assert_bad_module(runner *r, const cli_json *cmd,
                                     aw_errkind want) {
  const char *mt = cli_json_get_str(cmd, "module_type");
  if (mt && strcmp(mt, "binary") != 0) {
    why(r, "%s-format module", mt);
    return R_SKIP;
  }
  const char *text = cli_json_get_str(cmd, "text");
  const char *wname = want == AW_ERR_MALFORMED ? "malformed" : "invalid";
  aw_error err;
  aw_module *m = load_binary(r, cmd, &err);
  if (m) {
    aw_module_free(m);
    why(r, "expected %s (\"%s\"), got a valid module", wname,
        text ? text : "?");
    return R_FAIL;
  }
  if (err.kind == want) return R_PASS;
  char d[AW_ERROR_MESSAGE_MAX + 64];
  describe_error(d, sizeof d, &err);
  if (err.kind == AW_ERR_UNSUPPORTED) {
    why(r, "%s", d);
    return R_NOTRUN;
  }
  why(r, "expected %s (\"%s\"), got %s", wname, text ? text : "?", d);
  return R_FAIL;
}

/* Keeps a module of an assertion alive until the end (the store may hold
   instances or table entries that refer to it). */
static bool keep_module(runner *r, aw_module *m, uint64_t line) {
  sp_module *sm = add_module(r, NULL, line);
  if (!sm) return false;
  sm->module = m;
  sm->state = MS_FAILED; /* never the target of a command */
  return true;
}

/* assert_unlinkable (want AW_ERR_LINK) / assert_uninstantiable (want a
   trap): the module must load and its instantiation fail that way. */
static outcome cmd_assert_inst_fails(runner *r, const cli_json *cmd,
                                     uint64_t line, bool link) {
  const char *mt = cli_json_get_str(cmd, "module_type");
  if (mt && strcmp(mt, "binary") != 0) {
    why(r, "%s-format module", mt);
    return R_SKIP;
  }
  const char *text = cli_json_get_str(cmd, "text");
  aw_error err;
  char d[AW_ERROR_MESSAGE_MAX + 64];
  aw_module *m = load_binary(r, cmd, &err);
  if (!m) {
    describe_error(d, sizeof d, &err);
    why(r, "expected the module to load, got %s", d);
    return err.kind == AW_ERR_UNSUPPORTED ? R_NOTRUN : R_FAIL;
  }
  if (!keep_module(r, m, line)) {
    aw_module_free(m);
    why(r, "out of memory");
    return R_FAIL;
  }
  aw_instance *inst = instantiate(r, m, &err);
  if (inst) {
    why(r, "expected %s (\"%s\"), but the module instantiated",
        link ? "a link error" : "a trap", text ? text : "?");
    return R_FAIL;
  }
  /* A module importing from one that did not run proves nothing. */
  mod_state dep = dependency_state(r, m);
  if (dep != MS_OK) return dep == MS_NOTRUN ? R_NOTRUN : R_FAIL;
  if (link) {
    if (err.kind == AW_ERR_LINK) return R_PASS;
    describe_error(d, sizeof d, &err);
    why(r, "expected a link error (\"%s\"), got %s", text ? text : "?", d);
    return err.kind == AW_ERR_UNSUPPORTED ? R_NOTRUN : R_FAIL;
  }
  return check_trap(r, &err, text, "but the module instantiated");
}

/* ---- the script -----------------------------------------------------------
 */

static int command_type(const char *type) {
  if (!type) return CT_OTHER;
  for (int i = 0; i < CT_OTHER; i++)
    if (!strcmp(type, ct_names[i])) return i;
  return CT_OTHER;
}

static outcome run_command(runner *r, const cli_json *cmd, int ct,
                           uint64_t line) {
  r->why[0] = '\0';
  switch (ct) {
  case CT_MODULE: return cmd_module(r, cmd, line);
  case CT_REGISTER: return cmd_register(r, cmd, line);
  case CT_ACTION: return cmd_action(r, cmd);
  case CT_ASSERT_RETURN: return cmd_assert_return(r, cmd);
  case CT_ASSERT_TRAP: return cmd_assert_trap(r, cmd, false);
  case CT_ASSERT_EXHAUSTION: return cmd_assert_trap(r, cmd, true);
  case CT_ASSERT_INVALID: return cmd_assert_bad_module(r, cmd, AW_ERR_INVALID);
  case CT_ASSERT_MALFORMED:
    return cmd_assert_bad_module(r, cmd, AW_ERR_MALFORMED);
  case CT_ASSERT_UNLINKABLE: return cmd_assert_inst_fails(r, cmd, line, true);
  case CT_ASSERT_UNINSTANTIABLE:
    return cmd_assert_inst_fails(r, cmd, line, false);
  default: break;
  }
  why(r, "unknown command type \"%s\"",
      cli_json_get_str(cmd, "type") ? cli_json_get_str(cmd, "type") : "?");
  return R_FAIL;
}

static void runner_free(runner *r) {
  /* Instances live in the store: free the linker and the store before the
     modules, and the modules before the engine. */
  if (r->linker) aw_linker_free(r->linker);
  if (r->store) aw_store_free(r->store);
  for (sp_module *m = r->mods, *next; m; m = next) {
    next = m->next;
    if (m->module) aw_module_free(m->module);
    free(m->name);
    free(m);
  }
  for (sp_poison *p = r->poison, *next; p; p = next) {
    next = p->next;
    free(p->as);
    free(p);
  }
  if (r->engine) aw_engine_free(r->engine);
  free(r->dir);
}

static void usage(FILE *out) {
  fprintf(
      out,
      "usage: airssys-wasm spectest FILE.json [--line N] [--verbose] "
      "[--counts] [--fuel]\n"
      "Runs a spec-test script converted by wast2json (the .wasm files\n"
      "beside it).  Prints one line per failed command and ends with\n"
      "\"N passed, N failed, N skipped\" (not-run commands, for features\n"
      "the engine does not implement, count as skipped).\n"
      "  --line N   run only the commands of line N (modules, registers\n"
      "             and actions before it still run, silently)\n"
      "  --verbose  also show skipped/not-run commands and per-type counts\n"
      "  --counts   print machine-readable per-type counts\n"
      "  --fuel     compile with fuel metering (default: off)\n"
      "  --trace    print \"trace INDEX LINE TYPE OUTCOME\" per command\n");
}

int cli_spectest_main(int argc, char **argv) {
  const char *file = NULL;
  bool verbose = false, counts = false, fuel = false, has_line = false;
  bool trace = false;
  uint64_t only_line = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
      verbose = true;
    } else if (!strcmp(a, "--counts")) {
      counts = true;
    } else if (!strcmp(a, "--fuel")) {
      fuel = true;
    } else if (!strcmp(a, "--trace")) {
      trace = true;
    } else if (!strcmp(a, "--line")) {
      if (i + 1 >= argc ||
          !cli_json_parse_u64(argv[i + 1], strlen(argv[i + 1]), &only_line)) {
        fprintf(stderr, "airssys-wasm spectest: --line needs a number\n");
        return 2;
      }
      has_line = true;
      i++;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "airssys-wasm spectest: unknown option '%s'\n", a);
      return 2;
    } else if (file) {
      fprintf(stderr, "airssys-wasm spectest: only one file may be given\n");
      return 2;
    } else {
      file = a;
    }
  }
  if (!file) {
    usage(stderr);
    return 2;
  }

  size_t len = 0;
  char *text = (char *)cli_read_file(file, &len);
  if (!text) {
    fprintf(stderr, "%s: error: cannot read: %s\n", file, strerror(errno));
    return 2;
  }
  char jerr[256];
  cli_json *root = cli_json_parse(text, len, jerr, sizeof jerr);
  free(text);
  if (!root) {
    fprintf(stderr, "%s: error: bad JSON: %s\n", file, jerr);
    return 2;
  }
  cli_spec_opts o;
  memset(&o, 0, sizeof o);
  o.verbose = verbose;
  o.counts = counts;
  o.fuel = fuel;
  o.trace = trace;
  o.has_line = has_line;
  o.only_line = only_line;
  cli_spec_totals tot;
  int rc = cli_spectest_run(file, root, &o, &tot);
  cli_json_free(root);
  if (fflush(stdout) != 0) return 2;
  return rc;
}

int cli_spectest_run(const char *file, const cli_json *root,
                     const cli_spec_opts *opts, cli_spec_totals *totals) {
  bool verbose = opts->verbose, counts = opts->counts, fuel = opts->fuel;
  bool has_line = opts->has_line;
  uint64_t only_line = opts->only_line;
  memset(totals, 0, sizeof *totals);
  const cli_json *cmds = cli_json_get(root, "commands");
  if (!cmds || cmds->type != CLI_JSON_ARRAY) {
    fprintf(stderr, "%s: error: no \"commands\" array\n", file);
    return 2;
  }

  runner r;
  memset(&r, 0, sizeof r);
  r.verbose = verbose;
  r.has_line = has_line;
  r.only_line = only_line;
  const char *src = cli_json_get_str(root, "source_filename");
  r.src = src ? src : file;
  const char *slash = strrchr(file, '/');
  size_t dlen = slash ? (size_t)(slash - file) + 1 : 0;
  r.dir = malloc(dlen + 1);
  if (!r.dir) {
    fprintf(stderr, "%s: error: out of memory\n", file);
    return 2;
  }
  memcpy(r.dir, file, dlen);
  r.dir[dlen] = '\0';

  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.simd = true;
  cfg.consume_fuel = fuel;
  r.engine = aw_engine_new(&cfg);
  r.store = r.engine ? aw_store_new(r.engine) : NULL;
  r.linker = r.store ? aw_linker_new(r.store) : NULL;
  if (!r.linker) {
    fprintf(stderr, "%s: error: cannot create the engine, store or linker\n",
            file);
    runner_free(&r);
    return 2;
  }
  aw_error herr;
  if (!cli_spectest_host_define(r.store, r.linker, &herr))
    fprintf(stderr,
            "%s: warning: spectest host module incomplete: %s\n"
            "  (modules importing the missing parts will fail to link)\n",
            file, errmsg(&herr));

  if (counts) {
    printf("commands %zu\n", cmds->count);
    fflush(stdout);
  }

  for (size_t i = 0; i < cmds->count; i++) {
    const cli_json *cmd = cmds->items[i];
    const char *type = cli_json_get_str(cmd, "type");
    int ct = command_type(type);
    uint64_t line = 0;
    cli_json_u64(cli_json_get(cmd, "line"), &line);
    if (has_line && line != only_line) {
      /* Build the state the commands of that line depend on. */
      if (line < only_line &&
          (ct == CT_MODULE || ct == CT_REGISTER || ct == CT_ACTION))
        if (run_command(&r, cmd, ct, line) == R_NOTRUN && !r.stale_since)
          r.stale_since = line;
      continue;
    }
    outcome o = run_command(&r, cmd, ct, line);
    r.counts[ct][o]++;
    if (o == R_NOTRUN && !r.stale_since && ct != CT_ASSERT_INVALID &&
        ct != CT_ASSERT_MALFORMED)
      r.stale_since = line;
    const char *cname = type ? type : "?";
    if (opts->trace) {
      static const char *const on[OUTCOMES] = {"pass", "fail", "skip",
                                               "notrun"};
      printf("trace %zu %" PRIu64 " %s %s\n", i, line, cname, on[o]);
    }
    if (o == R_FAIL) {
      /* Results may depend on state an earlier command (that could not
         run) would have changed: say so. */
      bool stale = r.stale_since && r.stale_since < line &&
                   ct != CT_ASSERT_INVALID && ct != CT_ASSERT_MALFORMED;
      printf("%s:%" PRIu64 ": %s: %s", r.src, line, cname,
             r.why[0] ? r.why : "failed");
      if (stale)
        printf(" (state may be stale: the command at line %" PRIu64
               " could not run)",
               r.stale_since);
      putchar('\n');
    } else if (verbose && o == R_NOTRUN) {
      printf("%s:%" PRIu64 ": %s: not run: %s\n", r.src, line, cname, r.why);
    } else if (verbose && o == R_SKIP) {
      printf("%s:%" PRIu64 ": %s: skipped: %s\n", r.src, line, cname, r.why);
    }
  }

  unsigned long tot[OUTCOMES] = {0};
  for (int c = 0; c < CT_N; c++)
    for (int o = 0; o < OUTCOMES; o++)
      tot[o] += r.counts[c][o];
  if (verbose) {
    printf("%-22s %8s %8s %8s %8s\n", "command", "passed", "failed", "skipped",
           "not-run");
    for (int c = 0; c < CT_N; c++) {
      unsigned long *k = r.counts[c];
      if (k[0] + k[1] + k[2] + k[3] == 0) continue;
      printf("%-22s %8lu %8lu %8lu %8lu\n", ct_names[c], k[R_PASS], k[R_FAIL],
             k[R_SKIP], k[R_NOTRUN]);
    }
  }
  if (counts) {
    for (int c = 0; c < CT_N; c++) {
      unsigned long *k = r.counts[c];
      printf("count %s %lu %lu %lu %lu\n", ct_names[c], k[R_PASS], k[R_FAIL],
             k[R_SKIP], k[R_NOTRUN]);
    }
  }
  totals->passed = tot[R_PASS];
  totals->failed = tot[R_FAIL];
  totals->skipped = tot[R_SKIP];
  totals->notrun = tot[R_NOTRUN];
  if (!opts->quiet) {
    printf("not run: %lu\n", tot[R_NOTRUN]);
    printf("%lu passed, %lu failed, %lu skipped\n", tot[R_PASS], tot[R_FAIL],
           tot[R_SKIP] + tot[R_NOTRUN]);
  }
  runner_free(&r);
  return tot[R_FAIL] == 0 ? 0 : 1;
}
