/*
 * airssys/wasm.h - public C API of the airssys-wasm sandbox runtime.
 *
 * The pipeline is: bytes --aw_module_new--> validated, compiled module
 * (immutable, shareable between threads) --aw_linker_instantiate--> instance
 * inside a store (all mutable state: memories, tables, globals, fuel) -->
 * aw_func_call.  Every call that can fail takes an aw_error that receives a
 * kind, a trap kind and a human-readable message.
 */
#ifndef AIRSSYS_WASM_H
#define AIRSSYS_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @file wasm.h
 *  @brief Public API of airssys-wasm: engine, modules, stores, instances,
 *  host functions and calls. */

/** Library version string, e.g. "0.1.0". */
#define AW_VERSION "0.1.0"

/** Symbol visibility for the shared library. */
#if defined(__GNUC__)
#define AW_API __attribute__((visibility("default")))
#else
#define AW_API
#endif

/** A WebAssembly value type, encoded as in the binary format. */
typedef enum aw_valkind {
  AW_I32 = 0x7F,      /**< 32-bit integer */
  AW_I64 = 0x7E,      /**< 64-bit integer */
  AW_F32 = 0x7D,      /**< 32-bit IEEE float */
  AW_F64 = 0x7C,      /**< 64-bit IEEE float */
  AW_V128 = 0x7B,     /**< 128-bit SIMD vector */
  AW_FUNCREF = 0x70,  /**< reference to a function (or null) */
  AW_EXTERNREF = 0x6F /**< opaque host reference (or null) */
} aw_valkind;

/** A WebAssembly value tagged with its type. */
typedef struct aw_val {
  aw_valkind kind; /**< which member of @ref of is meaningful */
  /** The value itself. */
  union {
    int32_t i32;      /**< for AW_I32 */
    int64_t i64;      /**< for AW_I64 */
    float f32;        /**< for AW_F32 (bit pattern preserved, NaNs too) */
    double f64;       /**< for AW_F64 (bit pattern preserved, NaNs too) */
    uint8_t v128[16]; /**< for AW_V128, little-endian lanes */
    void *ref;        /**< for AW_FUNCREF (an aw_func*) and AW_EXTERNREF;
                           NULL is the null reference */
  } of;
} aw_val;

/** The kind of an error reported by the library. */
typedef enum aw_errkind {
  AW_OK = 0,             /**< no error */
  AW_ERR_MALFORMED,      /**< the binary cannot be decoded */
  AW_ERR_INVALID,        /**< the module decodes but fails validation */
  AW_ERR_UNSUPPORTED,    /**< a feature this engine does not implement */
  AW_ERR_LINK,           /**< an import is missing or does not match */
  AW_ERR_TRAP,           /**< execution trapped (see aw_error.trap) */
  AW_ERR_OUT_OF_FUEL,    /**< the fuel budget ran out */
  AW_ERR_TIMEOUT,        /**< the wall-clock deadline passed */
  AW_ERR_LIMIT_EXCEEDED, /**< a resource limit would be exceeded */
  AW_ERR_INVALID_CONFIG, /**< a configuration value is missing or wrong */
  AW_ERR_IO,             /**< a host I/O operation failed */
  AW_ERR_NOMEM,          /**< the host ran out of memory */
  AW_ERR_EXIT,           /**< the guest called proc_exit (see exit_code) */
  AW_ERR_ARGUMENT        /**< a caller passed a wrong argument */
} aw_errkind;

/** The kind of a trap (meaningful when aw_error.kind is AW_ERR_TRAP). */
typedef enum aw_trapkind {
  AW_TRAP_NONE = 0,                    /**< not a trap */
  AW_TRAP_UNREACHABLE,                 /**< `unreachable` executed */
  AW_TRAP_INT_DIV_BY_ZERO,             /**< integer divide by zero */
  AW_TRAP_INT_OVERFLOW,                /**< integer overflow */
  AW_TRAP_INVALID_CONVERSION,          /**< invalid conversion to integer */
  AW_TRAP_OUT_OF_BOUNDS_MEMORY,        /**< out of bounds memory access */
  AW_TRAP_OUT_OF_BOUNDS_TABLE,         /**< out of bounds table access */
  AW_TRAP_INDIRECT_CALL_TYPE_MISMATCH, /**< indirect call type mismatch */
  AW_TRAP_UNINITIALIZED_ELEMENT,       /**< uninitialized element */
  AW_TRAP_CALL_STACK_EXHAUSTED,        /**< call stack exhausted */
  AW_TRAP_NULL_REFERENCE,              /**< null reference dereferenced */
  AW_TRAP_HOST                         /**< a host function reported a trap */
} aw_trapkind;

