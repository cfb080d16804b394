/*
 * toml.c - strict recursive-descent parser for the TOML subset described
 * in toml.h.  It builds a tree of toml_value and enforces TOML's rules on
 * redefinition: a key is defined once, a [table] header names a table at
 * most once, inline tables and tables made by dotted keys are closed to
 * later headers, and only arrays made by [[headers]] can be appended to.
 */
#include "manifest/toml.h"
#include "util/util.h"
#include <stdio.h>

/* How a table came to be (toml_value.u.tab.how). */
enum {
  HOW_IMPLICIT, /* parent of a [a.b] header: may still get its own header */
  HOW_HEADER,   /* defined by a [header] or as an element of [[header]] */
  HOW_DOTTED,   /* made by a dotted key a.b = 1 */
  HOW_INLINE    /* { ... }: closed */
};

typedef struct parser {
  const char *p, *end;
  uint32_t line;
  int depth;
  toml_error *err;
} parser;

static bool fail(parser *ps, const char *fmt, ...) AW_PRINTF(2, 3);
static bool fail(parser *ps, const char *fmt, ...) {
  if (ps->err->message[0]) return false; /* keep the first error */
  ps->err->line = ps->line;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
  va_end(ap);
  return false;
}

const char *toml_kind_name(toml_kind k) {
  switch (k) {
  case TOML_STRING: return "string";
  case TOML_INT: return "integer";
  case TOML_BOOL: return "boolean";
  case TOML_ARRAY: return "array";
  case TOML_TABLE: return "table";
  }
  return "value";
}

static toml_value *new_value(toml_kind k, uint32_t line) {
  toml_value *v = calloc(1, sizeof *v);
  if (v) {
    v->kind = k;
    v->line = line;
  }
  return v;
}

void toml_free(toml_value *v) {
  if (!v) return;
  switch (v->kind) {
  case TOML_STRING: free(v->u.str.s); break;
  case TOML_ARRAY:
    for (uint32_t i = 0; i < v->u.arr.n; i++)
      toml_free(v->u.arr.items[i]);
    free(v->u.arr.items);
    break;
  case TOML_TABLE:
    for (uint32_t i = 0; i < v->u.tab.n; i++) {
      free(v->u.tab.kvs[i].key);
      toml_free(v->u.tab.kvs[i].val);
    }
    free(v->u.tab.kvs);
    break;
  default: break;
  }
  free(v);
}

const toml_value *toml_get(const toml_value *t, const char *key) {
  if (!t || t->kind != TOML_TABLE) return NULL;
  for (uint32_t i = 0; i < t->u.tab.n; i++)
    if (strcmp(t->u.tab.kvs[i].key, key) == 0) return t->u.tab.kvs[i].val;
  return NULL;
}

static toml_value *table_find(toml_value *t, const char *key) {
  return (toml_value *)toml_get(t, key);
}

/* Adds key -> val to table t (takes ownership of key and val on success). */
static bool table_add(parser *ps, toml_value *t, char *key, uint32_t line,
                      toml_value *val) {
  if (!aw_grow((void **)&t->u.tab.kvs, sizeof(toml_kv), &t->u.tab.cap,
               t->u.tab.n + 1))
    return fail(ps, "out of memory");
  t->u.tab.kvs[t->u.tab.n++] = (toml_kv){key, line, val};
  return true;
}

static bool array_add(parser *ps, toml_value *a, toml_value *v) {
  if (!aw_grow((void **)&a->u.arr.items, sizeof(toml_value *), &a->u.arr.cap,
               a->u.arr.n + 1))
    return fail(ps, "out of memory");
  a->u.arr.items[a->u.arr.n++] = v;
  return true;
}

/* ---- lexical helpers ---- */

static bool at_end(parser *ps) {
  return ps->p >= ps->end;
}
static int peek(parser *ps) {
  return at_end(ps) ? -1 : (unsigned char)*ps->p;
}

