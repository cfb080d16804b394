/*
 * run.c - the `run` subcommand: runs a module or a component (a directory
 * or a Component.toml) under resource limits with WASI, through the
 * executor (airssys/executor.h), and reports the outcome: a one-line
 * message on stderr, the exit status, and a JSON report (--report).
 *
 * Precedence of settings: command-line options, then the manifest, then
 * the defaults (fuel and timeout only: memory has no default).
 */
#include "cli.h"
#include "report.h"

#include "airssys/executor.h"
#include "airssys/limits.h"
#include "airssys/manifest.h"
#include "airssys/wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_MSG_MAX 512

static void run_usage(FILE *out) {
  fprintf(
      out,
      "usage: airssys-wasm run [OPTIONS] <MODULE.wasm | COMPONENT_DIR | "
      "Component.toml> [ARGS...]\n"
      "\n"
      "Runs a WebAssembly module (WASI command: its _start) or a component\n"
      "(COMPONENT_DIR means COMPONENT_DIR/Component.toml) under hard limits.\n"
      "The guest's argv is the module's file name (or the component's name),\n"
      "then the manifest's args, then ARGS.  Stdin, stdout and stderr are\n"
      "the guest's own.  Options override the manifest.\n"
      "\n"
      "options:\n"
      "  --max-memory SIZE   memory budget (linear memory, tables, host\n"
      "                      state), in bytes or with a unit: KiB, MiB,\n"
      "                      GiB (also K, M, G); 1 byte to 16 GiB.  Required\n"
      "                      without a manifest\n"
      "  --max-table-elements N  extra cap on each table's elements, 0 to\n"
      "                      10000000 (default: only the memory budget)\n"
      "  --fuel N            fuel budget (default 1000000); 'unlimited'\n"
      "                      (or 'none'): no limit\n"
      "  --timeout-ms N      wall-clock budget in ms (default 100); 'none'\n"
      "                      (or 'unlimited'): no deadline\n"
      "  --dir HOST[::GUEST] grant directory HOST, read-write, seen by the\n"
      "                      guest as GUEST (default: HOST); repeatable\n"
      "  --env NAME=VALUE    set an environment variable; repeatable\n"
      "  --invoke NAME       call exported function NAME instead of _start;\n"
      "                      ARGS are its parameters (i32, i64: decimal or\n"
      "                      0x hex; f32, f64: decimal, hex float, nan, inf;\n"
      "                      v128: 0x and up to 32 hex digits, lane 0\n"
      "                      lowest, or SHAPE:L0,L1,.. e.g. i32x4:1,2,3,4,\n"
      "                      SHAPE i8x16 i16x8 i32x4 i64x2 f32x4 f64x2);\n"
      "                      its results are printed on stdout, one per line\n"
      "                      (v128 as 0x and 32 hex digits)\n"
      "  --report FILE       write the JSON report to FILE (- for stdout,\n"
      "                      after the guest's output)\n"
      "  -v, --verbose       also print the one-line summary on success\n"
      "  -h, --help          show this help\n"
      "\n"
      "exit status:\n"
      "  the guest's exit status on success (0 if _start returned; the\n"
      "  status given to proc_exit, 255 if outside 0..255), else:\n"
      "  %d io_error               a file or directory cannot be read\n"
      "  %d invalid_configuration  bad option or manifest, no memory limit\n"
      "  %d invalid_module         the module cannot be decoded or "
      "validated\n"
      "  %d link_error             an import or the function is missing\n"
      "  %d trap                   the guest trapped\n"
      "  %d limit_exceeded         a memory/table/stack limit was hit\n"
      "  %d out_of_fuel            the fuel budget ran out\n"
      "  %d timeout                the wall-clock budget ran out\n"
      "On failure a line on stderr says what happened, with its figures.\n",
      CLI_STATUS_IO_ERROR, CLI_STATUS_INVALID_CONFIGURATION,
      CLI_STATUS_INVALID_MODULE, CLI_STATUS_LINK_ERROR, CLI_STATUS_TRAP,
      CLI_STATUS_LIMIT_EXCEEDED, CLI_STATUS_OUT_OF_FUEL, CLI_STATUS_TIMEOUT);
}

/* A directory grant from --dir (host is a copy, guest points into it or
   into argv). */
typedef struct run_dir {
  char *host;
  const char *guest;
} run_dir;

typedef struct run_opts {
  const char *target;
  bool has_memory, has_fuel, has_timeout, has_table;
  uint64_t max_memory, fuel, timeout_ms, max_table;
  run_dir *dirs;
  int ndirs;
  const char **envs; /* "NAME=VALUE" */
  int nenvs;
  const char *invoke;
  const char *report;
  bool verbose, help;
  char **args; /* after the target */
  int nargs;
} run_opts;

