/*
 * inspect.c - the `validate` and `inspect` subcommands: load a module
 * through the public API, report a decode/validation error with its byte
 * offset, or describe the module (imports, exports, memories, tables,
 * globals, functions, start) as text or as JSON.
 */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads path into a module; on failure prints the diagnostic and returns
   NULL.  *engine_out receives the engine (to free after the module). */
static aw_module *load_module(const char *path, aw_engine **engine_out) {
  *engine_out = NULL;
  size_t len = 0;
  uint8_t *bytes = cli_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
    return NULL;
  }
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.simd = true;
  cfg.consume_fuel = false;
  aw_engine *engine = aw_engine_new(&cfg);
  if (!engine) {
    fprintf(stderr, "%s: error: cannot create an engine (out of memory)\n",
            path);
    free(bytes);
    return NULL;
  }
  aw_error err;
  aw_error_clear(&err);
  aw_module *m = cli_module_new(engine, path, bytes, len, &err);
  free(bytes);
  if (!m) {
    err.message[AW_ERROR_MESSAGE_MAX - 1] = '\0';
    const char *msg = err.message[0] ? err.message : aw_errkind_name(err.kind);
    if (err.offset != UINT64_MAX)
      fprintf(stderr, "%s: error at offset 0x%llx: %s\n", path,
              (unsigned long long)err.offset, msg);
    else
      fprintf(stderr, "%s: error: %s\n", path, msg);
    aw_engine_free(engine);
    return NULL;
  }
  *engine_out = engine;
  return m;
}

/* Returns the single file argument of a subcommand, or NULL after printing
   usage.  Sets *json if --json is given and allowed. */
static const char *one_file_arg(int argc, char **argv, bool allow_json,
                                bool *json, bool *help) {
  const char *file = NULL;
  *help = false;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      *help = true;
      return NULL;
    }
    if (allow_json && !strcmp(argv[i], "--json")) {
      *json = true;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "airssys-wasm %s: unknown option '%s'\n", argv[0],
              argv[i]);
      return NULL;
    } else if (file) {
      fprintf(stderr, "airssys-wasm %s: only one file may be given\n", argv[0]);
      return NULL;
    } else {
      file = argv[i];
    }
  }
  if (!file) fprintf(stderr, "airssys-wasm %s: no file given\n", argv[0]);
  return file;
}

int cli_validate_main(int argc, char **argv) {
  bool json = false, help = false;
  const char *file = one_file_arg(argc, argv, false, &json, &help);
  if (help) {
    printf("usage: airssys-wasm validate FILE.wasm\n"
           "Decodes and validates FILE.wasm; prints \"valid\" and exits 0, or\n"
           "prints the error (with its byte offset) and exits 1.\n");
    return 0;
  }
  if (!file) return 2;
  aw_engine *engine;
  aw_module *m = load_module(file, &engine);
  if (!m) return 1;
  aw_module_free(m);
  aw_engine_free(engine);
  printf("valid\n");
  return 0;
}

/* ---- text output helpers --------------------------------------------- */

/* Prints a name, escaping bytes that are not printable ASCII. */
static void put_name(FILE *out, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F && c != '\\')
      fputc(c, out);
    else
      fprintf(out, "\\x%02x", c);
  }
}

static void put_functype(FILE *out, const aw_functype *ft) {
  fputc('(', out);
  for (uint32_t i = 0; i < ft->nparams; i++)
    fprintf(out, "%s%s", i ? " " : "",
            ft->params ? cli_valkind_name(ft->params[i]) : "?");
  fputs(") -> (", out);
  for (uint32_t i = 0; i < ft->nresults; i++)
    fprintf(out, "%s%s", i ? " " : "",
            ft->results ? cli_valkind_name(ft->results[i]) : "?");
  fputc(')', out);
}

static void put_limits(FILE *out, aw_limits l) {
  if (l.has_max)
    fprintf(out, "%u..%u", l.min, l.max);
  else
    fprintf(out, "%u..", l.min);
}

static void put_externtype(FILE *out, const aw_externtype *t) {
  switch (t->kind) {
  case AW_EXTERN_FUNC: put_functype(out, &t->of.func); break;
  case AW_EXTERN_TABLE:
    fprintf(out, "%s ", cli_valkind_name(t->of.table.elem));
    put_limits(out, t->of.table.limits);
    break;
  case AW_EXTERN_MEMORY:
    put_limits(out, t->of.memory);
    fputs(" pages", out);
    break;
  case AW_EXTERN_GLOBAL:
    fprintf(out, "%s%s", t->of.global.mut ? "mut " : "",
            cli_valkind_name(t->of.global.type));
    break;
  }
}

