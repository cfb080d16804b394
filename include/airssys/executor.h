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

/** What to run. */
typedef struct aw_exec_request {
  const aw_module *module;    /**< compiled module (shared, not modified) */
  aw_resource_limits limits;  /**< from aw_limits_builder_build */
  const char *func;           /**< export to call, e.g. "_start" */
  const aw_val *args;         /**< its arguments */
  uint32_t nargs;             /**< number of arguments */
  aw_link_fn link;            /**< defines imports; NULL for none */
  void *link_ctx;             /**< passed to @ref link */
} aw_exec_request;

/** Most results a function may return to the executor. */
#define AW_EXEC_MAX_RESULTS 16

/** The outcome of one execution, with its figures (also on failure). */
typedef struct aw_exec_result {
  aw_errkind outcome;  /**< AW_OK, or the error kind (see @ref error) */
  aw_error error;      /**< details and message when outcome != AW_OK;
                            AW_ERR_EXIT: the guest called proc_exit and
                            error.exit_code holds its status */
  int32_t exit_code;   /**< the guest's exit status (0 if it returned) */
  uint32_t nresults;   /**< number of results (success only) */
  aw_val results[AW_EXEC_MAX_RESULTS]; /**< the function's results */
  aw_fuel_metrics fuel;       /**< max and consumed fuel */
  bool fuel_metered;          /**< false if the engine consumes no fuel */
  aw_memory_metrics memory;   /**< memory 0: limit, current, peak, failed
                                   grows (zero if the module has none) */
  uint64_t timeout_ms;        /**< the deadline that applied */
  double elapsed_ms;          /**< wall-clock time of instantiation+call */
} aw_exec_result;

/** Runs @p req to completion on the calling thread and fills @p res.
 *  Returns res->outcome. Out of fuel is reported in preference to a
 *  timeout when both happened. */
AW_API aw_errkind aw_execute(const aw_exec_request *req, aw_exec_result *res);

/** The fd that becomes readable when @p store's execution is interrupted
 *  (timeout); -1 if the store has none. */
AW_API int aw_store_interrupt_fd(aw_store *store);

/** A pool of worker threads running executions asynchronously. */
typedef struct aw_executor aw_executor;

/** A submitted execution. */
typedef struct aw_exec_handle aw_exec_handle;

/** Creates a pool of @p nthreads workers (0: one per CPU). NULL on error. */
AW_API aw_executor *aw_executor_new(uint32_t nthreads);

/** Queues @p req (copied; the module and the args array must stay valid
 *  until the execution completes). NULL on OOM. */
AW_API aw_exec_handle *aw_executor_submit(aw_executor *ex,
                                          const aw_exec_request *req);

/** True once the execution has completed (never blocks). */
AW_API bool aw_exec_poll(aw_exec_handle *h);

/** Waits for completion, copies the result to @p res and frees @p h. */
AW_API aw_errkind aw_exec_wait(aw_exec_handle *h, aw_exec_result *res);

/** Waits for every queued execution, stops the workers, frees the pool.
 *  Handles not yet waited on must be waited on before this call. */
AW_API void aw_executor_free(aw_executor *ex);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_EXECUTOR_H */
