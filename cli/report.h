/*
 * report.h - the outcome of `airssys-wasm run`: the mapping from the
 * library's error kinds to the report's outcome names and the process exit
 * statuses, and the JSON report writer.
 */
#ifndef CLI_REPORT_H
#define CLI_REPORT_H

#include "airssys/executor.h"
#include "airssys/wasm.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The outcomes of a run, as named in the report. */
typedef enum cli_outcome {
  CLI_SUCCESS,
  CLI_OUT_OF_FUEL,
  CLI_TIMEOUT,
  CLI_TRAP,
  CLI_LIMIT_EXCEEDED,
  CLI_INVALID_MODULE,
  CLI_LINK_ERROR,
  CLI_INVALID_CONFIGURATION,
  CLI_IO_ERROR
} cli_outcome;

/* Exit statuses of the failure outcomes (a success exits with the guest's
   status).  Documented in `airssys-wasm run --help` and the man page. */
#define CLI_STATUS_IO_ERROR 117
#define CLI_STATUS_INVALID_CONFIGURATION 118
#define CLI_STATUS_INVALID_MODULE 119
#define CLI_STATUS_LINK_ERROR 120
#define CLI_STATUS_TRAP 121
#define CLI_STATUS_LIMIT_EXCEEDED 122
#define CLI_STATUS_OUT_OF_FUEL 123
#define CLI_STATUS_TIMEOUT 124

/* "success", "out_of_fuel", ... */
const char *cli_outcome_name(cli_outcome o);

/* The outcome an error kind maps to (AW_OK and AW_ERR_EXIT: success;
   malformed, invalid and unsupported modules: invalid_module; argument
   errors: invalid_configuration; host out of memory: io_error). */
cli_outcome cli_outcome_of(aw_errkind kind);

/* The process exit status of a failure outcome; for success, the guest's
   exit code clamped to 0..255 (a code outside that range gives 255). */
int cli_outcome_status(cli_outcome o, int32_t exit_code);

/* Everything the report says.  Fields that are not known (e.g. the limits
   when the command line was wrong) are written as null. */
typedef struct cli_run_report {
  cli_outcome outcome;
  int exit_status;     /* the process exit status */
  int32_t exit_code;   /* the guest's exit status (success only) */
  aw_errkind kind;     /* the library's error kind (AW_OK on success) */
  aw_trapkind trap;    /* AW_TRAP_NONE unless outcome is trap */
  const char *message; /* what happened, one line */

  const char *target;   /* the MODULE / DIR / Component.toml given */
  const char *manifest; /* the manifest's path, or NULL */
  const char *name;     /* component name (manifest) or NULL */
  const char *version;  /* component version (manifest) or NULL */
  const char *module;   /* the module's path, or NULL if not known yet */
  const char *func;     /* the function called */

  bool has_limits;           /* the limits below are known */
  uint64_t max_memory;       /* memory cap, bytes */
  uint64_t max_fuel;         /* fuel budget */
  uint64_t timeout_ms;       /* wall-clock budget */
  bool executed;             /* aw_execute ran: the figures below are real */
  const aw_exec_result *res; /* its result when executed */
  bool has_limit_figures;    /* limit_exceeded with its figures */
} cli_run_report;

/* Writes the report as one JSON object followed by a newline.  Returns
   false if writing failed. */
bool cli_report_write(FILE *out, const cli_run_report *r);

/* Writes a value as the CLI prints results: i32/i64 in signed decimal,
   f32/f64 in the shortest decimal form that reads back to the same value
   ("nan", "inf", "-inf" for the special values), v128 as 0x and 32 hex
   digits, references as "null" or "ref". */
void cli_print_value(FILE *out, const aw_val *v);

#endif /* CLI_REPORT_H */
