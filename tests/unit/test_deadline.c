/*
 * test_deadline.c - the deadline is absolute (issue 10): stores the host
 * manages (aw_store_set_deadline, aw_store_set_deadline_at,
 * aw_store_interrupt from another thread), late host returns, the host
 * wait helper (aw_caller_wait_fd, aw_caller_remaining_ns,
 * aw_caller_interrupt_fd), interrupted bulk operations and instantiation,
 * and aw_executor_cancel.  The threaded tests run under TSan too
 * (scripts/test.sh, step unit-tsan).
 */
#include "airssys/executor.h"
#include "test.h"
#include "test_exec_util.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char *const dl_wat =
    "(module\n"
    "  (import \"env\" \"host\" (func $host))\n"
    "  (memory (export \"mem\") 1)\n"
    "  (func (export \"spin\") (loop $l (br $l)))\n"
    "  (func (export \"answer\") (result i32) (i32.const 42))\n"
    "  (func (export \"call_host\") (call $host))\n"
    "  (func (export \"fill_4g\")\n"
    "    (drop (memory.grow (i32.const 65535)))\n"
    "    (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const "
    "0xffffffff))))\n";

typedef enum { DH_NONE, DH_SLEEP_100MS, DH_WAIT_1S } dl_host_mode;

typedef struct {
  dl_host_mode mode;
  aw_wait_result waited;
  uint64_t remaining_at_entry;
} dl_host;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static aw_errkind dl_host_fn(void *env, aw_caller *caller, const aw_val *args,
                             aw_val *results, aw_error *err) {
  (void)args;
  (void)results;
  (void)err;
  dl_host *h = env;
  h->remaining_at_entry = aw_caller_remaining_ns(caller);
  switch (h->mode) {
  case DH_NONE: break;
  case DH_SLEEP_100MS: sleep_ms(100); break;
  case DH_WAIT_1S:
    h->waited = aw_caller_wait_fd(caller, -1, 0, INT64_C(1000000000), NULL);
    if (h->waited == AW_WAIT_DEADLINE) return AW_ERR_TIMEOUT;
    break;
  }
  return AW_OK;
}

typedef struct {
  aw_engine *e;
  aw_module *m;
  aw_store *s;
  aw_instance *inst;
  dl_host host;
} dl_ctx;

static bool dl_open(dl_ctx *c) {
  memset(c, 0, sizeof *c);
  c->e = aw_engine_new(NULL);
  c->m = c->e ? tx_load(c->e, dl_wat) : NULL;
  c->s = c->m ? aw_store_new(c->e) : NULL;
  if (!c->s) return false;
  aw_functype t = {0, 0, NULL, NULL};
  aw_func *h = aw_func_new(c->s, &t, dl_host_fn, &c->host, NULL);
  aw_extern imp = {.kind = AW_EXTERN_FUNC, .of.func = h};
  aw_error err;
  c->inst = h ? aw_instantiate(c->s, c->m, &imp, 1, &err) : NULL;
  return c->inst != NULL;
}

static void dl_close(dl_ctx *c) {
  aw_store_free(c->s);
  aw_module_free(c->m);
  aw_engine_free(c->e);
}

static aw_func *dl_func(dl_ctx *c, const char *name) {
  aw_extern ext;
  if (!aw_instance_export(c->inst, name, strlen(name), &ext)) return NULL;
  return ext.of.func;
}

static double ms_since(uint64_t t0) {
  return (double)(aw_monotonic_ns() - t0) / 1e6;
}

/* A relative deadline stops aw_func_call of an infinite loop, with
   figures; once passed every call fails at once; a new deadline makes
   the store usable again. */
