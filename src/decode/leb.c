/*
 * leb.c - the decoder's low-level readers: single bytes, little-endian
 * fixed-width words and LEB128 integers (u32, s32, s33, s64) with the
 * spec's limits on length and unused bits.
 *
 * Every reader checks r->end before touching a byte, so no reader can run
 * past the buffer it was given, and fails with AW_ERR_MALFORMED and the
 * byte offset (from r->base) of the offending byte.
 */
#include "decode/internal.h"
#include "util/util.h"

int dec_eos(const dec_reader *r, aw_error *err) {
  return aw_fail(err, AW_ERR_MALFORMED, dec_off(r, r->p),
                 "unexpected end of section or function");
}

/* Reads an unsigned LEB128 of at most `bits` bits. An N-bit integer takes
   at most ceil(N/7) bytes; in the last byte, the continuation bit must be
   clear ("integer representation too long") and the bits above N must be
   zero ("integer too large"). */
static int read_uleb(dec_reader *r, unsigned bits, uint64_t *out,
                     aw_error *err) {
  const unsigned maxbytes = (bits + 6) / 7;
  const uint8_t *start = r->p;
  uint64_t v = 0;
  for (unsigned i = 0;; i++) {
    if (AW_UNLIKELY(r->p >= r->end)) return dec_eos(r, err);
    uint8_t b = *r->p++;
    if (i == maxbytes - 1) {
      if (b & 0x80)
        return aw_fail(err, AW_ERR_MALFORMED, dec_off(r, start),
                       "integer representation too long");
      unsigned used = bits - 7 * i;
      if (used < 7 && (b >> used) != 0)
        return aw_fail(err, AW_ERR_MALFORMED, dec_off(r, start),
                       "integer too large");
      v |= (uint64_t)b << (7 * i);
      break;
    }
    v |= (uint64_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) break;
  }
  *out = v;
  return 0;
}

/* Reads a signed LEB128 of at most `bits` bits. In the last possible byte
   the bits above the sign bit must all equal it ("integer too large"). */
static int read_sleb(dec_reader *r, unsigned bits, int64_t *out,
                     aw_error *err) {
  const unsigned maxbytes = (bits + 6) / 7;
  const uint8_t *start = r->p;
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  for (unsigned i = 0;; i++) {
    if (AW_UNLIKELY(r->p >= r->end)) return dec_eos(r, err);
    b = *r->p++;
    if (i == maxbytes - 1) {
      if (b & 0x80)
        return aw_fail(err, AW_ERR_MALFORMED, dec_off(r, start),
                       "integer representation too long");
      unsigned used = bits - 7 * i; /* payload bits, sign bit included */
      uint8_t mask = (uint8_t)(0x7F & ~((1u << (used - 1)) - 1));
      if ((b & mask) != 0 && (b & mask) != mask)
        return aw_fail(err, AW_ERR_MALFORMED, dec_off(r, start),
                       "integer too large");
    }
    v |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
  *out = (int64_t)v;
  return 0;
}

int dec_u32(dec_reader *r, uint32_t *out, aw_error *err) {
  /* Fast path: one byte. */
  if (AW_LIKELY(r->p < r->end && *r->p < 0x80)) {
    *out = *r->p++;
    return 0;
  }
  uint64_t v = 0;
  if (read_uleb(r, 32, &v, err)) return -1;
  *out = (uint32_t)v;
  return 0;
}

int dec_s32(dec_reader *r, int32_t *out, aw_error *err) {
  int64_t v = 0;
  if (read_sleb(r, 32, &v, err)) return -1;
  *out = (int32_t)v;
  return 0;
}

int dec_s33(dec_reader *r, int64_t *out, aw_error *err) {
  return read_sleb(r, 33, out, err);
}

int dec_s64(dec_reader *r, int64_t *out, aw_error *err) {
  return read_sleb(r, 64, out, err);
}

int dec_byte(dec_reader *r, uint8_t *out, aw_error *err) {
  if (AW_UNLIKELY(r->p >= r->end)) return dec_eos(r, err);
  *out = *r->p++;
  return 0;
}

int dec_fixed32(dec_reader *r, uint32_t *out, aw_error *err) {
  if (AW_UNLIKELY(r->end - r->p < 4)) return dec_eos(r, err);
  const uint8_t *p = r->p;
  *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
  r->p += 4;
  return 0;
}

int dec_fixed64(dec_reader *r, uint64_t *out, aw_error *err) {
  if (AW_UNLIKELY(r->end - r->p < 8)) return dec_eos(r, err);
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | r->p[i];
  r->p += 8;
  *out = v;
  return 0;
}
