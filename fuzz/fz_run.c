/*
 * fz_run.c - runs a module for the fuzz targets under small limits and
 * checks the outcome: instantiation with dummy imports, then each export
 * called with zero and with fuzz-chosen arguments.  Any outcome other than
 * a result, a trap with a trap kind, out of fuel, a limit or a timeout is
 * a finding (abort).
 */
#include "fz_run.h"
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "runtime.h"
#include "vm/vm.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void fz_fail(const char *file, int line, const char *cond,
                       const char *fmt, ...) {
  fprintf(stderr, "%s:%d: FINDING: %s: ", file, line, cond);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

void fz_check_error(aw_errkind k, const aw_error *err) {
  FZ_ASSERT(k != AW_OK, "%s", "failure without a kind");
  FZ_ASSERT(err->kind == k, "kind %d vs returned %d", (int)err->kind, (int)k);
  FZ_ASSERT(err->message[0] != '\0', "error %s without a message",
            aw_errkind_name(k));
  FZ_ASSERT(memchr(err->message, 0, sizeof err->message) != NULL, "%s",
            "message not terminated");
  if (k == AW_ERR_TRAP)
    FZ_ASSERT(err->trap != AW_TRAP_NONE, "trap without a kind: %s",
              err->message);
}

/* Host function for every imported function: results are zero. */
static aw_errkind fz_host(void *env, aw_caller *caller, const aw_val *args,
                          aw_val *results, aw_error *err) {
  (void)args;
  (void)err;
  const aw_functype *t = env;
  (void)caller;
  for (uint32_t i = 0; i < t->nresults; i++) {
    memset(&results[i], 0, sizeof results[i]);
    results[i].kind = t->results[i];
  }
  return AW_OK;
}

/* Reads the next argument byte stream as little-endian bits. */
typedef struct {
  const uint8_t *p;
  size_t n;
} fz_bytes;

static uint64_t take(fz_bytes *b, unsigned size) {
  uint64_t v = 0;
  for (unsigned i = 0; i < size && b->n; i++, b->p++, b->n--)
    v |= (uint64_t)*b->p << (8 * i);
  return v;
}

static void make_arg(aw_val *v, aw_valkind k, fz_bytes *b) {
  memset(v, 0, sizeof *v);
  v->kind = k;
  if (!b) return;
  switch (k) {
  case AW_I32: v->of.i32 = (int32_t)take(b, 4); break;
  case AW_I64: v->of.i64 = (int64_t)take(b, 8); break;
  case AW_F32: {
    uint32_t u = (uint32_t)take(b, 4);
    memcpy(&v->of.f32, &u, 4);
    break;
  }
  case AW_F64: {
    uint64_t u = take(b, 8);
    memcpy(&v->of.f64, &u, 8);
    break;
  }
  case AW_V128:
    for (int i = 0; i < 16; i++)
      v->of.v128[i] = (uint8_t)take(b, 1);
    break;
  default: break; /* references: null */
  }
}

/* ft: where the signature of an imported function is kept (the host
   function's env) until the store is freed. */
static bool make_import(aw_store *s, const aw_import_desc *d, aw_extern *out,
                        aw_functype *ft) {
  aw_error err;
  out->kind = d->type.kind;
  switch (d->type.kind) {
  case AW_EXTERN_FUNC:
    /* Its arrays belong to the module, which outlives the store. */
    *ft = d->type.of.func;
    out->of.func = aw_func_new(s, ft, fz_host, ft, NULL);
    FZ_ASSERT(out->of.func != NULL, "%s", "aw_func_new failed");
    return true;
  case AW_EXTERN_MEMORY: {
    aw_limits l = d->type.of.memory;
    if (l.min > FZ_MEM_CAP / 65536) return false;
    out->of.memory = aw_memory_new(s, l, &err);
    return out->of.memory != NULL;
  }
  case AW_EXTERN_TABLE: {
    aw_limits l = d->type.of.table.limits;
    if (l.min > FZ_TABLE_CAP) return false;
    out->of.table = aw_table_new(s, d->type.of.table.elem, l, NULL, &err);
    return out->of.table != NULL;
  }
  case AW_EXTERN_GLOBAL: {
    aw_val v;
    make_arg(&v, d->type.of.global.type, NULL);
    out->of.global = aw_global_new(s, v, d->type.of.global.mut, &err);
    return out->of.global != NULL;
  }
  }
  return false;
}

static void check_outcome(aw_errkind k, const aw_error *err) {
  if (k == AW_OK) return;
  fz_check_error(k, err);
  FZ_ASSERT(k == AW_ERR_TRAP || k == AW_ERR_OUT_OF_FUEL ||
                k == AW_ERR_LIMIT_EXCEEDED || k == AW_ERR_TIMEOUT,
            "unexpected outcome %s: %s", aw_errkind_name(k), err->message);
}

/* The executor's link callback: dummy imports, as make_import. */
typedef struct {
  const aw_module *mod;
  aw_functype *fts;
} fz_link_ctx;

static bool fz_link(void *ctx, aw_linker *linker, aw_store *s, aw_error *err) {
  fz_link_ctx *c = ctx;
  uint32_t n = aw_module_import_count(c->mod);
  for (uint32_t i = 0; i < n; i++) {
    aw_import_desc d;
    aw_extern ext;
    FZ_ASSERT(aw_module_import(c->mod, i, &d), "import %u", i);
    if (!make_import(s, &d, &ext, &c->fts[i])) continue; /* a link error */
    if (!aw_linker_define(linker, d.module, d.name, ext)) {
      aw_error_clear(err);
      err->kind = AW_ERR_NOMEM;
      snprintf(err->message, sizeof err->message, "out of memory");
      return false;
    }
  }
  return true;
}

/* Runs export `name` through aw_execute (fresh store, fuel, deadline,
   memory and table caps) and checks the outcome and its figures. */
static void fz_execute(const aw_module *mod, const char *name,
                       const aw_val *args, uint32_t nargs) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_fuel(&b, FZ_FUEL);
  aw_limits_builder_timeout_ms(&b, FZ_TIMEOUT_MS);
  aw_limits_builder_max_memory_bytes(&b, FZ_MEM_CAP);
  aw_limits_builder_max_table_elements(&b, FZ_TABLE_CAP);
  aw_limits_builder_max_call_depth(&b, FZ_MAX_FRAMES);
  aw_limits_builder_max_value_stack_slots(&b, FZ_MAX_SLOTS);
  aw_exec_request req = {.module = mod,
                         .func = name,
                         .args = args,
                         .nargs = nargs,
                         .link = fz_link};
  aw_error err;
  FZ_ASSERT(aw_limits_builder_build(&b, &req.limits, &err) == AW_OK, "%s",
            err.message);
  uint32_t nimp = aw_module_import_count(mod);
  fz_link_ctx ctx = {mod, calloc(nimp + 1u, sizeof(aw_functype))};
  FZ_ASSERT(ctx.fts != NULL, "%s", "calloc");
  req.link_ctx = &ctx;
  aw_exec_result res;
  aw_errkind k = aw_execute(&req, &res);
  free(ctx.fts);
  FZ_ASSERT(k == res.outcome, "%s", "outcome differs from return value");
  if (k != AW_OK) {
    fz_check_error(k, &res.error);
    FZ_ASSERT(k == AW_ERR_TRAP || k == AW_ERR_OUT_OF_FUEL ||
                  k == AW_ERR_LIMIT_EXCEEDED || k == AW_ERR_TIMEOUT ||
                  k == AW_ERR_LINK,
              "aw_execute: %s: %s", aw_errkind_name(k), res.error.message);
  }
  if (res.fuel_metered) {
    FZ_ASSERT(res.fuel.consumed <= res.fuel.max, "fuel %llu > max %llu",
              (unsigned long long)res.fuel.consumed,
              (unsigned long long)res.fuel.max);
    if (k == AW_ERR_OUT_OF_FUEL)
      FZ_ASSERT(res.error.figures.fuel.max == FZ_FUEL, "fuel figures %llu",
                (unsigned long long)res.error.figures.fuel.max);
  }
  FZ_ASSERT(res.memory.peak <= FZ_MEM_CAP, "memory %llu over cap",
            (unsigned long long)res.memory.peak);
}