/** Length of the message buffer inside aw_error. */
#define AW_ERROR_MESSAGE_MAX 256

/** A limited resource (see aw_error_figures.limit and airssys/limits.h). */
typedef enum aw_resource {
  AW_RESOURCE_NONE = 0,       /**< none / unknown */
  AW_RESOURCE_MEMORY,         /**< the memory budget, counted in bytes */
  AW_RESOURCE_TABLE_ELEMENTS, /**< a table, counted in elements */
  AW_RESOURCE_CALL_DEPTH,     /**< nested calls, counted in frames */
  AW_RESOURCE_VALUE_STACK,    /**< the value stack, counted in 8-byte slots */
  AW_RESOURCE_TABLES,   /**< live tables of one store, counted in tables */
  AW_RESOURCE_MEMORIES, /**< live memories of one store, in memories */
  /** compiling a module (aw_module_new), counted in compile units: see
   *  aw_engine_config.compile_units_per_byte */
  AW_RESOURCE_COMPILE
} aw_resource;

/** Figures of a resource error, meaningful only for the member named by
 *  aw_error.kind (filled by the aw_error_* functions of airssys/limits.h);
 *  for any other kind their content is unspecified. */
typedef union aw_error_figures {
  /** kind == AW_ERR_OUT_OF_FUEL. */
  struct {
    uint64_t max;         /**< fuel budget of the execution */
    uint64_t consumed;    /**< fuel units consumed */
    double usage_percent; /**< consumed / max * 100 (0.0 if max is 0) */
  } fuel;
  /** kind == AW_ERR_TIMEOUT. */
  struct {
    uint64_t timeout_ms;    /**< the deadline, ms after the start */
    uint64_t elapsed_ms;    /**< wall-clock time when it was noticed */
    uint64_t fuel_consumed; /**< fuel spent so far, if fuel_known */
    bool fuel_known;        /**< false when fuel was not being counted */
    bool interrupted;       /**< true when the host stopped it
                                 (aw_store_interrupt, aw_executor_cancel)
                                 rather than the deadline */
  } timeout;
  /** kind == AW_ERR_LIMIT_EXCEEDED. */
  struct {
    aw_resource resource; /**< which resource */
    uint64_t limit;       /**< its cap, in the resource's unit */
    uint64_t requested;   /**< the size asked for, same unit */
  } limit;
} aw_error_figures;

/** An error: a kind, details and a human-readable message. */
typedef struct aw_error {
  aw_errkind kind;          /**< AW_OK when there is no error */
  aw_trapkind trap;         /**< trap kind when kind == AW_ERR_TRAP */
  uint64_t offset;          /**< byte offset in the binary for decode and
                                 validation errors, UINT64_MAX when none */
  int32_t exit_code;        /**< the guest's status when kind == AW_ERR_EXIT */
  aw_error_figures figures; /**< figures of fuel, timeout and limit errors */
  char message[AW_ERROR_MESSAGE_MAX]; /**< NUL-terminated description */
} aw_error;

/** Resets @p err to AW_OK with an empty message. */
AW_API void aw_error_clear(aw_error *err);

/** Short stable name of an error kind, e.g. "out_of_fuel". */
AW_API const char *aw_errkind_name(aw_errkind kind);

/** Short stable snake_case name of a trap kind, e.g. "unreachable". */
AW_API const char *aw_trapkind_name(aw_trapkind kind);

/** The spec's message for a trap kind, e.g. "integer divide by zero". */
AW_API const char *aw_trapkind_message(aw_trapkind kind);

/* ------------------------------------------------------------------ */
/* Engine                                                               */
/* ------------------------------------------------------------------ */

/** An engine: configuration shared by modules and stores. Thread-safe. */
typedef struct aw_engine aw_engine;

