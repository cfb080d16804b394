/*
 * decode.h - the binary decoder: bytes -> wm_module (src/module.h).
 *
 * The decoder checks everything the spec calls "malformed": magic and
 * version, section ids, order and sizes, LEB128 lengths and overlong or
 * out-of-range encodings, UTF-8 names, counts that do not match (function
 * and code sections, data count), unexpected end.  It never reads past the
 * buffer.  Semantic rules ("invalid") are the validator's.
 */
#ifndef AW_DECODE_H
#define AW_DECODE_H

#include "module.h"

/* Decodes len bytes (copied into m->bin) into *m (zeroed first).
   Returns 0, or -1 with err->kind = AW_ERR_MALFORMED (or AW_ERR_NOMEM,
   AW_ERR_UNSUPPORTED), err->offset and a message; *m is then freed. */
int dec_module(const uint8_t *bytes, size_t len, wm_module *m, aw_error *err);

/* Low-level readers, shared with the validator, which decodes function
   bodies and constant expressions instruction by instruction. */
typedef struct dec_reader {
  const uint8_t *p, *end;
  const uint8_t *base; /* start of the binary, to compute offsets */
} dec_reader;

int dec_u32(dec_reader *r, uint32_t *out, aw_error *err);
int dec_s32(dec_reader *r, int32_t *out, aw_error *err);
int dec_s33(dec_reader *r, int64_t *out, aw_error *err);
int dec_s64(dec_reader *r, int64_t *out, aw_error *err);
int dec_byte(dec_reader *r, uint8_t *out, aw_error *err);
int dec_fixed32(dec_reader *r, uint32_t *out, aw_error *err);
int dec_fixed64(dec_reader *r, uint64_t *out, aw_error *err);

#endif /* AW_DECODE_H */
