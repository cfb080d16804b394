/*
 * num.c - numeric literals of the text format: integers (decimal or hex,
 * with underscores between digits, optional sign where the grammar allows
 * one) and floats (decimal, hex, inf, nan, nan:0x...).
 *
 * Floats are checked against the grammar here, then converted by strtof /
 * strtod on a copy without underscores: glibc rounds both decimal and hex
 * input correctly (round to nearest, ties to even), directly to the
 * target precision.
 */
#include "text/internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int hexv(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* Digits of base 10 or 16 with single underscores between them, from
   p[*i]; returns the count of digits (0 = none, or a bad underscore). */
static size_t digits(const char *p, size_t n, size_t *i, bool hex) {
  size_t k = 0;
  while (*i < n) {
    char ch = p[*i];
    bool d = hex ? hexv(ch) >= 0 : (ch >= '0' && ch <= '9');
    if (d) {
      k++;
      (*i)++;
    } else if (ch == '_' && k && *i + 1 < n &&
               (hex ? hexv(p[*i + 1]) >= 0
                    : (p[*i + 1] >= '0' && p[*i + 1] <= '9'))) {
      (*i)++;
    } else {
      break;
    }
  }
  return k;
}

/* Parses an unsigned magnitude p[0..n) (no sign).  Returns false on bad
   syntax; *overflow when it does not fit in 64 bits. */
static bool magnitude(const char *p, size_t n, uint64_t *out, bool *overflow) {
  bool hex = n > 2 && p[0] == '0' && p[1] == 'x';
  size_t i = hex ? 2 : 0;
  size_t start = i;
  if (digits(p, n, &i, hex) == 0 || i != n) return false;
  uint64_t v = 0;
  *overflow = false;
  for (size_t j = start; j < n; j++) {
    if (p[j] == '_') continue;
    uint64_t d = (uint64_t)hexv(p[j]);
    uint64_t base = hex ? 16 : 10;
    if (v > (UINT64_MAX - d) / base) *overflow = true;
    v = v * base + d;
  }
  *out = v;
  return true;
}

static TX_NORETURN void bad_int(tx_ctx *c, const tx_token *t) {
  if (t->kind == TX_NUM)
    tx_fail(c, t, "unknown operator or malformed number \"%.*s\"",
            (int)(t->len > 40 ? 40 : t->len), t->p);
  tx_fail(c, t, "unexpected token \"%.*s\", expected a number",
          (int)(t->len > 40 ? 40 : t->len), t->p);
}

bool tx_is_u32(const tx_token *t) {
  uint64_t v;
  bool of;
  return t->kind == TX_NUM && t->p[0] != '+' && t->p[0] != '-' &&
         magnitude(t->p, t->len, &v, &of) && !of && v <= UINT32_MAX;
}

uint64_t tx_parse_u64(tx_ctx *c, const tx_token *t) {
  uint64_t v;
  bool of;
  if (t->kind != TX_NUM || t->p[0] == '+' || t->p[0] == '-' ||
      !magnitude(t->p, t->len, &v, &of))
    bad_int(c, t);
  if (of) tx_fail(c, t, "constant out of range");
  return v;
}

uint32_t tx_parse_u32(tx_ctx *c, const tx_token *t) {
  uint64_t v = tx_parse_u64(c, t);
  if (v > UINT32_MAX) tx_fail(c, t, "constant out of range");
  return (uint32_t)v;
}

uint64_t tx_parse_int(tx_ctx *c, const tx_token *t, unsigned bits) {
  if (t->kind != TX_NUM) bad_int(c, t);
  const char *p = t->p;
  size_t n = t->len;
  char sign = 0;
  if (p[0] == '+' || p[0] == '-') {
    sign = p[0];
    p++;
    n--;
  }
  uint64_t v;
  bool of;
  if (!magnitude(p, n, &v, &of)) bad_int(c, t);
  uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  uint64_t half = UINT64_C(1) << (bits - 1);
  if (of) tx_fail(c, t, "constant out of range");
  if (sign == '-') {
    if (v > half) tx_fail(c, t, "constant out of range");
    return (0 - v) & umax;
  }
  if (v > umax) tx_fail(c, t, "constant out of range");
  return v;
}

