/*
 * store.c - configuration, engine and store of the standard C API, the
 * store's handles of engine objects (one per object, see capi.h) and the
 * conversion of values and references between the C API and the engine.
 */
#include "capi/capi.h"
#include <stdlib.h>
#include <string.h>

/* ---- Configuration and engine */

wasm_config_t *wasm_config_new(void) {
  wasm_config_t *c = calloc(1, sizeof *c);
  if (c) aw_engine_config_default(&c->cfg);
  return c;
}

void wasm_config_delete(wasm_config_t *c) {
  free(c);
}

aw_engine_config *aw_wasm_config(wasm_config_t *c) {
  return c ? &c->cfg : NULL;
}

wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *c) {
  wasm_engine_t *e = calloc(1, sizeof *e);
  if (e) e->e = aw_engine_new(c ? &c->cfg : NULL);
  if (e && !e->e) {
    free(e);
    e = NULL;
  }
  wasm_config_delete(c);
  return e;
}

wasm_engine_t *wasm_engine_new(void) {
  return wasm_engine_new_with_config(NULL);
}

void wasm_engine_delete(wasm_engine_t *e) {
  if (!e) return;
  aw_engine_free(e->e);
  free(e);
}

aw_engine *aw_wasm_engine(wasm_engine_t *e) {
  return e ? e->e : NULL;
}

/* ---- Store */

wasm_store_t *wasm_store_new(wasm_engine_t *engine) {
  if (!engine) return NULL;
  wasm_store_t *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->engine = engine;
  s->s = aw_store_new(engine->e);
  if (!s->s) {
    free(s);
    return NULL;
  }
  return s;
}

aw_store *aw_wasm_store(wasm_store_t *s) {
  return s ? s->s : NULL;
}

void capi_obj_init(capi_obj *o, uint8_t kind, wasm_store_t *s) {
  o->kind = kind;
  o->store = s;
  o->host_info = NULL;
  o->host_fin = NULL;
  atomic_init(&o->refs, 1);
  o->next = NULL;
  if (s) {
    o->next = s->objects;
    s->objects = o;
  }
}

void wasm_store_delete(wasm_store_t *s) {
  if (!s) return;
  /* The engine's objects first (nothing of theirs calls back into the
     handles), then the handles with their finalizers. */
  aw_store_free(s->s);
  capi_obj *o = s->objects;
  while (o) {
    capi_obj *next = o->next;
    if (o->host_fin) o->host_fin(o->host_info);
    if (o->kind == CAPI_FUNC) {
      wasm_func_t *f = (wasm_func_t *)(void *)o;
      if (f->env_fin) f->env_fin(f->env);
    } else if (o->kind == CAPI_INSTANCE) {
      capi_core_release(((wasm_instance_t *)(void *)o)->core);
    }
    free(o);
    o = next;
  }
  for (size_t i = 0; i < s->npins; i++)
    wasm_ref_delete((wasm_ref_t *)s->pins[i]);
  free(s->pins);
  for (size_t i = 0; i < s->ncores; i++)
    capi_core_release(s->cores[i]);
  free(s->cores);
  wasm_trap_delete(s->pending);
  free(s->map.keys);
  free(s->map.vals);
  free(s);
}

/* ---- The map: engine object (or pinned reference) -> handle */

static size_t map_slot(const capi_map *m, const void *key) {
  uintptr_t h = (uintptr_t)key;
  h ^= h >> 17;
  h *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 7) & (m->cap - 1);
}

static capi_obj *map_get(const capi_map *m, const void *key) {
  if (!m->cap) return NULL;
  for (size_t i = map_slot(m, key);; i = (i + 1) & (m->cap - 1)) {
    if (!m->keys[i]) return NULL;
    if (m->keys[i] == key) return m->vals[i];
  }
}

static bool map_put(capi_map *m, const void *key, capi_obj *val) {
  if ((m->n + 1) * 2 > m->cap) { /* keep the load at most 1/2 */
    size_t cap = m->cap ? m->cap * 2 : 64;
    capi_map g = {calloc(cap, sizeof *g.keys), calloc(cap, sizeof *g.vals), cap,
                  0};
    if (!g.keys || !g.vals) {
      free(g.keys);
      free(g.vals);
      return false;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->keys[i]) {
        size_t j = map_slot(&g, m->keys[i]);
        while (g.keys[j])
          j = (j + 1) & (cap - 1);
        g.keys[j] = m->keys[i];
        g.vals[j] = m->vals[i];
        g.n++;
      }
    free(m->keys);
    free(m->vals);
    *m = g;
  }
  size_t i = map_slot(m, key);
  while (m->keys[i])
    i = (i + 1) & (m->cap - 1);
  m->keys[i] = key;
  m->vals[i] = val;
  m->n++;
  return true;
}

bool capi_register(wasm_store_t *s, const void *obj, capi_obj *o) {
  return map_put(&s->map, obj, o);
}