TEST(deadline_store_set_deadline) {
  dl_ctx c;
  CHECK(dl_open(&c));
  if (!c.inst) return dl_close(&c);
  aw_error err;
  uint64_t t0 = aw_monotonic_ns();
  CHECK_EQ_INT(aw_store_set_deadline(c.s, 30, &err), AW_OK);
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "spin"), NULL, 0, NULL, 0, &err),
               AW_ERR_TIMEOUT);
  double ms = ms_since(t0);
  CHECK(ms >= 29.0 && ms < 1000.0);
  CHECK_EQ_INT(err.figures.timeout.timeout_ms, 30);
  CHECK(err.figures.timeout.elapsed_ms >= 29);
  CHECK(!err.figures.timeout.interrupted);
  CHECK(strstr(err.message, "exceeded 30ms limit") != NULL);
  /* Passed: even a function without loops fails, at once. */
  aw_val r;
  t0 = aw_monotonic_ns();
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "answer"), NULL, 0, &r, 1, &err),
               AW_ERR_TIMEOUT);
  CHECK(ms_since(t0) < 500.0);
  /* A new deadline (none) and the store runs again. */
  CHECK_EQ_INT(aw_store_set_deadline(c.s, AW_NO_LIMIT, &err), AW_OK);
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "answer"), NULL, 0, &r, 1, &err),
               AW_OK);
  CHECK_EQ_INT(r.of.i32, 42);
  CHECK_EQ_INT(aw_store_set_deadline(NULL, 1, &err), AW_ERR_ARGUMENT);
  dl_close(&c);
}

/* An absolute deadline: in the past is an immediate timeout, also for a
   host function called directly; in the future stops the loop. */
TEST(deadline_store_set_deadline_at) {
  dl_ctx c;
  CHECK(dl_open(&c));
  if (!c.inst) return dl_close(&c);
  aw_error err;
  CHECK_EQ_INT(aw_store_set_deadline_at(c.s, aw_monotonic_ns() - 1, &err),
               AW_OK);
  c.host.mode = DH_NONE;
  c.host.remaining_at_entry = 7;
  CHECK_EQ_INT(
      aw_func_call(c.s, dl_func(&c, "call_host"), NULL, 0, NULL, 0, &err),
      AW_ERR_TIMEOUT);
  CHECK_EQ_INT(c.host.remaining_at_entry, 7); /* the host never ran */
  uint64_t at = aw_monotonic_ns() + 25000000u;
  CHECK_EQ_INT(aw_store_set_deadline_at(c.s, at, &err), AW_OK);
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "spin"), NULL, 0, NULL, 0, &err),
               AW_ERR_TIMEOUT);
  CHECK(aw_monotonic_ns() >= at);
  CHECK(ms_since(at) < 1000.0);
  dl_close(&c);
}

typedef struct {
  aw_store *s;
  long delay_ms;
} dl_interrupter;

static void *dl_interrupt_main(void *arg) {
  dl_interrupter *i = arg;
  sleep_ms(i->delay_ms);
  aw_store_interrupt(i->s);
  return NULL;
}

/* aw_store_interrupt from another thread ends aw_func_call of an infinite
   loop (no deadline at all), reported as interrupted; later calls fail
   until aw_store_set_deadline. */
TEST(deadline_store_interrupt_from_thread) {
  dl_ctx c;
  CHECK(dl_open(&c));
  if (!c.inst) return dl_close(&c);
  aw_error err;
  dl_interrupter it = {c.s, 30};
  pthread_t th;
  uint64_t t0 = aw_monotonic_ns();
  CHECK_EQ_INT(pthread_create(&th, NULL, dl_interrupt_main, &it), 0);
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "spin"), NULL, 0, NULL, 0, &err),
               AW_ERR_TIMEOUT);
  double ms = ms_since(t0);
  pthread_join(th, NULL);
  CHECK(ms >= 29.0 && ms < 2000.0);
  CHECK(err.figures.timeout.interrupted);
  CHECK(strstr(err.message, "cancelled after") != NULL);
  aw_val r;
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "answer"), NULL, 0, &r, 1, &err),
               AW_ERR_TIMEOUT);
  CHECK_EQ_INT(aw_store_set_deadline(c.s, AW_NO_LIMIT, &err), AW_OK);
  CHECK_EQ_INT(aw_func_call(c.s, dl_func(&c, "answer"), NULL, 0, &r, 1, &err),
               AW_OK);
  /* Interrupting a host function that waits with the helper wakes it. */
  c.host.mode = DH_WAIT_1S;
  t0 = aw_monotonic_ns();
  CHECK_EQ_INT(pthread_create(&th, NULL, dl_interrupt_main, &it), 0);
  CHECK_EQ_INT(
      aw_func_call(c.s, dl_func(&c, "call_host"), NULL, 0, NULL, 0, &err),
      AW_ERR_TIMEOUT);
  ms = ms_since(t0);
  pthread_join(th, NULL);
  CHECK_EQ_INT(c.host.waited, AW_WAIT_DEADLINE);
  CHECK(ms >= 29.0 && ms < 900.0);
  aw_store_interrupt(NULL); /* harmless */
  dl_close(&c);
}