/* The state of one run, freed by run_cleanup. */
typedef struct run_state {
  run_opts o;
  cli_run_report rep;
  char message[RUN_MSG_MAX];
  aw_manifest *manifest;
  char *manifest_path;
  const char *module_path;
  aw_engine *engine;
  aw_module *module;
  aw_wasi *wasi;
  char **wargs; /* the guest's argv */
  uint32_t nwargs;
  char **wenv; /* the guest's environment, "NAME=VALUE" (owned) */
  uint32_t nwenv;
  aw_wasi_dir *wdirs;
  uint32_t nwdirs;
  aw_val *params;
  uint32_t nparams;
  aw_exec_result res;
  int std_fd[3]; /* the guest's fds 0-2: ours, or -1 where ours is closed */
} run_state;

/* Records the failure (the first one wins) and returns false. */
static bool fail(run_state *s, aw_errkind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(run_state *s, aw_errkind kind, const char *fmt, ...) {
  if (s->rep.kind != AW_OK) return false;
  s->rep.kind = kind;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->message, sizeof s->message, fmt, ap);
  va_end(ap);
  return false;
}

/* ------------------------------------------------------------------ */
/* Strict number parsing                                                */
/* ------------------------------------------------------------------ */

/* Decimal digits only into *out.  Returns 0, or -1 for garbage (sign,
   empty, other characters) and -2 for overflow; *end is where the digits
   stopped (may be the end of the string). */
static int parse_digits(const char *s, uint64_t *out, const char **end) {
  uint64_t v = 0;
  const char *p = s;
  if (*p < '0' || *p > '9') return -1;
  for (; *p >= '0' && *p <= '9'; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) return -2;
    v = v * 10 + d;
  }
  *out = v;
  *end = p;
  return 0;
}

/* A plain non-negative count (--max-table-elements). */
static bool parse_u64_opt(run_state *s, const char *opt, const char *arg,
                          uint64_t *out) {
  const char *end = NULL;
  int rc = parse_digits(arg, out, &end);
  if (rc == -2)
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is too large (at most %" PRIu64 ")", opt, arg,
                UINT64_MAX);
  if (rc != 0 || *end != '\0')
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is not a non-negative integer", opt, arg);
  return true;
}

/* --fuel and --timeout-ms: a count, or one of the words for no limit
   ("unlimited", "none"), which give AW_NO_LIMIT. */
static bool parse_limit_opt(run_state *s, const char *opt, const char *arg,
                            uint64_t *out) {
  if (!strcmp(arg, "unlimited") || !strcmp(arg, "none")) {
    *out = AW_NO_LIMIT;
    return true;
  }
  const char *end = NULL;
  int rc = parse_digits(arg, out, &end);
  if (rc == -2)
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is too large (at most %" PRIu64
                "; 'unlimited' or 'none' for no limit)",
                opt, arg, UINT64_MAX);
  if (rc != 0 || *end != '\0')
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is not a non-negative integer (nor 'unlimited' or "
                "'none': no limit)",
                opt, arg);
  return true;
}

static bool ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (ca != cb) return false;
  }
  return *a == *b;
}

/* SIZE: digits, then optionally a unit (B, K/KiB, M/MiB, G/GiB; any
   case); 1 byte .. 16 GiB (AW_MANIFEST_MAX_MEMORY). */
static bool parse_size_opt(run_state *s, const char *opt, const char *arg,
                           uint64_t *out) {
  const char *end = NULL;
  uint64_t v = 0;
  int rc = parse_digits(arg, &v, &end);
  if (rc == -2)
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is too large (at most 16GiB)", opt, arg);
  bool letters = rc == 0 && *end != '\0';
  for (const char *p = end; letters && *p; p++)
    letters = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
  if (rc != 0 || (*end != '\0' && !letters))
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is not a size (bytes, or a whole number with KiB, "
                "MiB or GiB)",
                opt, arg);
  unsigned shift = 0;
  if (*end == '\0' || ieq(end, "b"))
    shift = 0;
  else if (ieq(end, "k") || ieq(end, "kib"))
    shift = 10;
  else if (ieq(end, "m") || ieq(end, "mib"))
    shift = 20;
  else if (ieq(end, "g") || ieq(end, "gib"))
    shift = 30;
  else
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s': unknown unit '%s' (use KiB, MiB or GiB)", opt, arg,
                end);
  if (v > (AW_MANIFEST_MAX_MEMORY >> shift))
    return fail(s, AW_ERR_INVALID_CONFIG,
                "%s: '%s' is too large (at most 16GiB)", opt, arg);
  v <<= shift;
  if (v == 0)
    return fail(s, AW_ERR_INVALID_CONFIG, "%s: '%s': must be at least 1 byte",
                opt, arg);
  *out = v;
  return true;
}

/* An integer parameter of --invoke: optional '-', decimal or 0x hex, in
   [-2^(bits-1), 2^bits - 1] (unsigned values wrap, as in wasm). */
