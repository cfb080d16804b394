/*
 * module.c - modules of the standard C API.  A wasm_module_t is a counted
 * handle on a capi_core: the engine's compiled module plus a copy of its
 * binary (for serialization).  Cores are counted atomically, because
 * shared modules carry them to other stores and threads; instances hold a
 * count too, so a module deleted while its instances live stays compiled.
 */
#include "capi/capi.h"
#include <stdlib.h>
#include <string.h>

/* Serialized modules: magic, format version (both little-endian u32),
   binary length (u64), then the binary, recompiled on deserialization. */
#define CAPI_SER_MAGIC 0x4d535741u /* "AWSM" */
#define CAPI_SER_VERSION 1u
#define CAPI_SER_HEADER 16u

void capi_core_release(capi_core *c) {
  if (!c || atomic_fetch_sub(&c->refs, 1) != 1) return;
  aw_module_free(c->m);
  free(c->bytes);
  free(c);
}

static capi_core *core_new(wasm_store_t *s, const uint8_t *bytes, size_t len) {
  if (!s || (!bytes && len)) return NULL;
  capi_core *c = calloc(1, sizeof *c);
  uint8_t *copy = malloc(len ? len : 1);
  aw_error err;
  if (!c || !copy) {
    free(c);
    free(copy);
    return NULL;
  }
  if (len) memcpy(copy, bytes, len);
  c->m = aw_module_new(s->engine->e, copy, len, &err);
  if (!c->m) {
    free(c);
    free(copy);
    return NULL;
  }
  atomic_init(&c->refs, 1);
  c->engine = s->engine->e;
  c->bytes = copy;
  c->len = len;
  return c;
}

/* A new handle on core c (whose count the handle takes over). */
static wasm_module_t *handle_new(capi_core *c) {
  wasm_module_t *m = calloc(1, sizeof *m);
  if (!m) {
    capi_core_release(c);
    return NULL;
  }
  capi_obj_init(&m->o, CAPI_MODULE, NULL);
  m->core = c;
  return m;
}

wasm_module_t *wasm_module_new(wasm_store_t *s, const wasm_byte_vec_t *binary) {
  if (!binary) return NULL;
  capi_core *c = core_new(s, (const uint8_t *)binary->data, binary->size);
  return c ? handle_new(c) : NULL;
}

bool wasm_module_validate(wasm_store_t *s, const wasm_byte_vec_t *binary) {
  if (!s || !binary || (!binary->data && binary->size)) return false;
  aw_error err;
  aw_module *m = aw_module_new(s->engine->e, (const uint8_t *)binary->data,
                               binary->size, &err);
  aw_module_free(m);
  return m != NULL;
}

void wasm_module_delete(wasm_module_t *m) {
  if (!m || atomic_fetch_sub(&m->o.refs, 1) != 1) return;
  if (m->o.host_fin) m->o.host_fin(m->o.host_info);
  capi_core_release(m->core);
  free(m);
}

/* Makes *name a copy of len bytes at p; false on OOM. */
static bool name_new(wasm_name_t *name, const char *p, size_t len) {
  wasm_byte_vec_new(name, len, p);
  return name->size == len;
}

void wasm_module_imports(const wasm_module_t *m, wasm_importtype_vec_t *out) {
  if (!out) return;
  wasm_importtype_vec_new_empty(out);
  if (!m) return;
  uint32_t n = aw_module_import_count(m->core->m);
  wasm_importtype_vec_new_uninitialized(out, n);
  for (uint32_t i = 0; i < out->size; i++) {
    aw_import_desc d;
    wasm_name_t mod, name;
    wasm_externtype_t *t = NULL;
    if (!aw_module_import(m->core->m, i, &d)) break;
    bool ok = name_new(&mod, d.module, d.module_len);
    ok = name_new(&name, d.name, d.name_len) && ok;
    if (ok) t = capi_externtype_from_aw(&d.type);
    if (t) out->data[i] = wasm_importtype_new(&mod, &name, t);
    if (!out->data[i]) {
      wasm_byte_vec_delete(&mod);
      wasm_byte_vec_delete(&name);
      wasm_externtype_delete(t);
      wasm_importtype_vec_delete(out); /* all or nothing */
      return;
    }
  }
}

void wasm_module_exports(const wasm_module_t *m, wasm_exporttype_vec_t *out) {
  if (!out) return;
  wasm_exporttype_vec_new_empty(out);
  if (!m) return;
  uint32_t n = aw_module_export_count(m->core->m);
  wasm_exporttype_vec_new_uninitialized(out, n);
  for (uint32_t i = 0; i < out->size; i++) {
    aw_export_desc d;
    wasm_name_t name;
    wasm_externtype_t *t = NULL;
    if (!aw_module_export(m->core->m, i, &d)) break;
    if (name_new(&name, d.name, d.name_len))
      t = capi_externtype_from_aw(&d.type);
    if (t) out->data[i] = wasm_exporttype_new(&name, t);
    if (!out->data[i]) {
      wasm_byte_vec_delete(&name);
      wasm_externtype_delete(t);
      wasm_exporttype_vec_delete(out);
      return;
    }
  }
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

void wasm_module_serialize(const wasm_module_t *m, wasm_byte_vec_t *out) {
  if (!out) return;
  wasm_byte_vec_new_empty(out);
  if (!m || m->core->len > SIZE_MAX - CAPI_SER_HEADER) return;
  wasm_byte_vec_new_uninitialized(out, CAPI_SER_HEADER + m->core->len);
  if (!out->size) return;
  uint8_t *p = (uint8_t *)out->data;
  put32(p, CAPI_SER_MAGIC);
  put32(p + 4, CAPI_SER_VERSION);
  put32(p + 8, (uint32_t)m->core->len);
  put32(p + 12, (uint32_t)((uint64_t)m->core->len >> 32));
  if (m->core->len) memcpy(p + CAPI_SER_HEADER, m->core->bytes, m->core->len);
}

wasm_module_t *wasm_module_deserialize(wasm_store_t *s,
                                       const wasm_byte_vec_t *bytes) {
  if (!s || !bytes || !bytes->data || bytes->size < CAPI_SER_HEADER)
    return NULL;
  const uint8_t *p = (const uint8_t *)bytes->data;
  if (get_le(p, 4) != CAPI_SER_MAGIC || get_le(p + 4, 4) != CAPI_SER_VERSION ||
      get_le(p + 8, 8) != bytes->size - CAPI_SER_HEADER)
    return NULL;
  capi_core *c =
      core_new(s, p + CAPI_SER_HEADER, bytes->size - CAPI_SER_HEADER);
  return c ? handle_new(c) : NULL;
}

void wasm_shared_module_delete(wasm_shared_module_t *sm) {
  if (!sm) return;
  capi_core_release(sm->core);
  free(sm);
}

wasm_shared_module_t *wasm_module_share(const wasm_module_t *m) {
  if (!m) return NULL;
  wasm_shared_module_t *sm = malloc(sizeof *sm);
  if (!sm) return NULL;
  atomic_fetch_add(&m->core->refs, 1);
  sm->core = m->core;
  return sm;
}

wasm_module_t *wasm_module_obtain(wasm_store_t *s,
                                  const wasm_shared_module_t *sm) {
  if (!s || !sm || sm->core->engine != s->engine->e) return NULL;
  atomic_fetch_add(&sm->core->refs, 1);
  return handle_new(sm->core);
}
