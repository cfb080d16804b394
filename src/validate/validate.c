/*
 * validate.c - module-level validation (spec section 3.4, "Modules"):
 * types, imports, limits, globals, element and data segments, exports,
 * the start function, the set of functions `ref.func` may name; then
 * every function body (validate_code.c), which also drives the code
 * generator.  Entry point: val_module.
 */
#include "util/util.h"
#include "validate/val_internal.h"

bool val_is_reftype(uint8_t t) {
  return t == WM_FUNCREF || t == WM_EXTERNREF;
}

bool val_is_valtype(uint8_t t) {
  return t == WM_I32 || t == WM_I64 || t == WM_F32 || t == WM_F64 ||
         t == WM_V128 || val_is_reftype(t);
}

const char *val_type_name(uint8_t t) {
  switch (t) {
  case WM_I32: return "i32";
  case WM_I64: return "i64";
  case WM_F32: return "f32";
  case WM_F64: return "f64";
  case WM_V128: return "v128";
  case WM_FUNCREF: return "funcref";
  case WM_EXTERNREF: return "externref";
  case VAL_UNKNOWN: return "unknown";
  }
  return "invalid type";
}

int val_fail_simd(aw_error *err, uint64_t offset) {
  return aw_fail(err, AW_ERR_UNSUPPORTED, offset, "unsupported feature: SIMD");
}

void val_state_free(val_state *s) {
  free(s->vals);
  free(s->ctrls);
  free(s->pops);
  free(s->runs);
  free(s->cparams);
  free(s->cresults);
  dec_scratch_free(&s->scratch);
  memset(s, 0, sizeof *s);
}

static int check_limits(const wm_limits *l, uint64_t range, const char *msg,
                        aw_error *err) {
  if (l->min > range || (l->has_max && l->max > range))
    return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "%s", msg);
  if (l->has_max && l->min > l->max)
    return aw_fail(err, AW_ERR_INVALID, UINT64_MAX,
                   "size minimum must not be greater than maximum");
  return 0;
}

static int check_table_type(const wm_tabletype *t, aw_error *err) {
  if (!val_is_reftype(t->elem))
    return aw_fail(err, AW_ERR_MALFORMED, UINT64_MAX,
                   "malformed reference type");
  return check_limits(&t->lim, UINT32_MAX, "table size must be at most 2^32-1",
                      err);
}

static int check_mem_type(const wm_limits *l, aw_error *err) {
  return check_limits(l, 65536,
                      "memory size must be at most 65536 pages (4GiB)", err);
}

static int check_valtype(uint8_t t, const val_options *opt, aw_error *err) {
  if (t == WM_V128 && !opt->simd) return val_fail_simd(err, UINT64_MAX);
  if (!val_is_valtype(t))
    return aw_fail(err, AW_ERR_MALFORMED, UINT64_MAX, "malformed value type");
  return 0;
}

/* This engine's limit on the parameters and results of a function type
   (the JS API's, which every browser engine applies): calls, blocks and
   branches cost O(arity) each, so an unbounded arity would let a small
   module cost quadratic time. */
#define VAL_MAX_ARITY 1000u

static int check_types(const wm_module *m, const val_options *opt,
                       aw_error *err) {
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wm_functype *ft = &m->types[i];
    if (ft->nparams > VAL_MAX_ARITY || ft->nresults > VAL_MAX_ARITY)
      return aw_fail(err, AW_ERR_UNSUPPORTED, UINT64_MAX,
                     "type %u has %u parameters and %u results; this engine "
                     "accepts at most %u of each",
                     i, ft->nparams, ft->nresults, VAL_MAX_ARITY);
    for (uint32_t k = 0; k < ft->nparams; k++)
      if (check_valtype(ft->params[k], opt, err)) return -1;
    for (uint32_t k = 0; k < ft->nresults; k++)
      if (check_valtype(ft->results[k], opt, err)) return -1;
  }
  return 0;
}

static int check_imports(const wm_module *m, const val_options *opt,
                         aw_error *err) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wm_import *im = &m->imports[i];
    switch (im->kind) {
    case WM_EXT_FUNC:
      if (im->d.func_type >= m->ntypes)
        return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "unknown type %u",
                       im->d.func_type);
      break;
    case WM_EXT_TABLE:
      if (check_table_type(&im->d.table, err)) return -1;
      break;
    case WM_EXT_MEM:
      if (check_mem_type(&im->d.mem, err)) return -1;
      break;
    case WM_EXT_GLOBAL:
      if (check_valtype(im->d.global.type, opt, err)) return -1;
      break;
    default:
      return aw_fail(err, AW_ERR_MALFORMED, UINT64_MAX,
                     "malformed import kind");
    }
  }
  return 0;
}

