/*
 * module.c - aw_module: decode, validate + compile, intern the module's
 * types in the engine's registry; introspection of imports, exports and
 * function types.  A module is immutable once aw_module_new returns.
 */
#include "decode/decode.h"
#include "runtime/rt_internal.h"
#include "validate/validate.h"

/* Builds the canonical ids and the public aw_functype views of m's types. */
static int intern_types(aw_module *mod, aw_error *err) {
  const wm_module *m = &mod->m;
  size_t nkinds = 0;
  for (uint32_t i = 0; i < m->ntypes; i++)
    nkinds += (size_t)m->types[i].nparams + m->types[i].nresults;
  mod->type_ids = aw_calloc(m->ntypes, sizeof *mod->type_ids);
  mod->ftypes = aw_calloc(m->ntypes, sizeof *mod->ftypes);
  mod->kinds = aw_calloc(nkinds, sizeof *mod->kinds);
  if (!mod->type_ids || !mod->ftypes || !mod->kinds)
    return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
  aw_valkind *k = mod->kinds;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wm_functype *t = &m->types[i];
    mod->type_ids[i] = rt_engine_intern_type(mod->engine, t);
    if (mod->type_ids[i] == UINT32_MAX)
      return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    aw_functype *f = &mod->ftypes[i];
    f->nparams = t->nparams;
    f->nresults = t->nresults;
    f->params = k;
    for (uint32_t j = 0; j < t->nparams; j++)
      *k++ = (aw_valkind)t->params[j];
    f->results = k;
    for (uint32_t j = 0; j < t->nresults; j++)
      *k++ = (aw_valkind)t->results[j];
  }
  return 0;
}

/* The compile budget of a module of len bytes (aw_engine_config); the
   product saturates, so a huge factor means "no practical limit". */
static uint64_t compile_budget(const aw_engine_config *cfg, size_t len) {
  uint64_t per = cfg->compile_units_per_byte
                     ? cfg->compile_units_per_byte
                     : AW_DEFAULT_COMPILE_UNITS_PER_BYTE;
  uint64_t base = cfg->compile_units_base ? cfg->compile_units_base
                                          : AW_DEFAULT_COMPILE_UNITS_BASE;
  uint64_t n = (uint64_t)len;
  uint64_t b = n && per > UINT64_MAX / n ? UINT64_MAX : per * n;
  return b > UINT64_MAX - base ? UINT64_MAX : b + base;
}

aw_module *aw_module_new(aw_engine *engine, const uint8_t *bytes, size_t len,
                         aw_error *err) {
  aw_error_clear(err);
  if (!engine || (!bytes && len)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_module_new: %s is NULL",
            engine ? "bytes" : "engine");
    return NULL;
  }
  aw_module *mod = calloc(1, sizeof *mod);
  if (!mod) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  mod->engine = engine;
  /* A local error record: the subsystems need somewhere to write even
     when the caller passed NULL. */
  aw_error e;
  aw_error_clear(&e);
  static const uint8_t empty[1];
  if (dec_module(bytes ? bytes : empty, len, &mod->m, &e) != 0) {
    free(mod); /* dec_module freed *m */
    goto fail;
  }
  val_options opt = {.simd = engine->cfg.simd,
                     .compile = true,
                     .cg = {.fuel = engine->cfg.consume_fuel},
                     .budget = compile_budget(&engine->cfg, len),
                     .units = &mod->compile_units};
  if (val_module(&mod->m, &opt, &e) != 0 || intern_types(mod, &e) != 0) {
    aw_module_free(mod);
    goto fail;
  }
  return mod;
fail:
  if (e.kind == AW_OK) /* a subsystem failed without saying why */
    aw_fail(&e, AW_ERR_INVALID, UINT64_MAX, "module rejected");
  if (err) *err = e;
  return NULL;
}

void aw_module_free(aw_module *mod) {
  if (!mod) return;
  wm_module_free(&mod->m);
  free(mod->type_ids);
  free(mod->ftypes);
  free(mod->kinds);
  free(mod);
}

uint32_t aw_module_import_count(const aw_module *mod) {
  return mod ? mod->m.nimports : 0;
}

/* Fills the public type of an import or export of kind k with index idx in
   its index space. */
