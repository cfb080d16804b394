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
 *  binary is reported as AW_ERR_MALFORMED or AW_ERR_INVALID).
 *
 *  Ownership: aw_execute borrows everything here for the duration of the
 *  call only (nothing is kept after it returns).  aw_executor_submit
 *  copies the request, @ref func and @ref args; it borrows @ref module or
 *  @ref engine and @ref wasm, and @ref link_ctx, until the job completed
 *  (aw_exec_poll true, or its aw_exec_handle_fd readable). */
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
  aw_memory_metrics memory; /**< the whole memory budget: limit
                                 (max_memory_bytes), current, peak (linear
                                 memories, tables, overhead, WASI state),
                                 failed grows */
  uint64_t timeout_ms;      /**< the deadline that applied */
  double elapsed_ms;        /**< wall-clock time of instantiation+call */

  aw_memory_breakdown memory_parts; /**< peak of each part of the budget */
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

/** Applies @p limits to @p store: max_memory_bytes becomes the store's
 *  memory budget, charged (before allocating) by every memory, table,
 *  global and instance created afterwards (by aw_memory_new,
 *  aw_table_new, aw_global_new or instantiation) and by WASI host state;
 *  each memory is also capped at it in whole pages and each table at
 *  max_table_elements, so that memory.grow / table.grow past the budget or
 *  a cap return -1 and count as failed grows (aw_store_memory_metrics);
 *  call depth and value stack are bounded; the fuel is set to
 *  max_fuel (see aw_store_set_fuel).  The timeout is not armed here (the
 *  executor does it; for a store of the host, aw_store_set_deadline).
 *  AW_ERR_INVALID_CONFIG if @p limits is not valid,
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

/** Sets the wall-clock deadline of @p store to @p timeout_ms from now
 *  (AW_NO_LIMIT: no deadline).  Every later instantiation and call in the
 *  store (aw_instantiate, aw_func_call, start functions, host functions
 *  waiting with aw_caller_wait_fd) stops when it passes and ends with
 *  AW_ERR_TIMEOUT, figures.timeout {timeout_ms, elapsed_ms} measured from
 *  this call; once passed, every call fails at once until the next
 *  aw_store_set_deadline.  Also clears an earlier aw_store_interrupt and
 *  drains the interrupt fd: this is how a store is made usable again.
 *  Call it from the thread that owns the store (possibly from a host
 *  function of that store, to extend a running call).  Uses the
 *  process-wide watchdog; the store disarms it when freed.  Returns AW_OK,
 *  AW_ERR_ARGUMENT (NULL store), AW_ERR_IO (no eventfd) or AW_ERR_NOMEM
 *  (cannot arm). */
AW_API aw_errkind aw_store_set_deadline(aw_store *store, uint64_t timeout_ms,
                                        aw_error *err);

/** As aw_store_set_deadline, with an absolute deadline @p deadline_ns on
 *  the aw_monotonic_ns() clock (AW_NO_LIMIT: none; a past instant is an
 *  immediate timeout). */
AW_API aw_errkind aw_store_set_deadline_at(aw_store *store,
                                           uint64_t deadline_ns, aw_error *err);

/** Current CLOCK_MONOTONIC time in nanoseconds (the clock of
 *  aw_store_set_deadline_at). */
AW_API uint64_t aw_monotonic_ns(void);

/** Interrupts @p store: thread-safe (one atomic OR and one write, so
 *  also usable from a signal handler), callable from any thread while
 *  another runs the store.  The running call (wasm code
 *  at its next loop header, function entry or bulk-operation chunk; a host
 *  function waiting with aw_caller_wait_fd at once) ends with
 *  AW_ERR_TIMEOUT and figures.timeout.interrupted = true, and so does every
 *  later call until aw_store_set_deadline.  The store must stay alive
 *  until this returns. */
AW_API void aw_store_interrupt(aw_store *store);