/* The functions ref.func may name in bodies (the spec's C.refs): those
   named in exports, element segments and constant expressions. */
static int collect_refs(wm_module *m, val_state *s, aw_error *err) {
  if (!m->func_declared) {
    m->func_declared = aw_calloc(m->nfuncs, sizeof *m->func_declared);
    if (!m->func_declared)
      return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
  } else if (m->nfuncs) {
    memset(m->func_declared, 0, m->nfuncs * sizeof *m->func_declared);
  }
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WM_EXT_FUNC && m->exports[i].index < m->nfuncs)
      m->func_declared[m->exports[i].index] = true;
  for (uint32_t i = m->nglobals_imported; i < m->nglobals; i++)
    if (val_const_refs(m, &m->globals[i].init, s, err)) return -1;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wm_elem *e = &m->elems[i];
    if (e->mode == WM_SEG_ACTIVE && val_const_refs(m, &e->offset, s, err))
      return -1;
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->funcs) {
        if (e->funcs[k] < m->nfuncs) m->func_declared[e->funcs[k]] = true;
      } else if (e->exprs && val_const_refs(m, &e->exprs[k], s, err)) {
        return -1;
      }
    }
  }
  for (uint32_t i = 0; i < m->ndatas; i++)
    if (m->datas[i].mode == WM_SEG_ACTIVE &&
        val_const_refs(m, &m->datas[i].offset, s, err))
      return -1;
  return 0;
}

static int check_globals(const wm_module *m, const val_options *opt,
                         val_state *s, aw_error *err) {
  for (uint32_t i = m->nglobals_imported; i < m->nglobals; i++) {
    const wm_global *g = &m->globals[i];
    if (check_valtype(g->type.type, opt, err)) return -1;
    if (val_const_expr(m, &g->init, g->type.type, opt, s, err)) return -1;
  }
  return 0;
}

static int check_elems(const wm_module *m, const val_options *opt, val_state *s,
                       aw_error *err) {
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wm_elem *e = &m->elems[i];
    if (!val_is_reftype(e->type))
      return aw_fail(err, AW_ERR_MALFORMED, UINT64_MAX,
                     "malformed reference type");
    /* items first, then the table and offset, as the spec does */
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->funcs) {
        if (e->funcs[k] >= m->nfuncs)
          return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "unknown function %u",
                         e->funcs[k]);
      } else if (e->exprs) {
        if (val_const_expr(m, &e->exprs[k], e->type, opt, s, err)) return -1;
      } else {
        return aw_fail(err, AW_ERR_MALFORMED, UINT64_MAX,
                       "element segment without items");
      }
    }
    if (e->mode == WM_SEG_ACTIVE) {
      if (e->table >= m->ntables)
        return aw_fail(err, AW_ERR_INVALID, e->offset.offset,
                       "unknown table %u", e->table);
      if (val_const_expr(m, &e->offset, WM_I32, opt, s, err)) return -1;
      if (m->tables[e->table].elem != e->type)
        return aw_fail(err, AW_ERR_INVALID, e->offset.offset,
                       "type mismatch: %s segment for a %s table",
                       val_type_name(e->type),
                       val_type_name(m->tables[e->table].elem));
    }
  }
  return 0;
}

static int check_datas(const wm_module *m, const val_options *opt, val_state *s,
                       aw_error *err) {
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wm_data *d = &m->datas[i];
    if (d->mode != WM_SEG_ACTIVE) continue;
    if (d->mem >= m->nmems)
      return aw_fail(err, AW_ERR_INVALID, d->offset.offset, "unknown memory %u",
                     d->mem);
    if (val_const_expr(m, &d->offset, WM_I32, opt, s, err)) return -1;
  }
  return 0;
}

static int name_cmp(const void *a, const void *b) {
  const wm_name *x = *(const wm_name *const *)a;
  const wm_name *y = *(const wm_name *const *)b;
  uint32_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->s, y->s, n) : 0;
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