static void skip_ws(parser *ps) {
  while (!at_end(ps) && (*ps->p == ' ' || *ps->p == '\t'))
    ps->p++;
}

/* Skips a comment up to (not including) the newline; rejects control
   characters inside it as TOML requires. */
static bool skip_comment(parser *ps) {
  if (peek(ps) != '#') return true;
  while (!at_end(ps) && *ps->p != '\n') {
    unsigned char c = (unsigned char)*ps->p;
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
      return fail(ps, "control character in comment");
    ps->p++;
  }
  return true;
}

/* Expects the end of a line: optional spaces, comment, then newline/EOF. */
static bool end_of_line(parser *ps) {
  skip_ws(ps);
  if (!skip_comment(ps)) return false;
  if (at_end(ps)) return true;
  if (*ps->p == '\r') {
    ps->p++;
    if (peek(ps) != '\n') return fail(ps, "carriage return without newline");
  }
  if (*ps->p != '\n')
    return fail(ps, "expected end of line, found '%c'", *ps->p);
  ps->p++;
  ps->line++;
  return true;
}

/* Skips whitespace, newlines and comments (inside arrays). */
static bool skip_ws_nl(parser *ps) {
  for (;;) {
    skip_ws(ps);
    if (!skip_comment(ps)) return false;
    if (peek(ps) == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n') ps->p++;
    if (peek(ps) == '\n') {
      ps->p++;
      ps->line++;
      continue;
    }
    return true;
  }
}

static bool is_bare(int c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Appends a code point as UTF-8 to buf. */
static bool put_utf8(parser *ps, char **buf, uint32_t *len, uint32_t *cap,
                     uint32_t cp) {
  uint8_t tmp[4];
  uint32_t n;
  if (cp < 0x80) {
    tmp[0] = (uint8_t)cp;
    n = 1;
  } else if (cp < 0x800) {
    tmp[0] = (uint8_t)(0xC0 | (cp >> 6));
    tmp[1] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    tmp[0] = (uint8_t)(0xE0 | (cp >> 12));
    tmp[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    tmp[2] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    tmp[0] = (uint8_t)(0xF0 | (cp >> 18));
    tmp[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    tmp[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    tmp[3] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 4;
  }
  if (!aw_grow((void **)buf, 1, cap, *len + n + 1))
    return fail(ps, "out of memory");
  memcpy(*buf + *len, tmp, n);
  *len += n;
  return true;
}

/* Parses a basic ("...") or literal ('...') single-line string. */
static bool parse_string(parser *ps, char **out, size_t *outlen) {
  char q = *ps->p;
  if (ps->end - ps->p >= 3 && ps->p[1] == q && ps->p[2] == q)
    return fail(ps, "multi-line strings are not supported");
  ps->p++;
  char *buf = NULL;
  uint32_t len = 0, cap = 0;
  if (!aw_grow((void **)&buf, 1, &cap, 16)) return fail(ps, "out of memory");
  for (;;) {
    if (at_end(ps) || *ps->p == '\n') {
      free(buf);
      return fail(ps, "unterminated string");
    }
    unsigned char c = (unsigned char)*ps->p;
    if (c == (unsigned char)q) {
      ps->p++;
      break;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      free(buf);
      return fail(ps, "control character in string");
    }
    if (c == '\\' && q == '"') {
      ps->p++;
      int e = peek(ps);
      uint32_t cp = 0;
      int hex = 0;
      switch (e) {
      case 'b': cp = '\b'; break;
      case 't': cp = '\t'; break;
      case 'n': cp = '\n'; break;
      case 'f': cp = '\f'; break;
      case 'r': cp = '\r'; break;
      case '"': cp = '"'; break;
      case '\\': cp = '\\'; break;
      case 'u': hex = 4; break;
      case 'U': hex = 8; break;
      default: free(buf); return fail(ps, "invalid escape sequence in string");
      }
      ps->p++;
      for (int i = 0; i < hex; i++) {
        int h = peek(ps);
        int d = (h >= '0' && h <= '9')   ? h - '0'
                : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                         : -1;
        if (d < 0) {
          free(buf);
          return fail(ps, "invalid unicode escape in string");
        }
        cp = cp * 16 + (uint32_t)d;
        ps->p++;
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp == 0 && hex)) {
        free(buf);
        return fail(ps, "invalid unicode scalar value in string");
      }
      if (!put_utf8(ps, &buf, &len, &cap, cp)) {
        free(buf);
        return false;
      }
      continue;
    }
    if (!aw_grow((void **)&buf, 1, &cap, len + 2)) {
      free(buf);
      return fail(ps, "out of memory");
    }
    buf[len++] = (char)c;
    ps->p++;
  }
  buf[len] = '\0';
  *out = buf;
  *outlen = len;
  return true;
}

/* One key segment: bare or quoted. */
static bool parse_key_part(parser *ps, char **out) {
  int c = peek(ps);
  if (c == '"' || c == '\'') {
    size_t len;
    if (!parse_string(ps, out, &len)) return false;
    if (strlen(*out) != len) {
      free(*out);
      return fail(ps, "key contains a NUL character");
    }
    return true;
  }
  const char *s = ps->p;
  while (!at_end(ps) && is_bare(*ps->p))
    ps->p++;
  if (ps->p == s) {
    if (at_end(ps) || *ps->p == '\n') return fail(ps, "expected a key");
    return fail(ps, "invalid character '%c' in key", *ps->p);
  }
  size_t n = (size_t)(ps->p - s);
  *out = malloc(n + 1);
  if (!*out) return fail(ps, "out of memory");
  memcpy(*out, s, n);
  (*out)[n] = '\0';
  return true;
}

static void free_parts(char **parts, int n) {
  for (int i = 0; i < n; i++)
    free(parts[i]);
}

/* A dotted key: parts[0..*n), at most max parts. On failure nothing is
   left allocated. */
static bool parse_key(parser *ps, char **parts, int *n, int max) {
  *n = 0;
  for (;;) {
    skip_ws(ps);
    if (*n == max || !parse_key_part(ps, &parts[*n])) {
      free_parts(parts, *n);
      return *n == max ? fail(ps, "key has too many dotted parts") : false;
    }
    (*n)++;
    skip_ws(ps);
    if (peek(ps) != '.') return true;
    ps->p++;
  }
}

static toml_value *parse_value(parser *ps);

static bool parse_integer(parser *ps, toml_value **out) {
  const char *s = ps->p;
  bool neg = false;
  if (*ps->p == '+' || *ps->p == '-') {
    neg = *ps->p == '-';
    ps->p++;
  }
  const char *digits = ps->p;
  uint64_t v = 0;
  bool prev_digit = false;
  int ndig = 0;
  while (!at_end(ps) && ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '_')) {
    if (*ps->p == '_') {
      if (!prev_digit) return fail(ps, "misplaced underscore in integer");
      prev_digit = false;
    } else {
      unsigned d = (unsigned)(*ps->p - '0');
      if (v > (UINT64_MAX - d) / 10) return fail(ps, "integer out of range");
      v = v * 10 + d;
      prev_digit = true;
      ndig++;
    }
    ps->p++;
  }
  if (!ndig) return fail(ps, "invalid value");
  if (!prev_digit) return fail(ps, "misplaced underscore in integer");
  if (!at_end(ps) && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E'))
    return fail(ps, "floating-point values are not supported");
  if (!at_end(ps) && (*ps->p == '-' || *ps->p == ':'))
    return fail(ps, "date and time values are not supported");
  if (!at_end(ps) && (*ps->p == 'x' || *ps->p == 'o' || *ps->p == 'b') &&
      ps->p == digits + 1 && digits[0] == '0')
    return fail(ps, "only decimal integers are supported");
  if (!at_end(ps) && is_bare(*ps->p)) return fail(ps, "invalid value");
  if (digits[0] == '0' && ndig > 1)
    return fail(ps, "leading zeros are not allowed in integers");
  if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1))
    return fail(ps, "integer out of range");
  (void)s;
  toml_value *r = new_value(TOML_INT, ps->line);
  if (!r) return fail(ps, "out of memory");
  r->u.i = neg ? (int64_t)(0 - v) : (int64_t)v;
  *out = r;
  return true;
}

static bool keyword(parser *ps, const char *kw) {
  size_t n = strlen(kw);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, kw, n) != 0) return false;
  if (ps->p + n < ps->end && is_bare(ps->p[n])) return false;
  ps->p += n;
  return true;
}