static bool parse_int_param(const char *arg, unsigned bits, uint64_t *out) {
  const char *p = arg;
  bool neg = false;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  uint64_t v = 0;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    p += 2;
    if (!*p) return false;
    for (; *p; p++) {
      unsigned d;
      if (*p >= '0' && *p <= '9')
        d = (unsigned)(*p - '0');
      else if (*p >= 'a' && *p <= 'f')
        d = (unsigned)(*p - 'a' + 10);
      else if (*p >= 'A' && *p <= 'F')
        d = (unsigned)(*p - 'A' + 10);
      else
        return false;
      if (v > (UINT64_MAX >> 4)) return false;
      v = v << 4 | d;
    }
  } else {
    const char *end = NULL;
    if (parse_digits(p, &v, &end) != 0 || *end != '\0') return false;
  }
  uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  uint64_t nmax = UINT64_C(1) << (bits - 1); /* magnitude of the minimum */
  if (neg) {
    if (v > nmax) return false;
    *out = (uint64_t)0 - v;
  } else {
    if (v > umax) return false;
    *out = v;
  }
  return true;
}

static bool parse_float_param(const char *arg, bool f32, aw_val *out) {
  if (!*arg || *arg == ' ' || *arg == '\t' || *arg == '\n') return false;
  char *end = NULL;
  errno = 0;
  if (f32) {
    float f = strtof(arg, &end);
    if (*end != '\0' || (errno == ERANGE && isinf(f))) return false;
    out->of.f32 = f;
  } else {
    double d = strtod(arg, &end);
    if (*end != '\0' || (errno == ERANGE && isinf(d))) return false;
    out->of.f64 = d;
  }
  return true;
}

/* A v128 parameter of --invoke: 0x and 1 to 32 hex digits (the 128-bit
   little-endian value: lane 0 in the lowest bits, as results print), or
   SHAPE:L0,L1,... with SHAPE one of i8x16 i16x8 i32x4 i64x2 f32x4 f64x2
   and exactly its number of lanes, each as for the scalar type. */
static bool parse_v128_param(const char *arg, aw_val *out) {
  memset(out->of.v128, 0, 16);
  if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) {
    const char *p = arg + 2;
    size_t n = strlen(p);
    if (n == 0 || n > 32) return false;
    for (size_t i = 0; i < n; i++) {
      char c = p[n - 1 - i]; /* least significant digit first */
      unsigned d;
      if (c >= '0' && c <= '9')
        d = (unsigned)(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = (unsigned)(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = (unsigned)(c - 'A' + 10);
      else
        return false;
      out->of.v128[i / 2] |= (uint8_t)(d << (4 * (i % 2)));
    }
    return true;
  }
  static const struct {
    const char *name;
    unsigned bits, lanes;
    bool fl;
  } shapes[] = {{"i8x16:", 8, 16, false}, {"i16x8:", 16, 8, false},
                {"i32x4:", 32, 4, false}, {"i64x2:", 64, 2, false},
                {"f32x4:", 32, 4, true},  {"f64x2:", 64, 2, true}};
  for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    size_t pl = strlen(shapes[k].name);
    if (strncmp(arg, shapes[k].name, pl) != 0) continue;
    const char *p = arg + pl;
    unsigned bytes = shapes[k].bits / 8;
    for (unsigned l = 0; l < shapes[k].lanes; l++) {
      const char *comma = strchr(p, ',');
      size_t len = comma ? (size_t)(comma - p) : strlen(p);
      if ((comma != NULL) != (l + 1 < shapes[k].lanes)) return false;
      char lane[64];
      if (len == 0 || len >= sizeof lane) return false;
      memcpy(lane, p, len);
      lane[len] = '\0';
      uint64_t u = 0;
      if (shapes[k].fl) {
        aw_val f;
        if (!parse_float_param(lane, bytes == 4, &f)) return false;
        if (bytes == 4) {
          uint32_t b;
          memcpy(&b, &f.of.f32, 4);
          u = b;
        } else {
          memcpy(&u, &f.of.f64, 8);
        }
      } else if (!parse_int_param(lane, shapes[k].bits, &u)) {
        return false;
      }
      for (unsigned b = 0; b < bytes; b++)
        out->of.v128[l * bytes + b] = (uint8_t)(u >> (8 * b));
      p += len + 1;
    }
    return true;
  }
  return false;
}

/* ------------------------------------------------------------------ */
/* Command line                                                         */
/* ------------------------------------------------------------------ */

/* If argv[*i] is option `name` (as "--name VALUE" or "--name=VALUE"),
   sets *val and returns true (advancing *i past a separate value). A
   missing value is recorded as an error (and *val is NULL). */
