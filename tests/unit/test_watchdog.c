/*
 * test_watchdog.c - unit tests of the process-wide watchdog (deadline
 * arithmetic, arming, disarming, firing order, shutdown) and of the
 * interruptible waits used by blocking host calls.
 *
 * Timing is asserted loosely: a deadline must fire, never before its
 * time, and within a generous bound (the machine is shared and loaded).
 */
#include "limits/watchdog.h"
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS UINT64_C(1000000)
/* The most a deadline may be late before a test calls it a failure. */
#define LATE_BOUND (3000 * MS)

static void sleep_ns(uint64_t ns) {
  struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static bool fd_readable(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

TEST(watchdog_deadline_arithmetic) {
  uint64_t now = wd_now_ns();
  CHECK(now > 0);
  CHECK(wd_now_ns() >= now); /* monotonic */
  CHECK(wd_deadline_after_ms(now, 0) == now);
  CHECK(wd_deadline_after_ms(now, 100) == now + 100 * MS);
  CHECK(wd_deadline_after_ms(now, UINT64_MAX) == WD_NEVER);
  CHECK(wd_deadline_after_ms(now, UINT64_MAX / 1000000) == WD_NEVER);
  CHECK(wd_deadline_after_ms(UINT64_MAX - 5, 1) == WD_NEVER);
  CHECK(wd_deadline_after_ms(0, UINT64_MAX / MS) == (UINT64_MAX / MS) * MS);
  CHECK(wd_deadline_after_ns(now, UINT64_MAX) == WD_NEVER);
  CHECK(wd_deadline_after_ns(UINT64_MAX - 10, 9) == UINT64_MAX - 1);
  CHECK(wd_deadline_after_ns(UINT64_MAX - 10, 10) == WD_NEVER);
  CHECK(wd_deadline_after_ns(5, 7) == 12);
}

TEST(watchdog_bad_arguments) {
  CHECK(wd_arm(wd_now_ns() + MS, NULL, -1) == 0);
  CHECK(!wd_disarm(0, NULL));
  uint64_t at = 123;
  CHECK(!wd_disarm(0x123456789ull, &at)); /* never issued */
  CHECK(at == 0);
  wd_shutdown();
}

TEST(watchdog_timeout_zero_fires_at_once) {
  _Atomic uint32_t flag = 0;
  int efd = wd_eventfd_new();
  CHECK(efd >= 0);
  uint64_t now = wd_now_ns();
  uint64_t deadline = wd_deadline_after_ms(now, 0);
  wd_handle h = wd_arm(deadline, &flag, efd);
  CHECK(h != 0 && h != WD_HANDLE_NEVER);
  /* Fired before wd_arm returned. */
  CHECK(atomic_load(&flag) & WD_INTERRUPT_TIMEOUT);
  CHECK(fd_readable(efd));
  CHECK_EQ_INT(wd_pending(), 0);
  uint64_t at = 0;
  CHECK(wd_disarm(h, &at));
  CHECK(at >= deadline);
  CHECK(!wd_disarm(h, &at)); /* stale now */
  wd_eventfd_drain(efd);
  CHECK(!fd_readable(efd));
  /* A deadline long past fires at once too. */
  flag = 0;
  h = wd_arm(1, &flag, -1);
  CHECK(h != 0);
  CHECK(atomic_load(&flag) == WD_INTERRUPT_TIMEOUT);
  CHECK(wd_disarm(h, NULL));
  close(efd);
  wd_shutdown();
}

TEST(watchdog_never_deadline) {
  _Atomic uint32_t flag = 0;
  uint64_t deadline = wd_deadline_after_ms(wd_now_ns(), UINT64_MAX);
  CHECK(deadline == WD_NEVER);
  wd_handle h = wd_arm(deadline, &flag, -1);
  CHECK(h == WD_HANDLE_NEVER);
  CHECK_EQ_INT(wd_pending(), 0);
  sleep_ns(5 * MS);
  CHECK(atomic_load(&flag) == 0);
  uint64_t at = 7;
  CHECK(!wd_disarm(h, &at));
  CHECK(at == 0);
  /* A deadline far in the future (no overflow in the thread's sleep). */
  h = wd_arm(UINT64_MAX - 1, &flag, -1);
  CHECK(h != 0 && h != WD_HANDLE_NEVER);
  CHECK_EQ_INT(wd_pending(), 1);
  sleep_ns(5 * MS);
  CHECK(atomic_load(&flag) == 0);
  CHECK(!wd_disarm(h, NULL));
  CHECK_EQ_INT(wd_pending(), 0);
  wd_shutdown();
}

TEST(watchdog_fires_flag_and_eventfd) {
  _Atomic uint32_t flag = 0;
  int efd = wd_eventfd_new();
  CHECK(efd >= 0);
  uint64_t deadline = wd_deadline_after_ms(wd_now_ns(), 20);
  wd_handle h = wd_arm(deadline, &flag, efd);
  CHECK(h != 0);
  CHECK_EQ_INT(wd_pending(), 1);
  /* Wait on the eventfd as a host call would. */
  struct pollfd p = {.fd = efd, .events = POLLIN};
  CHECK(poll(&p, 1, 10000) == 1);
  uint64_t woke = wd_now_ns();
  CHECK(woke >= deadline);
  CHECK(woke - deadline < LATE_BOUND);
  CHECK(atomic_load(&flag) == WD_INTERRUPT_TIMEOUT);
  uint64_t v = 0;
  CHECK(read(efd, &v, sizeof v) == (ssize_t)sizeof v);
  CHECK(v == 1);
  uint64_t at = 0;
  CHECK(wd_disarm(h, &at));
  CHECK(at >= deadline && at <= woke);
  CHECK_EQ_INT(wd_pending(), 0);
  /* The flag bit is ORed in, other bits are kept. */
  flag = 0x100;
  h = wd_arm(wd_now_ns(), &flag, -1);
  CHECK(atomic_load(&flag) == (0x100 | WD_INTERRUPT_TIMEOUT));
  CHECK(wd_disarm(h, NULL));
  close(efd);
  wd_shutdown();
}

TEST(watchdog_disarm_prevents_firing) {
  _Atomic uint32_t flag = 0;
  int efd = wd_eventfd_new();
  CHECK(efd >= 0);
  uint64_t deadline = wd_deadline_after_ms(wd_now_ns(), 30);
  wd_handle h = wd_arm(deadline, &flag, efd);
  CHECK(h != 0);
  uint64_t at = 99;
  CHECK(!wd_disarm(h, &at)); /* had not fired */
  CHECK(at == 0);
  CHECK_EQ_INT(wd_pending(), 0);
  /* Keep another, later deadline armed so the thread is surely awake
     past the first one's time. */
  _Atomic uint32_t other = 0;
  uint64_t later = wd_deadline_after_ms(wd_now_ns(), 60);
  wd_handle h2 = wd_arm(later, &other, -1);
  while (wd_now_ns() < later + 20 * MS)
    sleep_ns(5 * MS);
  CHECK(atomic_load(&flag) == 0);
  CHECK(!fd_readable(efd));
  CHECK(atomic_load(&other) == WD_INTERRUPT_TIMEOUT);
  CHECK(wd_disarm(h2, NULL));
  close(efd);
  wd_shutdown();
}

TEST(watchdog_disarm_middle_of_heap) {
  enum { N = 9 };
  _Atomic uint32_t flags[N];
  wd_handle hs[N];
  uint64_t base = wd_now_ns();
  for (int i = 0; i < N; i++) {
    atomic_init(&flags[i], 0);
    /* Deadlines out of order so the heap does real work. */
    uint64_t d = base + (uint64_t)(10 + ((i * 5) % N) * 4) * MS;
    hs[i] = wd_arm(d, &flags[i], -1);
    CHECK(hs[i] != 0);
  }
  CHECK_EQ_INT(wd_pending(), N);
  /* Disarm every third one before anything can fire. */
  int disarmed = 0;
  for (int i = 0; i < N; i += 3) {
    CHECK(!wd_disarm(hs[i], NULL));
    disarmed++;
  }
  CHECK_EQ_INT(wd_pending(), N - disarmed);
  uint64_t until = wd_now_ns() + 5000 * MS;
  while (wd_pending() > 0 && wd_now_ns() < until)
    sleep_ns(2 * MS);
  CHECK_EQ_INT(wd_pending(), 0);
  for (int i = 0; i < N; i++) {
    if (i % 3 == 0) {
      CHECK(atomic_load(&flags[i]) == 0);
    } else {
      CHECK(atomic_load(&flags[i]) == WD_INTERRUPT_TIMEOUT);
      CHECK(wd_disarm(hs[i], NULL));
    }
  }
  wd_shutdown();
}

/* Waits (boundedly) until *flag is set; returns whether it was. */
static bool wait_flag(_Atomic uint32_t *flag, uint64_t bound_ns) {
  uint64_t until = wd_now_ns() + bound_ns;
  while (!atomic_load(flag) && wd_now_ns() < until)
    sleep_ns(1 * MS);
  return atomic_load(flag) != 0;
}

TEST(watchdog_earlier_deadline_preempts_sleep) {
  /* The thread sleeps towards a deadline 60 s away; a deadline armed
     later but due in 20 ms must still fire on time (well before 60 s). */
  _Atomic uint32_t far = 0, near = 0;
  wd_handle hf = wd_arm(wd_deadline_after_ms(wd_now_ns(), 60000), &far, -1);
  CHECK(hf != 0);
  sleep_ns(20 * MS); /* let the thread go to sleep on the far deadline */
  uint64_t d = wd_deadline_after_ms(wd_now_ns(), 20);
  wd_handle hn = wd_arm(d, &near, -1);
  CHECK(hn != 0);
  CHECK(wait_flag(&near, LATE_BOUND));
  CHECK(atomic_load(&far) == 0);
  uint64_t at = 0;
  CHECK(wd_disarm(hn, &at));
  CHECK(at >= d);
  CHECK(!wd_disarm(hf, NULL));

  /* Same when the thread idles with nothing queued at all. */
  _Atomic uint32_t idle = 0;
  wd_handle hi = wd_arm(wd_deadline_after_ms(wd_now_ns(), 60000), &idle, -1);
  CHECK(!wd_disarm(hi, NULL));
  sleep_ns(20 * MS);
  hi = wd_arm(wd_deadline_after_ms(wd_now_ns(), 10), &idle, -1);
  CHECK(wait_flag(&idle, LATE_BOUND));
  CHECK(wd_disarm(hi, NULL));
  wd_shutdown();
}

TEST(watchdog_heap_random_arm_disarm) {
  /* Far-future deadlines (none fires during the test) armed and disarmed
     in a pseudo-random order; the heap and slot table must stay
     consistent after every step. */
  enum { N = 400 };
  static _Atomic uint32_t flags[N];
  wd_handle hs[N] = {0};
  uint64_t base = wd_deadline_after_ms(wd_now_ns(), 600000);
  unsigned seed = 12345;
  int live = 0, broken = 0;
  for (int step = 0; step < 4000; step++) {
    seed = seed * 1103515245u + 12345u;
    int i = (int)((seed >> 8) % N);
    if (hs[i]) {
      if (wd_disarm(hs[i], NULL)) broken++; /* cannot have fired */
      hs[i] = 0;
      live--;
    } else {
      atomic_init(&flags[i], 0);
      hs[i] = wd_arm(base + (uint64_t)((seed >> 4) % 1000) * MS, &flags[i], -1);
      CHECK(hs[i] != 0);
      live++;
    }
    if (!wd_check_invariants()) broken++;
    if ((int)wd_pending() != live) broken++;
  }
  CHECK_EQ_INT(broken, 0);
  for (int i = 0; i < N; i++) {
    if (hs[i]) CHECK(!wd_disarm(hs[i], NULL));
    CHECK(atomic_load(&flags[i]) == 0);
  }
  CHECK_EQ_INT(wd_pending(), 0);
  CHECK(wd_check_invariants());
  wd_shutdown();
  CHECK(wd_check_invariants());
}

/* 100 deadlines armed from 4 threads, interleaved in time. */
enum { ARM_THREADS = 4, PER_THREAD = 25, NTIMERS = ARM_THREADS * PER_THREAD };

typedef struct {
  uint64_t base;
  int first;
  uint64_t deadline[NTIMERS];
  _Atomic uint32_t flag[NTIMERS];
  wd_handle handle[NTIMERS];
} arm_job;

typedef struct {
  arm_job *job;
  int first;
} arm_arg;

static void *arm_thread(void *p) {
  arm_arg *a = p;
  for (int k = 0; k < PER_THREAD; k++) {
    int i = a->first + k * ARM_THREADS; /* threads interleave deadlines */
    /* 30..228 ms after base, in a scrambled order. */
    uint64_t d = a->job->base + (uint64_t)(30 + ((i * 37) % NTIMERS) * 2) * MS;
    a->job->deadline[i] = d;
    a->job->handle[i] = wd_arm(d, &a->job->flag[i], -1);
  }
  return NULL;
}

TEST(watchdog_many_deadlines_from_threads_fire_in_order) {
  arm_job *job = calloc(1, sizeof *job);
  CHECK(job != NULL);
  if (!job) return;
  for (int i = 0; i < NTIMERS; i++)
    atomic_init(&job->flag[i], 0);
  job->base = wd_now_ns();
  pthread_t th[ARM_THREADS];
  arm_arg args[ARM_THREADS];
  for (int t = 0; t < ARM_THREADS; t++) {
    args[t] = (arm_arg){job, t};
    CHECK(pthread_create(&th[t], NULL, arm_thread, &args[t]) == 0);
  }
  for (int t = 0; t < ARM_THREADS; t++)
    pthread_join(th[t], NULL);
  for (int i = 0; i < NTIMERS; i++)
    CHECK(job->handle[i] != 0);

  /* Watch the flags: a flag seen set must have fired at or after its
     deadline, so the time read after seeing it is past the deadline. */
  bool seen[NTIMERS] = {false};
  int nseen = 0;
  uint64_t give_up = job->base + 228 * MS + LATE_BOUND;
  while (nseen < NTIMERS && wd_now_ns() < give_up) {
    for (int i = 0; i < NTIMERS; i++) {
      if (seen[i] || !atomic_load(&job->flag[i])) continue;
      uint64_t t = wd_now_ns();
      if (t < job->deadline[i]) {
        fprintf(stderr, "  timer %d seen %llu ns before its deadline\n", i,
                (unsigned long long)(job->deadline[i] - t));
        CHECK(0);
      }
      seen[i] = true;
      nseen++;
    }
    sleep_ns(1 * MS);
  }
  CHECK_EQ_INT(nseen, NTIMERS);
  CHECK_EQ_INT(wd_pending(), 0);

  /* Fire times: not early, not very late, and in deadline order. */
  uint64_t fired_at[NTIMERS];
  for (int i = 0; i < NTIMERS; i++) {
    CHECK(wd_disarm(job->handle[i], &fired_at[i]));
    CHECK(fired_at[i] >= job->deadline[i]);
    CHECK(fired_at[i] - job->deadline[i] < LATE_BOUND);
  }
  int out_of_order = 0;
  for (int i = 0; i < NTIMERS; i++)
    for (int j = 0; j < NTIMERS; j++)
      if (job->deadline[i] < job->deadline[j] && fired_at[i] > fired_at[j])
        out_of_order++;
  CHECK_EQ_INT(out_of_order, 0);
  free(job);
  wd_shutdown();
}

/* Many threads arm and disarm at once; some deadlines fire, most are
   cancelled.  Checks consistency (a fired deadline set its flag, a
   cancelled one never does afterwards) and, under ASan/TSan, races. */
typedef struct {
  unsigned seed;
  int fired, cancelled, bad;
} churn_arg;

static void *churn_thread(void *p) {
  churn_arg *a = p;
  for (int k = 0; k < 300; k++) {
    _Atomic uint32_t flag = 0;
    a->seed = a->seed * 1103515245u + 12345u;
    uint64_t delay = (a->seed >> 16) % 3 * MS; /* 0, 1 or 2 ms */
    uint64_t d = wd_deadline_after_ns(wd_now_ns(), delay);
    wd_handle h = wd_arm(d, &flag, -1);
    if (h == 0) {
      a->bad++;
      continue;
    }
    if (k % 4 == 0) sleep_ns(1 * MS);
    uint64_t at;
    bool fired = wd_disarm(h, &at);
    uint32_t f = atomic_load(&flag);
    if (fired) {
      a->fired++;
      if (f != WD_INTERRUPT_TIMEOUT || at < d) a->bad++;
    } else {
      a->cancelled++;
      if (f != 0) a->bad++;
    }
    /* After disarm, the flag is never touched again. */
    if (atomic_load(&flag) != f) a->bad++;
  }
  return NULL;
}

TEST(watchdog_concurrent_arm_disarm) {
  enum { T = 4 };
  pthread_t th[T];
  churn_arg args[T];
  for (int t = 0; t < T; t++) {
    args[t] = (churn_arg){(unsigned)(t * 7919 + 1), 0, 0, 0};
    CHECK(pthread_create(&th[t], NULL, churn_thread, &args[t]) == 0);
  }
  int fired = 0, cancelled = 0;
  for (int t = 0; t < T; t++) {
    pthread_join(th[t], NULL);
    CHECK_EQ_INT(args[t].bad, 0);
    fired += args[t].fired;
    cancelled += args[t].cancelled;
  }
  CHECK_EQ_INT(fired + cancelled, T * 300);
  CHECK(fired > 0); /* delay-0 deadlines always fire */
  CHECK_EQ_INT(wd_pending(), 0);
  CHECK(wd_check_invariants());
  wd_shutdown();
}

TEST(watchdog_shutdown_and_restart) {
  _Atomic uint32_t flag = 0;
  wd_handle h = wd_arm(wd_deadline_after_ms(wd_now_ns(), 10000), &flag, -1);
  CHECK(h != 0);
  CHECK_EQ_INT(wd_pending(), 1);
  wd_shutdown(); /* drops the armed deadline */
  CHECK_EQ_INT(wd_pending(), 0);
  CHECK(!wd_disarm(h, NULL)); /* stale */
  wd_shutdown();              /* idempotent */
  /* The watchdog starts again on demand. */
  uint64_t d = wd_deadline_after_ms(wd_now_ns(), 5);
  wd_handle h2 = wd_arm(d, &flag, -1);
  CHECK(h2 != 0 && h2 != h);
  uint64_t until = wd_now_ns() + LATE_BOUND;
  while (!atomic_load(&flag) && wd_now_ns() < until)
    sleep_ns(1 * MS);
  CHECK(atomic_load(&flag) == WD_INTERRUPT_TIMEOUT);
  CHECK(!wd_disarm(h, NULL)); /* the old handle does not alias the new */
  CHECK(wd_disarm(h2, NULL));
  wd_shutdown();
}

TEST(watchdog_wait_interrupted_by_deadline) {
  int pfd[2];
  CHECK(pipe2(pfd, O_CLOEXEC) == 0);
  int efd = wd_eventfd_new();
  CHECK(efd >= 0);
  _Atomic uint32_t flag = 0;
  uint64_t start = wd_now_ns();
  uint64_t deadline = wd_deadline_after_ms(start, 30);
  wd_handle h = wd_arm(deadline, &flag, efd);
  CHECK(h != 0);
  /* Nothing will ever be written to the pipe; only the deadline ends the
     wait (its own timeout is 10 s). */
  short rev = -1;
  wd_wait_result r =
      wd_wait_fd(pfd[0], POLLIN, (int64_t)(10000 * MS), efd, &rev);
  uint64_t end = wd_now_ns();
  CHECK_EQ_INT(r, WD_WAIT_INTERRUPTED);
  CHECK_EQ_INT(rev, 0);
  CHECK(end >= deadline);
  CHECK(end - deadline < LATE_BOUND);
  CHECK(atomic_load(&flag) == WD_INTERRUPT_TIMEOUT);
  /* The interruption is sticky until drained: a second wait returns at
     once. */
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, -1, efd, NULL), WD_WAIT_INTERRUPTED);
  CHECK(wd_disarm(h, NULL));
  wd_eventfd_drain(efd);
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, 0, efd, NULL), WD_WAIT_TIMEOUT);
  close(pfd[0]);
  close(pfd[1]);
  close(efd);
  wd_shutdown();
}

