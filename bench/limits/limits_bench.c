/*
 * bench/limits/limits_bench.c - aw-bench-limits: what resource control
 * costs and how precisely it stops a guest.
 *
 *   aw-bench-limits overhead WASMDIR [-r REPS] [--small] [kernel...]
 *   aw-bench-limits overshoot SPIN.wasm SLEEP.wasm [-n RUNS] [-t MS]
 *
 * overhead: every bench kernel (bench/kernels, built to WASMDIR by
 * bench/build.sh) runs through aw_execute twice per repetition,
 * interleaved: "controlled" (engine with fuel metering, a fuel budget
 * that cannot run out and a one-hour deadline armed on the watchdog) and
 * "off" (engine without metering, no deadline).  Each result is checked
 * against the native kernel.  Times are the calling thread's CPU time
 * (the executions never block), medians over REPS; overhead = controlled /
 * off - 1, with the geometric mean over the kernels.
 *
 * overshoot: RUNS executions with a T ms timeout of a spinning guest and
 * of a guest sleeping 10 s in WASI poll_oneoff; overshoot = the
 * execution's elapsed time (measured by the executor from the instant the
 * deadline is computed from) - T.  Prints p50, p99 and max.
 *
 * Output: Markdown tables on stdout.  Exit status 0, 1 on a wrong result
 * or outcome, 2 on usage or I/O errors.
 */
#define _DEFAULT_SOURCE /* getloadavg */
#define _POSIX_C_SOURCE 200809L
#include <airssys/executor.h>
#include <airssys/wasi.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../registry.h"

#define MAX_REPS 51

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      buf = NULL;
    }
    *len = n > 0 ? (size_t)n : 0;
  }
  fclose(f);
  return buf;
}

static aw_module *load(aw_engine *e, const char *path) {
  size_t len = 0;
  uint8_t *bytes = read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "aw-bench-limits: cannot read %s\n", path);
    return NULL;
  }
  aw_error err;
  aw_module *m = aw_module_new(e, bytes, len, &err);
  free(bytes);
  if (!m) fprintf(stderr, "aw-bench-limits: %s: %s\n", path, err.message);
  return m;
}

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static aw_resource_limits limits(uint64_t fuel, uint64_t timeout_ms) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, AW_NO_LIMIT);
  aw_limits_builder_max_fuel(&b, fuel);
  aw_limits_builder_timeout_ms(&b, timeout_ms);
  aw_resource_limits l;
  memset(&l, 0, sizeof l);
  aw_limits_builder_build(&b, &l, NULL);
  return l;
}

/* ------------------------------------------------------------------ */
/* Overhead                                                             */
/* ------------------------------------------------------------------ */

/* Runs kernel k of module m once; false (with a message) on a wrong
   outcome or result. */
static bool run_kernel(const aw_module *m, const bench_kernel *k, uint32_t n,
                       aw_resource_limits l, uint64_t want, double *ms) {
  char fname[64];
  snprintf(fname, sizeof fname, "bench_%s", k->name);
  aw_val arg;
  memset(&arg, 0, sizeof arg);
  arg.kind = AW_I32;
  arg.of.i32 = (int32_t)n;
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.limits = l;
  req.func = fname;
  req.args = &arg;
  req.nargs = 1;
  aw_exec_result r;
  double t0 = cpu_ms();
  aw_errkind ek = aw_execute(&req, &r);
  *ms = cpu_ms() - t0;
  if (ek != AW_OK) {
    fprintf(stderr, "aw-bench-limits: %s: %s\n", k->name, r.error.message);
    return false;
  }
  uint64_t got = k->bits == 32 ? (uint64_t)(uint32_t)r.results[0].of.i32
                               : (uint64_t)r.results[0].of.i64;
  if (got != want) {
    fprintf(stderr, "aw-bench-limits: %s: wrong result %llu, want %llu\n",
            k->name, (unsigned long long)got, (unsigned long long)want);
    return false;
  }
  return true;
}