static bool take_opt(run_state *s, int argc, char **argv, int *i,
                     const char *name, const char **val) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0) return false;
  if (a[n] == '=') {
    *val = a + n + 1;
    return true;
  }
  if (a[n] != '\0') return false;
  if (*i + 1 >= argc) {
    *val = NULL;
    fail(s, AW_ERR_INVALID_CONFIG, "%s needs a value", name);
    return true;
  }
  *val = argv[++*i];
  return true;
}

static bool add_dir(run_state *s, const char *arg) {
  const char *sep = strstr(arg, "::");
  size_t hlen = sep ? (size_t)(sep - arg) : strlen(arg);
  const char *guest = sep ? sep + 2 : arg;
  if (hlen == 0 || !*guest)
    return fail(s, AW_ERR_INVALID_CONFIG,
                "--dir: '%s' is not HOST or HOST::GUEST", arg);
  run_dir *nd = realloc(s->o.dirs, sizeof *nd * (size_t)(s->o.ndirs + 1));
  if (!nd) return fail(s, AW_ERR_NOMEM, "out of memory");
  s->o.dirs = nd;
  char *host = malloc(hlen + 1);
  if (!host) return fail(s, AW_ERR_NOMEM, "out of memory");
  memcpy(host, arg, hlen);
  host[hlen] = '\0';
  nd[s->o.ndirs].host = host;
  nd[s->o.ndirs].guest = guest;
  s->o.ndirs++;
  return true;
}

static bool add_env(run_state *s, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg)
    return fail(s, AW_ERR_INVALID_CONFIG, "--env: '%s' is not NAME=VALUE", arg);
  const char **ne = realloc(s->o.envs, sizeof *ne * (size_t)(s->o.nenvs + 1));
  if (!ne) return fail(s, AW_ERR_NOMEM, "out of memory");
  s->o.envs = ne;
  ne[s->o.nenvs++] = arg;
  return true;
}

/* Parses the options; the first error is recorded but parsing goes on so
   that --report is honoured whatever its position among the options. */
static void parse_args(run_state *s, int argc, char **argv) {
  run_opts *o = &s->o;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (a[0] != '-' || a[1] == '\0') break;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      o->help = true;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      o->verbose = true;
    } else if (take_opt(s, argc, argv, &i, "--max-memory", &v)) {
      if (v && parse_size_opt(s, "--max-memory", v, &o->max_memory))
        o->has_memory = true;
    } else if (take_opt(s, argc, argv, &i, "--max-table-elements", &v)) {
      if (v && parse_u64_opt(s, "--max-table-elements", v, &o->max_table)) {
        if (o->max_table > AW_MANIFEST_MAX_TABLE_ELEMENTS)
          fail(s, AW_ERR_INVALID_CONFIG,
               "--max-table-elements: '%s' is too large (at most %" PRIu32 ")",
               v, AW_MANIFEST_MAX_TABLE_ELEMENTS);
        else
          o->has_table = true;
      }
    } else if (take_opt(s, argc, argv, &i, "--fuel", &v)) {
      if (v && parse_limit_opt(s, "--fuel", v, &o->fuel)) o->has_fuel = true;
    } else if (take_opt(s, argc, argv, &i, "--timeout-ms", &v)) {
      if (v && parse_limit_opt(s, "--timeout-ms", v, &o->timeout_ms))
        o->has_timeout = true;
    } else if (take_opt(s, argc, argv, &i, "--dir", &v)) {
      if (v) add_dir(s, v);
    } else if (take_opt(s, argc, argv, &i, "--env", &v)) {
      if (v) add_env(s, v);
    } else if (take_opt(s, argc, argv, &i, "--invoke", &v)) {
      if (v && !*v)
        fail(s, AW_ERR_INVALID_CONFIG, "--invoke: empty function name");
      else if (v)
        o->invoke = v;
    } else if (take_opt(s, argc, argv, &i, "--report", &v)) {
      if (v && !*v)
        fail(s, AW_ERR_INVALID_CONFIG, "--report: empty file name");
      else if (v)
        o->report = v;
    } else {
      fail(s, AW_ERR_INVALID_CONFIG,
           "unknown option '%s' (see airssys-wasm run --help)", a);
    }
  }
  if (i < argc) {
    o->target = argv[i];
    o->args = argv + i + 1;
    o->nargs = argc - i - 1;
  } else if (!o->help) {
    fail(s, AW_ERR_INVALID_CONFIG,
         "no module given (usage: airssys-wasm run [OPTIONS] MODULE.wasm | "
         "COMPONENT_DIR | Component.toml [ARGS...])");
  }
}

