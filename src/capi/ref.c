/*
 * ref.c - the functions every reference type of the standard C API has
 * (delete, copy, same, host info, conversion to and from wasm_ref_t) and
 * the extern conversions.  Store objects have one handle each, owned by
 * their store: copy returns it, delete does nothing.  Traps and modules
 * are counted (capi.h).
 */
#include "capi/capi.h"

static bool counted(const capi_obj *o) {
  return o->kind == CAPI_TRAP || o->kind == CAPI_MODULE;
}

static void obj_delete(capi_obj *o) {
  if (!o) return;
  if (o->kind == CAPI_TRAP)
    wasm_trap_delete((wasm_trap_t *)(void *)o);
  else if (o->kind == CAPI_MODULE)
    wasm_module_delete((wasm_module_t *)(void *)o);
  /* store objects: freed with their store */
}

static capi_obj *obj_copy(const capi_obj *o) {
  if (!o) return NULL;
  capi_obj *w = (capi_obj *)(uintptr_t)o;
  if (counted(o)) atomic_fetch_add(&w->refs, 1);
  return w;
}

static bool obj_same(const capi_obj *a, const capi_obj *b) {
  if (a && b && a->kind == CAPI_MODULE && b->kind == CAPI_MODULE)
    return ((const wasm_module_t *)(const void *)a)->core ==
           ((const wasm_module_t *)(const void *)b)->core;
  return a == b;
}

static void obj_set_info(capi_obj *o, void *info, void (*fin)(void *)) {
  if (!o) return;
  /* The info being replaced is released as it would have been. */
  if (o->host_fin && o->host_info != info) o->host_fin(o->host_info);
  o->host_info = info;
  o->host_fin = fin;
}

#define CAPI_REF_BASE(NAME)                                                    \
  wasm_##NAME##_t *wasm_##NAME##_copy(const wasm_##NAME##_t *r) {              \
    return (wasm_##NAME##_t *)(void *)obj_copy(r ? &r->o : NULL);              \
  }                                                                            \
  bool wasm_##NAME##_same(const wasm_##NAME##_t *a,                            \
                          const wasm_##NAME##_t *b) {                          \
    return obj_same(a ? &a->o : NULL, b ? &b->o : NULL);                       \
  }                                                                            \
  void *wasm_##NAME##_get_host_info(const wasm_##NAME##_t *r) {                \
    return r ? r->o.host_info : NULL;                                          \
  }                                                                            \
  void wasm_##NAME##_set_host_info(wasm_##NAME##_t *r, void *info) {           \
    obj_set_info(r ? &r->o : NULL, info, NULL);                                \
  }                                                                            \
  void wasm_##NAME##_set_host_info_with_finalizer(                             \
      wasm_##NAME##_t *r, void *info, void (*fin)(void *)) {                   \
    obj_set_info(r ? &r->o : NULL, info, fin);                                 \
  }

/* KIND_OK(o) says whether reference object o is a NAME. */
#define CAPI_REF(NAME, KIND_OK)                                                \
  CAPI_REF_BASE(NAME)                                                          \
  wasm_ref_t *wasm_##NAME##_as_ref(wasm_##NAME##_t *r) {                       \
    return (wasm_ref_t *)(void *)r;                                            \
  }                                                                            \
  const wasm_ref_t *wasm_##NAME##_as_ref_const(const wasm_##NAME##_t *r) {     \
    return (const wasm_ref_t *)(const void *)r;                                \
  }                                                                            \
  wasm_##NAME##_t *wasm_ref_as_##NAME(wasm_ref_t *r) {                         \
    return r && KIND_OK(r->o.kind) ? (wasm_##NAME##_t *)(void *)r : NULL;      \
  }                                                                            \
  const wasm_##NAME##_t *wasm_ref_as_##NAME##_const(const wasm_ref_t *r) {     \
    return r && KIND_OK(r->o.kind) ? (const wasm_##NAME##_t *)(const void *)r  \
                                   : NULL;                                     \
  }

