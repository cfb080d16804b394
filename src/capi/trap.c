/*
 * trap.c - traps and frames of the standard C API.  A trap is a counted
 * object holding its message (always NUL-terminated) and the engine error
 * behind it (kind, trap kind, figures; see aw_wasm_trap_error).  The engine
 * records no call frames today, so wasm_trap_origin is NULL and the trace
 * empty, as the API allows; frames themselves are complete.
 */
#include "capi/capi.h"
#include <stdlib.h>
#include <string.h>

wasm_trap_t *capi_trap_make(const char *msg, size_t len, const aw_error *err) {
  if (!msg) len = 0;
  if (len && msg[len - 1] == '\0') len--; /* one NUL, added below */
  if (len > SIZE_MAX - 1) return NULL;
  wasm_trap_t *t = calloc(1, sizeof *t);
  char *m = malloc(len + 1);
  if (!t || !m) {
    free(t);
    free(m);
    return NULL;
  }
  if (len) memcpy(m, msg, len);
  m[len] = '\0';
  capi_obj_init(&t->o, CAPI_TRAP, NULL);
  t->msg = m;
  t->len = len + 1;
  if (err) {
    t->err = *err;
  } else {
    aw_error_clear(&t->err);
    t->err.kind = AW_ERR_TRAP;
    t->err.trap = AW_TRAP_HOST;
    size_t n = len < AW_ERROR_MESSAGE_MAX - 1 ? len : AW_ERROR_MESSAGE_MAX - 1;
    memcpy(t->err.message, m, n);
    t->err.message[n] = '\0';
  }
  return t;
}

wasm_trap_t *capi_trap_from_error(const aw_error *err) {
  const char *msg = err->message[0] ? err->message : aw_errkind_name(err->kind);
  return capi_trap_make(msg, strlen(msg), err);
}

wasm_trap_t *capi_trap_take(wasm_store_t *s, const aw_error *err) {
  wasm_trap_t *p = s->pending;
  s->pending = NULL;
  if (p && err->kind == p->err.kind) return p;
  wasm_trap_delete(p);
  return capi_trap_from_error(err);
}

wasm_trap_t *wasm_trap_new(wasm_store_t *store, const wasm_message_t *message) {
  (void)store; /* a trap belongs to no store: it may outlive it */
  return capi_trap_make(message ? message->data : NULL,
                        message && message->data ? message->size : 0, NULL);
}

void wasm_trap_delete(wasm_trap_t *t) {
  if (!t || atomic_fetch_sub(&t->o.refs, 1) != 1) return;
  if (t->o.host_fin) t->o.host_fin(t->o.host_info);
  free(t->msg);
  free(t);
}

void wasm_trap_message(const wasm_trap_t *t, wasm_message_t *out) {
  if (!out) return;
  if (!t) {
    wasm_byte_vec_new_empty(out);
    return;
  }
  wasm_byte_vec_new(out, t->len, t->msg);
}

wasm_frame_t *wasm_trap_origin(const wasm_trap_t *t) {
  (void)t;
  return NULL;
}

void wasm_trap_trace(const wasm_trap_t *t, wasm_frame_vec_t *out) {
  (void)t;
  wasm_frame_vec_new_empty(out);
}

bool aw_wasm_trap_error(const wasm_trap_t *t, aw_error *out) {
  if (!out) return false;
  if (!t) {
    aw_error_clear(out);
    return false;
  }
  *out = t->err;
  return true;
}

/* ---- Frames */

void wasm_frame_delete(wasm_frame_t *f) {
  free(f);
}

wasm_frame_t *wasm_frame_copy(const wasm_frame_t *f) {
  if (!f) return NULL;
  wasm_frame_t *c = malloc(sizeof *c);
  if (c) *c = *f;
  return c;
}

wasm_instance_t *wasm_frame_instance(const wasm_frame_t *f) {
  return f ? f->inst : NULL;
}

uint32_t wasm_frame_func_index(const wasm_frame_t *f) {
  return f ? f->func_index : 0;
}

size_t wasm_frame_func_offset(const wasm_frame_t *f) {
  return f ? f->func_offset : 0;
}

size_t wasm_frame_module_offset(const wasm_frame_t *f) {
  return f ? f->module_offset : 0;
}