/* A host function that returns after the deadline, successfully: the call
   is a timeout with the real elapsed time. */
TEST(deadline_late_host_return_is_timeout) {
  dl_ctx c;
  CHECK(dl_open(&c));
  if (!c.inst) return dl_close(&c);
  aw_error err;
  c.host.mode = DH_SLEEP_100MS;
  CHECK_EQ_INT(aw_store_set_deadline(c.s, 20, &err), AW_OK);
  uint64_t t0 = aw_monotonic_ns();
  CHECK_EQ_INT(
      aw_func_call(c.s, dl_func(&c, "call_host"), NULL, 0, NULL, 0, &err),
      AW_ERR_TIMEOUT);
  CHECK(ms_since(t0) >= 99.0);
  CHECK_EQ_INT(err.figures.timeout.timeout_ms, 20);
  CHECK(err.figures.timeout.elapsed_ms >= 99);
  dl_close(&c);
}

/* The wait helper: remaining time, own timeout, readiness, deadline. */
typedef struct {
  aw_wait_result none_wait, own, ready, deadline;
  short revents;
  int ifd;
  uint64_t left_none, left_set, left_end, set_ns, end_ns;
  double deadline_ms;
  int rfd, wfd;
} dl_wait_probe;

static aw_errkind dl_probe_fn(void *env, aw_caller *caller, const aw_val *args,
                              aw_val *results, aw_error *err) {
  (void)args;
  (void)results;
  dl_wait_probe *p = env;
  aw_store *s = aw_caller_store(caller);
  p->left_none = aw_caller_remaining_ns(caller);
  p->none_wait = aw_caller_wait_fd(caller, -1, 0, 1000000, NULL); /* 1 ms */
  p->set_ns = aw_monotonic_ns();
  aw_store_set_deadline(s, 60, err);
  p->left_set = aw_caller_remaining_ns(caller);
  p->own = aw_caller_wait_fd(caller, p->rfd, POLLIN, 5000000, NULL);
  if (write(p->wfd, "x", 1) != 1) return AW_ERR_IO;
  p->ready = aw_caller_wait_fd(caller, p->rfd, POLLIN, -1, &p->revents);
  char ch;
  if (read(p->rfd, &ch, 1) != 1) return AW_ERR_IO;
  uint64_t t0 = aw_monotonic_ns();
  p->deadline = aw_caller_wait_fd(caller, p->rfd, POLLIN, -1, NULL);
  p->end_ns = aw_monotonic_ns();
  p->deadline_ms = (double)(p->end_ns - t0) / 1e6;
  p->ifd = aw_caller_interrupt_fd(caller);
  p->left_end = aw_caller_remaining_ns(caller);
  return AW_ERR_TIMEOUT;
}