/** Engine configuration, set before aw_engine_new. */
typedef struct aw_engine_config {
  bool consume_fuel; /**< compile fuel metering into code (default true) */
  bool simd;         /**< accept SIMD (v128) modules (default true) */
  /** Executor only (default false): besides the process-wide watchdog,
   *  arm a POSIX timer per execution that signals the executing thread
   *  (SIGRTMIN+5) at the deadline.  Tighter timeouts on a machine whose
   *  cores are all busy, at a cost the embedder must accept: a process-wide
   *  signal handler (installed only if none exists) and EINTR in host
   *  functions blocked when the deadline passes. */
  bool thread_timer;
  /** Compile budget of aw_module_new, in compile units per input byte
   *  (0: AW_DEFAULT_COMPILE_UNITS_PER_BYTE).  A module of n bytes may use
   *  compile_units_per_byte * n + compile_units_base units; one unit is
   *  one validated instruction, one value type checked or moved one by
   *  one, 16 value types copied at once, or one 4-byte cell of generated
   *  code.  Past it, aw_module_new fails with AW_ERR_LIMIT_EXCEEDED
   *  (resource AW_RESOURCE_COMPILE, figures: the budget and the units
   *  reached) before allocating more: compile time and memory stay
   *  proportional to the input (docs/hardening.md, "Compile cost"). */
  uint32_t compile_units_per_byte;
  /** The constant part of the compile budget (0:
   *  AW_DEFAULT_COMPILE_UNITS_BASE). */
  uint64_t compile_units_base;
} aw_engine_config;

/** Default compile units per input byte (aw_engine_config): ordinary
 *  code uses about 3 (docs/hardening.md, "Compile cost"). */
#define AW_DEFAULT_COMPILE_UNITS_PER_BYTE 32u
/** Default constant part of the compile budget, in compile units. */
#define AW_DEFAULT_COMPILE_UNITS_BASE (UINT64_C(1) << 22)

/** Fills @p cfg with the defaults. */
AW_API void aw_engine_config_default(aw_engine_config *cfg);

/** Creates an engine; @p cfg may be NULL for the defaults (copied).
 *  NULL on OOM.  Modules and stores borrow their engine: it must outlive
 *  them. */
AW_API aw_engine *aw_engine_new(const aw_engine_config *cfg);

/** Destroys an engine. All its modules and stores must be freed first. */
AW_API void aw_engine_free(aw_engine *engine);

/* ------------------------------------------------------------------ */
/* Modules                                                              */
/* ------------------------------------------------------------------ */

/** A decoded, validated and compiled module. Immutable once created, so
 *  any number of threads may instantiate it at once. */
typedef struct aw_module aw_module;

/** The kind of an import or export. */
typedef enum aw_externkind {
  AW_EXTERN_FUNC = 0,   /**< a function */
  AW_EXTERN_TABLE = 1,  /**< a table */
  AW_EXTERN_MEMORY = 2, /**< a linear memory */
  AW_EXTERN_GLOBAL = 3  /**< a global */
} aw_externkind;

/** Size limits of a table or memory (in elements or 64 KiB pages). */
typedef struct aw_limits {
  uint32_t min; /**< initial size */
  uint32_t max; /**< maximum size, meaningful if has_max */
  bool has_max; /**< whether a maximum is declared */
} aw_limits;

/** A function signature. The arrays belong to the module or store. */
typedef struct aw_functype {
  uint32_t nparams;          /**< number of parameters */
  uint32_t nresults;         /**< number of results */
  const aw_valkind *params;  /**< parameter types */
  const aw_valkind *results; /**< result types */
} aw_functype;

/** The type of an import or export. */
typedef struct aw_externtype {
  aw_externkind kind; /**< which member of the union is meaningful */
  /** Per-kind details. */
  union {
    aw_functype func; /**< function */
    struct {
      aw_valkind elem;
      aw_limits limits;
    } table;          /**< table */
    aw_limits memory; /**< memory (pages) */
    struct {
      aw_valkind type;
      bool mut;
    } global; /**< global */
  } of;
} aw_externtype;

/** Description of one import of a module. Strings are not NUL-safe:
 *  use the lengths (names may contain NUL bytes).  The strings and type
 *  arrays are borrowed from the module: valid while it lives. */
typedef struct aw_import_desc {
  const char *module; /**< module name (UTF-8, NUL-terminated copy) */
  size_t module_len;  /**< its length in bytes */
  const char *name;   /**< field name (UTF-8, NUL-terminated copy) */
  size_t name_len;    /**< its length in bytes */
  aw_externtype type; /**< what is imported */
} aw_import_desc;