static int check_exports(const wm_module *m, aw_error *err) {
  static const char *const unknown[] = {"unknown function", "unknown table",
                                        "unknown memory", "unknown global"};
  const uint32_t counts[] = {m->nfuncs, m->ntables, m->nmems, m->nglobals};
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wm_export *e = &m->exports[i];
    if (e->kind > WM_EXT_GLOBAL)
      return aw_fail(err, AW_ERR_MALFORMED, UINT64_MAX,
                     "malformed export kind");
    if (e->index >= counts[e->kind])
      return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "%s %u", unknown[e->kind],
                     e->index);
  }
  if (m->nexports < 2) return 0;
  const wm_name **names = aw_calloc(m->nexports, sizeof *names);
  if (!names) return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
  for (uint32_t i = 0; i < m->nexports; i++)
    names[i] = &m->exports[i].name;
  qsort(names, m->nexports, sizeof *names, name_cmp);
  int rc = 0;
  for (uint32_t i = 1; i < m->nexports; i++)
    if (name_cmp(&names[i - 1], &names[i]) == 0) {
      rc = aw_fail(err, AW_ERR_INVALID, UINT64_MAX,
                   "duplicate export name \"%.*s\"",
                   (int)(names[i]->len > 64 ? 64 : names[i]->len), names[i]->s);
      break;
    }
  free(names);
  return rc;
}

static int check_module(wm_module *m, const val_options *opt, val_state *s,
                        aw_error *err) {
  if (check_types(m, opt, err) || check_imports(m, opt, err) ||
      val_canon_types(m, s, opt->budget, err))
    return -1;
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes)
      return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "unknown type %u",
                     m->func_types[i]);
  for (uint32_t i = 0; i < m->nfuncs - m->nfuncs_imported; i++)
    if (m->funcs[i].type_idx != m->func_types[m->nfuncs_imported + i])
      return aw_fail(err, AW_ERR_INVALID, UINT64_MAX,
                     "function %u: inconsistent type index",
                     m->nfuncs_imported + i);
  if (collect_refs(m, s, err)) return -1;
  if (check_globals(m, opt, s, err)) return -1;
  for (uint32_t i = m->ntables_imported; i < m->ntables; i++)
    if (check_table_type(&m->tables[i], err)) return -1;
  for (uint32_t i = m->nmems_imported; i < m->nmems; i++)
    if (check_mem_type(&m->mems[i], err)) return -1;
  if (check_elems(m, opt, s, err) || check_datas(m, opt, s, err)) return -1;
  /* An unsupported feature (SIMD switched off, or an instruction the code
     generator cannot compile yet) in one function must not hide a
     validation error further on: remember it, go on validating without
     compiling, and report it only if the module is otherwise valid. */
  val_options cur = *opt;
  aw_error unsupported;
  bool has_unsupported = false;
  for (uint32_t i = 0; i < m->nfuncs - m->nfuncs_imported; i++) {
    if (!val_function(m, i, &cur, s, err)) continue;
    if (err->kind != AW_ERR_UNSUPPORTED) return -1;
    if (!has_unsupported) {
      unsupported = *err;
      has_unsupported = true;
      cur.compile = false;
    }
  }
  if (m->has_start) {
    if (m->start >= m->nfuncs)
      return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "unknown function %u",
                     m->start);
    const wm_functype *ft = &m->types[m->func_types[m->start]];
    if (ft->nparams || ft->nresults)
      return aw_fail(err, AW_ERR_INVALID, UINT64_MAX,
                     "start function must have type [] -> []");
  }
  if (check_exports(m, err)) return -1;
  if (m->nmems > 1)
    return aw_fail(err, AW_ERR_INVALID, UINT64_MAX, "multiple memories");
  if (has_unsupported) {
    *err = unsupported;
    return -1;
  }
  return 0;
}

int val_module(wm_module *m, const val_options *opt, aw_error *err) {
  val_state s;
  aw_error local;
  if (!err) err = &local; /* the walk reads back the kind of its errors */
  memset(&s, 0, sizeof s);
  int rc = check_module(m, opt, &s, err);
  if (rc && err->kind == AW_ERR_INVALID) {
    /* An encoding error anywhere in the bodies comes first, as the spec
       decodes the whole module before it validates it. */
    val_scan_malformed(m, 0, &s, err);
  }
  /* On failure, code compiled for the functions before the error stays
     in m->funcs[i].code; wm_module_free frees it. */
  if (opt->units) *opt->units = s.work + s.cells;
  val_state_free(&s);
  return rc;
}