static toml_value *parse_array(parser *ps) {
  toml_value *a = new_value(TOML_ARRAY, ps->line);
  if (!a) {
    fail(ps, "out of memory");
    return NULL;
  }
  ps->p++; /* [ */
  for (;;) {
    if (!skip_ws_nl(ps)) goto bad;
    if (peek(ps) == ']') {
      ps->p++;
      return a;
    }
    toml_value *v = parse_value(ps);
    if (!v) goto bad;
    if (!array_add(ps, a, v)) {
      toml_free(v);
      goto bad;
    }
    if (!skip_ws_nl(ps)) goto bad;
    if (peek(ps) == ',') {
      ps->p++;
      continue;
    }
    if (peek(ps) == ']') {
      ps->p++;
      return a;
    }
    fail(ps, "expected ',' or ']' in array");
    goto bad;
  }
bad:
  toml_free(a);
  return NULL;
}

static bool assign(parser *ps, toml_value *t, char **parts, int n,
                   uint32_t line, toml_value *val);

static toml_value *parse_inline_table(parser *ps) {
  toml_value *t = new_value(TOML_TABLE, ps->line);
  if (!t) {
    fail(ps, "out of memory");
    return NULL;
  }
  t->u.tab.how = HOW_INLINE;
  ps->p++; /* { */
  skip_ws(ps);
  if (peek(ps) == '}') {
    ps->p++;
    return t;
  }
  for (;;) {
    char *parts[16];
    int n;
    uint32_t line = ps->line;
    if (!parse_key(ps, parts, &n, 16)) goto bad;
    skip_ws(ps);
    if (peek(ps) != '=') {
      free_parts(parts, n);
      fail(ps, "expected '=' after key");
      goto bad;
    }
    ps->p++;
    skip_ws(ps);
    toml_value *v = parse_value(ps);
    if (!v) {
      free_parts(parts, n);
      goto bad;
    }
    if (!assign(ps, t, parts, n, line, v)) goto bad;
    skip_ws(ps);
    if (peek(ps) == ',') {
      ps->p++;
      skip_ws(ps);
      continue;
    }
    if (peek(ps) == '}') {
      ps->p++;
      return t;
    }
    fail(ps, "expected ',' or '}' in inline table");
    goto bad;
  }
bad:
  toml_free(t);
  return NULL;
}

