/*
 * spectest_host.c - the `spectest` host module the spec test suite
 * imports (spec interpreter's "Notes for the harness"): silent print
 * functions, four immutable globals (666 / 666.6), a 10..20 funcref table
 * and a 1..2 page memory.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* The print functions print nothing: the suite only needs them to exist
   with the right types. */
static aw_errkind spectest_print(void *env, aw_caller *caller,
                                 const aw_val *args, aw_val *results,
                                 aw_error *err) {
  (void)env;
  (void)caller;
  (void)args;
  (void)results;
  (void)err;
  return AW_OK;
}

static const aw_valkind k_i32[] = {AW_I32};
static const aw_valkind k_i64[] = {AW_I64};
static const aw_valkind k_f32[] = {AW_F32};
static const aw_valkind k_f64[] = {AW_F64};
static const aw_valkind k_i32_f32[] = {AW_I32, AW_F32};
static const aw_valkind k_f64_f64[] = {AW_F64, AW_F64};

typedef struct host_func {
  const char *name;
  uint32_t nparams;
  const aw_valkind *params;
} host_func;

static const host_func k_funcs[] = {
    {"print", 0, NULL},
    {"print_i32", 1, k_i32},
    {"print_i64", 1, k_i64},
    {"print_f32", 1, k_f32},
    {"print_f64", 1, k_f64},
    {"print_i32_f32", 2, k_i32_f32},
    {"print_f64_f64", 2, k_f64_f64},
};

static bool define(aw_linker *linker, const char *name, aw_extern ext,
                   aw_error *err) {
  if (aw_linker_define(linker, "spectest", name, ext)) return true;
  err->kind = AW_ERR_NOMEM;
  snprintf(err->message, sizeof err->message,
           "cannot define spectest.%s in the linker", name);
  return false;
}

static bool fail_create(const char *what, aw_error *err) {
  err->message[AW_ERROR_MESSAGE_MAX - 1] = '\0';
  char inner[AW_ERROR_MESSAGE_MAX];
  memcpy(inner, err->message, sizeof inner);
  if (err->kind == AW_OK) err->kind = AW_ERR_NOMEM;
  snprintf(err->message, sizeof err->message,
           "cannot create spectest.%s: %.200s", what,
           inner[0] ? inner : aw_errkind_name(err->kind));
  return false;
}

bool cli_spectest_host_define(aw_store *store, aw_linker *linker,
                              aw_error *err) {
  aw_error_clear(err);
  for (size_t i = 0; i < sizeof k_funcs / sizeof k_funcs[0]; i++) {
    aw_functype ft = {k_funcs[i].nparams, 0, k_funcs[i].params, NULL};
    aw_func *f = aw_func_new(store, &ft, spectest_print, NULL, NULL);
    if (!f) return fail_create(k_funcs[i].name, err);
    aw_extern ext = {.kind = AW_EXTERN_FUNC, .of.func = f};
    if (!define(linker, k_funcs[i].name, ext, err)) return false;
  }

  aw_val vals[4];
  memset(vals, 0, sizeof vals);
  vals[0].kind = AW_I32;
  vals[0].of.i32 = 666;
  vals[1].kind = AW_I64;
  vals[1].of.i64 = 666;
  vals[2].kind = AW_F32;
  vals[2].of.f32 = 666.6f;
  vals[3].kind = AW_F64;
  vals[3].of.f64 = 666.6;
  static const char *const gnames[4] = {"global_i32", "global_i64",
                                        "global_f32", "global_f64"};
  for (int i = 0; i < 4; i++) {
    aw_global *g = aw_global_new(store, vals[i], false, err);
    if (!g) return fail_create(gnames[i], err);
    aw_extern ext = {.kind = AW_EXTERN_GLOBAL, .of.global = g};
    if (!define(linker, gnames[i], ext, err)) return false;
  }

  aw_limits tl = {10, 20, true};
  aw_table *t = aw_table_new(store, AW_FUNCREF, tl, NULL, err);
  if (!t) return fail_create("table", err);
  aw_extern text = {.kind = AW_EXTERN_TABLE, .of.table = t};
  if (!define(linker, "table", text, err)) return false;

  aw_limits ml = {1, 2, true};
  aw_memory *m = aw_memory_new(store, ml, err);
  if (!m) return fail_create("memory", err);
  aw_extern mext = {.kind = AW_EXTERN_MEMORY, .of.memory = m};
  if (!define(linker, "memory", mext, err)) return false;
  return true;
}
