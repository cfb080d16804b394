/*
 * host.c - helpers for host functions: a trap with the host's own message
 * (aw_host_trap) and bounds-checked spans of guest memory
 * (aw_memory_span), so that no host function rewrites its own ptr+len
 * check.
 */
#include "runtime/rt_internal.h"
#include <stdarg.h>
#include <stdio.h>

aw_errkind aw_host_trap(aw_error *err, const char *fmt, ...) {
  if (!err) return AW_ERR_TRAP;
  aw_error_clear(err);
  err->kind = AW_ERR_TRAP;
  err->trap = AW_TRAP_HOST;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt ? fmt : "host trap", ap);
  va_end(ap);
  return AW_ERR_TRAP;
}

bool aw_memory_span(aw_memory *mem, uint64_t offset, uint64_t len,
                    uint8_t **out) {
  if (out) *out = NULL;
  if (!mem || !out) return false;
  /* offset + len <= size, written so that it cannot overflow. */
  if (offset > mem->size || len > mem->size - offset) return false;
  *out = mem->data + offset;
  return true;
}
