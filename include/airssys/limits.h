/*
 * airssys/limits.h - public API of the resource-control layer: the limits
 * an execution runs under (memory, fuel, wall-clock timeout, table size,
 * call depth, value stack), fuel and memory metrics, and the messages of
 * the errors that report a limit being hit.
 *
 * Include it alongside airssys/wasm.h.  Everything here is plain data and
 * pure functions: no allocation, no global state, safe from any thread.
 */
#ifndef AIRSSYS_LIMITS_H
#define AIRSSYS_LIMITS_H

#include "airssys/wasm.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @file limits.h
 *  @brief Resource limits (built with aw_limits_builder), fuel and memory
 *  metrics, and the errors reported when a limit is hit. */

/* ------------------------------------------------------------------ */
/* Defaults and special values                                          */
/* ------------------------------------------------------------------ */

/** "No practical limit" for the 64-bit limits (fuel, timeout, memory). */
#define AW_NO_LIMIT UINT64_MAX

/** Default fuel budget of one execution, in fuel units. */
#define AW_DEFAULT_MAX_FUEL UINT64_C(1000000)

/** Default wall-clock timeout of one execution, in milliseconds. */
#define AW_DEFAULT_TIMEOUT_MS UINT64_C(100)

/** max_table_elements meaning "no extra limit": tables are then bounded
 *  only by the memory budget (8 bytes per element) and by the engine's
 *  limit of 10,000,000 elements per table. */
#define AW_NO_TABLE_LIMIT UINT32_MAX

/** Default extra cap on the number of elements of any one table: none
 *  (AW_NO_TABLE_LIMIT); the memory budget (max_memory_bytes) bounds table
 *  storage together with everything else. */
#define AW_DEFAULT_MAX_TABLE_ELEMENTS AW_NO_TABLE_LIMIT

/** Default maximum call depth (nested wasm frames) of one execution. */
#define AW_DEFAULT_MAX_CALL_DEPTH UINT32_C(10000)

/** Default size of the value stack of one store, in 8-byte slots
 *  (1 Mi slots = 8 MiB), shared by the locals and operands of every
 *  active frame. */
#define AW_DEFAULT_MAX_VALUE_STACK_SLOTS UINT32_C(1048576)

/** Size of a WebAssembly page in bytes. */
#define AW_WASM_PAGE_SIZE UINT64_C(65536)

/* ------------------------------------------------------------------ */
/* Resource limits and their builder                                    */
/* ------------------------------------------------------------------ */

/** The limits one execution runs under. Obtain a valid value from
 *  aw_limits_builder_build(); read it with the aw_resource_limits_*
 *  accessors. The fields are public so the value can live on the stack
 *  and be copied freely; treat them as read-only.
 *
 *  Special values:
 *  - @c max_fuel == 0: nothing that costs fuel may run (the first charged
 *    instruction reports AW_ERR_OUT_OF_FUEL); AW_NO_LIMIT: fuel is still
 *    counted but cannot run out in practice.
 *  - @c timeout_ms == 0: the execution times out immediately (the
 *    deadline has already passed when it starts); AW_NO_LIMIT: no
 *    deadline is armed at all.
 *  - @c max_memory_bytes: the execution's memory budget, one limit in
 *    bytes over everything the guest can make the host allocate: all
 *    linear memories together (whole pages), table storage (8 bytes per
 *    element), a fixed overhead per memory, table, global and instance,
 *    and the WASI state the guest grows (fd table, directory streams).
 *    Each memory is also capped at it in whole pages
 *    (aw_resource_limits_max_memory_pages()).  0 allows nothing but empty
 *    objects of no cost; AW_NO_LIMIT leaves only the module's own limits.
 *  - @c max_table_elements: an optional extra cap on each table's
 *    elements; AW_NO_TABLE_LIMIT (the default) = none; 0 allows only
 *    empty tables.
 *  - @c fuel_default: see below; a fuel limit only applies to an engine
 *    that meters fuel (aw_engine_config.consume_fuel). */