#define IS_TRAP(k) ((k) == CAPI_TRAP)
#define IS_FOREIGN(k) ((k) == CAPI_FOREIGN)
#define IS_MODULE(k) ((k) == CAPI_MODULE)
#define IS_FUNC(k) ((k) == CAPI_FUNC)
#define IS_GLOBAL(k) ((k) == CAPI_GLOBAL)
#define IS_TABLE(k) ((k) == CAPI_TABLE)
#define IS_MEMORY(k) ((k) == CAPI_MEMORY)
#define IS_EXTERN(k) ((k) <= CAPI_MEMORY)
#define IS_INSTANCE(k) ((k) == CAPI_INSTANCE)

void wasm_ref_delete(wasm_ref_t *r) {
  obj_delete(r ? &r->o : NULL);
}
CAPI_REF_BASE(ref)

CAPI_REF(trap, IS_TRAP)
CAPI_REF(module, IS_MODULE)

/* Store objects: deleting a reference leaves the object to its store. */
#define CAPI_STORE_REF(NAME, KIND_OK)                                          \
  void wasm_##NAME##_delete(wasm_##NAME##_t *r) {                              \
    (void)r;                                                                   \
  }                                                                            \
  CAPI_REF(NAME, KIND_OK)

CAPI_STORE_REF(foreign, IS_FOREIGN)
CAPI_STORE_REF(func, IS_FUNC)
CAPI_STORE_REF(global, IS_GLOBAL)
CAPI_STORE_REF(table, IS_TABLE)
CAPI_STORE_REF(memory, IS_MEMORY)
CAPI_STORE_REF(extern, IS_EXTERN)
CAPI_STORE_REF(instance, IS_INSTANCE)

/* ---- Externs */

wasm_externkind_t wasm_extern_kind(const wasm_extern_t *e) {
  return e ? e->o.kind : WASM_EXTERN_FUNC;
}

#define CAPI_EXTERN(NAME, KIND)                                                \
  wasm_extern_t *wasm_##NAME##_as_extern(wasm_##NAME##_t *x) {                 \
    return (wasm_extern_t *)(void *)x;                                         \
  }                                                                            \
  const wasm_extern_t *wasm_##NAME##_as_extern_const(                          \
      const wasm_##NAME##_t *x) {                                              \
    return (const wasm_extern_t *)(const void *)x;                             \
  }                                                                            \
  wasm_##NAME##_t *wasm_extern_as_##NAME(wasm_extern_t *e) {                   \
    return e && e->o.kind == KIND ? (wasm_##NAME##_t *)(void *)e : NULL;       \
  }                                                                            \
  const wasm_##NAME##_t *wasm_extern_as_##NAME##_const(                        \
      const wasm_extern_t *e) {                                                \
    return e && e->o.kind == KIND ? (const wasm_##NAME##_t *)(const void *)e   \
                                  : NULL;                                      \
  }

CAPI_EXTERN(func, CAPI_FUNC)
CAPI_EXTERN(global, CAPI_GLOBAL)
CAPI_EXTERN(table, CAPI_TABLE)
CAPI_EXTERN(memory, CAPI_MEMORY)

wasm_externtype_t *wasm_extern_type(const wasm_extern_t *e) {
  if (!e) return NULL;
  switch (e->o.kind) {
  case CAPI_FUNC:
    return wasm_functype_as_externtype(
        wasm_func_type(wasm_extern_as_func_const(e)));
  case CAPI_GLOBAL:
    return wasm_globaltype_as_externtype(
        wasm_global_type(wasm_extern_as_global_const(e)));
  case CAPI_TABLE:
    return wasm_tabletype_as_externtype(
        wasm_table_type(wasm_extern_as_table_const(e)));
  case CAPI_MEMORY:
    return wasm_memorytype_as_externtype(
        wasm_memory_type(wasm_extern_as_memory_const(e)));
  }
  return NULL;
}
