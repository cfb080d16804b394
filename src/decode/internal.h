/*
 * internal.h - helpers shared by the decoder's own files (leb.c, instr.c,
 * decode.c); not part of the decoder's contract (see decode.h).
 */
#ifndef AW_DECODE_INTERNAL_H
#define AW_DECODE_INTERNAL_H

#include "decode/decode.h"

/* Fails with "unexpected end of section or function" at r->p. */
int dec_eos(const dec_reader *r, aw_error *err);

/* Byte offset of p in the binary r reads. */
static inline uint64_t dec_off(const dec_reader *r, const uint8_t *p) {
  return (uint64_t)(p - r->base);
}

/* Is b a value type of WebAssembly 2.0 (numeric, vector or reference)? */
static inline bool dec_is_valtype(uint8_t b) {
  return (b >= WM_V128 && b <= WM_I32) || b == WM_FUNCREF || b == WM_EXTERNREF;
}

static inline bool dec_is_reftype(uint8_t b) {
  return b == WM_FUNCREF || b == WM_EXTERNREF;
}

#endif /* AW_DECODE_INTERNAL_H */
