/*
 * wat.c - the module encoder: text-format module fields -> binary format.
 *
 * Two passes over the fields.  The first gives every definition its index
 * (imports first in their index space, as the text requires) and records
 * identifiers and explicit type definitions; the second writes each
 * section's contents, resolving identifiers and type uses (a type use
 * without a matching type appends one, as the spec's abbreviation says).
 * The sections are then put together in the binary order.  The result is
 * only encoded here; decoding and validation are the engine's.
 */
#include "text/internal.h"
#include "text/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names --------------------------------------------------------------- */

typedef struct nament {
  const char *p;
  uint32_t len, idx;
} nament;

typedef struct names {
  nament *tab;
  uint32_t cap, n;
  uint32_t key; /* the context's random hash key */
} names;

/* FNV-1a from a keyed start, then murmur3's finaliser: without the key
   (random per parse) names cannot be chosen to share a slot. */
static uint32_t hash_name(uint32_t key, const char *p, size_t n) {
  uint32_t h = 2166136261u ^ key;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)p[i]) * 16777619u;
  h ^= key >> 7;
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

static bool names_find(const names *s, const char *p, uint32_t len,
                       uint32_t *idx) {
  if (!s->cap) return false;
  uint32_t h = hash_name(s->key, p, len) & (s->cap - 1);
  while (s->tab[h].p) {
    if (s->tab[h].len == len && !memcmp(s->tab[h].p, p, len)) {
      *idx = s->tab[h].idx;
      return true;
    }
    h = (h + 1) & (s->cap - 1);
  }
  return false;
}

/* The name an identifier stands for: $abc -> "abc", $"a\62c" -> "abc". */
static void id_key(tx_ctx *c, const tx_token *t, const char **p, uint32_t *n) {
  if (t->len >= 3 && t->p[1] == '"') {
    tx_token s = *t;
    s.p++;
    s.len--;
    s.kind = TX_STRING;
    size_t len;
    uint8_t *d = tx_string(c, &s, &len, true);
    if (len == 0) tx_fail(c, t, "empty identifier");
    *p = (const char *)d;
    *n = (uint32_t)len;
    return;
  }
  *p = t->p + 1;
  *n = t->len - 1;
}

static bool names_find_id(tx_ctx *c, const names *s, const tx_token *t,
                          uint32_t *idx) {
  const char *p;
  uint32_t n;
  id_key(c, t, &p, &n);
  return names_find(s, p, n, idx);
}

static void names_add(tx_ctx *c, names *s, const tx_token *id, uint32_t idx,
                      const char *what) {
  if (!id) return;
  uint32_t dummy;
  const char *kp;
  uint32_t kn;
  id_key(c, id, &kp, &kn);
  if (names_find(s, kp, kn, &dummy))
    tx_fail(c, id, "duplicate %s %.*s", what, (int)id->len, id->p);
  if (!s->cap) s->key = c->hash_key;
  if ((s->n + 1) * 2 > s->cap) {
    uint32_t cap = s->cap ? s->cap * 2 : 16;
    nament *t = tx_alloc(c, cap * sizeof *t);
    for (uint32_t i = 0; i < s->cap; i++) {
      if (!s->tab[i].p) continue;
      uint32_t h = hash_name(s->key, s->tab[i].p, s->tab[i].len) & (cap - 1);
      while (t[h].p)
        h = (h + 1) & (cap - 1);
      t[h] = s->tab[i];
    }
    s->tab = t; /* the old table is freed with the context */
    s->cap = cap;
  }
  uint32_t h = hash_name(s->key, kp, kn) & (s->cap - 1);
  while (s->tab[h].p)
    h = (h + 1) & (s->cap - 1);
  s->tab[h] = (nament){kp, kn, idx};
  s->n++;
}

/* ---- module state ------------------------------------------------------ */

enum { S_TYPE, S_FUNC, S_TABLE, S_MEM, S_GLOBAL, S_TAG, S_ELEM, S_DATA, S_N };
static const char *const k_space[S_N] = {"type",         "function",    "table",
                                         "memory",       "global",      "tag",
                                         "elem segment", "data segment"};

/* A value type: bits 0-7 the first byte (a number/vector/reference type,
   or 0x63 / 0x64 for (ref null ht) / (ref ht)); then, for those two, bit 8
   set when the heap type is a type index, and bits 16-47 the heap type
   (its byte, or the index). Storage types i8 / i16 are 0x78 / 0x77. */
typedef uint64_t vt_t;

static vt_t vt_ref(bool null, bool index, uint32_t ht) {
  return (vt_t)(null ? 0x63 : 0x64) | ((vt_t)index << 8) | ((vt_t)ht << 16);
}

typedef struct functype {
  uint32_t np, nr;
  vt_t *params, *results;
} functype;

/* A type definition: its encoding (sub/comptype, without the rec group)
   and, for function types, the signature. */
typedef struct typedef_ {
  functype ft;
  bool is_func;
  bool plain;       /* final, no supertype, alone in its rec group */
  uint32_t rec_len; /* at the first type of an explicit (rec ...): its size;
                       0 inside a group; 1 for a type outside any group */
  bool in_rec;      /* written inside "(rec ...)" */
  tx_buf enc;
  names fields; /* struct field names */
  bool bare;    /* a comptype without (sub ...), or (sub final comptype) */
} typedef_;

typedef struct module {
  tx_ctx *c;
  names ns[S_N];
  uint32_t count[S_N]; /* definitions so far (pass 1) */
  uint32_t imports[S_N];
  typedef_ *types;
  uint32_t ntypes, captypes;
  uint32_t nexplicit_types;
  uint8_t *mem64, *tab64; /* per memory / table: an i64 index type */
  uint32_t capmem, captab, nmem64, ntab64;
  tx_buf sec_tag;
  uint32_t n_tag;
  vt_t *empty_recs; /* type index before which an empty (rec) stands */
  uint32_t nempty, capempty;
  /* pass 2 output */
  tx_buf sec_type, sec_import, sec_func, sec_table, sec_mem, sec_global,
      sec_export, sec_elem, sec_code, sec_data;
  uint32_t n_import, n_func, n_table, n_mem, n_global, n_export, n_elem, n_code,
      n_data;
  bool has_start;
  uint32_t start;
  bool uses_datacount;
  bool defined_any; /* a func/table/memory/global definition was seen */
} module;

/* Per-function state. */
typedef struct func {
  names locals;
  uint32_t nlocals;
  vt_t *ltypes; /* types of the locals (params first) */
  uint32_t capl;
  const tx_token **labels;
  uint32_t nlabels, caplabels;
  tx_buf *out;
  unsigned depth;
} func;

/* ---- small parsing helpers ---------------------------------------------- */

static const tx_token *cur(tx_ctx *c) {
  return tx_peek(c, 0);
}

static const tx_token *opt_id(tx_ctx *c) {
  const tx_token *t = cur(c);
  if (t->kind != TX_ID) return NULL;
  c->i++;
  return t;
}

/* Index of the ")" closing the "(" at c->i. */
static size_t close_of(tx_ctx *c) {
  return c->toks[c->i].match;
}

static TX_NORETURN void unexpected(tx_ctx *c, const tx_token *t) {
  if (t->kind == TX_RPAR) tx_fail(c, t, "unexpected token \")\"");
  if (t->kind == TX_LPAR) tx_fail(c, t, "unexpected token \"(\"");
  if (t->kind == TX_EOF) tx_fail(c, t, "unexpected end of input");
  tx_fail(c, t, "unexpected token \"%.*s\"", (int)(t->len > 40 ? 40 : t->len),
          t->p);
}

static void grow_types(module *m) {
  if (m->ntypes == m->captypes) {
    if (m->ntypes >= TX_MAX_ITEMS) tx_fail(m->c, cur(m->c), "too many types");
    m->captypes = m->captypes ? m->captypes * 2 : 16;
    m->types = tx_realloc(m->c, m->types, m->captypes * sizeof *m->types);
  }
}

/* Abstract heap types and their bytes; the shorthand reference types. */
static const struct {
  const char *name;
  uint8_t b;
} k_heap[] = {{"func", 0x70},   {"extern", 0x6F},   {"any", 0x6E},
              {"eq", 0x6D},     {"i31", 0x6C},      {"struct", 0x6B},
              {"array", 0x6A},  {"exn", 0x69},      {"noexn", 0x74},
              {"nofunc", 0x73}, {"noextern", 0x72}, {"none", 0x71}};

static const struct {
  const char *name;
  uint8_t b;
} k_simple[] = {
    {"i32", 0x7F},           {"i64", 0x7E},        {"f32", 0x7D},
    {"f64", 0x7C},           {"v128", 0x7B},       {"funcref", 0x70},
    {"externref", 0x6F},     {"anyref", 0x6E},     {"eqref", 0x6D},
    {"i31ref", 0x6C},        {"structref", 0x6B},  {"arrayref", 0x6A},
    {"exnref", 0x69},        {"nullexnref", 0x74}, {"nullfuncref", 0x73},
    {"nullexternref", 0x72}, {"nullref", 0x71}};

static uint32_t index_of(module *m, int space);

/* A heap type at c->i: an abstract one or a type index.  *index tells. */
static uint32_t heap(module *m, bool *index) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  for (size_t i = 0; i < sizeof k_heap / sizeof k_heap[0]; i++) {
    if (tx_is_kw(t, k_heap[i].name)) {
      c->i++;
      *index = false;
      return k_heap[i].b;
    }
  }
  if (t->kind == TX_ID || t->kind == TX_NUM) {
    *index = true;
    return index_of(m, S_TYPE);
  }
  tx_fail(c, t, "malformed heap type");
}

