/*
 * watchdog.c - the single process-wide watchdog thread behind wall-clock
 * timeouts (see watchdog.h), and interruptible waits for host calls.
 *
 * Data: a table of timer slots (a handle names a slot plus a generation,
 * so stale handles are harmless) and a binary min-heap of the indices of
 * queued slots, ordered by deadline.  Each slot remembers its heap
 * position, so disarming is O(log n).  One mutex guards everything; the
 * watchdog fires targets while holding it, which is what guarantees that
 * after wd_disarm returns the target is never touched again.
 *
 * The thread sleeps in pthread_cond_timedwait on a CLOCK_MONOTONIC
 * condition variable until the earliest deadline; arming a deadline that
 * becomes the new earliest signals it to recompute its sleep.
 */
#include "limits/watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_SEC UINT64_C(1000000000)
#define NS_PER_MS UINT64_C(1000000)

/* Slot states. */
enum { WD_FREE = 0, WD_QUEUED, WD_FIRED };

/* At most this many simultaneously armed deadlines; keeps every handle
   different from 0 and WD_HANDLE_NEVER. */
#define WD_MAX_SLOTS (UINT32_C(1) << 30)
#define WD_NO_POS UINT32_MAX

typedef struct wd_slot {
  uint64_t deadline;      /* absolute, ns (WD_QUEUED) */
  uint64_t fired_at;      /* when it fired (WD_FIRED) */
  _Atomic uint32_t *flag; /* target's interrupt flag, or NULL */
  int fd;                 /* target's wake-up fd, or -1 */
  uint32_t gen;           /* generation in the handle; 0 when free */
  uint32_t heap_pos;      /* index in heap, WD_NO_POS if not queued */
  uint32_t next_free;     /* free-list link (WD_FREE) */
  uint8_t state;          /* WD_FREE, WD_QUEUED or WD_FIRED */
} wd_slot;

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;      /* wakes the thread; CLOCK_MONOTONIC */
  pthread_cond_t done_cv; /* signalled when a shutdown completes */
  pthread_t thread;
  bool running; /* thread started (cv initialised) */
  bool stop;    /* shutdown in progress */
  wd_slot *slots;
  uint32_t nslots, capslots; /* slots in use of the array; allocated */
  uint32_t free_head;        /* first free slot, WD_NO_POS if none */
  uint32_t *heap;            /* slot indices; capacity == capslots */
  uint32_t nheap;
  uint32_t next_gen; /* never reset, so handles stay unique */
} wd = {.mu = PTHREAD_MUTEX_INITIALIZER,
        .done_cv = PTHREAD_COND_INITIALIZER,
        .free_head = WD_NO_POS,
        .next_gen = 1};

static pthread_once_t wd_atfork_once = PTHREAD_ONCE_INIT;

uint64_t wd_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t wd_deadline_after_ns(uint64_t now_ns, uint64_t timeout_ns) {
  if (timeout_ns >= WD_NEVER - now_ns) return WD_NEVER;
  return now_ns + timeout_ns;
}

uint64_t wd_deadline_after_ms(uint64_t now_ns, uint64_t timeout_ms) {
  if (timeout_ms > WD_NEVER / NS_PER_MS) return WD_NEVER;
  return wd_deadline_after_ns(now_ns, timeout_ms * NS_PER_MS);
}

/* ------------------------------------------------------------------ */
/* Min-heap of slot indices keyed by deadline (wd.mu held)              */
/* ------------------------------------------------------------------ */

static bool wd_before(uint32_t a, uint32_t b) {
  return wd.slots[wd.heap[a]].deadline < wd.slots[wd.heap[b]].deadline;
}

static void wd_heap_set(uint32_t pos, uint32_t slot) {
  wd.heap[pos] = slot;
  wd.slots[slot].heap_pos = pos;
}

static void wd_swap(uint32_t a, uint32_t b) {
  uint32_t sa = wd.heap[a], sb = wd.heap[b];
  wd_heap_set(a, sb);
  wd_heap_set(b, sa);
}

static void wd_sift_up(uint32_t pos) {
  while (pos > 0) {
    uint32_t parent = (pos - 1) / 2;
    if (!wd_before(pos, parent)) break;
    wd_swap(pos, parent);
    pos = parent;
  }
}

static void wd_sift_down(uint32_t pos) {
  for (;;) {
    uint32_t l = 2 * pos + 1, r = l + 1, m = pos;
    if (l < wd.nheap && wd_before(l, m)) m = l;
    if (r < wd.nheap && wd_before(r, m)) m = r;
    if (m == pos) break;
    wd_swap(pos, m);
    pos = m;
  }
}

