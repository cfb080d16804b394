/*
 * hostile.c - driver of the hostile-guest suite (tests/hostile/README.md):
 * runs each module under the executor (aw_execute: fuel, deadline, memory,
 * table and call-depth caps, optionally WASI) and checks the outcome each
 * case declares, with its figures, and that the host stays healthy (no fd
 * left open, bounded time).  Leaks are LeakSanitizer's job (ASan build).
 *
 *   aw-hostile [--wasm-dir DIR] FILE.wat...
 *
 * Each FILE.wat (compiled to DIR/FILE.wasm by tests/hostile/run.sh) holds
 * its cases as comment lines:
 *   ;; expect-module: OUTCOME          (compile outcome, default success)
 *   ;; expect: FUNC OUTCOME [key=value]...
 * OUTCOME is an aw_errkind_name (success, trap, out_of_fuel, timeout,
 * limit_exceeded, link_error, exit, malformed_module, invalid_module...);
 * keys: trap=<aw_trapkind_name> result=<int> (first result) args=<i,i,...>
 * fuel=<n|none> timeout=<ms|none> mem=<bytes> table=<n> depth=<n>
 * resource=<aw_resource_name: memory, table, call_depth...> exit=<code> wasi=1
 * maxms=<ms>. Cases built in C (modules too large or too deep for wat2wasm) run
 * too (hostile_gen.c).  The last line is "N passed, N failed".
 */
#include "hostile.h"
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "airssys/wasi.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned passed, failed;

void hs_result(const char *name, bool ok, const char *fmt, ...) {
  char why[512] = "";
  if (!ok && fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
  }
  if (ok) {
    passed++;
    printf("ok   %s\n", name);
  } else {
    failed++;
    printf("FAIL %s: %s\n", name, why);
  }
  fflush(stdout);
}

int hs_open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n - 1; /* the directory's own fd */
}

void hs_case_init(hs_case *c) {
  memset(c, 0, sizeof *c);
  c->fuel = 1000000;
  c->timeout_ms = 10000;
  c->mem = (16u << 20) + 65536; /* 16 MiB of pages + room for overhead */
  c->table = 100000;
  c->depth = 0; /* executor default */
  c->maxms = 30000;
  c->expect_trap = AW_TRAP_NONE;
}

/* The WASI sandbox of a case: a fresh directory with a file. */
typedef struct {
  char dir[64];
  aw_wasi *wasi;
} hs_wasi;

static bool hs_link(void *ctx, aw_linker *linker, aw_store *store,
                    aw_error *err) {
  hs_wasi *w = ctx;
  if (!w || !w->wasi) return true;
  if (!aw_wasi_define(w->wasi, linker, store, err)) return false;
  aw_wasi_set_interrupt_fd(w->wasi, aw_store_interrupt_fd(store));
  return true;
}

static void rm_tree(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    unlink(path);
    return;
  }
  struct dirent *e;
  char sub[512];
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    struct stat st;
    if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      rm_tree(sub);
    else
      unlink(sub);
  }
  closedir(d);
  rmdir(path);
}

static bool wasi_setup(hs_wasi *w) {
  snprintf(w->dir, sizeof w->dir, "/tmp/aw-hostile-XXXXXX");
  if (!mkdtemp(w->dir)) return false;
  char p[128];
  snprintf(p, sizeof p, "%s/in.txt", w->dir);
  FILE *f = fopen(p, "w");
  if (!f) return false;
  fputs("hostile input\n", f);
  fclose(f);
  snprintf(p, sizeof p, "%s/sub", w->dir);
  mkdir(p, 0700);
  static const char *args[] = {"hostile", "arg1"};
  static const char *env[] = {"HOSTILE=1"};
  aw_wasi_dir dir = {.host = w->dir, .guest = "/sandbox", .writable = true};
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  aw_wasi_config cfg = {.nargs = 2,
                        .args = args,
                        .nenv = 1,
                        .env = env,
                        .ndirs = 1,
                        .dirs = &dir,
                        .stdin_fd = -1,
                        .stdout_fd = devnull,
                        .stderr_fd = devnull};
  aw_error err;
  w->wasi = aw_wasi_new(&cfg, &err); /* duplicates devnull */
  if (devnull >= 0) close(devnull);
  if (!w->wasi) fprintf(stderr, "aw_wasi_new: %s\n", err.message);
  return w->wasi != NULL;
}

static void wasi_teardown(hs_wasi *w) {
  if (w->wasi) aw_wasi_free(w->wasi);
  if (w->dir[0]) rm_tree(w->dir);
}