/* A value type at c->i, consumed; false (nothing consumed) if none. */
static bool try_valtype(module *m, vt_t *out) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  if (t->kind == TX_KEYWORD) {
    for (size_t i = 0; i < sizeof k_simple / sizeof k_simple[0]; i++) {
      if (tx_is_kw(t, k_simple[i].name)) {
        c->i++;
        *out = k_simple[i].b;
        return true;
      }
    }
    return false;
  }
  if (t->kind == TX_LPAR && tx_is_kw(tx_peek(c, 1), "ref")) {
    c->i += 2;
    bool null = false;
    if (tx_is_kw(cur(c), "null")) {
      null = true;
      c->i++;
    }
    bool idx;
    uint32_t ht = heap(m, &idx);
    tx_expect_rpar(c);
    /* (ref null func) etc. are their shorthands */
    *out = null && !idx ? ht : vt_ref(null, idx, ht);
    return true;
  }
  return false;
}

static bool is_valtype_start(module *m) {
  size_t save = m->c->i;
  vt_t v;
  if (!try_valtype(m, &v)) return false;
  m->c->i = save;
  return true;
}

static vt_t valtype(module *m) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  vt_t v;
  if (!try_valtype(m, &v)) {
    if (t->kind == TX_KEYWORD)
      tx_fail(c, t, "unknown type \"%.*s\"", (int)(t->len > 40 ? 40 : t->len),
              t->p);
    unexpected(c, t);
  }
  return v;
}

static bool is_ref(vt_t v) {
  uint8_t b = (uint8_t)v;
  return b == 0x63 || b == 0x64 || (b >= 0x69 && b <= 0x74 && b != 0x7B);
}

static vt_t reftype(module *m) {
  const tx_token *t = cur(m->c);
  size_t save = m->c->i;
  vt_t v;
  if (try_valtype(m, &v) && is_ref(v)) return v;
  m->c->i = save;
  tx_fail(m->c, t, "malformed reference type");
}

static void put_vt(tx_ctx *c, tx_buf *out, vt_t v) {
  uint8_t b = (uint8_t)v;
  tx_byte(c, out, b);
  if (b != 0x63 && b != 0x64) return;
  uint32_t ht = (uint32_t)(v >> 16);
  if (v & 0x100)
    tx_s64(c, out, (int64_t)ht);
  else
    tx_byte(c, out, (uint8_t)ht);
}

/* Appends to a growable array of value types (tracked by c). */
static void push_vt(tx_ctx *c, vt_t **arr, uint32_t *n, uint32_t *cap, vt_t v) {
  if (*n == *cap) {
    if (*n >= TX_MAX_ITEMS) tx_fail(c, cur(c), "too many values");
    *cap = *cap ? *cap * 2 : 8;
    *arr = tx_realloc(c, *arr, *cap * sizeof **arr);
  }
  (*arr)[(*n)++] = v;
}

/* (param $id? t) | (param t*) ... (result t*) ...; f (may be NULL) gets
   the param names. allow_names: ids allowed on params. */
static void params_results(module *m, functype *ft, func *f, bool allow_names) {
  tx_ctx *c = m->c;
  uint32_t capp = 0, capr = 0;
  ft->np = ft->nr = 0;
  ft->params = ft->results = NULL;
  while (tx_is_lpar_kw(c, "param")) {
    c->i += 2;
    const tx_token *id = opt_id(c);
    if (id) {
      if (!allow_names) tx_fail(c, id, "unexpected token (parameter name)");
      vt_t t = valtype(m);
      if (f) names_add(c, &f->locals, id, ft->np, "local");
      push_vt(c, &ft->params, &ft->np, &capp, t);
    } else {
      while (cur(c)->kind != TX_RPAR)
        push_vt(c, &ft->params, &ft->np, &capp, valtype(m));
    }
    tx_expect_rpar(c);
  }
  while (tx_is_lpar_kw(c, "result")) {
    c->i += 2;
    while (cur(c)->kind != TX_RPAR)
      push_vt(c, &ft->results, &ft->nr, &capr, valtype(m));
    tx_expect_rpar(c);
  }
  if (tx_is_lpar_kw(c, "param"))
    tx_fail(c, cur(c), "unexpected token (param after result)");
}

static bool same_type(const functype *a, const functype *b) {
  return a->np == b->np && a->nr == b->nr &&
         (!a->np || !memcmp(a->params, b->params, a->np * sizeof(vt_t))) &&
         (!a->nr || !memcmp(a->results, b->results, a->nr * sizeof(vt_t)));
}

static void encode_functype(tx_ctx *c, tx_buf *out, const functype *ft) {
  tx_byte(c, out, 0x60);
  tx_u32(c, out, ft->np);
  for (uint32_t i = 0; i < ft->np; i++)
    put_vt(c, out, ft->params[i]);
  tx_u32(c, out, ft->nr);
  for (uint32_t i = 0; i < ft->nr; i++)
    put_vt(c, out, ft->results[i]);
}

static uint32_t find_or_add_type(module *m, const functype *ft) {
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (m->types[i].is_func && m->types[i].plain &&
        same_type(&m->types[i].ft, ft))
      return i;
  grow_types(m);
  typedef_ *t = &m->types[m->ntypes];
  memset(t, 0, sizeof *t);
  t->ft = *ft;
  t->is_func = t->plain = true;
  t->rec_len = 1;
  encode_functype(m->c, &t->enc, ft);
  return m->ntypes++;
}

/* An index into a space: a u32 or an identifier. */
static uint32_t index_of(module *m, int space) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  if (t->kind == TX_NUM) {
    c->i++;
    return tx_parse_u32(c, t);
  }
  if (t->kind == TX_ID) {
    uint32_t idx;
    if (!names_find_id(c, &m->ns[space], t, &idx))
      tx_fail(c, t, "unknown %s %.*s", k_space[space], (int)t->len, t->p);
    c->i++;
    return idx;
  }
  tx_fail(c, t, "unexpected token, expected a %s index", k_space[space]);
}

static bool at_index(tx_ctx *c) {
  const tx_token *t = cur(c);
  return t->kind == TX_ID || t->kind == TX_NUM;
}

/* typeuse: (type x)? params results.  Returns the type index; ft gets the
   signature (of x when only (type x) is given). */
static uint32_t typeuse(module *m, func *f, bool allow_names,
                        functype *ft_out) {
  tx_ctx *c = m->c;
  bool has_type = false;
  uint32_t idx = 0;
  const tx_token *at = cur(c);
  if (tx_is_lpar_kw(c, "type")) {
    c->i += 2;
    idx = index_of(m, S_TYPE);
    tx_expect_rpar(c);
    has_type = true;
  }
  functype ft;
  params_results(m, &ft, f, allow_names);
  if (!has_type) {
    idx = find_or_add_type(m, &ft);
    if (ft_out) *ft_out = ft;
    return idx;
  }
  if (idx >= m->ntypes) {
    /* Unknown type index: leave it to the validator, no signature. */
    if (ft.np || ft.nr) tx_fail(c, at, "inline function type");
    if (ft_out) *ft_out = ft;
    return idx;
  }
  if (!m->types[idx].is_func) {
    if (ft_out) *ft_out = ft;
    return idx; /* not a function type: the validator's business */
  }
  if ((ft.np || ft.nr) && !same_type(&ft, &m->types[idx].ft))
    tx_fail(c, at, "inline function type");
  if (ft_out) *ft_out = m->types[idx].ft;
  return idx;
}

/* ---- instructions ---------------------------------------------------- */

static void instrs(module *m, func *f, size_t stop);

static void push_label(module *m, func *f, const tx_token *id) {
  if (f->nlabels == f->caplabels) {
    if (f->nlabels >= TX_MAX_DEPTH * 4)
      tx_fail(m->c, cur(m->c), "blocks nested too deep");
    f->caplabels = f->caplabels ? f->caplabels * 2 : 16;
    f->labels = tx_realloc(m->c, f->labels, f->caplabels * sizeof *f->labels);
  }
  f->labels[f->nlabels++] = id;
}

static uint32_t label_index(module *m, func *f) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  if (t->kind == TX_NUM) {
    c->i++;
    return tx_parse_u32(c, t);
  }
  if (t->kind == TX_ID) {
    const char *tp;
    uint32_t tn;
    id_key(c, t, &tp, &tn);
    for (uint32_t k = f->nlabels; k-- > 0;) {
      const tx_token *l = f->labels[k];
      const char *lp;
      uint32_t ln;
      if (l) id_key(c, l, &lp, &ln);
      if (l && ln == tn && !memcmp(lp, tp, tn)) {
        c->i++;
        return f->nlabels - 1 - k;
      }
    }
    tx_fail(c, t, "unknown label %.*s", (int)t->len, t->p);
  }
  tx_fail(c, t, "unexpected token, expected a label");
}

static uint32_t local_index(module *m, func *f) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  if (t->kind == TX_ID) {
    uint32_t idx;
    if (!names_find_id(c, &f->locals, t, &idx))
      tx_fail(c, t, "unknown local %.*s", (int)t->len, t->p);
    c->i++;
    return idx;
  }
  if (t->kind == TX_NUM) {
    c->i++;
    return tx_parse_u32(c, t);
  }
  tx_fail(c, t, "unexpected token, expected a local index");
}