static void extern_type(const aw_module *mod, uint8_t k, uint32_t idx,
                        aw_externtype *out) {
  const wm_module *m = &mod->m;
  memset(out, 0, sizeof *out);
  out->kind = (aw_externkind)k;
  switch (k) {
  case WM_EXT_FUNC: out->of.func = mod->ftypes[m->func_types[idx]]; break;
  case WM_EXT_TABLE:
    out->of.table.elem = (aw_valkind)m->tables[idx].elem;
    out->of.table.limits.min = m->tables[idx].lim.min;
    out->of.table.limits.max = m->tables[idx].lim.max;
    out->of.table.limits.has_max = m->tables[idx].lim.has_max;
    break;
  case WM_EXT_MEM:
    out->of.memory.min = m->mems[idx].min;
    out->of.memory.max = m->mems[idx].max;
    out->of.memory.has_max = m->mems[idx].has_max;
    break;
  case WM_EXT_GLOBAL:
    out->of.global.type = (aw_valkind)m->globals[idx].type.type;
    out->of.global.mut = m->globals[idx].type.mut;
    break;
  }
}

bool aw_module_import(const aw_module *mod, uint32_t i, aw_import_desc *out) {
  if (!mod || !out || i >= mod->m.nimports) return false;
  const wm_import *im = &mod->m.imports[i];
  out->module = im->module.s;
  out->module_len = im->module.len;
  out->name = im->name.s;
  out->name_len = im->name.len;
  memset(&out->type, 0, sizeof out->type);
  out->type.kind = (aw_externkind)im->kind;
  switch (im->kind) {
  case WM_EXT_FUNC: out->type.of.func = mod->ftypes[im->d.func_type]; break;
  case WM_EXT_TABLE:
    out->type.of.table.elem = (aw_valkind)im->d.table.elem;
    out->type.of.table.limits = (aw_limits){
        im->d.table.lim.min, im->d.table.lim.max, im->d.table.lim.has_max};
    break;
  case WM_EXT_MEM:
    out->type.of.memory =
        (aw_limits){im->d.mem.min, im->d.mem.max, im->d.mem.has_max};
    break;
  case WM_EXT_GLOBAL:
    out->type.of.global.type = (aw_valkind)im->d.global.type;
    out->type.of.global.mut = im->d.global.mut;
    break;
  }
  return true;
}

uint32_t aw_module_extern_count(const aw_module *mod, aw_externkind kind) {
  if (!mod) return 0;
  switch (kind) {
  case AW_EXTERN_FUNC: return mod->m.nfuncs;
  case AW_EXTERN_TABLE: return mod->m.ntables;
  case AW_EXTERN_MEMORY: return mod->m.nmems;
  case AW_EXTERN_GLOBAL: return mod->m.nglobals;
  }
  return 0;
}

bool aw_module_extern_type(const aw_module *mod, aw_externkind kind,
                           uint32_t index, aw_externtype *out) {
  if (!out || index >= aw_module_extern_count(mod, kind)) return false;
  extern_type(mod, (uint8_t)kind, index, out);
  return true;
}

uint32_t aw_module_export_count(const aw_module *mod) {
  return mod ? mod->m.nexports : 0;
}

bool aw_module_export(const aw_module *mod, uint32_t i, aw_export_desc *out) {
  if (!mod || !out || i >= mod->m.nexports) return false;
  const wm_export *ex = &mod->m.exports[i];
  out->name = ex->name.s;
  out->name_len = ex->name.len;
  out->index = ex->index;
  extern_type(mod, ex->kind, ex->index, &out->type);
  return true;
}

uint32_t aw_module_func_count(const aw_module *mod) {
  return mod ? mod->m.nfuncs : 0;
}

bool aw_module_func_type(const aw_module *mod, uint32_t funcidx,
                         aw_functype *out) {
  if (!mod || !out || funcidx >= mod->m.nfuncs) return false;
  *out = mod->ftypes[mod->m.func_types[funcidx]];
  return true;
}

uint32_t aw_module_func_import_count(const aw_module *mod) {
  return mod ? mod->m.nfuncs_imported : 0;
}

uint32_t aw_module_start(const aw_module *mod) {
  return mod && mod->m.has_start ? mod->m.start : UINT32_MAX;
}
