/*
 * lex.c - the tokenizer of the text format, and the helpers of the
 * parser: errors, tracked allocations, byte buffers, token tests and
 * string decoding.
 *
 * Comments (";;" lines, nested "(; ;)" blocks) and annotations
 * ("(@name ...)", nested) are dropped here.  Every "(" records the index
 * of its ")", so that the parser can skip or bound a form in O(1) and a
 * hostile nesting depth is refused before any recursion.
 */
#include "text/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- errors and allocations ------------------------------------------- */

static void vfail(tx_ctx *c, uint32_t line, uint32_t col, const char *fmt,
                  va_list ap) {
  if (c->err && c->errlen) {
    int k = snprintf(c->err, c->errlen, "%s:%u:%u: ", c->file ? c->file : "",
                     line, col);
    if (k >= 0 && (size_t)k < c->errlen)
      vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
  }
}

void tx_fail_at(tx_ctx *c, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(c, line, col, fmt, ap);
  va_end(ap);
  longjmp(c->jb, 1);
}

void tx_fail(tx_ctx *c, const tx_token *t, const char *fmt, ...) {
  if (!t) t = &c->toks[c->ntoks - 1];
  va_list ap;
  va_start(ap, fmt);
  vfail(c, t->line, t->col, fmt, ap);
  va_end(ap);
  longjmp(c->jb, 1);
}

static TX_NORETURN void oom(tx_ctx *c) {
  const tx_token *t = c->ntoks ? &c->toks[c->i < c->ntoks ? c->i : 0] : NULL;
  if (t) tx_fail(c, t, "out of memory");
  tx_fail_at(c, 1, 1, "out of memory");
}

static void track(tx_ctx *c, void *p) {
  if (c->nallocs == c->capallocs) {
    size_t n = c->capallocs ? c->capallocs * 2 : 64;
    void **a = realloc(c->allocs, n * sizeof *a);
    if (!a) {
      free(p);
      oom(c);
    }
    c->allocs = a;
    c->capallocs = n;
  }
  c->allocs[c->nallocs++] = p;
}

void *tx_alloc(tx_ctx *c, size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) oom(c);
  track(c, p);
  return p;
}

void *tx_realloc(tx_ctx *c, void *p, size_t n) {
  if (!p) return tx_alloc(c, n);
  for (size_t i = c->nallocs; i-- > 0;) {
    if (c->allocs[i] != p) continue;
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(c);
    c->allocs[i] = q;
    return q;
  }
  oom(c); /* not ours: a bug; treat as failure */
}

void tx_free_since(tx_ctx *c, size_t mark) {
  while (c->nallocs > mark)
    free(c->allocs[--c->nallocs]);
}

void tx_free_all(tx_ctx *c) {
  for (size_t i = 0; i < c->nallocs; i++)
    free(c->allocs[i]);
  free(c->allocs);
  c->allocs = NULL;
  c->nallocs = c->capallocs = 0;
}

int tx_protect(tx_ctx *c, void (*f)(tx_ctx *, void *), void *arg) {
  jmp_buf saved;
  memcpy(&saved, &c->jb, sizeof saved);
  int rc = 0;
  if (setjmp(c->jb) == 0)
    f(c, arg);
  else
    rc = -1;
  memcpy(&c->jb, &saved, sizeof saved);
  return rc;
}

/* ---- buffers ------------------------------------------------------------ */

void tx_put(tx_ctx *c, tx_buf *b, const void *p, size_t n) {
  if (n > TX_MAX_OUTPUT || b->len > TX_MAX_OUTPUT - n)
    tx_fail(c, tx_peek(c, 0), "module too large");
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n)
      cap *= 2;
    if (!b->slot) {
      uint8_t *q = malloc(cap);
      if (!q) oom(c);
      track(c, q);
      b->slot = c->nallocs;
      b->p = q;
    } else {
      uint8_t *q = realloc(b->p, cap);
      if (!q) oom(c);
      c->allocs[b->slot - 1] = q;
      b->p = q;
    }
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->len, p, n);
  b->len += n;
}

void tx_byte(tx_ctx *c, tx_buf *b, uint8_t x) {
  if (b->len < b->cap) {
    b->p[b->len++] = x;
    return;
  }
  tx_put(c, b, &x, 1);
}