/* ------------------------------------------------------------------ */
/* Setting up the run                                                   */
/* ------------------------------------------------------------------ */

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* Decides between module and manifest, and loads the manifest. */
static bool load_target(run_state *s) {
  const char *t = s->o.target;
  struct stat st;
  if (stat(t, &st) != 0)
    return fail(s, AW_ERR_IO, "cannot read '%s': %s", t, strerror(errno));
  if (S_ISDIR(st.st_mode)) {
    size_t n = strlen(t);
    s->manifest_path = malloc(n + sizeof "/Component.toml");
    if (!s->manifest_path) return fail(s, AW_ERR_NOMEM, "out of memory");
    snprintf(s->manifest_path, n + sizeof "/Component.toml",
             "%s%sComponent.toml", t, n && t[n - 1] == '/' ? "" : "/");
  } else if (ends_with(t, ".toml")) {
    s->manifest_path = strdup(t);
    if (!s->manifest_path) return fail(s, AW_ERR_NOMEM, "out of memory");
  } else {
    s->module_path = t;
    return true;
  }
  s->rep.manifest = s->manifest_path;
  aw_error err;
  aw_error_clear(&err);
  s->manifest = aw_manifest_load(s->manifest_path, &err);
  if (!s->manifest)
    return fail(s, err.kind == AW_OK ? AW_ERR_IO : err.kind, "%s", err.message);
  s->module_path = s->manifest->module_path;
  s->rep.name = s->manifest->name;
  s->rep.version = s->manifest->version;
  return true;
}

/* Limits: options, then manifest, then defaults. */
static bool build_limits(run_state *s, aw_resource_limits *limits) {
  const aw_manifest *m = s->manifest;
  aw_limits_builder b = aw_limits_builder_new();
  if (s->o.has_memory)
    aw_limits_builder_max_memory_bytes(&b, s->o.max_memory);
  else if (m)
    aw_limits_builder_max_memory_bytes(&b, m->max_memory_bytes);
  else
    return fail(s, AW_ERR_INVALID_CONFIG,
                "Invalid configuration: max_memory_bytes is required but was "
                "not set (give --max-memory SIZE, or run a component whose "
                "Component.toml sets [resources.memory] max_bytes)");
  if (s->o.has_table)
    aw_limits_builder_max_table_elements(&b, (uint32_t)s->o.max_table);
  else if (m && m->has_max_table_elements)
    aw_limits_builder_max_table_elements(&b, m->max_table_elements);
  if (s->o.has_fuel)
    aw_limits_builder_max_fuel(&b, s->o.fuel);
  else if (m && m->has_max_fuel)
    aw_limits_builder_max_fuel(&b, m->max_fuel);
  if (s->o.has_timeout)
    aw_limits_builder_timeout_ms(&b, s->o.timeout_ms);
  else if (m && m->has_timeout_ms)
    aw_limits_builder_timeout_ms(&b, m->timeout_ms);
  aw_error err;
  aw_error_clear(&err);
  aw_errkind k = aw_limits_builder_build(&b, limits, &err);
  if (k != AW_OK) return fail(s, k, "%s", err.message);
  s->rep.has_limits = true;
  s->rep.max_memory = limits->max_memory_bytes;
  s->rep.max_fuel = limits->max_fuel;
  s->rep.timeout_ms = limits->timeout_ms;
  return true;
}

static bool load_module(run_state *s) {
  size_t len = 0;
  uint8_t *bytes = cli_read_file(s->module_path, &len);
  if (!bytes)
    return fail(s, AW_ERR_IO, "cannot read '%s': %s", s->module_path,
                strerror(errno));
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = true;
  s->engine = aw_engine_new(&cfg);
  if (!s->engine) {
    free(bytes);
    return fail(s, AW_ERR_NOMEM, "cannot create an engine: out of memory");
  }
  aw_error err;
  aw_error_clear(&err);
  s->module = cli_module_new(s->engine, s->module_path, bytes, len, &err);
  free(bytes);
  if (!s->module) {
    aw_errkind k = err.kind == AW_OK ? AW_ERR_INVALID : err.kind;
    if (err.offset != UINT64_MAX)
      return fail(s, k, "%s: invalid module at offset 0x%" PRIx64 ": %s",
                  s->module_path, err.offset, err.message);
    return fail(s, k, "%s: invalid module: %s", s->module_path, err.message);
  }
  return true;
}

/* Finds the function to call and converts --invoke's ARGS to its
   parameters. */
