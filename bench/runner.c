/*
 * bench/runner.c - aw-bench: runs every benchmark kernel natively and as
 * wasm under airssys-wasm in the same process, with fuel metering on and
 * off, checks that all three give the same checksum, and prints a Markdown
 * table of median times and slowdown ratios (plus their geometric mean)
 * and the time to instantiate a small compiled module.
 *
 *   aw-bench [-r REPS] [-w WASMDIR] [--small | --n N] [-i INST_ITERS]
 *            [--wall] [kernel...]
 *   aw-bench --list          (the kernels as a Markdown list)
 *
 * Exit status: 0 all good; 1 a wasm result differed from native (the run
 * is invalid); 2 usage or I/O error; 3 the engine could not load or run
 * some kernel (the table marks which, with the engine's message).
 */
#define _POSIX_C_SOURCE 200809L
#include <airssys/wasm.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry.h"

#ifndef AW_BENCH_WASM_DIR
#define AW_BENCH_WASM_DIR "build/bench/wasm"
#endif

#define MAX_REPS 101
#define NMODES 2 /* 0: fuel on (default engine config), 1: fuel off */

static const char *const mode_names[NMODES] = {"fuel on", "fuel off"};

/* One kernel loaded into one engine mode. */
typedef struct wasm_side {
  aw_module *module;
  aw_store *store;
  aw_linker *linker;
  aw_func *func;
  double compile_ms;                      /* aw_module_new */
  char error[AW_ERROR_MESSAGE_MAX + 128]; /* non-empty: cannot run */
  double ms[MAX_REPS];
} wasm_side;

typedef struct options {
  int reps;
  const char *wasm_dir;
  int small;
  long n_override;
  int inst_iters;
} options;

/* The clock of the kernel timings: the calling thread's CPU time by
 * default, so that time slices lost to other processes on a shared machine
 * do not count (the kernels are single-threaded and never block, so on an
 * idle machine this equals wall time); CLOCK_MONOTONIC with --wall. */