unsigned fz_run_module(aw_engine *engine, const aw_module *mod,
                       const uint8_t *args, size_t nargs) {
  aw_store *s = aw_store_new(engine);
  FZ_ASSERT(s != NULL, "%s", "aw_store_new failed");
  s->mem_cap_bytes = FZ_MEM_CAP;
  s->table_cap = FZ_TABLE_CAP;
  aw_store_set_stack_limits(s, FZ_MAX_FRAMES, FZ_MAX_SLOTS);
  FZ_ASSERT(vm_set_fuel(s, FZ_FUEL), "%s", "vm_set_fuel failed");

  unsigned calls = 0;
  uint32_t nimp = aw_module_import_count(mod);
  aw_extern *imps = calloc(nimp ? nimp : 1, sizeof *imps);
  aw_functype *fts = calloc(nimp ? nimp : 1, sizeof *fts);
  FZ_ASSERT(imps && fts, "%s", "calloc");
  bool ok = true;
  for (uint32_t i = 0; i < nimp && ok; i++) {
    aw_import_desc d;
    FZ_ASSERT(aw_module_import(mod, i, &d), "import %u", i);
    ok = make_import(s, &d, &imps[i], &fts[i]);
  }
  aw_instance *inst = NULL;
  if (ok) {
    aw_error err;
    inst = aw_instantiate(s, mod, imps, nimp, &err);
    if (!inst) {
      fz_check_error(err.kind, &err);
      FZ_ASSERT(err.kind == AW_ERR_TRAP || err.kind == AW_ERR_OUT_OF_FUEL ||
                    err.kind == AW_ERR_LIMIT_EXCEEDED ||
                    err.kind == AW_ERR_LINK || err.kind == AW_ERR_TIMEOUT,
                "instantiate: %s: %s", aw_errkind_name(err.kind), err.message);
    }
  }
  free(imps);

  uint32_t nexp = inst ? aw_module_export_count(mod) : 0;
  fz_bytes b = {args, nargs};
  for (uint32_t i = 0; i < nexp && calls < FZ_MAX_EXPORT_CALLS; i++) {
    aw_export_desc d;
    FZ_ASSERT(aw_module_export(mod, i, &d), "export %u", i);
    if (d.type.kind != AW_EXTERN_FUNC) continue;
    aw_extern ext;
    FZ_ASSERT(aw_instance_export(inst, d.name, d.name_len, &ext),
              "export %u not found by name", i);
    FZ_ASSERT(ext.kind == AW_EXTERN_FUNC, "export %u kind", i);
    aw_functype t = aw_func_type(ext.of.func);
    aw_val *av = calloc(t.nparams + 1u, sizeof *av);
    aw_val *rv = calloc(t.nresults + 1u, sizeof *rv);
    FZ_ASSERT(av && rv, "%s", "calloc");
    for (int round = 0; round < 2; round++) {
      for (uint32_t j = 0; j < t.nparams; j++)
        make_arg(&av[j], t.params[j], round ? &b : NULL);
      aw_error err;
      /* The second round runs out of fuel at a fuzz-chosen point, inside
         any block (the interpreter's partial-block path). */
      vm_set_fuel(s, round ? take(&b, 2) % 4096 : FZ_FUEL);
      aw_errkind k =
          aw_func_call(s, ext.of.func, av, t.nparams, rv, t.nresults, &err);
      check_outcome(k, &err);
      if (k == AW_OK)
        for (uint32_t j = 0; j < t.nresults; j++)
          FZ_ASSERT(rv[j].kind == t.results[j], "result %u kind", j);
      calls++;
    }
    free(av);
    free(rv);
  }
  bool instantiated = inst != NULL;
  aw_store_free(s);
  free(fts);
  /* The same module through the executor: its first exported function
     with zero arguments (when it has at most 16 parameters). */
  for (uint32_t i = 0; instantiated && i < aw_module_export_count(mod); i++) {
    aw_export_desc d;
    FZ_ASSERT(aw_module_export(mod, i, &d), "export %u", i);
    if (d.type.kind != AW_EXTERN_FUNC || strlen(d.name) != d.name_len) continue;
    const aw_functype *t = &d.type.of.func;
    if (t->nparams > 16 || t->nresults > AW_EXEC_MAX_RESULTS) break;
    aw_val av[16];
    for (uint32_t j = 0; j < t->nparams; j++)
      make_arg(&av[j], t->params[j], NULL);
    fz_execute(mod, d.name, av, t->nparams);
    calls++;
    break;
  }
  return calls;
}
