/*
 * exec_int.h - internals of src/exec shared between its files: the
 * thread-directed deadline timer that complements the watchdog.
 */
#ifndef AW_EXEC_INT_H
#define AW_EXEC_INT_H

#include "airssys/wasm.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A POSIX timer that, at a deadline, sends a signal to the thread that
   armed it; the handler (on that thread) ORs the watchdog's interrupt bit
   into the execution's flag and writes its eventfd.  Unlike the watchdog
   thread, it needs no CPU of its own to run: on a machine whose cores are
   all busy the watchdog may first wait for the scheduler, while the signal
   interrupts the guest on the CPU it already has (docs/limits.md has the
   interleaved measurement).
   The watchdog stays armed too, as the fallback (signal unavailable or
   blocked by the thread). */
typedef struct ex_timer {
  timer_t id;
  bool armed;
  /* The thread's state before the arm, restored by the disarm, so that an
     execution nested in a host call of another leaves the outer one's
     timer working. */
  _Atomic uint32_t *prev_flag;
  int prev_fd;
  uint32_t prev_gen;
} ex_timer;

/* Arms t for deadline_ns (wd_now_ns clock) on the calling thread.  False
   if the signal or the timer is unavailable (the watchdog alone then
   enforces the deadline). */
bool ex_timer_arm(ex_timer *t, uint64_t deadline_ns, _Atomic uint32_t *flag,
                  int fd);

/* Cancels t (no-op if it was not armed); after it, the handler never
   touches the flag or fd given to ex_timer_arm.  Same thread as the arm. */
void ex_timer_disarm(ex_timer *t);

/* What the pool shares with a running execution so that
   aw_executor_cancel can interrupt it: the execution's store while it
   runs (NULL before and after), whether a cancel was asked, and whether
   the execution has finished (a cancel then changes nothing).  lock
   guards all three and keeps the store alive while a cancel uses it. */
typedef struct ex_cancel {
  pthread_mutex_t lock;
  struct aw_store *store;
  bool cancelled;
  bool finished;
} ex_cancel;

struct aw_exec_request;
struct aw_exec_result;

/* aw_execute, cancellable through c (NULL: not cancellable). */
aw_errkind ex_execute(const struct aw_exec_request *req,
                      struct aw_exec_result *res, ex_cancel *c);

#endif /* AW_EXEC_INT_H */
