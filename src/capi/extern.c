/*
 * extern.c - runtime objects of the standard C API: functions (host
 * functions through one trampoline, calls into wasm), globals, tables,
 * memories and instances.  Every value crossing into the engine is checked
 * against the declared type and store first (capi_val_in), so a wrong
 * argument is a trap, never a crash.
 */
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "capi/capi.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values on the C stack up to this count; beyond it, on the heap. */
#define CAPI_SMALL 8

/* ---- Functions */

/* The engine's host function for every wasm_func_new function: converts
   the arguments, calls the callback, converts the results back or turns
   its trap into the engine error (the trap itself waits in the store for
   the wasm_func_call it unwinds to: capi_trap_take). */
static aw_errkind trampoline(void *env, aw_caller *caller, const aw_val *args,
                             aw_val *results, aw_error *err) {
  wasm_func_t *f = env;
  wasm_store_t *s = f->o.store;
  aw_functype t = aw_func_type(f->f);
  (void)caller;
  wasm_val_t small[2 * CAPI_SMALL];
  size_t n = (size_t)t.nparams + t.nresults;
  wasm_val_t *v = n <= 2 * CAPI_SMALL ? small : calloc(n, sizeof *v);
  if (!v) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
            "out of memory calling a host function");
    return AW_ERR_NOMEM;
  }
  const char *why = NULL;
  bool ok = true;
  for (uint32_t i = 0; i < t.nparams && ok; i++)
    ok = capi_val_out(s, &args[i], &v[i]);
  for (uint32_t i = 0; i < t.nresults; i++) {
    memset(&v[t.nparams + i], 0, sizeof *v);
    v[t.nparams + i].kind = capi_kind_from_aw((uint8_t)t.results[i]);
  }
  wasm_trap_t *trap = NULL;
  if (!ok) {
    why = "a host function's argument cannot pass through the C API";
  } else {
    wasm_val_vec_t a = {t.nparams, t.nparams ? v : NULL};
    wasm_val_vec_t r = {t.nresults, t.nresults ? v + t.nparams : NULL};
    trap = f->cb_env ? f->cb_env(f->env, &a, &r) : f->cb(&a, &r);
    for (uint32_t i = 0; i < t.nresults && !trap && !why; i++)
      if (!capi_val_in(s, &v[t.nparams + i], (uint8_t)t.results[i], &results[i],
                       &why))
        why = "a host function returned a result of the wrong type or store";
    for (uint32_t i = 0; i < t.nresults; i++)
      wasm_val_delete(&v[t.nparams + i]);
  }
  /* Arguments were borrowed copies of store handles: nothing to delete. */
  if (v != small) free(v);
  if (!trap && !why) return AW_OK;
  if (!trap) trap = capi_trap_make(why, strlen(why), NULL);
  wasm_trap_delete(s->pending);
  s->pending = trap;
  if (!trap) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory making a trap");
    return AW_ERR_NOMEM;
  }
  /* The trap's own error: a host passing on the trap of a nested call
     (out of fuel, say) keeps its kind. */
  *err = trap->err;
  return err->kind;
}

static wasm_func_t *func_new(wasm_store_t *s, const wasm_functype_t *type,
                             wasm_func_callback_t cb,
                             wasm_func_callback_with_env_t cb_env, void *env,
                             void (*fin)(void *)) {
  wasm_func_t *f = NULL;
  aw_valkind small[2 * CAPI_SMALL], *kinds = small;
  if (!s || !type || (!cb && !cb_env)) goto fail;
  size_t n = type->params.size + type->results.size;
  if (n > 2 * CAPI_SMALL && !(kinds = calloc(n, sizeof *kinds))) goto fail;
  aw_functype at;
  if (!capi_functype_to_aw(type, kinds, &at)) goto fail;
  f = calloc(1, sizeof *f);
  if (!f) goto fail;
  f->f = aw_func_new(s->s, &at, trampoline, f, NULL);
  if (!f->f || !capi_register(s, f->f, &f->o)) {
    /* An aw_func made here stays in the engine store, unreachable. */
    free(f);
    f = NULL;
    goto fail;
  }
  capi_obj_init(&f->o, CAPI_FUNC, s);
  f->cb = cb;
  f->cb_env = cb_env;
  f->env = env;
  f->env_fin = fin;
  if (kinds != small) free(kinds);
  return f;
fail:
  if (kinds != small) free(kinds);
  if (fin) fin(env);
  return NULL;
}

wasm_func_t *wasm_func_new(wasm_store_t *s, const wasm_functype_t *type,
                           wasm_func_callback_t cb) {
  return func_new(s, type, cb, NULL, NULL, NULL);
}

