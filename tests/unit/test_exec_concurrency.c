/*
 * test_exec_concurrency.c - many executions of one compiled module at
 * once, each with its own limits and outcome (success, out of fuel,
 * timeout in a loop and in a WASI sleep, trap, memory cap, limit exceeded
 * at instantiation), on plain threads and on the executor's pool.
 */
#include "airssys/executor.h"
#include "airssys/wasi.h"
#include "test.h"
#include "test_exec_util.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define NCASES 50
#define MiB (UINT64_C(1) << 20)

/* One execution: its request and what it must report. */
typedef struct tc_case {
  int kind; /* i % 7 */
  aw_exec_request req;
  aw_val arg;
  aw_wasi *wasi;
  aw_exec_result res;
} tc_case;

static bool tc_link_wasi(void *ctx, aw_linker *linker, aw_store *store,
                         aw_error *err) {
  aw_wasi *w = ctx;
  aw_wasi_set_interrupt_fd(w, aw_store_interrupt_fd(store));
  return aw_wasi_define(w, linker, store, err);
}

static void tc_setup(tc_case *c, int i, const aw_module *m,
                     const aw_module *w) {
  memset(c, 0, sizeof *c);
  c->kind = i % 7;
  c->req.module = m;
  c->req.args = &c->arg;
  c->req.nargs = 1;
  switch (c->kind) {
  case 0: /* success, exact fuel */
    c->req.limits = tx_limits(MiB, 1000000, 10000);
    c->req.func = "count";
    c->arg = tx_i32(i * 100);
    break;
  case 1: /* out of fuel, each its own budget */
    c->req.limits = tx_limits(MiB, 1000 + (uint64_t)i, 10000);
    c->req.func = "count";
    c->arg = tx_i32(1000000);
    break;
  case 2: /* timeout in a loop */
    c->req.limits = tx_limits(MiB, AW_NO_LIMIT, 20 + (uint64_t)(i % 3) * 10);
    c->req.func = "spin";
    c->req.nargs = 0;
    break;
  case 3: /* trap */
    c->req.limits = tx_limits(MiB, 1000, 10000);
    c->req.func = "trap";
    c->req.nargs = 0;
    break;
  case 4: /* memory cap: 4 pages, grow by 1..7 */
    c->req.limits = tx_limits(4 * 65536, 1000, 10000);
    c->req.func = "grow";
    c->arg = tx_i32(1 + i % 7);
    break;
  case 5: /* timeout in a 10 s WASI sleep */
    c->req.module = w;
    c->req.limits = tx_limits(MiB, AW_NO_LIMIT, 30);
    c->req.func = "sleep";
    memset(&c->arg, 0, sizeof c->arg);
    c->arg.kind = AW_I64;
    c->arg.of.i64 = INT64_C(10000000000);
    c->wasi = tx_wasi_new();
    c->req.link = tc_link_wasi;
    c->req.link_ctx = c->wasi;
    break;
  default: /* memory below one page: the module's page is too much */
    c->req.limits = tx_limits(1000, 1000, 10000);
    c->req.func = "const";
    c->req.nargs = 0;
    break;
  }
}

/* Checks c's result; returns the number of failed checks. */
static int tc_check(const tc_case *c, int i) {
  int failed = 0;
  int *test_failed_ = &failed;
  const aw_exec_result *r = &c->res;
  switch (c->kind) {
  case 0:
    CHECK_EQ_INT(r->outcome, AW_OK);
    CHECK_EQ_INT(r->results[0].of.i32, i * 100);
    CHECK_EQ_INT(r->fuel.consumed, 9 * (uint64_t)(i * 100) + 6);
    break;
  case 1:
    CHECK_EQ_INT(r->outcome, AW_ERR_OUT_OF_FUEL);
    CHECK_EQ_INT(r->fuel.consumed, 1000 + (uint64_t)i);
    CHECK_EQ_INT(r->error.figures.fuel.max, 1000 + (uint64_t)i);
    break;
  case 2:
    CHECK_EQ_INT(r->outcome, AW_ERR_TIMEOUT);
    CHECK_EQ_INT(r->error.figures.timeout.timeout_ms, 20 + (i % 3) * 10);
    CHECK(r->elapsed_ms >= (double)(20 + (i % 3) * 10));
    CHECK(r->elapsed_ms < 2000.0);
    break;
  case 3:
    CHECK_EQ_INT(r->outcome, AW_ERR_TRAP);
    CHECK_EQ_INT(r->error.trap, AW_TRAP_UNREACHABLE);
    break;
  case 4:
    CHECK_EQ_INT(r->outcome, AW_OK);
    CHECK_EQ_INT(r->results[0].of.i32, 1 + i % 7 <= 3 ? 1 : -1);
    CHECK_EQ_INT(r->memory.failed_grows, 1 + i % 7 <= 3 ? 0 : 1);
    CHECK_EQ_INT(r->memory.limit, 4 * 65536);
    break;
  case 5:
    CHECK(c->wasi != NULL);
    CHECK_EQ_INT(r->outcome, AW_ERR_TIMEOUT);
    CHECK(r->elapsed_ms >= 30.0 && r->elapsed_ms < 2000.0);
    break;
  default:
    CHECK_EQ_INT(r->outcome, AW_ERR_LIMIT_EXCEEDED);
    CHECK_EQ_INT(r->error.figures.limit.requested, 65536);
    CHECK_EQ_INT(r->error.figures.limit.limit, 0);
    break;
  }
  if (failed) fprintf(stderr, "  (case %d, kind %d)\n", i, c->kind);
  return failed;
}