TEST(watchdog_wait_timeout_and_ready) {
  int pfd[2];
  CHECK(pipe2(pfd, O_CLOEXEC | O_NONBLOCK) == 0);
  int efd = wd_eventfd_new();
  CHECK(efd >= 0);
  /* Own timeout. */
  uint64_t start = wd_now_ns();
  short rev = -1;
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, (int64_t)(20 * MS), efd, &rev),
               WD_WAIT_TIMEOUT);
  CHECK(wd_now_ns() - start >= 20 * MS);
  CHECK_EQ_INT(rev, 0);
  /* Zero timeout: just a check. */
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, 0, -1, NULL), WD_WAIT_TIMEOUT);
  /* Ready data. */
  CHECK(write(pfd[1], "x", 1) == 1);
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, -1, efd, &rev), WD_WAIT_READY);
  CHECK(rev & POLLIN);
  /* Without an interrupt fd. */
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, -1, -1, &rev), WD_WAIT_READY);
  /* Interruption wins when both are ready. */
  uint64_t one = 1;
  CHECK(write(efd, &one, sizeof one) == (ssize_t)sizeof one);
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, -1, efd, &rev), WD_WAIT_INTERRUPTED);
  wd_eventfd_drain(efd);
  /* Drain works on a pipe too. */
  wd_eventfd_drain(pfd[0]);
  CHECK(!fd_readable(pfd[0]));
  /* A closed interrupt fd is an error, not a hang. */
  int dead = wd_eventfd_new();
  CHECK(dead >= 0);
  close(dead);
  CHECK_EQ_INT(wd_wait_fd(pfd[0], POLLIN, -1, dead, NULL), WD_WAIT_ERROR);
  close(pfd[0]);
  close(pfd[1]);
  close(efd);
}

