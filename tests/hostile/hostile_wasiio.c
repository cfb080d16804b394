/*
 * hostile_wasiio.c - WASI I/O cases a single .wat case cannot express:
 * several guests at once on one pipe (the losers of a read race, writers
 * to a full pipe: each must end at its own deadline, not when a peer acts
 * or the writer closes), the embedder's stdio never made non-blocking, and
 * the config defaults (AW_WASI_CONFIG_INIT; an all-zero config refused).
 * The guests are tests/hostile/wasi_race.wat (compiled by run.sh).
 */
#include "airssys/executor.h"
#include "airssys/wasi.h"
#include "hostile.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Deadline of every guest here, and the slack allowed past it (the
   machine may be loaded). */
#define HW_TIMEOUT_MS 1000
#define HW_SLACK_MS 1500
/* How long the peer holds the pipe before it gives up (closes it, or
   drains it): before the fix, that is when the blocked guests ended. */
#define HW_HOLD_MS 4000
#define HW_GUESTS 6

typedef struct {
  const aw_module *m;
  const char *func;
  aw_wasi *wasi;
  uint64_t timeout_ms;
  aw_exec_result res;
  atomic_bool done;
} hw_job;

static double hw_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static bool hw_link(void *ctx, aw_linker *l, aw_store *s, aw_error *err) {
  aw_wasi *w = ctx;
  if (!aw_wasi_define(w, l, s, err)) return false;
  aw_wasi_set_interrupt_fd(w, aw_store_interrupt_fd(s));
  return true;
}

static void *hw_run(void *p) {
  hw_job *j = p;
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_fuel(&b, AW_NO_LIMIT);
  aw_limits_builder_timeout_ms(&b, j->timeout_ms);
  aw_limits_builder_max_memory_bytes(&b, 1u << 20);
  aw_exec_request req = {
      .module = j->m, .func = j->func, .link = hw_link, .link_ctx = j->wasi};
  aw_error err;
  if (aw_limits_builder_build(&b, &req.limits, &err) == AW_OK)
    aw_execute(&req, &j->res);
  else
    j->res.outcome = err.kind;
  atomic_store(&j->done, true);
  return NULL;
}

/* A WASI state granting dir (if not NULL) as /sandbox, fd 3. */
static aw_wasi *hw_wasi(const char *dir, int in, int out) {
  aw_wasi_dir d = {.host = dir, .guest = "/sandbox", .writable = true};
  aw_wasi_config cfg = {.ndirs = dir ? 1 : 0,
                        .dirs = dir ? &d : NULL,
                        .stdin_fd = in,
                        .stdout_fd = out,
                        .stderr_fd = -1};
  aw_error err;
  aw_wasi *w = aw_wasi_new(&cfg, &err);
  if (!w) fprintf(stderr, "aw_wasi_new: %s\n", err.message);
  return w;
}

static bool hw_all_done(hw_job *j, int n) {
  for (int i = 0; i < n; i++)
    if (!atomic_load(&j[i].done)) return false;
  return true;
}

/* Waits until every job ended or HW_HOLD_MS since t0 passed. */
static void hw_hold(hw_job *j, int n, double t0) {
  while (!hw_all_done(j, n) && hw_now_ms() - t0 < HW_HOLD_MS)
    usleep(5000);
}

static void hw_print(const char *name, const hw_job *j, int n) {
  for (int i = 0; i < n; i++) {
    const aw_exec_result *r = &j[i].res;
    char res[32] = "";
    if (r->nresults) snprintf(res, sizeof res, " %d", r->results[0].of.i32);
    printf("     %s guest %d: %s%s, %.1f ms / %llu ms\n", name, i,
           aw_errkind_name(r->outcome), res, r->elapsed_ms,
           (unsigned long long)j[i].timeout_ms);
  }
}

