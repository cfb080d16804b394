/*
 * test_exec_fd.c - pool completion on a file descriptor
 * (aw_exec_handle_fd): not readable while the job runs or is queued,
 * readable once it completed (run, timed out or cancelled before it
 * started), also when asked for after completion; many jobs driven by
 * one poll() loop; no fd left open once the handles are waited on.
 */
#include "airssys/executor.h"
#include "test.h"
#include "test_exec_util.h"
#include "util/util.h"

#include <dirent.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#define MiB (UINT64_C(1) << 20)

static uint64_t now_ms(void) {
  return aw_monotonic_ns() / 1000000u;
}

/* Whether fd is readable after waiting up to ms. */
static bool readable(int fd, int ms) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

static aw_exec_request spin_req(const aw_module *m, uint64_t timeout_ms) {
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.func = "spin";
  req.limits = tx_limits(MiB, AW_NO_LIMIT, timeout_ms);
  return req;
}

TEST(exec_handle_fd_signals_completion) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  int fds_before = open_fds();
  aw_executor *ex = aw_executor_new(1);
  CHECK(m != NULL && ex != NULL);
  if (!m || !ex) goto done;
  CHECK_EQ_INT(aw_exec_handle_fd(NULL), -1);

  /* A 300 ms spin: the fd is silent while it runs, readable when it ends,
     and the loop wakes with the job, not before. */
  aw_exec_request req = spin_req(m, 300);
  uint64_t t0 = now_ms();
  aw_exec_handle *h = aw_executor_submit(ex, &req);
  CHECK(h != NULL);
  if (!h) goto done;
  int fd = aw_exec_handle_fd(h);
  CHECK(fd >= 0);
  CHECK_EQ_INT(aw_exec_handle_fd(h), fd); /* the same fd every time */
  /* Queued behind nothing, running: a second job waits in the queue. */
  aw_exec_request req2 = spin_req(m, 10000);
  aw_exec_handle *h2 = aw_executor_submit(ex, &req2);
  CHECK(h2 != NULL);
  int fd2 = h2 ? aw_exec_handle_fd(h2) : -1;
  CHECK(fd2 >= 0 && fd2 != fd);
  CHECK(!readable(fd, 100));
  CHECK(!aw_exec_poll(h));
  CHECK(readable(fd, 5000));
  uint64_t woke = now_ms() - t0;
  CHECK(aw_exec_poll(h));
  CHECK(woke >= 300 && woke < 3000);
  fprintf(stderr, "     fd readable after %llu ms (job limit 300 ms)\n",
          (unsigned long long)woke);
  /* Level-triggered: still readable until read. */
  CHECK(readable(fd, 0));
  CHECK_EQ_INT(aw_exec_wait(h, NULL), AW_ERR_TIMEOUT);

  /* The queued one, cancelled before it starts (or right after): its fd
     becomes readable at once, far before its 10 s limit. */
  if (h2) {
    CHECK(!readable(fd2, 20));
    t0 = now_ms();
    CHECK(aw_executor_cancel(h2));
    CHECK(readable(fd2, 5000));
    CHECK(now_ms() - t0 < 2000);
    aw_exec_result r;
    CHECK_EQ_INT(aw_exec_wait(h2, &r), AW_ERR_TIMEOUT);
    CHECK(r.error.figures.timeout.interrupted);
  }

  /* Asked for after completion: readable at once. */
  aw_exec_request req3 = req;
  req3.func = "const";
  aw_exec_handle *h3 = aw_executor_submit(ex, &req3);
  CHECK(h3 != NULL);
  if (h3) {
    while (!aw_exec_poll(h3))
      usleep(1000);
    int fd3 = aw_exec_handle_fd(h3);
    CHECK(fd3 >= 0);
    CHECK(readable(fd3, 0));
    aw_exec_result r;
    CHECK_EQ_INT(aw_exec_wait(h3, &r), AW_OK);
    CHECK_EQ_INT(r.results[0].of.i32, 42);
  }
done:
  aw_executor_free(ex);
  /* Every completion fd was closed by aw_exec_wait. */
  CHECK_EQ_INT(open_fds(), fds_before);
  aw_module_free(m);
  aw_engine_free(e);
}

/* An event loop: 64 jobs of different lengths on 4 workers, all waited
   for by one poll() over their fds; each fd fires only for a completed
   job, and every job is collected exactly once. */
#define NJOBS 64
TEST(exec_handle_fd_event_loop) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  int fds_before = open_fds();
  aw_executor *ex = aw_executor_new(4);
  CHECK(m != NULL && ex != NULL);
  if (!m || !ex) goto done;
  aw_exec_handle *hs[NJOBS];
  struct pollfd pf[NJOBS];
  int left = 0;
  for (int i = 0; i < NJOBS; i++) {
    aw_exec_request req = spin_req(m, 5 + (uint64_t)(i % 7) * 5);
    if (i % 3 == 0) { /* quick, with room to finish on a loaded machine */
      req.func = "const";
      req.limits.timeout_ms = 10000;
    }
    hs[i] = aw_executor_submit(ex, &req);
    CHECK(hs[i] != NULL);
    pf[i].fd = hs[i] ? aw_exec_handle_fd(hs[i]) : -1;
    pf[i].events = POLLIN;
    CHECK(pf[i].fd >= 0);
    if (pf[i].fd >= 0) left++;
  }
  uint64_t t0 = now_ms();
  int collected = 0, early = 0, wrong = 0;
  while (left > 0 && now_ms() - t0 < 20000) {
    int n = poll(pf, NJOBS, 5000);
    CHECK(n > 0);
    if (n <= 0) break;
    for (int i = 0; i < NJOBS; i++) {
      if (pf[i].fd < 0 || !(pf[i].revents & POLLIN)) continue;
      if (!aw_exec_poll(hs[i])) early++; /* fd fired before completion */
      aw_exec_result r;
      aw_errkind k = aw_exec_wait(hs[i], &r);
      if (k != (i % 3 == 0 ? AW_OK : AW_ERR_TIMEOUT)) wrong++;
      pf[i].fd = -1; /* poll ignores negative fds */
      left--;
      collected++;
    }
  }
  CHECK_EQ_INT(early, 0);
  CHECK_EQ_INT(wrong, 0);
  CHECK_EQ_INT(collected, NJOBS);
  CHECK_EQ_INT(left, 0);
done:
  aw_executor_free(ex);
  CHECK_EQ_INT(open_fds(), fds_before);
  aw_module_free(m);
  aw_engine_free(e);
}