static bool prepare_call(run_state *s) {
  const char *name = s->rep.func;
  uint32_t n = aw_module_export_count(s->module);
  aw_export_desc d;
  bool found = false;
  for (uint32_t i = 0; i < n && !found; i++)
    found = aw_module_export(s->module, i, &d) && d.name_len == strlen(name) &&
            !memcmp(d.name, name, d.name_len);
  if (!found)
    return fail(s, AW_ERR_LINK, "%s: no exported function '%s'%s",
                s->module_path, name,
                s->o.invoke ? "" : " (use --invoke NAME for a library)");
  if (d.type.kind != AW_EXTERN_FUNC)
    return fail(s, AW_ERR_LINK, "%s: export '%s' is a %s, not a function",
                s->module_path, name, cli_externkind_name(d.type.kind));
  const aw_functype *ft = &d.type.of.func;
  if (!s->o.invoke) {
    if (ft->nparams != 0 || ft->nresults != 0)
      return fail(s, AW_ERR_LINK,
                  "%s: _start must take and return nothing (use --invoke)",
                  s->module_path);
    return true;
  }
  if (ft->nresults > AW_EXEC_MAX_RESULTS)
    return fail(s, AW_ERR_INVALID_CONFIG,
                "function '%s' returns %" PRIu32 " results (at most %d)", name,
                ft->nresults, AW_EXEC_MAX_RESULTS);
  if ((uint32_t)s->o.nargs != ft->nparams) {
    char sig[256] = "";
    size_t len = 0;
    for (uint32_t i = 0; i < ft->nparams && len < sizeof sig - 16; i++)
      len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s", i ? " " : "",
                              cli_valkind_name(ft->params[i]));
    return fail(s, AW_ERR_INVALID_CONFIG,
                "function '%s' takes %" PRIu32 " parameter%s (%s), %d given",
                name, ft->nparams, ft->nparams == 1 ? "" : "s", sig,
                s->o.nargs);
  }
  if (ft->nparams) {
    s->params = calloc(ft->nparams, sizeof *s->params);
    if (!s->params) return fail(s, AW_ERR_NOMEM, "out of memory");
  }
  s->nparams = ft->nparams;
  for (uint32_t i = 0; i < ft->nparams; i++) {
    const char *a = s->o.args[i];
    aw_val *v = &s->params[i];
    v->kind = ft->params[i];
    uint64_t u = 0;
    bool ok;
    switch (ft->params[i]) {
    case AW_I32:
      ok = parse_int_param(a, 32, &u);
      v->of.i32 = (int32_t)(uint32_t)u;
      break;
    case AW_I64:
      ok = parse_int_param(a, 64, &u);
      v->of.i64 = (int64_t)u;
      break;
    case AW_F32: ok = parse_float_param(a, true, v); break;
    case AW_F64: ok = parse_float_param(a, false, v); break;
    case AW_V128: ok = parse_v128_param(a, v); break;
    default:
      return fail(s, AW_ERR_INVALID_CONFIG,
                  "function '%s': parameter %" PRIu32
                  " is a %s, which the command line cannot pass",
                  name, i + 1, cli_valkind_name(ft->params[i]));
    }
    if (!ok)
      return fail(s, AW_ERR_INVALID_CONFIG,
                  "function '%s': parameter %" PRIu32 ": '%s' is not a%s %s",
                  name, i + 1, a,
                  ft->params[i] == AW_I32 || ft->params[i] == AW_I64 ? "n" : "",
                  cli_valkind_name(ft->params[i]));
  }
  return true;
}

static char *dup_env(const char *name, size_t nlen, const char *value) {
  size_t vlen = strlen(value);
  char *e = malloc(nlen + vlen + 2);
  if (!e) return NULL;
  memcpy(e, name, nlen);
  e[nlen] = '=';
  memcpy(e + nlen + 1, value, vlen + 1);
  return e;
}

