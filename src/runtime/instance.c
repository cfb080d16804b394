/*
 * instance.c - instantiation (spec 2.0, 4.5.4): import matching, allocation
 * of the module's functions, tables, memories and globals, constant
 * expressions, element and data segment initialisation, the start
 * function; export lookup.
 *
 * Order of effects, as the spec prescribes: imports are checked before
 * anything is allocated (a link error has no effect); then active element
 * segments are applied in order (table.init semantics: bounds check, then
 * write, then drop), declarative ones dropped, then active data segments
 * (memory.init semantics), then the start function.  A trap on the way
 * leaves the writes already done in place: they may be visible through
 * imported tables and memories, so the half-initialised instance is kept
 * by the store (its functions may sit in an imported table) and only NULL
 * is returned.
 */
#include "decode/decode.h"
#include "limits/watchdog.h"
#include "runtime/rt_internal.h"
#include "vm/vm.h"
#include <stdio.h>

/* A value produced by a constant expression. */
typedef union rt_value {
  aw_slot s;
  uint8_t v128[16];
} rt_value;

/* Evaluates the constant expression e in inst (whose functions and
   imported globals are in place). The expression has been validated, so
   only the constant instructions of WebAssembly 2.0 can occur. */
static int eval_const(const aw_instance *inst, const wm_expr *e, rt_value *out,
                      aw_error *err) {
  const wm_module *m = &inst->module->m;
  dec_reader r = {e->p, e->p + e->len, m->bin};
  dec_scratch scratch = {NULL, 0};
  wm_instr ins;
  bool have = false;
  int rc = -1;
  memset(out, 0, sizeof *out);
  while (r.p < r.end) {
    if (dec_instr(&r, &ins, &scratch, err) != 0) goto done;
    switch (ins.op) {
    case 0x0B: /* end */
      if (!have) goto bad;
      rc = 0;
      goto done;
    case 0x41: /* i32.const */ out->s.i32 = (uint32_t)ins.imm; break;
    case 0x42: /* i64.const */ out->s.i64 = ins.imm; break;
    case 0x43: /* f32.const */ out->s.i32 = (uint32_t)ins.imm; break;
    case 0x44: /* f64.const */ out->s.i64 = ins.imm; break;
    case 0xD0: /* ref.null */ out->s.ref = NULL; break;
    case 0xD2: /* ref.func */
      if (ins.a >= m->nfuncs) goto bad;
      out->s.ref = inst->funcs[ins.a];
      break;
    case 0x23: /* global.get */
      if (ins.a >= m->nglobals || !inst->globals[ins.a]) goto bad;
      memcpy(out, &inst->globals[ins.a]->val, sizeof *out);
      break;
    case WM_OP_FD(12): /* v128.const */ memcpy(out->v128, ins.v128, 16); break;
    default: goto bad;
    }
    have = true;
  }
bad:
  aw_fail(err, AW_ERR_INVALID, e->offset, "constant expression required");
done:
  dec_scratch_free(&scratch);
  return rc;
}

void *rt_elem_item(const aw_instance *inst, const wm_elem *seg, uint32_t i) {
  if (seg->funcs) return inst->funcs[seg->funcs[i]];
  rt_value v;
  aw_error e;
  if (eval_const(inst, &seg->exprs[i], &v, &e) != 0) return NULL;
  return v.s.ref;
}

void rt_quote_name(char *buf, size_t cap, const char *name, size_t len) {
  size_t o = 0;
  if (!cap) return;
  for (size_t i = 0; i < len && o + 5 < cap; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
      o += (size_t)snprintf(buf + o, cap - o, "\\%02x", c);
    else
      buf[o++] = (char)c;
  }
  buf[o] = '\0';
}

static const char *kind_name(int k) {
  switch (k) {
  case WM_EXT_FUNC: return "function";
  case WM_EXT_TABLE: return "table";
  case WM_EXT_MEM: return "memory";
  case WM_EXT_GLOBAL: return "global";
  }
  return "unknown";
}

static int link_fail(aw_error *err, const wm_import *im, const char *why) {
  char mod[64], name[64];
  rt_quote_name(mod, sizeof mod, im->module.s, im->module.len);
  rt_quote_name(name, sizeof name, im->name.s, im->name.len);
  return aw_fail(err, AW_ERR_LINK, UINT64_MAX,
                 "incompatible import type: \"%s\" \"%s\" (%s)", mod, name,
                 why);
}

