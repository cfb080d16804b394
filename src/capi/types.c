/*
 * types.c - type objects of the standard C API: value, function, global,
 * table, memory, extern, import and export types, and their conversions
 * from and to the engine's types.
 *
 * Value types are immutable singletons (one per kind), so making one never
 * fails and deleting one is a no-op; the other types are heap objects
 * owned by whoever the header says.
 */
#include "capi/capi.h"
#include <stdlib.h>
#include <string.h>

/* ---- Value types */

static wasm_valtype_t valtypes[] = {
    {WASM_I32},     {WASM_I64},       {WASM_F32},     {WASM_F64},
    {AW_WASM_V128}, {WASM_EXTERNREF}, {WASM_FUNCREF},
};

wasm_valtype_t *wasm_valtype_new(wasm_valkind_t kind) {
  for (size_t i = 0; i < sizeof valtypes / sizeof *valtypes; i++)
    if (valtypes[i].kind == kind) return &valtypes[i];
  return NULL;
}

wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t) {
  return t ? t->kind : WASM_I32;
}

void wasm_valtype_delete(wasm_valtype_t *t) {
  (void)t; /* singletons */
}

wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *t) {
  return t ? wasm_valtype_new(t->kind) : NULL;
}

uint8_t capi_kind_to_aw(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return AW_I32;
  case WASM_I64: return AW_I64;
  case WASM_F32: return AW_F32;
  case WASM_F64: return AW_F64;
  case AW_WASM_V128: return AW_V128;
  case WASM_EXTERNREF: return AW_EXTERNREF;
  case WASM_FUNCREF: return AW_FUNCREF;
  }
  return 0;
}

wasm_valkind_t capi_kind_from_aw(uint8_t k) {
  switch (k) {
  case AW_I32: return WASM_I32;
  case AW_I64: return WASM_I64;
  case AW_F32: return WASM_F32;
  case AW_F64: return WASM_F64;
  case AW_EXTERNREF: return WASM_EXTERNREF;
  case AW_FUNCREF: return WASM_FUNCREF;
  }
  return AW_WASM_V128;
}

/* ---- Function types */

/* Every element of v is a value type (no NULL). */
static bool all_valtypes(const wasm_valtype_vec_t *v) {
  if (v->size && !v->data) return false;
  for (size_t i = 0; i < v->size; i++)
    if (!v->data[i]) return false;
  return true;
}

wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params,
                                   wasm_valtype_vec_t *results) {
  wasm_functype_t *t = NULL;
  if (params && results && all_valtypes(params) && all_valtypes(results) &&
      params->size <= UINT32_MAX && results->size <= UINT32_MAX)
    t = calloc(1, sizeof *t);
  if (!t) {
    wasm_valtype_vec_delete(params);
    wasm_valtype_vec_delete(results);
    return NULL;
  }
  t->ext.kind = WASM_EXTERN_FUNC;
  t->params = *params;
  t->results = *results;
  wasm_valtype_vec_new_empty(params);
  wasm_valtype_vec_new_empty(results);
  return t;
}

const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *t) {
  return t ? &t->params : NULL;
}

const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *t) {
  return t ? &t->results : NULL;
}

void wasm_functype_delete(wasm_functype_t *t) {
  if (!t) return;
  wasm_valtype_vec_delete(&t->params);
  wasm_valtype_vec_delete(&t->results);
  free(t);
}

wasm_functype_t *wasm_functype_copy(const wasm_functype_t *t) {
  if (!t) return NULL;
  wasm_valtype_vec_t p, r;
  wasm_valtype_vec_copy(&p, &t->params);
  wasm_valtype_vec_copy(&r, &t->results);
  if (p.size != t->params.size || r.size != t->results.size) {
    wasm_valtype_vec_delete(&p);
    wasm_valtype_vec_delete(&r);
    return NULL;
  }
  return wasm_functype_new(&p, &r);
}

static bool valtypes_from_aw(wasm_valtype_vec_t *out, uint32_t n,
                             const aw_valkind *kinds) {
  wasm_valtype_vec_new_uninitialized(out, n);
  if (out->size != n) return false;
  for (uint32_t i = 0; i < n; i++)
    out->data[i] = wasm_valtype_new(capi_kind_from_aw((uint8_t)kinds[i]));
  return true;
}

wasm_functype_t *capi_functype_from_aw(const aw_functype *t) {
  wasm_valtype_vec_t p, r;
  bool ok = valtypes_from_aw(&p, t->nparams, t->params);
  ok = valtypes_from_aw(&r, t->nresults, t->results) && ok;
  if (!ok) {
    wasm_valtype_vec_delete(&p);
    wasm_valtype_vec_delete(&r);
    return NULL;
  }
  return wasm_functype_new(&p, &r);
}