typedef struct aw_resource_limits {
  uint64_t max_memory_bytes;      /**< memory budget, bytes */
  uint64_t max_fuel;              /**< fuel budget per execution */
  uint64_t timeout_ms;            /**< wall-clock budget per execution */
  uint32_t max_table_elements;    /**< extra cap on each table, elements */
  uint32_t max_call_depth;        /**< nested wasm frames, >= 1 */
  uint32_t max_value_stack_slots; /**< value-stack size in 8-byte slots */
  /** True when max_fuel is the builder's default (no fuel was given):
   *  on an engine without fuel metering it then does not apply and is
   *  ignored.  False (as in a zero-initialised value) when max_fuel was
   *  chosen: aw_execute and aw_store_apply_limits refuse it with
   *  AW_ERR_INVALID_CONFIG (naming max_fuel) on an unmetered engine,
   *  unless it is AW_NO_LIMIT. */
  bool fuel_default;
} aw_resource_limits;

/** Builds an aw_resource_limits. A zero-initialised builder is a valid
 *  empty builder (as is one reset by aw_limits_builder_init()); setters
 *  record which fields were given, and aw_limits_builder_build() fills the
 *  others with their defaults. The memory limit is mandatory. */
typedef struct aw_limits_builder {
  aw_resource_limits limits; /**< values given so far */
  uint32_t set;              /**< bit mask of the fields given (private) */
} aw_limits_builder;

/** Resets @p b to an empty builder (no field given). */
AW_API void aw_limits_builder_init(aw_limits_builder *b);

/** An empty builder, by value: `aw_limits_builder b =
 *  aw_limits_builder_new();`. */
AW_API aw_limits_builder aw_limits_builder_new(void);

/** Sets the memory budget in bytes (mandatory): linear memories, tables,
 *  object overhead and WASI host state together (see
 *  aw_resource_limits). */
AW_API void aw_limits_builder_max_memory_bytes(aw_limits_builder *b,
                                               uint64_t bytes);

/** Sets the fuel budget per execution (default AW_DEFAULT_MAX_FUEL;
 *  0 = nothing that costs fuel may run; AW_NO_LIMIT = unlimited).  Given
 *  explicitly, a budget other than AW_NO_LIMIT is an invalid
 *  configuration on an engine that does not meter fuel (see
 *  aw_resource_limits.fuel_default). */
AW_API void aw_limits_builder_max_fuel(aw_limits_builder *b, uint64_t fuel);

/** Sets the wall-clock timeout per execution in milliseconds (default
 *  AW_DEFAULT_TIMEOUT_MS; 0 = immediate timeout; AW_NO_LIMIT = none). */
AW_API void aw_limits_builder_timeout_ms(aw_limits_builder *b,
                                         uint64_t timeout_ms);

/** Sets an extra cap on each table's element count, on top of the memory
 *  budget (default AW_NO_TABLE_LIMIT: none; 0 allows only empty
 *  tables). */
AW_API void aw_limits_builder_max_table_elements(aw_limits_builder *b,
                                                 uint32_t elements);

/** Sets the maximum call depth (default AW_DEFAULT_MAX_CALL_DEPTH; must be
 *  at least 1, else building fails). */
AW_API void aw_limits_builder_max_call_depth(aw_limits_builder *b,
                                             uint32_t depth);

/** Sets the value-stack size in 8-byte slots (default
 *  AW_DEFAULT_MAX_VALUE_STACK_SLOTS; must be at least 1, else building
 *  fails). */
AW_API void aw_limits_builder_max_value_stack_slots(aw_limits_builder *b,
                                                    uint32_t slots);

/** Checks the builder and writes the limits to @p out, defaults filled in.
 *  Returns AW_OK, or AW_ERR_INVALID_CONFIG with @p err's message naming the
 *  offending field (e.g. "max_memory_bytes" when the memory limit was never
 *  set, "max_call_depth" when it is 0), or AW_ERR_ARGUMENT if @p b or
 *  @p out is NULL. @p out is left untouched on failure; @p err may be
 *  NULL. */