/* Checks res against c; returns NULL or what is wrong (in buf). */
static const char *check(const hs_case *c, const aw_exec_result *res, char *buf,
                         size_t n) {
  aw_errkind k = res->outcome;
  if (k != c->expect) {
    snprintf(buf, n, "outcome %s, expected %s (%s)", aw_errkind_name(k),
             aw_errkind_name(c->expect), res->error.message);
    return buf;
  }
  if (k != AW_OK && !res->error.message[0]) return "failure without message";
  if (k == AW_ERR_TRAP && c->expect_trap != AW_TRAP_NONE &&
      res->error.trap != c->expect_trap) {
    snprintf(buf, n, "trap %s, expected %s", aw_trapkind_name(res->error.trap),
             aw_trapkind_name(c->expect_trap));
    return buf;
  }
  if (k == AW_ERR_TRAP && res->error.trap == AW_TRAP_NONE)
    return "trap without a trap kind";
  if (c->has_result) {
    if (res->nresults < 1) return "no result";
    const aw_val *v = &res->results[0];
    int64_t got = v->kind == AW_I64 ? v->of.i64 : v->of.i32;
    if (got != c->result) {
      snprintf(buf, n, "result %lld, expected %lld", (long long)got,
               (long long)c->result);
      return buf;
    }
  }
  if (k == AW_ERR_OUT_OF_FUEL) {
    const aw_error_figures *f = &res->error.figures;
    if (f->fuel.max != c->fuel || f->fuel.consumed > f->fuel.max) {
      snprintf(buf, n, "fuel figures max %llu consumed %llu (budget %llu)",
               (unsigned long long)f->fuel.max,
               (unsigned long long)f->fuel.consumed,
               (unsigned long long)c->fuel);
      return buf;
    }
  }
  if (k == AW_ERR_TIMEOUT) {
    const aw_error_figures *f = &res->error.figures;
    if (f->timeout.timeout_ms != c->timeout_ms ||
        f->timeout.elapsed_ms < c->timeout_ms ||
        f->timeout.elapsed_ms > c->timeout_ms + 5000) {
      snprintf(buf, n, "timeout figures %llu ms, elapsed %llu ms",
               (unsigned long long)f->timeout.timeout_ms,
               (unsigned long long)f->timeout.elapsed_ms);
      return buf;
    }
  }
  if (k == AW_ERR_LIMIT_EXCEEDED && c->resource != AW_RESOURCE_NONE &&
      res->error.figures.limit.resource != c->resource) {
    snprintf(buf, n, "limit on %s, expected %s",
             aw_resource_name(res->error.figures.limit.resource),
             aw_resource_name(c->resource));
    return buf;
  }
  /* The memory budget's figures: the cap, and more than it requested. */
  const aw_error_figures *lf = &res->error.figures;
  if (k == AW_ERR_LIMIT_EXCEEDED && lf->limit.resource == AW_RESOURCE_MEMORY &&
      (lf->limit.requested <= lf->limit.limit || lf->limit.limit > c->mem)) {
    snprintf(buf, n, "memory figures limit %llu requested %llu (cap %llu)",
             (unsigned long long)lf->limit.limit,
             (unsigned long long)lf->limit.requested,
             (unsigned long long)c->mem);
    return buf;
  }
  if (k == AW_ERR_EXIT && c->has_exit && res->error.exit_code != c->exit) {
    snprintf(buf, n, "exit code %d, expected %d", res->error.exit_code,
             c->exit);
    return buf;
  }
  if (res->memory.peak > c->mem) {
    snprintf(buf, n, "memory peak %llu over the cap %llu",
             (unsigned long long)res->memory.peak, (unsigned long long)c->mem);
    return buf;
  }
  if (res->elapsed_ms > (double)c->maxms) {
    snprintf(buf, n, "took %.0f ms (max %llu)", res->elapsed_ms,
             (unsigned long long)c->maxms);
    return buf;
  }
  return NULL;
}