wasm_func_t *wasm_func_new_with_env(wasm_store_t *s,
                                    const wasm_functype_t *type,
                                    wasm_func_callback_with_env_t cb, void *env,
                                    void (*fin)(void *)) {
  return func_new(s, type, NULL, cb, env, fin);
}

wasm_functype_t *wasm_func_type(const wasm_func_t *f) {
  if (!f) return NULL;
  aw_functype t = aw_func_type(f->f);
  return capi_functype_from_aw(&t);
}

size_t wasm_func_param_arity(const wasm_func_t *f) {
  return f ? aw_func_type(f->f).nparams : 0;
}

size_t wasm_func_result_arity(const wasm_func_t *f) {
  return f ? aw_func_type(f->f).nresults : 0;
}

/* A trap for a wrong argument (AW_ERR_ARGUMENT), message from fmt. */
static wasm_trap_t *call_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static wasm_trap_t *call_error(const char *fmt, ...) {
  aw_error err;
  aw_error_clear(&err);
  err.kind = AW_ERR_ARGUMENT;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err.message, sizeof err.message, fmt, ap);
  va_end(ap);
  return capi_trap_from_error(&err);
}

wasm_trap_t *wasm_func_call(const wasm_func_t *f, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  if (!f) return call_error("wasm_func_call: func is NULL");
  wasm_store_t *s = f->o.store;
  aw_functype t = aw_func_type(f->f);
  size_t nargs = args ? args->size : 0, nres = results ? results->size : 0;
  if (nargs != t.nparams || (nargs && !args->data))
    return call_error("wasm_func_call: %zu arguments for %u parameters", nargs,
                      t.nparams);
  if (nres && !results->data) nres = 0;
  aw_val small[2 * CAPI_SMALL];
  size_t n = (size_t)t.nparams + t.nresults;
  aw_val *v = n <= 2 * CAPI_SMALL ? small : calloc(n, sizeof *v);
  if (!v) return call_error("wasm_func_call: out of memory");
  const char *why = NULL;
  for (uint32_t i = 0; i < t.nparams; i++) {
    if (!capi_val_in(s, &args->data[i], (uint8_t)t.params[i], &v[i], &why)) {
      if (v != small) free(v);
      aw_error err;
      aw_error_clear(&err);
      aw_fail(&err, AW_ERR_ARGUMENT, UINT64_MAX,
              "wasm_func_call: argument %u: %s", i, why);
      return capi_trap_from_error(&err);
    }
  }
  aw_error err;
  aw_error_clear(&err);
  aw_errkind k =
      aw_func_call(s->s, f->f, v, t.nparams, v + t.nparams, t.nresults, &err);
  wasm_trap_t *trap = NULL;
  if (k != AW_OK) {
    trap = capi_trap_take(s, &err);
  } else if (nres < t.nresults) {
    /* Checked after the call, as other engines do: a call that traps
       reports its trap whatever room the caller left for results. */
    wasm_trap_delete(s->pending);
    s->pending = NULL;
    trap = call_error("wasm_func_call: room for %zu results, %u needed", nres,
                      t.nresults);
  } else {
    wasm_trap_delete(s->pending);
    s->pending = NULL;
    for (uint32_t i = 0; i < t.nresults; i++)
      if (!capi_val_out(s, &v[t.nparams + i], &results->data[i]) && !trap)
        trap = call_error("wasm_func_call: result %zu cannot pass through the "
                          "C API (v128, or out of memory)",
                          (size_t)i);
  }
  if (v != small) free(v);
  return trap;
}

/* ---- Globals */

wasm_global_t *wasm_global_new(wasm_store_t *s, const wasm_globaltype_t *type,
                               const wasm_val_t *val) {
  if (!s || !type || !val) return NULL;
  uint8_t want = capi_kind_to_aw(wasm_valtype_kind(type->content));
  aw_val v;
  aw_error err;
  const char *why;
  if (!capi_val_in(s, val, want, &v, &why)) return NULL;
  aw_global *g = aw_global_new(s->s, v, type->mut == WASM_VAR, &err);
  if (!g) return NULL;
  wasm_global_t *h = calloc(1, sizeof *h);
  if (!h || !capi_register(s, g, &h->o)) {
    free(h);
    return NULL;
  }
  capi_obj_init(&h->o, CAPI_GLOBAL, s);
  h->g = g;
  return h;
}

wasm_globaltype_t *wasm_global_type(const wasm_global_t *g) {
  if (!g) return NULL;
  return wasm_globaltype_new(
      wasm_valtype_new(capi_kind_from_aw(g->g->type.type)),
      g->g->type.mut ? WASM_VAR : WASM_CONST);
}

