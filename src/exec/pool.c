/*
 * pool.c - a pool of worker threads running executions (aw_execute)
 * asynchronously: a FIFO queue of submitted handles under one mutex,
 * workers that take from it, and per-handle completion (poll / wait,
 * and an eventfd for event loops, aw_exec_handle_fd).
 *
 * Each execution has its own store, limits and deadline, so the workers
 * share nothing but the queue and the (immutable) compiled modules.
 */
#include "airssys/executor.h"
#include "exec/exec_int.h"
#include "limits/watchdog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct aw_exec_handle {
  aw_exec_request req; /* func and args point at the copies below */
  char *func;          /* copy of the request's func */
  aw_val *args;        /* copy of the request's args */
  aw_exec_result res;
  struct aw_exec_handle *next; /* queue link */
  struct aw_executor *ex;      /* the pool it was submitted to */
  pthread_mutex_t lock;
  pthread_cond_t done_cv;
  _Atomic bool done;
  /* Completion eventfd (aw_exec_handle_fd), -1 until asked for; created,
     signalled and closed under lock. */
  int done_fd;
  ex_cancel cancel; /* aw_executor_cancel of the running execution */
};

struct aw_executor {
  pthread_mutex_t lock;
  pthread_cond_t work_cv;
  aw_exec_handle *head, *tail; /* queued, not yet started */
  bool stopping;
  uint32_t nthreads;
  pthread_t *threads;
};

/* Makes an eventfd readable (adds 1; EAGAIN: already readable). */
static void signal_fd(int fd) {
  uint64_t one = 1;
  ssize_t w = write(fd, &one, sizeof one);
  (void)w;
}

static void complete(aw_exec_handle *h) {
  pthread_mutex_lock(&h->lock);
  atomic_store(&h->done, true);
  if (h->done_fd >= 0) signal_fd(h->done_fd);
  pthread_cond_broadcast(&h->done_cv);
  pthread_mutex_unlock(&h->lock);
}

static void *worker_main(void *arg) {
  aw_executor *ex = arg;
  for (;;) {
    pthread_mutex_lock(&ex->lock);
    while (!ex->head && !ex->stopping)
      pthread_cond_wait(&ex->work_cv, &ex->lock);
    aw_exec_handle *h = ex->head;
    if (!h) { /* stopping and nothing left */
      pthread_mutex_unlock(&ex->lock);
      return NULL;
    }
    ex->head = h->next;
    if (!ex->head) ex->tail = NULL;
    pthread_mutex_unlock(&ex->lock);

    ex_execute(&h->req, &h->res, &h->cancel);
    complete(h);
  }
}

aw_executor *aw_executor_new(uint32_t nthreads) {
  if (nthreads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = n > 0 ? (uint32_t)n : 1;
  }
  if (nthreads > 1024) nthreads = 1024;
  aw_executor *ex = calloc(1, sizeof *ex);
  if (!ex) return NULL;
  ex->threads = calloc(nthreads, sizeof *ex->threads);
  if (!ex->threads) {
    free(ex);
    return NULL;
  }
  if (pthread_mutex_init(&ex->lock, NULL) != 0) {
    free(ex->threads);
    free(ex);
    return NULL;
  }
  if (pthread_cond_init(&ex->work_cv, NULL) != 0) {
    pthread_mutex_destroy(&ex->lock);
    free(ex->threads);
    free(ex);
    return NULL;
  }
  for (uint32_t i = 0; i < nthreads; i++) {
    if (pthread_create(&ex->threads[i], NULL, worker_main, ex) != 0) {
      ex->nthreads = i;
      aw_executor_free(ex);
      return NULL;
    }
    ex->nthreads = i + 1;
  }
  return ex;
}

aw_exec_handle *aw_executor_submit(aw_executor *ex,
                                   const aw_exec_request *req) {
  if (!ex || !req) return NULL;
  aw_exec_handle *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  if (pthread_mutex_init(&h->lock, NULL) != 0) {
    free(h);
    return NULL;
  }
  if (pthread_cond_init(&h->done_cv, NULL) != 0) {
    pthread_mutex_destroy(&h->lock);
    free(h);
    return NULL;
  }
  if (pthread_mutex_init(&h->cancel.lock, NULL) != 0) {
    pthread_cond_destroy(&h->done_cv);
    pthread_mutex_destroy(&h->lock);
    free(h);
    return NULL;
  }
  h->ex = ex;
  h->done_fd = -1;
  h->req = *req;
  /* The caller's strings and arrays may change once submit returns: the
     job runs on copies of the function name and the arguments. */
  if (req->func && !(h->func = strdup(req->func))) goto oom;
  if (req->nargs && req->args) {
    h->args = malloc(req->nargs * sizeof *h->args);
    if (!h->args) goto oom;
    memcpy(h->args, req->args, req->nargs * sizeof *h->args);
  }
  h->req.func = h->func;
  h->req.args = h->args;
  atomic_init(&h->done, false);
  pthread_mutex_lock(&ex->lock);
  if (ex->stopping) {
    pthread_mutex_unlock(&ex->lock);
    goto oom;
  }
  if (ex->tail)
    ex->tail->next = h;
  else
    ex->head = h;
  ex->tail = h;
  pthread_cond_signal(&ex->work_cv);
  pthread_mutex_unlock(&ex->lock);
  return h;
oom:
  pthread_mutex_destroy(&h->cancel.lock);
  pthread_cond_destroy(&h->done_cv);
  pthread_mutex_destroy(&h->lock);
  free(h->func);
  free(h->args);
  free(h);
  return NULL;
}