/* blocktype: (type x)? (param t*)* (result t*)* */
static void blocktype(module *m, func *f, tx_buf *out) {
  tx_ctx *c = m->c;
  (void)f;
  if (!tx_is_lpar_kw(c, "type") && !tx_is_lpar_kw(c, "param")) {
    /* Only results: a value type or nothing, unless several. */
    size_t save = c->i;
    functype ft;
    params_results(m, &ft, NULL, false);
    if (ft.nr == 0) {
      tx_byte(c, out, 0x40);
      return;
    }
    if (ft.nr == 1) {
      put_vt(c, out, ft.results[0]);
      return;
    }
    c->i = save;
  }
  uint32_t idx = typeuse(m, NULL, false, NULL);
  tx_s64(c, out, (int64_t)idx);
}

static void memarg(module *m, const tx_op *op, tx_buf *out, bool lane) {
  tx_ctx *c = m->c;
  uint32_t mem = 0;
  bool has_mem = false;
  /* An optional memory index: an identifier, or (with a lane index after
     it, or none) a number. */
  if (cur(c)->kind == TX_ID ||
      (cur(c)->kind == TX_NUM &&
       (!lane || tx_peek(c, 1)->kind == TX_NUM ||
        (tx_peek(c, 1)->kind == TX_KEYWORD &&
         (!strncmp(tx_peek(c, 1)->p, "offset=", 7) ||
          !strncmp(tx_peek(c, 1)->p, "align=", 6)))))) {
    mem = index_of(m, S_MEM);
    has_mem = true;
  }
  uint64_t offset = 0;
  uint64_t align = op->align;
  const tx_token *t = cur(c);
  if (t->kind == TX_KEYWORD && t->len > 7 && !strncmp(t->p, "offset=", 7)) {
    tx_token n = *t;
    n.p += 7;
    n.len -= 7;
    n.col += 7;
    n.kind = TX_NUM;
    offset = tx_parse_u64(c, &n); /* > 32 bits: the decoder's business */
    c->i++;
    t = cur(c);
  }
  if (t->kind == TX_KEYWORD && t->len > 6 && !strncmp(t->p, "align=", 6)) {
    tx_token n = *t;
    n.p += 6;
    n.len -= 6;
    n.col += 6;
    n.kind = TX_NUM;
    align = tx_parse_u64(c, &n);
    if (align == 0 || (align & (align - 1)))
      tx_fail(c, t, "alignment must be a power of two");
    c->i++;
  }
  uint32_t log = 0;
  while ((UINT64_C(1) << log) < align)
    log++;
  if (has_mem && mem != 0) {
    tx_u32(c, out, log | 0x40);
    tx_u32(c, out, mem);
  } else {
    tx_u32(c, out, log);
  }
  tx_u32(c, out, offset);
}

static uint8_t lane_index(tx_ctx *c) {
  const tx_token *t = cur(c);
  if (t->kind != TX_NUM || t->p[0] == '+' || t->p[0] == '-')
    tx_fail(c, t, "malformed lane index");
  uint64_t v = tx_parse_u64(c, t);
  if (v > 255) tx_fail(c, t, "malformed lane index");
  c->i++;
  return (uint8_t)v;
}

/* v128.const shape lanes... into 16 bytes. */
static void v128_const(tx_ctx *c, uint8_t *b) {
  const tx_token *shape = cur(c);
  static const char *const shapes[] = {"i8x16", "i16x8", "i32x4",
                                       "i64x2", "f32x4", "f64x2"};
  int s = -1;
  for (int k = 0; k < 6; k++)
    if (tx_is_kw(shape, shapes[k])) s = k;
  if (s < 0) tx_fail(c, shape, "unexpected token, expected a vector shape");
  c->i++;
  unsigned lanes = s == 0 ? 16 : s == 1 ? 8 : (s == 2 || s == 4) ? 4 : 2;
  unsigned w = 16 / lanes;
  for (unsigned i = 0; i < lanes; i++) {
    const tx_token *t = cur(c);
    if (t->kind != TX_NUM && t->kind != TX_KEYWORD)
      tx_fail(c, t, "wrong number of lane literals");
    uint64_t v;
    if (s == 4)
      v = tx_parse_f32(c, t);
    else if (s == 5)
      v = tx_parse_f64(c, t);
    else
      v = tx_parse_int(c, t, w * 8);
    c->i++;
    for (unsigned k = 0; k < w; k++)
      b[i * w + k] = (uint8_t)(v >> (8 * k));
  }
}

/* Encodes the opcode of op. */
static void opcode(tx_ctx *c, tx_buf *out, const tx_op *op) {
  if (op->prefix) {
    tx_byte(c, out, (uint8_t)op->prefix);
    tx_u32(c, out, op->code);
  } else {
    tx_byte(c, out, (uint8_t)op->code);
  }
}

/* The immediates of op (not block structure) into out, after the opcode. */
static void immediates(module *m, func *f, const tx_op *op, tx_buf *out) {
  tx_ctx *c = m->c;
  switch ((tx_imm)op->imm) {
  case IM_NONE: break;
  case IM_LABEL: tx_u32(c, out, label_index(m, f)); break;
  case IM_BR_TABLE: {
    uint32_t n = 0;
    tx_buf tmp = {0};
    while (at_index(c)) {
      uint32_t l = label_index(m, f);
      tx_u32(c, &tmp, l);
      n++;
    }
    if (n == 0) {
      tx_buf_free(c, &tmp);
      tx_fail(c, cur(c), "unexpected token, expected a label");
    }
    /* The last label is the default; the vector holds the others. Find
       where the last LEB starts. */
    size_t last = tmp.len - 1;
    while (last > 0 && (tmp.p[last - 1] & 0x80))
      last--;
    tx_u32(c, out, n - 1);
    tx_put(c, out, tmp.p, tmp.len);
    tx_buf_free(c, &tmp);
    (void)last;
    break;
  }
  case IM_FUNC: tx_u32(c, out, index_of(m, S_FUNC)); break;
  case IM_CALL_INDIRECT: {
    uint32_t table = 0;
    if (at_index(c)) table = index_of(m, S_TABLE);
    uint32_t ty = typeuse(m, NULL, false, NULL);
    tx_u32(c, out, ty);
    tx_u32(c, out, table);
    break;
  }
  case IM_LOCAL: tx_u32(c, out, local_index(m, f)); break;
  case IM_GLOBAL: tx_u32(c, out, index_of(m, S_GLOBAL)); break;
  case IM_TABLE: {
    uint32_t t = at_index(c) ? index_of(m, S_TABLE) : 0;
    tx_u32(c, out, t);
    break;
  }
  case IM_TABLE_COPY: {
    uint32_t a = 0, b = 0;
    if (at_index(c)) {
      a = index_of(m, S_TABLE);
      b = index_of(m, S_TABLE);
    }
    tx_u32(c, out, a);
    tx_u32(c, out, b);
    break;
  }
  case IM_TABLE_INIT: {
    uint32_t t = 0, e;
    if (at_index(c) &&
        (tx_peek(c, 1)->kind == TX_ID || tx_peek(c, 1)->kind == TX_NUM))
      t = index_of(m, S_TABLE);
    e = index_of(m, S_ELEM);
    tx_u32(c, out, e);
    tx_u32(c, out, t);
    break;
  }
  case IM_ELEM: tx_u32(c, out, index_of(m, S_ELEM)); break;
  case IM_DATA:
    m->uses_datacount = true;
    tx_u32(c, out, index_of(m, S_DATA));
    break;
  case IM_MEM_INIT: {
    m->uses_datacount = true;
    uint32_t mem = 0, d;
    if (at_index(c) &&
        (tx_peek(c, 1)->kind == TX_ID || tx_peek(c, 1)->kind == TX_NUM))
      mem = index_of(m, S_MEM);
    d = index_of(m, S_DATA);
    tx_u32(c, out, d);
    tx_u32(c, out, mem);
    break;
  }
  case IM_MEM: {
    uint32_t mem = at_index(c) ? index_of(m, S_MEM) : 0;
    tx_u32(c, out, mem);
    break;
  }
  case IM_MEM_COPY: {
    uint32_t a = 0, b = 0;
    if (at_index(c)) {
      a = index_of(m, S_MEM);
      b = index_of(m, S_MEM);
    }
    tx_u32(c, out, a);
    tx_u32(c, out, b);
    break;
  }
  case IM_MEMARG: memarg(m, op, out, false); break;
  case IM_MEMARG_LANE:
    memarg(m, op, out, true);
    tx_byte(c, out, lane_index(c));
    break;
  case IM_I32: {
    uint64_t v = tx_parse_int(c, cur(c), 32);
    c->i++;
    tx_s64(c, out, (int64_t)(int32_t)(uint32_t)v);
    break;
  }
  case IM_I64: {
    uint64_t v = tx_parse_int(c, cur(c), 64);
    c->i++;
    tx_s64(c, out, (int64_t)v);
    break;
  }
  case IM_F32: {
    uint32_t v = tx_parse_f32(c, cur(c));
    c->i++;
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    tx_put(c, out, b, 4);
    break;
  }
  case IM_F64: {
    uint64_t v = tx_parse_f64(c, cur(c));
    c->i++;
    uint8_t b[8];
    for (int k = 0; k < 8; k++)
      b[k] = (uint8_t)(v >> (8 * k));
    tx_put(c, out, b, 8);
    break;
  }
  case IM_V128: {
    uint8_t b[16];
    v128_const(c, b);
    tx_put(c, out, b, 16);
    break;
  }
  case IM_SHUFFLE: {
    uint8_t b[16];
    for (int k = 0; k < 16; k++) {
      if (cur(c)->kind != TX_NUM) tx_fail(c, cur(c), "invalid lane length");
      b[k] = lane_index(c);
    }
    if (cur(c)->kind == TX_NUM) tx_fail(c, cur(c), "invalid lane length");
    tx_put(c, out, b, 16);
    break;
  }
  case IM_LANE: tx_byte(c, out, lane_index(c)); break;
  case IM_SELECT: break; /* handled by the caller */
  case IM_TYPE: tx_u32(c, out, index_of(m, S_TYPE)); break;
  case IM_TYPE_FIELD: {
    const tx_token *tt = cur(c);
    uint32_t t = index_of(m, S_TYPE);
    const tx_token *ft = cur(c);
    uint32_t fi;
    if (ft->kind == TX_ID) {
      if (t >= m->ntypes || !names_find_id(c, &m->types[t].fields, ft, &fi))
        tx_fail(c, ft, "unknown field %.*s", (int)ft->len, ft->p);
      c->i++;
    } else {
      fi = tx_parse_u32(c, ft);
      c->i++;
    }
    (void)tt;
    tx_u32(c, out, t);
    tx_u32(c, out, fi);
    break;
  }
  case IM_TYPE_U32:
    tx_u32(c, out, index_of(m, S_TYPE));
    tx_u32(c, out, tx_parse_u32(c, cur(c)));
    c->i++;
    break;
  case IM_TYPE_DATA:
    m->uses_datacount = true;
    tx_u32(c, out, index_of(m, S_TYPE));
    tx_u32(c, out, index_of(m, S_DATA));
    break;
  case IM_TYPE_ELEM:
    tx_u32(c, out, index_of(m, S_TYPE));
    tx_u32(c, out, index_of(m, S_ELEM));
    break;
  case IM_TYPE_TYPE:
    tx_u32(c, out, index_of(m, S_TYPE));
    tx_u32(c, out, index_of(m, S_TYPE));
    break;
  case IM_TAG: tx_u32(c, out, index_of(m, S_TAG)); break;
  case IM_REF_TEST:
  case IM_BR_ON_CAST: break; /* handled by the caller */
  case IM_REF_NULL: {
    bool idx;
    uint32_t ht = heap(m, &idx);
    if (idx)
      tx_s64(c, out, (int64_t)ht);
    else
      tx_byte(c, out, (uint8_t)ht);
    break;
  }
  default: tx_fail(c, cur(c), "internal error: bad immediate kind");
  }
}