/* A timeout within its deadline + slack. */
static bool hw_timed_out(const hw_job *j) {
  return j->res.outcome == AW_ERR_TIMEOUT &&
         j->res.elapsed_ms >= (double)j->timeout_ms &&
         j->res.elapsed_ms <= (double)(j->timeout_ms + HW_SLACK_MS);
}

/* HW_GUESTS guests read one pipe (a FIFO in their grant, or their stdin,
   one shared pipe); the peer writes 1 byte and keeps the pipe open.  One
   guest gets it; every other must end at its deadline.  Before the fix
   they polled (woken by the byte), lost it to the winner and blocked in
   readv until the peer closed (HW_HOLD_MS). */
static void read_race(const aw_module *m, bool use_stdin, int round) {
  char name[96];
  snprintf(name, sizeof name, "wasiio:%s_read_race#%d",
           use_stdin ? "stdin" : "fifo", round);
  int fds0 = hs_open_fds();
  char dir[64] = "/tmp/aw-race-XXXXXX", path[96];
  if (!mkdtemp(dir)) {
    hs_result(name, false, "mkdtemp: %s", strerror(errno));
    return;
  }
  snprintf(path, sizeof path, "%s/fifo", dir);
  int pr = -1, pw = -1;
  if (use_stdin) {
    int p[2];
    if (pipe(p) != 0) {
      rmdir(dir);
      hs_result(name, false, "pipe: %s", strerror(errno));
      return;
    }
    pr = p[0];
    pw = p[1];
  } else if (mkfifo(path, 0600) != 0) {
    rmdir(dir);
    hs_result(name, false, "mkfifo: %s", strerror(errno));
    return;
  }
  hw_job j[HW_GUESTS];
  pthread_t t[HW_GUESTS];
  int started = 0;
  double t0 = hw_now_ms();
  for (int i = 0; i < HW_GUESTS; i++) {
    memset(&j[i], 0, sizeof j[i]);
    j[i].m = m;
    j[i].func = use_stdin ? "read_stdin" : "read_fifo";
    j[i].timeout_ms = HW_TIMEOUT_MS;
    j[i].wasi = use_stdin ? hw_wasi(NULL, pr, -1) : hw_wasi(dir, -1, -1);
    if (!j[i].wasi || pthread_create(&t[i], NULL, hw_run, &j[i]) != 0) break;
    started++;
  }
  /* The writer: a FIFO opens for writing once a reader has it open. */
  for (int k = 0; !use_stdin && pw < 0 && k < 200; k++)
    if ((pw = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) usleep(5000);
  usleep(300000); /* every reader waits in fd_read by now */
  bool wrote = pw >= 0 && write(pw, "x", 1) == 1;
  hw_hold(j, started, t0);
  if (pw >= 0) close(pw);
  for (int i = 0; i < started; i++)
    pthread_join(t[i], NULL);
  int winners = 0, good = 0;
  for (int i = 0; i < started; i++) {
    if (j[i].res.outcome == AW_OK && j[i].res.nresults &&
        j[i].res.results[0].of.i32 == 1)
      winners++;
    else if (hw_timed_out(&j[i]))
      good++;
  }
  hw_print(name, j, started);
  for (int i = 0; i < HW_GUESTS; i++)
    if (j[i].wasi) aw_wasi_free(j[i].wasi);
  if (pr >= 0) close(pr);
  unlink(path);
  rmdir(dir);
  int fds1 = hs_open_fds();
  hs_result(name,
            started == HW_GUESTS && wrote && winners == 1 &&
                good == HW_GUESTS - 1 && fds0 == fds1,
            "%d guests started, byte written %d, %d got it, %d of the others "
            "ended at their deadline; fds %d -> %d",
            started, wrote, winners, good, fds0, fds1);
}

/* n guests write 64 KiB blocks forever to one FIFO whose reader (the
   peer) reads one page 30 times (each wakes every writer, one wins the
   room), then nothing until HW_HOLD_MS, then drains: every writer must end
   at its deadline with the pipe full.  Before the fix, writers that saw
   room in poll raced for it and the losers blocked in writev. */
static void write_race(const aw_module *m, int n) {
  char name[96];
  snprintf(name, sizeof name, "wasiio:fifo_full_writers_%d", n);
  int fds0 = hs_open_fds();
  char dir[64] = "/tmp/aw-race-XXXXXX", path[96];
  if (!mkdtemp(dir)) {
    hs_result(name, false, "mkdtemp: %s", strerror(errno));
    return;
  }
  snprintf(path, sizeof path, "%s/fifo", dir);
  int pr = -1;
  if (mkfifo(path, 0600) != 0 ||
      (pr = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
    unlink(path);
    rmdir(dir);
    hs_result(name, false, "fifo: %s", strerror(errno));
    return;
  }
  hw_job j[HW_GUESTS];
  pthread_t t[HW_GUESTS];
  int started = 0;
  double t0 = hw_now_ms();
  for (int i = 0; i < n && i < HW_GUESTS; i++) {
    memset(&j[i], 0, sizeof j[i]);
    j[i].m = m;
    j[i].func = "write_fifo";
    j[i].timeout_ms = HW_TIMEOUT_MS;
    j[i].wasi = hw_wasi(dir, -1, -1);
    if (!j[i].wasi || pthread_create(&t[i], NULL, hw_run, &j[i]) != 0) break;
    started++;
  }
  /* 30 times, room for one page: every writer wakes, one fills it. */
  static char sink[1 << 16];
  usleep(100000);
  for (int k = 0; k < 30; k++) {
    usleep(10000);
    if (read(pr, sink, 4096) < 0) usleep(1000);
  }
  hw_hold(j, started, t0);
  while (!hw_all_done(j, started))
    if (read(pr, sink, sizeof sink) <= 0) usleep(1000);
  for (int i = 0; i < started; i++)
    pthread_join(t[i], NULL);
  int good = 0;
  for (int i = 0; i < started; i++)
    if (hw_timed_out(&j[i])) good++;
  hw_print(name, j, started);
  for (int i = 0; i < n && i < HW_GUESTS; i++)
    if (j[i].wasi) aw_wasi_free(j[i].wasi);
  close(pr);
  unlink(path);
  rmdir(dir);
  int fds1 = hs_open_fds();
  hs_result(name, started == n && good == n && fds0 == fds1,
            "%d writers started, %d ended at their deadline; fds %d -> %d",
            started, good, fds0, fds1);
}

/* The embedder's pipes as the guest's stdout and stdin: the guest's I/O
   is non-blocking, yet the embedder's file descriptions keep their flags
   (no O_NONBLOCK leaking to a shell's pipe or terminal). */
static void stdio_flags(const aw_module *m) {
  const char *name = "wasiio:stdio_flags_untouched";
  int fds0 = hs_open_fds();
  int o[2], in[2];
  if (pipe(o) != 0) {
    hs_result(name, false, "pipe: %s", strerror(errno));
    return;
  }
  if (pipe(in) != 0) {
    close(o[0]);
    close(o[1]);
    hs_result(name, false, "pipe: %s", strerror(errno));
    return;
  }
  hw_job j[3];
  memset(j, 0, sizeof j);
  const char *fn[3] = {"hello", "read_stdin", "read_stdin"};
  uint64_t to[3] = {5000, 300, 5000};
  char got[8] = "";
  for (int i = 0; i < 3; i++) {
    if (i == 2 && write(in[1], "abc", 3) != 3) break;
    j[i].m = m;
    j[i].func = fn[i];
    j[i].timeout_ms = to[i];
    j[i].wasi = hw_wasi(NULL, in[0], o[1]);
    if (!j[i].wasi) break;
    hw_run(&j[i]);
    aw_wasi_free(j[i].wasi);
    if (i == 0 && read(o[0], got, 3) != 3) got[0] = 0;
  }
  hw_print(name, j, 3);
  bool ok = j[0].res.outcome == AW_OK && j[0].res.results[0].of.i32 == 3 &&
            !memcmp(got, "hi\n", 3) && j[1].res.outcome == AW_ERR_TIMEOUT &&
            j[1].res.elapsed_ms <= 300 + HW_SLACK_MS &&
            j[2].res.outcome == AW_OK && j[2].res.results[0].of.i32 == 3;
  int fl[4] = {fcntl(o[0], F_GETFL), fcntl(o[1], F_GETFL),
               fcntl(in[0], F_GETFL), fcntl(in[1], F_GETFL)};
  bool flags_ok = true;
  for (int i = 0; i < 4; i++)
    if (fl[i] < 0 || (fl[i] & O_NONBLOCK)) flags_ok = false;
  close(o[0]);
  close(o[1]);
  close(in[0]);
  close(in[1]);
  int fds1 = hs_open_fds();
  hs_result(name, ok && flags_ok && fds0 == fds1,
            "outcomes %s/%s/%s, output \"%.3s\", host flags %s; fds %d -> %d",
            aw_errkind_name(j[0].res.outcome),
            aw_errkind_name(j[1].res.outcome),
            aw_errkind_name(j[2].res.outcome), got,
            flags_ok ? "kept" : "CHANGED", fds0, fds1);
}

/* Safe defaults: the initialiser maps 0/1/2 to 0/1/2, an all-zero config
   (which used to send stdout and stderr to host fd 0) is refused. */
static void config_defaults(void) {
#ifdef AW_WASI_CONFIG_INIT
  aw_wasi_config z;
  memset(&z, 0, sizeof z);
  aw_error err;
  aw_error_clear(&err);
  aw_wasi *w = aw_wasi_new(&z, &err);
  bool refused = !w && err.kind == AW_ERR_ARGUMENT && err.message[0];
  if (w) aw_wasi_free(w);
  hs_result("wasiio:zero_config_refused", refused, "aw_wasi_new: %s (%s)",
            w ? "accepted" : aw_errkind_name(err.kind), err.message);
  aw_wasi_config c, d = AW_WASI_CONFIG_INIT;
  memset(&c, 0x5a, sizeof c);
  aw_wasi_config_init(&c);
  bool init_ok = c.stdin_fd == 0 && c.stdout_fd == 1 && c.stderr_fd == 2 &&
                 !c.nargs && !c.args && !c.nenv && !c.env && !c.ndirs &&
                 !c.dirs && d.stdin_fd == 0 && d.stdout_fd == 1 &&
                 d.stderr_fd == 2 && !d.nargs && !d.nenv && !d.ndirs;
  /* The defaults work as they are (this process has fds 0-2 open). */
  bool open012 = fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 &&
                 fcntl(2, F_GETFD) >= 0;
  w = open012 ? aw_wasi_new(&c, &err) : NULL;
  hs_result("wasiio:config_init_defaults", init_ok && (!open012 || w),
            "init %d, aw_wasi_new over fds 0-2: %s", init_ok,
            w ? "ok" : err.message);
  if (w) aw_wasi_free(w);
#else
  hs_result("wasiio:zero_config_refused", false, "no AW_WASI_CONFIG_INIT");
#endif
}

void hs_run_wasiio(aw_engine *engine, const char *wasm_dir) {
  config_defaults();
  char path[1024];
  snprintf(path, sizeof path, "%s/wasi_race.wasm", wasm_dir);
  FILE *f = fopen(path, "rb");
  static uint8_t buf[1 << 16];
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f) fclose(f);
  aw_error err;
  aw_module *m = n ? aw_module_new(engine, buf, n, &err) : NULL;
  if (!m) {
    hs_result("wasiio:guests", false, "cannot load %s", path);
    return;
  }
  for (int r = 1; r <= 4; r++)
    read_race(m, false, r);
  for (int r = 1; r <= 2; r++)
    read_race(m, true, r);
  write_race(m, 1);
  write_race(m, HW_GUESTS);
  stdio_flags(m);
  aw_module_free(m);
}