bool capi_functype_to_aw(const wasm_functype_t *t, aw_valkind *kinds,
                         aw_functype *out) {
  size_t np = t->params.size, nr = t->results.size;
  for (size_t i = 0; i < np + nr; i++) {
    const wasm_valtype_t *v =
        i < np ? t->params.data[i] : t->results.data[i - np];
    uint8_t k = capi_kind_to_aw(wasm_valtype_kind(v));
    if (!k) return false;
    kinds[i] = (aw_valkind)k;
  }
  out->nparams = (uint32_t)np;
  out->nresults = (uint32_t)nr;
  out->params = kinds;
  out->results = kinds + np;
  return true;
}

/* ---- Global, table and memory types */

wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content,
                                       wasm_mutability_t mut) {
  if (!content || (mut != WASM_CONST && mut != WASM_VAR)) return NULL;
  wasm_globaltype_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->ext.kind = WASM_EXTERN_GLOBAL;
  t->content = content;
  t->mut = mut;
  return t;
}

const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *t) {
  return t ? t->content : NULL;
}

wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *t) {
  return t ? t->mut : WASM_CONST;
}

void wasm_globaltype_delete(wasm_globaltype_t *t) {
  if (!t) return;
  wasm_valtype_delete(t->content);
  free(t);
}

wasm_globaltype_t *wasm_globaltype_copy(const wasm_globaltype_t *t) {
  return t ? wasm_globaltype_new(wasm_valtype_copy(t->content), t->mut) : NULL;
}

wasm_tabletype_t *wasm_tabletype_new(wasm_valtype_t *elem,
                                     const wasm_limits_t *limits) {
  if (!elem || !limits || !wasm_valtype_is_ref(elem)) return NULL;
  wasm_tabletype_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->ext.kind = WASM_EXTERN_TABLE;
  t->elem = elem;
  t->limits = *limits;
  return t;
}

const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *t) {
  return t ? t->elem : NULL;
}

const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *t) {
  return t ? &t->limits : NULL;
}

void wasm_tabletype_delete(wasm_tabletype_t *t) {
  if (!t) return;
  wasm_valtype_delete(t->elem);
  free(t);
}

wasm_tabletype_t *wasm_tabletype_copy(const wasm_tabletype_t *t) {
  return t ? wasm_tabletype_new(wasm_valtype_copy(t->elem), &t->limits) : NULL;
}

wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *limits) {
  if (!limits) return NULL;
  wasm_memorytype_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->ext.kind = WASM_EXTERN_MEMORY;
  t->limits = *limits;
  return t;
}

const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *t) {
  return t ? &t->limits : NULL;
}

void wasm_memorytype_delete(wasm_memorytype_t *t) {
  free(t);
}

wasm_memorytype_t *wasm_memorytype_copy(const wasm_memorytype_t *t) {
  return t ? wasm_memorytype_new(&t->limits) : NULL;
}

/* ---- Extern types: a function, global, table or memory type, viewed
   through its first member. */

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *t) {
  return t ? t->kind : WASM_EXTERN_FUNC;
}