bool aw_exec_poll(aw_exec_handle *h) {
  return h && atomic_load(&h->done);
}

int aw_exec_handle_fd(aw_exec_handle *h) {
  if (!h) return -1;
  pthread_mutex_lock(&h->lock);
  if (h->done_fd < 0) {
    h->done_fd = wd_eventfd_new();
    /* Completed before anyone asked: readable at once. */
    if (h->done_fd >= 0 && atomic_load(&h->done)) signal_fd(h->done_fd);
  }
  int fd = h->done_fd;
  pthread_mutex_unlock(&h->lock);
  return fd;
}

aw_errkind aw_exec_wait(aw_exec_handle *h, aw_exec_result *res) {
  if (!h) return AW_ERR_ARGUMENT;
  pthread_mutex_lock(&h->lock);
  while (!atomic_load(&h->done))
    pthread_cond_wait(&h->done_cv, &h->lock);
  pthread_mutex_unlock(&h->lock);
  aw_errkind k = h->res.outcome;
  if (res) *res = h->res;
  if (h->done_fd >= 0) close(h->done_fd);
  pthread_mutex_destroy(&h->cancel.lock);
  pthread_cond_destroy(&h->done_cv);
  pthread_mutex_destroy(&h->lock);
  free(h->func);
  free(h->args);
  free(h);
  return k;
}

/* Removes h from ex's queue; false if it is not queued (running or
   done). */
static bool unqueue(aw_executor *ex, aw_exec_handle *h) {
  bool found = false;
  pthread_mutex_lock(&ex->lock);
  aw_exec_handle *prev = NULL;
  for (aw_exec_handle *q = ex->head; q; prev = q, q = q->next) {
    if (q != h) continue;
    if (prev)
      prev->next = q->next;
    else
      ex->head = q->next;
    if (ex->tail == q) ex->tail = prev;
    found = true;
    break;
  }
  pthread_mutex_unlock(&ex->lock);
  return found;
}

bool aw_executor_cancel(aw_exec_handle *h) {
  /* Done first: after aw_executor_free every handle is done and h->ex is
     gone. */
  if (!h || atomic_load(&h->done)) return false;
  if (unqueue(h->ex, h)) {
    /* Never started: complete it here, cancelled. */
    aw_exec_result *r = &h->res;
    memset(r, 0, sizeof *r);
    r->timeout_ms = h->req.limits.timeout_ms;
    r->fuel.max = h->req.limits.max_fuel;
    aw_error_timeout(&r->error, r->timeout_ms, 0, false, 0);
    r->error.figures.timeout.interrupted = true;
    snprintf(r->error.message, sizeof r->error.message,
             "Component execution cancelled before it started");
    r->outcome = AW_ERR_TIMEOUT;
    pthread_mutex_lock(&h->cancel.lock);
    h->cancel.finished = true;
    pthread_mutex_unlock(&h->cancel.lock);
    complete(h);
    return true;
  }
  pthread_mutex_lock(&h->cancel.lock);
  bool running = !h->cancel.finished;
  if (running) {
    h->cancel.cancelled = true;
    if (h->cancel.store) aw_store_interrupt(h->cancel.store);
  }
  pthread_mutex_unlock(&h->cancel.lock);
  return running;
}

void aw_executor_free(aw_executor *ex) {
  if (!ex) return;
  pthread_mutex_lock(&ex->lock);
  ex->stopping = true;
  pthread_cond_broadcast(&ex->work_cv);
  pthread_mutex_unlock(&ex->lock);
  for (uint32_t i = 0; i < ex->nthreads; i++)
    pthread_join(ex->threads[i], NULL);
  pthread_cond_destroy(&ex->work_cv);
  pthread_mutex_destroy(&ex->lock);
  free(ex->threads);
  free(ex);
}