/* Import limits matching: actual {amin, amax} against the declared ones. */
static bool limits_match(uint64_t amin, bool ahas_max, uint32_t amax,
                         const wm_limits *d) {
  if (amin < d->min) return false;
  if (d->has_max && (!ahas_max || amax > d->max)) return false;
  return true;
}

static int match_import(const aw_store *s, const aw_module *mod,
                        const wm_import *im, const aw_extern *ex,
                        aw_error *err) {
  if ((int)ex->kind != im->kind) {
    char why[64];
    snprintf(why, sizeof why, "expected a %s, got a %s", kind_name(im->kind),
             kind_name((int)ex->kind));
    return link_fail(err, im, why);
  }
  switch (im->kind) {
  case WM_EXT_FUNC: {
    const aw_func *f = ex->of.func;
    if (!f) break;
    if (f->store != s)
      return link_fail(err, im, "the function belongs to another store");
    if (f->type_id != mod->type_ids[im->d.func_type])
      return link_fail(err, im, "function signature differs");
    return 0;
  }
  case WM_EXT_TABLE: {
    const aw_table *t = ex->of.table;
    if (!t) break;
    if (t->elem != im->d.table.elem)
      return link_fail(err, im, "table element type differs");
    if (!limits_match(t->size, t->type.has_max, t->type.max, &im->d.table.lim))
      return link_fail(err, im, "table limits do not match");
    return 0;
  }
  case WM_EXT_MEM: {
    const aw_memory *mem = ex->of.memory;
    if (!mem) break;
    if (!limits_match(mem->size / 65536, mem->type.has_max, mem->type.max,
                      &im->d.mem))
      return link_fail(err, im, "memory limits do not match");
    return 0;
  }
  case WM_EXT_GLOBAL: {
    const aw_global *g = ex->of.global;
    if (!g) break;
    if (g->type.type != im->d.global.type || g->type.mut != im->d.global.mut)
      return link_fail(err, im, "global type or mutability differs");
    return 0;
  }
  }
  char mname[64], fname[64];
  rt_quote_name(mname, sizeof mname, im->module.s, im->module.len);
  rt_quote_name(fname, sizeof fname, im->name.s, im->name.len);
  return aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
                 "import \"%s\" \"%s\": NULL object", mname, fname);
}

void rt_instance_free(aw_instance *inst) {
  if (!inst) return;
  rt_budget_release(inst->store, inst->charged);
  const wm_module *m = &inst->module->m;
  if (inst->tables)
    for (uint32_t i = m->ntables_imported; i < m->ntables; i++)
      rt_table_free(inst->tables[i]);
  if (inst->mems)
    for (uint32_t i = m->nmems_imported; i < m->nmems; i++)
      rt_memory_free(inst->mems[i]);
  free(inst->funcs);
  free(inst->tables);
  free(inst->mems);
  free(inst->globals);
  free(inst->elem_dropped);
  free(inst->data_dropped);
  free(inst->own_funcs);
  free(inst->own_globals);
  free(inst);
}

/* The deadline passed (or the host interrupted) during instantiation:
   every step that may take long (each table and memory allocated, each
   chunk of a segment copied) tests the store's flag after it, so the
   deadline overshoot is one such step (docs/hardening.md). */
static int interrupted(aw_error *err) {
  return aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
                 "instantiation interrupted: deadline exceeded");
}

/* Allocates inst's arrays and the objects the module defines, and fills in
   the imports. No effect outside inst. */