void hs_run_case(aw_engine *engine, const aw_module *mod, const hs_case *c) {
  int fds0 = hs_open_fds();
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_fuel(&b, c->fuel);
  aw_limits_builder_timeout_ms(&b, c->timeout_ms);
  aw_limits_builder_max_memory_bytes(&b, c->mem);
  aw_limits_builder_max_table_elements(&b, c->table);
  if (c->depth) aw_limits_builder_max_call_depth(&b, c->depth);
  aw_exec_request req = {.module = mod, .func = c->func};
  aw_error err;
  if (aw_limits_builder_build(&b, &req.limits, &err) != AW_OK) {
    hs_result(c->name, false, "limits: %s", err.message);
    return;
  }
  /* Arguments: converted to each parameter's type. */
  static aw_val args[1024];
  uint32_t nargs = 0;
  for (uint32_t i = 0; i < aw_module_export_count(mod); i++) {
    aw_export_desc d;
    if (aw_module_export(mod, i, &d) && d.type.kind == AW_EXTERN_FUNC &&
        !strcmp(d.name, c->func)) {
      nargs = d.type.of.func.nparams < 1024 ? d.type.of.func.nparams : 1024;
      for (uint32_t j = 0; j < nargs; j++) {
        memset(&args[j], 0, sizeof args[j]);
        args[j].kind = d.type.of.func.params[j];
        int64_t v = j < c->nargs && j < 16 ? c->args[j] : 0;
        if (args[j].kind == AW_I64)
          args[j].of.i64 = v;
        else
          args[j].of.i32 = (int32_t)v;
      }
    }
  }
  req.args = args;
  req.nargs = nargs;
  hs_wasi w = {0};
  if (c->wasi && !wasi_setup(&w)) {
    wasi_teardown(&w);
    hs_result(c->name, false, "cannot set up WASI");
    return;
  }
  req.link = hs_link;
  req.link_ctx = c->wasi ? &w : NULL;
  aw_exec_result res;
  aw_execute(&req, &res);
  wasi_teardown(&w);
  (void)engine;
  char buf[400];
  const char *why = check(c, &res, buf, sizeof buf);
  int fds1 = hs_open_fds();
  if (!why && fds1 != fds0) {
    snprintf(buf, sizeof buf, "%d fds open before, %d after", fds0, fds1);
    why = buf;
  }
  hs_result(c->name, why == NULL, "%s", why);
}

/* Parses "key=value" of an expect line into c; false if unknown. */
static bool parse_key(hs_case *c, const char *kv) {
  const char *eq = strchr(kv, '=');
  if (!eq) return false;
  size_t kl = (size_t)(eq - kv);
  const char *v = eq + 1;
#define KEY(s) (kl == strlen(s) && !strncmp(kv, s, kl))
  uint64_t num = strcmp(v, "none") ? strtoull(v, NULL, 0) : AW_NO_LIMIT;
  if (KEY("trap")) {
    for (int t = 0; t <= AW_TRAP_HOST; t++)
      if (!strcmp(v, aw_trapkind_name((aw_trapkind)t))) {
        c->expect_trap = (aw_trapkind)t;
        return true;
      }
    return false;
  }
  if (KEY("resource")) {
    for (int r = 0; r <= AW_RESOURCE_MEMORIES; r++) {
      char nm[32];
      snprintf(nm, sizeof nm, "%s", aw_resource_name((aw_resource)r));
      for (char *q = nm; *q; q++)
        if (*q == ' ') *q = '_';
      if (!strcmp(v, nm)) {
        c->resource = (aw_resource)r;
        return true;
      }
    }
    return false;
  }
  if (KEY("result")) {
    c->has_result = true;
    c->result = strtoll(v, NULL, 0);
  } else if (KEY("exit")) {
    c->has_exit = true;
    c->exit = (int32_t)strtol(v, NULL, 0);
  } else if (KEY("args")) {
    const char *p = v;
    while (*p && c->nargs < 16) {
      char *end;
      c->args[c->nargs++] = strtoll(p, &end, 0);
      p = *end == ',' ? end + 1 : end;
      if (end == p && *p) return false;
    }
  } else if (KEY("fuel")) {
    c->fuel = num;
  } else if (KEY("timeout")) {
    c->timeout_ms = num;
  } else if (KEY("mem")) {
    c->mem = num;
  } else if (KEY("table")) {
    c->table = (uint32_t)num;
  } else if (KEY("depth")) {
    c->depth = (uint32_t)num;
  } else if (KEY("maxms")) {
    c->maxms = num;
  } else if (KEY("wasi")) {
    c->wasi = num != 0;
  } else {
    return false;
  }
#undef KEY
  return true;
}