AW_API aw_errkind aw_limits_builder_build(const aw_limits_builder *b,
                                          aw_resource_limits *out,
                                          aw_error *err);

/** The memory budget, in bytes. */
AW_API uint64_t
aw_resource_limits_max_memory_bytes(const aw_resource_limits *l);

/** The memory cap in whole 64 KiB pages, at most 65536 (the most a 32-bit
 *  memory can have). */
AW_API uint32_t
aw_resource_limits_max_memory_pages(const aw_resource_limits *l);

/** The fuel budget per execution. */
AW_API uint64_t aw_resource_limits_max_fuel(const aw_resource_limits *l);

/** The timeout per execution, in milliseconds. */
AW_API uint64_t aw_resource_limits_timeout_ms(const aw_resource_limits *l);

/** The extra cap on each table's element count (AW_NO_TABLE_LIMIT:
 *  none). */
AW_API uint32_t
aw_resource_limits_max_table_elements(const aw_resource_limits *l);

/** The maximum call depth. */
AW_API uint32_t aw_resource_limits_max_call_depth(const aw_resource_limits *l);

/** The value-stack size in 8-byte slots. */
AW_API uint32_t
aw_resource_limits_max_value_stack_slots(const aw_resource_limits *l);

/* ------------------------------------------------------------------ */
/* Fuel                                                                 */
/* ------------------------------------------------------------------ */

/** Fuel configuration of an execution. */
typedef struct aw_fuel_config {
  uint64_t max_fuel; /**< budget in fuel units (see aw_resource_limits) */
} aw_fuel_config;

/** The default fuel configuration: AW_DEFAULT_MAX_FUEL units. */
AW_API aw_fuel_config aw_fuel_config_default(void);

/** The fuel configuration of @p l (its max_fuel). */
AW_API aw_fuel_config aw_fuel_config_from_limits(const aw_resource_limits *l);

/** Fuel figures of an execution. @c consumed may exceed @c max (e.g. in
 *  metrics built by hand): remaining is then 0 and usage above 100%. */
typedef struct aw_fuel_metrics {
  uint64_t max;      /**< budget, fuel units */
  uint64_t consumed; /**< units spent */
} aw_fuel_metrics;

/** Fuel left: max - consumed, or 0 when consumed >= max. */
AW_API uint64_t aw_fuel_metrics_remaining(aw_fuel_metrics m);

/** consumed / max in percent (100.0 = budget spent); 0.0 when max is 0. */
AW_API double aw_fuel_metrics_usage_percent(aw_fuel_metrics m);

/** Whether the budget is spent: consumed >= max (so a budget of 0 is
 *  always exhausted). */
AW_API bool aw_fuel_metrics_is_exhausted(aw_fuel_metrics m);

/** Whether usage is strictly above @p percent (75% usage does not exceed
 *  75.0). False for a NaN @p percent. */
AW_API bool aw_fuel_metrics_exceeds_threshold(aw_fuel_metrics m,
                                              double percent);

/* ------------------------------------------------------------------ */
/* Memory                                                               */
/* ------------------------------------------------------------------ */

/** Memory figures, in bytes: of a store's whole memory budget
 *  (aw_store_memory_metrics(), and aw_exec_result.memory), or of one
 *  linear memory (aw_memory_get_metrics()). */
typedef struct aw_memory_metrics {
  uint64_t limit;        /**< the budget (or the most the memory may grow to) */
  uint64_t current;      /**< bytes in use now */
  uint64_t peak;         /**< largest use reached */
  uint32_t failed_grows; /**< memory.grow (and, for a store, table.grow)
                              requests refused */
} aw_memory_metrics;

/** What a store's memory budget was spent on: the largest use reached by
 *  each part alone, in bytes (their sum may exceed the budget's peak,
 *  reached at different times). */
typedef struct aw_memory_breakdown {
  uint64_t peak_linear; /**< linear memories (whole pages) */
  uint64_t peak_tables; /**< table elements (8 bytes each) */
  uint64_t peak_host;   /**< overhead of memories, tables, globals and
                             instances, and WASI host state */
} aw_memory_breakdown;

