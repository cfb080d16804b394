/*
 * rt_internal.h - helpers shared by the files of src/runtime only: object
 * creation and destruction, import matching, value conversion.
 */
#ifndef AW_RT_INTERNAL_H
#define AW_RT_INTERNAL_H

#include "runtime.h"
#include "util/util.h"

/* Store object kinds besides the aw_externkind values. */
#define RT_OBJ_INSTANCE (-1)

/* Creates a memory of limits lim (pages), applying cap_bytes (0 = none)
   and charging s's budget (s may be NULL: no budget).  NULL with err
   (AW_ERR_LIMIT_EXCEEDED, AW_ERR_NOMEM) on failure. */
aw_memory *rt_memory_new(aw_store *s, wm_limits lim, uint64_t cap_bytes,
                         aw_error *err);
void rt_memory_free(aw_memory *m);

/* Creates a table of elem type with lim, every element init; cap as the
   table's host cap (0 = none), charging s's budget (s may be NULL). NULL
   with err on failure. */
aw_table *rt_table_new(aw_store *s, uint8_t elem, wm_limits lim, uint32_t cap,
                       void *init, aw_error *err);
void rt_table_free(aw_table *t);

/* Releases what a function owns (host signature, env via finalizer); not
   the aw_func itself when it lives in an instance's block. */
void rt_func_release(aw_func *f);

/* Frees an instance and the objects it defined. */
void rt_instance_free(aw_instance *inst);

/* Instantiates module with imports in import order. On a trap during
   initialisation the partly initialised instance stays owned by the store
   (its functions may already sit in imported tables) and NULL is
   returned. */
aw_instance *rt_instantiate(aw_store *s, const aw_module *module,
                            const aw_extern *imports, size_t nimports,
                            aw_error *err);

/* The object export ex of inst names. */
void rt_export_extern(const aw_instance *inst, const wm_export *ex,
                      aw_extern *out);

/* Writes a NUL-terminated, printable rendering of the len bytes of name
   (control bytes, quotes and backslashes escaped) into buf of size cap. */
void rt_quote_name(char *buf, size_t cap, const char *name, size_t len);

/* Value slots needed by a value of type t (v128 needs two). */
static inline uint32_t rt_slots_of(uint8_t t) {
  return t == WM_V128 ? 2u : 1u;
}

/* True for the value types of WebAssembly 2.0. */
static inline bool rt_valid_kind(aw_valkind k) {
  switch (k) {
  case AW_I32:
  case AW_I64:
  case AW_F32:
  case AW_F64:
  case AW_V128:
  case AW_FUNCREF:
  case AW_EXTERNREF: return true;
  }
  return false;
}

#endif /* AW_RT_INTERNAL_H */
