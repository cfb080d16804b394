/*
 * wast.c - the `wast` subcommand: runs .wast scripts of the spec test
 * suite directly.  Each script goes through aw_wast_to_json (the text
 * front end: modules encoded inline, text errors kept per module), then
 * through the very runner of `spectest` (cli_spectest_run), so both
 * paths judge commands the same way.
 */
#include "airssys/text.h"
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out) {
  fprintf(out,
          "usage: airssys-wasm wast FILE.wast... [--verbose] [--fuel] "
          "[--line N] [--time]\n"
          "Runs spec-test scripts written in the text format (with the\n"
          "`spectest` host module).  Prints one line per failed command\n"
          "(FILE:LINE) and ends with \"N passed, N failed, N skipped\"\n"
          "(commands the engine cannot run yet, e.g. SIMD, count as "
          "skipped).\n"
          "  --verbose  also show skipped/not-run commands and per-type "
          "counts\n"
          "  --fuel     compile with fuel metering\n"
          "  --line N   run only the commands of line N (of each file)\n"
          "  --json     print the JSON command list instead of running it\n"
          "  --trace    print \"trace INDEX LINE TYPE OUTCOME\" per command\n"
          "  --time     print the text front end's time and speed per file\n");
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_wast_main(int argc, char **argv) {
  cli_spec_opts o;
  memset(&o, 0, sizeof o);
  o.quiet = true;
  bool dump = false, timing = false;
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
      o.verbose = true;
    } else if (!strcmp(a, "--fuel")) {
      o.fuel = true;
    } else if (!strcmp(a, "--json")) {
      dump = true;
    } else if (!strcmp(a, "--trace")) {
      o.trace = true;
    } else if (!strcmp(a, "--time")) {
      timing = true;
    } else if (!strcmp(a, "--line")) {
      if (i + 1 >= argc ||
          !cli_json_parse_u64(argv[i + 1], strlen(argv[i + 1]), &o.only_line)) {
        fprintf(stderr, "airssys-wasm wast: --line needs a number\n");
        return 2;
      }
      o.has_line = true;
      i++;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "airssys-wasm wast: unknown option '%s'\n", a);
      return 2;
    } else {
      nfiles++;
    }
  }
  if (nfiles == 0) {
    usage(stderr);
    return 2;
  }
  unsigned long passed = 0, failed = 0, skipped = 0, notrun = 0;
  int worst = 0;
  for (int i = 1; i < argc; i++) {
    const char *file = argv[i];
    if (file[0] == '-' && file[1]) {
      if (!strcmp(file, "--line")) i++;
      continue;
    }
    size_t len = 0;
    char *text = (char *)cli_read_file(file, &len);
    if (!text) {
      printf("%s: error: cannot read: %s\n", file, strerror(errno));
      failed++;
      worst = 2;
      continue;
    }
    char *json = NULL;
    size_t jlen = 0;
    aw_error err;
    double t0 = now_s();
    bool ok = aw_wast_to_json(file, text, len, &json, &jlen, &err);
    double t1 = now_s();
    free(text);
    if (!ok) {
      printf("%s\n", err.message);
      failed++;
      if (worst < 1) worst = 1;
      continue;
    }
    if (timing)
      printf("%s: text front end %.1f ms, %.1f MB/s (%zu bytes)\n", file,
             (t1 - t0) * 1e3, t1 > t0 ? (double)len / (t1 - t0) / 1e6 : 0.0,
             len);
    if (dump) {
      fwrite(json, 1, jlen, stdout);
      aw_text_free(json);
      continue;
    }
    char jerr[256];
    cli_json *root = cli_json_parse(json, jlen, jerr, sizeof jerr);
    aw_text_free(json);
    if (!root) {
      printf("%s: error: internal: bad JSON from the text front end: %s\n",
             file, jerr);
      failed++;
      worst = 2;
      continue;
    }
    cli_spec_totals t;
    int rc = cli_spectest_run(file, root, &o, &t);
    cli_json_free(root);
    if (rc > worst) worst = rc;
    if (rc == 2 && t.failed == 0) failed++;
    passed += t.passed;
    failed += t.failed;
    skipped += t.skipped;
    notrun += t.notrun;
  }
  printf("not run: %lu\n", notrun);
  printf("%lu passed, %lu failed, %lu skipped\n", passed, failed,
         skipped + notrun);
  if (fflush(stdout) != 0) return 2;
  return failed ? (worst ? worst : 1) : 0;
}