/** current / limit in percent; 0.0 when limit is 0. */
AW_API double aw_memory_metrics_usage_percent(aw_memory_metrics m);

/** peak / limit in percent; 0.0 when limit is 0. */
AW_API double aw_memory_metrics_peak_percent(aw_memory_metrics m);

/** Whether current usage is strictly above @p percent. False for NaN. */
AW_API bool aw_memory_metrics_exceeds_threshold(aw_memory_metrics m,
                                                double percent);

/** The figures of @p mem: limit is the smallest of the host cap
 *  (aw_memory_set_cap), the declared maximum and 4 GiB (65536 pages).
 *  All zero if @p mem is NULL. */
AW_API aw_memory_metrics aw_memory_get_metrics(const aw_memory *mem);

/** The figures of the memory budget of @p store (set by
 *  aw_store_apply_limits()): limit is the budget (AW_NO_LIMIT when none),
 *  current and peak count everything charged to it (linear memories,
 *  tables, object overhead, WASI host state), failed_grows every refused
 *  memory.grow and table.grow.  All zero if @p store is NULL. */
AW_API aw_memory_metrics aw_store_memory_metrics(const aw_store *store);

/** The parts of the memory budget of @p store (all zero if NULL). */
AW_API aw_memory_breakdown aw_store_memory_breakdown(const aw_store *store);

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

/** The word a resource is called by in messages: "memory", "table",
 *  "call depth", "value stack", "table count", "memory count"
 *  ("unknown" otherwise). */
AW_API const char *aw_resource_name(aw_resource r);

/** The unit a resource is counted in: "bytes", "elements", "frames",
 *  "slots", "tables", "memories" ("units" otherwise). */
AW_API const char *aw_resource_unit(aw_resource r);

/** Fills @p err (if not NULL) with AW_ERR_OUT_OF_FUEL, figures.fuel and the
 *  message "Component ran out of fuel: C/M fuel units consumed (P%)" with P
 *  to one decimal, e.g. "Component ran out of fuel: 1000000/1000000 fuel
 *  units consumed (100.0%)". Returns AW_ERR_OUT_OF_FUEL. */
AW_API aw_errkind aw_error_out_of_fuel(aw_error *err, uint64_t max,
                                       uint64_t consumed);

/** Fills @p err (if not NULL) with AW_ERR_TIMEOUT, figures.timeout and the
 *  message "Component execution timeout: exceeded Tms limit (fuel
 *  consumed: C)", or "(fuel consumed: unknown)" when @p fuel_known is
 *  false. @p elapsed_ms is recorded as a figure only. Returns
 *  AW_ERR_TIMEOUT. */
AW_API aw_errkind aw_error_timeout(aw_error *err, uint64_t timeout_ms,
                                   uint64_t elapsed_ms, bool fuel_known,
                                   uint64_t fuel_consumed);

/** Fills @p err (if not NULL) with AW_ERR_LIMIT_EXCEEDED, figures.limit and
 *  the message "Resource limit exceeded: NAME limit L UNIT, requested R
 *  UNIT", e.g. "Resource limit exceeded: memory limit 1048576 bytes,
 *  requested 2097152 bytes" (NAME and UNIT from aw_resource_name() and
 *  aw_resource_unit()). Returns AW_ERR_LIMIT_EXCEEDED. */
AW_API aw_errkind aw_error_limit_exceeded(aw_error *err, aw_resource resource,
                                          uint64_t limit, uint64_t requested);

/** Fills @p err (if not NULL) with AW_ERR_INVALID_CONFIG and the message
 *  "Invalid configuration: FIELD REASON", e.g. "Invalid configuration:
 *  max_memory_bytes is required but was not set". Returns
 *  AW_ERR_INVALID_CONFIG. */
AW_API aw_errkind aw_error_invalid_config(aw_error *err, const char *field,
                                          const char *reason);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_LIMITS_H */
