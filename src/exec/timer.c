/*
 * timer.c - the thread-directed deadline timer of an execution (see
 * exec_int.h): one POSIX timer per armed execution, delivering a real-time
 * signal to the executing thread, whose handler sets the interrupt flag.
 *
 * The handler only touches thread-local state of the thread it runs on
 * (the timer targets that thread with SIGEV_THREAD_ID), so nothing can be
 * freed under it.  A generation number carried by the signal filters out
 * a late signal of an earlier execution of the same thread.  The handler
 * is installed once, and only if the application has no handler of its
 * own on that signal.
 */
#include "exec/exec_int.h"
#include "limits/watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* SIGRTMIN + 5: clear of the few real-time signals glibc and common
   libraries use at the bottom of the range. */
#define EX_SIGNO (SIGRTMIN + 5)

#define EX_TLS __thread __attribute__((tls_model("initial-exec")))

static EX_TLS _Atomic uint32_t *ex_flag;
static EX_TLS int ex_fd = -1;
static EX_TLS uint32_t ex_gen;

static pthread_once_t ex_once = PTHREAD_ONCE_INIT;
static bool ex_installed;

static void ex_handler(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  atomic_signal_fence(memory_order_acquire);
  if (!si || !ex_flag || (uint32_t)si->si_value.sival_int != ex_gen) return;
  int saved = errno;
  atomic_fetch_or(ex_flag, WD_INTERRUPT_TIMEOUT);
  if (ex_fd >= 0) {
    uint64_t one = 1;
    ssize_t r = write(ex_fd, &one, sizeof one);
    (void)r; /* a full eventfd is readable anyway */
  }
  errno = saved;
}

static void ex_install(void) {
  struct sigaction old;
  if (sigaction(EX_SIGNO, NULL, &old) != 0) return;
  if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler != SIG_DFL) return;
  if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = ex_handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  ex_installed = sigaction(EX_SIGNO, &sa, NULL) == 0;
}

bool ex_timer_arm(ex_timer *t, uint64_t deadline_ns, _Atomic uint32_t *flag,
                  int fd) {
  t->armed = false;
  if (deadline_ns == WD_NEVER || !flag) return false;
  pthread_once(&ex_once, ex_install);
  if (!ex_installed) return false;
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = EX_SIGNO;
#ifdef sigev_notify_thread_id
  sev.sigev_notify_thread_id = gettid();
#else /* glibc before 2.41 names only the union member */
  sev._sigev_un._tid = gettid();
#endif
  ex_gen++;
  sev.sigev_value.sival_int = (int)ex_gen;
  /* Thread-local state first: the signal may come as soon as armed. */
  ex_flag = flag;
  ex_fd = fd;
  atomic_signal_fence(memory_order_release);
  if (timer_create(CLOCK_MONOTONIC, &sev, &t->id) != 0) {
    ex_flag = NULL;
    ex_fd = -1;
    return false;
  }
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  its.it_value.tv_sec = (time_t)(deadline_ns / 1000000000u);
  its.it_value.tv_nsec = (long)(deadline_ns % 1000000000u);
  if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
    its.it_value.tv_nsec = 1; /* 0 would disarm */
  if (timer_settime(t->id, TIMER_ABSTIME, &its, NULL) != 0) {
    timer_delete(t->id);
    ex_flag = NULL;
    ex_fd = -1;
    return false;
  }
  t->armed = true;
  return true;
}

void ex_timer_disarm(ex_timer *t) {
  if (!t->armed) return;
  timer_delete(t->id);
  t->armed = false;
  ex_flag = NULL;
  ex_fd = -1;
  atomic_signal_fence(memory_order_release);
}
