/*
 * wast.c - aw_wast_to_json: a .wast script -> the JSON command list that
 * wast2json writes, with every module inline ("wasm_hex") or, when its
 * text cannot be encoded, the message ("parse_error").
 *
 * Each module is encoded on its own: its error does not stop the script,
 * and the allocations made for it are released after it.
 */
#include "airssys/text.h"
#include "text/internal.h"
#include "util/util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jw {
  tx_ctx *c;
  tx_buf b;
} jw;

static void js(jw *w, const char *s) {
  tx_put(w->c, &w->b, s, strlen(s));
}

static void jf(jw *w, const char *fmt, ...) TX_PRINTF(2, 3);
static void jf(jw *w, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  tx_put(w->c, &w->b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string; bytes >= 0x80 are copied (valid UTF-8 is the caller's
   business) unless ascii, when they become '?'. */
static void jstr(jw *w, const uint8_t *s, size_t n, bool ascii) {
  tx_byte(w->c, &w->b, '"');
  for (size_t i = 0; i < n; i++) {
    uint8_t ch = s[i];
    if (ch == '"' || ch == '\\') {
      tx_byte(w->c, &w->b, '\\');
      tx_byte(w->c, &w->b, ch);
    } else if (ch < 0x20 || ch == 0x7F) {
      jf(w, "\\u%04x", ch);
    } else if (ch >= 0x80 && ascii) {
      tx_byte(w->c, &w->b, '?');
    } else {
      tx_byte(w->c, &w->b, ch);
    }
  }
  tx_byte(w->c, &w->b, '"');
}

/* "N": an unsigned decimal string, without printf. */
static void jnum(jw *w, uint64_t v) {
  char b[24];
  size_t k = sizeof b;
  b[--k] = '"';
  do {
    b[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  b[--k] = '"';
  tx_put(w->c, &w->b, b + k, sizeof b - k);
}

static void jtok(jw *w, const tx_token *t) {
  jstr(w, (const uint8_t *)t->p, t->len, true);
}

static const tx_token *cur(tx_ctx *c) {
  return tx_peek(c, 0);
}

/* ---- modules --------------------------------------------------------- */

typedef struct mod_arg {
  tx_buf out;
  const tx_token *id;
} mod_arg;

static void mod_body(tx_ctx *c, void *arg) {
  mod_arg *a = arg;
  tx_encode_module(c, &a->out, &a->id);
}

/* The module at c->i ("(module ..."): writes ,"name":..,"wasm_hex":..
   or "parse_error"; c->i moves past it either way. */
static void module_fields(jw *w, bool with_name) {
  tx_ctx *c = w->c;
  size_t close = c->toks[c->i].match;
  if (!tx_is_kw(tx_peek(c, 1), "module"))
    tx_fail(c, tx_peek(c, 1), "unexpected token, expected module");
  const tx_token *idt =
      tx_peek(c, tx_is_kw(tx_peek(c, 2), "definition") ? 3 : 2);
  mod_arg a;
  memset(&a, 0, sizeof a);
  char msg[512];
  char *saved = c->err;
  size_t savedlen = c->errlen;
  c->err = msg;
  c->errlen = sizeof msg;
  msg[0] = 0;
  int rc = tx_protect(c, mod_body, &a);
  c->err = saved;
  c->errlen = savedlen;
  if (with_name && idt->kind == TX_ID) {
    js(w, ",\"name\":");
    jtok(w, idt);
  }
  js(w, ",\"module_type\":\"binary\"");
  if (rc) {
    js(w, ",\"parse_error\":");
    jstr(w, (const uint8_t *)msg, strlen(msg), true);
  } else {
    js(w, ",\"wasm_hex\":\"");
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < a.out.len; i++) {
      tx_byte(c, &w->b, (uint8_t)hex[a.out.p[i] >> 4]);
      tx_byte(c, &w->b, (uint8_t)hex[a.out.p[i] & 15]);
    }
    js(w, "\"");
  }
  tx_buf_free(c, &a.out);
  c->i = close + 1;
}

/* ---- values ------------------------------------------------------------ */

static void lanes_value(jw *w, bool expected) {
  tx_ctx *c = w->c;
  const tx_token *shape = cur(c);
  static const char *const shapes[] = {"i8x16", "i16x8", "i32x4",
                                       "i64x2", "f32x4", "f64x2"};
  static const char *const lt[] = {"i8", "i16", "i32", "i64", "f32", "f64"};
  int s = -1;
  for (int k = 0; k < 6; k++)
    if (tx_is_kw(shape, shapes[k])) s = k;
  if (s < 0) tx_fail(c, shape, "unexpected token, expected a vector shape");
  c->i++;
  unsigned lanes = s == 0 ? 16 : s == 1 ? 8 : (s == 2 || s == 4) ? 4 : 2;
  jf(w, "{\"type\":\"v128\",\"lane_type\":\"%s\",\"value\":[", lt[s]);
  for (unsigned i = 0; i < lanes; i++) {
    const tx_token *t = cur(c);
    if (i) js(w, ",");
    if (expected && (s == 4 || s == 5) &&
        (tx_is_kw(t, "nan:canonical") || tx_is_kw(t, "nan:arithmetic"))) {
      jtok(w, t);
    } else {
      uint64_t v;
      if (s == 4)
        v = tx_parse_f32(c, t);
      else if (s == 5)
        v = tx_parse_f64(c, t);
      else
        v = tx_parse_int(c, t, 128 / lanes);
      jnum(w, v);
    }
    c->i++;
  }
  js(w, "]}");
}

/* One (t.const ...) / (ref.null ...) / (ref.extern N) / (ref.func) ... */
static void value(jw *w, bool expected) {
  tx_ctx *c = w->c;
  tx_expect_lpar(c);
  const tx_token *k = cur(c);
  c->i++;
  if (tx_is_kw(k, "i32.const") || tx_is_kw(k, "i64.const")) {
    bool i64 = k->p[1] == '6';
    uint64_t v = tx_parse_int(c, cur(c), i64 ? 64 : 32);
    c->i++;
    js(w,
       i64 ? "{\"type\":\"i64\",\"value\":" : "{\"type\":\"i32\",\"value\":");
    jnum(w, v);
    js(w, "}");
  } else if (tx_is_kw(k, "f32.const") || tx_is_kw(k, "f64.const")) {
    bool f64 = k->p[1] == '6';
    const tx_token *t = cur(c);
    if (expected &&
        (tx_is_kw(t, "nan:canonical") || tx_is_kw(t, "nan:arithmetic"))) {
      jf(w, "{\"type\":\"%s\",\"value\":", f64 ? "f64" : "f32");
      jtok(w, t);
      js(w, "}");
    } else {
      uint64_t v = f64 ? tx_parse_f64(c, t) : tx_parse_f32(c, t);
      js(w,
         f64 ? "{\"type\":\"f64\",\"value\":" : "{\"type\":\"f32\",\"value\":");
      jnum(w, v);
      js(w, "}");
    }
    c->i++;
  } else if (tx_is_kw(k, "v128.const")) {
    lanes_value(w, expected);
  } else if (tx_is_kw(k, "ref.null")) {
    const tx_token *t = cur(c);
    if (t->kind == TX_RPAR && expected) {
      js(w, "{\"type\":\"refnull\"}");
    } else {
      static const char *const hts[][2] = {{"func", "funcref"},
                                           {"extern", "externref"},
                                           {"exn", "exnref"},
                                           {"any", "anyref"},
                                           {"eq", "eqref"},
                                           {"i31", "i31ref"},
                                           {"struct", "structref"},
                                           {"array", "arrayref"},
                                           {"none", "nullref"},
                                           {"nofunc", "nullfuncref"},
                                           {"noextern", "nullexternref"},
                                           {"noexn", "nullexnref"}};
      const char *ty = NULL;
      for (size_t i = 0; i < sizeof hts / sizeof hts[0]; i++)
        if (tx_is_kw(t, hts[i][0])) ty = hts[i][1];
      if (!ty) tx_fail(c, t, "unsupported reference type in a script value");
      c->i++;
      jf(w, "{\"type\":\"%s\",\"value\":\"null\"}", ty);
    }
  } else if (tx_is_kw(k, "ref.host")) {
    uint64_t v = tx_parse_u64(c, cur(c));
    c->i++;
    jf(w, "{\"type\":\"hostref\",\"value\":\"%" PRIu64 "\"}", v);
  } else if (expected && (tx_is_kw(k, "ref.exn") || tx_is_kw(k, "ref.any") ||
                          tx_is_kw(k, "ref") || tx_is_kw(k, "ref.eq") ||
                          tx_is_kw(k, "ref.i31") || tx_is_kw(k, "ref.struct") ||
                          tx_is_kw(k, "ref.array"))) {
    const char *ht = k->len == 3 ? "any" : k->p + 4;
    size_t hl = k->len == 3 ? 3 : k->len - 4;
    jf(w, "{\"type\":\"ref\",\"heaptype\":\"%.*s\"}", (int)hl, ht);
  } else if (tx_is_kw(k, "ref.extern")) {
    if (cur(c)->kind == TX_RPAR && expected) {
      js(w, "{\"type\":\"externref\"}");
    } else {
      uint64_t v = tx_parse_u64(c, cur(c));
      c->i++;
      jf(w, "{\"type\":\"externref\",\"value\":\"%" PRIu64 "\"}", v);
    }
  } else if (tx_is_kw(k, "ref.func") && expected) {
    if (cur(c)->kind != TX_RPAR) c->i++;
    js(w, "{\"type\":\"funcref\"}");
  } else {
    tx_fail(c, k, "unsupported value in the script: %.*s",
            (int)(k->len > 40 ? 40 : k->len), k->p);
  }
  tx_expect_rpar(c);
}

/* (invoke $id? "name" value*) | (get $id? "name") */
static void action(jw *w) {
  tx_ctx *c = w->c;
  tx_expect_lpar(c);
  const tx_token *k = cur(c);
  bool invoke = tx_is_kw(k, "invoke");
  if (!invoke && !tx_is_kw(k, "get"))
    tx_fail(c, k, "unexpected token, expected invoke or get");
  c->i++;
  jf(w, "\"action\":{\"type\":\"%s\"", invoke ? "invoke" : "get");
  if (cur(c)->kind == TX_ID) {
    js(w, ",\"module\":");
    jtok(w, cur(c));
    c->i++;
  }
  size_t n;
  uint8_t *name = tx_string(c, cur(c), &n, true);
  c->i++;
  js(w, ",\"field\":");
  jstr(w, name, n, false);
  if (invoke) {
    js(w, ",\"args\":[");
    bool first = true;
    while (cur(c)->kind == TX_LPAR) {
      if (!first) js(w, ",");
      first = false;
      value(w, false);
    }
    js(w, "]");
  }
  js(w, "}");
  tx_expect_rpar(c);
}

static void text_field(jw *w) {
  tx_ctx *c = w->c;
  size_t n;
  uint8_t *s = tx_string(c, cur(c), &n, false);
  c->i++;
  js(w, ",\"text\":");
  jstr(w, s, n, true);
}

/* ---- commands ------------------------------------------------------------ */

static void command(jw *w, bool *first) {
  tx_ctx *c = w->c;
  if (cur(c)->kind != TX_LPAR) tx_fail(c, cur(c), "expected a command");
  const tx_token *open = cur(c);
  size_t close = open->match;
  const tx_token *k = tx_peek(c, 1);
  if (!*first) js(w, ",\n");
  *first = false;
  js(w, "{\"type\":");
  if (tx_is_kw(k, "module") && tx_is_kw(tx_peek(c, 2), "instance")) {
    /* (module instance $I $M?) */
    c->i += 3;
    js(w, "\"module_instance\"");
    jf(w, ",\"line\":%u", open->line);
    if (cur(c)->kind == TX_ID) {
      js(w, ",\"name\":");
      jtok(w, cur(c));
      c->i++;
    }
    if (cur(c)->kind == TX_ID) {
      js(w, ",\"module\":");
      jtok(w, cur(c));
      c->i++;
    }
    tx_expect_rpar(c);
  } else if (tx_is_kw(k, "module")) {
    js(w, "\"module\"");
    jf(w, ",\"line\":%u", open->line);
    if (tx_is_kw(tx_peek(c, 2), "definition"))
      js(w, ",\"definition\":\"true\"");
    module_fields(w, true);
  } else if (tx_is_kw(k, "register")) {
    c->i += 2;
    js(w, "\"register\"");
    jf(w, ",\"line\":%u", open->line);
    size_t n;
    uint8_t *as = tx_string(c, cur(c), &n, true);
    c->i++;
    js(w, ",\"as\":");
    jstr(w, as, n, false);
    if (cur(c)->kind == TX_ID) {
      js(w, ",\"name\":");
      jtok(w, cur(c));
      c->i++;
    }
    tx_expect_rpar(c);
  } else if (tx_is_kw(k, "invoke") || tx_is_kw(k, "get")) {
    js(w, "\"action\"");
    jf(w, ",\"line\":%u,", open->line);
    action(w);
  } else if (tx_is_kw(k, "assert_return")) {
    c->i += 2;
    js(w, "\"assert_return\"");
    jf(w, ",\"line\":%u,", open->line);
    action(w);
    if (tx_is_lpar_kw(c, "either")) {
      /* (either r1 r2 ...) as the only result */
      c->i += 2;
      js(w, ",\"either\":[");
      bool f = true;
      while (cur(c)->kind == TX_LPAR) {
        if (!f) js(w, ",");
        f = false;
        value(w, true);
      }
      js(w, "]");
      tx_expect_rpar(c);
    } else {
      js(w, ",\"expected\":[");
      bool f = true;
      while (cur(c)->kind == TX_LPAR) {
        if (!f) js(w, ",");
        f = false;
        value(w, true);
      }
      js(w, "]");
    }
    tx_expect_rpar(c);
  } else if (tx_is_kw(k, "assert_exception")) {
    c->i += 2;
    js(w, "\"assert_exception\"");
    jf(w, ",\"line\":%u,", open->line);
    action(w);
    tx_expect_rpar(c);
  } else if (tx_is_kw(k, "assert_trap") || tx_is_kw(k, "assert_exhaustion")) {
    c->i += 2;
    bool exh = k->p[7] == 'e';
    if (!exh && tx_is_lpar_kw(c, "module")) {
      js(w, "\"assert_uninstantiable\"");
      jf(w, ",\"line\":%u", open->line);
      module_fields(w, false);
    } else {
      jf(w, "\"%s\"", exh ? "assert_exhaustion" : "assert_trap");
      jf(w, ",\"line\":%u,", open->line);
      action(w);
    }
    text_field(w);
    tx_expect_rpar(c);
  } else if (tx_is_kw(k, "assert_malformed") || tx_is_kw(k, "assert_invalid") ||
             tx_is_kw(k, "assert_unlinkable")) {
    c->i += 2;
    js(w, "\"");
    tx_put(c, &w->b, k->p, k->len);
    js(w, "\"");
    jf(w, ",\"line\":%u", open->line);
    module_fields(w, false);
    text_field(w);
    tx_expect_rpar(c);
  } else {
    js(w, "\"unsupported\"");
    jf(w, ",\"line\":%u,\"command\":", open->line);
    jtok(w, k);
    c->i = close + 1;
  }
  js(w, "}");
  if (c->i != close + 1) tx_fail(c, cur(c), "unexpected token in command");
}

typedef struct script_arg {
  jw w;
} script_arg;

static void script_body(tx_ctx *c, void *arg) {
  script_arg *a = arg;
  jw *w = &a->w;
  js(w, "{\"source_filename\":");
  jstr(w, (const uint8_t *)c->file, strlen(c->file), true);
  js(w, ",\"commands\":[\n");
  bool first = true;
  /* A script may be a bare module: fields only. */
  static const char *const fields[] = {"type",   "import", "func",   "table",
                                       "memory", "global", "export", "start",
                                       "elem",   "data",   "rec",    "tag"};
  for (size_t k = 0; c->ntoks > 2 && k < sizeof fields / sizeof fields[0];
       k++) {
    if (!tx_is_kw(&c->toks[1], fields[k])) continue;
    mod_arg mo;
    memset(&mo, 0, sizeof mo);
    tx_encode_fields(c, c->ntoks - 1, &mo.out);
    js(w, "{\"type\":\"module\",\"line\":1,\"module_type\":\"binary\"");
    js(w, ",\"wasm_hex\":\"");
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < mo.out.len; i++) {
      tx_byte(c, &w->b, (uint8_t)hex[mo.out.p[i] >> 4]);
      tx_byte(c, &w->b, (uint8_t)hex[mo.out.p[i] & 15]);
    }
    js(w, "\"}]}\n");
    tx_byte(c, &w->b, 0);
    return;
  }
  while (cur(c)->kind != TX_EOF) {
    size_t mark = c->nallocs;
    command(w, &first);
    /* Free what the command allocated (the JSON buffer was made before
       the mark, or moves within its own slot). */
    if (w->b.slot > mark) {
      /* keep the JSON buffer: move it below the mark */
      c->allocs[w->b.slot - 1] = NULL;
      tx_free_since(c, mark);
      size_t slot = c->nallocs;
      c->allocs[slot] = w->b.p;
      c->nallocs = slot + 1;
      w->b.slot = slot + 1;
    } else {
      tx_free_since(c, mark);
    }
  }
  js(w, "]}\n");
  tx_byte(c, &w->b, 0);
}

bool aw_wast_to_json(const char *name, const char *text, size_t len,
                     char **json, size_t *json_len, aw_error *err) {
  aw_error_clear(err);
  if (!json || !json_len || (!text && len)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_wast_to_json: NULL argument");
    return false;
  }
  *json = NULL;
  *json_len = 0;
  tx_ctx c;
  char msg[AW_ERROR_MESSAGE_MAX];
  int rc = tx_begin(&c, name, text, len, msg, sizeof msg);
  script_arg a;
  memset(&a, 0, sizeof a);
  a.w.c = &c;
  if (rc == 0) rc = tx_protect(&c, script_body, &a);
  if (rc == 0) {
    *json_len = a.w.b.len - 1;
    *json = (char *)tx_buf_take(&c, &a.w.b);
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