void wasm_global_get(const wasm_global_t *g, wasm_val_t *out) {
  if (!out) return;
  memset(out, 0, sizeof *out);
  if (!g) return;
  aw_val v = aw_global_get(g->g);
  if (!capi_val_out(g->o.store, &v, out)) { /* v128: zero bits */
    memset(out, 0, sizeof *out);
    out->kind = AW_WASM_V128;
  }
}

void wasm_global_set(wasm_global_t *g, const wasm_val_t *val) {
  if (!g || !val || !g->g->type.mut) return;
  aw_val v;
  const char *why;
  if (capi_val_in(g->o.store, val, g->g->type.type, &v, &why))
    aw_global_set(g->g, v);
}

/* ---- Tables */

static aw_limits limits_to_aw(const wasm_limits_t *l) {
  aw_limits r = {l->min, l->max, l->max != wasm_limits_max_default};
  return r;
}

wasm_table_t *wasm_table_new(wasm_store_t *s, const wasm_tabletype_t *type,
                             wasm_ref_t *init) {
  if (!s || !type) return NULL;
  uint8_t elem = capi_kind_to_aw(wasm_valtype_kind(type->elem));
  void *p;
  const char *why;
  aw_error err;
  if (!capi_ref_in(s, init, elem, &p, &why)) return NULL;
  aw_table *t = aw_table_new(s->s, (aw_valkind)elem,
                             limits_to_aw(&type->limits), p, &err);
  if (!t) return NULL;
  wasm_table_t *h = calloc(1, sizeof *h);
  if (!h || !capi_register(s, t, &h->o)) {
    free(h);
    return NULL;
  }
  capi_obj_init(&h->o, CAPI_TABLE, s);
  h->t = t;
  return h;
}

wasm_tabletype_t *wasm_table_type(const wasm_table_t *t) {
  if (!t) return NULL;
  wasm_limits_t l = {t->t->size, t->t->type.has_max ? t->t->type.max
                                                    : wasm_limits_max_default};
  return wasm_tabletype_new(wasm_valtype_new(capi_kind_from_aw(t->t->elem)),
                            &l);
}

wasm_ref_t *wasm_table_get(const wasm_table_t *t, wasm_table_size_t index) {
  if (!t || index >= t->t->size) return NULL;
  bool oom = false;
  return capi_ref_out(t->o.store, t->t->elems[index], t->t->elem, &oom);
}

bool wasm_table_set(wasm_table_t *t, wasm_table_size_t index, wasm_ref_t *r) {
  void *p;
  const char *why;
  if (!t || index >= t->t->size ||
      !capi_ref_in(t->o.store, r, t->t->elem, &p, &why))
    return false;
  t->t->elems[index] = p;
  return true;
}

wasm_table_size_t wasm_table_size(const wasm_table_t *t) {
  return t ? aw_table_size(t->t) : 0;
}

bool wasm_table_grow(wasm_table_t *t, wasm_table_size_t delta,
                     wasm_ref_t *init) {
  void *p;
  const char *why;
  if (!t || !capi_ref_in(t->o.store, init, t->t->elem, &p, &why)) return false;
  return rt_table_grow(t->t, delta, p) >= 0;
}

/* ---- Memories */

wasm_memory_t *wasm_memory_new(wasm_store_t *s, const wasm_memorytype_t *type) {
  if (!s || !type) return NULL;
  aw_error err;
  aw_memory *m = aw_memory_new(s->s, limits_to_aw(&type->limits), &err);
  if (!m) return NULL;
  wasm_memory_t *h = calloc(1, sizeof *h);
  if (!h || !capi_register(s, m, &h->o)) {
    free(h);
    return NULL;
  }
  capi_obj_init(&h->o, CAPI_MEMORY, s);
  h->m = m;
  return h;
}

wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *m) {
  if (!m) return NULL;
  wasm_limits_t l = {(uint32_t)(aw_memory_size(m->m) / MEMORY_PAGE_SIZE),
                     m->m->type.has_max ? m->m->type.max
                                        : wasm_limits_max_default};
  return wasm_memorytype_new(&l);
}

byte_t *wasm_memory_data(wasm_memory_t *m) {
  return m ? (byte_t *)aw_memory_data(m->m) : NULL;
}

size_t wasm_memory_data_size(const wasm_memory_t *m) {
  return m ? (size_t)aw_memory_size(m->m) : 0;
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *m) {
  return m ? (wasm_memory_pages_t)(aw_memory_size(m->m) / MEMORY_PAGE_SIZE) : 0;
}

bool wasm_memory_grow(wasm_memory_t *m, wasm_memory_pages_t delta) {
  return m && aw_memory_grow(m->m, delta) >= 0;
}