void tx_u32(tx_ctx *c, tx_buf *b, uint64_t x) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    uint8_t v = x & 0x7F;
    x >>= 7;
    tmp[n++] = (uint8_t)(v | (x ? 0x80 : 0));
  } while (x);
  tx_put(c, b, tmp, n);
}

void tx_s64(tx_ctx *c, tx_buf *b, int64_t x) {
  uint8_t tmp[10];
  size_t n = 0;
  for (;;) {
    uint8_t v = (uint8_t)(x & 0x7F);
    x >>= 7; /* arithmetic shift (implementation-defined, true on gcc/clang) */
    bool done = (x == 0 && !(v & 0x40)) || (x == -1 && (v & 0x40));
    tmp[n++] = (uint8_t)(v | (done ? 0 : 0x80));
    if (done) break;
  }
  tx_put(c, b, tmp, n);
}

void tx_name(tx_ctx *c, tx_buf *b, const uint8_t *p, size_t n) {
  tx_u32(c, b, n);
  tx_put(c, b, p, n);
}

void tx_buf_free(tx_ctx *c, tx_buf *b) {
  if (b->slot && b->slot <= c->nallocs && c->allocs[b->slot - 1] == b->p) {
    free(b->p);
    c->allocs[b->slot - 1] = NULL;
  }
  memset(b, 0, sizeof *b);
}

uint8_t *tx_buf_take(tx_ctx *c, tx_buf *b) {
  uint8_t *p = b->p;
  if (b->slot && b->slot <= c->nallocs && c->allocs[b->slot - 1] == p)
    c->allocs[b->slot - 1] = NULL;
  memset(b, 0, sizeof *b);
  return p;
}

/* ---- tokens ------------------------------------------------------------- */

const tx_token *tx_peek(tx_ctx *c, size_t k) {
  size_t j = c->i + k;
  return j < c->ntoks ? &c->toks[j] : &c->toks[c->ntoks - 1];
}

bool tx_is_kw(const tx_token *t, const char *kw) {
  size_t n = strlen(kw);
  return t->kind == TX_KEYWORD && t->len == n && memcmp(t->p, kw, n) == 0;
}

bool tx_is_lpar_kw(tx_ctx *c, const char *kw) {
  return tx_peek(c, 0)->kind == TX_LPAR && tx_is_kw(tx_peek(c, 1), kw);
}

static const char *kind_name(const tx_token *t) {
  switch (t->kind) {
  case TX_LPAR: return "\"(\"";
  case TX_RPAR: return "\")\"";
  case TX_EOF: return "end of input";
  default: return NULL;
  }
}

static TX_NORETURN void unexpected(tx_ctx *c, const tx_token *t,
                                   const char *want) {
  const char *k = kind_name(t);
  if (k) tx_fail(c, t, "unexpected token %s, expected %s", k, want);
  tx_fail(c, t, "unexpected token \"%.*s\", expected %s",
          (int)(t->len > 40 ? 40 : t->len), t->p, want);
}

void tx_expect_lpar(tx_ctx *c) {
  const tx_token *t = tx_peek(c, 0);
  if (t->kind != TX_LPAR) unexpected(c, t, "\"(\"");
  c->i++;
}

void tx_expect_rpar(tx_ctx *c) {
  const tx_token *t = tx_peek(c, 0);
  if (t->kind != TX_RPAR) unexpected(c, t, "\")\"");
  c->i++;
}

void tx_expect_kw(tx_ctx *c, const char *kw) {
  const tx_token *t = tx_peek(c, 0);
  if (!tx_is_kw(t, kw)) unexpected(c, t, kw);
  c->i++;
}

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static size_t put_utf8(uint8_t *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (uint8_t)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (uint8_t)(0xC0 | (cp >> 6));
    o[1] = (uint8_t)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (uint8_t)(0xE0 | (cp >> 12));
    o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (uint8_t)(0xF0 | (cp >> 18));
  o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

static bool valid_utf8(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t k;
    uint32_t cp, min;
    if ((b & 0xE0) == 0xC0) {
      k = 1, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      k = 2, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      k = 3, cp = b & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (n - i <= k) return false;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
      return false;
    i += k + 1;
  }
  return true;
}

/* Decodes a string literal p[0..n) (quotes included, already checked by
   the lexer) into o; returns the length. */
static size_t decode_string(const char *p, size_t n, uint8_t *o) {
  size_t k = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    unsigned char ch = (unsigned char)p[i];
    if (ch != '\\') {
      o[k++] = ch;
      continue;
    }
    ch = (unsigned char)p[++i];
    switch (ch) {
    case 't': o[k++] = '\t'; break;
    case 'n': o[k++] = '\n'; break;
    case 'r': o[k++] = '\r'; break;
    case '"': o[k++] = '"'; break;
    case '\'': o[k++] = '\''; break;
    case '\\': o[k++] = '\\'; break;
    case 'u': {
      uint32_t cp = 0;
      for (i += 2; p[i] != '}'; i++)
        if (p[i] != '_') cp = cp * 16 + (uint32_t)hexval(p[i]);
      k += put_utf8(o + k, cp);
      break;
    }
    default:
      o[k++] = (uint8_t)(hexval(ch) * 16 + hexval(p[i + 1]));
      i++;
      break;
    }
  }
  return k;
}

