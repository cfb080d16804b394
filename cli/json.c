/*
 * json.c - the CLI's strict JSON parser (see json.h): a recursive-descent
 * parser with a depth limit, building a tree of heap-allocated nodes.
 */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jparser {
  const char *start, *p, *end;
  char *err;
  size_t errlen;
  bool failed;
  unsigned depth;
} jparser;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
jfail_at(jparser *ps, const char *at, const char *fmt, ...) {
  if (ps->failed) return;
  ps->failed = true;
  if (!ps->err || ps->errlen == 0) return;
  size_t line = 1, col = 1;
  for (const char *q = ps->start; q < at && q < ps->end; q++) {
    if (*q == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  int n = snprintf(ps->err, ps->errlen, "line %zu, column %zu: ", line, col);
  if (n < 0 || (size_t)n >= ps->errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
  va_end(ap);
}

static void joom(jparser *ps) {
  if (ps->failed) return;
  ps->failed = true;
  if (ps->err && ps->errlen) snprintf(ps->err, ps->errlen, "out of memory");
}

static void skip_ws(jparser *ps) {
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static cli_json *new_node(jparser *ps, cli_json_type type) {
  cli_json *n = calloc(1, sizeof *n);
  if (!n) {
    joom(ps);
    return NULL;
  }
  n->type = type;
  return n;
}

/* A growable byte buffer for decoding strings. */
typedef struct jbuf {
  char *data;
  size_t len, cap;
} jbuf;

static bool buf_put(jbuf *b, const char *bytes, size_t n) {
  if (n > SIZE_MAX - b->len - 1) return false;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 32;
    while (cap < b->len + n + 1) {
      if (cap > SIZE_MAX / 2) return false;
      cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) return false;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, bytes, n);
  b->len += n;
  b->data[b->len] = '\0';
  return true;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads the 4 hex digits after "\u" at ps->p; -1 on error. */
static long read_hex4(jparser *ps) {
  if (ps->end - ps->p < 4) {
    jfail_at(ps, ps->p, "truncated \\u escape");
    return -1;
  }
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(ps->p[i]);
    if (h < 0) {
      jfail_at(ps, ps->p + i, "invalid hex digit in \\u escape");
      return -1;
    }
    v = v * 16 + h;
  }
  ps->p += 4;
  return v;
}

static size_t utf8_encode(unsigned long cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of the valid UTF-8 sequence at p (p < end, *p >= 0x80), or 0. */
static size_t utf8_valid_len(const unsigned char *p, const unsigned char *end) {
  unsigned char c = p[0];
  size_t n;
  unsigned long cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if ((size_t)(end - p) < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return n;
}

/* Parses a string starting at the opening quote; returns the decoded
   bytes (NUL-terminated, caller frees) and its length in *len. */
static char *parse_string_raw(jparser *ps, size_t *len) {
  const char *open = ps->p;
  ps->p++; /* the quote */
  jbuf b = {0};
  if (!buf_put(&b, "", 0)) {
    joom(ps);
    return NULL;
  }
  for (;;) {
    if (ps->p >= ps->end) {
      jfail_at(ps, open, "unterminated string");
      goto fail;
    }
    const char *run = ps->p;
    while (ps->p < ps->end) {
      unsigned char c = (unsigned char)*ps->p;
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ps->p++;
    }
    if (ps->p > run && !buf_put(&b, run, (size_t)(ps->p - run))) {
      joom(ps);
      goto fail;
    }
    if (ps->p >= ps->end) continue; /* reports unterminated */
    unsigned char c = (unsigned char)*ps->p;
    if (c == '"') {
      ps->p++;
      *len = b.len;
      return b.data;
    }
    if (c < 0x20) {
      jfail_at(ps, ps->p, "control character 0x%02x in string", c);
      goto fail;
    }
    if (c >= 0x80) {
      size_t n = utf8_valid_len((const unsigned char *)ps->p,
                                (const unsigned char *)ps->end);
      if (n == 0) {
        jfail_at(ps, ps->p, "invalid UTF-8 in string");
        goto fail;
      }
      if (!buf_put(&b, ps->p, n)) {
        joom(ps);
        goto fail;
      }
      ps->p += n;
      continue;
    }
    /* An escape. */
    const char *esc = ps->p;
    ps->p++;
    if (ps->p >= ps->end) {
      jfail_at(ps, esc, "truncated escape");
      goto fail;
    }
    char e = *ps->p++;
    char out[4];
    size_t n = 1;
    switch (e) {
    case '"': out[0] = '"'; break;
    case '\\': out[0] = '\\'; break;
    case '/': out[0] = '/'; break;
    case 'b': out[0] = '\b'; break;
    case 'f': out[0] = '\f'; break;
    case 'n': out[0] = '\n'; break;
    case 'r': out[0] = '\r'; break;
    case 't': out[0] = '\t'; break;
    case 'u': {
      long hi = read_hex4(ps);
      if (hi < 0) goto fail;
      unsigned long cp = (unsigned long)hi;
      if (hi >= 0xDC00 && hi <= 0xDFFF) {
        jfail_at(ps, esc, "unpaired low surrogate in \\u escape");
        goto fail;
      }
      if (hi >= 0xD800 && hi <= 0xDBFF) {
        if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
          jfail_at(ps, esc, "unpaired high surrogate in \\u escape");
          goto fail;
        }
        ps->p += 2;
        long lo = read_hex4(ps);
        if (lo < 0) goto fail;
        if (lo < 0xDC00 || lo > 0xDFFF) {
          jfail_at(ps, esc, "unpaired high surrogate in \\u escape");
          goto fail;
        }
        cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) +
             ((unsigned long)lo - 0xDC00);
      }
      n = utf8_encode(cp, out);
      break;
    }
    default:
      jfail_at(ps, esc, "invalid escape '\\%c'",
               (e >= 0x20 && e < 0x7F) ? e : '?');
      goto fail;
    }
    if (!buf_put(&b, out, n)) {
      joom(ps);
      goto fail;
    }
  }
fail:
  free(b.data);
  return NULL;
}

static cli_json *parse_number(jparser *ps) {
  const char *s = ps->p;
  const char *q = s;
  if (q < ps->end && *q == '-') q++;
  if (q >= ps->end) {
    jfail_at(ps, s, "truncated number");
    return NULL;
  }
  if (*q == '0') {
    q++;
    if (q < ps->end && *q >= '0' && *q <= '9') {
      jfail_at(ps, s, "leading zero in number");
      return NULL;
    }
  } else if (*q >= '1' && *q <= '9') {
    while (q < ps->end && *q >= '0' && *q <= '9')
      q++;
  } else {
    jfail_at(ps, q, "invalid number");
    return NULL;
  }
  if (q < ps->end && *q == '.') {
    q++;
    if (q >= ps->end || *q < '0' || *q > '9') {
      jfail_at(ps, q, "expected a digit after '.'");
      return NULL;
    }
    while (q < ps->end && *q >= '0' && *q <= '9')
      q++;
  }
  if (q < ps->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < ps->end && (*q == '+' || *q == '-')) q++;
    if (q >= ps->end || *q < '0' || *q > '9') {
      jfail_at(ps, q, "expected a digit in exponent");
      return NULL;
    }
    while (q < ps->end && *q >= '0' && *q <= '9')
      q++;
  }
  cli_json *n = new_node(ps, CLI_JSON_NUMBER);
  if (!n) return NULL;
  size_t len = (size_t)(q - s);
  n->str = malloc(len + 1);
  if (!n->str) {
    free(n);
    joom(ps);
    return NULL;
  }
  memcpy(n->str, s, len);
  n->str[len] = '\0';
  n->len = len;
  errno = 0;
  n->number = strtod(n->str, NULL); /* overflow gives +-HUGE_VAL: fine */
  ps->p = q;
  return n;
}

static bool add_item(jparser *ps, cli_json *c, char *key, size_t klen,
                     cli_json *item) {
  if (c->count == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 4;
    if (cap > SIZE_MAX / sizeof(void *) / 2) {
      joom(ps);
      return false;
    }
    cli_json **items = realloc(c->items, cap * sizeof *items);
    if (!items) {
      joom(ps);
      return false;
    }
    c->items = items;
    if (c->type == CLI_JSON_OBJECT) {
      char **keys = realloc(c->keys, cap * sizeof *keys);
      if (!keys) {
        joom(ps);
        return false;
      }
      c->keys = keys;
      size_t *kl = realloc(c->key_lens, cap * sizeof *kl);
      if (!kl) {
        joom(ps);
        return false;
      }
      c->key_lens = kl;
    }
    c->cap = cap;
  }
  c->items[c->count] = item;
  if (c->type == CLI_JSON_OBJECT) {
    c->keys[c->count] = key;
    c->key_lens[c->count] = klen;
  }
  c->count++;
  return true;
}

static bool match_word(jparser *ps, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0) return false;
  ps->p += n;
  return true;
}

static cli_json *parse_value(jparser *ps);

static cli_json *parse_container(jparser *ps, bool object) {
  const char *open = ps->p;
  if (ps->depth >= CLI_JSON_MAX_DEPTH) {
    jfail_at(ps, open, "nesting deeper than %d", CLI_JSON_MAX_DEPTH);
    return NULL;
  }
  ps->depth++;
  ps->p++;
  cli_json *c = new_node(ps, object ? CLI_JSON_OBJECT : CLI_JSON_ARRAY);
  if (!c) goto fail;
  skip_ws(ps);
  char close = object ? '}' : ']';
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    ps->depth--;
    return c;
  }
  for (;;) {
    char *key = NULL;
    size_t klen = 0;
    skip_ws(ps);
    if (object) {
      if (ps->p >= ps->end || *ps->p != '"') {
        jfail_at(ps, ps->p,
                 ps->p >= ps->end ? "unterminated object"
                                  : "expected a string key");
        goto fail;
      }
      key = parse_string_raw(ps, &klen);
      if (!key) goto fail;
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') {
        free(key);
        jfail_at(ps, ps->p, "expected ':' after object key");
        goto fail;
      }
      ps->p++;
    }
    cli_json *v = parse_value(ps);
    if (!v) {
      free(key);
      goto fail;
    }
    if (!add_item(ps, c, key, klen, v)) {
      free(key);
      cli_json_free(v);
      goto fail;
    }
    skip_ws(ps);
    if (ps->p >= ps->end) {
      jfail_at(ps, open, object ? "unterminated object" : "unterminated array");
      goto fail;
    }
    if (*ps->p == ',') {
      ps->p++;
      skip_ws(ps);
      if (ps->p < ps->end && *ps->p == close) {
        jfail_at(ps, ps->p, "trailing comma");
        goto fail;
      }
      continue;
    }
    if (*ps->p == close) {
      ps->p++;
      ps->depth--;
      return c;
    }
    jfail_at(ps, ps->p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    goto fail;
  }
fail:
  cli_json_free(c);
  return NULL;
}