static toml_value *parse_value(parser *ps) {
  if (++ps->depth > TOML_MAX_DEPTH) {
    fail(ps, "values nested deeper than %d levels", TOML_MAX_DEPTH);
    return NULL;
  }
  toml_value *v = NULL;
  int c = peek(ps);
  if (c == '"' || c == '\'') {
    char *s;
    size_t len;
    uint32_t line = ps->line;
    if (parse_string(ps, &s, &len)) {
      v = new_value(TOML_STRING, line);
      if (!v) {
        free(s);
        fail(ps, "out of memory");
      } else {
        v->u.str.s = s;
        v->u.str.len = len;
      }
    }
  } else if (c == '[') {
    v = parse_array(ps);
  } else if (c == '{') {
    v = parse_inline_table(ps);
  } else if (keyword(ps, "true") || keyword(ps, "false")) {
    v = new_value(TOML_BOOL, ps->line);
    if (!v)
      fail(ps, "out of memory");
    else
      v->u.b = c == 't';
  } else if (keyword(ps, "inf") || keyword(ps, "nan") || keyword(ps, "+inf") ||
             keyword(ps, "-inf") || keyword(ps, "+nan") ||
             keyword(ps, "-nan")) {
    fail(ps, "floating-point values are not supported");
  } else if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
    parse_integer(ps, &v);
  } else if (c < 0 || c == '\n' || c == '\r' || c == '#') {
    fail(ps, "missing value");
  } else {
    fail(ps, "invalid value");
  }
  ps->depth--;
  return v;
}

