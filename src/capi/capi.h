/*
 * capi.h - internals of the standard C API (<wasm.h>) layer, src/capi/.
 *
 * The layer sits on the engine's own objects (runtime.h).  Two lifetimes:
 *   - store objects (func, global, table, memory, instance, foreign; an
 *     extern is one of the first four) have ONE handle per engine object,
 *     owned by the wasm_store_t and freed by wasm_store_delete; their
 *     _copy returns the same pointer and their _delete does nothing, so
 *     handles compare by pointer and references held by wasm code (tables,
 *     globals) never dangle;
 *   - traps and modules are reference-counted handles (_copy counts up,
 *     _delete down); when one is passed into wasm as an externref the store
 *     takes a count ("pins" it) until it is deleted.
 * An externref value inside the engine is the wasm_ref_t* itself; a
 * funcref is the engine's aw_func*, mapped back to its handle through the
 * store's map.
 */
#ifndef AW_CAPI_H
#define AW_CAPI_H

#include "airssys/capi.h"
#include "runtime.h"
#include "util/util.h"
#include <stdatomic.h>
#include <wasm.h>

/* Kinds of reference objects; the first four are wasm_externkind_t. */
enum {
  CAPI_FUNC = WASM_EXTERN_FUNC,
  CAPI_GLOBAL = WASM_EXTERN_GLOBAL,
  CAPI_TABLE = WASM_EXTERN_TABLE,
  CAPI_MEMORY = WASM_EXTERN_MEMORY,
  CAPI_FOREIGN,
  CAPI_INSTANCE,
  CAPI_TRAP,   /* reference-counted */
  CAPI_MODULE, /* reference-counted */
};

/* The header of every reference object. */
typedef struct capi_obj {
  uint8_t kind;
  wasm_store_t *store; /* owner (store objects); NULL for traps, modules */
  void *host_info;
  void (*host_fin)(void *);
  struct capi_obj *next; /* the owner's list of objects */
  _Atomic uint32_t refs; /* traps and modules */
} capi_obj;

struct wasm_ref_t {
  capi_obj o;
};
struct wasm_extern_t {
  capi_obj o;
};
struct wasm_foreign_t {
  capi_obj o;
};

struct wasm_func_t {
  capi_obj o;
  aw_func *f;
  wasm_func_callback_t cb; /* host functions: one of cb, cb_env */
  wasm_func_callback_with_env_t cb_env;
  void *env;
  void (*env_fin)(void *);
};
struct wasm_global_t {
  capi_obj o;
  aw_global *g;
};
struct wasm_table_t {
  capi_obj o;
  aw_table *t;
};
struct wasm_memory_t {
  capi_obj o;
  aw_memory *m;
};

/* A compiled module shared by every wasm_module_t / wasm_shared_module_t
   made from it, in any store and thread. */
typedef struct capi_core {
  _Atomic uint32_t refs;
  aw_engine *engine;
  aw_module *m;
  uint8_t *bytes; /* the binary, for wasm_module_serialize */
  size_t len;
} capi_core;

struct wasm_module_t {
  capi_obj o;
  capi_core *core;
};
struct wasm_shared_module_t {
  capi_core *core;
};
struct wasm_instance_t {
  capi_obj o;
  aw_instance *i;
  capi_core *core; /* counted: the module outlives its instances */
};

struct wasm_frame_t {
  wasm_instance_t *inst;
  uint32_t func_index;
  size_t func_offset, module_offset;
};

struct wasm_trap_t {
  capi_obj o;
  char *msg;    /* NUL-terminated */
  size_t len;   /* bytes, the NUL included */
  aw_error err; /* the engine's error (AW_ERR_TRAP/AW_TRAP_HOST if none) */
};

struct wasm_config_t {
  aw_engine_config cfg;
};
struct wasm_engine_t {
  aw_engine *e;
};

/* Open-addressing map: engine object or pinned reference -> handle. */
typedef struct capi_map {
  const void **keys; /* NULL: empty slot */
  capi_obj **vals;
  size_t cap, n; /* cap is 0 or a power of two */
} capi_map;

