/*
 * module.h - the in-memory form of a decoded WebAssembly module.
 *
 * Written by the decoder (src/decode), checked by the validator
 * (src/validate), which also attaches compiled code to each function
 * (src/compile), and read by the runtime (src/runtime).  After
 * aw_module_new returns, a wm_module is immutable.
 *
 * Index spaces are stored whole: imports first, then definitions, exactly
 * as the spec numbers them, so func_types[i] is the type of function i
 * whether it is imported or defined.
 */
#ifndef AW_MODULE_H
#define AW_MODULE_H

#include "airssys/wasm.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value type bytes, as in the binary format (same numbers as aw_valkind). */
enum {
  WM_I32 = 0x7F,
  WM_I64 = 0x7E,
  WM_F32 = 0x7D,
  WM_F64 = 0x7C,
  WM_V128 = 0x7B,
  WM_FUNCREF = 0x70,
  WM_EXTERNREF = 0x6F
};

/* A function type. params and results point into one allocation. */
typedef struct wm_functype {
  uint32_t nparams, nresults;
  uint8_t *params;  /* nparams value types */
  uint8_t *results; /* nresults value types */
} wm_functype;

typedef struct wm_limits {
  uint32_t min, max; /* max meaningful only if has_max */
  bool has_max;
} wm_limits;

typedef struct wm_tabletype {
  uint8_t elem; /* WM_FUNCREF or WM_EXTERNREF */
  wm_limits lim;
} wm_tabletype;

typedef struct wm_globaltype {
  uint8_t type;
  bool mut;
} wm_globaltype;

enum { WM_EXT_FUNC = 0, WM_EXT_TABLE = 1, WM_EXT_MEM = 2, WM_EXT_GLOBAL = 3 };

/* A byte range of the module's own copy of the binary. */
typedef struct wm_bytes {
  const uint8_t *p;
  uint32_t len;
  uint32_t offset; /* offset of p[0] in the binary, for error messages */
} wm_bytes;

/* A constant expression: its bytes up to and including the final `end`. */
typedef wm_bytes wm_expr;

typedef struct wm_name {
  char *s;      /* NUL-terminated copy (may also contain NULs) */
  uint32_t len; /* length in bytes, without the terminator */
} wm_name;

typedef struct wm_import {
  wm_name module, name;
  uint8_t kind; /* WM_EXT_* */
  union {
    uint32_t func_type; /* type index */
    wm_tabletype table;
    wm_limits mem;
    wm_globaltype global;
  } d;
} wm_import;

typedef struct wm_export {
  wm_name name;
  uint8_t kind; /* WM_EXT_* */
  uint32_t index;
} wm_export;

typedef struct wm_global {
  wm_globaltype type;
  wm_expr init; /* empty (len 0) for imported globals */
} wm_global;

/* A run of locals of one type, as declared in a function body. */
typedef struct wm_localrun {
  uint32_t count;
  uint8_t type;
} wm_localrun;

struct cg_code; /* compiled code, defined by src/compile */

/* A defined (non-imported) function. */
typedef struct wm_func {
  uint32_t type_idx;
  uint32_t nlocals;     /* declared locals, not counting params */
  uint8_t *local_types; /* nlocals types, expanded */
  wm_bytes body;        /* instructions after the locals, incl. final end */
  struct cg_code *code; /* set by the validator/compiler */
} wm_func;

enum { WM_SEG_ACTIVE = 0, WM_SEG_PASSIVE = 1, WM_SEG_DECLARATIVE = 2 };

typedef struct wm_elem {
  uint8_t mode;    /* WM_SEG_* */
  uint8_t type;    /* WM_FUNCREF or WM_EXTERNREF */
  uint32_t table;  /* active only */
  wm_expr offset;  /* active only */
  uint32_t count;  /* number of items */
  uint32_t *funcs; /* items as function indices (legacy encodings), or */
  wm_expr *exprs;  /* items as constant expressions; exactly one of the
                      two arrays is non-NULL when count > 0 */
} wm_elem;

typedef struct wm_data {
  uint8_t mode; /* WM_SEG_ACTIVE or WM_SEG_PASSIVE */
  uint32_t mem; /* active only */
  wm_expr offset;
  wm_bytes bytes;
} wm_data;

typedef struct wm_module {
  uint8_t *bin; /* the module's own copy of the binary */
  size_t bin_len;

  uint32_t ntypes;
  wm_functype *types;

  uint32_t nimports;
  wm_import *imports;

  /* Whole index spaces; the first n*_imported entries come from imports. */
  uint32_t nfuncs, nfuncs_imported;
  uint32_t *func_types; /* type index of every function */
  wm_func *funcs;       /* nfuncs - nfuncs_imported defined functions */

  uint32_t ntables, ntables_imported;
  wm_tabletype *tables;

  uint32_t nmems, nmems_imported;
  wm_limits *mems;

  uint32_t nglobals, nglobals_imported;
  wm_global *globals;

  uint32_t nexports;
  wm_export *exports;

  bool has_start;
  uint32_t start;

  uint32_t nelems;
  wm_elem *elems;

  uint32_t ndatas;
  wm_data *datas;
  bool has_datacount;
  uint32_t datacount;

  /* Functions referenced outside function bodies (exports, elements,
     globals): the only ones `ref.func` may name.  Filled by the decoder
     or validator; one flag per function. */
  bool *func_declared;
} wm_module;

/* Frees everything a module owns, including compiled code. */
void wm_module_free(wm_module *m);

#endif /* AW_MODULE_H */