/* A reference type as (nullable, heap type bytes) for ref.test / casts. */
static bool ref_parts(module *m, tx_buf *ht) {
  vt_t v = reftype(m);
  uint8_t b = (uint8_t)v;
  if (b != 0x63 && b != 0x64) {
    tx_byte(m->c, ht, b);
    return true;
  }
  uint32_t h = (uint32_t)(v >> 16);
  if (v & 0x100)
    tx_s64(m->c, ht, (int64_t)h);
  else
    tx_byte(m->c, ht, (uint8_t)h);
  return b == 0x63;
}

/* ref.test / ref.cast / br_on_cast / br_on_cast_fail, opcode included. */
static void cast_op(module *m, func *f, const tx_op *op, tx_buf *out) {
  tx_ctx *c = m->c;
  tx_byte(c, out, 0xFB);
  if (op->imm == IM_REF_TEST) {
    tx_buf ht = {0};
    bool null = ref_parts(m, &ht);
    tx_u32(c, out, op->code + (null ? 1u : 0u));
    tx_put(c, out, ht.p, ht.len);
    tx_buf_free(c, &ht);
    return;
  }
  tx_u32(c, out, op->code);
  uint32_t l = label_index(m, f);
  tx_buf h1 = {0}, h2 = {0};
  bool n1 = ref_parts(m, &h1), n2 = ref_parts(m, &h2);
  tx_byte(c, out, (uint8_t)((n1 ? 1 : 0) | (n2 ? 2 : 0)));
  tx_u32(c, out, l);
  tx_put(c, out, h1.p, h1.len);
  tx_put(c, out, h2.p, h2.len);
  tx_buf_free(c, &h1);
  tx_buf_free(c, &h2);
}

/* try_table's catch clauses: (catch x l) (catch_ref x l) (catch_all l)
   (catch_all_ref l).  The labels are resolved outside the try_table's
   own label (which is pushed after them). */
static void catches(module *m, func *f, tx_buf *out) {
  tx_ctx *c = m->c;
  tx_buf cl = {0};
  uint32_t n = 0;
  for (;;) {
    int kind = tx_is_lpar_kw(c, "catch")           ? 0
               : tx_is_lpar_kw(c, "catch_ref")     ? 1
               : tx_is_lpar_kw(c, "catch_all")     ? 2
               : tx_is_lpar_kw(c, "catch_all_ref") ? 3
                                                   : -1;
    if (kind < 0) break;
    c->i += 2;
    tx_byte(c, &cl, (uint8_t)kind);
    if (kind < 2) tx_u32(c, &cl, index_of(m, S_TAG));
    tx_u32(c, &cl, label_index(m, f));
    tx_expect_rpar(c);
    n++;
  }
  tx_u32(c, out, n);
  tx_put(c, out, cl.p, cl.len);
  tx_buf_free(c, &cl);
}

static const tx_op *find_op(tx_ctx *c, const tx_token *t) {
  const tx_op *op = t->kind == TX_KEYWORD ? tx_op_find(t->p, t->len) : NULL;
  if (!op) {
    if (t->kind == TX_KEYWORD)
      tx_fail(c, t, "unknown operator %.*s", (int)(t->len > 40 ? 40 : t->len),
              t->p);
    unexpected(c, t);
  }
  return op;
}

/* select with optional (result t*) */
static void select_op(module *m, tx_buf *out) {
  tx_ctx *c = m->c;
  if (!tx_is_lpar_kw(c, "result")) {
    tx_byte(c, out, 0x1B);
    return;
  }
  vt_t *ts = NULL;
  uint32_t n = 0, cap = 0;
  while (tx_is_lpar_kw(c, "result")) {
    c->i += 2;
    while (cur(c)->kind != TX_RPAR)
      push_vt(c, &ts, &n, &cap, valtype(m));
    tx_expect_rpar(c);
  }
  tx_byte(c, out, 0x1C);
  tx_u32(c, out, n);
  for (uint32_t i = 0; i < n; i++)
    put_vt(c, out, ts[i]);
}

static void end_label(module *m, func *f, const tx_token *label) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  if (t->kind != TX_ID) return;
  const char *a = NULL, *b;
  uint32_t an = 0, bn;
  if (label) id_key(c, label, &a, &an);
  id_key(c, t, &b, &bn);
  if (!label || an != bn || memcmp(a, b, an))
    tx_fail(c, t, "mismatching label");
  (void)f;
  c->i++;
}

static void enter(module *m, func *f) {
  if (++f->depth > TX_MAX_DEPTH)
    tx_fail(m->c, cur(m->c), "instructions nested too deep");
}

/* One plain instruction at c->i (a keyword). */
static void plain_instr(module *m, func *f, size_t stop) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  const tx_op *op = find_op(c, t);
  c->i++;
  tx_buf *out = f->out;
  switch ((tx_imm)op->imm) {
  case IM_BLOCK:
  case IM_LOOP:
  case IM_IF:
  case IM_TRY_TABLE: {
    enter(m, f);
    const tx_token *label = opt_id(c);
    opcode(c, out, op);
    blocktype(m, f, out);
    if (op->imm == IM_TRY_TABLE) catches(m, f, out);
    push_label(m, f, label);
    instrs(m, f, stop);
    if (op->imm == IM_IF && tx_is_kw(cur(c), "else")) {
      c->i++;
      end_label(m, f, label);
      size_t at = out->len;
      tx_byte(c, out, 0x05);
      instrs(m, f, stop);
      if (out->len == at + 1) out->len = at; /* an empty else: none */
    }
    if (!tx_is_kw(cur(c), "end")) {
      if (c->i >= stop) tx_fail(c, cur(c), "unexpected token, expected end");
      unexpected(c, cur(c));
    }
    c->i++;
    end_label(m, f, label);
    f->nlabels--;
    f->depth--;
    tx_byte(c, out, 0x0B);
    return;
  }
  case IM_ELSE:
  case IM_END: unexpected(c, t);
  case IM_SELECT: select_op(m, out); return;
  case IM_REF_TEST:
  case IM_BR_ON_CAST: cast_op(m, f, op, out); return;
  default:
    opcode(c, out, op);
    immediates(m, f, op, out);
    return;
  }
}

