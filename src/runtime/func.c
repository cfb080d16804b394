/*
 * func.c - function instances: host functions (aw_func_new), signatures
 * (aw_func_type) and calls from C (aw_func_call), which check the
 * arguments, convert aw_val <-> aw_slot and hand over to the interpreter.
 */
#include "limits/watchdog.h"
#include "runtime/rt_internal.h"
#include "vm/vm.h"

aw_func *aw_func_new(aw_store *s, const aw_functype *type, aw_host_fn fn,
                     void *env, void (*finalizer)(void *env)) {
  if (!s || !type || !fn) return NULL;
  if ((type->nparams && !type->params) || (type->nresults && !type->results))
    return NULL;
  for (uint32_t i = 0; i < type->nparams; i++)
    if (!rt_valid_kind(type->params[i])) return NULL;
  for (uint32_t i = 0; i < type->nresults; i++)
    if (!rt_valid_kind(type->results[i])) return NULL;
  /* One block: the aw_valkind arrays of the public view, then the byte
     arrays of the internal signature. */
  size_t n = (size_t)type->nparams + type->nresults;
  if (n > SIZE_MAX / (sizeof(aw_valkind) + 1)) return NULL;
  void *mem = malloc(n ? n * (sizeof(aw_valkind) + 1) : 1);
  aw_func *f = calloc(1, sizeof *f);
  if (!mem || !f) {
    free(mem);
    free(f);
    return NULL;
  }
  aw_valkind *kinds = mem;
  uint8_t *bytes = (uint8_t *)(kinds + n);
  for (uint32_t i = 0; i < type->nparams; i++) {
    kinds[i] = type->params[i];
    bytes[i] = (uint8_t)type->params[i];
  }
  for (uint32_t i = 0; i < type->nresults; i++) {
    kinds[type->nparams + i] = type->results[i];
    bytes[type->nparams + i] = (uint8_t)type->results[i];
  }
  f->own_mem = mem;
  f->own_type = (wm_functype){type->nparams, type->nresults, bytes,
                              bytes + type->nparams};
  f->ftype = (aw_functype){type->nparams, type->nresults, kinds,
                           kinds + type->nparams};
  f->type = &f->own_type;
  f->type_id = rt_engine_intern_type(s->engine, &f->own_type);
  f->host = fn;
  f->store = s;
  if (f->type_id == UINT32_MAX || !rt_store_own(s, AW_EXTERN_FUNC, f)) {
    free(mem);
    free(f);
    return NULL;
  }
  /* Only now does the store take env over. */
  f->env = env;
  f->finalizer = finalizer;
  return f;
}

void rt_func_release(aw_func *f) {
  if (f->finalizer) f->finalizer(f->env);
  f->finalizer = NULL;
  free(f->own_mem);
  f->own_mem = NULL;
}

aw_functype aw_func_type(const aw_func *f) {
  if (!f) return (aw_functype){0, 0, NULL, NULL};
  return f->ftype;
}

/* Converts v (already checked to be of type t) to slots; returns the number
   of slots written. */
static uint32_t to_slots(const aw_val *v, aw_slot *out) {
  out[0].i64 = 0;
  switch (v->kind) {
  case AW_I32: out[0].i32 = (uint32_t)v->of.i32; return 1;
  case AW_I64: out[0].i64 = (uint64_t)v->of.i64; return 1;
  case AW_F32: out[0].f32 = v->of.f32; return 1;
  case AW_F64: out[0].f64 = v->of.f64; return 1;
  case AW_V128:
    memcpy(&out[0].i64, v->of.v128, 8);
    memcpy(&out[1].i64, v->of.v128 + 8, 8);
    return 2;
  case AW_FUNCREF:
  case AW_EXTERNREF: out[0].ref = v->of.ref; return 1;
  }
  return 1;
}

static uint32_t from_slots(uint8_t t, const aw_slot *in, aw_val *v) {
  memset(v, 0, sizeof *v);
  v->kind = (aw_valkind)t;
  switch (t) {
  case WM_I32: v->of.i32 = (int32_t)in[0].i32; return 1;
  case WM_I64: v->of.i64 = (int64_t)in[0].i64; return 1;
  case WM_F32: v->of.f32 = in[0].f32; return 1;
  case WM_F64: v->of.f64 = in[0].f64; return 1;
  case WM_V128:
    memcpy(v->of.v128, &in[0].i64, 8);
    memcpy(v->of.v128 + 8, &in[1].i64, 8);
    return 2;
  default: v->of.ref = in[0].ref; return 1;
  }
}

aw_errkind aw_func_call(aw_store *s, aw_func *f, const aw_val *args,
                        size_t nargs, aw_val *results, size_t nresults,
                        aw_error *err) {
  aw_error local;
  if (!err) err = &local;
  aw_error_clear(err);
  if (!s || !f) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_func_call: %s is NULL",
            s ? "function" : "store");
    return AW_ERR_ARGUMENT;
  }
  if (f->store != s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_func_call: the function belongs to another store");
    return AW_ERR_ARGUMENT;
  }
  const wm_functype *t = f->type;
  if (nargs != t->nparams || nresults != t->nresults || (nargs && !args) ||
      (nresults && !results)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_func_call: the function takes %u arguments and returns %u "
            "results, called with %zu and %zu",
            t->nparams, t->nresults, nargs, nresults);
    return AW_ERR_ARGUMENT;
  }
  uint32_t nin = 0, nout = 0;
  for (uint32_t i = 0; i < t->nparams; i++) {
    if ((uint8_t)args[i].kind != t->params[i]) {
      aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
              "aw_func_call: argument %u has type 0x%02x, expected 0x%02x", i,
              (unsigned)args[i].kind, (unsigned)t->params[i]);
      return AW_ERR_ARGUMENT;
    }
    if (t->params[i] == WM_FUNCREF && args[i].of.ref &&
        ((const aw_func *)args[i].of.ref)->store != s) {
      aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
              "aw_func_call: argument %u is a function of another store", i);
      return AW_ERR_ARGUMENT;
    }
    nin += rt_slots_of(t->params[i]);
  }
  for (uint32_t i = 0; i < t->nresults; i++)
    nout += rt_slots_of(t->results[i]);
  aw_slot small[32];
  aw_slot *slots = small;
  uint64_t total = (uint64_t)nin + nout;
  if (total > 32) {
    slots = aw_calloc((size_t)total, sizeof *slots);
    if (!slots) {
      aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
      return AW_ERR_NOMEM;
    }
  }
  aw_slot *in = slots, *out = slots + nin;
  for (uint32_t i = 0, k = 0; i < t->nparams; i++)
    k += to_slots(&args[i], in + k);
  for (uint32_t i = 0; i < nout; i++)
    out[i].i64 = 0;
  uint64_t t0 = s->deadline_ns ? 0 : wd_now_ns();
  aw_errkind r = vm_call(s, f, in, out, err);
  if (r == AW_ERR_TIMEOUT) rt_store_timeout(s, err, t0);
  if (r == AW_ERR_OUT_OF_FUEL) rt_store_out_of_fuel(s, err);
  if (r == AW_OK)
    for (uint32_t i = 0, k = 0; i < t->nresults; i++)
      k += from_slots(t->results[i], out + k, &results[i]);
  if (slots != small) free(slots);
  return r;
}