/** For host functions: the interrupt fd of the caller's store (see
 *  aw_store_interrupt_fd), readable once the deadline passed or the store
 *  was interrupted; poll it with your own fds.  -1 if none. */
AW_API int aw_caller_interrupt_fd(aw_caller *caller);

/** For host functions: nanoseconds left until the caller's deadline; 0
 *  when it passed or the store was interrupted; AW_NO_LIMIT when the
 *  store has no deadline. */
AW_API uint64_t aw_caller_remaining_ns(aw_caller *caller);

/** Outcome of aw_caller_wait_fd. */
typedef enum aw_wait_result {
  AW_WAIT_READY = 0,    /**< the fd is ready (see revents) */
  AW_WAIT_TIMEOUT = 1,  /**< the wait's own timeout passed */
  AW_WAIT_DEADLINE = 2, /**< the deadline passed or the store was
                             interrupted: return AW_ERR_TIMEOUT now */
  AW_WAIT_ERROR = -1    /**< poll failed (errno), or a bad argument */
} aw_wait_result;

/** For host functions: waits until @p fd has one of @p events (POLLIN,
 *  POLLOUT...; POLLERR/POLLHUP always count), @p timeout_ns passes (< 0:
 *  no own timeout) or the caller's deadline passes / its store is
 *  interrupted, whichever comes first; the deadline wins a tie.  @p fd < 0
 *  waits for no fd: an interruptible sleep of @p timeout_ns.  @p revents
 *  (may be NULL) receives the fd's revents (0 unless AW_WAIT_READY).
 *  Retries on EINTR. */
AW_API aw_wait_result aw_caller_wait_fd(aw_caller *caller, int fd, short events,
                                        int64_t timeout_ns, short *revents);

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

/** A file descriptor that becomes readable (POLLIN) once the execution
 *  of @p h has completed (run, failed or cancelled), for an event loop
 *  (poll, epoll, select); then call aw_exec_wait, which returns at once.
 *  An eventfd (Linux), created on the first call (the same fd on every
 *  call), non-blocking and close-on-exec.  It stays readable until read;
 *  reading it is allowed but not needed (a read consumes the signal:
 *  later polls block, aw_exec_poll still answers).  Owned by @p h: do not
 *  close it; aw_exec_wait closes it, so it is valid only until then
 *  (remove it from the event loop first).  Thread-safe.  -1 if @p h is
 *  NULL or no eventfd can be created (errno set). */
AW_API int aw_exec_handle_fd(aw_exec_handle *h);

/** Waits for completion, copies the result to @p res (may be NULL) and
 *  frees @p h (and closes its aw_exec_handle_fd). Returns the outcome. */
AW_API aw_errkind aw_exec_wait(aw_exec_handle *h, aw_exec_result *res);

/** Cancels the execution of @p h (thread-safe; @p h must not have been
 *  waited on yet).  A queued execution never runs: it completes at once
 *  with AW_ERR_TIMEOUT, figures.timeout.interrupted = true, elapsed 0 and
 *  the message "Component execution cancelled before it started".  A
 *  running one is interrupted as by aw_store_interrupt: AW_ERR_TIMEOUT
 *  with interrupted = true, the real elapsed time and the message
 *  "Component execution cancelled after N ms (fuel consumed: C)".  One
 *  that had completed keeps its outcome, and so does one that fails
 *  before anything runs (bad module or limits, link error).  Returns true
 *  if the execution had not finished (it now ends cancelled), false if
 *  it had or @p h is NULL.  Also valid after aw_executor_free (false:
 *  everything has completed then), not concurrently with it. */
AW_API bool aw_executor_cancel(aw_exec_handle *h);

/** Runs every execution still queued, stops the workers and frees the
 *  pool. Handles not yet waited on stay valid: their executions are
 *  complete, and aw_exec_wait must still be called to free them. */
AW_API void aw_executor_free(aw_executor *ex);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_EXECUTOR_H */