TEST(watchdog_poll_many_and_sleep) {
  enum { N = 20 }; /* more than the on-stack pollfd buffer */
  int pfds[N][2];
  struct pollfd fds[N];
  for (int i = 0; i < N; i++) {
    CHECK(pipe2(pfds[i], O_CLOEXEC | O_NONBLOCK) == 0);
    fds[i] = (struct pollfd){.fd = pfds[i][0], .events = POLLIN};
  }
  CHECK(write(pfds[13][1], "y", 1) == 1);
  CHECK(write(pfds[19][1], "z", 1) == 1);
  CHECK_EQ_INT(wd_poll(fds, N, (int64_t)(1000 * MS), -1), WD_WAIT_READY);
  for (int i = 0; i < N; i++)
    CHECK(((fds[i].revents & POLLIN) != 0) == (i == 13 || i == 19));
  for (int i = 0; i < N; i++) {
    close(pfds[i][0]);
    close(pfds[i][1]);
  }
  /* n == 0: an interruptible sleep. */
  uint64_t start = wd_now_ns();
  CHECK_EQ_INT(wd_poll(NULL, 0, (int64_t)(10 * MS), -1), WD_WAIT_TIMEOUT);
  CHECK(wd_now_ns() - start >= 10 * MS);
  int efd = wd_eventfd_new();
  CHECK(efd >= 0);
  uint64_t deadline = wd_deadline_after_ms(wd_now_ns(), 15);
  wd_handle h = wd_arm(deadline, NULL, efd);
  CHECK(h != 0);
  CHECK_EQ_INT(wd_poll(NULL, 0, -1, efd), WD_WAIT_INTERRUPTED);
  CHECK(wd_now_ns() >= deadline);
  CHECK(wd_disarm(h, NULL));
  close(efd);
  /* Bad arguments. */
  CHECK_EQ_INT(wd_poll(NULL, 3, 0, -1), WD_WAIT_ERROR);
  CHECK_EQ_INT(errno, EINVAL);
  wd_shutdown();
}

