/*
 * util.c - error reporting, names of error and trap kinds, allocation
 * helpers.
 */
#include "util/util.h"
#include <stdio.h>
#include <string.h>

void aw_error_clear(aw_error *err) {
  if (!err) return;
  err->kind = AW_OK;
  err->trap = AW_TRAP_NONE;
  err->offset = UINT64_MAX;
  err->exit_code = 0;
  memset(&err->figures, 0, sizeof err->figures);
  err->message[0] = '\0';
}

int aw_fail(aw_error *err, aw_errkind kind, uint64_t offset, const char *fmt,
            ...) {
  if (!err) return -1;
  err->kind = kind;
  err->trap = AW_TRAP_NONE;
  err->offset = offset;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return -1;
}

int aw_trap(aw_error *err, aw_trapkind trap) {
  if (!err) return -1;
  aw_fail(err, AW_ERR_TRAP, UINT64_MAX, "%s", aw_trapkind_message(trap));
  err->trap = trap;
  return -1;
}

const char *aw_errkind_name(aw_errkind kind) {
  switch (kind) {
  case AW_OK: return "success";
  case AW_ERR_MALFORMED: return "malformed_module";
  case AW_ERR_INVALID: return "invalid_module";
  case AW_ERR_UNSUPPORTED: return "unsupported_feature";
  case AW_ERR_LINK: return "link_error";
  case AW_ERR_TRAP: return "trap";
  case AW_ERR_OUT_OF_FUEL: return "out_of_fuel";
  case AW_ERR_TIMEOUT: return "timeout";
  case AW_ERR_LIMIT_EXCEEDED: return "limit_exceeded";
  case AW_ERR_INVALID_CONFIG: return "invalid_configuration";
  case AW_ERR_IO: return "io_error";
  case AW_ERR_NOMEM: return "out_of_memory";
  case AW_ERR_EXIT: return "exit";
  case AW_ERR_ARGUMENT: return "invalid_argument";
  }
  return "unknown";
}

const char *aw_trapkind_name(aw_trapkind kind) {
  switch (kind) {
  case AW_TRAP_NONE: return "none";
  case AW_TRAP_UNREACHABLE: return "unreachable";
  case AW_TRAP_INT_DIV_BY_ZERO: return "integer_divide_by_zero";
  case AW_TRAP_INT_OVERFLOW: return "integer_overflow";
  case AW_TRAP_INVALID_CONVERSION: return "invalid_conversion_to_integer";
  case AW_TRAP_OUT_OF_BOUNDS_MEMORY: return "out_of_bounds_memory_access";
  case AW_TRAP_OUT_OF_BOUNDS_TABLE: return "out_of_bounds_table_access";
  case AW_TRAP_INDIRECT_CALL_TYPE_MISMATCH:
    return "indirect_call_type_mismatch";
  case AW_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized_element";
  case AW_TRAP_CALL_STACK_EXHAUSTED: return "call_stack_exhausted";
  case AW_TRAP_NULL_REFERENCE: return "null_reference";
  case AW_TRAP_HOST: return "host_trap";
  }
  return "unknown";
}

const char *aw_trapkind_message(aw_trapkind kind) {
  switch (kind) {
  case AW_TRAP_NONE: return "no trap";
  case AW_TRAP_UNREACHABLE: return "unreachable";
  case AW_TRAP_INT_DIV_BY_ZERO: return "integer divide by zero";
  case AW_TRAP_INT_OVERFLOW: return "integer overflow";
  case AW_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
  case AW_TRAP_OUT_OF_BOUNDS_MEMORY: return "out of bounds memory access";
  case AW_TRAP_OUT_OF_BOUNDS_TABLE: return "out of bounds table access";
  case AW_TRAP_INDIRECT_CALL_TYPE_MISMATCH:
    return "indirect call type mismatch";
  case AW_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
  case AW_TRAP_CALL_STACK_EXHAUSTED: return "call stack exhausted";
  case AW_TRAP_NULL_REFERENCE: return "null reference";
  case AW_TRAP_HOST: return "host trap";
  }
  return "unknown trap";
}

void *aw_calloc(size_t n, size_t size) {
  if (n == 0 || size == 0) return calloc(1, 1);
  if (n > SIZE_MAX / size) return NULL;
  return calloc(n, size);
}

bool aw_grow(void **arr, size_t esz, uint32_t *cap, uint32_t need) {
  if (need <= *cap) return true;
  uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 8;
  while (ncap < need)
    ncap *= 2;
  if (ncap > UINT32_MAX) ncap = UINT32_MAX;
  if (ncap < need || ncap > SIZE_MAX / esz) return false;
  void *p = realloc(*arr, (size_t)ncap * esz);
  if (!p) return false;
  *arr = p;
  *cap = (uint32_t)ncap;
  return true;
}
