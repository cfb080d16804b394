/*
 * global.c - globals created by the host (aw_global_new) and reading /
 * writing globals through the public API, with aw_val <-> aw_slot
 * conversion.
 */
#include "runtime/rt_internal.h"

/* Stores v (of g's type) into g. */
static void put(aw_global *g, const aw_val *v) {
  memset(&g->val, 0, sizeof g->val);
  switch (v->kind) {
  case AW_I32: g->val.s.i32 = (uint32_t)v->of.i32; break;
  case AW_I64: g->val.s.i64 = (uint64_t)v->of.i64; break;
  case AW_F32: g->val.s.f32 = v->of.f32; break;
  case AW_F64: g->val.s.f64 = v->of.f64; break;
  case AW_V128: memcpy(g->val.v128, v->of.v128, 16); break;
  case AW_FUNCREF:
  case AW_EXTERNREF: g->val.s.ref = v->of.ref; break;
  }
}

aw_global *aw_global_new(aw_store *s, aw_val val, bool mut, aw_error *err) {
  aw_error_clear(err);
  if (!s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_global_new: store is NULL");
    return NULL;
  }
  if (!rt_valid_kind(val.kind)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_global_new: unknown value type 0x%02x", (unsigned)val.kind);
    return NULL;
  }
  /* Charged before the allocation; freed (and never returned) with the
     store. */
  if (!rt_budget_charge(s, RT_GLOBAL_BYTES, err)) return NULL;
  aw_global *g = calloc(1, sizeof *g);
  if (!g || !rt_store_own(s, AW_EXTERN_GLOBAL, g)) {
    free(g);
    rt_budget_release(s, RT_GLOBAL_BYTES);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  g->type.type = (uint8_t)val.kind;
  g->type.mut = mut;
  put(g, &val);
  return g;
}

aw_val aw_global_get(const aw_global *g) {
  aw_val v;
  memset(&v, 0, sizeof v);
  if (!g) return v;
  v.kind = (aw_valkind)g->type.type;
  switch (v.kind) {
  case AW_I32: v.of.i32 = (int32_t)g->val.s.i32; break;
  case AW_I64: v.of.i64 = (int64_t)g->val.s.i64; break;
  case AW_F32: v.of.f32 = g->val.s.f32; break;
  case AW_F64: v.of.f64 = g->val.s.f64; break;
  case AW_V128: memcpy(v.of.v128, g->val.v128, 16); break;
  case AW_FUNCREF:
  case AW_EXTERNREF: v.of.ref = g->val.s.ref; break;
  }
  return v;
}

bool aw_global_set(aw_global *g, aw_val val) {
  if (!g || !g->type.mut || (uint8_t)val.kind != g->type.type) return false;
  put(g, &val);
  return true;
}
