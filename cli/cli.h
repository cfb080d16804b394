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

/* Reads the whole file at path into a malloc'd buffer (*len bytes, plus a
   NUL terminator not counted).  NULL with errno set on failure. */
uint8_t *cli_read_file(const char *path, size_t *len);

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
