/*
 * main.c - the airssys-wasm command-line tool: subcommand dispatch,
 * --help / --version, and helpers shared by the subcommands.
 */
#include "airssys/text.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
  fprintf(out,
          "usage: airssys-wasm <command> [options]\n"
          "\n"
          "commands:\n"
          "  run [OPTIONS] MODULE.wasm|COMPONENT_DIR|Component.toml [ARGS...]\n"
          "                              run a module or component under "
          "limits\n"
          "                              (airssys-wasm run --help for the "
          "options)\n"
          "  validate FILE.wasm|.wat     decode and validate a module\n"
          "  inspect FILE.wasm [--json]  show a module's imports, exports,\n"
          "                              memories, tables, globals and "
          "functions\n"
          "  spectest FILE.json [--line N] [--verbose] [--counts] [--fuel]\n"
          "                              run a spec-test script written by "
          "wast2json\n"
          "  wast FILE.wast... [--verbose] [--fuel] [--line N]\n"
          "                              run spec-test scripts in the text "
          "format\n"
          "  help                        show this help\n"
          "  version                     show the version\n"
          "\n"
          "options:\n"
          "  -h, --help                  show this help\n"
          "  -V, --version               show the version\n");
}

uint8_t *cli_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 65536, n = 0;
  uint8_t *buf = malloc(cap + 1);
  if (!buf) {
    fclose(f);
    errno = ENOMEM;
    return NULL;
  }
  for (;;) {
    if (n == cap) {
      if (cap > (SIZE_MAX - 1) / 2) {
        free(buf);
        fclose(f);
        errno = EFBIG;
        return NULL;
      }
      uint8_t *nb = realloc(buf, cap * 2 + 1);
      if (!nb) {
        free(buf);
        fclose(f);
        errno = ENOMEM;
        return NULL;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    int e = errno ? errno : EIO;
    free(buf);
    fclose(f);
    errno = e;
    return NULL;
  }
  fclose(f);
  buf[n] = 0;
  *len = n;
  return buf;
}

/* Text, not binary: no wasm magic, and a .wat name or a first
   significant character that starts a form or a comment. */
static bool looks_like_text(const char *path, const uint8_t *b, size_t n) {
  if (n >= 4 && !memcmp(b, "\0asm", 4)) return false;
  size_t pl = path ? strlen(path) : 0;
  if (pl >= 4 && !strcmp(path + pl - 4, ".wat")) return true;
  for (size_t i = 0; i < n; i++) {
    if (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') continue;
    return b[i] == '(' || b[i] == ';';
  }
  return false;
}

aw_module *cli_module_new(aw_engine *engine, const char *path,
                          const uint8_t *bytes, size_t len, aw_error *err) {
  if (!looks_like_text(path, bytes, len))
    return aw_module_new(engine, bytes, len, err);
  uint8_t *wasm;
  size_t n;
  if (!aw_wat_to_wasm(path, (const char *)bytes, len, &wasm, &n, err))
    return NULL;
  aw_module *m = aw_module_new(engine, wasm, n, err);
  aw_text_free(wasm);
  return m;
}

const char *cli_valkind_name(aw_valkind kind) {
  switch (kind) {
  case AW_I32: return "i32";
  case AW_I64: return "i64";
  case AW_F32: return "f32";
  case AW_F64: return "f64";
  case AW_V128: return "v128";
  case AW_FUNCREF: return "funcref";
  case AW_EXTERNREF: return "externref";
  }
  return "?";
}

const char *cli_externkind_name(aw_externkind kind) {
  switch (kind) {
  case AW_EXTERN_FUNC: return "func";
  case AW_EXTERN_TABLE: return "table";
  case AW_EXTERN_MEMORY: return "memory";
  case AW_EXTERN_GLOBAL: return "global";
  }
  return "?";
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") ||
      !strcmp(cmd, "version")) {
    printf("airssys-wasm %s\n", AW_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "run")) return cli_run_main(argc - 1, argv + 1);
  if (!strcmp(cmd, "validate")) return cli_validate_main(argc - 1, argv + 1);
  if (!strcmp(cmd, "inspect")) return cli_inspect_main(argc - 1, argv + 1);
  if (!strcmp(cmd, "spectest")) return cli_spectest_main(argc - 1, argv + 1);
  if (!strcmp(cmd, "wast")) return cli_wast_main(argc - 1, argv + 1);
  fprintf(stderr, "airssys-wasm: unknown command '%s'\n\n", cmd);
  usage(stderr);
  return 2;
}