static int allocate(aw_store *s, aw_instance *inst, const aw_extern *imports,
                    aw_error *err) {
  const aw_module *mod = inst->module;
  const wm_module *m = &mod->m;
  uint32_t ndef_funcs = m->nfuncs - m->nfuncs_imported;
  uint32_t ndef_globals = m->nglobals - m->nglobals_imported;
  /* The instance's own records, charged before they are allocated (its
     tables and memories charge themselves below). */
  uint64_t bytes = sizeof *inst +
                   ((uint64_t)m->nfuncs + m->ntables + m->nmems + m->nglobals) *
                       sizeof(void *) +
                   (uint64_t)m->nelems + m->ndatas +
                   (uint64_t)ndef_funcs * sizeof(aw_func) +
                   (uint64_t)ndef_globals * sizeof(aw_global);
  if (rt_interrupted(s)) return interrupted(err);
  if (!rt_budget_charge(s, bytes, err)) return -1;
  inst->charged = bytes;
  inst->funcs = aw_calloc(m->nfuncs, sizeof *inst->funcs);
  inst->tables = aw_calloc(m->ntables, sizeof *inst->tables);
  inst->mems = aw_calloc(m->nmems, sizeof *inst->mems);
  inst->globals = aw_calloc(m->nglobals, sizeof *inst->globals);
  inst->elem_dropped = aw_calloc(m->nelems, sizeof *inst->elem_dropped);
  inst->data_dropped = aw_calloc(m->ndatas, sizeof *inst->data_dropped);
  inst->own_funcs = aw_calloc(ndef_funcs, sizeof *inst->own_funcs);
  inst->own_globals = aw_calloc(ndef_globals, sizeof *inst->own_globals);
  if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals ||
      !inst->elem_dropped || !inst->data_dropped || !inst->own_funcs ||
      !inst->own_globals)
    return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");

  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const aw_extern *ex = &imports[i];
    switch (m->imports[i].kind) {
    case WM_EXT_FUNC: inst->funcs[nf++] = ex->of.func; break;
    case WM_EXT_TABLE: inst->tables[nt++] = ex->of.table; break;
    case WM_EXT_MEM: inst->mems[nm++] = ex->of.memory; break;
    case WM_EXT_GLOBAL: inst->globals[ng++] = ex->of.global; break;
    }
  }

  for (uint32_t j = 0; j < ndef_funcs; j++) {
    aw_func *f = &inst->own_funcs[j];
    uint32_t ti = m->funcs[j].type_idx;
    f->type_id = mod->type_ids[ti];
    f->type = &m->types[ti];
    f->ftype = mod->ftypes[ti];
    f->inst = inst;
    f->def = &m->funcs[j];
    f->store = s;
    inst->funcs[m->nfuncs_imported + j] = f;
  }
  for (uint32_t i = m->ntables_imported; i < m->ntables; i++) {
    inst->tables[i] = rt_table_new(s, m->tables[i].elem, m->tables[i].lim,
                                   s->table_cap, NULL, err);
    if (!inst->tables[i]) return -1;
    if (rt_interrupted(s)) return interrupted(err);
  }
  for (uint32_t i = m->nmems_imported; i < m->nmems; i++) {
    inst->mems[i] = rt_memory_new(s, m->mems[i], s->mem_cap_bytes, err);
    if (!inst->mems[i]) return -1;
    if (rt_interrupted(s)) return interrupted(err);
  }
  for (uint32_t j = 0; j < ndef_globals; j++) {
    aw_global *g = &inst->own_globals[j];
    const wm_global *d = &m->globals[m->nglobals_imported + j];
    g->type = d->type;
    rt_value v;
    if (eval_const(inst, &d->init, &v, err) != 0) return -1;
    memcpy(&g->val, &v, sizeof v);
    inst->globals[m->nglobals_imported + j] = g;
  }
  return 0;
}

/* Applies the active element and data segments, then runs start. */
static int initialise(aw_store *s, aw_instance *inst, aw_error *err) {
  const wm_module *m = &inst->module->m;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wm_elem *seg = &m->elems[i];
    if (seg->mode == WM_SEG_DECLARATIVE) inst->elem_dropped[i] = true;
    if (seg->mode != WM_SEG_ACTIVE) continue;
    rt_value off;
    if (eval_const(inst, &seg->offset, &off, err) != 0) return -1;
    aw_table *t = inst->tables[seg->table];
    uint64_t dst = off.s.i32;
    if (dst + seg->count > t->size)
      return aw_trap(err, AW_TRAP_OUT_OF_BOUNDS_TABLE);
    for (uint32_t k = 0; k < seg->count; k++) {
      t->elems[dst + k] = rt_elem_item(inst, seg, k);
      if ((k + 1) % RT_CHUNK_ELEMS == 0 && rt_interrupted(s))
        return interrupted(err);
    }
    inst->elem_dropped[i] = true;
    if (rt_interrupted(s)) return interrupted(err);
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wm_data *seg = &m->datas[i];
    if (seg->mode != WM_SEG_ACTIVE) continue;
    rt_value off;
    if (eval_const(inst, &seg->offset, &off, err) != 0) return -1;
    aw_memory *mem = inst->mems[seg->mem];
    uint64_t dst = off.s.i32;
    if (dst + seg->bytes.len > mem->size)
      return aw_trap(err, AW_TRAP_OUT_OF_BOUNDS_MEMORY);
    for (uint64_t done = 0; done < seg->bytes.len; done += RT_CHUNK_BYTES) {
      uint64_t n = seg->bytes.len - done;
      if (n > RT_CHUNK_BYTES) n = RT_CHUNK_BYTES;
      memcpy(mem->data + dst + done, seg->bytes.p + done, (size_t)n);
      if (rt_interrupted(s)) return interrupted(err);
    }
    inst->data_dropped[i] = true;
  }
  if (rt_interrupted(s)) return interrupted(err);
  if (m->has_start) {
    aw_slot none[1] = {{0}};
    aw_errkind r = vm_call(s, inst->funcs[m->start], none, none, err);
    if (r != AW_OK) {
      if (err && err->kind == AW_OK) err->kind = r;
      return -1;
    }
  }
  return 0;
}