static cli_json *parse_value(jparser *ps) {
  skip_ws(ps);
  if (ps->p >= ps->end) {
    jfail_at(ps, ps->p, "unexpected end of input");
    return NULL;
  }
  char c = *ps->p;
  if (c == '{') return parse_container(ps, true);
  if (c == '[') return parse_container(ps, false);
  if (c == '"') {
    size_t len = 0;
    char *s = parse_string_raw(ps, &len);
    if (!s) return NULL;
    cli_json *n = new_node(ps, CLI_JSON_STRING);
    if (!n) {
      free(s);
      return NULL;
    }
    n->str = s;
    n->len = len;
    return n;
  }
  if (c == '-' || (c >= '0' && c <= '9')) return parse_number(ps);
  if (match_word(ps, "true") || match_word(ps, "false")) {
    cli_json *n = new_node(ps, CLI_JSON_BOOL);
    if (n) n->boolean = (c == 't');
    return n;
  }
  if (match_word(ps, "null")) return new_node(ps, CLI_JSON_NULL);
  jfail_at(ps, ps->p, "unexpected character '%c'",
           (c >= 0x20 && c < 0x7F) ? c : '?');
  return NULL;
}

cli_json *cli_json_parse(const char *text, size_t len, char *err,
                         size_t errlen) {
  if (err && errlen) err[0] = '\0';
  if (!text) {
    if (err && errlen) snprintf(err, errlen, "no input");
    return NULL;
  }
  jparser ps = {text, text, text + len, err, errlen, false, 0};
  cli_json *root = parse_value(&ps);
  if (!root) return NULL;
  skip_ws(&ps);
  if (ps.p != ps.end) {
    jfail_at(&ps, ps.p, "unexpected data after the JSON value");
    cli_json_free(root);
    return NULL;
  }
  return root;
}

