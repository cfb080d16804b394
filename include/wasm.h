/*
 * wasm.h - the standard WebAssembly C API (github:WebAssembly/wasm-c-api),
 * as implemented by airssys-wasm (src/capi/).
 *
 * Declarations are API- and ABI-compatible with the upstream header, so a
 * host written for it (Wasmtime, Wasmer, WAMR, V8) compiles and links
 * against libairssys-wasm unchanged; this text is our own.  Extensions that
 * the standard API lacks (fuel, deadlines, the memory budget, WASI) are in
 * <airssys/capi.h>.
 *
 * Ownership (the upstream `own` convention, spelled out per function here):
 *   - a function named ..._new, ..._copy, ..._type or documented "caller
 *     owns" hands the result to the caller, who releases it with the
 *     matching ..._delete;
 *   - a vector owns its array and its elements: ..._vec_delete deletes both;
 *     ..._vec_new takes over the elements passed to it (not the array);
 *   - a parameter named `out` is written, and its content becomes the
 *     caller's;
 *   - every other pointer parameter is borrowed for the call only.
 *
 * Lifetimes in airssys-wasm: functions, globals, tables, memories,
 * instances, foreign objects and externs belong to their store; deleting a
 * reference to one releases only the reference (a no-op), the object lives
 * until wasm_store_delete, which runs every host-info and environment
 * finalizer.  Modules, shared modules, traps, frames and type objects are
 * released by their last ..._delete.  A store is used by one thread at a
 * time; engines and shared modules may be used from any thread.
 */