/* Walks/creates the tables for parts[0..n-1) below t for a dotted key and
   stores val under the last part.  Frees parts (and val on failure). */
static bool assign(parser *ps, toml_value *t, char **parts, int n,
                   uint32_t line, toml_value *val) {
  for (int i = 0; i < n - 1; i++) {
    toml_value *sub = table_find(t, parts[i]);
    if (!sub) {
      sub = new_value(TOML_TABLE, line);
      if (!sub || !table_add(ps, t, parts[i], line, sub)) {
        toml_free(sub);
        goto bad_from_i;
      }
      sub->u.tab.how = HOW_DOTTED;
      parts[i] = NULL;
    } else if (sub->kind != TOML_TABLE || sub->u.tab.how == HOW_INLINE ||
               sub->u.tab.how == HOW_HEADER || sub->u.tab.how == HOW_IMPLICIT) {
      fail(ps, "key '%s' is already defined", parts[i]);
      goto bad_from_i;
    }
    t = sub;
    continue;
  bad_from_i:
    free_parts(parts + i, n - i);
    free_parts(parts, i);
    toml_free(val);
    return false;
  }
  if (table_find(t, parts[n - 1])) {
    fail(ps, "key '%s' is defined twice", parts[n - 1]);
    free_parts(parts, n);
    toml_free(val);
    return false;
  }
  if (!table_add(ps, t, parts[n - 1], line, val)) {
    free_parts(parts, n);
    toml_free(val);
    return false;
  }
  free_parts(parts, n - 1);
  return true;
}

/* Handles a [header] or [[header]] line; sets *cur to the new table. */
static bool parse_header(parser *ps, toml_value *root, toml_value **cur) {
  bool aot = ps->end - ps->p >= 2 && ps->p[1] == '[';
  ps->p += aot ? 2 : 1;
  char *parts[16];
  int n;
  uint32_t line = ps->line;
  if (!parse_key(ps, parts, &n, 16)) return false;
  skip_ws(ps);
  if (peek(ps) != ']' || (aot && (ps->end - ps->p < 2 || ps->p[1] != ']'))) {
    free_parts(parts, n);
    return fail(ps, aot ? "expected ']]' after table name"
                        : "expected ']' after table name");
  }
  ps->p += aot ? 2 : 1;
  toml_value *t = root;
  for (int i = 0; i < n; i++) {
    bool last = i == n - 1;
    toml_value *sub = table_find(t, parts[i]);
    if (!sub) {
      toml_value *nv;
      if (last && aot) {
        nv = new_value(TOML_ARRAY, line);
        if (nv) nv->u.arr.of_tables = true;
      } else {
        nv = new_value(TOML_TABLE, line);
        if (nv) nv->u.tab.how = last ? HOW_HEADER : HOW_IMPLICIT;
      }
      if (!nv || !table_add(ps, t, parts[i], line, nv)) {
        toml_free(nv);
        free_parts(parts + i, n - i);
        free_parts(parts, i);
        return fail(ps, "out of memory");
      }
      parts[i] = NULL;
      sub = nv;
    } else if (last && !aot) {
      if (sub->kind != TOML_TABLE || sub->u.tab.how != HOW_IMPLICIT) {
        fail(ps, "table [%s] is defined twice", parts[i]);
        free_parts(parts, n);
        return false;
      }
      sub->u.tab.how = HOW_HEADER;
    } else if (last && aot) {
      if (sub->kind != TOML_ARRAY || !sub->u.arr.of_tables) {
        fail(ps, "key '%s' is not an array of tables", parts[i]);
        free_parts(parts, n);
        return false;
      }
    } else if (sub->kind == TOML_ARRAY && sub->u.arr.of_tables) {
      sub = sub->u.arr.items[sub->u.arr.n - 1];
    } else if (sub->kind != TOML_TABLE || sub->u.tab.how == HOW_INLINE) {
      fail(ps, "key '%s' is already defined", parts[i]);
      free_parts(parts, n);
      return false;
    }
    if (last && aot) {
      toml_value *elem = new_value(TOML_TABLE, line);
      if (!elem || !array_add(ps, sub, elem)) {
        toml_free(elem);
        free_parts(parts, n);
        return fail(ps, "out of memory");
      }
      elem->u.tab.how = HOW_HEADER;
      sub = elem;
    }
    t = sub;
  }
  free_parts(parts, n);
  *cur = t;
  return end_of_line(ps);
}