/** Description of one export of a module (strings and type arrays
 *  borrowed from the module, valid while it lives). */
typedef struct aw_export_desc {
  const char *name;   /**< export name (UTF-8, NUL-terminated copy) */
  size_t name_len;    /**< its length in bytes */
  aw_externtype type; /**< what is exported */
  uint32_t index;     /**< index in its kind's index space */
} aw_export_desc;

/** Decodes, validates and compiles a module from @p bytes (read during
 *  the call only: the module keeps its own copy of what it needs).
 *  Returns NULL and fills @p err (AW_ERR_MALFORMED with the byte offset,
 *  AW_ERR_INVALID, AW_ERR_UNSUPPORTED or AW_ERR_NOMEM) on failure. */
AW_API aw_module *aw_module_new(aw_engine *engine, const uint8_t *bytes,
                                size_t len, aw_error *err);

/** Builds a module from the text format (a .wat module: "(module ...)"
 *  or bare fields; @p text read during the call only): encodes it (see
 * airssys/text.h), then decodes, validates and compiles it like aw_module_new.
 * Text errors are AW_ERR_MALFORMED with "input:LINE:COL: reason". */
AW_API aw_module *aw_module_new_wat(aw_engine *engine, const char *text,
                                    size_t len, aw_error *err);

/** Largest file aw_module_new_from_file reads, in bytes (1 GiB). */
#define AW_MODULE_FILE_MAX (UINT64_C(1) << 30)

/** aw_module_new on the contents of the file at @p path (a regular file of
 *  at most AW_MODULE_FILE_MAX bytes, read once; @p path is borrowed).
 *  Besides aw_module_new's errors: AW_ERR_IO naming the path and the
 *  reason (missing, unreadable, not a regular file, short read),
 *  AW_ERR_LIMIT_EXCEEDED for a larger file. */
AW_API aw_module *aw_module_new_from_file(aw_engine *engine, const char *path,
                                          aw_error *err);

/** Frees a module. Instances created from it must be gone first. */
AW_API void aw_module_free(aw_module *module);

/** Number of imports of @p module. */
AW_API uint32_t aw_module_import_count(const aw_module *module);

/** Describes import @p i (0-based) into @p out; false if out of range. */
AW_API bool aw_module_import(const aw_module *module, uint32_t i,
                             aw_import_desc *out);

/** Number of exports of @p module. */
AW_API uint32_t aw_module_export_count(const aw_module *module);

/** Describes export @p i (0-based) into @p out; false if out of range. */
AW_API bool aw_module_export(const aw_module *module, uint32_t i,
                             aw_export_desc *out);

/** Number of functions (imported and defined) of @p module. */
AW_API uint32_t aw_module_func_count(const aw_module *module);

/** Signature of function @p funcidx; false if out of range. */
AW_API bool aw_module_func_type(const aw_module *module, uint32_t funcidx,
                                aw_functype *out);

/** Number of imported functions (they come first in the index space). */
AW_API uint32_t aw_module_func_import_count(const aw_module *module);

/** Size of the index space of @p kind (functions, tables, memories or
 *  globals), imported entries included. */
AW_API uint32_t aw_module_extern_count(const aw_module *module,
                                       aw_externkind kind);

/** Type of entry @p index of the index space of @p kind (imported entries
 *  first, as the spec numbers them) into @p out; false if out of range. */
AW_API bool aw_module_extern_type(const aw_module *module, aw_externkind kind,
                                  uint32_t index, aw_externtype *out);

/** Index of the start function, or UINT32_MAX if there is none. */
AW_API uint32_t aw_module_start(const aw_module *module);

/* ------------------------------------------------------------------ */
/* Stores and runtime objects                                           */
/* ------------------------------------------------------------------ */

/** A store: owns instances and all mutable runtime objects. A store is
 *  used by one thread at a time. */
typedef struct aw_store aw_store;
/** A function instance (wasm or host), owned by a store. */
typedef struct aw_func aw_func;
/** A table instance, owned by a store. */
typedef struct aw_table aw_table;
/** A linear memory instance, owned by a store. */
typedef struct aw_memory aw_memory;
/** A global instance, owned by a store. */
typedef struct aw_global aw_global;
/** A module instance, owned by a store. */
typedef struct aw_instance aw_instance;