#ifndef WASM_H
#define WASM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** @defgroup wasm_c_api wasm.h: the standard WebAssembly C API
 *  @brief The standard WebAssembly C API (wasm-c-api, installed as
 *  <wasm.h>), implemented on the airssys-wasm engine.
 *  @{ */

/** Marks the functions of the C API for export from the shared library. */
#ifndef WASM_API_EXTERN
#if defined(__GNUC__)
#define WASM_API_EXTERN __attribute__((visibility("default")))
#else
#define WASM_API_EXTERN
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** A byte of a binary or a name. */
typedef char byte_t;
/** A 32-bit IEEE float. */
typedef float float32_t;
/** A 64-bit IEEE float. */
typedef double float64_t;
/** The element type of wasm_byte_vec_t. */
typedef byte_t wasm_byte_t;

/* ---- Opaque types ---------------------------------------------------- */

/** A engine configuration. */
typedef struct wasm_config_t wasm_config_t;
/** A engine (thread-safe; owns compiled code). */
typedef struct wasm_engine_t wasm_engine_t;
/** A store (all runtime objects; one thread at a time). */
typedef struct wasm_store_t wasm_store_t;
/** A value type. */
typedef struct wasm_valtype_t wasm_valtype_t;
/** A function type. */
typedef struct wasm_functype_t wasm_functype_t;
/** A global type. */
typedef struct wasm_globaltype_t wasm_globaltype_t;
/** A table type. */
typedef struct wasm_tabletype_t wasm_tabletype_t;
/** A memory type. */
typedef struct wasm_memorytype_t wasm_memorytype_t;
/** A extern type (the type of an import or export). */
typedef struct wasm_externtype_t wasm_externtype_t;
/** A import type (module name, field name, extern type). */
typedef struct wasm_importtype_t wasm_importtype_t;
/** A export type (name, extern type). */
typedef struct wasm_exporttype_t wasm_exporttype_t;
/** A reference (to any reference object). */
typedef struct wasm_ref_t wasm_ref_t;
/** A call-stack frame of a trap. */
typedef struct wasm_frame_t wasm_frame_t;
/** A trap (message and frames). */
typedef struct wasm_trap_t wasm_trap_t;
/** A foreign object (a host reference). */
typedef struct wasm_foreign_t wasm_foreign_t;
/** A compiled module. */
typedef struct wasm_module_t wasm_module_t;
/** A module shareable with other stores and threads. */
typedef struct wasm_shared_module_t wasm_shared_module_t;
/** A function instance. */
typedef struct wasm_func_t wasm_func_t;
/** A global instance. */
typedef struct wasm_global_t wasm_global_t;
/** A table instance. */
typedef struct wasm_table_t wasm_table_t;
/** A memory instance. */
typedef struct wasm_memory_t wasm_memory_t;
/** A external value (func, global, table or memory). */
typedef struct wasm_extern_t wasm_extern_t;
/** A module instance. */
typedef struct wasm_instance_t wasm_instance_t;

/** Mutability of a global: WASM_CONST or WASM_VAR. */
typedef uint8_t wasm_mutability_t;
/** Values of wasm_mutability_t. */
enum wasm_mutability_enum {
  WASM_CONST, /**< immutable */
  WASM_VAR    /**< mutable */
};

/** Size limits of a table (elements) or memory (64 KiB pages); max is
 *  wasm_limits_max_default when there is none. */
typedef struct wasm_limits_t {
  uint32_t min; /**< initial size */
  uint32_t max; /**< maximum size, or wasm_limits_max_default */
} wasm_limits_t;

/** wasm_limits_t.max of limits without a maximum. */
static const uint32_t wasm_limits_max_default = 0xffffffff;

/** The kind of a value type. */
typedef uint8_t wasm_valkind_t;
/** Values of wasm_valkind_t. */
enum wasm_valkind_enum {
  WASM_I32,             /**< 32-bit integer */
  WASM_I64,             /**< 64-bit integer */
  WASM_F32,             /**< 32-bit float */
  WASM_F64,             /**< 64-bit float */
  WASM_EXTERNREF = 128, /**< host reference (wasm_ref_t*, or NULL) */
  WASM_FUNCREF          /**< function reference (a func's wasm_ref_t*) */
};

/** The kind of an extern type or external value. */
typedef uint8_t wasm_externkind_t;
/** Values of wasm_externkind_t. */
enum wasm_externkind_enum {
  WASM_EXTERN_FUNC,   /**< a function */
  WASM_EXTERN_GLOBAL, /**< a global */
  WASM_EXTERN_TABLE,  /**< a table */
  WASM_EXTERN_MEMORY  /**< a memory */
};

/** A value tagged with its kind. A reference value (WASM_EXTERNREF,
 *  WASM_FUNCREF) holds a wasm_ref_t*, NULL for the null reference. */
typedef struct wasm_val_t {
  wasm_valkind_t kind; /**< which member of @ref of is meaningful */
  /** The value. */
  union {
    int32_t i32;            /**< WASM_I32 */
    int64_t i64;            /**< WASM_I64 */
    float32_t f32;          /**< WASM_F32 */
    float64_t f64;          /**< WASM_F64 */
    struct wasm_ref_t *ref; /**< WASM_EXTERNREF, WASM_FUNCREF */
  } of;
} wasm_val_t;

/* ---- Vectors --------------------------------------------------------- */
/* A vector owns its array; a vector of pointers also owns the objects. */

/** A vector of bytes: size elements at data (NULL when size is 0). */
typedef struct wasm_byte_vec_t {
  size_t size;       /**< number of elements */
  wasm_byte_t *data; /**< the elements */
} wasm_byte_vec_t;
/** Makes @p out the empty vector of bytes. */
WASM_API_EXTERN void wasm_byte_vec_new_empty(wasm_byte_vec_t *out);
/** Makes @p out a vector of @p size bytes, zero-filled; the
 *  empty vector if the array cannot be allocated. */
WASM_API_EXTERN void wasm_byte_vec_new_uninitialized(wasm_byte_vec_t *out,
                                                     size_t size);
/** Makes @p out a vector of @p size bytes copied from @p data
 *  (ownership of references in values passes to the vector). Empty
 *  on OOM. */
WASM_API_EXTERN void wasm_byte_vec_new(wasm_byte_vec_t *out, size_t size,
                                       wasm_byte_t const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_byte_vec_copy(wasm_byte_vec_t *out,
                                        const wasm_byte_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_byte_vec_delete(wasm_byte_vec_t *vec);

/** A vector of values: size elements at data (NULL when size is 0). */
typedef struct wasm_val_vec_t {
  size_t size;      /**< number of elements */
  wasm_val_t *data; /**< the elements */
} wasm_val_vec_t;
/** Makes @p out the empty vector of values. */
WASM_API_EXTERN void wasm_val_vec_new_empty(wasm_val_vec_t *out);
/** Makes @p out a vector of @p size values, zero-filled; the
 *  empty vector if the array cannot be allocated. */
WASM_API_EXTERN void wasm_val_vec_new_uninitialized(wasm_val_vec_t *out,
                                                    size_t size);
/** Makes @p out a vector of @p size values copied from @p data
 *  (ownership of references in values passes to the vector). Empty
 *  on OOM. */
WASM_API_EXTERN void wasm_val_vec_new(wasm_val_vec_t *out, size_t size,
                                      wasm_val_t const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_val_vec_copy(wasm_val_vec_t *out,
                                       const wasm_val_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_val_vec_delete(wasm_val_vec_t *vec);

/** A vector of value types: size elements at data (NULL when size is 0). */
typedef struct wasm_valtype_vec_t {
  size_t size;           /**< number of elements */
  wasm_valtype_t **data; /**< the elements */
} wasm_valtype_vec_t;
/** Makes @p out the empty vector of value types. */
WASM_API_EXTERN void wasm_valtype_vec_new_empty(wasm_valtype_vec_t *out);
/** Makes @p out a vector of @p size value types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void wasm_valtype_vec_new_uninitialized(wasm_valtype_vec_t *out,
                                                        size_t size);
/** Makes @p out a vector of @p size value types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_valtype_vec_new(wasm_valtype_vec_t *out, size_t size,
                                          wasm_valtype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_valtype_vec_copy(wasm_valtype_vec_t *out,
                                           const wasm_valtype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_valtype_vec_delete(wasm_valtype_vec_t *vec);

/** A vector of function types: size elements at data (NULL when size is 0). */
typedef struct wasm_functype_vec_t {
  size_t size;            /**< number of elements */
  wasm_functype_t **data; /**< the elements */
} wasm_functype_vec_t;
/** Makes @p out the empty vector of function types. */
WASM_API_EXTERN void wasm_functype_vec_new_empty(wasm_functype_vec_t *out);
/** Makes @p out a vector of @p size function types, zero-filled (NULL
 * pointers); the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_functype_vec_new_uninitialized(wasm_functype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size function types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_functype_vec_new(wasm_functype_vec_t *out,
                                           size_t size,
                                           wasm_functype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_functype_vec_copy(wasm_functype_vec_t *out,
                                            const wasm_functype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_functype_vec_delete(wasm_functype_vec_t *vec);

/** A vector of global types: size elements at data (NULL when size is 0). */
typedef struct wasm_globaltype_vec_t {
  size_t size;              /**< number of elements */
  wasm_globaltype_t **data; /**< the elements */
} wasm_globaltype_vec_t;
/** Makes @p out the empty vector of global types. */
WASM_API_EXTERN void wasm_globaltype_vec_new_empty(wasm_globaltype_vec_t *out);
/** Makes @p out a vector of @p size global types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_globaltype_vec_new_uninitialized(wasm_globaltype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size global types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_globaltype_vec_new(wasm_globaltype_vec_t *out,
                                             size_t size,
                                             wasm_globaltype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_globaltype_vec_copy(wasm_globaltype_vec_t *out,
                                              const wasm_globaltype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_globaltype_vec_delete(wasm_globaltype_vec_t *vec);

/** A vector of table types: size elements at data (NULL when size is 0). */
typedef struct wasm_tabletype_vec_t {
  size_t size;             /**< number of elements */
  wasm_tabletype_t **data; /**< the elements */
} wasm_tabletype_vec_t;
/** Makes @p out the empty vector of table types. */
WASM_API_EXTERN void wasm_tabletype_vec_new_empty(wasm_tabletype_vec_t *out);
/** Makes @p out a vector of @p size table types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_tabletype_vec_new_uninitialized(wasm_tabletype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size table types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_tabletype_vec_new(wasm_tabletype_vec_t *out,
                                            size_t size,
                                            wasm_tabletype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_tabletype_vec_copy(wasm_tabletype_vec_t *out,
                                             const wasm_tabletype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_tabletype_vec_delete(wasm_tabletype_vec_t *vec);

/** A vector of memory types: size elements at data (NULL when size is 0). */
typedef struct wasm_memorytype_vec_t {
  size_t size;              /**< number of elements */
  wasm_memorytype_t **data; /**< the elements */
} wasm_memorytype_vec_t;
/** Makes @p out the empty vector of memory types. */
WASM_API_EXTERN void wasm_memorytype_vec_new_empty(wasm_memorytype_vec_t *out);
/** Makes @p out a vector of @p size memory types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_memorytype_vec_new_uninitialized(wasm_memorytype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size memory types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_memorytype_vec_new(wasm_memorytype_vec_t *out,
                                             size_t size,
                                             wasm_memorytype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_memorytype_vec_copy(wasm_memorytype_vec_t *out,
                                              const wasm_memorytype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_memorytype_vec_delete(wasm_memorytype_vec_t *vec);

/** A vector of extern types: size elements at data (NULL when size is 0). */
typedef struct wasm_externtype_vec_t {
  size_t size;              /**< number of elements */
  wasm_externtype_t **data; /**< the elements */
} wasm_externtype_vec_t;
/** Makes @p out the empty vector of extern types. */
WASM_API_EXTERN void wasm_externtype_vec_new_empty(wasm_externtype_vec_t *out);
/** Makes @p out a vector of @p size extern types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_externtype_vec_new_uninitialized(wasm_externtype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size extern types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_externtype_vec_new(wasm_externtype_vec_t *out,
                                             size_t size,
                                             wasm_externtype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_externtype_vec_copy(wasm_externtype_vec_t *out,
                                              const wasm_externtype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_externtype_vec_delete(wasm_externtype_vec_t *vec);

/** A vector of import types: size elements at data (NULL when size is 0). */
typedef struct wasm_importtype_vec_t {
  size_t size;              /**< number of elements */
  wasm_importtype_t **data; /**< the elements */
} wasm_importtype_vec_t;
/** Makes @p out the empty vector of import types. */
WASM_API_EXTERN void wasm_importtype_vec_new_empty(wasm_importtype_vec_t *out);
/** Makes @p out a vector of @p size import types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_importtype_vec_new_uninitialized(wasm_importtype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size import types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_importtype_vec_new(wasm_importtype_vec_t *out,
                                             size_t size,
                                             wasm_importtype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_importtype_vec_copy(wasm_importtype_vec_t *out,
                                              const wasm_importtype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_importtype_vec_delete(wasm_importtype_vec_t *vec);

/** A vector of export types: size elements at data (NULL when size is 0). */
typedef struct wasm_exporttype_vec_t {
  size_t size;              /**< number of elements */
  wasm_exporttype_t **data; /**< the elements */
} wasm_exporttype_vec_t;
/** Makes @p out the empty vector of export types. */
WASM_API_EXTERN void wasm_exporttype_vec_new_empty(wasm_exporttype_vec_t *out);
/** Makes @p out a vector of @p size export types, zero-filled (NULL pointers);
 * the empty vector if the array cannot be allocated. */
WASM_API_EXTERN void
wasm_exporttype_vec_new_uninitialized(wasm_exporttype_vec_t *out, size_t size);
/** Makes @p out a vector of @p size export types copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_exporttype_vec_new(wasm_exporttype_vec_t *out,
                                             size_t size,
                                             wasm_exporttype_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_exporttype_vec_copy(wasm_exporttype_vec_t *out,
                                              const wasm_exporttype_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_exporttype_vec_delete(wasm_exporttype_vec_t *vec);

/** A vector of frames: size elements at data (NULL when size is 0). */
typedef struct wasm_frame_vec_t {
  size_t size;         /**< number of elements */
  wasm_frame_t **data; /**< the elements */
} wasm_frame_vec_t;
/** Makes @p out the empty vector of frames. */
WASM_API_EXTERN void wasm_frame_vec_new_empty(wasm_frame_vec_t *out);
/** Makes @p out a vector of @p size frames, zero-filled (NULL pointers); the
 *  empty vector if the array cannot be allocated. */
WASM_API_EXTERN void wasm_frame_vec_new_uninitialized(wasm_frame_vec_t *out,
                                                      size_t size);
/** Makes @p out a vector of @p size frames copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_frame_vec_new(wasm_frame_vec_t *out, size_t size,
                                        wasm_frame_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_frame_vec_copy(wasm_frame_vec_t *out,
                                         const wasm_frame_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_frame_vec_delete(wasm_frame_vec_t *vec);

/** A vector of externs: size elements at data (NULL when size is 0). */
typedef struct wasm_extern_vec_t {
  size_t size;          /**< number of elements */
  wasm_extern_t **data; /**< the elements */
} wasm_extern_vec_t;
/** Makes @p out the empty vector of externs. */
WASM_API_EXTERN void wasm_extern_vec_new_empty(wasm_extern_vec_t *out);
/** Makes @p out a vector of @p size externs, zero-filled (NULL pointers); the
 *  empty vector if the array cannot be allocated. */
WASM_API_EXTERN void wasm_extern_vec_new_uninitialized(wasm_extern_vec_t *out,
                                                       size_t size);
/** Makes @p out a vector of @p size externs copied from @p data; the
 *  vector takes over the objects (not the array). Empty on OOM. */
WASM_API_EXTERN void wasm_extern_vec_new(wasm_extern_vec_t *out, size_t size,
                                         wasm_extern_t *const data[]);
/** Makes @p out a deep copy of @p src (each element copied). Empty on
 *  OOM. */
WASM_API_EXTERN void wasm_extern_vec_copy(wasm_extern_vec_t *out,
                                          const wasm_extern_vec_t *src);
/** Deletes the elements of @p vec and its array; leaves it empty. */
WASM_API_EXTERN void wasm_extern_vec_delete(wasm_extern_vec_t *vec);

/** A name: a byte vector (UTF-8, not NUL-terminated unless made so). */
typedef wasm_byte_vec_t wasm_name_t;
/** A trap message: a byte vector whose last byte is NUL. */
typedef wasm_name_t wasm_message_t;

/** Names are byte vectors: the wasm_name functions are those of bytes. */
#define wasm_name wasm_byte_vec
/** Same as wasm_byte_vec_new. */
#define wasm_name_new wasm_byte_vec_new
/** Same as wasm_byte_vec_new_empty. */
#define wasm_name_new_empty wasm_byte_vec_new_empty
/** Same as wasm_byte_vec_new_uninitialized (upstream's spelling). */
#define wasm_name_new_new_uninitialized wasm_byte_vec_new_uninitialized
/** Same as wasm_byte_vec_copy. */
#define wasm_name_copy wasm_byte_vec_copy
/** Same as wasm_byte_vec_delete. */
#define wasm_name_delete wasm_byte_vec_delete

/** Makes @p out a name holding the bytes of string @p s (without NUL). */
static inline void wasm_name_new_from_string(wasm_name_t *out, const char *s) {
  wasm_byte_vec_new(out, strlen(s), s);
}

/** Makes @p out a name holding string @p s and its terminating NUL. */
static inline void wasm_name_new_from_string_nt(wasm_name_t *out,
                                                const char *s) {
  wasm_byte_vec_new(out, strlen(s) + 1, s);
}

/* ---- Configuration, engine, store ------------------------------------ */

/** Deletes configuration @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_config_delete(wasm_config_t *obj);
/** A new configuration with the defaults (caller owns). NULL on OOM. */
WASM_API_EXTERN wasm_config_t *wasm_config_new(void);
/** Deletes an engine (NULL is ignored); its stores, modules and shared
 *  modules must be deleted first. */
WASM_API_EXTERN void wasm_engine_delete(wasm_engine_t *obj);
/** A new engine with the default configuration (caller owns). */
WASM_API_EXTERN wasm_engine_t *wasm_engine_new(void);
/** A new engine configured by @p config, which it takes over and deletes
 *  (caller owns the engine). NULL on OOM. */
WASM_API_EXTERN wasm_engine_t *
wasm_engine_new_with_config(wasm_config_t *config);
/** Deletes a store (NULL is ignored) and every object it owns, running
 *  their host-info and environment finalizers. */
WASM_API_EXTERN void wasm_store_delete(wasm_store_t *obj);
/** A new, empty store of @p engine (caller owns). NULL on OOM. */
WASM_API_EXTERN wasm_store_t *wasm_store_new(wasm_engine_t *engine);

/* ---- Types ----------------------------------------------------------- */

/** Deletes a value type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_valtype_delete(wasm_valtype_t *obj);
/** A copy of a value type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *src);
/** Deletes a function type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_functype_delete(wasm_functype_t *obj);
/** A copy of a function type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_functype_t *wasm_functype_copy(const wasm_functype_t *src);
/** Deletes a global type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_globaltype_delete(wasm_globaltype_t *obj);
/** A copy of a global type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_globaltype_t *
wasm_globaltype_copy(const wasm_globaltype_t *src);
/** Deletes a table type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_tabletype_delete(wasm_tabletype_t *obj);
/** A copy of a table type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_tabletype_t *
wasm_tabletype_copy(const wasm_tabletype_t *src);
/** Deletes a memory type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_memorytype_delete(wasm_memorytype_t *obj);
/** A copy of a memory type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_memorytype_t *
wasm_memorytype_copy(const wasm_memorytype_t *src);
/** Deletes an extern type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_externtype_delete(wasm_externtype_t *obj);
/** A copy of an extern type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_externtype_t *
wasm_externtype_copy(const wasm_externtype_t *src);
/** Deletes an import type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_importtype_delete(wasm_importtype_t *obj);
/** A copy of an import type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_importtype_t *
wasm_importtype_copy(const wasm_importtype_t *src);
/** Deletes an export type @p obj (NULL is ignored). */
WASM_API_EXTERN void wasm_exporttype_delete(wasm_exporttype_t *obj);
/** A copy of an export type (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_exporttype_t *
wasm_exporttype_copy(const wasm_exporttype_t *src);

/** A value type of kind @p kind (caller owns); NULL for an unknown kind. */
WASM_API_EXTERN wasm_valtype_t *wasm_valtype_new(wasm_valkind_t kind);
/** The kind of value type @p t. */
WASM_API_EXTERN wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t);

/** Whether @p k is a number kind (i32, i64, f32, f64). */
static inline bool wasm_valkind_is_num(wasm_valkind_t k) {
  return k < WASM_EXTERNREF;
}
/** Whether @p k is a reference kind (externref, funcref). */
static inline bool wasm_valkind_is_ref(wasm_valkind_t k) {
  return k >= WASM_EXTERNREF;
}
/** Whether value type @p t is a number type. */
static inline bool wasm_valtype_is_num(const wasm_valtype_t *t) {
  return wasm_valkind_is_num(wasm_valtype_kind(t));
}
/** Whether value type @p t is a reference type. */
static inline bool wasm_valtype_is_ref(const wasm_valtype_t *t) {
  return wasm_valkind_is_ref(wasm_valtype_kind(t));
}

/** A function type (caller owns) taking over the vectors @p params and
 *  @p results (left empty). NULL on OOM (the vectors are deleted). */
WASM_API_EXTERN wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params,
                                                   wasm_valtype_vec_t *results);
/** The parameter types of @p t (borrowed from @p t). */
WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_params(const wasm_functype_t *t);
/** The result types of @p t (borrowed from @p t). */
WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_results(const wasm_functype_t *t);

/** A global type (caller owns) of content @p content (taken over) and
 *  mutability @p mut. NULL on OOM or a bad argument. */
WASM_API_EXTERN wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content,
                                                       wasm_mutability_t mut);
/** The content type of @p t (borrowed). */
WASM_API_EXTERN const wasm_valtype_t *
wasm_globaltype_content(const wasm_globaltype_t *t);
/** The mutability of @p t. */
WASM_API_EXTERN wasm_mutability_t
wasm_globaltype_mutability(const wasm_globaltype_t *t);

/** A table type (caller owns) of element type @p elem (taken over; must be
 *  a reference type) and limits @p limits (copied). NULL otherwise. */
WASM_API_EXTERN wasm_tabletype_t *
wasm_tabletype_new(wasm_valtype_t *elem, const wasm_limits_t *limits);
/** The element type of @p t (borrowed). */
WASM_API_EXTERN const wasm_valtype_t *
wasm_tabletype_element(const wasm_tabletype_t *t);
/** The limits of @p t (borrowed). */
WASM_API_EXTERN const wasm_limits_t *
wasm_tabletype_limits(const wasm_tabletype_t *t);

/** A memory type (caller owns) of limits @p limits (copied, in pages). */
WASM_API_EXTERN wasm_memorytype_t *
wasm_memorytype_new(const wasm_limits_t *limits);
/** The limits of @p t (borrowed). */
WASM_API_EXTERN const wasm_limits_t *
wasm_memorytype_limits(const wasm_memorytype_t *t);

/** The kind of extern type @p t. */
WASM_API_EXTERN wasm_externkind_t
wasm_externtype_kind(const wasm_externtype_t *t);

/** @p t viewed as an extern type (the same object, not a copy). */
WASM_API_EXTERN wasm_externtype_t *
wasm_functype_as_externtype(wasm_functype_t *t);
/** @p t viewed as an extern type (the same object, not a copy). */
WASM_API_EXTERN wasm_externtype_t *
wasm_globaltype_as_externtype(wasm_globaltype_t *t);
/** @p t viewed as an extern type (the same object, not a copy). */
WASM_API_EXTERN wasm_externtype_t *
wasm_tabletype_as_externtype(wasm_tabletype_t *t);
/** @p t viewed as an extern type (the same object, not a copy). */
WASM_API_EXTERN wasm_externtype_t *
wasm_memorytype_as_externtype(wasm_memorytype_t *t);
/** Extern type @p t as a func type, or NULL if it is another kind. */
WASM_API_EXTERN wasm_functype_t *
wasm_externtype_as_functype(wasm_externtype_t *t);
/** Extern type @p t as a global type, or NULL if it is another kind. */
WASM_API_EXTERN wasm_globaltype_t *
wasm_externtype_as_globaltype(wasm_externtype_t *t);
/** Extern type @p t as a table type, or NULL if it is another kind. */
WASM_API_EXTERN wasm_tabletype_t *
wasm_externtype_as_tabletype(wasm_externtype_t *t);
/** Extern type @p t as a memory type, or NULL if it is another kind. */
WASM_API_EXTERN wasm_memorytype_t *
wasm_externtype_as_memorytype(wasm_externtype_t *t);
/** Const form of wasm_functype_as_externtype. */
WASM_API_EXTERN const wasm_externtype_t *
wasm_functype_as_externtype_const(const wasm_functype_t *t);
/** Const form of wasm_globaltype_as_externtype. */
WASM_API_EXTERN const wasm_externtype_t *
wasm_globaltype_as_externtype_const(const wasm_globaltype_t *t);
/** Const form of wasm_tabletype_as_externtype. */
WASM_API_EXTERN const wasm_externtype_t *
wasm_tabletype_as_externtype_const(const wasm_tabletype_t *t);
/** Const form of wasm_memorytype_as_externtype. */
WASM_API_EXTERN const wasm_externtype_t *
wasm_memorytype_as_externtype_const(const wasm_memorytype_t *t);
/** Const form of wasm_externtype_as_functype. */
WASM_API_EXTERN const wasm_functype_t *
wasm_externtype_as_functype_const(const wasm_externtype_t *t);
/** Const form of wasm_externtype_as_globaltype. */
WASM_API_EXTERN const wasm_globaltype_t *
wasm_externtype_as_globaltype_const(const wasm_externtype_t *t);
/** Const form of wasm_externtype_as_tabletype. */
WASM_API_EXTERN const wasm_tabletype_t *
wasm_externtype_as_tabletype_const(const wasm_externtype_t *t);
/** Const form of wasm_externtype_as_memorytype. */
WASM_API_EXTERN const wasm_memorytype_t *
wasm_externtype_as_memorytype_const(const wasm_externtype_t *t);

/** An import type (caller owns) taking over @p module, @p name (left
 *  empty) and @p type. NULL on OOM or a NULL argument. */
WASM_API_EXTERN wasm_importtype_t *wasm_importtype_new(wasm_name_t *module,
                                                       wasm_name_t *name,
                                                       wasm_externtype_t *type);
/** The module name of @p t (borrowed). */
WASM_API_EXTERN const wasm_name_t *
wasm_importtype_module(const wasm_importtype_t *t);
/** The field name of @p t (borrowed). */
WASM_API_EXTERN const wasm_name_t *
wasm_importtype_name(const wasm_importtype_t *t);
/** The extern type of @p t (borrowed). */
WASM_API_EXTERN const wasm_externtype_t *
wasm_importtype_type(const wasm_importtype_t *t);

/** An export type (caller owns) taking over @p name (left empty) and
 *  @p type. NULL on OOM or a NULL argument. */
WASM_API_EXTERN wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name,
                                                       wasm_externtype_t *type);
/** The name of @p t (borrowed). */
WASM_API_EXTERN const wasm_name_t *
wasm_exporttype_name(const wasm_exporttype_t *t);
/** The extern type of @p t (borrowed). */
WASM_API_EXTERN const wasm_externtype_t *
wasm_exporttype_type(const wasm_exporttype_t *t);

/* ---- Values ---------------------------------------------------------- */

/** Deletes the reference held by @p v, if any. */
WASM_API_EXTERN void wasm_val_delete(wasm_val_t *v);
/** Copies @p src to @p out (a reference is copied: the caller owns it). */
WASM_API_EXTERN void wasm_val_copy(wasm_val_t *out, const wasm_val_t *src);

/* ---- References ------------------------------------------------------ */
/* Every reference type has the functions below; host info is one pointer
   per object, its finalizer runs when the object is released. */

/* -- ref */
/** Deletes a reference: as the _delete function of the object's own type. */
WASM_API_EXTERN void wasm_ref_delete(wasm_ref_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_ref_t *wasm_ref_copy(const wasm_ref_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_ref_same(const wasm_ref_t *a, const wasm_ref_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_ref_get_host_info(const wasm_ref_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_ref_set_host_info(wasm_ref_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_ref_set_host_info_with_finalizer(wasm_ref_t *obj, void *info,
                                      void (*finalizer)(void *));

/* -- trap */
/** Deletes a reference to a trap; the object is freed (and its host
 *  finalizer run) with its last reference (NULL is ignored). */
WASM_API_EXTERN void wasm_trap_delete(wasm_trap_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_trap_t *wasm_trap_copy(const wasm_trap_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_trap_same(const wasm_trap_t *a, const wasm_trap_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_trap_get_host_info(const wasm_trap_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_trap_set_host_info(wasm_trap_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_trap_set_host_info_with_finalizer(wasm_trap_t *obj, void *info,
                                       void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_trap_as_ref(wasm_trap_t *obj);
/** Reference @p r as a trap, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_trap_t *wasm_ref_as_trap(wasm_ref_t *r);
/** Const form of wasm_trap_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_trap_as_ref_const(const wasm_trap_t *obj);
/** Const form of wasm_ref_as_trap. */
WASM_API_EXTERN const wasm_trap_t *wasm_ref_as_trap_const(const wasm_ref_t *r);

/* -- foreign */
/** Deletes a reference to a foreign object; the object itself stays in its
 * store until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_foreign_delete(wasm_foreign_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_foreign_t *wasm_foreign_copy(const wasm_foreign_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_foreign_same(const wasm_foreign_t *a,
                                       const wasm_foreign_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_foreign_get_host_info(const wasm_foreign_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_foreign_set_host_info(wasm_foreign_t *obj,
                                                void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_foreign_set_host_info_with_finalizer(wasm_foreign_t *obj, void *info,
                                          void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_foreign_as_ref(wasm_foreign_t *obj);
/** Reference @p r as a foreign object, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_foreign_t *wasm_ref_as_foreign(wasm_ref_t *r);
/** Const form of wasm_foreign_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_foreign_as_ref_const(const wasm_foreign_t *obj);
/** Const form of wasm_ref_as_foreign. */
WASM_API_EXTERN const wasm_foreign_t *
wasm_ref_as_foreign_const(const wasm_ref_t *r);

/* -- module */
/** Deletes a reference to a module; the object is freed (and its host
 *  finalizer run) with its last reference (NULL is ignored). */
WASM_API_EXTERN void wasm_module_delete(wasm_module_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_module_t *wasm_module_copy(const wasm_module_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_module_same(const wasm_module_t *a,
                                      const wasm_module_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_module_get_host_info(const wasm_module_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_module_set_host_info(wasm_module_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_module_set_host_info_with_finalizer(wasm_module_t *obj, void *info,
                                         void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_module_as_ref(wasm_module_t *obj);
/** Reference @p r as a module, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_module_t *wasm_ref_as_module(wasm_ref_t *r);
/** Const form of wasm_module_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_module_as_ref_const(const wasm_module_t *obj);
/** Const form of wasm_ref_as_module. */
WASM_API_EXTERN const wasm_module_t *
wasm_ref_as_module_const(const wasm_ref_t *r);

/* -- func */
/** Deletes a reference to a function; the object itself stays in its store
 *  until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_func_delete(wasm_func_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_func_t *wasm_func_copy(const wasm_func_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_func_same(const wasm_func_t *a, const wasm_func_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_func_get_host_info(const wasm_func_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_func_set_host_info(wasm_func_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_func_set_host_info_with_finalizer(wasm_func_t *obj, void *info,
                                       void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_func_as_ref(wasm_func_t *obj);
/** Reference @p r as a function, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_func_t *wasm_ref_as_func(wasm_ref_t *r);
/** Const form of wasm_func_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_func_as_ref_const(const wasm_func_t *obj);
/** Const form of wasm_ref_as_func. */
WASM_API_EXTERN const wasm_func_t *wasm_ref_as_func_const(const wasm_ref_t *r);

/* -- global */
/** Deletes a reference to a global; the object itself stays in its store
 *  until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_global_delete(wasm_global_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_global_t *wasm_global_copy(const wasm_global_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_global_same(const wasm_global_t *a,
                                      const wasm_global_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_global_get_host_info(const wasm_global_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_global_set_host_info(wasm_global_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_global_set_host_info_with_finalizer(wasm_global_t *obj, void *info,
                                         void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_global_as_ref(wasm_global_t *obj);
/** Reference @p r as a global, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_global_t *wasm_ref_as_global(wasm_ref_t *r);
/** Const form of wasm_global_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_global_as_ref_const(const wasm_global_t *obj);
/** Const form of wasm_ref_as_global. */
WASM_API_EXTERN const wasm_global_t *
wasm_ref_as_global_const(const wasm_ref_t *r);

/* -- table */
/** Deletes a reference to a table; the object itself stays in its store
 *  until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_table_delete(wasm_table_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_table_t *wasm_table_copy(const wasm_table_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_table_same(const wasm_table_t *a,
                                     const wasm_table_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_table_get_host_info(const wasm_table_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_table_set_host_info(wasm_table_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_table_set_host_info_with_finalizer(wasm_table_t *obj, void *info,
                                        void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_table_as_ref(wasm_table_t *obj);
/** Reference @p r as a table, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_table_t *wasm_ref_as_table(wasm_ref_t *r);
/** Const form of wasm_table_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_table_as_ref_const(const wasm_table_t *obj);
/** Const form of wasm_ref_as_table. */
WASM_API_EXTERN const wasm_table_t *
wasm_ref_as_table_const(const wasm_ref_t *r);

/* -- memory */
/** Deletes a reference to a memory; the object itself stays in its store
 *  until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_memory_delete(wasm_memory_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_memory_t *wasm_memory_copy(const wasm_memory_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_memory_same(const wasm_memory_t *a,
                                      const wasm_memory_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_memory_get_host_info(const wasm_memory_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_memory_set_host_info(wasm_memory_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_memory_set_host_info_with_finalizer(wasm_memory_t *obj, void *info,
                                         void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_memory_as_ref(wasm_memory_t *obj);
/** Reference @p r as a memory, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_memory_t *wasm_ref_as_memory(wasm_ref_t *r);
/** Const form of wasm_memory_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_memory_as_ref_const(const wasm_memory_t *obj);
/** Const form of wasm_ref_as_memory. */
WASM_API_EXTERN const wasm_memory_t *
wasm_ref_as_memory_const(const wasm_ref_t *r);

/* -- extern */
/** Deletes a reference to an extern; the object itself stays in its store
 *  until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_extern_delete(wasm_extern_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_extern_t *wasm_extern_copy(const wasm_extern_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_extern_same(const wasm_extern_t *a,
                                      const wasm_extern_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_extern_get_host_info(const wasm_extern_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_extern_set_host_info(wasm_extern_t *obj, void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_extern_set_host_info_with_finalizer(wasm_extern_t *obj, void *info,
                                         void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_extern_as_ref(wasm_extern_t *obj);
/** Reference @p r as an extern, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_extern_t *wasm_ref_as_extern(wasm_ref_t *r);
/** Const form of wasm_extern_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_extern_as_ref_const(const wasm_extern_t *obj);
/** Const form of wasm_ref_as_extern. */
WASM_API_EXTERN const wasm_extern_t *
wasm_ref_as_extern_const(const wasm_ref_t *r);

/* -- instance */
/** Deletes a reference to an instance; the object itself stays in its store
 *  until wasm_store_delete (NULL is ignored). */
WASM_API_EXTERN void wasm_instance_delete(wasm_instance_t *obj);
/** A new reference to the object of @p obj (caller owns); NULL for NULL. */
WASM_API_EXTERN wasm_instance_t *wasm_instance_copy(const wasm_instance_t *obj);
/** Whether @p a and @p b refer to the same object. */
WASM_API_EXTERN bool wasm_instance_same(const wasm_instance_t *a,
                                        const wasm_instance_t *b);
/** The host info of @p obj's object (NULL if none). */
WASM_API_EXTERN void *wasm_instance_get_host_info(const wasm_instance_t *obj);
/** Sets the host info of @p obj's object to @p info, without finalizer
 *  (a previous finalizer runs on the previous info). */
WASM_API_EXTERN void wasm_instance_set_host_info(wasm_instance_t *obj,
                                                 void *info);
/** Sets the host info of @p obj's object to @p info; @p finalizer (may
 *  be NULL) is called on it when the object is released. */
WASM_API_EXTERN void
wasm_instance_set_host_info_with_finalizer(wasm_instance_t *obj, void *info,
                                           void (*finalizer)(void *));
/** @p obj viewed as a generic reference (the same object). */
WASM_API_EXTERN wasm_ref_t *wasm_instance_as_ref(wasm_instance_t *obj);
/** Reference @p r as an instance, or NULL if it refers to another kind. */
WASM_API_EXTERN wasm_instance_t *wasm_ref_as_instance(wasm_ref_t *r);
/** Const form of wasm_instance_as_ref. */
WASM_API_EXTERN const wasm_ref_t *
wasm_instance_as_ref_const(const wasm_instance_t *obj);
/** Const form of wasm_ref_as_instance. */
WASM_API_EXTERN const wasm_instance_t *
wasm_ref_as_instance_const(const wasm_ref_t *r);

/* ---- Frames and traps ------------------------------------------------ */

/** Deletes a frame (NULL is ignored). */
WASM_API_EXTERN void wasm_frame_delete(wasm_frame_t *frame);
/** A copy of @p frame (caller owns); NULL for NULL or on OOM. */
WASM_API_EXTERN wasm_frame_t *wasm_frame_copy(const wasm_frame_t *frame);
/** The instance executing in @p frame (borrowed; NULL if unknown). */
WASM_API_EXTERN wasm_instance_t *wasm_frame_instance(const wasm_frame_t *frame);
/** The index of the function of @p frame in its module. */
WASM_API_EXTERN uint32_t wasm_frame_func_index(const wasm_frame_t *frame);
/** The byte offset of @p frame's instruction from its function's start. */
WASM_API_EXTERN size_t wasm_frame_func_offset(const wasm_frame_t *frame);
/** The byte offset of @p frame's instruction in the module binary. */
WASM_API_EXTERN size_t wasm_frame_module_offset(const wasm_frame_t *frame);

/** A trap of store @p store with message @p message (copied; a byte vector
 *  that should end with NUL, one is added otherwise). Caller owns. */
WASM_API_EXTERN wasm_trap_t *wasm_trap_new(wasm_store_t *store,
                                           const wasm_message_t *message);
/** Copies the message of @p trap, NUL-terminated, into @p out. */
WASM_API_EXTERN void wasm_trap_message(const wasm_trap_t *trap,
                                       wasm_message_t *out);
/** The innermost frame of @p trap (caller owns), NULL if not known. */
WASM_API_EXTERN wasm_frame_t *wasm_trap_origin(const wasm_trap_t *trap);
/** The frames of @p trap, innermost first, into @p out (possibly empty). */
WASM_API_EXTERN void wasm_trap_trace(const wasm_trap_t *trap,
                                     wasm_frame_vec_t *out);

/* ---- Foreign objects ------------------------------------------------- */

/** A new foreign object of @p store: an opaque host reference that wasm
 *  code can hold as an externref. Owned by the store. */
WASM_API_EXTERN wasm_foreign_t *wasm_foreign_new(wasm_store_t *store);

/* ---- Modules --------------------------------------------------------- */

/** Deletes a shared module (NULL is ignored). */
WASM_API_EXTERN void wasm_shared_module_delete(wasm_shared_module_t *obj);
/** A shareable handle on @p module's compiled code (caller owns), usable
 *  from any thread with wasm_module_obtain. NULL on OOM. */
WASM_API_EXTERN wasm_shared_module_t *
wasm_module_share(const wasm_module_t *module);
/** A module (caller owns) for @p store from @p shared, which must come
 *  from the same engine. NULL otherwise or on OOM. */
WASM_API_EXTERN wasm_module_t *
wasm_module_obtain(wasm_store_t *store, const wasm_shared_module_t *shared);

/** Decodes, validates and compiles @p binary (copied) for @p store's engine
 *  (caller owns). NULL if it is malformed or invalid. */
WASM_API_EXTERN wasm_module_t *wasm_module_new(wasm_store_t *store,
                                               const wasm_byte_vec_t *binary);
/** Whether @p binary is a valid module for @p store's engine. */
WASM_API_EXTERN bool wasm_module_validate(wasm_store_t *store,
                                          const wasm_byte_vec_t *binary);
/** The imports of @p module, in order, into @p out. */
WASM_API_EXTERN void wasm_module_imports(const wasm_module_t *module,
                                         wasm_importtype_vec_t *out);
/** The exports of @p module, in order, into @p out. */
WASM_API_EXTERN void wasm_module_exports(const wasm_module_t *module,
                                         wasm_exporttype_vec_t *out);
/** Serializes @p module into @p out: a header ("AWSM", format version) and
 *  the module's binary, recompiled (and revalidated) on deserialization. */
WASM_API_EXTERN void wasm_module_serialize(const wasm_module_t *module,
                                           wasm_byte_vec_t *out);
/** A module (caller owns) from bytes written by wasm_module_serialize;
 *  NULL if they are not such bytes or fail validation. */
WASM_API_EXTERN wasm_module_t *
wasm_module_deserialize(wasm_store_t *store, const wasm_byte_vec_t *bytes);

/* ---- Functions ------------------------------------------------------- */

/** A host function: reads @p args, writes @p results (already sized, kinds
 *  set to the declared result types); returns NULL, or a trap (ownership
 *  passes to the engine) to abort the call. */
typedef wasm_trap_t *(*wasm_func_callback_t)(const wasm_val_vec_t *args,
                                             wasm_val_vec_t *results);
/** A host function with an environment pointer, as wasm_func_callback_t. */
typedef wasm_trap_t *(*wasm_func_callback_with_env_t)(
    void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results);

/** A host function of type @p type (copied) in @p store, calling
 *  @p callback. Owned by the store. NULL on OOM or a bad argument. */
WASM_API_EXTERN wasm_func_t *wasm_func_new(wasm_store_t *store,
                                           const wasm_functype_t *type,
                                           wasm_func_callback_t callback);
/** As wasm_func_new, passing @p env to @p callback; @p finalizer (may be
 *  NULL) is called on @p env when the store is deleted (also when this
 *  function fails). */
WASM_API_EXTERN wasm_func_t *
wasm_func_new_with_env(wasm_store_t *store, const wasm_functype_t *type,
                       wasm_func_callback_with_env_t callback, void *env,
                       void (*finalizer)(void *));
/** The type of @p func (caller owns). */
WASM_API_EXTERN wasm_functype_t *wasm_func_type(const wasm_func_t *func);
/** The number of parameters of @p func. */
WASM_API_EXTERN size_t wasm_func_param_arity(const wasm_func_t *func);
/** The number of results of @p func. */
WASM_API_EXTERN size_t wasm_func_result_arity(const wasm_func_t *func);
/** Calls @p func with @p args (exactly its parameters, of its types) and
 *  writes its results into @p results (room for at least its result count,
 *  checked once the call succeeded: a trap is reported first). Returns
 *  NULL on success, else a trap (caller owns) saying what went wrong. */
WASM_API_EXTERN wasm_trap_t *wasm_func_call(const wasm_func_t *func,
                                            const wasm_val_vec_t *args,
                                            wasm_val_vec_t *results);

/* ---- Globals --------------------------------------------------------- */

/** A global of type @p type in @p store, initialised to @p val (of the
 *  content type). Owned by the store. NULL on a mismatch or OOM. */
WASM_API_EXTERN wasm_global_t *wasm_global_new(wasm_store_t *store,
                                               const wasm_globaltype_t *type,
                                               const wasm_val_t *val);
/** The type of @p global (caller owns). */
WASM_API_EXTERN wasm_globaltype_t *
wasm_global_type(const wasm_global_t *global);
/** Reads @p global into @p out (a reference in it is the caller's). */
WASM_API_EXTERN void wasm_global_get(const wasm_global_t *global,
                                     wasm_val_t *out);
/** Writes @p val to @p global; ignored if the global is immutable or @p val
 *  is of another type or store. */
WASM_API_EXTERN void wasm_global_set(wasm_global_t *global,
                                     const wasm_val_t *val);

/* ---- Tables ---------------------------------------------------------- */

/** A table size or index, in elements. */
typedef uint32_t wasm_table_size_t;

/** A table of type @p type in @p store, every element @p init (NULL: the
 *  null reference). Owned by the store. NULL on a mismatch or OOM. */
WASM_API_EXTERN wasm_table_t *wasm_table_new(wasm_store_t *store,
                                             const wasm_tabletype_t *type,
                                             wasm_ref_t *init);
/** The type of @p table, its current size as minimum (caller owns). */
WASM_API_EXTERN wasm_tabletype_t *wasm_table_type(const wasm_table_t *table);
/** Element @p index of @p table (caller owns), NULL if null or out of
 *  bounds. */
WASM_API_EXTERN wasm_ref_t *wasm_table_get(const wasm_table_t *table,
                                           wasm_table_size_t index);
/** Sets element @p index of @p table to @p ref; false if out of bounds or
 *  @p ref does not fit the table's element type or store. */
WASM_API_EXTERN bool wasm_table_set(wasm_table_t *table,
                                    wasm_table_size_t index, wasm_ref_t *ref);
/** The number of elements of @p table. */
WASM_API_EXTERN wasm_table_size_t wasm_table_size(const wasm_table_t *table);
/** Grows @p table by @p delta elements set to @p init; false if that
 *  exceeds its maximum or a limit, or @p init does not fit. */
WASM_API_EXTERN bool wasm_table_grow(wasm_table_t *table,
                                     wasm_table_size_t delta, wasm_ref_t *init);

/* ---- Memories -------------------------------------------------------- */

/** A memory size, in 64 KiB pages. */
typedef uint32_t wasm_memory_pages_t;

/** The size of a memory page in bytes. */
static const size_t MEMORY_PAGE_SIZE = 0x10000;

/** A memory of type @p type in @p store. Owned by the store. NULL on
 *  OOM or limits beyond the engine's. */
WASM_API_EXTERN wasm_memory_t *wasm_memory_new(wasm_store_t *store,
                                               const wasm_memorytype_t *type);
/** The type of @p memory, its current size as minimum (caller owns). */
WASM_API_EXTERN wasm_memorytype_t *
wasm_memory_type(const wasm_memory_t *memory);
/** The first byte of @p memory (wasm_memory_data_size bytes; may move when
 *  the memory grows). */
WASM_API_EXTERN byte_t *wasm_memory_data(wasm_memory_t *memory);
/** The size of @p memory in bytes. */
WASM_API_EXTERN size_t wasm_memory_data_size(const wasm_memory_t *memory);
/** The size of @p memory in pages. */
WASM_API_EXTERN wasm_memory_pages_t
wasm_memory_size(const wasm_memory_t *memory);
/** Grows @p memory by @p delta pages; false if that exceeds its maximum,
 *  the store's memory cap or the host's memory. */
WASM_API_EXTERN bool wasm_memory_grow(wasm_memory_t *memory,
                                      wasm_memory_pages_t delta);

/* ---- Externs --------------------------------------------------------- */

/** The kind of @p ext. */
WASM_API_EXTERN wasm_externkind_t wasm_extern_kind(const wasm_extern_t *ext);
/** The type of @p ext (caller owns). */
WASM_API_EXTERN wasm_externtype_t *wasm_extern_type(const wasm_extern_t *ext);

/** @p obj viewed as an extern (the same object). */
WASM_API_EXTERN wasm_extern_t *wasm_func_as_extern(wasm_func_t *obj);
/** @p obj viewed as an extern (the same object). */
WASM_API_EXTERN wasm_extern_t *wasm_global_as_extern(wasm_global_t *obj);
/** @p obj viewed as an extern (the same object). */
WASM_API_EXTERN wasm_extern_t *wasm_table_as_extern(wasm_table_t *obj);
/** @p obj viewed as an extern (the same object). */
WASM_API_EXTERN wasm_extern_t *wasm_memory_as_extern(wasm_memory_t *obj);
/** Extern @p ext as a func, or NULL if it is another kind. */
WASM_API_EXTERN wasm_func_t *wasm_extern_as_func(wasm_extern_t *ext);
/** Extern @p ext as a global, or NULL if it is another kind. */
WASM_API_EXTERN wasm_global_t *wasm_extern_as_global(wasm_extern_t *ext);
/** Extern @p ext as a table, or NULL if it is another kind. */
WASM_API_EXTERN wasm_table_t *wasm_extern_as_table(wasm_extern_t *ext);
/** Extern @p ext as a memory, or NULL if it is another kind. */
WASM_API_EXTERN wasm_memory_t *wasm_extern_as_memory(wasm_extern_t *ext);
/** Const form of wasm_func_as_extern. */
WASM_API_EXTERN const wasm_extern_t *
wasm_func_as_extern_const(const wasm_func_t *obj);
/** Const form of wasm_global_as_extern. */
WASM_API_EXTERN const wasm_extern_t *
wasm_global_as_extern_const(const wasm_global_t *obj);
/** Const form of wasm_table_as_extern. */
WASM_API_EXTERN const wasm_extern_t *
wasm_table_as_extern_const(const wasm_table_t *obj);
/** Const form of wasm_memory_as_extern. */
WASM_API_EXTERN const wasm_extern_t *
wasm_memory_as_extern_const(const wasm_memory_t *obj);
/** Const form of wasm_extern_as_func. */
WASM_API_EXTERN const wasm_func_t *
wasm_extern_as_func_const(const wasm_extern_t *ext);
/** Const form of wasm_extern_as_global. */
WASM_API_EXTERN const wasm_global_t *
wasm_extern_as_global_const(const wasm_extern_t *ext);
/** Const form of wasm_extern_as_table. */
WASM_API_EXTERN const wasm_table_t *
wasm_extern_as_table_const(const wasm_extern_t *ext);
/** Const form of wasm_extern_as_memory. */
WASM_API_EXTERN const wasm_memory_t *
wasm_extern_as_memory_const(const wasm_extern_t *ext);

/* ---- Instances ------------------------------------------------------- */

/** Instantiates @p module in @p store with @p imports (one extern of this
 *  store per import, in import order; NULL means none): allocates its
 *  objects, initialises segments and runs the start function. Owned by the
 *  store. On failure returns NULL and, if @p trap is not NULL, stores a
 *  trap (caller owns) saying why: a link error, a trap while initialising,
 *  or the start function's trap. */
WASM_API_EXTERN wasm_instance_t *
wasm_instance_new(wasm_store_t *store, const wasm_module_t *module,
                  const wasm_extern_vec_t *imports, wasm_trap_t **trap);
/** The exports of @p inst, in the module's export order, into @p out. */
WASM_API_EXTERN void wasm_instance_exports(const wasm_instance_t *inst,
                                           wasm_extern_vec_t *out);

/* ---- Convenience ----------------------------------------------------- */

/** Initializer of an empty vector. */
#define WASM_EMPTY_VEC                                                         \
  { 0, NULL }
/** Initializer of a vector viewing array @p array (not owned: do not
 *  delete it). */
#define WASM_ARRAY_VEC(array)                                                  \
  { sizeof(array) / sizeof(*(array)), array }

/** The i32 value type (caller owns). */
static inline wasm_valtype_t *wasm_valtype_new_i32(void) {
  return wasm_valtype_new(WASM_I32);
}
/** The i64 value type (caller owns). */
static inline wasm_valtype_t *wasm_valtype_new_i64(void) {
  return wasm_valtype_new(WASM_I64);
}
/** The f32 value type (caller owns). */
static inline wasm_valtype_t *wasm_valtype_new_f32(void) {
  return wasm_valtype_new(WASM_F32);
}
/** The f64 value type (caller owns). */
static inline wasm_valtype_t *wasm_valtype_new_f64(void) {
  return wasm_valtype_new(WASM_F64);
}
/** The externref value type (caller owns). */
static inline wasm_valtype_t *wasm_valtype_new_externref(void) {
  return wasm_valtype_new(WASM_EXTERNREF);
}
/** The funcref value type (caller owns). */
static inline wasm_valtype_t *wasm_valtype_new_funcref(void) {
  return wasm_valtype_new(WASM_FUNCREF);
}

/** A function type (caller owns) of @p np parameters @p ps and @p nr
 *  results @p rs, taking over the value types. Used by the
 *  wasm_functype_new_P_R short-hands. */
static inline wasm_functype_t *wasm_functype_new_n_n_(size_t np,
                                                      wasm_valtype_t **ps,
                                                      size_t nr,
                                                      wasm_valtype_t **rs) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, np, ps);
  wasm_valtype_vec_new(&results, nr, rs);
  return wasm_functype_new(&params, &results);
}

/** A function type (caller owns) of 0 parameter(s) and 0 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_0_0(void) {
  wasm_valtype_t *ps[] = {NULL};
  wasm_valtype_t *rs[] = {NULL};
  return wasm_functype_new_n_n_(0, ps, 0, rs);
}
/** A function type (caller owns) of 1 parameter(s) and 0 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_1_0(wasm_valtype_t *p) {
  wasm_valtype_t *ps[] = {p};
  wasm_valtype_t *rs[] = {NULL};
  return wasm_functype_new_n_n_(1, ps, 0, rs);
}
/** A function type (caller owns) of 2 parameter(s) and 0 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_2_0(wasm_valtype_t *p1,
                                                     wasm_valtype_t *p2) {
  wasm_valtype_t *ps[] = {p1, p2};
  wasm_valtype_t *rs[] = {NULL};
  return wasm_functype_new_n_n_(2, ps, 0, rs);
}
/** A function type (caller owns) of 3 parameter(s) and 0 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_3_0(wasm_valtype_t *p1,
                                                     wasm_valtype_t *p2,
                                                     wasm_valtype_t *p3) {
  wasm_valtype_t *ps[] = {p1, p2, p3};
  wasm_valtype_t *rs[] = {NULL};
  return wasm_functype_new_n_n_(3, ps, 0, rs);
}
/** A function type (caller owns) of 0 parameter(s) and 1 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_0_1(wasm_valtype_t *r) {
  wasm_valtype_t *ps[] = {NULL};
  wasm_valtype_t *rs[] = {r};
  return wasm_functype_new_n_n_(0, ps, 1, rs);
}
/** A function type (caller owns) of 1 parameter(s) and 1 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_1_1(wasm_valtype_t *p,
                                                     wasm_valtype_t *r) {
  wasm_valtype_t *ps[] = {p};
  wasm_valtype_t *rs[] = {r};
  return wasm_functype_new_n_n_(1, ps, 1, rs);
}
/** A function type (caller owns) of 2 parameter(s) and 1 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_2_1(wasm_valtype_t *p1,
                                                     wasm_valtype_t *p2,
                                                     wasm_valtype_t *r) {
  wasm_valtype_t *ps[] = {p1, p2};
  wasm_valtype_t *rs[] = {r};
  return wasm_functype_new_n_n_(2, ps, 1, rs);
}
/** A function type (caller owns) of 3 parameter(s) and 1 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_3_1(wasm_valtype_t *p1,
                                                     wasm_valtype_t *p2,
                                                     wasm_valtype_t *p3,
                                                     wasm_valtype_t *r) {
  wasm_valtype_t *ps[] = {p1, p2, p3};
  wasm_valtype_t *rs[] = {r};
  return wasm_functype_new_n_n_(3, ps, 1, rs);
}
/** A function type (caller owns) of 0 parameter(s) and 2 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_0_2(wasm_valtype_t *r1,
                                                     wasm_valtype_t *r2) {
  wasm_valtype_t *ps[] = {NULL};
  wasm_valtype_t *rs[] = {r1, r2};
  return wasm_functype_new_n_n_(0, ps, 2, rs);
}
/** A function type (caller owns) of 1 parameter(s) and 2 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_1_2(wasm_valtype_t *p,
                                                     wasm_valtype_t *r1,
                                                     wasm_valtype_t *r2) {
  wasm_valtype_t *ps[] = {p};
  wasm_valtype_t *rs[] = {r1, r2};
  return wasm_functype_new_n_n_(1, ps, 2, rs);
}
/** A function type (caller owns) of 2 parameter(s) and 2 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_2_2(wasm_valtype_t *p1,
                                                     wasm_valtype_t *p2,
                                                     wasm_valtype_t *r1,
                                                     wasm_valtype_t *r2) {
  wasm_valtype_t *ps[] = {p1, p2};
  wasm_valtype_t *rs[] = {r1, r2};
  return wasm_functype_new_n_n_(2, ps, 2, rs);
}
/** A function type (caller owns) of 3 parameter(s) and 2 result(s),
 *  taking over the value types. */
static inline wasm_functype_t *wasm_functype_new_3_2(wasm_valtype_t *p1,
                                                     wasm_valtype_t *p2,
                                                     wasm_valtype_t *p3,
                                                     wasm_valtype_t *r1,
                                                     wasm_valtype_t *r2) {
  wasm_valtype_t *ps[] = {p1, p2, p3};
  wasm_valtype_t *rs[] = {r1, r2};
  return wasm_functype_new_n_n_(3, ps, 2, rs);
}

/** Sets @p out to an integer value holding pointer @p p (i32 or i64,
 *  whichever is pointer-sized). */
static inline void wasm_val_init_ptr(wasm_val_t *out, void *p) {
#if UINTPTR_MAX == UINT32_MAX
  out->kind = WASM_I32;
  out->of.i32 = (int32_t)(intptr_t)p;
#else
  out->kind = WASM_I64;
  out->of.i64 = (int64_t)(intptr_t)p;
#endif
}

/** The pointer held by a value set with wasm_val_init_ptr. */
static inline void *wasm_val_ptr(const wasm_val_t *val) {
#if UINTPTR_MAX == UINT32_MAX
  return (void *)(intptr_t)val->of.i32;
#else
  return (void *)(intptr_t)val->of.i64;
#endif
}

/** Initializer of an i32 value. */
#define WASM_I32_VAL(i)                                                        \
  {                                                                            \
    .kind = WASM_I32, .of = {.i32 = i }                                        \
  }
/** Initializer of an i64 value. */
#define WASM_I64_VAL(i)                                                        \
  {                                                                            \
    .kind = WASM_I64, .of = {.i64 = i }                                        \
  }
/** Initializer of an f32 value. */
#define WASM_F32_VAL(z)                                                        \
  {                                                                            \
    .kind = WASM_F32, .of = {.f32 = z }                                        \
  }
/** Initializer of an f64 value. */
#define WASM_F64_VAL(z)                                                        \
  {                                                                            \
    .kind = WASM_F64, .of = {.f64 = z }                                        \
  }
/** Initializer of an externref value. */
#define WASM_REF_VAL(r)                                                        \
  {                                                                            \
    .kind = WASM_EXTERNREF, .of = {.ref = r }                                  \
  }
/** Initializer of a value to be written (a null externref). */
#define WASM_INIT_VAL                                                          \
  {                                                                            \
    .kind = WASM_EXTERNREF, .of = {.ref = NULL }                               \
  }

/** @} */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASM_H */