static void wd_heap_push(uint32_t slot) {
  uint32_t pos = wd.nheap++;
  wd_heap_set(pos, slot);
  wd_sift_up(pos);
}

/* Removes the entry at pos. */
static void wd_heap_remove(uint32_t pos) {
  uint32_t slot = wd.heap[pos];
  uint32_t last = --wd.nheap;
  if (pos != last) {
    /* The last entry fills the hole and moves up or down into place. */
    uint32_t moved = wd.heap[last];
    wd_heap_set(pos, moved);
    wd_sift_up(pos);
    wd_sift_down(wd.slots[moved].heap_pos);
  }
  wd.slots[slot].heap_pos = WD_NO_POS;
}

/* ------------------------------------------------------------------ */
/* Slots (wd.mu held)                                                   */
/* ------------------------------------------------------------------ */

/* Grows the slot table and the heap together (the heap never holds more
   entries than there are slots, so pushing can then never fail). */
static bool wd_reserve_slot(void) {
  if (wd.free_head != WD_NO_POS || wd.nslots < wd.capslots) return true;
  if (wd.capslots >= WD_MAX_SLOTS) return false;
  uint32_t ncap = wd.capslots ? wd.capslots * 2 : 64;
  wd_slot *s = realloc(wd.slots, (size_t)ncap * sizeof *s);
  if (!s) return false;
  wd.slots = s;
  uint32_t *h = realloc(wd.heap, (size_t)ncap * sizeof *h);
  if (!h) return false; /* slots stays larger; capslots unchanged: fine */
  wd.heap = h;
  wd.capslots = ncap;
  return true;
}

static uint32_t wd_alloc_slot(void) {
  uint32_t i;
  if (wd.free_head != WD_NO_POS) {
    i = wd.free_head;
    wd.free_head = wd.slots[i].next_free;
  } else {
    i = wd.nslots++;
  }
  return i;
}

static void wd_free_slot(uint32_t i) {
  wd_slot *s = &wd.slots[i];
  s->state = WD_FREE;
  s->gen = 0;
  s->flag = NULL;
  s->fd = -1;
  s->heap_pos = WD_NO_POS;
  s->next_free = wd.free_head;
  wd.free_head = i;
}

static uint32_t wd_new_gen(void) {
  uint32_t g = wd.next_gen++;
  if (wd.next_gen == 0) wd.next_gen = 1;
  return g;
}

/* Sets the target's flag and wakes its fd; the slot becomes WD_FIRED. */
static void wd_fire(wd_slot *s, uint64_t now) {
  if (s->flag)
    atomic_fetch_or_explicit(s->flag, WD_INTERRUPT_TIMEOUT,
                             memory_order_release);
  if (s->fd >= 0) {
    uint64_t one = 1;
    ssize_t r;
    do
      r = write(s->fd, &one, sizeof one);
    while (r < 0 && errno == EINTR);
    /* EAGAIN means the fd is already readable: the wake-up is there. */
  }
  s->state = WD_FIRED;
  s->fired_at = now;
}

/* ------------------------------------------------------------------ */
/* The thread                                                           */
/* ------------------------------------------------------------------ */

static struct timespec wd_abs_timespec(uint64_t ns) {
  const uint64_t max_sec =
      sizeof(time_t) >= 8 ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX;
  struct timespec ts;
  uint64_t sec = ns / NS_PER_SEC;
  if (sec > max_sec) sec = max_sec;
  ts.tv_sec = (time_t)sec;
  ts.tv_nsec = (long)(ns % NS_PER_SEC);
  return ts;
}

static void *wd_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&wd.mu);
  while (!wd.stop) {
    uint64_t now = wd_now_ns();
    while (wd.nheap > 0 && wd.slots[wd.heap[0]].deadline <= now) {
      uint32_t slot = wd.heap[0];
      wd_heap_remove(0);
      wd_fire(&wd.slots[slot], now);
    }
    if (wd.nheap == 0) {
      pthread_cond_wait(&wd.cv, &wd.mu);
    } else {
      struct timespec ts = wd_abs_timespec(wd.slots[wd.heap[0]].deadline);
      pthread_cond_timedwait(&wd.cv, &wd.mu, &ts);
    }
  }
  pthread_mutex_unlock(&wd.mu);
  return NULL;
}

/* fork(): the child has no watchdog thread, and the parent's deadlines
   belong to the parent's executions; the child starts afresh. */
static void wd_atfork_prepare(void) {
  pthread_mutex_lock(&wd.mu);
}

static void wd_atfork_parent(void) {
  pthread_mutex_unlock(&wd.mu);
}