static void *tc_thread(void *arg) {
  tc_case *c = arg;
  aw_execute(&c->req, &c->res);
  return NULL;
}

static tc_case *tc_cases_new(const aw_module *m, const aw_module *w) {
  tc_case *cs = calloc(NCASES, sizeof *cs);
  if (cs)
    for (int i = 0; i < NCASES; i++)
      tc_setup(&cs[i], i, m, w);
  return cs;
}

static void tc_cases_free(tc_case *cs) {
  if (!cs) return;
  for (int i = 0; i < NCASES; i++)
    aw_wasi_free(cs[i].wasi);
  free(cs);
}

TEST(exec_concurrent_threads) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_module *w = tx_load(e, tx_wasi_wat);
  tc_case *cs = m && w ? tc_cases_new(m, w) : NULL;
  CHECK(cs != NULL);
  if (!cs) goto done;
  pthread_t th[NCASES];
  bool started[NCASES];
  for (int i = 0; i < NCASES; i++)
    started[i] = pthread_create(&th[i], NULL, tc_thread, &cs[i]) == 0;
  for (int i = 0; i < NCASES; i++) {
    CHECK(started[i]);
    if (started[i]) pthread_join(th[i], NULL);
  }
  for (int i = 0; i < NCASES; i++)
    if (started[i] && tc_check(&cs[i], i)) *test_failed_ = 1;
done:
  tc_cases_free(cs);
  aw_module_free(m);
  aw_module_free(w);
  aw_engine_free(e);
}

TEST(exec_concurrent_pool) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_module *w = tx_load(e, tx_wasi_wat);
  tc_case *cs = m && w ? tc_cases_new(m, w) : NULL;
  aw_executor *ex = aw_executor_new(8);
  CHECK(cs != NULL && ex != NULL);
  if (!cs || !ex) goto done;
  aw_exec_handle *hs[NCASES];
  for (int i = 0; i < NCASES; i++) {
    hs[i] = aw_executor_submit(ex, &cs[i].req);
    CHECK(hs[i] != NULL);
  }
  /* The first submissions finish while the rest are queued. */
  for (int i = 0; i < NCASES; i++) {
    if (!hs[i]) continue;
    aw_errkind k = aw_exec_wait(hs[i], &cs[i].res);
    CHECK_EQ_INT(k, cs[i].res.outcome);
    if (tc_check(&cs[i], i)) *test_failed_ = 1;
  }
  /* poll: false while running, true once done. */
  aw_exec_request req = cs[2].req; /* a 20..40 ms spin */
  aw_exec_handle *h = aw_executor_submit(ex, &req);
  CHECK(h != NULL);
  if (h) {
    CHECK(!aw_exec_poll(h));
    while (!aw_exec_poll(h))
      usleep(1000);
    CHECK_EQ_INT(aw_exec_wait(h, NULL), AW_ERR_TIMEOUT);
  }
  CHECK(aw_executor_submit(NULL, &req) == NULL);
  CHECK(aw_executor_submit(ex, NULL) == NULL);
  CHECK(!aw_exec_poll(NULL));
  CHECK_EQ_INT(aw_exec_wait(NULL, NULL), AW_ERR_ARGUMENT);
done:
  aw_executor_free(ex);
  tc_cases_free(cs);
  aw_module_free(m);
  aw_module_free(w);
  aw_engine_free(e);
}

/* Freeing the pool runs what is still queued; handles stay valid. */
TEST(exec_pool_free_drains_queue) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_executor *ex = aw_executor_new(0);
  CHECK(m && ex);
  if (!m || !ex) goto done;
  aw_val a = tx_i32(1000);
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.limits = tx_limits(MiB, 100000, 10000);
  req.func = "count";
  req.args = &a;
  req.nargs = 1;
  aw_exec_handle *hs[10];
  for (int i = 0; i < 10; i++)
    hs[i] = aw_executor_submit(ex, &req);
  aw_executor_free(ex);
  ex = NULL;
  for (int i = 0; i < 10; i++) {
    CHECK(hs[i] != NULL);
    if (!hs[i]) continue;
    CHECK(aw_exec_poll(hs[i]));
    aw_exec_result r;
    CHECK_EQ_INT(aw_exec_wait(hs[i], &r), AW_OK);
    CHECK_EQ_INT(r.fuel.consumed, 9006);
  }
done:
  aw_executor_free(ex);
  aw_module_free(m);
  aw_engine_free(e);
}