/* ---- JSON output helpers --------------------------------------------- */

static void json_functype(FILE *out, const aw_functype *ft) {
  fputs("{\"params\": [", out);
  for (uint32_t i = 0; i < ft->nparams; i++)
    fprintf(out, "%s\"%s\"", i ? ", " : "",
            ft->params ? cli_valkind_name(ft->params[i]) : "?");
  fputs("], \"results\": [", out);
  for (uint32_t i = 0; i < ft->nresults; i++)
    fprintf(out, "%s\"%s\"", i ? ", " : "",
            ft->results ? cli_valkind_name(ft->results[i]) : "?");
  fputs("]}", out);
}

static void json_limits(FILE *out, aw_limits l) {
  fprintf(out, "\"min\": %u, \"max\": ", l.min);
  if (l.has_max)
    fprintf(out, "%u", l.max);
  else
    fputs("null", out);
}

static void json_externtype(FILE *out, const aw_externtype *t) {
  switch (t->kind) {
  case AW_EXTERN_FUNC: json_functype(out, &t->of.func); break;
  case AW_EXTERN_TABLE:
    fprintf(out, "{\"elem\": \"%s\", ", cli_valkind_name(t->of.table.elem));
    json_limits(out, t->of.table.limits);
    fputc('}', out);
    break;
  case AW_EXTERN_MEMORY:
    fputc('{', out);
    json_limits(out, t->of.memory);
    fputc('}', out);
    break;
  case AW_EXTERN_GLOBAL:
    fprintf(out, "{\"type\": \"%s\", \"mutable\": %s}",
            cli_valkind_name(t->of.global.type),
            t->of.global.mut ? "true" : "false");
    break;
  }
}

/* ---- module model ----------------------------------------------------- */

/* One entry of an index space (functions, tables, memories, globals). */
typedef struct space_entry {
  uint32_t index;
  bool imported;
  int import_idx; /* -1 if defined */
  aw_externtype type;
} space_entry;

typedef struct model {
  const aw_module *m;
  uint32_t nimports, nexports;
  aw_import_desc *imports;
  aw_export_desc *exports;
  space_entry *spaces[4];
  uint32_t nspace[4];
  uint32_t nimported[4];
} model;

static void model_free(model *md) {
  free(md->imports);
  free(md->exports);
  for (int k = 0; k < 4; k++)
    free(md->spaces[k]);
}

static bool model_build(model *md, const aw_module *m) {
  memset(md, 0, sizeof *md);
  md->m = m;
  md->nimports = aw_module_import_count(m);
  md->nexports = aw_module_export_count(m);
  md->imports = calloc(md->nimports ? md->nimports : 1, sizeof *md->imports);
  md->exports = calloc(md->nexports ? md->nexports : 1, sizeof *md->exports);
  if (!md->imports || !md->exports) return false;
  for (int k = 0; k < 4; k++) {
    md->nspace[k] = aw_module_extern_count(m, (aw_externkind)k);
    md->spaces[k] = calloc((size_t)md->nspace[k] + 1, sizeof(space_entry));
    if (!md->spaces[k]) return false;
    for (uint32_t j = 0; j < md->nspace[k]; j++) {
      space_entry *e = &md->spaces[k][j];
      e->index = j;
      e->import_idx = -1;
      if (!aw_module_extern_type(m, (aw_externkind)k, j, &e->type))
        return false;
    }
  }
  /* Imports come first in each index space, in import order. */
  for (uint32_t i = 0; i < md->nimports; i++) {
    if (!aw_module_import(m, i, &md->imports[i])) return false;
    aw_externkind k = md->imports[i].type.kind;
    if ((unsigned)k > 3 || md->nimported[k] >= md->nspace[k]) return false;
    space_entry *e = &md->spaces[k][md->nimported[k]++];
    e->imported = true;
    e->import_idx = (int)i;
  }
  for (uint32_t i = 0; i < md->nexports; i++)
    if (!aw_module_export(m, i, &md->exports[i])) return false;
  return true;
}