static void wd_atfork_child(void) {
  free(wd.slots);
  free(wd.heap);
  wd.slots = NULL;
  wd.heap = NULL;
  wd.nslots = wd.capslots = wd.nheap = 0;
  wd.free_head = WD_NO_POS;
  wd.running = false;
  wd.stop = false;
  pthread_mutex_unlock(&wd.mu);
}

static void wd_register_atfork(void) {
  pthread_atfork(wd_atfork_prepare, wd_atfork_parent, wd_atfork_child);
}

/* Starts the thread (wd.mu held).  The thread blocks every signal, so
   that process signals are delivered to the application's threads. */
static bool wd_start(void) {
  pthread_once(&wd_atfork_once, wd_register_atfork);
  pthread_condattr_t ca;
  if (pthread_condattr_init(&ca) != 0) return false;
  if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
      pthread_cond_init(&wd.cv, &ca) != 0) {
    pthread_condattr_destroy(&ca);
    return false;
  }
  pthread_condattr_destroy(&ca);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&wd.thread, NULL, wd_main, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    pthread_cond_destroy(&wd.cv);
    return false;
  }
  wd.running = true;
  return true;
}

/* ------------------------------------------------------------------ */
/* API                                                                  */
/* ------------------------------------------------------------------ */

wd_handle wd_arm(uint64_t deadline_ns, _Atomic uint32_t *flag, int fd) {
  if (!flag && fd < 0) return 0;
  if (deadline_ns == WD_NEVER) return WD_HANDLE_NEVER;
  pthread_mutex_lock(&wd.mu);
  while (wd.stop)
    pthread_cond_wait(&wd.done_cv, &wd.mu);
  uint64_t now = wd_now_ns();
  bool past = deadline_ns <= now;
  /* A past deadline fires right here and needs no thread. */
  if (!wd_reserve_slot() || (!past && !wd.running && !wd_start())) {
    pthread_mutex_unlock(&wd.mu);
    return 0;
  }
  uint32_t i = wd_alloc_slot();
  wd_slot *s = &wd.slots[i];
  s->deadline = deadline_ns;
  s->fired_at = 0;
  s->flag = flag;
  s->fd = fd;
  s->gen = wd_new_gen();
  s->heap_pos = WD_NO_POS;
  s->next_free = WD_NO_POS;
  wd_handle h = ((uint64_t)(i + 1) << 32) | s->gen;
  if (past) {
    wd_fire(s, now);
  } else {
    s->state = WD_QUEUED;
    wd_heap_push(i);
    if (s->heap_pos == 0) pthread_cond_signal(&wd.cv);
  }
  pthread_mutex_unlock(&wd.mu);
  return h;
}

bool wd_disarm(wd_handle h, uint64_t *fired_at_ns) {
  if (fired_at_ns) *fired_at_ns = 0;
  if (h == 0 || h == WD_HANDLE_NEVER) return false;
  uint64_t idx1 = h >> 32;
  uint32_t gen = (uint32_t)h;
  bool fired = false;
  pthread_mutex_lock(&wd.mu);
  if (idx1 >= 1 && idx1 <= wd.nslots && gen != 0 &&
      wd.slots[idx1 - 1].gen == gen) {
    uint32_t i = (uint32_t)(idx1 - 1);
    wd_slot *s = &wd.slots[i];
    if (s->state == WD_QUEUED) {
      wd_heap_remove(s->heap_pos);
    } else if (s->state == WD_FIRED) {
      fired = true;
      if (fired_at_ns) *fired_at_ns = s->fired_at;
    }
    wd_free_slot(i);
  }
  pthread_mutex_unlock(&wd.mu);
  return fired;
}

size_t wd_pending(void) {
  pthread_mutex_lock(&wd.mu);
  size_t n = wd.nheap;
  pthread_mutex_unlock(&wd.mu);
  return n;
}

bool wd_check_invariants(void) {
  pthread_mutex_lock(&wd.mu);
  bool ok = wd.nheap <= wd.nslots && wd.nslots <= wd.capslots;
  for (uint32_t pos = 0; ok && pos < wd.nheap; pos++) {
    uint32_t i = wd.heap[pos];
    ok = i < wd.nslots && wd.slots[i].state == WD_QUEUED &&
         wd.slots[i].heap_pos == pos &&
         (pos == 0 || !wd_before(pos, (pos - 1) / 2));
  }
  uint32_t queued = 0, nfree = 0;
  for (uint32_t i = 0; ok && i < wd.nslots; i++) {
    const wd_slot *s = &wd.slots[i];
    if (s->state == WD_QUEUED) queued++;
    if (s->state == WD_FREE) nfree++;
    ok = (s->state == WD_FREE) == (s->gen == 0) &&
         (s->state == WD_QUEUED) == (s->heap_pos != WD_NO_POS);
  }
  for (uint32_t i = wd.free_head; ok && i != WD_NO_POS;
       i = wd.slots[i].next_free) {
    ok = i < wd.nslots && wd.slots[i].state == WD_FREE && nfree > 0;
    nfree--;
  }
  ok = ok && queued == wd.nheap && nfree == 0;
  pthread_mutex_unlock(&wd.mu);
  return ok;
}