static int overhead(int argc, char **argv) {
  if (argc < 1) return 2;
  const char *dir = argv[0];
  int reps = 5, small = 0;
  const bench_kernel *sel[64];
  size_t nsel = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-r") && i + 1 < argc) {
      reps = atoi(argv[++i]);
      if (reps < 1 || reps > MAX_REPS) return 2;
    } else if (!strcmp(argv[i], "--small")) {
      small = 1;
    } else {
      const bench_kernel *k = bench_find(argv[i]);
      if (!k || nsel == 64) {
        fprintf(stderr, "aw-bench-limits: unknown kernel %s\n", argv[i]);
        return 2;
      }
      sel[nsel++] = k;
    }
  }
  if (!nsel)
    for (size_t i = 0; i < bench_nkernels && i < 64; i++)
      sel[nsel++] = &bench_kernels[i];

  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = true;
  aw_engine *eon = aw_engine_new(&cfg);
  cfg.consume_fuel = false;
  aw_engine *eoff = aw_engine_new(&cfg);
  if (!eon || !eoff) return 2;
  /* Controlled: metering with a budget that cannot run out, and a real
     deadline (1 h) armed on the watchdog.  Off: neither. */
  aw_resource_limits lon = limits(AW_NO_LIMIT, 3600 * 1000);
  aw_resource_limits loff = limits(AW_NO_LIMIT, AW_NO_LIMIT);

  printf("| kernel | n | limits off ms | fuel + deadline ms | overhead |\n");
  printf("|---|---:|---:|---:|---:|\n");
  double logsum = 0;
  int counted = 0, status = 0;
  for (size_t ki = 0; ki < nsel; ki++) {
    const bench_kernel *k = sel[ki];
    uint32_t n = small ? k->n_small : k->n_default;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", dir, k->name);
    aw_module *mon = load(eon, path), *moff = load(eoff, path);
    if (!mon || !moff) {
      aw_module_free(mon);
      aw_module_free(moff);
      status = 2;
      continue;
    }
    uint64_t want = bench_native_call(k, n);
    double on[MAX_REPS], off[MAX_REPS], ms;
    bool ok = run_kernel(mon, k, n, lon, want, &ms) && /* warm-up */
              run_kernel(moff, k, n, loff, want, &ms);
    for (int r = 0; ok && r < reps; r++)
      ok = run_kernel(moff, k, n, loff, want, &off[r]) &&
           run_kernel(mon, k, n, lon, want, &on[r]);
    aw_module_free(mon);
    aw_module_free(moff);
    if (!ok) {
      printf("| %s | %u | failed | failed | |\n", k->name, n);
      status = 1;
      continue;
    }
    double mon_ms = median(on, reps), moff_ms = median(off, reps);
    printf("| %s | %u | %.2f | %.2f | %+.1f%% |\n", k->name, n, moff_ms, mon_ms,
           (mon_ms / moff_ms - 1) * 100);
    fprintf(stderr, "aw-bench-limits: %-10s off %8.2f ms  on %8.2f ms\n",
            k->name, moff_ms, mon_ms);
    logsum += log(mon_ms / moff_ms);
    counted++;
  }
  if (counted)
    printf("| **geometric mean** | | | | **%+.1f%%** |\n",
           (exp(logsum / counted) - 1) * 100);
  printf("\nMedians of %d interleaved runs of aw_execute each (instantiation "
         "included), thread CPU time.\n",
         reps);
  aw_engine_free(eon);
  aw_engine_free(eoff);
  return status;
}

/* ------------------------------------------------------------------ */
/* Overshoot                                                            */
/* ------------------------------------------------------------------ */

static bool link_wasi(void *ctx, aw_linker *linker, aw_store *store,
                      aw_error *err) {
  aw_wasi *w = ctx;
  aw_wasi_set_interrupt_fd(w, aw_store_interrupt_fd(store));
  return aw_wasi_define(w, linker, store, err);
}

/* One execution of func of m with a timeout of t ms; *over receives the
   ms past the deadline.  With watchdog_only, the thread blocks the signal
   of the executor's thread timer, so only the watchdog thread can stop
   the guest (what the executor falls back to).  false on a wrong
   outcome. */
/* Time the calling thread has spent waiting for a CPU (ns), from
   /proc/thread-self/schedstat; 0 if unavailable. */
static uint64_t run_delay_ns(void) {
  FILE *f = fopen("/proc/thread-self/schedstat", "r");
  unsigned long long oncpu = 0, delay = 0;
  if (f) {
    if (fscanf(f, "%llu %llu", &oncpu, &delay) != 2) delay = 0;
    fclose(f);
  }
  return delay;
}

static bool overshoot_run(const aw_module *m, const char *func, bool wasi,
                          uint64_t t, bool watchdog_only, double *over,
                          double *waited) {
  aw_wasi *w = NULL;
  if (wasi) {
    aw_wasi_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.stdin_fd = cfg.stdout_fd = cfg.stderr_fd = -1;
    aw_error err;
    if (!(w = aw_wasi_new(&cfg, &err))) return false;
  }
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.limits = limits(AW_NO_LIMIT, t);
  req.func = func;
  req.link = wasi ? link_wasi : NULL;
  req.link_ctx = w;
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN + 5);
  if (watchdog_only) pthread_sigmask(SIG_BLOCK, &set, &old);
  aw_exec_result r;
  uint64_t d0 = run_delay_ns();
  aw_errkind ek = aw_execute(&req, &r);
  *waited = (double)(run_delay_ns() - d0) / 1e6;
  if (watchdog_only) pthread_sigmask(SIG_SETMASK, &old, NULL);
  aw_wasi_free(w);
  if (ek != AW_ERR_TIMEOUT) {
    fprintf(stderr, "aw-bench-limits: %s: expected a timeout, got %s: %s\n",
            func, aw_errkind_name(ek), r.error.message);
    return false;
  }
  *over = r.elapsed_ms - (double)t;
  return true;
}