TEST(deadline_host_wait_helper) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  int p[2];
  CHECK_EQ_INT(pipe(p), 0);
  dl_wait_probe probe = {.rfd = p[0], .wfd = p[1]};
  aw_functype t = {0, 0, NULL, NULL};
  aw_func *f = aw_func_new(s, &t, dl_probe_fn, &probe, NULL);
  aw_error err;
  CHECK_EQ_INT(aw_func_call(s, f, NULL, 0, NULL, 0, &err), AW_ERR_TIMEOUT);
  CHECK(probe.left_none == AW_NO_LIMIT);
  CHECK_EQ_INT(probe.none_wait, AW_WAIT_TIMEOUT);
  CHECK(probe.left_set > 0 && probe.left_set <= 60000000u);
  CHECK_EQ_INT(probe.own, AW_WAIT_TIMEOUT);
  CHECK_EQ_INT(probe.ready, AW_WAIT_READY);
  CHECK(probe.revents & POLLIN);
  CHECK_EQ_INT(probe.deadline, AW_WAIT_DEADLINE);
  /* Woken at the deadline: not before, not long after. */
  CHECK(probe.end_ns >= probe.set_ns + 60000000u);
  CHECK(probe.deadline_ms < 1000.0);
  CHECK(probe.ifd >= 0);
  CHECK(probe.left_end == 0);
  CHECK_EQ_INT(err.figures.timeout.timeout_ms, 60);
  CHECK(aw_caller_remaining_ns(NULL) == AW_NO_LIMIT);
  CHECK_EQ_INT(aw_caller_wait_fd(NULL, -1, 0, 0, NULL), AW_WAIT_ERROR);
  CHECK_EQ_INT(aw_caller_interrupt_fd(NULL), -1);
  close(p[0]);
  close(p[1]);
  aw_store_free(s);
  aw_engine_free(e);
}

/* An interrupted memory.fill of 4 GiB: stops within a chunk of the
   deadline, its fuel stays charged in full (charged before the work), and
   the chunks done stay written while the end of the memory is untouched
   (documented: partial writes are visible). */
TEST(deadline_bulk_fill_interrupted) {
  dl_ctx c;
  CHECK(dl_open(&c));
  if (!c.inst) return dl_close(&c);
  aw_error err;
  CHECK(aw_store_set_fuel(c.s, UINT64_C(1) << 40));
  uint64_t t0 = aw_monotonic_ns();
  CHECK_EQ_INT(aw_store_set_deadline(c.s, 20, &err), AW_OK);
  CHECK_EQ_INT(
      aw_func_call(c.s, dl_func(&c, "fill_4g"), NULL, 0, NULL, 0, &err),
      AW_ERR_TIMEOUT);
  double ms = ms_since(t0);
  CHECK(ms >= 19.0 && ms < 500.0);
  /* entry 1 + i32.const, memory.grow, drop, 3 x i32.const, memory.fill
     (drop costs 0) = 1 + 6, plus one per byte. */
  CHECK_EQ_INT(aw_store_fuel_consumed(c.s), UINT64_C(0xffffffff) + 7);
  CHECK(err.figures.timeout.fuel_known);
  aw_extern mem;
  CHECK(aw_instance_export(c.inst, "mem", 3, &mem));
  uint8_t *d = aw_memory_data(mem.of.memory);
  CHECK_EQ_INT(aw_memory_size(mem.of.memory), UINT64_C(1) << 32);
  CHECK_EQ_INT(d[0], 0x5a);
  CHECK_EQ_INT(d[65535], 0x5a);
  CHECK_EQ_INT(d[(UINT64_C(1) << 32) - 2], 0);
  dl_close(&c);
}

/* Instantiation is covered by the store's deadline: a start function
   that loops forever, and a deadline already passed before anything is
   allocated. */