void wd_shutdown(void) {
  pthread_mutex_lock(&wd.mu);
  if (wd.stop) { /* another shutdown is in progress: wait for it */
    while (wd.stop)
      pthread_cond_wait(&wd.done_cv, &wd.mu);
    pthread_mutex_unlock(&wd.mu);
    return;
  }
  if (wd.running) {
    wd.stop = true;
    pthread_cond_signal(&wd.cv);
    pthread_mutex_unlock(&wd.mu);
    pthread_join(wd.thread, NULL);
    pthread_mutex_lock(&wd.mu);
    pthread_cond_destroy(&wd.cv);
    wd.running = false;
  }
  free(wd.slots);
  free(wd.heap);
  wd.slots = NULL;
  wd.heap = NULL;
  wd.nslots = wd.capslots = wd.nheap = 0;
  wd.free_head = WD_NO_POS;
  wd.stop = false;
  pthread_cond_broadcast(&wd.done_cv);
  pthread_mutex_unlock(&wd.mu);
}

int wd_eventfd_new(void) {
  return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

void wd_eventfd_drain(int fd) {
  if (fd < 0) return;
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return;
    uint64_t buf[8];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return;
  }
}

/* ------------------------------------------------------------------ */
/* Interruptible waits                                                  */
/* ------------------------------------------------------------------ */

wd_wait_result wd_poll(struct pollfd *fds, size_t n, int64_t timeout_ns,
                       int interrupt_fd) {
  if ((n > 0 && !fds) || n >= SIZE_MAX / sizeof(struct pollfd) - 1 ||
      n + 1 > (size_t)(nfds_t)-1) {
    errno = EINVAL;
    return WD_WAIT_ERROR;
  }
  for (size_t i = 0; i < n; i++)
    fds[i].revents = 0;
  struct pollfd local[17];
  struct pollfd *p = local;
  if (n + 1 > sizeof local / sizeof local[0]) {
    p = malloc((n + 1) * sizeof *p);
    if (!p) {
      errno = ENOMEM;
      return WD_WAIT_ERROR;
    }
  }
  if (n > 0) memcpy(p, fds, n * sizeof *p);
  /* A negative fd is ignored by poll, so "no interrupt fd" needs no case. */
  p[n] = (struct pollfd){.fd = interrupt_fd, .events = POLLIN};

  uint64_t deadline =
      timeout_ns < 0 ? WD_NEVER
                     : wd_deadline_after_ns(wd_now_ns(), (uint64_t)timeout_ns);
  wd_wait_result res;
  for (;;) {
    struct timespec rel, *relp = NULL;
    if (deadline != WD_NEVER) {
      uint64_t now = wd_now_ns();
      uint64_t left = deadline > now ? deadline - now : 0;
      rel.tv_sec = (time_t)(left / NS_PER_SEC);
      rel.tv_nsec = (long)(left % NS_PER_SEC);
      relp = &rel;
    }
    int r = ppoll(p, (nfds_t)(n + 1), relp, NULL);
    if (r < 0) {
      if (errno == EINTR) continue;
      res = WD_WAIT_ERROR;
      break;
    }
    if (r == 0) {
      res = WD_WAIT_TIMEOUT;
      break;
    }
    if (p[n].revents & POLLNVAL) {
      errno = EBADF; /* the interrupt fd is not open */
      res = WD_WAIT_ERROR;
      break;
    }
    if (p[n].revents & (POLLIN | POLLERR | POLLHUP)) {
      res = WD_WAIT_INTERRUPTED;
      break;
    }
    for (size_t i = 0; i < n; i++)
      fds[i].revents = p[i].revents;
    res = WD_WAIT_READY;
    break;
  }
  if (p != local) {
    int e = errno;
    free(p);
    errno = e;
  }
  return res;
}

wd_wait_result wd_wait_fd(int fd, short events, int64_t timeout_ns,
                          int interrupt_fd, short *revents) {
  struct pollfd p = {.fd = fd, .events = events};
  wd_wait_result r = wd_poll(&p, 1, timeout_ns, interrupt_fd);
  if (revents) *revents = p.revents;
  return r;
}