/* One folded instruction at c->i ("("). */
static void folded_instr(module *m, func *f) {
  tx_ctx *c = m->c;
  size_t close = close_of(c);
  c->i++;
  const tx_token *t = cur(c);
  const tx_op *op = find_op(c, t);
  c->i++;
  enter(m, f);
  tx_buf *out = f->out;
  switch ((tx_imm)op->imm) {
  case IM_BLOCK:
  case IM_LOOP:
  case IM_TRY_TABLE: {
    const tx_token *label = opt_id(c);
    opcode(c, out, op);
    blocktype(m, f, out);
    if (op->imm == IM_TRY_TABLE) catches(m, f, out);
    push_label(m, f, label);
    instrs(m, f, close);
    if (c->i != close) unexpected(c, cur(c));
    f->nlabels--;
    tx_byte(c, out, 0x0B);
    break;
  }
  case IM_IF: {
    const tx_token *label = opt_id(c);
    tx_buf bt = {0};
    blocktype(m, f, &bt);
    /* The condition: folded instructions before (then ...). */
    while (cur(c)->kind == TX_LPAR && !tx_is_kw(tx_peek(c, 1), "then"))
      folded_instr(m, f);
    opcode(c, out, op);
    tx_put(c, out, bt.p, bt.len);
    tx_buf_free(c, &bt);
    push_label(m, f, label);
    if (!tx_is_lpar_kw(c, "then")) tx_fail(c, cur(c), "expected (then ...)");
    size_t tclose = close_of(c);
    c->i += 2;
    instrs(m, f, tclose);
    if (c->i != tclose) unexpected(c, cur(c));
    c->i++;
    if (tx_is_lpar_kw(c, "else")) {
      size_t eclose = close_of(c);
      c->i += 2;
      size_t at = out->len;
      tx_byte(c, out, 0x05);
      instrs(m, f, eclose);
      if (out->len == at + 1) out->len = at; /* an empty else: none */
      if (c->i != eclose) unexpected(c, cur(c));
      c->i++;
    }
    f->nlabels--;
    tx_byte(c, out, 0x0B);
    break;
  }
  case IM_ELSE:
  case IM_END: unexpected(c, t);
  default: {
    tx_buf imm = {0};
    if (op->imm == IM_SELECT) {
      select_op(m, &imm);
    } else if (op->imm == IM_REF_TEST || op->imm == IM_BR_ON_CAST) {
      cast_op(m, f, op, &imm);
    } else {
      opcode(c, &imm, op);
      immediates(m, f, op, &imm);
    }
    while (c->i < close) {
      if (cur(c)->kind != TX_LPAR) {
        tx_buf_free(c, &imm);
        unexpected(c, cur(c));
      }
      folded_instr(m, f);
    }
    tx_put(c, out, imm.p, imm.len);
    tx_buf_free(c, &imm);
    break;
  }
  }
  f->depth--;
  if (c->i != close) unexpected(c, cur(c));
  c->i++;
}

/* Instructions until stop, or a plain "end" / "else". */
static void instrs(module *m, func *f, size_t stop) {
  tx_ctx *c = m->c;
  while (c->i < stop) {
    const tx_token *t = cur(c);
    if (t->kind == TX_LPAR) {
      folded_instr(m, f);
    } else if (t->kind == TX_KEYWORD) {
      if (tx_is_kw(t, "end") || tx_is_kw(t, "else")) return;
      plain_instr(m, f, stop);
    } else {
      unexpected(c, t);
    }
  }
}

/* A whole expression up to stop (the ")" of its form), then 0x0B. */
static void expr(module *m, func *f, size_t stop) {
  tx_ctx *c = m->c;
  instrs(m, f, stop);
  if (c->i != stop) unexpected(c, cur(c));
  tx_byte(c, f->out, 0x0B);
}

/* A constant expression outside functions. */
static void const_expr(module *m, tx_buf *out, size_t stop) {
  func f;
  memset(&f, 0, sizeof f);
  f.out = out;
  expr(m, &f, stop);
}

/* ---- pass 1: indices and names ----------------------------------------- */

static int field_space(const tx_token *t) {
  if (tx_is_kw(t, "func")) return S_FUNC;
  if (tx_is_kw(t, "table")) return S_TABLE;
  if (tx_is_kw(t, "memory")) return S_MEM;
  if (tx_is_kw(t, "global")) return S_GLOBAL;
  if (tx_is_kw(t, "tag")) return S_TAG;
  return -1;
}

/* Skips (export "...")* at c->i. */
static void skip_exports(tx_ctx *c) {
  while (tx_is_lpar_kw(c, "export"))
    c->i = c->toks[c->i].match + 1;
}

/* storagetype: valtype | i8 | i16 */
static void storage(module *m, tx_buf *out) {
  tx_ctx *c = m->c;
  if (tx_is_kw(cur(c), "i8")) {
    c->i++;
    tx_byte(c, out, 0x78);
  } else if (tx_is_kw(cur(c), "i16")) {
    c->i++;
    tx_byte(c, out, 0x77);
  } else {
    put_vt(c, out, valtype(m));
  }
}

static void fieldtype(module *m, tx_buf *out) {
  tx_ctx *c = m->c;
  if (tx_is_lpar_kw(c, "mut")) {
    c->i += 2;
    storage(m, out);
    tx_byte(c, out, 1);
    tx_expect_rpar(c);
  } else {
    storage(m, out);
    tx_byte(c, out, 0);
  }
}

/* comptype: (func ...) | (struct field*) | (array fieldtype) */
static void comptype(module *m, typedef_ *t) {
  tx_ctx *c = m->c;
  tx_expect_lpar(c);
  const tx_token *k = cur(c);
  c->i++;
  if (tx_is_kw(k, "func")) {
    params_results(m, &t->ft, NULL, true);
    t->is_func = true;
    encode_functype(c, &t->enc, &t->ft);
  } else if (tx_is_kw(k, "struct")) {
    tx_buf fs = {0};
    uint32_t n = 0;
    while (tx_is_lpar_kw(c, "field")) {
      c->i += 2;
      const tx_token *id = opt_id(c);
      if (id) {
        names_add(c, &t->fields, id, n, "field");
        fieldtype(m, &fs);
        n++;
      } else {
        while (cur(c)->kind != TX_RPAR) {
          fieldtype(m, &fs);
          n++;
        }
      }
      tx_expect_rpar(c);
    }
    tx_byte(c, &t->enc, 0x5F);
    tx_u32(c, &t->enc, n);
    tx_put(c, &t->enc, fs.p, fs.len);
    tx_buf_free(c, &fs);
  } else if (tx_is_kw(k, "array")) {
    tx_byte(c, &t->enc, 0x5E);
    fieldtype(m, &t->enc);
  } else {
    unexpected(c, k);
  }
  tx_expect_rpar(c);
}

/* (type $id? subtype) at c->i ("("); the name was given in pass 0. */
static void type_def(module *m, bool in_rec) {
  tx_ctx *c = m->c;
  tx_expect_lpar(c);
  tx_expect_kw(c, "type");
  opt_id(c);
  grow_types(m);
  typedef_ *t = &m->types[m->ntypes];
  memset(t, 0, sizeof *t);
  t->in_rec = in_rec;
  t->rec_len = in_rec ? 0 : 1;
  if (tx_is_lpar_kw(c, "sub")) {
    c->i += 2;
    bool final = false;
    if (tx_is_kw(cur(c), "final")) {
      final = true;
      c->i++;
    }
    uint32_t sup[64], ns = 0;
    tx_buf supers = {0};
    while (at_index(c)) {
      uint32_t x = index_of(m, S_TYPE);
      if (ns < 64) sup[ns] = x;
      ns++;
      tx_u32(c, &supers, x);
    }
    /* (sub final comptype) is the plain comptype */
    bool bare = final && ns == 0;
    if (!bare) {
      tx_byte(c, &t->enc, final ? 0x4F : 0x50);
      tx_u32(c, &t->enc, ns);
      tx_put(c, &t->enc, supers.p, supers.len);
    }
    tx_buf_free(c, &supers);
    typedef_ tmp;
    memset(&tmp, 0, sizeof tmp);
    comptype(m, &tmp);
    tx_put(c, &t->enc, tmp.enc.p, tmp.enc.len);
    tx_buf_free(c, &tmp.enc);
    t->ft = tmp.ft;
    t->is_func = tmp.is_func;
    t->fields = tmp.fields;
    t->plain = bare && !in_rec;
    t->bare = bare;
    (void)sup;
    tx_expect_rpar(c);
  } else {
    comptype(m, t);
    t->plain = !in_rec;
    t->bare = true;
  }
  tx_expect_rpar(c);
  m->ntypes++;
}

/* Pass 0: type names (type definitions may refer to later ones). */
static void pass0(module *m, size_t end) {
  tx_ctx *c = m->c;
  uint32_t n = 0;
  while (c->i < end) {
    if (cur(c)->kind != TX_LPAR) unexpected(c, cur(c));
    size_t close = close_of(c);
    const tx_token *kw = tx_peek(c, 1);
    if (tx_is_kw(kw, "type")) {
      const tx_token *id = tx_peek(c, 2);
      names_add(c, &m->ns[S_TYPE], id->kind == TX_ID ? id : NULL, n++, "type");
    } else if (tx_is_kw(kw, "rec")) {
      c->i += 2;
      while (c->i < close) {
        if (!tx_is_lpar_kw(c, "type")) unexpected(c, cur(c));
        const tx_token *id = tx_peek(c, 2);
        names_add(c, &m->ns[S_TYPE], id->kind == TX_ID ? id : NULL, n++,
                  "type");
        c->i = close_of(c) + 1;
      }
    }
    c->i = close + 1;
  }
}