TEST(deadline_instantiation) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, "(module (memory 1) (data (i32.const 0) \"x\")\n"
                            "  (func $s (loop $l (br $l))) (start $s))");
  aw_store *s = aw_store_new(e);
  aw_error err;
  CHECK(m && s);
  if (!m || !s) goto out;
  uint64_t t0 = aw_monotonic_ns();
  CHECK_EQ_INT(aw_store_set_deadline(s, 20, &err), AW_OK);
  CHECK(aw_instantiate(s, m, NULL, 0, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_TIMEOUT);
  CHECK(ms_since(t0) >= 19.0);
  CHECK_EQ_INT(err.figures.timeout.timeout_ms, 20);
  t0 = aw_monotonic_ns();
  CHECK(aw_instantiate(s, m, NULL, 0, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_TIMEOUT);
  CHECK(strstr(err.message, "timeout") != NULL);
  CHECK(ms_since(t0) < 500.0);
out:
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

/* A link callback that only records that its execution started. */
static bool dl_mark_started(void *ctx, aw_linker *l, aw_store *s,
                            aw_error *err) {
  (void)l;
  (void)s;
  (void)err;
  atomic_store((_Atomic bool *)ctx, true);
  return true;
}

/* Pool cancel: a queued execution never runs, a running one is
   interrupted; both report AW_ERR_TIMEOUT with interrupted set; a
   completed one keeps its outcome. */
TEST(deadline_pool_cancel) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, "(module (func (export \"spin\") (loop $l (br $l)))"
                            " (func (export \"one\") (result i32) "
                            "(i32.const 1)))");
  aw_executor *ex = aw_executor_new(1);
  CHECK(m && ex);
  if (!m || !ex) goto out;
  aw_exec_request spin = {.module = m,
                          .limits =
                              tx_limits(1 << 20, AW_NO_LIMIT, AW_NO_LIMIT),
                          .func = "spin"};
  aw_exec_request one = spin;
  one.func = "one";
  _Atomic bool started = false;
  aw_exec_request first = spin;
  first.link = dl_mark_started;
  first.link_ctx = (void *)&started;
  aw_exec_handle *running = aw_executor_submit(ex, &first);
  aw_exec_handle *queued = aw_executor_submit(ex, &one);
  CHECK(running && queued);
  if (!running || !queued) goto out;
  while (!atomic_load(&started)) /* the single worker takes the first */
    sleep_ms(1);
  sleep_ms(30); /* and spins on it */
  CHECK(aw_executor_cancel(queued));
  CHECK(aw_exec_poll(queued));
  aw_exec_result r;
  CHECK_EQ_INT(aw_exec_wait(queued, &r), AW_ERR_TIMEOUT);
  CHECK(r.error.figures.timeout.interrupted);
  CHECK(r.elapsed_ms == 0.0);
  CHECK_STR(r.error.message, "Component execution cancelled before it started");
  CHECK(!aw_exec_poll(running));
  CHECK(aw_executor_cancel(running));
  CHECK_EQ_INT(aw_exec_wait(running, &r), AW_ERR_TIMEOUT);
  CHECK(r.error.figures.timeout.interrupted);
  CHECK(r.elapsed_ms >= 29.0);
  CHECK(strstr(r.error.message, "cancelled after") != NULL);
  /* Completed before the cancel: unchanged. */
  aw_exec_handle *done = aw_executor_submit(ex, &one);
  while (done && !aw_exec_poll(done))
    sleep_ms(1);
  CHECK(!aw_executor_cancel(done));
  CHECK_EQ_INT(aw_exec_wait(done, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 1);
  CHECK(!aw_executor_cancel(NULL));
  /* Cancel racing with the start: outcome timeout either way. */
  for (int i = 0; i < 20; i++) {
    aw_exec_handle *h = aw_executor_submit(ex, &spin);
    if (i % 2) sleep_ms(1);
    CHECK(aw_executor_cancel(h));
    CHECK_EQ_INT(aw_exec_wait(h, &r), AW_ERR_TIMEOUT);
    CHECK(r.error.figures.timeout.interrupted);
  }
  /* After the pool is freed, a handle not waited on is complete. */
  aw_exec_handle *last = aw_executor_submit(ex, &one);
  aw_executor_free(ex);
  ex = NULL;
  CHECK(!aw_executor_cancel(last));
  CHECK_EQ_INT(aw_exec_wait(last, &r), AW_OK);
out:
  aw_executor_free(ex);
  aw_module_free(m);
  aw_engine_free(e);
}