TEST(watchdog_works_in_forked_child) {
  /* The parent's watchdog thread does not exist in a child; the child
     starts its own on demand, and the parent's is unaffected. */
  _Atomic uint32_t far = 0, flag = 0;
  wd_handle hf = wd_arm(wd_deadline_after_ms(wd_now_ns(), 60000), &far, -1);
  CHECK(hf != 0);
  fflush(NULL);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    int code = 0;
    if (wd_pending() != 0) code |= 1; /* parent's deadlines dropped */
    if (wd_disarm(hf, NULL)) code |= 2;
    wd_handle h = wd_arm(wd_deadline_after_ms(wd_now_ns(), 10), &flag, -1);
    if (!h || !wait_flag(&flag, LATE_BOUND)) code |= 4;
    if (!wd_disarm(h, NULL)) code |= 8;
    wd_shutdown();
    _exit(code);
  }
  int status = -1;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK_EQ_INT(WEXITSTATUS(status), 0);
  CHECK_EQ_INT(wd_pending(), 1);
  uint64_t d = wd_deadline_after_ms(wd_now_ns(), 10);
  wd_handle h = wd_arm(d, &flag, -1);
  CHECK(wait_flag(&flag, LATE_BOUND));
  CHECK(wd_disarm(h, NULL));
  CHECK(!wd_disarm(hf, NULL));
  CHECK(atomic_load(&far) == 0);
  wd_shutdown();
}