/* Checks the whole input is valid UTF-8 without NUL bytes. */
static bool check_utf8(parser *ps) {
  const uint8_t *s = (const uint8_t *)ps->p, *e = (const uint8_t *)ps->end;
  uint32_t line = 1;
  while (s < e) {
    uint8_t c = *s;
    if (c == '\n') line++;
    if (c == 0) {
      ps->line = line;
      return fail(ps, "NUL byte in file");
    }
    if (c < 0x80) {
      s++;
      continue;
    }
    int n = (c & 0xE0) == 0xC0   ? 1
            : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3
                                 : -1;
    uint32_t cp = n == 1 ? c & 0x1Fu : n == 2 ? c & 0x0Fu : c & 0x07u;
    if (n < 0 || e - s <= n) goto bad;
    for (int i = 1; i <= n; i++) {
      if ((s[i] & 0xC0) != 0x80) goto bad;
      cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      goto bad;
    s += n + 1;
    continue;
  bad:
    ps->line = line;
    return fail(ps, "invalid UTF-8");
  }
  return true;
}

toml_value *toml_parse(const char *text, size_t len, toml_error *err) {
  parser ps = {text, text + len, 1, 0, err};
  err->line = 0;
  err->message[0] = '\0';
  if (!check_utf8(&ps)) return NULL;
  toml_value *root = new_value(TOML_TABLE, 1);
  if (!root) {
    fail(&ps, "out of memory");
    return NULL;
  }
  root->u.tab.how = HOW_HEADER;
  toml_value *cur = root;
  /* A UTF-8 byte order mark is allowed at the start. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ps.p += 3;
  while (!at_end(&ps)) {
    skip_ws(&ps);
    int c = peek(&ps);
    if (c == '#' || c == '\n' || c == '\r' || c < 0) {
      if (!end_of_line(&ps)) goto bad;
      continue;
    }
    if (c == '[') {
      if (!parse_header(&ps, root, &cur)) goto bad;
      continue;
    }
    char *parts[16];
    int n;
    uint32_t line = ps.line;
    if (!parse_key(&ps, parts, &n, 16)) goto bad;
    skip_ws(&ps);
    if (peek(&ps) != '=') {
      free_parts(parts, n);
      fail(&ps, "expected '=' after key");
      goto bad;
    }
    ps.p++;
    skip_ws(&ps);
    toml_value *v = parse_value(&ps);
    if (!v) {
      free_parts(parts, n);
      goto bad;
    }
    if (!assign(&ps, cur, parts, n, line, v)) goto bad;
    if (!end_of_line(&ps)) goto bad;
  }
  return root;
bad:
  toml_free(root);
  return NULL;
}
