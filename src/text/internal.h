/*
 * internal.h - the text front end (src/text, prefix tx_): lexer, literals,
 * module encoder and script reader shared by the files of this folder.
 *
 * The text is lexed once into an array of tokens (annotations and comments
 * dropped); the module encoder walks that array and writes the binary
 * format, which then goes through the ordinary decoder and validator.
 * Errors carry "FILE:LINE:COL: reason".
 */
#ifndef AW_TEXT_INTERNAL_H
#define AW_TEXT_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits against hostile text. */
enum {
  TX_MAX_DEPTH = 1000,      /* nested parentheses / blocks */
  TX_MAX_TEXT = 1u << 30,   /* bytes of text */
  TX_MAX_OUTPUT = 1u << 30, /* bytes of binary produced */
  TX_MAX_ITEMS = 10000000   /* entries of any one table of the encoder */
};

typedef enum tx_kind {
  TX_LPAR,
  TX_RPAR,
  TX_KEYWORD, /* starts with a-z */
  TX_ID,      /* $name */
  TX_STRING,  /* "..." (raw source, quotes included) */
  TX_NUM,     /* starts with a digit, or a sign and a digit */
  TX_RESERVED,
  TX_EOF
} tx_kind;

typedef struct tx_token {
  const char *p; /* source text of the token */
  uint32_t len;
  uint32_t line, col;
  uint8_t kind;
  uint32_t match; /* TX_LPAR: index of the matching TX_RPAR */
} tx_token;

/* A growable byte buffer. */
/* A growable byte buffer; its memory is tracked by the context (slot:
   1 + its index in tx_ctx.allocs, 0 before the first byte), so that an
   error exit frees it too. */
typedef struct tx_buf {
  uint8_t *p;
  size_t len, cap;
  size_t slot;
} tx_buf;

/* Parser state: the tokens and the error exit.  tx_fail longjmps to jb. */
typedef struct tx_ctx {
  const char *file;
  const char *src;
  size_t srclen;
  tx_token *toks;
  size_t ntoks;
  size_t i; /* current token */
  jmp_buf jb;
  char *err; /* message buffer */
  size_t errlen;
  uint32_t hash_key; /* random, for the identifier tables (set by tx_lex) */
  void **allocs;     /* every allocation made while parsing, freed at the end */
  size_t nallocs, capallocs;
} tx_ctx;

#if defined(__GNUC__)
#define TX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TX_NORETURN __attribute__((noreturn))
#else
#define TX_PRINTF(f, a)
#define TX_NORETURN
#endif

/* Lexes src into c->toks (tokens point into src).  Returns 0, or -1 with
   the message in c->err. Does not use c->jb. */
int tx_lex(tx_ctx *c);

/* Clears c, points it at the len bytes of text (file name name, "input"
   when NULL) and at the message buffer msg of size msglen (emptied), then
   lexes it: tx_lex's result.  The start of both public entry points. */
int tx_begin(tx_ctx *c, const char *name, const char *text, size_t len,
             char *msg, size_t msglen);

/* Reports an error at token t (or the end of input) and leaves. */
TX_NORETURN void tx_fail(tx_ctx *c, const tx_token *t, const char *fmt, ...)
    TX_PRINTF(3, 4);
TX_NORETURN void tx_fail_at(tx_ctx *c, uint32_t line, uint32_t col,
                            const char *fmt, ...) TX_PRINTF(4, 5);

/* Allocation tracked by the context (never NULL: fails out of memory). */
void *tx_alloc(tx_ctx *c, size_t n);
void *tx_realloc(tx_ctx *c, void *p, size_t n);
void tx_free_all(tx_ctx *c);
/* Frees the allocations made since c->nallocs was mark. */
void tx_free_since(tx_ctx *c, size_t mark);

/* Buffers. */
void tx_put(tx_ctx *c, tx_buf *b, const void *p, size_t n);
void tx_byte(tx_ctx *c, tx_buf *b, uint8_t x);
void tx_u32(tx_ctx *c, tx_buf *b, uint64_t x); /* unsigned LEB128 */
void tx_s64(tx_ctx *c, tx_buf *b, int64_t x);  /* signed LEB128 */
void tx_name(tx_ctx *c, tx_buf *b, const uint8_t *p, size_t n);
void tx_buf_free(tx_ctx *c, tx_buf *b);
/* Takes the bytes of b out of the context's tracking: the caller frees
   them with free(). */
uint8_t *tx_buf_take(tx_ctx *c, tx_buf *b);

/* Token helpers. */
const tx_token *tx_peek(tx_ctx *c, size_t k); /* c->toks[c->i + k] */
bool tx_is_kw(const tx_token *t, const char *kw);
bool tx_is_lpar_kw(tx_ctx *c, const char *kw); /* "(" kw at c->i */
void tx_expect_lpar(tx_ctx *c);
void tx_expect_rpar(tx_ctx *c);
void tx_expect_kw(tx_ctx *c, const char *kw);

/* Decodes the string token t into a fresh buffer (*len bytes; NUL
   terminated, tracked by c).  utf8: the string must be valid UTF-8. */
uint8_t *tx_string(tx_ctx *c, const tx_token *t, size_t *len, bool utf8);

/* Literals (num.c).  Each fails with "unknown operator"/"constant out of
   range"-style messages through tx_fail. */
uint32_t tx_parse_u32(tx_ctx *c, const tx_token *t);
uint64_t tx_parse_u64(tx_ctx *c, const tx_token *t);
/* Integer of `bits` (8, 16, 32, 64) bits, signed or unsigned syntax. */
uint64_t tx_parse_int(tx_ctx *c, const tx_token *t, unsigned bits);
uint32_t tx_parse_f32(tx_ctx *c, const tx_token *t);
uint64_t tx_parse_f64(tx_ctx *c, const tx_token *t);
/* Is t a well-formed u32 literal (without failing)? */
bool tx_is_u32(const tx_token *t);

/* Module encoder (wat.c).  At c->i: the fields of a module (up to the
   token `end`, which is a TX_RPAR or TX_EOF index).  Writes the binary. */
void tx_encode_fields(tx_ctx *c, size_t end, tx_buf *out);

/* Encodes the module starting at c->i: "(module $id? ...)" (text, binary
   or quote form).  *id receives the $id token or NULL.  Fails through
   tx_fail for the text form; quote text is lexed and encoded in its own
   context whose error is returned as a message in qerr (0 = ok). */
void tx_encode_module(tx_ctx *c, tx_buf *out, const tx_token **id);

/* Runs f(c, arg) with c->jb set; returns 0 or -1 (message in c->err). */
int tx_protect(tx_ctx *c, void (*f)(tx_ctx *, void *), void *arg);

#endif /* AW_TEXT_INTERNAL_H */