uint8_t *tx_string(tx_ctx *c, const tx_token *t, size_t *len, bool utf8) {
  if (t->kind != TX_STRING) unexpected(c, t, "a string");
  uint8_t *o = tx_alloc(c, t->len + 1);
  *len = decode_string(t->p, t->len, o);
  o[*len] = 0;
  if (utf8 && !valid_utf8(o, *len)) tx_fail(c, t, "malformed UTF-8 encoding");
  return o;
}

/* ---- the lexer ------------------------------------------------------------
 */

/* idchar: 0-9 A-Z a-z and ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~ */
static const uint8_t k_idchar[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
    ['*'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, [':'] = 1,
    ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1, ['@'] = 1, ['\\'] = 1,
    ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1, ['0'] = 1,
    ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
    ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1,
    ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
    ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1};

static inline bool idchar(unsigned char ch) {
  return k_idchar[ch] != 0;
}

/* Characters that may only appear in reserved tokens (3.0 lexical
   format). */
static bool reserved_char(unsigned char ch) {
  return ch == ',' || ch == ';' || ch == '[' || ch == ']' || ch == '{' ||
         ch == '}';
}

typedef struct lexer {
  tx_ctx *c;
  const char *s;
  size_t n, i;
  uint32_t line;
  size_t line_start;
} lexer;

static int lex_error(lexer *L, size_t at, const char *msg) {
  tx_ctx *c = L->c;
  /* Column of `at` on the current line (at >= L->line_start). */
  uint32_t col = (uint32_t)(at - L->line_start) + 1;
  if (c->err && c->errlen)
    snprintf(c->err, c->errlen, "%s:%u:%u: %s", c->file ? c->file : "", L->line,
             col, msg);
  return -1;
}

static void newline(lexer *L, size_t at) {
  L->line++;
  L->line_start = at + 1;
}

/* Skips a block comment starting at L->i ("(;"). */
static int skip_block_comment(lexer *L) {
  size_t start = L->i;
  uint32_t sl = L->line;
  size_t sls = L->line_start;
  unsigned depth = 0;
  while (L->i < L->n) {
    char ch = L->s[L->i];
    if (ch == '(' && L->i + 1 < L->n && L->s[L->i + 1] == ';') {
      depth++;
      L->i += 2;
    } else if (ch == ';' && L->i + 1 < L->n && L->s[L->i + 1] == ')') {
      L->i += 2;
      if (--depth == 0) return 0;
    } else {
      if (ch == '\n') newline(L, L->i);
      L->i++;
    }
  }
  L->line = sl;
  L->line_start = sls;
  return lex_error(L, start, "unclosed block comment");
}

/* Scans a string starting at L->i ('"'); checks its characters and
   escapes. */
static int scan_string(lexer *L) {
  size_t start = L->i++;
  while (L->i < L->n) {
    unsigned char ch = (unsigned char)L->s[L->i];
    if (ch == '"') {
      L->i++;
      return 0;
    }
    if (ch == '\n') return lex_error(L, start, "unterminated string");
    if (ch < 0x20 || ch == 0x7F)
      return lex_error(L, L->i, "illegal character in string");
    if (ch != '\\') {
      L->i++;
      continue;
    }
    size_t at = L->i++;
    if (L->i >= L->n) break;
    ch = (unsigned char)L->s[L->i];
    if (strchr("tnr\"'\\", ch) && ch) {
      L->i++;
    } else if (ch == 'u') {
      L->i++;
      if (L->i >= L->n || L->s[L->i] != '{')
        return lex_error(L, at, "illegal escape");
      L->i++;
      uint64_t cp = 0;
      size_t digits = 0;
      bool last_us = true;
      while (L->i < L->n && L->s[L->i] != '}') {
        int h = hexval(L->s[L->i]);
        if (L->s[L->i] == '_' && !last_us) {
          last_us = true;
        } else if (h >= 0) {
          cp = cp * 16 + (uint64_t)h;
          if (cp > 0x10FFFF) cp = 0x110000;
          digits++;
          last_us = false;
        } else {
          return lex_error(L, at, "illegal escape");
        }
        L->i++;
      }
      if (L->i >= L->n || digits == 0 || last_us || cp > 0x10FFFF ||
          (cp >= 0xD800 && cp < 0xE000))
        return lex_error(L, at, "illegal escape");
      L->i++;
    } else if (hexval(ch) >= 0 && L->i + 1 < L->n &&
               hexval(L->s[L->i + 1]) >= 0) {
      L->i += 2;
    } else {
      return lex_error(L, at, "illegal escape");
    }
  }
  return lex_error(L, start, "unterminated string");
}

static int push(lexer *L, tx_kind kind, size_t start, size_t end) {
  tx_ctx *c = L->c;
  if (c->ntoks % 4096 == 0) {
    if (c->ntoks > TX_MAX_TEXT) return lex_error(L, start, "too many tokens");
    tx_token *t = realloc(c->toks, (c->ntoks + 4096) * sizeof *t);
    if (!t) return lex_error(L, start, "out of memory");
    c->toks = t;
  }
  tx_token *t = &c->toks[c->ntoks++];
  t->p = L->s + start;
  t->len = (uint32_t)(end - start);
  t->line = L->line;
  t->col = (uint32_t)(start - L->line_start) + 1;
  t->kind = (uint8_t)kind;
  t->match = 0;
  return 0;
}

/* A random key for the identifier hash tables (getrandom, else the clock
   and addresses). */
static uint32_t hash_key(const tx_ctx *c) {
  uint32_t k = 0;
  if (getrandom(&k, sizeof k, GRND_NONBLOCK) == (ssize_t)sizeof k) return k;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint32_t)ts.tv_nsec ^ (uint32_t)(uintptr_t)c ^
         (uint32_t)((uintptr_t)&ts >> 4);
}

