/*
 * vec.c - the vectors of the standard C API (wasm_*_vec_*): one array of
 * `size` elements; a vector of pointers owns the objects too.  Every size
 * is checked against overflow, and a vector that cannot be allocated is
 * left empty (size 0, data NULL), never half-made.
 */
#include "capi/capi.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The common part: allocation, taking over an array, deletion. ELEM_COPY
   (dst, src) returns false on OOM, ELEM_DEL(p) releases one element. */
#define CAPI_VEC(NAME, ELEM, ELEM_COPY, ELEM_DEL)                              \
  void wasm_##NAME##_vec_new_empty(wasm_##NAME##_vec_t *out) {                 \
    if (!out) return;                                                          \
    out->size = 0;                                                             \
    out->data = NULL;                                                          \
  }                                                                            \
  void wasm_##NAME##_vec_new_uninitialized(wasm_##NAME##_vec_t *out,           \
                                           size_t size) {                      \
    if (!out) return;                                                          \
    out->size = 0;                                                             \
    out->data = NULL;                                                          \
    if (size == 0 || size > PTRDIFF_MAX / sizeof(ELEM)) return;                \
    out->data = calloc(size, sizeof(ELEM));                                    \
    if (out->data) out->size = size;                                           \
  }                                                                            \
  void wasm_##NAME##_vec_new(wasm_##NAME##_vec_t *out, size_t size,            \
                             ELEM const data[]) {                              \
    if (!out) return;                                                          \
    wasm_##NAME##_vec_new_uninitialized(out, data ? size : 0);                 \
    if (out->size) memcpy(out->data, data, size * sizeof(ELEM));               \
  }                                                                            \
  void wasm_##NAME##_vec_copy(wasm_##NAME##_vec_t *out,                        \
                              const wasm_##NAME##_vec_t *src) {                \
    if (!out) return;                                                          \
    wasm_##NAME##_vec_new_uninitialized(out,                                   \
                                        src && src->data ? src->size : 0);     \
    for (size_t i = 0; i < out->size; i++) {                                   \
      if (!ELEM_COPY(&out->data[i], &src->data[i])) {                          \
        out->size = i; /* delete what was copied */                            \
        wasm_##NAME##_vec_delete(out);                                         \
        return;                                                                \
      }                                                                        \
    }                                                                          \
  }                                                                            \
  void wasm_##NAME##_vec_delete(wasm_##NAME##_vec_t *vec) {                    \
    if (!vec) return;                                                          \
    if (vec->data)                                                             \
      for (size_t i = 0; i < vec->size; i++)                                   \
        ELEM_DEL(&vec->data[i]);                                               \
    free(vec->data);                                                           \
    vec->size = 0;                                                             \
    vec->data = NULL;                                                          \
  }

static bool copy_byte(wasm_byte_t *dst, const wasm_byte_t *src) {
  *dst = *src;
  return true;
}
static void del_none(const void *p) {
  (void)p;
}
CAPI_VEC(byte, wasm_byte_t, copy_byte, del_none)

static bool copy_val(wasm_val_t *dst, const wasm_val_t *src) {
  wasm_val_copy(dst, src);
  return true;
}
CAPI_VEC(val, wasm_val_t, copy_val, wasm_val_delete)

/* Vectors of pointers: a NULL element stays NULL (copying it is no OOM). */
#define CAPI_PTR_VEC(NAME)                                                     \
  static bool copy_##NAME(wasm_##NAME##_t **dst,                               \
                          wasm_##NAME##_t *const *src) {                       \
    *dst = *src ? wasm_##NAME##_copy(*src) : NULL;                             \
    return *dst || !*src;                                                      \
  }                                                                            \
  static void del_##NAME(wasm_##NAME##_t **p) {                                \
    wasm_##NAME##_delete(*p);                                                  \
    *p = NULL;                                                                 \
  }                                                                            \
  CAPI_VEC(NAME, wasm_##NAME##_t *, copy_##NAME, del_##NAME)

CAPI_PTR_VEC(valtype)
CAPI_PTR_VEC(functype)
CAPI_PTR_VEC(globaltype)
CAPI_PTR_VEC(tabletype)
CAPI_PTR_VEC(memorytype)
CAPI_PTR_VEC(externtype)
CAPI_PTR_VEC(importtype)
CAPI_PTR_VEC(exporttype)
CAPI_PTR_VEC(frame)
CAPI_PTR_VEC(extern)

void wasm_val_delete(wasm_val_t *v) {
  if (!v) return;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = NULL;
  }
}

void wasm_val_copy(wasm_val_t *out, const wasm_val_t *src) {
  if (!out) return;
  if (!src) {
    memset(out, 0, sizeof *out);
    return;
  }
  *out = *src;
  if (wasm_valkind_is_ref(src->kind) && src->of.ref)
    out->of.ref = wasm_ref_copy(src->of.ref);
}
