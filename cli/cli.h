/*
 * cli.h - what the files of the airssys-wasm command-line tool share:
 * the subcommand entry points and small helpers (file reading, value
 * type names).
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include "airssys/wasm.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Subcommands: argv[0] is the subcommand name.  Each returns the process
   exit status. */
int cli_run_main(int argc, char **argv);
int cli_validate_main(int argc, char **argv);
int cli_inspect_main(int argc, char **argv);
int cli_spectest_main(int argc, char **argv);
int cli_wast_main(int argc, char **argv);

struct cli_json;

/* Options of a spec-script run (cli_spectest_run). */
typedef struct cli_spec_opts {
  bool verbose, counts, fuel, has_line;
  bool quiet; /* no "not run" / summary lines at the end */
  bool trace; /* "trace INDEX LINE TYPE OUTCOME" for every command */
  uint64_t only_line;
} cli_spec_opts;

/* Outcome counts of a run. */
typedef struct cli_spec_totals {
  unsigned long passed, failed, skipped, notrun;
} cli_spec_totals;

/* Runs the commands of a wast2json document (root; modules in files beside
   `file`, or inline as aw_wast_to_json writes them) against a fresh
   engine with the spectest host module; prints one line per failure.
   Returns 0 if no command failed, 1 if some did, 2 on a setup error. */
int cli_spectest_run(const char *file, const struct cli_json *root,
                     const cli_spec_opts *opts, cli_spec_totals *totals);

/* Reads the whole file at path into a malloc'd buffer (*len bytes, plus a
   NUL terminator not counted).  NULL with errno set on failure. */
uint8_t *cli_read_file(const char *path, size_t *len);

/* aw_module_new, or, for a text module (no wasm magic, and a .wat name or
   text starting with "(" or a comment), aw_wat_to_wasm first: its errors
   are AW_ERR_MALFORMED with "PATH:LINE:COL: reason". */
aw_module *cli_module_new(aw_engine *engine, const char *path,
                          const uint8_t *bytes, size_t len, aw_error *err);

/* "i32", "funcref"... or "?" for an unknown byte. */
const char *cli_valkind_name(aw_valkind kind);

/* "func", "table", "memory", "global". */
const char *cli_externkind_name(aw_externkind kind);

/* Defines the spec test suite's `spectest` host module in @p linker, its
   objects created in @p store.  Returns false (with a message in @p err)
   if an object could not be created or defined. */
bool cli_spectest_host_define(aw_store *store, aw_linker *linker,
                              aw_error *err);

#endif /* CLI_CLI_H */
