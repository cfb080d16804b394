/*
 * airssys/executor.h - running a component's function under resource
 * limits: the executor ties the engine, the limits and the watchdog
 * together and reports one distinct outcome with its figures.
 */
#ifndef AIRSSYS_EXECUTOR_H
#define AIRSSYS_EXECUTOR_H

#include "airssys/limits.h"
#include "airssys/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file executor.h
 *  @brief Executing a function of a module under resource limits, blocking
 *  or on a pool of worker threads.
 *
 *  Each execution gets a fresh store: memory capped at the limits' memory
 *  bytes, tables at their element cap, call depth and value stack bounded,
 *  fuel set to the limits' max fuel (when the engine consumes fuel) and a
 *  deadline armed on the process-wide watchdog.  Instantiation (segments,
 *  start function) and the call both run under the fuel budget and the
 *  deadline.  The result always carries the figures: fuel, elapsed time,
 *  memory; on success the function's results too. */

/** Defines the imports of an execution in @p linker (e.g. with
 *  aw_wasi_define). @p store is the execution's store; its interrupt fd
 *  (aw_store_interrupt_fd) is what blocking host calls must also wait on.
 *  Returns false and fills @p err to abort the execution. */
typedef bool (*aw_link_fn)(void *ctx, aw_linker *linker, aw_store *store,
                           aw_error *err);

/** What to run. Give either @ref module, or @ref engine with
 *  @ref wasm / @ref wasm_len (compiled for this execution only; a bad
 *  binary is reported as AW_ERR_MALFORMED or AW_ERR_INVALID). */
typedef struct aw_exec_request {
  const aw_module *module;   /**< compiled module (shared, not modified);
                                  NULL to compile @ref wasm */
  aw_engine *engine;         /**< engine compiling @ref wasm */
  const uint8_t *wasm;       /**< binary module when @ref module is NULL */
  size_t wasm_len;           /**< its length in bytes */
  aw_resource_limits limits; /**< from aw_limits_builder_build */
  const char *func;          /**< export to call, e.g. "_start" (NULL:
                                  AW_ERR_ARGUMENT) */
  const aw_val *args;        /**< its arguments */
  uint32_t nargs;            /**< number of arguments */
  aw_link_fn link;           /**< defines imports; NULL for none */
  void *link_ctx;            /**< passed to @ref link */
} aw_exec_request;

/** Most results a function may return to the executor. */
#define AW_EXEC_MAX_RESULTS 16

/** The outcome of one execution, with its figures (also on failure). */
typedef struct aw_exec_result {
  aw_errkind outcome; /**< AW_OK, or the error kind (see @ref error) */
  aw_error error;     /**< details and message when outcome != AW_OK;
                           AW_ERR_EXIT: the guest called proc_exit and
                           error.exit_code holds its status */
  int32_t exit_code;  /**< the guest's exit status (0 if it returned) */
  uint32_t nresults;  /**< number of results (success only) */
  aw_val results[AW_EXEC_MAX_RESULTS]; /**< the function's results */
  aw_fuel_metrics fuel;                /**< max and consumed fuel */
  bool fuel_metered;        /**< false if the engine consumes no fuel */
  aw_memory_metrics memory; /**< memory 0: limit, current, peak, failed
                                 grows (zero if the module has none) */
  uint64_t timeout_ms;      /**< the deadline that applied */
  double elapsed_ms;        /**< wall-clock time of instantiation+call */
  bool exited; /**< the guest called proc_exit (even proc_exit(0), whose
                    outcome is AW_OK) rather than returning */
} aw_exec_result;

/** Runs @p req to completion on the calling thread and fills @p res.
 *  Returns res->outcome, one of:
 *  - AW_OK: the function returned (results in res->results), or the
 *    guest called proc_exit(0);
 *  - AW_ERR_OUT_OF_FUEL: error.figures.fuel {max, consumed, usage},
 *    message "Component ran out of fuel: C/M fuel units consumed (P%)";
 *    reported in preference to a timeout when both happened;
 *  - AW_ERR_TIMEOUT: error.figures.timeout {timeout_ms, elapsed_ms, fuel
 *    consumed}, message "Component execution timeout: exceeded Tms limit
 *    (fuel consumed: C)";
 *  - AW_ERR_TRAP: error.trap says which (runaway recursion is
 *    AW_TRAP_CALL_STACK_EXHAUSTED);
 *  - AW_ERR_LIMIT_EXCEEDED: a memory or table of the module is larger
 *    than the limits allow at instantiation (error.figures.limit);
 *  - AW_ERR_MALFORMED / AW_ERR_INVALID: the binary of @ref
 *    aw_exec_request.wasm is bad;
 *  - AW_ERR_LINK: an import is missing, or there is no exported function
 *    named @ref aw_exec_request.func, or the arguments do not match it;
 *  - AW_ERR_INVALID_CONFIG: the limits are not valid;
 *  - AW_ERR_EXIT: proc_exit with a nonzero status (res->exit_code);
 *  - AW_ERR_NOMEM, AW_ERR_ARGUMENT, AW_ERR_IO: host failures.
 *  Fuel, elapsed time and memory figures are filled in every case. */