void cli_json_free(cli_json *node) {
  if (!node) return;
  for (size_t i = 0; i < node->count; i++) {
    cli_json_free(node->items[i]);
    if (node->keys) free(node->keys[i]);
  }
  free(node->items);
  free(node->keys);
  free(node->key_lens);
  free(node->str);
  free(node);
}

const cli_json *cli_json_get(const cli_json *obj, const char *key) {
  if (!obj || obj->type != CLI_JSON_OBJECT || !key) return NULL;
  size_t klen = strlen(key);
  for (size_t i = 0; i < obj->count; i++)
    if (obj->key_lens[i] == klen && memcmp(obj->keys[i], key, klen) == 0)
      return obj->items[i];
  return NULL;
}

const char *cli_json_get_str(const cli_json *obj, const char *key) {
  const cli_json *v = cli_json_get(obj, key);
  return (v && v->type == CLI_JSON_STRING) ? v->str : NULL;
}

bool cli_json_parse_u64(const char *s, size_t len, uint64_t *out) {
  if (!s || len == 0) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool cli_json_u64(const cli_json *node, uint64_t *out) {
  if (!node || node->type != CLI_JSON_NUMBER) return false;
  return cli_json_parse_u64(node->str, node->len, out);
}

void cli_json_write_string(FILE *out, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *end = p + len;
  fputc('"', out);
  while (p < end) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      fputc('\\', out);
      fputc(c, out);
      p++;
    } else if (c < 0x20 || c == 0x7F) {
      switch (c) {
      case '\n': fputs("\\n", out); break;
      case '\r': fputs("\\r", out); break;
      case '\t': fputs("\\t", out); break;
      default: fprintf(out, "\\u%04x", c); break;
      }
      p++;
    } else if (c < 0x80) {
      fputc(c, out);
      p++;
    } else {
      size_t n = utf8_valid_len(p, end);
      if (n == 0) {
        fputs("\\ufffd", out);
        p++;
      } else {
        fwrite(p, 1, n, out);
        p += n;
      }
    }
  }
  fputc('"', out);
}