struct wasm_store_t {
  wasm_engine_t *engine;
  aw_store *s;
  capi_obj *objects; /* every store object's handle */
  capi_map map;
  capi_obj **pins; /* traps and modules held by wasm code */
  size_t npins, cappins;
  wasm_trap_t *pending; /* a host function's trap, on its way out */
  /* Every module core instantiated here (once each, counted): the
     engine's instances, failed ones included, read their module until the
     store is freed. */
  capi_core **cores;
  size_t ncores, capcores;
};

/* ---- Types (types.c) */
struct wasm_valtype_t {
  wasm_valkind_t kind;
};
struct wasm_externtype_t {
  wasm_externkind_t kind;
};
struct wasm_functype_t {
  wasm_externtype_t ext;
  wasm_valtype_vec_t params, results;
};
struct wasm_globaltype_t {
  wasm_externtype_t ext;
  wasm_valtype_t *content;
  wasm_mutability_t mut;
};
struct wasm_tabletype_t {
  wasm_externtype_t ext;
  wasm_valtype_t *elem;
  wasm_limits_t limits;
};
struct wasm_memorytype_t {
  wasm_externtype_t ext;
  wasm_limits_t limits;
};
struct wasm_importtype_t {
  wasm_name_t module, name;
  wasm_externtype_t *type;
};
struct wasm_exporttype_t {
  wasm_name_t name;
  wasm_externtype_t *type;
};

/* The engine's value kind of a C API kind; 0 if it has none. */
uint8_t capi_kind_to_aw(wasm_valkind_t k);
/* The C API kind of an engine value kind (AW_WASM_V128 for v128). */
wasm_valkind_t capi_kind_from_aw(uint8_t k);
/* A new extern type describing an engine extern type; NULL on OOM. */
wasm_externtype_t *capi_externtype_from_aw(const aw_externtype *t);
/* A new function type from an engine signature; NULL on OOM. */
wasm_functype_t *capi_functype_from_aw(const aw_functype *t);
/* Converts type t into an engine signature whose kind arrays are at
   kinds (room for both); false if a kind has no engine equivalent. */
bool capi_functype_to_aw(const wasm_functype_t *t, aw_valkind *kinds,
                         aw_functype *out);

/* ---- Stores and references (store.c, ref.c) */
/* Links o (kind) into store s's object list. */
void capi_obj_init(capi_obj *o, uint8_t kind, wasm_store_t *s);
/* Records o as the handle of engine object obj in store s; false on OOM. */
bool capi_register(wasm_store_t *s, const void *obj, capi_obj *o);
/* The handle of engine object obj of kind (func, global, table, memory)
   in store s, made on first use. NULL on OOM. */
capi_obj *capi_wrap(wasm_store_t *s, uint8_t kind, void *obj);
/* The engine value of r for a slot of engine kind elem (funcref or
   externref) of store s, pinning a counted reference; false (with a
   reason) if r cannot go there. */
bool capi_ref_in(wasm_store_t *s, const wasm_ref_t *r, uint8_t elem, void **out,
                 const char **why);
/* A reference (the caller's) to engine reference p of kind elem. Sets
 *oom on failure to allocate a handle. */
wasm_ref_t *capi_ref_out(wasm_store_t *s, void *p, uint8_t elem, bool *oom);
/* Converts C API value v into engine value out of engine kind want. */
bool capi_val_in(wasm_store_t *s, const wasm_val_t *v, uint8_t want,
                 aw_val *out, const char **why);
/* Converts engine value v into C API value out (references: the caller's). */
bool capi_val_out(wasm_store_t *s, const aw_val *v, wasm_val_t *out);

/* ---- Traps (trap.c) */
/* A trap carrying message msg (len bytes, need not end in NUL) and engine
   error err (NULL: a host trap). NULL on OOM. */
wasm_trap_t *capi_trap_make(const char *msg, size_t len, const aw_error *err);
/* A trap for engine error err. */
wasm_trap_t *capi_trap_from_error(const aw_error *err);
/* The trap to hand back after an engine call in s failed with err: the
   host function's own trap if that is what unwound, else a new one. */
wasm_trap_t *capi_trap_take(wasm_store_t *s, const aw_error *err);

/* ---- Modules (module.c) */
void capi_core_release(capi_core *c);
/* Makes store s hold a count of core c until it is deleted (once per
   store); false on OOM. */
bool capi_store_hold_core(wasm_store_t *s, capi_core *c);

#endif /* AW_CAPI_H */
