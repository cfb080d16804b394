/*
 * report.c - the outcome of `airssys-wasm run`: error kinds to outcome
 * names and exit statuses, the JSON report, and how values are printed
 * (results of --invoke, on stdout and in the report).
 */
#include "report.h"

#include "airssys/limits.h"
#include "cli.h"
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cli_outcome_name(cli_outcome o) {
  switch (o) {
  case CLI_SUCCESS: return "success";
  case CLI_OUT_OF_FUEL: return "out_of_fuel";
  case CLI_TIMEOUT: return "timeout";
  case CLI_TRAP: return "trap";
  case CLI_LIMIT_EXCEEDED: return "limit_exceeded";
  case CLI_INVALID_MODULE: return "invalid_module";
  case CLI_LINK_ERROR: return "link_error";
  case CLI_INVALID_CONFIGURATION: return "invalid_configuration";
  case CLI_IO_ERROR: return "io_error";
  }
  return "io_error";
}

cli_outcome cli_outcome_of(aw_errkind kind) {
  switch (kind) {
  case AW_OK:
  case AW_ERR_EXIT: return CLI_SUCCESS;
  case AW_ERR_MALFORMED:
  case AW_ERR_INVALID:
  case AW_ERR_UNSUPPORTED: return CLI_INVALID_MODULE;
  case AW_ERR_LINK: return CLI_LINK_ERROR;
  case AW_ERR_TRAP: return CLI_TRAP;
  case AW_ERR_OUT_OF_FUEL: return CLI_OUT_OF_FUEL;
  case AW_ERR_TIMEOUT: return CLI_TIMEOUT;
  case AW_ERR_LIMIT_EXCEEDED: return CLI_LIMIT_EXCEEDED;
  case AW_ERR_INVALID_CONFIG:
  case AW_ERR_ARGUMENT: return CLI_INVALID_CONFIGURATION;
  case AW_ERR_IO:
  case AW_ERR_NOMEM: return CLI_IO_ERROR;
  }
  return CLI_IO_ERROR;
}

int cli_outcome_status(cli_outcome o, int32_t exit_code) {
  switch (o) {
  case CLI_SUCCESS: return exit_code >= 0 && exit_code <= 255 ? exit_code : 255;
  case CLI_OUT_OF_FUEL: return CLI_STATUS_OUT_OF_FUEL;
  case CLI_TIMEOUT: return CLI_STATUS_TIMEOUT;
  case CLI_TRAP: return CLI_STATUS_TRAP;
  case CLI_LIMIT_EXCEEDED: return CLI_STATUS_LIMIT_EXCEEDED;
  case CLI_INVALID_MODULE: return CLI_STATUS_INVALID_MODULE;
  case CLI_LINK_ERROR: return CLI_STATUS_LINK_ERROR;
  case CLI_INVALID_CONFIGURATION: return CLI_STATUS_INVALID_CONFIGURATION;
  case CLI_IO_ERROR: return CLI_STATUS_IO_ERROR;
  }
  return CLI_STATUS_IO_ERROR;
}

/* Formats v into buf.  Returns true if the text is a JSON number (false for
   nan/inf, vectors and references, which the report writes as strings). */
static bool format_value(char *buf, size_t size, const aw_val *v) {
  switch (v->kind) {
  case AW_I32: snprintf(buf, size, "%" PRId32, v->of.i32); return true;
  case AW_I64: snprintf(buf, size, "%" PRId64, v->of.i64); return true;
  case AW_F32:
  case AW_F64: {
    double d = v->kind == AW_F32 ? (double)v->of.f32 : v->of.f64;
    if (isnan(d)) {
      snprintf(buf, size, "%s", signbit(d) ? "-nan" : "nan");
      return false;
    }
    if (isinf(d)) {
      snprintf(buf, size, "%s", d < 0 ? "-inf" : "inf");
      return false;
    }
    /* The shortest %g form that reads back to the same value. */
    int maxprec = v->kind == AW_F32 ? 9 : 17;
    for (int prec = 1; prec <= maxprec; prec++) {
      snprintf(buf, size, "%.*g", prec, d);
      if (v->kind == AW_F32 ? strtof(buf, NULL) == v->of.f32
                            : strtod(buf, NULL) == d)
        break;
    }
    return true;
  }
  case AW_V128: {
    size_t n = (size_t)snprintf(buf, size, "0x");
    for (int i = 15; i >= 0 && n + 2 < size; i--)
      n += (size_t)snprintf(buf + n, size - n, "%02x", v->of.v128[i]);
    return false;
  }
  case AW_FUNCREF:
  case AW_EXTERNREF:
    snprintf(buf, size, "%s", v->of.ref ? "ref" : "null");
    return false;
  }
  snprintf(buf, size, "?");
  return false;
}

void cli_print_value(FILE *out, const aw_val *v) {
  char buf[64];
  format_value(buf, sizeof buf, v);
  fputs(buf, out);
}

static void write_str(FILE *out, const char *s) {
  if (s)
    cli_json_write_string(out, s, strlen(s));
  else
    fputs("null", out);
}