static void pass1(module *m, size_t end) {
  tx_ctx *c = m->c;
  while (c->i < end) {
    tx_expect_lpar(c);
    size_t close = c->toks[c->i - 1].match;
    const tx_token *kw = cur(c);
    int sp = field_space(kw);
    if (tx_is_kw(kw, "type")) {
      c->i--;
      type_def(m, false);
    } else if (tx_is_kw(kw, "rec")) {
      c->i++;
      uint32_t head = m->ntypes, n = 0;
      while (c->i < close) {
        type_def(m, true);
        n++;
      }
      if (n)
        m->types[head].rec_len = n;
      else /* an empty group: no type, but a group in the section */
        push_vt(c, &m->empty_recs, &m->nempty, &m->capempty, head);
      /* a group of one is a plain type (what type uses may match) */
      if (n == 1 && m->types[head].bare) m->types[head].plain = true;
    } else if (tx_is_kw(kw, "import")) {
      c->i++;
      /* "module" "name" (kind $id? ...) */
      c->i += 2;
      if (cur(c)->kind != TX_LPAR) unexpected(c, cur(c));
      const tx_token *k = tx_peek(c, 1);
      int isp = field_space(k);
      if (isp < 0) tx_fail(c, k, "unexpected token, expected an import kind");
      if (m->defined_any) tx_fail(c, kw, "import after definition");
      c->i += 2;
      const tx_token *id = opt_id(c);
      names_add(c, &m->ns[isp], id, m->count[isp], k_space[isp]);
      m->count[isp]++;
      m->imports[isp]++;
    } else if (sp >= 0) {
      c->i++;
      const tx_token *id = opt_id(c);
      skip_exports(c);
      bool is_import = tx_is_lpar_kw(c, "import");
      if (is_import && m->defined_any)
        tx_fail(c, cur(c), "import after definition");
      names_add(c, &m->ns[sp], id, m->count[sp], k_space[sp]);
      m->count[sp]++;
      if (is_import) {
        m->imports[sp]++;
      } else {
        m->defined_any = true;
        /* Inline element / data segments get their index here. */
        if (sp == S_TABLE) {
          while (c->i < close && !tx_is_lpar_kw(c, "elem"))
            c->i++;
          if (c->i < close) m->count[S_ELEM]++;
        } else if (sp == S_MEM && tx_is_lpar_kw(c, "data")) {
          m->count[S_DATA]++;
        }
      }
    } else if (tx_is_kw(kw, "elem") || tx_is_kw(kw, "data")) {
      int s = kw->p[0] == 'e' ? S_ELEM : S_DATA;
      c->i++;
      const tx_token *id = opt_id(c);
      names_add(c, &m->ns[s], id, m->count[s], k_space[s]);
      m->count[s]++;
    } else if (tx_is_kw(kw, "export") || tx_is_kw(kw, "start")) {
      /* pass 2 */
    } else {
      if (kw->kind == TX_KEYWORD)
        tx_fail(c, kw, "unknown module field \"%.*s\"",
                (int)(kw->len > 40 ? 40 : kw->len), kw->p);
      unexpected(c, kw);
    }
    c->i = close + 1;
  }
}

/* ---- pass 2: sections --------------------------------------------------- */

static void export_entry(module *m, const uint8_t *name, size_t len,
                         uint8_t kind, uint32_t idx) {
  tx_ctx *c = m->c;
  tx_name(c, &m->sec_export, name, len);
  tx_byte(c, &m->sec_export, kind);
  tx_u32(c, &m->sec_export, idx);
  m->n_export++;
}

/* (export "n")* for the definition idx of kind. */
static void inline_exports(module *m, uint8_t kind, uint32_t idx) {
  tx_ctx *c = m->c;
  while (tx_is_lpar_kw(c, "export")) {
    c->i += 2;
    size_t len;
    uint8_t *name = tx_string(c, cur(c), &len, true);
    c->i++;
    tx_expect_rpar(c);
    export_entry(m, name, len, kind, idx);
  }
}

/* An optional address type keyword (i32 / i64); true for i64. */
static bool addrtype(tx_ctx *c) {
  if (tx_is_kw(cur(c), "i64")) {
    c->i++;
    return true;
  }
  if (tx_is_kw(cur(c), "i32")) c->i++;
  return false;
}

/* limits: min max? shared?, u32 or (is64) u64. */
static void limits(module *m, tx_buf *out, bool shared_ok, bool is64) {
  tx_ctx *c = m->c;
  const tx_token *t = cur(c);
  if (t->kind != TX_NUM) unexpected(c, t);
  /* u64 in the text whatever the address type: a size beyond the type's
     range is the validator's "invalid", not malformed text. */
  uint64_t min = tx_parse_u64(c, t);
  c->i++;
  bool has_max = false;
  uint64_t max = 0;
  if (cur(c)->kind == TX_NUM) {
    max = tx_parse_u64(c, cur(c));
    c->i++;
    has_max = true;
  }
  bool shared = false;
  if (shared_ok && tx_is_kw(cur(c), "shared")) {
    shared = true;
    c->i++;
  }
  tx_byte(c, out,
          (uint8_t)((has_max ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0)));
  tx_u32(c, out, min);
  if (has_max) tx_u32(c, out, max);
}

static void memtype(module *m, tx_buf *out) {
  bool is64 = addrtype(m->c);
  limits(m, out, true, is64);
}

static void tabletype(module *m, tx_buf *out) {
  tx_ctx *c = m->c;
  bool is64 = addrtype(c);
  tx_buf lim = {0};
  limits(m, &lim, false, is64);
  vt_t rt = reftype(m);
  put_vt(c, out, rt);
  tx_put(c, out, lim.p, lim.len);
  tx_buf_free(c, &lim);
}

static void globaltype(module *m, tx_buf *out) {
  tx_ctx *c = m->c;
  if (tx_is_lpar_kw(c, "mut")) {
    c->i += 2;
    put_vt(c, out, valtype(m));
    tx_byte(c, out, 1);
    tx_expect_rpar(c);
  } else {
    put_vt(c, out, valtype(m));
    tx_byte(c, out, 0);
  }
}

/* import descriptor after "(kind $id?" up to the ")" (consumed). */
static void import_desc(module *m, int sp) {
  tx_ctx *c = m->c;
  tx_buf *o = &m->sec_import;
  switch (sp) {
  case S_FUNC:
    tx_byte(c, o, 0x00);
    tx_u32(c, o, typeuse(m, NULL, true, NULL));
    break;
  case S_TABLE:
    tx_byte(c, o, 0x01);
    tabletype(m, o);
    break;
  case S_MEM:
    tx_byte(c, o, 0x02);
    memtype(m, o);
    break;
  case S_TAG:
    tx_byte(c, o, 0x04);
    tx_byte(c, o, 0x00);
    tx_u32(c, o, typeuse(m, NULL, true, NULL));
    break;
  default:
    tx_byte(c, o, 0x03);
    globaltype(m, o);
    break;
  }
  tx_expect_rpar(c);
  m->n_import++;
}

/* (import "m" "n") inline: writes the module and field names. */
static void inline_import_names(module *m) {
  tx_ctx *c = m->c;
  c->i += 2;
  size_t l1, l2;
  uint8_t *mod = tx_string(c, cur(c), &l1, true);
  c->i++;
  uint8_t *nm = tx_string(c, cur(c), &l2, true);
  c->i++;
  tx_expect_rpar(c);
  tx_name(c, &m->sec_import, mod, l1);
  tx_name(c, &m->sec_import, nm, l2);
}

static void push_local(module *m, func *f, vt_t t) {
  push_vt(m->c, &f->ltypes, &f->nlocals, &f->capl, t);
}

static void func_def(module *m, uint32_t idx, size_t close) {
  tx_ctx *c = m->c;
  inline_exports(m, 0, idx);
  if (tx_is_lpar_kw(c, "import")) {
    inline_import_names(m);
    tx_byte(c, &m->sec_import, 0x00);
    tx_u32(c, &m->sec_import, typeuse(m, NULL, true, NULL));
    m->n_import++;
    if (c->i != close) unexpected(c, cur(c));
    return;
  }
  func f;
  memset(&f, 0, sizeof f);
  functype ft;
  uint32_t ty = typeuse(m, &f, true, &ft);
  tx_u32(c, &m->sec_func, ty);
  m->n_func++;
  for (uint32_t i = 0; i < ft.np; i++)
    push_local(m, &f, ft.params[i]);
  uint32_t nparams = ft.np;
  while (tx_is_lpar_kw(c, "local")) {
    c->i += 2;
    const tx_token *id = opt_id(c);
    if (id) {
      names_add(c, &f.locals, id, f.nlocals, "local");
      push_local(m, &f, valtype(m));
    } else {
      while (cur(c)->kind != TX_RPAR)
        push_local(m, &f, valtype(m));
    }
    tx_expect_rpar(c);
  }
  tx_buf body = {0};
  /* locals: runs of equal types */
  uint32_t runs = 0;
  for (uint32_t i = nparams; i < f.nlocals; i++)
    if (i == nparams || f.ltypes[i] != f.ltypes[i - 1]) runs++;
  tx_u32(c, &body, runs);
  for (uint32_t i = nparams; i < f.nlocals;) {
    uint32_t j = i;
    while (j < f.nlocals && f.ltypes[j] == f.ltypes[i])
      j++;
    tx_u32(c, &body, j - i);
    put_vt(c, &body, f.ltypes[i]);
    i = j;
  }
  f.out = &body;
  expr(m, &f, close);
  tx_u32(c, &m->sec_code, body.len);
  tx_put(c, &m->sec_code, body.p, body.len);
  tx_buf_free(c, &body);
  m->n_code++;
}

/* An elem item list; writes "vec(funcidx)" (returns true) or "vec(expr)"
   into out. */
static bool elem_items(module *m, tx_buf *out, size_t close, bool funcs,
                       bool as_exprs) {
  tx_ctx *c = m->c;
  uint32_t n = 0;
  tx_buf items = {0};
  if (funcs) {
    while (c->i < close) {
      if (as_exprs) tx_byte(c, &items, 0xD2);
      tx_u32(c, &items, index_of(m, S_FUNC));
      if (as_exprs) tx_byte(c, &items, 0x0B);
      n++;
    }
  } else {
    while (c->i < close) {
      if (cur(c)->kind != TX_LPAR) unexpected(c, cur(c));
      size_t ic = close_of(c);
      if (tx_is_kw(tx_peek(c, 1), "item")) {
        c->i += 2;
        const_expr(m, &items, ic);
        c->i = ic + 1;
      } else {
        func f;
        memset(&f, 0, sizeof f);
        f.out = &items;
        folded_instr(m, &f);
        tx_byte(c, &items, 0x0B);
      }
      n++;
    }
  }
  tx_u32(c, out, n);
  tx_put(c, out, items.p, items.len);
  tx_buf_free(c, &items);
  return funcs && !as_exprs;
}

