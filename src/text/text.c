/*
 * text.c - module forms ("(module ...)", "module binary", "module
 * quote") and the public calls aw_wat_to_wasm and aw_module_new_wat.
 */
#include "airssys/text.h"
#include "text/internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Encodes c->toks from c->i to the token `end`: "(module ...)" alone, or
   bare fields. */
static void encode_whole(tx_ctx *c, tx_buf *out, size_t end) {
  if (tx_is_lpar_kw(c, "module") && c->toks[c->i].match + 1 == end) {
    const tx_token *id;
    tx_encode_module(c, out, &id);
    return;
  }
  tx_encode_fields(c, end, out);
}

typedef struct quote_arg {
  tx_buf *out;
} quote_arg;

static void quote_body(tx_ctx *c, void *arg) {
  quote_arg *q = arg;
  encode_whole(c, q->out, c->ntoks - 1);
}

/* Lexes and encodes text as a separate module (a `module quote`); on
   error, fails in c at token at with the inner message. */
static void encode_quote(tx_ctx *c, const tx_token *at, const char *text,
                         size_t len, tx_buf *out) {
  tx_ctx q;
  memset(&q, 0, sizeof q);
  char msg[512];
  msg[0] = 0;
  q.file = "quote";
  q.src = text;
  q.srclen = len;
  q.err = msg;
  q.errlen = sizeof msg;
  int rc = tx_lex(&q);
  tx_buf qo = {0};
  if (rc == 0) {
    quote_arg a = {&qo};
    rc = tx_protect(&q, quote_body, &a);
  }
  if (rc == 0) tx_put(c, out, qo.p, qo.len);
  tx_free_all(&q);
  free(q.toks);
  if (rc) tx_fail(c, at, "%s", msg);
}

void tx_encode_module(tx_ctx *c, tx_buf *out, const tx_token **id) {
  size_t close = c->toks[c->i].match;
  c->i += 2;
  *id = NULL;
  if (tx_is_kw(tx_peek(c, 0), "definition")) c->i++;
  if (tx_peek(c, 0)->kind == TX_ID) *id = &c->toks[c->i++];
  const tx_token *t = tx_peek(c, 0);
  if (tx_is_kw(t, "binary") || tx_is_kw(t, "quote")) {
    bool quote = t->p[0] == 'q';
    c->i++;
    tx_buf b = {0};
    while (c->i < close) {
      size_t n;
      uint8_t *s = tx_string(c, tx_peek(c, 0), &n, false);
      tx_put(c, &b, s, n);
      c->i++;
    }
    if (quote)
      encode_quote(c, t, (const char *)b.p, b.len, out);
    else
      tx_put(c, out, b.p, b.len);
    tx_buf_free(c, &b);
  } else {
    tx_encode_fields(c, close, out);
  }
  c->i = close + 1;
}

typedef struct whole_arg {
  tx_buf out;
} whole_arg;

static void whole_body(tx_ctx *c, void *arg) {
  whole_arg *a = arg;
  if (c->ntoks == 1) { /* empty text: an empty module */
    tx_encode_fields(c, 0, &a->out);
    return;
  }
  encode_whole(c, &a->out, c->ntoks - 1);
}

bool aw_wat_to_wasm(const char *name, const char *text, size_t len,
                    uint8_t **wasm, size_t *wasm_len, aw_error *err) {
  aw_error_clear(err);
  if (!wasm || !wasm_len || (!text && len)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_wat_to_wasm: NULL argument");
    return false;
  }
  *wasm = NULL;
  *wasm_len = 0;
  tx_ctx c;
  char msg[AW_ERROR_MESSAGE_MAX];
  int rc = tx_begin(&c, name, text, len, msg, sizeof msg);
  whole_arg a;
  memset(&a, 0, sizeof a);
  if (rc == 0) rc = tx_protect(&c, whole_body, &a);
  if (rc == 0) {
    *wasm_len = a.out.len;
    *wasm = tx_buf_take(&c, &a.out);
  }
  tx_free_all(&c);
  free(c.toks);
  if (rc) {
    bool nomem = strstr(msg, ": out of memory") != NULL;
    aw_fail(err, nomem ? AW_ERR_NOMEM : AW_ERR_MALFORMED, UINT64_MAX, "%s",
            msg);
    return false;
  }
  return true;
}

void aw_text_free(void *p) {
  free(p);
}

aw_module *aw_module_new_wat(aw_engine *engine, const char *text, size_t len,
                             aw_error *err) {
  uint8_t *wasm;
  size_t n;
  if (!aw_wat_to_wasm(NULL, text, len, &wasm, &n, err)) return NULL;
  aw_module *m = aw_module_new(engine, wasm, n, err);
  free(wasm);
  return m;
}