static void write_key(FILE *out, const char *key, bool *first) {
  if (!*first) fputs(",\n", out);
  *first = false;
  fprintf(out, "  \"%s\": ", key);
}

bool cli_report_write(FILE *out, const cli_run_report *r) {
  const aw_exec_result *res = r->executed ? r->res : NULL;
  bool first = true;
  fputs("{\n", out);
  write_key(out, "outcome", &first);
  write_str(out, cli_outcome_name(r->outcome));
  write_key(out, "exit_code", &first);
  if (r->outcome == CLI_SUCCESS)
    fprintf(out, "%" PRId32, r->exit_code);
  else
    fputs("null", out);
  write_key(out, "exit_status", &first);
  fprintf(out, "%d", r->exit_status);
  write_key(out, "trap", &first);
  write_str(out, r->outcome == CLI_TRAP ? aw_trapkind_name(r->trap) : NULL);
  write_key(out, "message", &first);
  write_str(out, r->message ? r->message : "");
  write_key(out, "error_kind", &first);
  write_str(out, r->kind == AW_OK ? NULL : aw_errkind_name(r->kind));

  write_key(out, "component", &first);
  fputs("{\"target\": ", out);
  write_str(out, r->target);
  fputs(", \"manifest\": ", out);
  write_str(out, r->manifest);
  fputs(", \"name\": ", out);
  write_str(out, r->name);
  fputs(", \"version\": ", out);
  write_str(out, r->version);
  fputs(", \"module\": ", out);
  write_str(out, r->module);
  fputs("}", out);
  write_key(out, "function", &first);
  write_str(out, r->func);
  write_key(out, "executed", &first);
  fputs(r->executed ? "true" : "false", out);

  /* Fuel: the budget is known once the limits are; consumption only when
     the execution ran. */
  write_key(out, "fuel", &first);
  if (r->has_limits) {
    aw_fuel_metrics m = {.max = r->max_fuel, .consumed = 0};
    if (res) m = res->fuel;
    fprintf(out,
            "{\"max\": %" PRIu64 ", \"consumed\": %" PRIu64
            ", \"remaining\": %" PRIu64 ", \"usage_percent\": %.3f"
            ", \"metered\": %s}",
            m.max, m.consumed, aw_fuel_metrics_remaining(m),
            aw_fuel_metrics_usage_percent(m),
            res ? (res->fuel_metered ? "true" : "false") : "null");
  } else {
    fputs("null", out);
  }
  write_key(out, "elapsed_ms", &first);
  fprintf(out, "%.3f", res ? res->elapsed_ms : 0.0);
  write_key(out, "timeout_ms", &first);
  if (r->has_limits)
    fprintf(out, "%" PRIu64, res ? res->timeout_ms : r->timeout_ms);
  else
    fputs("null", out);
  write_key(out, "memory", &first);
  if (r->has_limits) {
    /* The whole memory budget, then what each part reached. */
    fprintf(out,
            "{\"max_bytes\": %" PRIu64 ", \"peak_bytes\": %" PRIu64
            ", \"current_bytes\": %" PRIu64 ", \"failed_grows\": %" PRIu32
            ", \"linear_peak_bytes\": %" PRIu64
            ", \"table_peak_bytes\": %" PRIu64 ", \"host_peak_bytes\": %" PRIu64
            "}",
            r->max_memory, res ? res->memory.peak : 0,
            res ? res->memory.current : 0, res ? res->memory.failed_grows : 0,
            res ? res->memory_parts.peak_linear : 0,
            res ? res->memory_parts.peak_tables : 0,
            res ? res->memory_parts.peak_host : 0);
  } else {
    fputs("null", out);
  }
  write_key(out, "limit", &first);
  if (res && r->has_limit_figures) {
    fputs("{\"resource\": ", out);
    write_str(out, aw_resource_name(res->error.figures.limit.resource));
    fputs(", \"unit\": ", out);
    write_str(out, aw_resource_unit(res->error.figures.limit.resource));
    fprintf(out, ", \"limit\": %" PRIu64 ", \"requested\": %" PRIu64 "}",
            res->error.figures.limit.limit, res->error.figures.limit.requested);
  } else {
    fputs("null", out);
  }

  /* The results (--invoke; _start has none), and their types. */
  uint32_t n = res && r->outcome == CLI_SUCCESS ? res->nresults : 0;
  if (n > AW_EXEC_MAX_RESULTS) n = AW_EXEC_MAX_RESULTS;
  write_key(out, "results", &first);
  fputc('[', out);
  for (uint32_t i = 0; i < n; i++) {
    char buf[64];
    if (i) fputs(", ", out);
    if (format_value(buf, sizeof buf, &res->results[i]))
      fputs(buf, out);
    else
      write_str(out, buf);
  }
  fputc(']', out);
  write_key(out, "result_types", &first);
  fputc('[', out);
  for (uint32_t i = 0; i < n; i++) {
    if (i) fputs(", ", out);
    write_str(out, cli_valkind_name(res->results[i].kind));
  }
  fputs("]\n}\n", out);
  return !ferror(out);
}
