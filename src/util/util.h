/*
 * util.h - small helpers shared by every subsystem: error reporting,
 * checked allocation and growable arrays.
 */
#ifndef AW_UTIL_H
#define AW_UTIL_H

#include "airssys/wasm.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define AW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define AW_LIKELY(x) __builtin_expect(!!(x), 1)
#define AW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define AW_PRINTF(f, a)
#define AW_LIKELY(x) (x)
#define AW_UNLIKELY(x) (x)
#endif

/* Fills err (if not NULL) with kind, offset (UINT64_MAX for none) and a
   formatted message. Returns -1 so callers can `return aw_fail(...)`. */
int aw_fail(aw_error *err, aw_errkind kind, uint64_t offset, const char *fmt,
            ...) AW_PRINTF(4, 5);

/* Fills err with a trap of the given kind and the spec's message. */
int aw_trap(aw_error *err, aw_trapkind trap);

/* calloc(n, size) with overflow check; n == 0 returns a non-NULL pointer. */
void *aw_calloc(size_t n, size_t size);

/* Growable array: grows *arr (element size esz, capacity *cap) so that it
   holds at least need elements. Returns false on overflow or OOM. */
bool aw_grow(void **arr, size_t esz, uint32_t *cap, uint32_t need);

#endif /* AW_UTIL_H */
