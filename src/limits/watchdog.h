/*
 * watchdog.h - the process-wide watchdog that enforces wall-clock
 * timeouts, and interruptible waits for blocking host calls.
 *
 * One thread serves the whole process (started on the first wd_arm with a
 * finite deadline).  It keeps a min-heap of absolute CLOCK_MONOTONIC
 * deadlines and sleeps until the nearest.  When a deadline passes it sets
 * WD_INTERRUPT_TIMEOUT in the target's atomic interrupt flag (the
 * interpreter checks it at loop back-edges and function entries) and
 * writes to the target's eventfd, so that a host call blocked in
 * wd_poll()/wd_wait_fd() on that fd wakes up at once.
 *
 * Usage by an executor (one per running execution):
 *
 *   uint64_t deadline = wd_deadline_after_ms(wd_now_ns(), timeout_ms);
 *   wd_handle h = wd_arm(deadline, &store->interrupt, store->wake_fd);
 *   if (!h) -> AW_ERR_NOMEM (cannot arm)
 *   ... run; the vm reports a timeout when the flag is set ...
 *   uint64_t fired_at;
 *   bool fired = wd_disarm(h, &fired_at);
 *   wd_eventfd_drain(store->wake_fd);  // before the store runs again
 *
 * Every successful wd_arm must be paired with one wd_disarm.  Once
 * wd_disarm has returned, the watchdog will never touch that target's flag
 * or fd again, so they may be freed/closed.  All functions are
 * thread-safe.
 */
#ifndef AW_LIMITS_WATCHDOG_H
#define AW_LIMITS_WATCHDOG_H

#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bit the watchdog ORs into a target's interrupt flag on expiry. */
#define WD_INTERRUPT_TIMEOUT 1u

/* A deadline that never comes (also what overflowing arithmetic gives). */
#define WD_NEVER UINT64_MAX

/* Identifies one armed deadline; 0 means "arming failed".  The handle of
   a WD_NEVER deadline is WD_HANDLE_NEVER (nothing is queued for it). */
typedef uint64_t wd_handle;
#define WD_HANDLE_NEVER UINT64_MAX

/* Current CLOCK_MONOTONIC time in nanoseconds. */
uint64_t wd_now_ns(void);

/* now + timeout_ms, saturating: WD_NEVER when timeout_ms is UINT64_MAX or
   the sum does not fit.  A timeout of 0 gives now, a deadline that has
   already passed. */
uint64_t wd_deadline_after_ms(uint64_t now_ns, uint64_t timeout_ms);

/* now + timeout_ns, saturating as above. */
uint64_t wd_deadline_after_ns(uint64_t now_ns, uint64_t timeout_ns);

/* Arms a deadline (absolute, wd_now_ns() clock) for a target: on expiry
   WD_INTERRUPT_TIMEOUT is ORed into *flag (if flag is not NULL) and an
   8-byte 1 is written to fd (if fd >= 0; an eventfd, or a non-blocking
   pipe).  At least one of flag and fd must be given.
   - A deadline <= wd_now_ns() fires at once, in the calling thread,
     before wd_arm returns (so timeout 0 is an immediate timeout).
   - WD_NEVER queues nothing, never fires and starts no thread; it returns
     WD_HANDLE_NEVER.
   Returns 0 on a bad argument, out of memory or if the watchdog thread
   cannot be started. */
wd_handle wd_arm(uint64_t deadline_ns, _Atomic uint32_t *flag, int fd);

/* Cancels a deadline.  Returns whether it had fired; if so and fired_at_ns
   is not NULL, stores when (wd_now_ns() clock), else stores 0 there.  A
   stale handle (already disarmed, or armed before wd_shutdown) and 0 are
   ignored (false). */
bool wd_disarm(wd_handle h, uint64_t *fired_at_ns);

/* Number of deadlines queued and not yet fired (for tests and metrics). */
size_t wd_pending(void);

/* Checks the watchdog's internal invariants (heap order, heap positions,
   slot states, free list); false if any is broken.  For tests. */
bool wd_check_invariants(void);

/* Stops the watchdog thread and frees its memory.  Deadlines still armed
   are dropped without firing (their handles become stale).  The watchdog
   starts again on the next wd_arm.  Usable as an atexit handler. */
void wd_shutdown(void);

/* A fresh non-blocking, close-on-exec eventfd for wd_arm's fd; -1 with
   errno on failure. */
int wd_eventfd_new(void);

/* Empties an eventfd (or non-blocking pipe) after a wake-up, so that the
   next execution of the store starts with a quiet fd. */
void wd_eventfd_drain(int fd);

/* Outcome of an interruptible wait. */
typedef enum wd_wait_result {
  WD_WAIT_ERROR = -1,     /* poll failed; errno says why */
  WD_WAIT_TIMEOUT = 0,    /* the wait's own timeout passed */
  WD_WAIT_READY = 1,      /* at least one fd is ready; see revents */
  WD_WAIT_INTERRUPTED = 2 /* interrupt_fd became readable (deadline) */
} wd_wait_result;

/* Waits until one of fds[0..n) is ready, timeout_ns passes (< 0: no
   timeout; 0: just check) or interrupt_fd (< 0: none) becomes readable.
   Retries on EINTR with the remaining time.  Interruption wins when it
   coincides with readiness; interrupt_fd is not drained, so every later
   wait of the same execution is interrupted too.  revents of fds are
   filled (zeroed unless WD_WAIT_READY).  n may be 0 (an interruptible
   sleep). */
wd_wait_result wd_poll(struct pollfd *fds, size_t n, int64_t timeout_ns,
                       int interrupt_fd);

/* wd_poll on one fd; *revents (if not NULL) receives its revents. */
wd_wait_result wd_wait_fd(int fd, short events, int64_t timeout_ns,
                          int interrupt_fd, short *revents);

#endif /* AW_LIMITS_WATCHDOG_H */