/** An external value: what an import receives or an export yields. */
typedef struct aw_extern {
  aw_externkind kind; /**< which member of the union is meaningful */
  /** The object. */
  union {
    aw_func *func;     /**< AW_EXTERN_FUNC */
    aw_table *table;   /**< AW_EXTERN_TABLE */
    aw_memory *memory; /**< AW_EXTERN_MEMORY */
    aw_global *global; /**< AW_EXTERN_GLOBAL */
  } of;
} aw_extern;

/** Creates an empty store (it borrows @p engine, which must outlive it).
 *  The store owns every object created in it (functions, memories,
 *  tables, globals, instances): aw_store_free frees them all. NULL on
 *  OOM. */
AW_API aw_store *aw_store_new(aw_engine *engine);

/** Frees a store and every object it owns. */
AW_API void aw_store_free(aw_store *store);

/** Sets the store's per-store limits: maximum call depth (frames) and
 *  value-stack size (in 8-byte slots). 0 keeps the current value. */
AW_API void aw_store_set_stack_limits(aw_store *store, uint32_t max_frames,
                                      uint32_t max_slots);

/** What a host function sees of its caller. */
typedef struct aw_caller aw_caller;

/** The calling instance's memory 0 (NULL if it has none). */
AW_API aw_memory *aw_caller_memory(aw_caller *caller);

/** The store the call runs in. */
AW_API aw_store *aw_caller_store(aw_caller *caller);

/** A host function. Reads @p args (typed as declared), writes @p results.
 *  Returns AW_OK, or an error kind (usually AW_ERR_TRAP or AW_ERR_EXIT)
 *  after filling @p err, which aborts the whole call chain.
 *
 *  Contract with the deadline (airssys/executor.h): a host function runs
 *  inside the execution's time budget and must not block for longer than
 *  the time left.  To wait (for an fd, or just to sleep) it uses
 *  aw_caller_wait_fd, or polls its fds together with
 *  aw_caller_interrupt_fd for at most aw_caller_remaining_ns; when the
 *  wait reports the deadline it should return AW_ERR_TIMEOUT at once.
 *  Whatever it returns, a host function that returns after the deadline
 *  passed (or after aw_store_interrupt) makes the call end with
 *  AW_ERR_TIMEOUT: its results are discarded. */
typedef aw_errkind (*aw_host_fn)(void *env, aw_caller *caller,
                                 const aw_val *args, aw_val *results,
                                 aw_error *err);

/** For a host function: fills @p err as a host trap (AW_ERR_TRAP, trap
 *  kind AW_TRAP_HOST) with the printf-style message @p fmt, and returns
 *  AW_ERR_TRAP, so that `return aw_host_trap(err, "bad fd %d", fd);` ends
 *  the call with exactly that message. (A host function that returns an
 *  error kind having written only err->message also keeps its message.) */
AW_API aw_errkind aw_host_trap(aw_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Bounds-checked access to guest memory: if bytes [@p offset, @p offset +
 *  @p len) lie inside @p mem's current size (no overflow whatever the
 *  values), sets *@p out to the first of them and returns true; else
 *  returns false and sets *@p out to NULL.  The pointer is valid until the
 *  memory grows or the guest runs again. */
AW_API bool aw_memory_span(aw_memory *mem, uint64_t offset, uint64_t len,
                           uint8_t **out);

/** Creates a host function of type @p type in @p store (@p type and its
 *  arrays are copied). @p env is borrowed, passed back to @p fn on every
 *  call; @p finalizer (may be NULL) is called on it when the store is
 *  freed (the store then owns it: the finalizer is how to free it). */
AW_API aw_func *aw_func_new(aw_store *store, const aw_functype *type,
                            aw_host_fn fn, void *env,
                            void (*finalizer)(void *env));

/** Signature of @p func (arrays stay valid while the func lives). */
AW_API aw_functype aw_func_type(const aw_func *func);

/** Calls @p func with @p args. Fills @p results (@p nresults must equal
 *  the function's result count). Returns AW_OK or the error kind, with
 *  details in @p err (trap kind; out of fuel and timeout: the same figures
 *  and message as aw_execute's).  @p args is read during the call only;
 *  @p err may be NULL and need not be initialised. */
AW_API aw_errkind aw_func_call(aw_store *store, aw_func *func,
                               const aw_val *args, size_t nargs,
                               aw_val *results, size_t nresults, aw_error *err);