/* Prints the names of every export of (kind, index). */
static void put_export_names(FILE *out, const model *md, aw_externkind kind,
                             uint32_t index, bool json) {
  bool first = true;
  for (uint32_t i = 0; i < md->nexports; i++) {
    const aw_export_desc *x = &md->exports[i];
    if (x->type.kind != kind || x->index != index) continue;
    if (json) {
      if (!first) fputs(", ", out);
      cli_json_write_string(out, x->name, x->name_len);
    } else {
      fputs(first ? " exported as \"" : ", \"", out);
      put_name(out, x->name, x->name_len);
      fputc('"', out);
    }
    first = false;
  }
}

/* The import that defines function funcidx, or NULL. */
static const aw_import_desc *func_import(const model *md, uint32_t funcidx) {
  if (funcidx >= md->nspace[AW_EXTERN_FUNC]) return NULL;
  const space_entry *e = &md->spaces[AW_EXTERN_FUNC][funcidx];
  return e->imported ? &md->imports[e->import_idx] : NULL;
}

static const char *space_title[4] = {"functions", "tables", "memories",
                                     "globals"};

static void inspect_text(FILE *out, const model *md, const char *file) {
  const aw_module *m = md->m;
  fprintf(out, "module %s\n", file);
  fprintf(out, "imports (%u):\n", md->nimports);
  for (uint32_t i = 0; i < md->nimports; i++) {
    const aw_import_desc *im = &md->imports[i];
    fprintf(out, "  %-6s ", cli_externkind_name(im->type.kind));
    put_name(out, im->module, im->module_len);
    fputc('.', out);
    put_name(out, im->name, im->name_len);
    fputs(": ", out);
    put_externtype(out, &im->type);
    fputc('\n', out);
  }
  fprintf(out, "exports (%u):\n", md->nexports);
  for (uint32_t i = 0; i < md->nexports; i++) {
    const aw_export_desc *x = &md->exports[i];
    fprintf(out, "  %-6s \"", cli_externkind_name(x->type.kind));
    put_name(out, x->name, x->name_len);
    fprintf(out, "\" = %s %u: ", cli_externkind_name(x->type.kind), x->index);
    put_externtype(out, &x->type);
    fputc('\n', out);
  }
  static const int order[3] = {AW_EXTERN_MEMORY, AW_EXTERN_TABLE,
                               AW_EXTERN_GLOBAL};
  for (int o = 0; o < 3; o++) {
    int k = order[o];
    fprintf(out, "%s: %u (%u imported, %u defined)\n", space_title[k],
            md->nspace[k], md->nimported[k], md->nspace[k] - md->nimported[k]);
    for (uint32_t j = 0; j < md->nspace[k]; j++) {
      const space_entry *e = &md->spaces[k][j];
      fprintf(out, "  %u: ", e->index);
      put_externtype(out, &e->type);
      if (e->imported) {
        const aw_import_desc *im = &md->imports[e->import_idx];
        fputs(" imported from ", out);
        put_name(out, im->module, im->module_len);
        fputc('.', out);
        put_name(out, im->name, im->name_len);
      } else {
        fputs(" defined", out);
      }
      put_export_names(out, md, (aw_externkind)k, e->index, false);
      fputc('\n', out);
    }
  }
  uint32_t nf = aw_module_func_count(m);
  uint32_t nfi = aw_module_func_import_count(m);
  fprintf(out, "functions: %u (%u imported, %u defined)\n", nf, nfi,
          nf >= nfi ? nf - nfi : 0);
  for (uint32_t i = 0; i < nf; i++) {
    aw_functype ft;
    fprintf(out, "  %u: ", i);
    if (aw_module_func_type(m, i, &ft))
      put_functype(out, &ft);
    else
      fputs("(unknown type)", out);
    const aw_import_desc *im = func_import(md, i);
    if (im) {
      fputs(" imported from ", out);
      put_name(out, im->module, im->module_len);
      fputc('.', out);
      put_name(out, im->name, im->name_len);
    } else {
      fputs(i < nfi ? " imported" : " defined", out);
    }
    put_export_names(out, md, AW_EXTERN_FUNC, i, false);
    fputc('\n', out);
  }
  uint32_t start = aw_module_start(m);
  if (start == UINT32_MAX)
    fputs("start: none\n", out);
  else
    fprintf(out, "start: function %u\n", start);
}