AW_API aw_errkind aw_execute(const aw_exec_request *req, aw_exec_result *res);

/* ------------------------------------------------------------------ */
/* Limits, fuel and interruption of a store                             */
/* ------------------------------------------------------------------ */

/** Applies @p limits to @p store: memories and tables created afterwards
 *  (by aw_memory_new, aw_table_new or instantiation) are capped at
 *  max_memory_bytes (whole pages) and max_table_elements, so that
 *  memory.grow / table.grow past the cap return -1 and count as failed
 *  grows; call depth and value stack are bounded; the fuel is set to
 *  max_fuel (see aw_store_set_fuel).  The timeout is not armed here (the
 *  executor does it).  AW_ERR_INVALID_CONFIG if @p limits is not valid,
 *  AW_ERR_NOMEM if the interpreter state cannot be allocated. */
AW_API aw_errkind aw_store_apply_limits(aw_store *store,
                                        const aw_resource_limits *limits,
                                        aw_error *err);

/** Sets the fuel of @p store to @p fuel units (values above INT64_MAX are
 *  clamped to it: no practical limit) and restarts the consumed count.
 *  Only code of engines with consume_fuel charges fuel.  False on OOM or
 *  a NULL store. */
AW_API bool aw_store_set_fuel(aw_store *store, uint64_t fuel);

/** Adds @p fuel units to what @p store has left (saturating at
 *  INT64_MAX); several additions accumulate.  On a store that never had
 *  fuel set (unmetered), the first addition sets it.  False on OOM or a
 *  NULL store. */
AW_API bool aw_store_add_fuel(aw_store *store, uint64_t fuel);

/** Fuel @p store has left; AW_NO_LIMIT when no fuel was ever given. */
AW_API uint64_t aw_store_fuel_remaining(const aw_store *store);

/** Fuel consumed by @p store since aw_store_set_fuel (or the first
 *  addition): everything given minus what is left; 0 when unmetered. */
AW_API uint64_t aw_store_fuel_consumed(const aw_store *store);

/** The eventfd that becomes readable when @p store's execution is
 *  interrupted by its deadline, created on first use; blocking host calls
 *  should wait on it too (aw_wasi_set_interrupt_fd).  -1 if it cannot be
 *  created or @p store is NULL.  The store owns and closes it. */
AW_API int aw_store_interrupt_fd(aw_store *store);

/** A pool of worker threads running executions asynchronously. */
typedef struct aw_executor aw_executor;

/** A submitted execution. */
typedef struct aw_exec_handle aw_exec_handle;

/** Creates a pool of @p nthreads workers (0: one per CPU). NULL on error. */
AW_API aw_executor *aw_executor_new(uint32_t nthreads);

/** Queues @p req. Copied: the request itself, the @ref
 *  aw_exec_request.func string and the @ref aw_exec_request.args array
 *  (the caller may reuse them once this returns). Borrowed until the
 *  execution completes: the module or engine and wasm bytes, and link_ctx.
 *  NULL on OOM. */
AW_API aw_exec_handle *aw_executor_submit(aw_executor *ex,
                                          const aw_exec_request *req);

/** True once the execution has completed (never blocks). */
AW_API bool aw_exec_poll(aw_exec_handle *h);

/** Waits for completion, copies the result to @p res (may be NULL) and
 *  frees @p h. Returns the outcome. */
AW_API aw_errkind aw_exec_wait(aw_exec_handle *h, aw_exec_result *res);

/** Runs every execution still queued, stops the workers and frees the
 *  pool. Handles not yet waited on stay valid: their executions are
 *  complete, and aw_exec_wait must still be called to free them. */
AW_API void aw_executor_free(aw_executor *ex);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_EXECUTOR_H */