int tx_lex(tx_ctx *c) {
  lexer L = {c, c->src, c->srclen, 0, 1, 0};
  c->hash_key = hash_key(c);
  c->toks = NULL;
  c->ntoks = 0;
  if (c->srclen > TX_MAX_TEXT) return lex_error(&L, 0, "text too large");
  /* Open parentheses: indices of their tokens (a stack), or SIZE_MAX for
     an annotation (whose tokens are not kept). */
  size_t *stack = NULL, depth = 0, annot = 0;
  int rc = 0;
  while (L.i < L.n && rc == 0) {
    unsigned char ch = (unsigned char)L.s[L.i];
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      L.i++;
    } else if (ch == '\n') {
      newline(&L, L.i);
      L.i++;
    } else if (ch == ';' && L.i + 1 < L.n && L.s[L.i + 1] == ';') {
      while (L.i < L.n && L.s[L.i] != '\n' && L.s[L.i] != '\r')
        L.i++;
    } else if (ch == '(' && L.i + 1 < L.n && L.s[L.i + 1] == ';') {
      rc = skip_block_comment(&L);
    } else if (ch == '(') {
      if (depth >= TX_MAX_DEPTH) {
        rc = lex_error(&L, L.i, "nesting too deep");
        break;
      }
      bool is_annot = L.i + 1 < L.n && L.s[L.i + 1] == '@';
      if (is_annot && !annot &&
          (L.i + 2 >= L.n ||
           (!idchar((unsigned char)L.s[L.i + 2]) && L.s[L.i + 2] != '"'))) {
        rc = lex_error(&L, L.i, "empty annotation id");
        break;
      }
      if (depth % 64 == 0) {
        size_t *s = realloc(stack, (depth + 64) * sizeof *s);
        if (!s) {
          rc = lex_error(&L, L.i, "out of memory");
          break;
        }
        stack = s;
      }
      if (is_annot || annot) {
        stack[depth++] = SIZE_MAX;
        annot++;
        L.i += is_annot ? 2 : 1; /* the rest is lexed (and dropped) */
        if (is_annot && L.s[L.i] == '"') {
          /* (@"name"): a non-empty, valid UTF-8 name */
          size_t at = L.i;
          if ((rc = scan_string(&L)) != 0) break;
          uint8_t *d = malloc(L.i - at);
          if (!d) {
            rc = lex_error(&L, at, "out of memory");
            break;
          }
          size_t dn = decode_string(L.s + at, L.i - at, d);
          bool ok = valid_utf8(d, dn);
          free(d);
          if (dn == 0) {
            rc = lex_error(&L, at, "empty annotation id");
            break;
          }
          if (!ok) {
            rc = lex_error(&L, at, "malformed UTF-8 encoding");
            break;
          }
        }
      } else {
        stack[depth++] = c->ntoks;
        rc = push(&L, TX_LPAR, L.i, L.i + 1);
        L.i++;
      }
    } else if (ch == ')') {
      if (depth == 0) {
        rc = lex_error(&L, L.i, "unexpected \")\"");
        break;
      }
      size_t open = stack[--depth];
      if (open == SIZE_MAX) {
        annot--;
      } else {
        c->toks[open].match = (uint32_t)c->ntoks;
        rc = push(&L, TX_RPAR, L.i, L.i + 1);
      }
      L.i++;
    } else if (ch == '"' || idchar(ch) || reserved_char(ch)) {
      size_t start = L.i;
      unsigned strings = 0, others = 0;
      bool bad = false; /* holds , ; [ ] { }: a reserved token */
      while (L.i < L.n && rc == 0) {
        unsigned char d = (unsigned char)L.s[L.i];
        if (d == '"') {
          rc = scan_string(&L);
          strings++;
        } else if (idchar(d)) {
          L.i++;
          others++;
        } else if (reserved_char(d) &&
                   !(d == ';' && L.i + 1 < L.n && L.s[L.i + 1] == ';')) {
          L.i++;
          others++;
          bad = true;
        } else {
          break;
        }
      }
      if (rc) break;
      tx_kind k;
      unsigned char f = (unsigned char)L.s[start];
      if (bad)
        k = TX_RESERVED;
      else if (strings && !others)
        k = strings == 1 ? TX_STRING : TX_RESERVED;
      else if (strings)
        k = (f == '$' && strings == 1 && L.s[start + 1] == '"' &&
             L.s[L.i - 1] == '"')
                ? TX_ID
                : TX_RESERVED;
      else if (f >= 'a' && f <= 'z')
        k = TX_KEYWORD;
      else if (f == '$' && L.i - start > 1)
        k = TX_ID;
      else if ((f >= '0' && f <= '9') ||
               ((f == '+' || f == '-') && L.i - start > 1))
        k = TX_NUM;
      else
        k = TX_RESERVED;
      if (!annot) rc = push(&L, k, start, L.i);
    } else {
      char msg[64];
      if (ch >= 0x20 && ch < 0x7F)
        snprintf(msg, sizeof msg, "unexpected character \"%c\"", ch);
      else
        snprintf(msg, sizeof msg, "unexpected character 0x%02x", ch);
      rc = lex_error(&L, L.i, msg);
    }
  }
  if (rc == 0 && depth) {
    size_t open = stack[depth - 1];
    if (open != SIZE_MAX && open < c->ntoks) {
      tx_token *t = &c->toks[open];
      snprintf(c->err, c->errlen, "%s:%u:%u: unclosed \"(\"",
               c->file ? c->file : "", t->line, t->col);
    } else {
      lex_error(&L, L.i, "unclosed annotation");
    }
    rc = -1;
  }
  free(stack);
  if (rc == 0) rc = push(&L, TX_EOF, L.i, L.i);
  if (rc) {
    free(c->toks);
    c->toks = NULL;
    c->ntoks = 0;
  }
  return rc;
}

int tx_begin(tx_ctx *c, const char *name, const char *text, size_t len,
             char *msg, size_t msglen) {
  memset(c, 0, sizeof *c);
  msg[0] = 0;
  c->file = name ? name : "input";
  c->src = text ? text : "";
  c->srclen = len;
  c->err = msg;
  c->errlen = msglen;
  return tx_lex(c);
}