static void print_row(const char *what, const char *how, int runs, uint64_t t,
                      double *over, double *waited) {
  qsort(over, (size_t)runs, sizeof *over, cmp_double);
  int p50 = (runs * 50 + 99) / 100 - 1, p99 = (runs * 99 + 99) / 100 - 1;
  printf("| %s | %s | %d | %llu ms | %.3f ms | %.3f ms | %.3f ms | %.1f ms "
         "|\n",
         what, how, runs, (unsigned long long)t, over[p50], over[p99],
         over[runs - 1], median(waited, runs));
}

static int overshoot(int argc, char **argv) {
  if (argc < 2) return 2;
  int runs = 100;
  uint64_t t = 100;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-t") && i + 1 < argc)
      t = (uint64_t)atoll(argv[++i]);
    else
      return 2;
  }
  if (runs < 1 || runs > 100000) return 2;
  /* The thread timer is opt-in; the "watchdog alone" rows block its
     signal, which is what an engine without it does. */
  aw_engine_config tcfg;
  aw_engine_config_default(&tcfg);
  tcfg.thread_timer = true;
  aw_engine *e = aw_engine_new(&tcfg);
  aw_module *spin = e ? load(e, argv[0]) : NULL;
  aw_module *sleep = e ? load(e, argv[1]) : NULL;
  double *both = calloc((size_t)runs, sizeof *both);
  double *wd = calloc((size_t)runs, sizeof *wd);
  double *wait_both = calloc((size_t)runs, sizeof *wait_both);
  double *wait_wd = calloc((size_t)runs, sizeof *wait_wd);
  int status = 0;
  if (!spin || !sleep || !both || !wd || !wait_both || !wait_wd) {
    status = 2;
    goto done;
  }
  double load0[3] = {0, 0, 0}, load1[3] = {0, 0, 0};
  getloadavg(load0, 3);
  printf("| guest | stopped by | runs | timeout | p50 overshoot | p99 "
         "overshoot | max overshoot | waiting for a CPU (median per run) |\n");
  printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
  const struct {
    const aw_module *m;
    const char *func, *what;
    bool wasi;
  } guests[] = {{spin, "spin", "spinning loop", false},
                {sleep, "sleep", "10 s WASI poll_oneoff sleep", true}};
  for (int g = 0; g < 2; g++) {
    bool ok = true;
    /* Interleaved, so that the machine's load hits both alike. */
    for (int i = 0; ok && i < runs; i++)
      ok = overshoot_run(guests[g].m, guests[g].func, guests[g].wasi, t, false,
                         &both[i], &wait_both[i]) &&
           overshoot_run(guests[g].m, guests[g].func, guests[g].wasi, t, true,
                         &wd[i], &wait_wd[i]);
    if (!ok) {
      status = 1;
      continue;
    }
    print_row(guests[g].what, "thread timer + watchdog (opt-in)", runs, t, both,
              wait_both);
    print_row(guests[g].what, "watchdog thread alone (default)", runs, t, wd,
              wait_wd);
  }
  getloadavg(load1, 3);
  printf(
      "\nOvershoot = elapsed time reported by aw_execute (from the "
      "instant the deadline is computed from) minus the timeout; "
      "percentiles by nearest rank. Waiting for a CPU: time the guest's thread "
      "spent runnable but not running during the execution "
      "(/proc/thread-self/schedstat), i.e. the machine's contention. Load "
      "average (1 min) %.2f before, "
      "%.2f after.\n",
      load0[0], load1[0]);
done:
  free(both);
  free(wd);
  free(wait_both);
  free(wait_wd);
  aw_module_free(spin);
  aw_module_free(sleep);
  aw_engine_free(e);
  return status;
}

int main(int argc, char **argv) {
  int status = 2;
  if (argc >= 2 && !strcmp(argv[1], "overhead"))
    status = overhead(argc - 2, argv + 2);
  else if (argc >= 2 && !strcmp(argv[1], "overshoot"))
    status = overshoot(argc - 2, argv + 2);
  if (status == 2)
    fprintf(stderr,
            "usage: aw-bench-limits overhead WASMDIR [-r REPS] [--small] "
            "[kernel...]\n"
            "       aw-bench-limits overshoot SPIN.wasm SLEEP.wasm [-n RUNS] "
            "[-t MS]\n");
  return status;
}