/* An offset: (offset instr*) or one folded instruction. */
static void offset_expr(module *m, tx_buf *out) {
  tx_ctx *c = m->c;
  if (cur(c)->kind != TX_LPAR) unexpected(c, cur(c));
  size_t oc = close_of(c);
  if (tx_is_kw(tx_peek(c, 1), "offset")) {
    c->i += 2;
    const_expr(m, out, oc);
    c->i = oc + 1;
  } else {
    func f;
    memset(&f, 0, sizeof f);
    f.out = out;
    folded_instr(m, &f);
    tx_byte(c, out, 0x0B);
  }
}

static void elem_field(module *m, size_t close) {
  tx_ctx *c = m->c;
  opt_id(c);
  tx_buf *o = &m->sec_elem;
  m->n_elem++;
  int mode; /* 0 active, 1 passive, 2 declarative */
  uint32_t table = 0;
  bool explicit_table = false;
  tx_buf off = {0};
  if (tx_is_kw(cur(c), "declare")) {
    c->i++;
    mode = 2;
  } else if (tx_is_lpar_kw(c, "table")) {
    c->i += 2;
    table = index_of(m, S_TABLE);
    tx_expect_rpar(c);
    explicit_table = true;
    mode = 0;
    offset_expr(m, &off);
  } else if (cur(c)->kind == TX_LPAR && !is_valtype_start(m)) {
    mode = 0;
    offset_expr(m, &off);
  } else if (at_index(c) && tx_peek(c, 1)->kind == TX_LPAR) {
    /* legacy (elem 0 (offset ...) ...) */
    table = index_of(m, S_TABLE);
    explicit_table = true;
    mode = 0;
    offset_expr(m, &off);
  } else {
    mode = 1;
  }
  /* element list: "func x*", "reftype expr*", or (active) a bare x* */
  bool funcs;
  vt_t rt = 0x70;
  if (tx_is_kw(cur(c), "func")) {
    c->i++;
    funcs = true;
  } else if (is_valtype_start(m)) {
    rt = reftype(m);
    funcs = false;
  } else if (mode == 0) {
    funcs = true;
  } else {
    unexpected(c, cur(c));
  }
  (void)explicit_table;
  tx_buf items = {0};
  funcs = elem_items(m, &items, close, funcs, false);
  if (!funcs && rt == vt_ref(false, false, 0x70)) {
    /* (ref func) and only (ref.func x) items: the function-index form,
       whose element type is (ref func) */
    tx_buf idx = {0};
    size_t k = 0;
    uint64_t n = 0;
    unsigned sh = 0;
    while (k < items.len && (items.p[k] & 0x80))
      n |= (uint64_t)(items.p[k++] & 0x7F) << (sh += 7, sh - 7);
    n |= (uint64_t)(items.p[k++] & 0x7F) << sh;
    bool ok = true;
    tx_u32(c, &idx, n);
    for (uint64_t i = 0; i < n && ok; i++) {
      if (k >= items.len || items.p[k] != 0xD2) {
        ok = false;
        break;
      }
      size_t st = ++k;
      while (k < items.len && (items.p[k] & 0x80))
        k++;
      k++;
      if (k >= items.len || items.p[k] != 0x0B) {
        ok = false;
        break;
      }
      tx_put(c, &idx, items.p + st, k - st);
      k++;
    }
    if (ok && k == items.len) {
      tx_buf_free(c, &items);
      items = idx;
      funcs = true;
    } else {
      tx_buf_free(c, &idx);
    }
  }
  if (mode == 0) {
    uint8_t flags;
    if (funcs)
      flags = table == 0 ? 0 : 2;
    else
      flags = table == 0 && rt == 0x70 ? 4 : 6;
    tx_byte(c, o, flags);
    if (flags == 2 || flags == 6) tx_u32(c, o, table);
    tx_put(c, o, off.p, off.len);
    if (flags == 2) tx_byte(c, o, 0x00);
    if (flags == 6) put_vt(c, o, rt);
  } else {
    tx_byte(c, o, (uint8_t)((mode == 1 ? 1 : 3) | (funcs ? 0 : 4)));
    if (funcs)
      tx_byte(c, o, 0x00);
    else
      put_vt(c, o, rt);
  }
  tx_put(c, o, items.p, items.len);
  tx_buf_free(c, &items);
  tx_buf_free(c, &off);
}

/* Concatenated strings up to close, as a vec(byte). */
static size_t data_strings(module *m, tx_buf *out, size_t close) {
  tx_ctx *c = m->c;
  tx_buf b = {0};
  while (c->i < close) {
    size_t len;
    uint8_t *s = tx_string(c, cur(c), &len, false);
    tx_put(c, &b, s, len);
    c->i++;
  }
  size_t len = b.len;
  tx_u32(c, out, b.len);
  tx_put(c, out, b.p, b.len);
  tx_buf_free(c, &b);
  return len;
}

static void data_field(module *m, size_t close) {
  tx_ctx *c = m->c;
  opt_id(c);
  tx_buf *o = &m->sec_data;
  m->n_data++;
  uint32_t mem = 0;
  bool active = false;
  if (tx_is_lpar_kw(c, "memory")) {
    c->i += 2;
    mem = index_of(m, S_MEM);
    tx_expect_rpar(c);
    active = true;
  } else if (at_index(c)) {
    mem = index_of(m, S_MEM);
    active = true;
  } else if (cur(c)->kind == TX_LPAR) {
    active = true;
  }
  if (!active) {
    tx_byte(c, o, 0x01);
  } else {
    if (mem == 0) {
      tx_byte(c, o, 0x00);
    } else {
      tx_byte(c, o, 0x02);
      tx_u32(c, o, mem);
    }
    offset_expr(m, o);
  }
  data_strings(m, o, close);
}

static void table_def(module *m, uint32_t idx, size_t close) {
  tx_ctx *c = m->c;
  inline_exports(m, 1, idx);
  if (tx_is_lpar_kw(c, "import")) {
    inline_import_names(m);
    tx_byte(c, &m->sec_import, 0x01);
    tabletype(m, &m->sec_import);
    m->n_import++;
    return;
  }
  size_t save = c->i;
  bool is64 = addrtype(c);
  if (is_valtype_start(m)) {
    /* addrtype? reftype (elem ...): an inline element segment */
    vt_t rt = reftype(m);
    if (!tx_is_lpar_kw(c, "elem")) unexpected(c, cur(c));
    size_t ec = close_of(c);
    c->i += 2;
    tx_buf items = {0};
    bool funcs = cur(c)->kind != TX_LPAR;
    size_t first = c->i;
    uint32_t n = 0;
    while (c->i < ec) {
      if (cur(c)->kind == TX_LPAR)
        c->i = close_of(c) + 1;
      else
        c->i++;
      n++;
    }
    c->i = first;
    /* (elem x*) of a table: (ref.func x) expressions of type funcref, as
       the reference interpreter writes them */
    funcs = elem_items(m, &items, ec, funcs, true);
    c->i = ec + 1;
    put_vt(c, &m->sec_table, rt);
    tx_byte(c, &m->sec_table, is64 ? 0x05 : 0x01);
    tx_u32(c, &m->sec_table, n);
    tx_u32(c, &m->sec_table, n);
    m->n_table++;
    tx_buf *o = &m->sec_elem;
    bool plain = idx == 0 && rt == 0x70;
    if (funcs)
      tx_byte(c, o, plain ? 0x00 : 0x02);
    else
      tx_byte(c, o, plain ? 0x04 : 0x06);
    if (!plain) tx_u32(c, o, idx);
    tx_byte(c, o, is64 ? 0x42 : 0x41);
    tx_byte(c, o, 0x00);
    tx_byte(c, o, 0x0B);
    if (!plain) {
      if (funcs)
        tx_byte(c, o, 0x00);
      else
        put_vt(c, o, rt);
    }
    tx_put(c, o, items.p, items.len);
    tx_buf_free(c, &items);
    m->n_elem++;
    if (c->i != close) unexpected(c, cur(c));
    return;
  }
  c->i = save;
  tx_buf tt = {0};
  tabletype(m, &tt);
  if (c->i < close) {
    /* tabletype expr: an initial value for every element; ref.null is
       the default, written (as the reference interpreter does) as a
       plain table. */
    tx_buf init = {0};
    const_expr(m, &init, close);
    bool null =
        init.len >= 3 && init.p[0] == 0xD0 && init.p[init.len - 1] == 0x0B &&
        (init.len == 3 || (init.len > 3 && !(init.p[init.len - 2] & 0x80)));
    size_t k = 1;
    while (null && k < init.len - 1 && (init.p[k] & 0x80))
      k++;
    null = null && k + 2 == init.len;
    /* only for a nullable table of that very heap type */
    if (null) {
      const uint8_t *h = init.p + 1;
      size_t hn = init.len - 2;
      if (tt.p[0] == 0x63)
        null = tt.len > hn && !memcmp(tt.p + 1, h, hn);
      else
        null = tt.p[0] != 0x64 && hn == 1 && h[0] == tt.p[0];
    }
    if (null) {
      tx_put(c, &m->sec_table, tt.p, tt.len);
    } else {
      tx_byte(c, &m->sec_table, 0x40);
      tx_byte(c, &m->sec_table, 0x00);
      tx_put(c, &m->sec_table, tt.p, tt.len);
      tx_put(c, &m->sec_table, init.p, init.len);
    }
    tx_buf_free(c, &init);
  } else {
    tx_put(c, &m->sec_table, tt.p, tt.len);
  }
  tx_buf_free(c, &tt);
  m->n_table++;
}