capi_obj *capi_wrap(wasm_store_t *s, uint8_t kind, void *obj) {
  if (!s || !obj) return NULL;
  capi_obj *o = map_get(&s->map, obj);
  if (o) return o;
  size_t size = kind == CAPI_FUNC     ? sizeof(wasm_func_t)
                : kind == CAPI_GLOBAL ? sizeof(wasm_global_t)
                : kind == CAPI_TABLE  ? sizeof(wasm_table_t)
                                      : sizeof(wasm_memory_t);
  o = calloc(1, size);
  if (!o) return NULL;
  if (!map_put(&s->map, obj, o)) {
    free(o);
    return NULL;
  }
  capi_obj_init(o, kind, s);
  switch (kind) {
  case CAPI_FUNC: ((wasm_func_t *)(void *)o)->f = obj; break;
  case CAPI_GLOBAL: ((wasm_global_t *)(void *)o)->g = obj; break;
  case CAPI_TABLE: ((wasm_table_t *)(void *)o)->t = obj; break;
  default: ((wasm_memory_t *)(void *)o)->m = obj; break;
  }
  return o;
}

/* Takes a count of counted reference o for store s, once per store. */
static bool pin(wasm_store_t *s, capi_obj *o) {
  if (map_get(&s->map, o)) return true;
  if (s->npins == s->cappins) {
    size_t cap = s->cappins ? s->cappins * 2 : 16;
    capi_obj **p = realloc(s->pins, cap * sizeof *p);
    if (!p) return false;
    s->pins = p;
    s->cappins = cap;
  }
  if (!map_put(&s->map, o, o)) return false;
  s->pins[s->npins++] = (capi_obj *)wasm_ref_copy((wasm_ref_t *)o);
  return true;
}

bool capi_store_hold_core(wasm_store_t *s, capi_core *c) {
  if (map_get(&s->map, c)) return true;
  if (s->ncores == s->capcores) {
    size_t cap = s->capcores ? s->capcores * 2 : 8;
    capi_core **p = realloc(s->cores, cap * sizeof *p);
    if (!p) return false;
    s->cores = p;
    s->capcores = cap;
  }
  /* The map's value is never read for a core: any non-NULL handle. */
  if (!map_put(&s->map, c, (capi_obj *)(void *)c)) return false;
  atomic_fetch_add(&c->refs, 1);
  s->cores[s->ncores++] = c;
  return true;
}

bool capi_ref_in(wasm_store_t *s, const wasm_ref_t *r, uint8_t elem, void **out,
                 const char **why) {
  *out = NULL;
  if (!r) return true;
  const capi_obj *o = &r->o;
  if (elem == AW_FUNCREF) {
    if (o->kind != CAPI_FUNC) {
      *why = "a funcref must be a function";
      return false;
    }
    if (o->store != s) {
      *why = "a function of another store";
      return false;
    }
    *out = ((const wasm_func_t *)(const void *)r)->f;
    return true;
  }
  if (o->kind == CAPI_TRAP || o->kind == CAPI_MODULE) {
    if (!pin(s, (capi_obj *)(void *)r)) {
      *why = "out of memory";
      return false;
    }
  } else if (o->store != s) {
    *why = "a reference to an object of another store";
    return false;
  }
  *out = (void *)(uintptr_t)r;
  return true;
}

wasm_ref_t *capi_ref_out(wasm_store_t *s, void *p, uint8_t elem, bool *oom) {
  if (!p) return NULL;
  if (elem == AW_FUNCREF) {
    capi_obj *o = capi_wrap(s, CAPI_FUNC, p);
    if (!o) *oom = true;
    return (wasm_ref_t *)(void *)o;
  }
  return wasm_ref_copy(p);
}

bool capi_val_in(wasm_store_t *s, const wasm_val_t *v, uint8_t want,
                 aw_val *out, const char **why) {
  memset(out, 0, sizeof *out);
  out->kind = (aw_valkind)want;
  if (capi_kind_to_aw(v->kind) != want || want == AW_V128) {
    *why = want == AW_V128 ? "v128 values cannot pass through the C API"
                           : "a value of the wrong type";
    return false;
  }
  switch (v->kind) {
  case WASM_I32: out->of.i32 = v->of.i32; return true;
  case WASM_I64: out->of.i64 = v->of.i64; return true;
  case WASM_F32: out->of.f32 = v->of.f32; return true;
  case WASM_F64: out->of.f64 = v->of.f64; return true;
  default: return capi_ref_in(s, v->of.ref, want, &out->of.ref, why);
  }
}

bool capi_val_out(wasm_store_t *s, const aw_val *v, wasm_val_t *out) {
  bool oom = false;
  memset(out, 0, sizeof *out);
  out->kind = capi_kind_from_aw((uint8_t)v->kind);
  switch (v->kind) {
  case AW_I32: out->of.i32 = v->of.i32; break;
  case AW_I64: out->of.i64 = v->of.i64; break;
  case AW_F32: out->of.f32 = v->of.f32; break;
  case AW_F64: out->of.f64 = v->of.f64; break;
  case AW_FUNCREF:
  case AW_EXTERNREF:
    out->of.ref = capi_ref_out(s, v->of.ref, (uint8_t)v->kind, &oom);
    break;
  default: return false; /* v128 */
  }
  return !oom;
}

/* ---- Foreign objects */

wasm_foreign_t *wasm_foreign_new(wasm_store_t *s) {
  if (!s) return NULL;
  wasm_foreign_t *f = calloc(1, sizeof *f);
  if (f) capi_obj_init(&f->o, CAPI_FOREIGN, s);
  return f;
}