#define CAPI_EXTERNTYPE(NAME, KIND)                                            \
  wasm_externtype_t *wasm_##NAME##_as_externtype(wasm_##NAME##_t *t) {         \
    return t ? &t->ext : NULL;                                                 \
  }                                                                            \
  const wasm_externtype_t *wasm_##NAME##_as_externtype_const(                  \
      const wasm_##NAME##_t *t) {                                              \
    return t ? &t->ext : NULL;                                                 \
  }                                                                            \
  wasm_##NAME##_t *wasm_externtype_as_##NAME(wasm_externtype_t *t) {           \
    return t && t->kind == KIND ? (wasm_##NAME##_t *)(void *)t : NULL;         \
  }                                                                            \
  const wasm_##NAME##_t *wasm_externtype_as_##NAME##_const(                    \
      const wasm_externtype_t *t) {                                            \
    return t && t->kind == KIND ? (const wasm_##NAME##_t *)(const void *)t     \
                                : NULL;                                        \
  }

CAPI_EXTERNTYPE(functype, WASM_EXTERN_FUNC)
CAPI_EXTERNTYPE(globaltype, WASM_EXTERN_GLOBAL)
CAPI_EXTERNTYPE(tabletype, WASM_EXTERN_TABLE)
CAPI_EXTERNTYPE(memorytype, WASM_EXTERN_MEMORY)

void wasm_externtype_delete(wasm_externtype_t *t) {
  if (!t) return;
  switch (t->kind) {
  case WASM_EXTERN_FUNC:
    wasm_functype_delete(wasm_externtype_as_functype(t));
    break;
  case WASM_EXTERN_GLOBAL:
    wasm_globaltype_delete(wasm_externtype_as_globaltype(t));
    break;
  case WASM_EXTERN_TABLE:
    wasm_tabletype_delete(wasm_externtype_as_tabletype(t));
    break;
  case WASM_EXTERN_MEMORY:
    wasm_memorytype_delete(wasm_externtype_as_memorytype(t));
    break;
  }
}

wasm_externtype_t *wasm_externtype_copy(const wasm_externtype_t *t) {
  if (!t) return NULL;
  switch (t->kind) {
  case WASM_EXTERN_FUNC:
    return wasm_functype_as_externtype(
        wasm_functype_copy(wasm_externtype_as_functype_const(t)));
  case WASM_EXTERN_GLOBAL:
    return wasm_globaltype_as_externtype(
        wasm_globaltype_copy(wasm_externtype_as_globaltype_const(t)));
  case WASM_EXTERN_TABLE:
    return wasm_tabletype_as_externtype(
        wasm_tabletype_copy(wasm_externtype_as_tabletype_const(t)));
  case WASM_EXTERN_MEMORY:
    return wasm_memorytype_as_externtype(
        wasm_memorytype_copy(wasm_externtype_as_memorytype_const(t)));
  }
  return NULL;
}

static wasm_limits_t limits_from_aw(aw_limits l) {
  wasm_limits_t r = {l.min, l.has_max ? l.max : wasm_limits_max_default};
  return r;
}

wasm_externtype_t *capi_externtype_from_aw(const aw_externtype *t) {
  wasm_limits_t lim;
  switch (t->kind) {
  case AW_EXTERN_FUNC:
    return wasm_functype_as_externtype(capi_functype_from_aw(&t->of.func));
  case AW_EXTERN_TABLE:
    lim = limits_from_aw(t->of.table.limits);
    return wasm_tabletype_as_externtype(wasm_tabletype_new(
        wasm_valtype_new(capi_kind_from_aw((uint8_t)t->of.table.elem)), &lim));
  case AW_EXTERN_MEMORY:
    lim = limits_from_aw(t->of.memory);
    return wasm_memorytype_as_externtype(wasm_memorytype_new(&lim));
  case AW_EXTERN_GLOBAL:
    return wasm_globaltype_as_externtype(wasm_globaltype_new(
        wasm_valtype_new(capi_kind_from_aw((uint8_t)t->of.global.type)),
        t->of.global.mut ? WASM_VAR : WASM_CONST));
  }
  return NULL;
}

/* ---- Import and export types */

wasm_importtype_t *wasm_importtype_new(wasm_name_t *module, wasm_name_t *name,
                                       wasm_externtype_t *type) {
  if (!module || !name || !type) return NULL;
  wasm_importtype_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->module = *module;
  t->name = *name;
  t->type = type;
  wasm_byte_vec_new_empty(module);
  wasm_byte_vec_new_empty(name);
  return t;
}

const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *t) {
  return t ? &t->module : NULL;
}

const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *t) {
  return t ? &t->name : NULL;
}

const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *t) {
  return t ? t->type : NULL;
}

void wasm_importtype_delete(wasm_importtype_t *t) {
  if (!t) return;
  wasm_byte_vec_delete(&t->module);
  wasm_byte_vec_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

wasm_importtype_t *wasm_importtype_copy(const wasm_importtype_t *t) {
  if (!t) return NULL;
  wasm_name_t m, n;
  wasm_byte_vec_copy(&m, &t->module);
  wasm_byte_vec_copy(&n, &t->name);
  wasm_externtype_t *ty = wasm_externtype_copy(t->type);
  wasm_importtype_t *r = NULL;
  if (m.size == t->module.size && n.size == t->name.size && ty)
    r = wasm_importtype_new(&m, &n, ty);
  if (!r) {
    wasm_byte_vec_delete(&m);
    wasm_byte_vec_delete(&n);
    wasm_externtype_delete(ty);
  }
  return r;
}

wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name,
                                       wasm_externtype_t *type) {
  if (!name || !type) return NULL;
  wasm_exporttype_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->name = *name;
  t->type = type;
  wasm_byte_vec_new_empty(name);
  return t;
}

const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *t) {
  return t ? &t->name : NULL;
}

const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *t) {
  return t ? t->type : NULL;
}

void wasm_exporttype_delete(wasm_exporttype_t *t) {
  if (!t) return;
  wasm_byte_vec_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

wasm_exporttype_t *wasm_exporttype_copy(const wasm_exporttype_t *t) {
  if (!t) return NULL;
  wasm_name_t n;
  wasm_byte_vec_copy(&n, &t->name);
  wasm_externtype_t *ty = wasm_externtype_copy(t->type);
  wasm_exporttype_t *r = NULL;
  if (n.size == t->name.size && ty) r = wasm_exporttype_new(&n, ty);
  if (!r) {
    wasm_byte_vec_delete(&n);
    wasm_externtype_delete(ty);
  }
  return r;
}