/* The guest's argv, environment and directories. */
static bool build_wasi(run_state *s) {
  const aw_manifest *m = s->manifest;
  uint32_t margs = m ? m->nargs : 0;
  uint32_t cargs = s->o.invoke ? 0 : (uint32_t)s->o.nargs;
  s->wargs = calloc((size_t)1 + margs + cargs, sizeof *s->wargs);
  if (!s->wargs) return fail(s, AW_ERR_NOMEM, "out of memory");
  const char *argv0 = m ? m->name : s->module_path;
  if (!m) {
    const char *slash = strrchr(argv0, '/');
    if (slash && slash[1]) argv0 = slash + 1;
  }
  s->wargs[s->nwargs++] = (char *)argv0;
  for (uint32_t i = 0; i < margs; i++)
    s->wargs[s->nwargs++] = m->args[i];
  for (uint32_t i = 0; i < cargs; i++)
    s->wargs[s->nwargs++] = s->o.args[i];

  /* Environment: the manifest's, each overridden by an --env of the same
     name; an --env given twice keeps its last value. */
  uint32_t menv = m ? m->nenv : 0;
  s->wenv = calloc((size_t)menv + (size_t)s->o.nenvs + 1, sizeof *s->wenv);
  if (!s->wenv) return fail(s, AW_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < menv + (uint32_t)s->o.nenvs; i++) {
    const char *name, *value;
    size_t nlen;
    if (i < menv) {
      name = m->env[i].name;
      nlen = strlen(name);
      value = m->env[i].value;
    } else {
      name = s->o.envs[i - menv];
      const char *eq = strchr(name, '=');
      nlen = (size_t)(eq - name);
      value = eq + 1;
    }
    uint32_t j = 0;
    while (j < s->nwenv &&
           !(strncmp(s->wenv[j], name, nlen) == 0 && s->wenv[j][nlen] == '='))
      j++;
    char *e = dup_env(name, nlen, value);
    if (!e) return fail(s, AW_ERR_NOMEM, "out of memory");
    if (j < s->nwenv) {
      free(s->wenv[j]);
      s->wenv[j] = e;
    } else {
      s->wenv[s->nwenv++] = e;
    }
  }

  /* Directories: the manifest's, then --dir (read-write); a --dir with the
     guest path of an earlier grant replaces it. */
  uint32_t mdirs = m ? m->ndirs : 0;
  s->wdirs = calloc((size_t)mdirs + (size_t)s->o.ndirs + 1, sizeof *s->wdirs);
  if (!s->wdirs) return fail(s, AW_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < mdirs + (uint32_t)s->o.ndirs; i++) {
    aw_wasi_dir d;
    if (i < mdirs)
      d = (aw_wasi_dir){m->dirs[i].host, m->dirs[i].guest, m->dirs[i].writable};
    else
      d = (aw_wasi_dir){s->o.dirs[i - mdirs].host, s->o.dirs[i - mdirs].guest,
                        true};
    uint32_t j = 0;
    while (j < s->nwdirs && strcmp(s->wdirs[j].guest, d.guest) != 0)
      j++;
    s->wdirs[j] = d;
    if (j == s->nwdirs) s->nwdirs++;
  }

  aw_wasi_config cfg = {
      .nargs = s->nwargs,
      .args = (const char *const *)s->wargs,
      .nenv = s->nwenv,
      .env = (const char *const *)s->wenv,
      .ndirs = s->nwdirs,
      .dirs = s->wdirs,
      .stdin_fd = s->std_fd[0],
      .stdout_fd = s->std_fd[1],
      .stderr_fd = s->std_fd[2],
  };
  aw_error err;
  aw_error_clear(&err);
  s->wasi = aw_wasi_new(&cfg, &err);
  if (!s->wasi)
    return fail(s, err.kind == AW_OK ? AW_ERR_IO : err.kind, "%s", err.message);
  return true;
}

/* The executor's link callback: WASI, waking blocking calls on timeout. */
static bool run_link(void *ctx, aw_linker *linker, aw_store *store,
                     aw_error *err) {
  aw_wasi *wasi = ctx;
  aw_wasi_set_interrupt_fd(wasi, aw_store_interrupt_fd(store));
  return aw_wasi_define(wasi, linker, store, err);
}

static bool execute(run_state *s, const aw_resource_limits *limits) {
  aw_exec_request req = {
      .module = s->module,
      .limits = *limits,
      .func = s->rep.func,
      .args = s->params,
      .nargs = s->nparams,
      .link = run_link,
      .link_ctx = s->wasi,
  };
  fflush(stdout);
  fflush(stderr);
  aw_execute(&req, &s->res);
  s->rep.executed = true;
  s->rep.res = &s->res;
  aw_errkind k = s->res.outcome;
  if (k == AW_OK) {
    s->rep.exit_code = s->res.exit_code;
    return true;
  }
  if (k == AW_ERR_EXIT) {
    s->rep.exit_code =
        s->res.exit_code ? s->res.exit_code : s->res.error.exit_code;
    return true;
  }
  s->rep.trap = k == AW_ERR_TRAP ? s->res.error.trap : AW_TRAP_NONE;
  s->rep.has_limit_figures = k == AW_ERR_LIMIT_EXCEEDED;
  s->res.error.message[AW_ERROR_MESSAGE_MAX - 1] = '\0';
  const char *msg = s->res.error.message;
  if (!*msg)
    msg = k == AW_ERR_TRAP ? aw_trapkind_message(s->res.error.trap)
                           : aw_errkind_name(k);
  return fail(s, k, "%s", msg);
}

static void run_cleanup(run_state *s) {
  if (s->wasi) aw_wasi_free(s->wasi);
  if (s->module) aw_module_free(s->module);
  if (s->engine) aw_engine_free(s->engine);
  aw_manifest_free(s->manifest);
  free(s->manifest_path);
  for (int i = 0; i < s->o.ndirs; i++)
    free(s->o.dirs[i].host);
  free(s->o.dirs);
  free(s->o.envs);
  free(s->wargs);
  for (uint32_t i = 0; i < s->nwenv; i++)
    free(s->wenv[i]);
  free(s->wenv);
  free(s->wdirs);
  free(s->params);
}