/** Creates a memory of @p limits (pages). NULL and @p err on failure. */
AW_API aw_memory *aw_memory_new(aw_store *store, aw_limits limits,
                                aw_error *err);

/** Base address of the memory's bytes, borrowed from the memory: it
 *  moves after a grow (by the host or the guest). */
AW_API uint8_t *aw_memory_data(aw_memory *mem);

/** Current size in bytes. */
AW_API uint64_t aw_memory_size(const aw_memory *mem);

/** Grows by @p delta pages; returns the old size in pages or -1. */
AW_API int64_t aw_memory_grow(aw_memory *mem, uint32_t delta);

/** Limits the memory's size in bytes (0: no limit beyond the type's). */
AW_API void aw_memory_set_cap(aw_memory *mem, uint64_t max_bytes);

/** Creates a table of @p elem type and @p limits, every element @p init
 *  (NULL for null). NULL and @p err on failure. */
AW_API aw_table *aw_table_new(aw_store *store, aw_valkind elem,
                              aw_limits limits, void *init, aw_error *err);

/** Current number of elements. */
AW_API uint32_t aw_table_size(const aw_table *table);

/** Creates a global of @p val's type, mutable if @p mut. */
AW_API aw_global *aw_global_new(aw_store *store, aw_val val, bool mut,
                                aw_error *err);

/** Reads a global's value. */
AW_API aw_val aw_global_get(const aw_global *global);

/** Writes a mutable global; false if immutable or of another type. */
AW_API bool aw_global_set(aw_global *global, aw_val val);

/** Looks up export @p name (@p name_len bytes, no NUL needed; read during
 *  the call only) of @p inst into @p out; false if there is none.  The
 *  objects in @p out are borrowed from the instance's store. */
AW_API bool aw_instance_export(const aw_instance *inst, const char *name,
                               size_t name_len, aw_extern *out);

/** Module @p inst was created from. */
AW_API const aw_module *aw_instance_module(const aw_instance *inst);

/* ------------------------------------------------------------------ */
/* Linker                                                               */
/* ------------------------------------------------------------------ */

/** A linker: named definitions (module name, field name) -> extern, used
 *  to resolve a module's imports at instantiation. */
typedef struct aw_linker aw_linker;

/** Creates an empty linker for objects of @p store (borrowed: free the
 *  linker first). NULL on OOM. */
AW_API aw_linker *aw_linker_new(aw_store *store);

/** Frees a linker (not the objects it names). */
AW_API void aw_linker_free(aw_linker *linker);

/** Defines (@p module, @p name) as @p ext, replacing an earlier
 *  definition of the same name.  Both names are NUL-terminated and
 *  copied; @p ext is borrowed (the objects stay owned by their store).
 *  False on OOM or a NULL argument. */
AW_API bool aw_linker_define(aw_linker *linker, const char *module,
                             const char *name, aw_extern ext);

/** As aw_linker_define, with names given as pointer and byte length (as
 *  aw_instance_export takes them): they need no NUL and may contain any
 *  byte a WebAssembly name can, NUL included; copied.  A NULL name is
 *  allowed only with length 0.  False on OOM or a NULL linker. */
AW_API bool aw_linker_define_n(aw_linker *linker, const char *module,
                               size_t module_len, const char *name,
                               size_t name_len, aw_extern ext);

/** Defines every export of @p inst under module name @p module (the name
 *  is copied; the objects stay owned by their store). */
AW_API bool aw_linker_define_instance(aw_linker *linker, const char *module,
                                      const aw_instance *inst);

/** Instantiates @p module: resolves imports (AW_ERR_LINK naming the import
 *  on a missing or mismatched one), allocates memories, tables and
 *  globals, initialises segments (a trap there is AW_ERR_TRAP) and runs
 *  the start function. NULL and @p err on failure. */
AW_API aw_instance *aw_linker_instantiate(aw_linker *linker,
                                          const aw_module *module,
                                          aw_error *err);

/** Instantiates @p module with @p imports given in import order (the
 *  array is read during the call only; the objects are borrowed from
 *  their store, which must be @p store).  The instance borrows @p module:
 *  free the store (which frees its instances) before the module. */
AW_API aw_instance *aw_instantiate(aw_store *store, const aw_module *module,
                                   const aw_extern *imports, size_t nimports,
                                   aw_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_WASM_H */