static void inspect_json(FILE *out, const model *md) {
  const aw_module *m = md->m;
  fputs("{\n  \"imports\": [", out);
  for (uint32_t i = 0; i < md->nimports; i++) {
    const aw_import_desc *im = &md->imports[i];
    fputs(i ? ",\n    {\"module\": " : "\n    {\"module\": ", out);
    cli_json_write_string(out, im->module, im->module_len);
    fputs(", \"name\": ", out);
    cli_json_write_string(out, im->name, im->name_len);
    fprintf(out, ", \"kind\": \"%s\", \"type\": ",
            cli_externkind_name(im->type.kind));
    json_externtype(out, &im->type);
    fputc('}', out);
  }
  fputs(md->nimports ? "\n  ],\n  \"exports\": [" : "],\n  \"exports\": [",
        out);
  for (uint32_t i = 0; i < md->nexports; i++) {
    const aw_export_desc *x = &md->exports[i];
    fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
    cli_json_write_string(out, x->name, x->name_len);
    fprintf(out, ", \"kind\": \"%s\", \"index\": %u, \"type\": ",
            cli_externkind_name(x->type.kind), x->index);
    json_externtype(out, &x->type);
    fputc('}', out);
  }
  fputs(md->nexports ? "\n  ]" : "]", out);
  static const int order[3] = {AW_EXTERN_MEMORY, AW_EXTERN_TABLE,
                               AW_EXTERN_GLOBAL};
  for (int o = 0; o < 3; o++) {
    int k = order[o];
    fprintf(out, ",\n  \"%s\": {\"imported\": %u, \"entries\": [",
            space_title[k], md->nimported[k]);
    for (uint32_t j = 0; j < md->nspace[k]; j++) {
      const space_entry *e = &md->spaces[k][j];
      fprintf(out, "%s\n    {\"index\": %u, \"imported\": %s, \"type\": ",
              j ? "," : "", e->index, e->imported ? "true" : "false");
      json_externtype(out, &e->type);
      fputs(", \"exports\": [", out);
      put_export_names(out, md, (aw_externkind)k, e->index, true);
      fputs("]}", out);
    }
    fputs(md->nspace[k] ? "\n  ]}" : "]}", out);
  }
  uint32_t nf = aw_module_func_count(m);
  uint32_t nfi = aw_module_func_import_count(m);
  fprintf(out,
          ",\n  \"functions\": {\"imported\": %u, \"defined\": %u, "
          "\"signatures\": [",
          nfi, nf >= nfi ? nf - nfi : 0);
  for (uint32_t i = 0; i < nf; i++) {
    aw_functype ft;
    fprintf(out, "%s\n    {\"index\": %u, \"imported\": %s, \"type\": ",
            i ? "," : "", i, i < nfi ? "true" : "false");
    if (aw_module_func_type(m, i, &ft))
      json_functype(out, &ft);
    else
      fputs("null", out);
    fputs(", \"exports\": [", out);
    put_export_names(out, md, AW_EXTERN_FUNC, i, true);
    fputs("]}", out);
  }
  fputs(nf ? "\n  ]},\n" : "]},\n", out);
  uint32_t start = aw_module_start(m);
  if (start == UINT32_MAX)
    fputs("  \"start\": null\n}\n", out);
  else
    fprintf(out, "  \"start\": %u\n}\n", start);
}

int cli_inspect_main(int argc, char **argv) {
  bool json = false, help = false;
  const char *file = one_file_arg(argc, argv, true, &json, &help);
  if (help) {
    printf("usage: airssys-wasm inspect FILE.wasm [--json]\n"
           "Shows the module's imports, exports, memories, tables, globals,\n"
           "functions and start function; --json prints it as JSON.\n");
    return 0;
  }
  if (!file) return 2;
  aw_engine *engine;
  aw_module *m = load_module(file, &engine);
  if (!m) return 1;
  model md;
  int rc = 0;
  if (!model_build(&md, m)) {
    fprintf(stderr, "%s: error: cannot describe the module\n", file);
    rc = 1;
  } else if (json) {
    inspect_json(stdout, &md);
  } else {
    inspect_text(stdout, &md, file);
  }
  model_free(&md);
  aw_module_free(m);
  aw_engine_free(engine);
  if (fflush(stdout) != 0) rc = 1;
  return rc;
}