static void memory_def(module *m, uint32_t idx, size_t close) {
  tx_ctx *c = m->c;
  inline_exports(m, 2, idx);
  if (tx_is_lpar_kw(c, "import")) {
    inline_import_names(m);
    tx_byte(c, &m->sec_import, 0x02);
    memtype(m, &m->sec_import);
    m->n_import++;
    return;
  }
  size_t save = c->i;
  bool is64 = addrtype(c);
  if (tx_is_lpar_kw(c, "data")) {
    size_t dc = close_of(c);
    c->i += 2;
    tx_buf bytes = {0};
    size_t len = data_strings(m, &bytes, dc);
    uint64_t pages = (len + 65535) / 65536;
    c->i = dc + 1;
    tx_byte(c, &m->sec_mem, is64 ? 0x05 : 0x01);
    tx_u32(c, &m->sec_mem, pages);
    tx_u32(c, &m->sec_mem, pages);
    m->n_mem++;
    tx_buf *o = &m->sec_data;
    if (idx == 0) {
      tx_byte(c, o, 0x00);
    } else {
      tx_byte(c, o, 0x02);
      tx_u32(c, o, idx);
    }
    tx_byte(c, o, is64 ? 0x42 : 0x41);
    tx_byte(c, o, 0x00);
    tx_byte(c, o, 0x0B);
    tx_put(c, o, bytes.p, bytes.len);
    tx_buf_free(c, &bytes);
    m->n_data++;
    if (c->i != close) unexpected(c, cur(c));
    return;
  }
  c->i = save;
  memtype(m, &m->sec_mem);
  m->n_mem++;
}

static void global_def(module *m, uint32_t idx, size_t close) {
  tx_ctx *c = m->c;
  inline_exports(m, 3, idx);
  if (tx_is_lpar_kw(c, "import")) {
    inline_import_names(m);
    tx_byte(c, &m->sec_import, 0x03);
    globaltype(m, &m->sec_import);
    m->n_import++;
    return;
  }
  globaltype(m, &m->sec_global);
  const_expr(m, &m->sec_global, close);
  m->n_global++;
}

static void tag_def(module *m, uint32_t idx) {
  tx_ctx *c = m->c;
  inline_exports(m, 4, idx);
  if (tx_is_lpar_kw(c, "import")) {
    inline_import_names(m);
    tx_byte(c, &m->sec_import, 0x04);
    tx_byte(c, &m->sec_import, 0x00);
    tx_u32(c, &m->sec_import, typeuse(m, NULL, true, NULL));
    m->n_import++;
    return;
  }
  tx_byte(c, &m->sec_tag, 0x00);
  tx_u32(c, &m->sec_tag, typeuse(m, NULL, true, NULL));
  m->n_tag++;
}

static void pass2(module *m, size_t end) {
  tx_ctx *c = m->c;
  uint32_t next[S_N] = {0};
  while (c->i < end) {
    size_t close = close_of(c);
    c->i++;
    const tx_token *kw = cur(c);
    c->i++;
    int sp = field_space(kw);
    if (tx_is_kw(kw, "type") || tx_is_kw(kw, "rec")) {
      c->i = close; /* done in pass 1 */
    } else if (tx_is_kw(kw, "import")) {
      size_t l1, l2;
      uint8_t *mod = tx_string(c, cur(c), &l1, true);
      c->i++;
      uint8_t *nm = tx_string(c, cur(c), &l2, true);
      c->i++;
      tx_name(c, &m->sec_import, mod, l1);
      tx_name(c, &m->sec_import, nm, l2);
      const tx_token *k = tx_peek(c, 1);
      int isp = field_space(k);
      c->i += 2;
      opt_id(c);
      next[isp]++;
      import_desc(m, isp);
    } else if (sp >= 0) {
      opt_id(c);
      uint32_t idx = next[sp]++;
      if (sp == S_FUNC) func_def(m, idx, close);
      if (sp == S_TABLE) table_def(m, idx, close);
      if (sp == S_MEM) memory_def(m, idx, close);
      if (sp == S_GLOBAL) global_def(m, idx, close);
      if (sp == S_TAG) tag_def(m, idx);
    } else if (tx_is_kw(kw, "export")) {
      size_t len;
      uint8_t *name = tx_string(c, cur(c), &len, true);
      c->i++;
      tx_expect_lpar(c);
      int esp = field_space(cur(c));
      if (esp < 0) unexpected(c, cur(c));
      c->i++;
      uint32_t idx = index_of(m, esp);
      tx_expect_rpar(c);
      export_entry(m, name, len, (uint8_t)(esp - S_FUNC), idx);
    } else if (tx_is_kw(kw, "start")) {
      if (m->has_start) tx_fail(c, kw, "multiple start sections");
      m->start = index_of(m, S_FUNC);
      m->has_start = true;
    } else if (tx_is_kw(kw, "elem")) {
      elem_field(m, close);
    } else if (tx_is_kw(kw, "data")) {
      data_field(m, close);
    }
    if (c->i != close) unexpected(c, cur(c));
    c->i = close + 1;
  }
}

static void section(module *m, tx_buf *out, uint8_t id, uint32_t count,
                    const tx_buf *body) {
  tx_ctx *c = m->c;
  tx_buf tmp = {0};
  tx_u32(c, &tmp, count);
  tx_put(c, &tmp, body->p, body->len);
  tx_byte(c, out, id);
  tx_u32(c, out, tmp.len);
  tx_put(c, out, tmp.p, tmp.len);
  tx_buf_free(c, &tmp);
}

static void module_free(module *m) {
  tx_buf *bufs[] = {&m->sec_tag,   &m->sec_type, &m->sec_import, &m->sec_func,
                    &m->sec_table, &m->sec_mem,  &m->sec_global, &m->sec_export,
                    &m->sec_elem,  &m->sec_code, &m->sec_data};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
    tx_buf_free(m->c, bufs[i]);
}

typedef struct fields_arg {
  size_t end;
  tx_buf *out;
  module *m;
} fields_arg;

static void encode(tx_ctx *c, void *arg) {
  fields_arg *a = arg;
  module *m = a->m;
  size_t start = c->i;
  pass0(m, a->end);
  c->i = start;
  pass1(m, a->end);
  m->nexplicit_types = m->ntypes;
  c->i = start;
  pass2(m, a->end);
  /* type section last, since type uses may have added types */
  uint32_t ngroups = 0, e = 0;
  for (uint32_t i = 0; i <= m->ntypes;) {
    if (e < m->nempty && m->empty_recs[e] == i) {
      tx_byte(c, &m->sec_type, 0x4E);
      tx_byte(c, &m->sec_type, 0x00);
      ngroups++;
      e++;
      continue;
    }
    if (i == m->ntypes) break;
    typedef_ *t = &m->types[i];
    ngroups++;
    if (t->in_rec && t->rec_len != 1) {
      uint32_t n = t->rec_len ? t->rec_len : 1;
      tx_byte(c, &m->sec_type, 0x4E);
      tx_u32(c, &m->sec_type, n);
      for (uint32_t k = 0; k < n; k++)
        tx_put(c, &m->sec_type, m->types[i + k].enc.p, m->types[i + k].enc.len);
      i += n;
    } else {
      tx_put(c, &m->sec_type, t->enc.p, t->enc.len);
      i++;
    }
  }
  tx_buf *out = a->out;
  static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  tx_put(c, out, head, 8);
  if (ngroups) section(m, out, 1, ngroups, &m->sec_type);
  if (m->n_import) section(m, out, 2, m->n_import, &m->sec_import);
  if (m->n_func) section(m, out, 3, m->n_func, &m->sec_func);
  if (m->n_table) section(m, out, 4, m->n_table, &m->sec_table);
  if (m->n_mem) section(m, out, 5, m->n_mem, &m->sec_mem);
  if (m->n_tag) section(m, out, 13, m->n_tag, &m->sec_tag);
  if (m->n_global) section(m, out, 6, m->n_global, &m->sec_global);
  if (m->n_export) section(m, out, 7, m->n_export, &m->sec_export);
  if (m->has_start) {
    tx_buf s = {0};
    tx_u32(c, &s, m->start);
    tx_byte(c, out, 8);
    tx_u32(c, out, s.len);
    tx_put(c, out, s.p, s.len);
    tx_buf_free(c, &s);
  }
  if (m->n_elem) section(m, out, 9, m->n_elem, &m->sec_elem);
  if (m->uses_datacount) {
    tx_buf s = {0};
    tx_u32(c, &s, m->n_data);
    tx_byte(c, out, 12);
    tx_u32(c, out, s.len);
    tx_put(c, out, s.p, s.len);
    tx_buf_free(c, &s);
  }
  if (m->n_code) section(m, out, 10, m->n_code, &m->sec_code);
  if (m->n_data) section(m, out, 11, m->n_data, &m->sec_data);
}

void tx_encode_fields(tx_ctx *c, size_t end, tx_buf *out) {
  module m;
  memset(&m, 0, sizeof m);
  m.c = c;
  fields_arg a = {end, out, &m};
  int rc = tx_protect(c, encode, &a);
  module_free(&m);
  if (rc) longjmp(c->jb, 1);
}