static aw_instance *instantiate(aw_store *s, const aw_module *mod,
                                const aw_extern *imports, size_t nimports,
                                aw_error *err);

aw_instance *rt_instantiate(aw_store *s, const aw_module *mod,
                            const aw_extern *imports, size_t nimports,
                            aw_error *err) {
  uint64_t t0 = s->deadline_ns ? 0 : wd_now_ns();
  aw_instance *inst = instantiate(s, mod, imports, nimports, err);
  if (!inst && err && err->kind == AW_ERR_TIMEOUT) rt_store_timeout(s, err, t0);
  if (!inst && err && err->kind == AW_ERR_OUT_OF_FUEL)
    rt_store_out_of_fuel(s, err);
  return inst;
}

static aw_instance *instantiate(aw_store *s, const aw_module *mod,
                                const aw_extern *imports, size_t nimports,
                                aw_error *err) {
  const wm_module *m = &mod->m;
  if (mod->engine != s->engine) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "the module and the store belong to different engines");
    return NULL;
  }
  if (nimports != m->nimports || (nimports && !imports)) {
    aw_fail(err, AW_ERR_LINK, UINT64_MAX,
            "the module has %u imports, %zu were provided", m->nimports,
            nimports);
    return NULL;
  }
  for (uint32_t i = 0; i < m->nimports; i++)
    if (match_import(s, mod, &m->imports[i], &imports[i], err) != 0)
      return NULL;

  aw_instance *inst = calloc(1, sizeof *inst);
  if (!inst) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  inst->module = mod;
  inst->store = s;
  if (allocate(s, inst, imports, err) != 0) {
    rt_instance_free(inst);
    return NULL;
  }
  if (!rt_store_own(s, RT_OBJ_INSTANCE, inst)) {
    rt_instance_free(inst);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  /* From here on the store owns inst, even if initialisation traps. */
  if (initialise(s, inst, err) != 0) return NULL;
  return inst;
}

aw_instance *aw_instantiate(aw_store *s, const aw_module *mod,
                            const aw_extern *imports, size_t nimports,
                            aw_error *err) {
  aw_error local;
  if (!err) err = &local;
  aw_error_clear(err);
  if (!s || !mod) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_instantiate: %s is NULL",
            s ? "module" : "store");
    return NULL;
  }
  return rt_instantiate(s, mod, imports, nimports, err);
}

void rt_export_extern(const aw_instance *inst, const wm_export *ex,
                      aw_extern *out) {
  out->kind = (aw_externkind)ex->kind;
  switch (ex->kind) {
  case WM_EXT_FUNC: out->of.func = inst->funcs[ex->index]; break;
  case WM_EXT_TABLE: out->of.table = inst->tables[ex->index]; break;
  case WM_EXT_MEM: out->of.memory = inst->mems[ex->index]; break;
  case WM_EXT_GLOBAL: out->of.global = inst->globals[ex->index]; break;
  }
}

bool aw_instance_export(const aw_instance *inst, const char *name,
                        size_t name_len, aw_extern *out) {
  if (!inst || (!name && name_len) || !out) return false;
  const wm_module *m = &inst->module->m;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wm_export *ex = &m->exports[i];
    if (ex->name.len == name_len &&
        (name_len == 0 || memcmp(ex->name.s, name, name_len) == 0)) {
      rt_export_extern(inst, ex, out);
      return true;
    }
  }
  return false;
}

const aw_module *aw_instance_module(const aw_instance *inst) {
  return inst ? inst->module : NULL;
}