/* ---- Instances */

static wasm_instance_t *inst_fail(wasm_trap_t **trap_out, wasm_trap_t *trap) {
  if (trap_out)
    *trap_out = trap;
  else
    wasm_trap_delete(trap);
  return NULL;
}

wasm_instance_t *wasm_instance_new(wasm_store_t *s, const wasm_module_t *module,
                                   const wasm_extern_vec_t *imports,
                                   wasm_trap_t **trap_out) {
  if (trap_out) *trap_out = NULL;
  if (!s || !module)
    return inst_fail(trap_out,
                     call_error("wasm_instance_new: store or module is NULL"));
  const aw_module *am = module->core->m;
  size_t want = aw_module_import_count(am), n = imports ? imports->size : 0;
  if (n != want || (n && !imports->data))
    return inst_fail(trap_out,
                     call_error("wasm_instance_new: %zu imports given, the "
                                "module has %zu",
                                n, want));
  if (module->core->engine != s->engine->e)
    return inst_fail(trap_out,
                     call_error("wasm_instance_new: module of another engine"));
  aw_extern small[CAPI_SMALL],
      *ext = n <= CAPI_SMALL ? small : calloc(n, sizeof *ext);
  if (!ext)
    return inst_fail(trap_out, call_error("wasm_instance_new: out of memory"));
  for (size_t i = 0; i < n; i++) {
    const wasm_extern_t *e = imports->data[i];
    if (!e || e->o.store != s || e->o.kind > CAPI_MEMORY) {
      if (ext != small) free(ext);
      return inst_fail(trap_out,
                       call_error("wasm_instance_new: import %zu is NULL or an "
                                  "object of another store",
                                  i));
    }
    switch (e->o.kind) {
    case CAPI_FUNC:
      ext[i].kind = AW_EXTERN_FUNC;
      ext[i].of.func = ((const wasm_func_t *)(const void *)e)->f;
      break;
    case CAPI_GLOBAL:
      ext[i].kind = AW_EXTERN_GLOBAL;
      ext[i].of.global = ((const wasm_global_t *)(const void *)e)->g;
      break;
    case CAPI_TABLE:
      ext[i].kind = AW_EXTERN_TABLE;
      ext[i].of.table = ((const wasm_table_t *)(const void *)e)->t;
      break;
    default:
      ext[i].kind = AW_EXTERN_MEMORY;
      ext[i].of.memory = ((const wasm_memory_t *)(const void *)e)->m;
      break;
    }
  }
  wasm_instance_t *h = calloc(1, sizeof *h);
  if (!h || !capi_store_hold_core(s, module->core)) {
    free(h);
    if (ext != small) free(ext);
    return inst_fail(trap_out, call_error("wasm_instance_new: out of memory"));
  }
  aw_error err;
  aw_instance *inst = aw_instantiate(s->s, am, ext, n, &err);
  if (ext != small) free(ext);
  if (!inst) {
    free(h);
    return inst_fail(trap_out, capi_trap_take(s, &err));
  }
  wasm_trap_delete(s->pending);
  s->pending = NULL;
  capi_obj_init(&h->o, CAPI_INSTANCE, s);
  h->i = inst;
  h->core = module->core;
  atomic_fetch_add(&h->core->refs, 1);
  return h;
}

void wasm_instance_exports(const wasm_instance_t *inst,
                           wasm_extern_vec_t *out) {
  if (!out) return;
  wasm_extern_vec_new_empty(out);
  if (!inst) return;
  const aw_module *am = inst->core->m;
  uint32_t n = aw_module_export_count(am);
  wasm_extern_vec_new_uninitialized(out, n);
  for (uint32_t i = 0; i < out->size; i++) {
    aw_export_desc d;
    capi_obj *o = NULL;
    if (aw_module_export(am, i, &d)) {
      wasm_store_t *s = inst->o.store;
      switch (d.type.kind) {
      case AW_EXTERN_FUNC:
        o = capi_wrap(s, CAPI_FUNC, inst->i->funcs[d.index]);
        break;
      case AW_EXTERN_GLOBAL:
        o = capi_wrap(s, CAPI_GLOBAL, inst->i->globals[d.index]);
        break;
      case AW_EXTERN_TABLE:
        o = capi_wrap(s, CAPI_TABLE, inst->i->tables[d.index]);
        break;
      case AW_EXTERN_MEMORY:
        o = capi_wrap(s, CAPI_MEMORY, inst->i->mems[d.index]);
        break;
      }
    }
    if (!o) {
      wasm_extern_vec_delete(out); /* all or nothing */
      return;
    }
    out->data[i] = (wasm_extern_t *)(void *)o;
  }
}