static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(bench_clock, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Wall clock for the short instantiation timings: the thread CPU clock
 * is a system call (not vDSO), costly next to a few microseconds, and the
 * median over thousands of iterations already ignores preemptions. */
static double wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* SIMD pairs: kernel <k> (scalar wasm) and <k>_simd (-msimd128 wasm).
   The index in sel of the twin of sel[ki] (its _simd build, or for a
   _simd kernel its scalar build), or -1. */
static long simd_twin(const bench_kernel *const *sel, size_t nsel, size_t ki) {
  const char *name = sel[ki]->name;
  size_t len = strlen(name);
  bool is_simd = len > 5 && strcmp(name + len - 5, "_simd") == 0;
  for (size_t j = 0; j < nsel; j++) {
    const char *o = sel[j]->name;
    size_t ol = strlen(o);
    if (is_simd ? (ol + 5 == len && strncmp(o, name, ol) == 0)
                : (ol == len + 5 && strncmp(o, name, len) == 0 &&
                   strcmp(o + len, "_simd") == 0))
      return (long)j;
  }
  return -1;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(const double *v, int n) {
  double tmp[MAX_REPS];
  memcpy(tmp, v, (size_t)n * sizeof *v);
  qsort(tmp, (size_t)n, sizeof *tmp, cmp_double);
  return n % 2 ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
}

/* Reads a whole file; NULL (and a message in @p why) on failure. */
static uint8_t *read_file(const char *path, size_t *len, char *why,
                          size_t whylen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(why, whylen, "cannot open %s (run bench/build.sh first?)", path);
    return NULL;
  }
  uint8_t *buf = NULL;
  size_t cap = 0, used = 0;
  for (;;) {
    if (used == cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      uint8_t *nb = realloc(buf, ncap);
      if (!nb) {
        free(buf);
        fclose(f);
        snprintf(why, whylen, "out of memory reading %s", path);
        return NULL;
      }
      buf = nb;
      cap = ncap;
    }
    size_t got = fread(buf + used, 1, cap - used, f);
    used += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    snprintf(why, whylen, "read error on %s", path);
    return NULL;
  }
  *len = used;
  return buf;
}

static void side_free(wasm_side *s) {
  if (s->linker) aw_linker_free(s->linker);
  if (s->store) aw_store_free(s->store);
  if (s->module) aw_module_free(s->module);
  s->linker = NULL;
  s->store = NULL;
  s->module = NULL;
  s->func = NULL;
}

static void side_fail(wasm_side *s, const char *step, const aw_error *err) {
  snprintf(s->error, sizeof s->error, "%s failed: %s%s%s: %s", step,
           aw_errkind_name(err->kind), err->kind == AW_ERR_TRAP ? "/" : "",
           err->kind == AW_ERR_TRAP ? aw_trapkind_name(err->trap) : "",
           err->message[0] ? err->message : "(no message)");
  side_free(s);
}

/* Compiles and instantiates kernel @p k's module in @p engine and finds
 * its export; on failure s->error says which step and why. */
static void side_load(wasm_side *s, aw_engine *engine, const bench_kernel *k,
                      const uint8_t *bytes, size_t len) {
  aw_error err;
  aw_error_clear(&err);
  double t0 = now_ms();
  s->module = aw_module_new(engine, bytes, len, &err);
  s->compile_ms = now_ms() - t0;
  if (!s->module) {
    side_fail(s, "aw_module_new", &err);
    return;
  }
  s->store = aw_store_new(engine);
  if (!s->store) {
    snprintf(s->error, sizeof s->error, "aw_store_new failed (out of memory)");
    side_free(s);
    return;
  }
  s->linker = aw_linker_new(s->store);
  if (!s->linker) {
    snprintf(s->error, sizeof s->error, "aw_linker_new failed (out of memory)");
    side_free(s);
    return;
  }
  aw_error_clear(&err);
  aw_instance *inst = aw_linker_instantiate(s->linker, s->module, &err);
  if (!inst) {
    side_fail(s, "aw_linker_instantiate", &err);
    return;
  }
  char name[64];
  snprintf(name, sizeof name, "bench_%s", k->name);
  aw_extern ext;
  if (!aw_instance_export(inst, name, strlen(name), &ext) ||
      ext.kind != AW_EXTERN_FUNC) {
    snprintf(s->error, sizeof s->error, "no exported function %s", name);
    side_free(s);
    return;
  }
  aw_functype ft = aw_func_type(ext.of.func);
  aw_valkind want = k->bits == 32 ? AW_I32 : AW_I64;
  if (ft.nparams != 1 || ft.params[0] != AW_I32 || ft.nresults != 1 ||
      ft.results[0] != want) {
    snprintf(s->error, sizeof s->error, "%s has an unexpected type", name);
    side_free(s);
    return;
  }
  s->func = ext.of.func;
}

/* Calls the kernel once; false (and s->error set) if the engine failed. */
static bool side_call(wasm_side *s, const bench_kernel *k, uint32_t n,
                      uint64_t *result, double *ms) {
  aw_val arg = {.kind = AW_I32, .of.i32 = (int32_t)n};
  aw_val res;
  memset(&res, 0, sizeof res);
  aw_error err;
  aw_error_clear(&err);
  double t0 = now_ms();
  aw_errkind ek = aw_func_call(s->store, s->func, &arg, 1, &res, 1, &err);
  *ms = now_ms() - t0;
  if (ek != AW_OK) {
    if (err.kind == AW_OK) err.kind = ek;
    side_fail(s, "aw_func_call", &err);
    return false;
  }
  *result =
      k->bits == 32 ? (uint64_t)(uint32_t)res.of.i32 : (uint64_t)res.of.i64;
  return true;
}

/* Median time of instantiating @p path's module (already compiled) in a
 * fresh store, over @p iters iterations: [0] the aw_linker_instantiate
 * call alone, [1] the whole store + linker + instantiate + free cycle, in
 * microseconds.  False with a message on failure. */
static bool measure_instantiate(aw_engine *engine, const char *path, int iters,
                                double out_us[2], char *why, size_t whylen) {
  size_t len = 0;
  uint8_t *bytes = read_file(path, &len, why, whylen);
  if (!bytes) return false;
  aw_error err;
  aw_error_clear(&err);
  aw_module *mod = aw_module_new(engine, bytes, len, &err);
  free(bytes);
  if (!mod) {
    snprintf(why, whylen, "aw_module_new(%s): %s", path, err.message);
    return false;
  }
  double *inst_us = malloc((size_t)iters * sizeof *inst_us);
  double *cycle_us = malloc((size_t)iters * sizeof *cycle_us);
  bool ok = inst_us && cycle_us;
  if (!ok) snprintf(why, whylen, "out of memory");
  for (int i = 0; ok && i < iters; i++) {
    double t0 = wall_ms();
    aw_store *st = aw_store_new(engine);
    aw_linker *lk = st ? aw_linker_new(st) : NULL;
    if (!lk) {
      snprintf(why, whylen, "aw_store_new/aw_linker_new: out of memory");
      if (st) aw_store_free(st);
      ok = false;
      break;
    }
    aw_error_clear(&err);
    double t1 = wall_ms();
    aw_instance *inst = aw_linker_instantiate(lk, mod, &err);
    double t2 = wall_ms();
    if (!inst) {
      snprintf(why, whylen, "aw_linker_instantiate(%s): %s", path, err.message);
      ok = false;
    }
    aw_linker_free(lk);
    aw_store_free(st);
    double t3 = wall_ms();
    inst_us[i] = (t2 - t1) * 1e3;
    cycle_us[i] = (t3 - t0) * 1e3;
  }
  if (ok) {
    qsort(inst_us, (size_t)iters, sizeof *inst_us, cmp_double);
    qsort(cycle_us, (size_t)iters, sizeof *cycle_us, cmp_double);
    out_us[0] = inst_us[iters / 2];
    out_us[1] = cycle_us[iters / 2];
  }
  free(inst_us);
  free(cycle_us);
  aw_module_free(mod);
  return ok;
}

static void usage(void) {
  fprintf(
      stderr,
      "usage: aw-bench [-r REPS] [-w WASMDIR] [--small | --n N] "
      "[-i INST_ITERS] [--wall] [kernel...]\n"
      "  -r REPS        timed repetitions per kernel and mode (default 5,"
      " max %d)\n"
      "  -w WASMDIR     directory of <kernel>.wasm (default %s)\n"
      "  --small        use the small check sizes instead of the defaults\n"
      "  --wall         time with the wall clock instead of thread CPU time\n"
      "  --n N          use size N for every kernel\n"
      "  -i INST_ITERS  instantiation iterations (default 2000)\n"
      "  --list         print the kernels and exit\n",
      MAX_REPS, AW_BENCH_WASM_DIR);
}

static bool parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

int main(int argc, char **argv) {
  options opt = {5, AW_BENCH_WASM_DIR, 0, -1, 2000};
  const bench_kernel *sel[64];
  size_t nsel = 0;
  for (int i = 1; i < argc; i++) {
    long v;
    const char *a = argv[i];
    if (strcmp(a, "-r") == 0 && i + 1 < argc &&
        parse_long(argv[i + 1], 1, MAX_REPS, &v)) {
      opt.reps = (int)v;
      i++;
    } else if (strcmp(a, "-w") == 0 && i + 1 < argc) {
      opt.wasm_dir = argv[++i];
    } else if (strcmp(a, "--list") == 0) {
      for (size_t j = 0; j < bench_nkernels; j++)
        printf("- `%s` (default n = %" PRIu32 ", %u-bit result): %s\n",
               bench_kernels[j].name, bench_kernels[j].n_default,
               bench_kernels[j].bits, bench_kernels[j].what);
      return 0;
    } else if (strcmp(a, "--wall") == 0) {
      bench_clock = CLOCK_MONOTONIC;
    } else if (strcmp(a, "--small") == 0) {
      opt.small = 1;
    } else if (strcmp(a, "--n") == 0 && i + 1 < argc &&
               parse_long(argv[i + 1], 0, INT32_MAX, &v)) {
      opt.n_override = v;
      i++;
    } else if (strcmp(a, "-i") == 0 && i + 1 < argc &&
               parse_long(argv[i + 1], 1, 10000000, &v)) {
      opt.inst_iters = (int)v;
      i++;
    } else if (a[0] != '-' && nsel < sizeof sel / sizeof sel[0]) {
      sel[nsel] = bench_find(a);
      if (!sel[nsel]) {
        fprintf(stderr, "aw-bench: no kernel named '%s'\n", a);
        return 2;
      }
      nsel++;
    } else {
      usage();
      return 2;
    }
  }
  if (nsel == 0)
    for (size_t i = 0; i < bench_nkernels && i < sizeof sel / sizeof sel[0];
         i++)
      sel[nsel++] = &bench_kernels[i];

  aw_engine *engines[NMODES];
  for (int m = 0; m < NMODES; m++) {
    aw_engine_config cfg;
    aw_engine_config_default(&cfg);
    cfg.consume_fuel = (m == 0);
    engines[m] = aw_engine_new(&cfg);
    if (!engines[m]) {
      fprintf(stderr, "aw-bench: aw_engine_new failed\n");
      return 2;
    }
  }

  wasm_side *sides = calloc(nsel * NMODES, sizeof *sides);
  double(*native_ms)[MAX_REPS] = calloc(nsel, sizeof *native_ms);
  uint32_t *ns = calloc(nsel, sizeof *ns);
  if (!sides || !native_ms || !ns) {
    fprintf(stderr, "aw-bench: out of memory\n");
    return 2;
  }

  int mismatches = 0, engine_failures = 0;
  for (size_t ki = 0; ki < nsel; ki++) {
    const bench_kernel *k = sel[ki];
    uint32_t n = opt.small ? k->n_small : k->n_default;
    if (opt.n_override >= 0) n = (uint32_t)opt.n_override;
    ns[ki] = n;
    fprintf(stderr, "aw-bench: %-10s n=%-9" PRIu32, k->name, n);

    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", opt.wasm_dir, k->name);
    size_t len = 0;
    char why[4200];
    uint8_t *bytes = read_file(path, &len, why, sizeof why);
    if (!bytes) {
      fprintf(stderr, "\naw-bench: %s\n", why);
      return 2;
    }
    wasm_side *sd = &sides[ki * NMODES];
    for (int m = 0; m < NMODES; m++)
      side_load(&sd[m], engines[m], k, bytes, len);
    free(bytes);

    /* Untimed warm-up run, which is also the first correctness check. */
    double ms;
    uint64_t want = bench_native_call(k, n);
    for (int m = 0; m < NMODES; m++) {
      uint64_t got;
      if (sd[m].func && side_call(&sd[m], k, n, &got, &ms) && got != want) {
        fprintf(stderr,
                "\naw-bench: RESULT MISMATCH: %s n=%" PRIu32 " (%s): "
                "native %" PRIu64 ", wasm %" PRIu64 "\n",
                k->name, n, mode_names[m], want, got);
        snprintf(sd[m].error, sizeof sd[m].error,
                 "RESULT MISMATCH: native %" PRIu64 ", wasm %" PRIu64, want,
                 got);
        side_free(&sd[m]);
        mismatches++;
      }
    }

    /* Timed runs, interleaved so that machine noise hits all columns. */
    for (int r = 0; r < opt.reps; r++) {
      double t0 = now_ms();
      uint64_t got = bench_native_call(k, n);
      native_ms[ki][r] = now_ms() - t0;
      if (got != want) {
        fprintf(stderr, "\naw-bench: native %s is not deterministic\n",
                k->name);
        return 1;
      }
      for (int m = 0; m < NMODES; m++) {
        if (!sd[m].func) continue;
        if (!side_call(&sd[m], k, n, &got, &sd[m].ms[r])) continue;
        if (got != want) {
          fprintf(stderr,
                  "\naw-bench: RESULT MISMATCH: %s n=%" PRIu32
                  " (%s, rep %d): native %" PRIu64 ", wasm %" PRIu64 "\n",
                  k->name, n, mode_names[m], r, want, got);
          snprintf(sd[m].error, sizeof sd[m].error,
                   "RESULT MISMATCH: native %" PRIu64 ", wasm %" PRIu64, want,
                   got);
          side_free(&sd[m]);
          mismatches++;
        }
      }
    }
    fprintf(stderr, " native %8.2f ms", median(native_ms[ki], opt.reps));
    for (int m = 0; m < NMODES; m++) {
      if (sd[m].func)
        fprintf(stderr, "  %s %8.2f ms", mode_names[m],
                median(sd[m].ms, opt.reps));
      else
        fprintf(stderr, "  %s: n/a", mode_names[m]);
    }
    fputc('\n', stderr);
    for (int m = 0; m < NMODES; m++) {
      if (sd[m].error[0] && strncmp(sd[m].error, "RESULT", 6) != 0) {
        fprintf(stderr, "aw-bench: engine cannot run %s (%s): %s\n", k->name,
                mode_names[m], sd[m].error);
        engine_failures++;
      }
    }
  }

  /* The table. */
  printf("| kernel | n | native ms | wasm ms (fuel on) | slowdown (fuel on) "
         "| wasm ms (fuel off) | slowdown (fuel off) | fuel cost | "
         "compile ms |\n");
  printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
  double logsum[NMODES] = {0, 0}, fuel_logsum = 0;
  int counted[NMODES] = {0, 0}, fuel_counted = 0;
  for (size_t ki = 0; ki < nsel; ki++) {
    const bench_kernel *k = sel[ki];
    wasm_side *sd = &sides[ki * NMODES];
    if (simd_twin(sel, nsel, ki) >= 0) continue; /* the SIMD table below */
    double nat = median(native_ms[ki], opt.reps);
    double med[NMODES];
    printf("| %s | %" PRIu32 " | %.2f", k->name, ns[ki], nat);
    for (int m = 0; m < NMODES; m++) {
      if (sd[m].func) {
        med[m] = median(sd[m].ms, opt.reps);
        double ratio = med[m] / nat;
        printf(" | %.2f | %.2fx", med[m], ratio);
        logsum[m] += log(ratio);
        counted[m]++;
      } else {
        med[m] = -1;
        printf(" | n/a | n/a");
      }
    }
    if (med[0] > 0 && med[1] > 0) {
      printf(" | %+.1f%%", (med[0] / med[1] - 1.0) * 100.0);
      fuel_logsum += log(med[0] / med[1]);
      fuel_counted++;
    } else {
      printf(" | n/a");
    }
    if (sd[0].func)
      printf(" | %.2f |\n", sd[0].compile_ms);
    else
      printf(" | n/a |\n");
  }
  printf("| **geometric mean** | | ");
  for (int m = 0; m < NMODES; m++) {
    if (counted[m])
      printf("| | **%.2fx** ", exp(logsum[m] / counted[m]));
    else
      printf("| | n/a ");
  }
  if (fuel_counted)
    printf("| %+.1f%% | |\n", (exp(fuel_logsum / fuel_counted) - 1.0) * 100);
  else
    printf("| n/a | |\n");
  /* SIMD pairs: the same C, wasm built without and with -msimd128. */
  bool simd_head = false;
  double sp_logsum[NMODES] = {0, 0};
  int sp_counted[NMODES] = {0, 0};
  for (size_t ki = 0; ki < nsel; ki++) {
    long tj = simd_twin(sel, nsel, ki);
    size_t nl = strlen(sel[ki]->name);
    if (tj < 0 || (nl > 5 && !strcmp(sel[ki]->name + nl - 5, "_simd")))
      continue;
    if (!simd_head) {
      printf("\n### SIMD kernels\n\nThe same C source compiled to wasm "
             "without and "
             "with `-msimd128` (clang's auto-vectorizer then emits v128 "
             "code); both builds and native give the same checksum. SIMD "
             "speedup = scalar wasm time / SIMD wasm time.\n\n");
      printf("| kernel | n | native ms | scalar wasm ms (fuel on) | SIMD wasm "
             "ms (fuel on) | SIMD speedup (fuel on) | scalar wasm ms (fuel "
             "off) | SIMD wasm ms (fuel off) | SIMD speedup (fuel off) | "
             "SIMD slowdown vs native (fuel on) |\n");
      printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
      simd_head = true;
    }
    const wasm_side *sc = &sides[ki * NMODES], *vs = &sides[tj * NMODES];
    double nat = median(native_ms[ki], opt.reps);
    printf("| %s | %" PRIu32 " | %.2f", sel[ki]->name, ns[ki], nat);
    double vmed0 = -1;
    for (int m = 0; m < NMODES; m++) {
      if (sc[m].func && vs[m].func) {
        double a = median(sc[m].ms, opt.reps), b = median(vs[m].ms, opt.reps);
        printf(" | %.2f | %.2f | **%.2fx**", a, b, a / b);
        sp_logsum[m] += log(a / b);
        sp_counted[m]++;
        if (m == 0) vmed0 = b;
      } else {
        printf(" | n/a | n/a | n/a");
      }
    }
    if (vmed0 > 0)
      printf(" | %.2fx |\n", vmed0 / nat);
    else
      printf(" | n/a |\n");
  }
  if (simd_head) {
    char gm[NMODES][32];
    for (int m = 0; m < NMODES; m++) {
      if (sp_counted[m])
        snprintf(gm[m], sizeof gm[m], "**%.2fx**",
                 exp(sp_logsum[m] / sp_counted[m]));
      else
        snprintf(gm[m], sizeof gm[m], "n/a");
    }
    printf("| **geometric mean** | | | | | %s | | | %s | |\n", gm[0], gm[1]);
  }

  printf("\nTimes are %s, median of %d interleaved runs per column after "
         "one warm-up run; slowdown = wasm median / native median; fuel cost "
         "= fuel-on time over fuel-off time. ",
         bench_clock == CLOCK_MONOTONIC ? "wall-clock time" : "thread CPU time",
         opt.reps);
  if (mismatches == 0 && engine_failures == 0)
    printf("Every wasm result (warm-up and timed runs, both modes) was "
           "checked equal to the native checksum.\n");
  else
    printf("\n");

  bool notes = false;
  for (size_t ki = 0; ki < nsel; ki++) {
    const wasm_side *sd = &sides[ki * NMODES];
    for (int m = 0; m < NMODES; m++) {
      if (!sd[m].error[0]) continue;
      if (!notes) printf("\nErrors:\n\n");
      notes = true;
      /* The same failure in both modes is reported once. */
      if (m == 0 && strcmp(sd[0].error, sd[1].error) == 0) {
        printf("- `%s` (both modes): %s\n", sel[ki]->name, sd[0].error);
        break;
      }
      printf("- `%s` (%s): %s\n", sel[ki]->name, mode_names[m], sd[m].error);
    }
  }

  /* Instantiation of a small compiled module (fib: one page, no data). */
  char ipath[4096];
  snprintf(ipath, sizeof ipath, "%s/fib.wasm", opt.wasm_dir);
  for (int m = 0; m < NMODES; m++) {
    double us[2];
    char why[4400];
    if (measure_instantiate(engines[m], ipath, opt.inst_iters, us, why,
                            sizeof why))
      printf("\nInstantiate fib.wasm from its compiled module (%s, median of "
             "%d): **%.2f us** for aw_linker_instantiate, %.2f us for the "
             "whole store + linker + instantiate + free cycle.\n",
             mode_names[m], opt.inst_iters, us[0], us[1]);
    else {
      printf("\nInstantiate fib.wasm (%s): n/a (%s)\n", mode_names[m], why);
      engine_failures++;
    }
  }

  for (size_t i = 0; i < nsel * NMODES; i++)
    side_free(&sides[i]);
  for (int m = 0; m < NMODES; m++)
    aw_engine_free(engines[m]);
  free(sides);
  free(native_ms);
  free(ns);
  if (mismatches) {
    fprintf(stderr, "aw-bench: FAILED: %d wasm result(s) differ from native\n",
            mismatches);
    return 1;
  }
  if (engine_failures) {
    fprintf(stderr,
            "aw-bench: the engine could not run %d kernel/mode pair(s) "
            "(see messages above)\n",
            engine_failures);
    return 3;
  }
  return 0;
}