/* Checks float syntax of p[0..n) (after the sign) and writes a copy
   without underscores to buf (size >= n + 1).  Returns false if bad. */
static bool float_syntax(const char *p, size_t n, char *buf) {
  bool hex = n > 2 && p[0] == '0' && p[1] == 'x';
  size_t i = hex ? 2 : 0;
  if (digits(p, n, &i, hex) == 0) return false;
  if (i < n && p[i] == '.') {
    i++;
    if (i < n && (hex ? hexv(p[i]) >= 0 : (p[i] >= '0' && p[i] <= '9')))
      if (digits(p, n, &i, hex) == 0) return false;
  }
  if (i < n &&
      (hex ? (p[i] == 'p' || p[i] == 'P') : (p[i] == 'e' || p[i] == 'E'))) {
    i++;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    if (digits(p, n, &i, false) == 0) return false;
  }
  if (i != n) return false;
  size_t k = 0;
  for (size_t j = 0; j < n; j++)
    if (p[j] != '_') buf[k++] = p[j];
  buf[k] = 0;
  return true;
}

/* Common part: returns 0 for a number written to buf (with its sign),
   1 for inf, 2 for nan with payload *payload (has_payload). */
static int float_token(tx_ctx *c, const tx_token *t, char *buf, bool *negative,
                       uint64_t *payload, bool *has_payload) {
  if (t->kind != TX_NUM && t->kind != TX_KEYWORD) bad_int(c, t);
  const char *p = t->p;
  size_t n = t->len;
  *negative = false;
  *has_payload = false;
  if (p[0] == '+' || p[0] == '-') {
    *negative = p[0] == '-';
    p++;
    n--;
  }
  if (n == 3 && !memcmp(p, "inf", 3)) return 1;
  if (n == 3 && !memcmp(p, "nan", 3)) return 2;
  if (n > 6 && !memcmp(p, "nan:0x", 6)) {
    bool of;
    if (!magnitude(p + 4, n - 4, payload, &of)) bad_int(c, t);
    if (of) tx_fail(c, t, "constant out of range");
    *has_payload = true;
    return 2;
  }
  if (t->kind != TX_NUM || !float_syntax(p, n, buf + 1)) bad_int(c, t);
  buf[0] = *negative ? '-' : '+';
  return 0;
}

uint32_t tx_parse_f32(tx_ctx *c, const tx_token *t) {
  char local[128];
  char *buf = t->len + 2 <= sizeof local ? local : tx_alloc(c, t->len + 2);
  bool neg, hp;
  uint64_t payload = 0;
  int k = float_token(c, t, buf, &neg, &payload, &hp);
  uint32_t sign = neg ? 0x80000000u : 0;
  if (k == 1) return sign | 0x7F800000u;
  if (k == 2) {
    if (!hp) return sign | 0x7FC00000u;
    if (payload == 0 || payload >= (1u << 23))
      tx_fail(c, t, "constant out of range");
    return sign | 0x7F800000u | (uint32_t)payload;
  }
  errno = 0;
  float f = strtof(buf, NULL);
  if (isinf(f)) tx_fail(c, t, "constant out of range");
  uint32_t bits;
  memcpy(&bits, &f, 4);
  return bits;
}

uint64_t tx_parse_f64(tx_ctx *c, const tx_token *t) {
  char local[128];
  char *buf = t->len + 2 <= sizeof local ? local : tx_alloc(c, t->len + 2);
  bool neg, hp;
  uint64_t payload = 0;
  int k = float_token(c, t, buf, &neg, &payload, &hp);
  uint64_t sign = neg ? UINT64_C(0x8000000000000000) : 0;
  if (k == 1) return sign | UINT64_C(0x7FF0000000000000);
  if (k == 2) {
    if (!hp) return sign | UINT64_C(0x7FF8000000000000);
    if (payload == 0 || payload >= (UINT64_C(1) << 52))
      tx_fail(c, t, "constant out of range");
    return sign | UINT64_C(0x7FF0000000000000) | payload;
  }
  errno = 0;
  double f = strtod(buf, NULL);
  if (isinf(f)) tx_fail(c, t, "constant out of range");
  uint64_t bits;
  memcpy(&bits, &f, 8);
  return bits;
}