bool hs_parse_outcome(const char *s, aw_errkind *out) {
  for (int k = 0; k <= AW_ERR_ARGUMENT; k++)
    if (!strcmp(s, aw_errkind_name((aw_errkind)k))) {
      *out = (aw_errkind)k;
      return true;
    }
  return false;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *b = malloc(cap);
  while (b) {
    n += fread(b + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *nb = realloc(b, cap *= 2);
    if (!nb) {
      free(b);
      b = NULL;
    }
    b = nb;
  }
  fclose(f);
  *len = n;
  return b;
}

/* Runs the cases of one .wat file. */
static void run_wat(aw_engine *engine, const char *wat, const char *wasm_dir) {
  const char *base = strrchr(wat, '/');
  base = base ? base + 1 : wat;
  char wasm[1024], name[200];
  snprintf(wasm, sizeof wasm, "%s/%.*s.wasm", wasm_dir, (int)(strlen(base) - 4),
           base);
  FILE *f = fopen(wat, "r");
  if (!f) {
    hs_result(base, false, "cannot open %s", wat);
    return;
  }
  size_t len = 0;
  uint8_t *bytes = read_file(wasm, &len);
  if (!bytes) {
    fclose(f);
    hs_result(base, false, "cannot read %s", wasm);
    return;
  }
  aw_errkind expect_mod = AW_OK;
  char line[1024];
  hs_case cases[64];
  unsigned ncases = 0;
  while (fgets(line, sizeof line, f)) {
    char *p = strstr(line, ";; expect");
    if (!p) continue;
    line[strcspn(line, "\n")] = 0;
    if (!strncmp(p, ";; expect-module:", 17)) {
      char o[64];
      if (sscanf(p + 17, "%63s", o) != 1 || !hs_parse_outcome(o, &expect_mod))
        hs_result(base, false, "bad line: %s", p);
      continue;
    }
    if (strncmp(p, ";; expect:", 10) || ncases == 64) continue;
    hs_case *c = &cases[ncases];
    hs_case_init(c);
    char *save = NULL, *tok = strtok_r(p + 10, " \t", &save);
    char *o = tok ? strtok_r(NULL, " \t", &save) : NULL;
    if (!tok || !o || !hs_parse_outcome(o, &c->expect)) {
      hs_result(base, false, "bad line: %s", p);
      continue;
    }
    snprintf(c->func, sizeof c->func, "%s", tok);
    bool ok = true;
    while ((tok = strtok_r(NULL, " \t", &save)))
      if (!parse_key(c, tok)) ok = false;
    if (!ok) {
      hs_result(base, false, "bad key in: %s", line);
      continue;
    }
    snprintf(name, sizeof name, "%.*s:%s%s%s", (int)(strlen(base) - 4), base,
             c->func, c->fuel == AW_NO_LIMIT ? "[no fuel]" : "",
             c->timeout_ms == AW_NO_LIMIT ? "[no timeout]" : "");
    /* Several cases may call one function: number the repeats. */
    unsigned rep = 1;
    for (unsigned i = 0; i < ncases; i++)
      if (!strcmp(cases[i].func, c->func)) rep++;
    if (rep > 1)
      snprintf(c->name, sizeof c->name, "%s#%u", name, rep);
    else
      snprintf(c->name, sizeof c->name, "%s", name);
    ncases++;
  }
  fclose(f);
  aw_error err;
  int fds0 = hs_open_fds();
  aw_module *m = aw_module_new(engine, bytes, len, &err);
  free(bytes);
  aw_errkind got = m ? AW_OK : err.kind;
  snprintf(name, sizeof name, "%.*s:module", (int)(strlen(base) - 4), base);
  hs_result(name, got == expect_mod && (m || err.message[0]),
            "compile: %s, expected %s (%s)", aw_errkind_name(got),
            aw_errkind_name(expect_mod), m ? "" : err.message);
  if (m) {
    for (unsigned i = 0; i < ncases; i++)
      hs_run_case(engine, m, &cases[i]);
    aw_module_free(m);
  }
  if (hs_open_fds() != fds0) hs_result(name, false, "fd leak");
}

int main(int argc, char **argv) {
  const char *wasm_dir = ".";
  aw_engine *engine = aw_engine_new(NULL);
  if (!engine) return 2;
  int i = 1;
  if (argc > 2 && !strcmp(argv[1], "--wasm-dir")) {
    wasm_dir = argv[2];
    i = 3;
  }
  const char *only = getenv("AW_HOSTILE_ONLY");
  for (; i < argc; i++)
    if (!only || strstr(argv[i], only)) run_wat(engine, argv[i], wasm_dir);
  if (!only || !strcmp(only, "gen")) hs_run_generated(engine);
  if (!only || !strcmp(only, "budget")) hs_run_budget(engine);
  if (!only || !strcmp(only, "compile")) hs_run_compile_cost();
  if (!only || !strcmp(only, "deadline")) hs_run_deadline(engine);
  if (!only || !strcmp(only, "wasiio")) hs_run_wasiio(engine, wasm_dir);
  aw_engine_free(engine);
  printf("%u passed, %u failed\n", passed, failed);
  return failed ? 1 : 0;
}