static bool write_report(run_state *s) {
  const char *path = s->o.report;
  if (!strcmp(path, "-")) {
    bool ok = cli_report_write(stdout, &s->rep) && fflush(stdout) == 0;
    if (!ok) fprintf(stderr, "airssys-wasm: cannot write the report\n");
    return ok;
  }
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "airssys-wasm: cannot write the report to '%s': %s\n", path,
            strerror(errno));
    return false;
  }
  bool ok = cli_report_write(f, &s->rep);
  if (fclose(f) != 0) ok = false;
  if (!ok)
    fprintf(stderr, "airssys-wasm: cannot write the report to '%s'\n", path);
  return ok;
}

/* A closed stdin/stdout/stderr of airssys-wasm is a missing one for the
   guest, not an error.  /dev/null takes its number so that no file opened
   later (module, directories, eventfds) lands on it. */
static void check_std_fds(run_state *s) {
  for (int fd = 0; fd < 3; fd++) {
    s->std_fd[fd] = fd;
    if (fcntl(fd, F_GETFD) != -1) continue;
    s->std_fd[fd] = -1;
    int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (nfd >= 0 && nfd != fd) close(nfd); /* cannot happen: lowest free */
  }
}

int cli_run_main(int argc, char **argv) {
  run_state s;
  memset(&s, 0, sizeof s);
  check_std_fds(&s);
  s.rep.kind = AW_OK;
  s.rep.message = s.message;
  parse_args(&s, argc, argv);
  if (s.o.help) {
    run_usage(stdout);
    run_cleanup(&s);
    return 0;
  }
  /* A closed stdout (`| head`) is an EPIPE for the guest's fd_write, not
     the end of airssys-wasm: the outcome and the report still follow. */
  signal(SIGPIPE, SIG_IGN);
  s.rep.target = s.o.target;
  s.rep.func = s.o.invoke ? s.o.invoke : "_start";

  aw_resource_limits limits;
  bool ok = s.rep.kind == AW_OK && load_target(&s);
  s.rep.module = s.module_path;
  /* The limits come before the module so that a missing memory limit is
     reported even for a module that does not exist. */
  ok = ok && build_limits(&s, &limits) && load_module(&s) && prepare_call(&s) &&
       build_wasi(&s) && execute(&s, &limits);
  (void)ok;

  s.rep.outcome = cli_outcome_of(s.rep.kind);
  if (s.rep.kind == AW_ERR_NOMEM && !s.message[0])
    snprintf(s.message, sizeof s.message, "out of memory");
  if (s.rep.outcome == CLI_SUCCESS) {
    s.rep.kind = AW_OK;
    if (s.res.exited || s.res.outcome == AW_ERR_EXIT || s.rep.exit_code != 0)
      snprintf(s.message, sizeof s.message,
               "%s called proc_exit(%" PRId32 "): exited with status %" PRId32,
               s.rep.func, s.rep.exit_code, s.rep.exit_code);
    else
      snprintf(s.message, sizeof s.message, "%s returned normally", s.rep.func);
  }
  s.rep.exit_status = cli_outcome_status(s.rep.outcome, s.rep.exit_code);

  /* --invoke: the results, one per line. */
  if (s.rep.outcome == CLI_SUCCESS && s.o.invoke) {
    for (uint32_t i = 0; i < s.res.nresults && i < AW_EXEC_MAX_RESULTS; i++) {
      cli_print_value(stdout, &s.res.results[i]);
      fputc('\n', stdout);
    }
    fflush(stdout);
  }

  if (s.rep.outcome != CLI_SUCCESS) {
    /* Say which option raises the limit that was hit. */
    const char *hint = "";
    if (s.rep.outcome == CLI_OUT_OF_FUEL)
      hint = " (raise it with --fuel N, or --fuel unlimited)";
    else if (s.rep.outcome == CLI_TIMEOUT)
      hint = " (raise it with --timeout-ms N, or --timeout-ms none)";
    else if (s.rep.kind == AW_ERR_LIMIT_EXCEEDED &&
             s.res.error.figures.limit.resource == AW_RESOURCE_MEMORY)
      hint = " (raise it with --max-memory SIZE)";
    fprintf(stderr, "airssys-wasm: %s: %s%s\n", cli_outcome_name(s.rep.outcome),
            s.message, hint);
  } else if (s.o.verbose) {
    aw_fuel_metrics f = s.res.fuel;
    fprintf(stderr,
            "airssys-wasm: success: %s; fuel %" PRIu64 "/%" PRIu64
            " (%.1f%%), %.1f ms, peak memory %" PRIu64 " bytes\n",
            s.message, f.consumed, f.max, aw_fuel_metrics_usage_percent(f),
            s.res.elapsed_ms, s.res.memory.peak);
  }
  int status = s.rep.exit_status;
  if (s.o.report && !write_report(&s) && s.rep.outcome == CLI_SUCCESS)
    status = CLI_STATUS_IO_ERROR;
  run_cleanup(&s);
  return status;
}
