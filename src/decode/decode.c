/*
 * decode.c - dec_module: the WebAssembly 2.0 binary format (spec chapter
 * 5) into a wm_module.
 *
 * Structure: the header, then a loop over sections.  Sections other than
 * custom ones must come in the spec's order, at most once each.  A section
 * is read with a reader bounded by the end of the binary (not of the
 * section), and afterwards must have consumed exactly its declared size
 * ("section size mismatch"); this mirrors the spec interpreter, so that
 * malformed modules get the same messages the spec tests expect.  Custom
 * sections are bounded by their own size.
 *
 * Safety: every reader checks its bounds (leb.c); every vector length is
 * checked against the bytes left before anything is allocated for it
 * (each item takes at least one byte), so a short hostile module cannot
 * make the decoder allocate more than a small multiple of its own size.
 * Function bodies are only split and their locals expanded; their
 * instructions are decoded by the validator with dec_instr.
 */
#include "decode/decode.h"
#include "decode/internal.h"
#include "util/util.h"

/* Declared locals per function (not counting parameters) that we accept.
   The spec allows up to 2^32-1 (more is malformed: "too many locals");
   each local costs a frame slot, so we refuse absurd counts with
   AW_ERR_UNSUPPORTED rather than allocate for them. */
#define DEC_MAX_LOCALS 50000u
/* Locals over all functions of a module.  Without this bound a run of
   tiny bodies (7 bytes each, 50000 locals each) would make the expanded
   local_types ~7000 times larger than the binary. */
#define DEC_MAX_MODULE_LOCALS (16u << 20)

enum {
  SEC_CUSTOM = 0,
  SEC_TYPE = 1,
  SEC_IMPORT = 2,
  SEC_FUNCTION = 3,
  SEC_TABLE = 4,
  SEC_MEMORY = 5,
  SEC_GLOBAL = 6,
  SEC_EXPORT = 7,
  SEC_START = 8,
  SEC_ELEMENT = 9,
  SEC_CODE = 10,
  SEC_DATA = 11,
  SEC_DATACOUNT = 12
};

typedef struct dctx {
  wm_module *m;
  aw_error *err;
  const uint8_t *base, *end; /* the module's copy of the binary */
  dec_scratch scratch;       /* for dec_instr in constant expressions */
  uint32_t nfuncs_defined;   /* length of the function section */
  uint32_t ncodes;           /* length of the code section */
  uint64_t total_locals;     /* declared locals of all bodies so far */
} dctx;

static int fail(const dctx *c, const uint8_t *at, const char *msg) {
  return aw_fail(c->err, AW_ERR_MALFORMED, (uint64_t)(at - c->base), "%s", msg);
}

static int nomem(const dctx *c, const uint8_t *at) {
  return aw_fail(c->err, AW_ERR_NOMEM, (uint64_t)(at - c->base),
                 "out of memory while decoding the module");
}

/* A vector length.  Every item takes at least one byte, so the length may
   not exceed the bytes left, counted from the length's own position as the
   spec interpreter does ("length out of bounds"). */
static int read_count(const dctx *c, dec_reader *r, uint32_t *n) {
  const uint8_t *at = r->p;
  if (dec_u32(r, n, c->err)) return -1;
  if (*n > (uint64_t)(r->end - at)) return fail(c, at, "length out of bounds");
  return 0;
}

/* A byte length (section, body, name, data): must fit in what is left. */
static int read_len(const dctx *c, dec_reader *r, uint32_t *n) {
  const uint8_t *at = r->p;
  if (dec_u32(r, n, c->err)) return -1;
  /* As in the spec interpreter: a length reaching past the end even when
     counted from its own first byte is "out of bounds"; one that only
     overlaps its own encoding is an unexpected end. */
  if (*n > (uint64_t)(r->end - at)) return fail(c, at, "length out of bounds");
  if (*n > (uint64_t)(r->end - r->p)) return dec_eos(r, c->err);
  return 0;
}

/* Is s[0..n) well-formed UTF-8 (no overlong forms, no surrogates, nothing
   above U+10FFFF)? */
static bool utf8_valid(const uint8_t *s, uint32_t n) {
  uint32_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    uint32_t len;
    uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0; /* overlong */
      if (b == 0xED) hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90; /* overlong */
      if (b == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
      return false; /* continuation byte, C0/C1, F5..FF */
    }
    if (n - i < len) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (uint32_t k = 2; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

static int read_name(const dctx *c, dec_reader *r, wm_name *out) {
  uint32_t n;
  if (read_len(c, r, &n)) return -1;
  const uint8_t *s = r->p;
  if (!utf8_valid(s, n)) return fail(c, s, "malformed UTF-8 encoding");
  out->s = malloc((size_t)n + 1);
  if (!out->s) return nomem(c, s);
  memcpy(out->s, s, n);
  out->s[n] = '\0';
  out->len = n;
  r->p += n;
  return 0;
}

static int read_valtype(const dctx *c, dec_reader *r, uint8_t *t) {
  const uint8_t *at = r->p;
  if (dec_byte(r, t, c->err)) return -1;
  if (!dec_is_valtype(*t)) return fail(c, at, "malformed value type");
  return 0;
}

static int read_reftype(const dctx *c, dec_reader *r, uint8_t *t) {
  const uint8_t *at = r->p;
  if (dec_byte(r, t, c->err)) return -1;
  if (!dec_is_reftype(*t)) return fail(c, at, "malformed reference type");
  return 0;
}

/* limits: a flag (0: min only, 1: min and max) then u32s.  The spec
   interpreter reads the flag as a 1-bit LEB128, hence its messages. */
static int read_limits(const dctx *c, dec_reader *r, wm_limits *l) {
  const uint8_t *at = r->p;
  uint8_t flag;
  if (dec_byte(r, &flag, c->err)) return -1;
  if (flag & 0x80) return fail(c, at, "integer representation too long");
  if (flag > 1) return fail(c, at, "integer too large");
  if (dec_u32(r, &l->min, c->err)) return -1;
  l->has_max = flag == 1;
  l->max = 0;
  if (l->has_max && dec_u32(r, &l->max, c->err)) return -1;
  return 0;
}

static int read_tabletype(const dctx *c, dec_reader *r, wm_tabletype *t) {
  if (read_reftype(c, r, &t->elem)) return -1;
  return read_limits(c, r, &t->lim);
}

static int read_globaltype(const dctx *c, dec_reader *r, wm_globaltype *g) {
  if (read_valtype(c, r, &g->type)) return -1;
  const uint8_t *at = r->p;
  uint8_t mut;
  if (dec_byte(r, &mut, c->err)) return -1;
  if (mut > 1) return fail(c, at, "malformed mutability");
  g->mut = mut == 1;
  return 0;
}

/* A constant expression: instructions up to the `end` that closes it
   (block/loop/if nesting counted).  Which instructions are allowed is the
   validator's business. */
static int read_expr(dctx *c, dec_reader *r, wm_expr *e) {
  const uint8_t *start = r->p;
  uint32_t depth = 1;
  wm_instr ins;
  while (depth > 0) {
    if (dec_instr(r, &ins, &c->scratch, c->err)) return -1;
    if (ins.op == 0x02 || ins.op == 0x03 || ins.op == 0x04)
      depth++;
    else if (ins.op == 0x0B)
      depth--;
  }
  e->p = start;
  e->len = (uint32_t)(r->p - start);
  e->offset = (uint32_t)(start - c->base);
  return 0;
}

/* ---- sections ---------------------------------------------------------- */

static int sec_type(dctx *c, dec_reader *r) {
  wm_module *m = c->m;
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  m->types = aw_calloc(n, sizeof *m->types);
  if (!m->types) return nomem(c, r->p);
  m->ntypes = n;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = r->p;
    uint8_t form;
    if (dec_byte(r, &form, c->err)) return -1;
    /* The form is a signed LEB128 of 7 bits: one byte at most. */
    if (form & 0x80) return fail(c, at, "integer representation too long");
    if (form != 0x60) return fail(c, at, "malformed function type");
    uint32_t np, nr;
    const uint8_t *pp, *rp;
    if (read_count(c, r, &np)) return -1;
    pp = r->p;
    for (uint32_t k = 0; k < np; k++) {
      uint8_t t;
      if (read_valtype(c, r, &t)) return -1;
    }
    if (read_count(c, r, &nr)) return -1;
    rp = r->p;
    for (uint32_t k = 0; k < nr; k++) {
      uint8_t t;
      if (read_valtype(c, r, &t)) return -1;
    }
    wm_functype *ft = &m->types[i];
    uint8_t *buf = aw_calloc((size_t)np + nr, 1);
    if (!buf) return nomem(c, at);
    memcpy(buf, pp, np);
    memcpy(buf + np, rp, nr);
    ft->params = buf;
    ft->results = buf + np;
    ft->nparams = np;
    ft->nresults = nr;
  }
  return 0;
}

static int sec_import(dctx *c, dec_reader *r) {
  wm_module *m = c->m;
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  m->imports = aw_calloc(n, sizeof *m->imports);
  if (!m->imports) return nomem(c, r->p);
  m->nimports = n;
  for (uint32_t i = 0; i < n; i++) {
    wm_import *im = &m->imports[i];
    if (read_name(c, r, &im->module) || read_name(c, r, &im->name)) return -1;
    const uint8_t *at = r->p;
    if (dec_byte(r, &im->kind, c->err)) return -1;
    switch (im->kind) {
    case WM_EXT_FUNC:
      if (dec_u32(r, &im->d.func_type, c->err)) return -1;
      m->nfuncs_imported++;
      break;
    case WM_EXT_TABLE:
      if (read_tabletype(c, r, &im->d.table)) return -1;
      m->ntables_imported++;
      break;
    case WM_EXT_MEM:
      if (read_limits(c, r, &im->d.mem)) return -1;
      m->nmems_imported++;
      break;
    case WM_EXT_GLOBAL:
      if (read_globaltype(c, r, &im->d.global)) return -1;
      m->nglobals_imported++;
      break;
    default: return fail(c, at, "malformed import kind");
    }
  }
  return 0;
}

/* The index spaces: imported entries first, then ndef definitions.  Each
   is built once, by its section or (if the section is absent) at the end. */
static int space_funcs(dctx *c, uint32_t ndef, const uint8_t *at) {
  wm_module *m = c->m;
  uint32_t ni = m->nfuncs_imported;
  if (ndef > UINT32_MAX - ni) return fail(c, at, "too many functions");
  m->func_types = aw_calloc((size_t)ni + ndef, sizeof *m->func_types);
  m->funcs = aw_calloc(ndef, sizeof *m->funcs);
  if (!m->func_types || !m->funcs) return nomem(c, at);
  m->nfuncs = ni + ndef;
  uint32_t k = 0;
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WM_EXT_FUNC)
      m->func_types[k++] = m->imports[i].d.func_type;
  return 0;
}

static int space_tables(dctx *c, uint32_t ndef, const uint8_t *at) {
  wm_module *m = c->m;
  uint32_t ni = m->ntables_imported;
  if (ndef > UINT32_MAX - ni) return fail(c, at, "too many tables");
  m->tables = aw_calloc((size_t)ni + ndef, sizeof *m->tables);
  if (!m->tables) return nomem(c, at);
  m->ntables = ni + ndef;
  uint32_t k = 0;
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WM_EXT_TABLE)
      m->tables[k++] = m->imports[i].d.table;
  return 0;
}

static int space_mems(dctx *c, uint32_t ndef, const uint8_t *at) {
  wm_module *m = c->m;
  uint32_t ni = m->nmems_imported;
  if (ndef > UINT32_MAX - ni) return fail(c, at, "too many memories");
  m->mems = aw_calloc((size_t)ni + ndef, sizeof *m->mems);
  if (!m->mems) return nomem(c, at);
  m->nmems = ni + ndef;
  uint32_t k = 0;
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WM_EXT_MEM) m->mems[k++] = m->imports[i].d.mem;
  return 0;
}

static int space_globals(dctx *c, uint32_t ndef, const uint8_t *at) {
  wm_module *m = c->m;
  uint32_t ni = m->nglobals_imported;
  if (ndef > UINT32_MAX - ni) return fail(c, at, "too many globals");
  m->globals = aw_calloc((size_t)ni + ndef, sizeof *m->globals);
  if (!m->globals) return nomem(c, at);
  m->nglobals = ni + ndef;
  uint32_t k = 0;
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WM_EXT_GLOBAL)
      m->globals[k++].type = m->imports[i].d.global;
  return 0;
}

static int sec_function(dctx *c, dec_reader *r) {
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  if (space_funcs(c, n, r->p)) return -1;
  wm_module *m = c->m;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t t;
    if (dec_u32(r, &t, c->err)) return -1;
    m->func_types[m->nfuncs_imported + i] = t;
    m->funcs[i].type_idx = t;
  }
  c->nfuncs_defined = n;
  return 0;
}

static int sec_table(dctx *c, dec_reader *r) {
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  if (space_tables(c, n, r->p)) return -1;
  for (uint32_t i = 0; i < n; i++)
    if (read_tabletype(c, r, &c->m->tables[c->m->ntables_imported + i]))
      return -1;
  return 0;
}

static int sec_memory(dctx *c, dec_reader *r) {
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  if (space_mems(c, n, r->p)) return -1;
  for (uint32_t i = 0; i < n; i++)
    if (read_limits(c, r, &c->m->mems[c->m->nmems_imported + i])) return -1;
  return 0;
}

static int sec_global(dctx *c, dec_reader *r) {
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  if (space_globals(c, n, r->p)) return -1;
  for (uint32_t i = 0; i < n; i++) {
    wm_global *g = &c->m->globals[c->m->nglobals_imported + i];
    if (read_globaltype(c, r, &g->type) || read_expr(c, r, &g->init)) return -1;
  }
  return 0;
}

static int sec_export(dctx *c, dec_reader *r) {
  wm_module *m = c->m;
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  m->exports = aw_calloc(n, sizeof *m->exports);
  if (!m->exports) return nomem(c, r->p);
  m->nexports = n;
  for (uint32_t i = 0; i < n; i++) {
    wm_export *ex = &m->exports[i];
    if (read_name(c, r, &ex->name)) return -1;
    const uint8_t *at = r->p;
    if (dec_byte(r, &ex->kind, c->err)) return -1;
    if (ex->kind > WM_EXT_GLOBAL) return fail(c, at, "malformed export kind");
    if (dec_u32(r, &ex->index, c->err)) return -1;
  }
  return 0;
}

static int sec_start(dctx *c, dec_reader *r) {
  if (dec_u32(r, &c->m->start, c->err)) return -1;
  c->m->has_start = true;
  return 0;
}

/* Element segments, flags 0..7: bit 0 = passive or declarative, bit 1 =
   explicit table index (active) or declarative (otherwise), bit 2 = items
   are expressions instead of function indices. */
static int sec_element(dctx *c, dec_reader *r) {
  wm_module *m = c->m;
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  m->elems = aw_calloc(n, sizeof *m->elems);
  if (!m->elems) return nomem(c, r->p);
  m->nelems = n;
  for (uint32_t i = 0; i < n; i++) {
    wm_elem *e = &m->elems[i];
    const uint8_t *at = r->p;
    uint32_t flags;
    if (dec_u32(r, &flags, c->err)) return -1;
    if (flags > 7) return fail(c, at, "malformed elements segment kind");
    bool exprs = flags & 4;
    e->type = WM_FUNCREF;
    if (!(flags & 1)) {
      e->mode = WM_SEG_ACTIVE;
      if ((flags & 2) && dec_u32(r, &e->table, c->err)) return -1;
      if (read_expr(c, r, &e->offset)) return -1;
    } else {
      e->mode = (flags & 2) ? WM_SEG_DECLARATIVE : WM_SEG_PASSIVE;
    }
    /* Explicit element kind / reference type unless flags is 0 or 4. */
    if (flags & 3) {
      if (exprs) {
        if (read_reftype(c, r, &e->type)) return -1;
      } else {
        const uint8_t *kat = r->p;
        uint8_t kind;
        if (dec_byte(r, &kind, c->err)) return -1;
        if (kind != 0x00) return fail(c, kat, "malformed element kind");
      }
    }
    uint32_t count;
    if (read_count(c, r, &count)) return -1;
    if (exprs) {
      e->exprs = aw_calloc(count, sizeof *e->exprs);
      if (!e->exprs) return nomem(c, r->p);
      e->count = count;
      for (uint32_t k = 0; k < count; k++)
        if (read_expr(c, r, &e->exprs[k])) return -1;
    } else {
      e->funcs = aw_calloc(count, sizeof *e->funcs);
      if (!e->funcs) return nomem(c, r->p);
      e->count = count;
      for (uint32_t k = 0; k < count; k++)
        if (dec_u32(r, &e->funcs[k], c->err)) return -1;
    }
  }
  return 0;
}

static int sec_datacount(dctx *c, dec_reader *r) {
  if (dec_u32(r, &c->m->datacount, c->err)) return -1;
  c->m->has_datacount = true;
  return 0;
}

/* A body whose last byte is not 0x0B.  Report what the spec interpreter
   reports: it decodes instructions without regard to the body's size until
   the body's `end` (or a stray `else`), then checks the size.  Only the
   error path does this walk; it stays inside the binary. */
static int bad_body_end(dctx *c, const dec_reader *body) {
  dec_reader r = {body->p, c->end, c->base};
  uint32_t depth = 1;
  wm_instr ins;
  for (;;) {
    if (dec_instr(&r, &ins, &c->scratch, c->err)) return -1;
    if (ins.op == 0x02 || ins.op == 0x03 || ins.op == 0x04) {
      depth++;
    } else if (ins.op == 0x05 && depth == 1) {
      return aw_fail(c->err, AW_ERR_MALFORMED, ins.offset,
                     "END opcode expected");
    } else if (ins.op == 0x0B && --depth == 0) {
      return fail(c, r.p, "section size mismatch");
    }
  }
}

/* One function body: local declarations, then the instructions, which are
   kept as bytes for the validator. */
static int read_body(dctx *c, dec_reader *r, wm_func *f) {
  const uint8_t *at = r->p;
  uint32_t size;
  if (read_len(c, r, &size)) return -1;
  dec_reader b = {r->p, r->p + size, c->base};
  r->p += size;

  uint32_t nruns;
  if (read_count(c, &b, &nruns)) return -1;
  const uint8_t *runs = b.p;
  uint64_t total = 0;
  for (uint32_t i = 0; i < nruns; i++) {
    uint32_t cnt;
    uint8_t t;
    if (dec_u32(&b, &cnt, c->err) || read_valtype(c, &b, &t)) return -1;
    total += cnt;
    if (total > UINT32_MAX) return fail(c, at, "too many locals");
  }
  if (total > DEC_MAX_LOCALS)
    return aw_fail(c->err, AW_ERR_UNSUPPORTED, (uint64_t)(at - c->base),
                   "too many locals: %llu declared, this engine accepts at "
                   "most %u per function",
                   (unsigned long long)total, DEC_MAX_LOCALS);
  c->total_locals += total;
  if (c->total_locals > DEC_MAX_MODULE_LOCALS)
    return aw_fail(c->err, AW_ERR_UNSUPPORTED, (uint64_t)(at - c->base),
                   "too many locals: more than %u declared in the module's "
                   "functions together (this engine's limit)",
                   DEC_MAX_MODULE_LOCALS);
  f->local_types = aw_calloc((size_t)total, 1);
  if (!f->local_types) return nomem(c, at);
  f->nlocals = (uint32_t)total;
  /* Second pass over the (already checked) runs to expand them. */
  dec_reader again = {runs, b.p, c->base};
  uint32_t k = 0;
  for (uint32_t i = 0; i < nruns; i++) {
    uint32_t cnt;
    uint8_t t;
    if (dec_u32(&again, &cnt, c->err) || dec_byte(&again, &t, c->err))
      return -1;
    memset(f->local_types + k, t, cnt);
    k += cnt;
  }
  if (b.p >= b.end || b.end[-1] != 0x0B) return bad_body_end(c, &b);
  f->body.p = b.p;
  f->body.len = (uint32_t)(b.end - b.p);
  f->body.offset = (uint32_t)(b.p - c->base);
  return 0;
}

static int sec_code(dctx *c, dec_reader *r) {
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  c->ncodes = n;
  /* A count that differs from the function section's is reported after
     the last section (as the spec interpreter does); extra bodies are
     still decoded, into a scratch wm_func. */
  for (uint32_t i = 0; i < n; i++) {
    if (i < c->nfuncs_defined) {
      if (read_body(c, r, &c->m->funcs[i])) return -1;
    } else {
      wm_func extra = {0};
      int rc = read_body(c, r, &extra);
      free(extra.local_types);
      if (rc) return -1;
    }
  }
  return 0;
}

static int sec_data(dctx *c, dec_reader *r) {
  wm_module *m = c->m;
  const uint8_t *at = r->p;
  uint32_t n;
  if (read_count(c, r, &n)) return -1;
  if (m->has_datacount && n != m->datacount)
    return fail(c, at, "data count and data section have inconsistent lengths");
  m->datas = aw_calloc(n, sizeof *m->datas);
  if (!m->datas) return nomem(c, r->p);
  m->ndatas = n;
  for (uint32_t i = 0; i < n; i++) {
    wm_data *d = &m->datas[i];
    const uint8_t *fat = r->p;
    uint32_t flags;
    if (dec_u32(r, &flags, c->err)) return -1;
    if (flags > 2) return fail(c, fat, "malformed data segment kind");
    d->mode = flags == 1 ? WM_SEG_PASSIVE : WM_SEG_ACTIVE;
    if (flags == 2 && dec_u32(r, &d->mem, c->err)) return -1;
    if (flags != 1 && read_expr(c, r, &d->offset)) return -1;
    uint32_t len;
    if (read_len(c, r, &len)) return -1;
    d->bytes.p = r->p;
    d->bytes.len = len;
    d->bytes.offset = (uint32_t)(r->p - c->base);
    r->p += len;
  }
  return 0;
}

/* Custom section: a UTF-8 name inside the section, then opaque bytes. */
static int sec_custom(dctx *c, dec_reader *r) {
  uint32_t n;
  if (read_len(c, r, &n)) return -1;
  if (!utf8_valid(r->p, n)) return fail(c, r->p, "malformed UTF-8 encoding");
  r->p = r->end;
  return 0;
}

/* Position of each section id in the required order (custom: 0). */
static int section_rank(uint8_t id) {
  static const int8_t rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return rank[id];
}

/* Marks func_declared for every ref.func in a constant expression. */
static int mark_expr(dctx *c, const wm_expr *e) {
  if (!e->len) return 0;
  dec_reader r = {e->p, e->p + e->len, c->base};
  wm_instr ins;
  while (r.p < r.end) {
    if (dec_instr(&r, &ins, &c->scratch, c->err)) return -1;
    if (ins.op == 0xD2 && ins.a < c->m->nfuncs)
      c->m->func_declared[ins.a] = true;
  }
  return 0;
}

/* C.refs of the spec: functions named outside function bodies. */
static int mark_declared(dctx *c) {
  wm_module *m = c->m;
  m->func_declared = aw_calloc(m->nfuncs, sizeof *m->func_declared);
  if (!m->func_declared) return nomem(c, c->end);
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WM_EXT_FUNC && m->exports[i].index < m->nfuncs)
      m->func_declared[m->exports[i].index] = true;
  for (uint32_t i = m->nglobals_imported; i < m->nglobals; i++)
    if (mark_expr(c, &m->globals[i].init)) return -1;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const wm_elem *e = &m->elems[i];
    if (mark_expr(c, &e->offset)) return -1;
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->funcs && e->funcs[k] < m->nfuncs)
        m->func_declared[e->funcs[k]] = true;
      if (e->exprs && mark_expr(c, &e->exprs[k])) return -1;
    }
  }
  for (uint32_t i = 0; i < m->ndatas; i++)
    if (mark_expr(c, &m->datas[i].offset)) return -1;
  return 0;
}

static int decode_sections(dctx *c) {
  wm_module *m = c->m;
  const uint8_t *p = c->base + 8;
  int last = 0;
  while (p < c->end) {
    const uint8_t *at = p;
    uint8_t id = *p++;
    if (id > SEC_DATACOUNT) return fail(c, at, "malformed section id");
    dec_reader r = {p, c->end, c->base};
    uint32_t size;
    if (read_len(c, &r, &size)) return -1;
    const uint8_t *sec_end = r.p + size;
    int rc;
    if (id == SEC_CUSTOM) {
      r.end = sec_end;
      rc = sec_custom(c, &r);
    } else {
      int rank = section_rank(id);
      if (rank <= last)
        return fail(c, at, "unexpected content after last section");
      last = rank;
      switch (id) {
      case SEC_TYPE: rc = sec_type(c, &r); break;
      case SEC_IMPORT: rc = sec_import(c, &r); break;
      case SEC_FUNCTION: rc = sec_function(c, &r); break;
      case SEC_TABLE: rc = sec_table(c, &r); break;
      case SEC_MEMORY: rc = sec_memory(c, &r); break;
      case SEC_GLOBAL: rc = sec_global(c, &r); break;
      case SEC_EXPORT: rc = sec_export(c, &r); break;
      case SEC_START: rc = sec_start(c, &r); break;
      case SEC_ELEMENT: rc = sec_element(c, &r); break;
      case SEC_DATACOUNT: rc = sec_datacount(c, &r); break;
      case SEC_CODE: rc = sec_code(c, &r); break;
      default: rc = sec_data(c, &r); break;
      }
    }
    if (rc) return -1;
    if (r.p != sec_end) return fail(c, r.p, "section size mismatch");
    p = sec_end;
  }
  if (c->nfuncs_defined != c->ncodes)
    return fail(c, c->end,
                "function and code section have inconsistent lengths");
  if (m->has_datacount && m->datacount != m->ndatas)
    return fail(c, c->end,
                "data count and data section have inconsistent lengths");
  if (!m->func_types && space_funcs(c, 0, c->end)) return -1;
  if (!m->tables && space_tables(c, 0, c->end)) return -1;
  if (!m->mems && space_mems(c, 0, c->end)) return -1;
  if (!m->globals && space_globals(c, 0, c->end)) return -1;
  return mark_declared(c);
}

int dec_module(const uint8_t *bytes, size_t len, wm_module *m, aw_error *err) {
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
  memset(m, 0, sizeof *m);
  if (len < 4) return aw_fail(err, AW_ERR_MALFORMED, len, "unexpected end");
  if (memcmp(bytes, magic, 4) != 0)
    return aw_fail(err, AW_ERR_MALFORMED, 0, "magic header not detected");
  if (len < 8) return aw_fail(err, AW_ERR_MALFORMED, len, "unexpected end");
  if (bytes[4] != 1 || bytes[5] || bytes[6] || bytes[7])
    return aw_fail(err, AW_ERR_MALFORMED, 4, "unknown binary version");
  if (len > UINT32_MAX)
    return aw_fail(err, AW_ERR_UNSUPPORTED, UINT64_MAX,
                   "module too large (%zu bytes)", len);
  m->bin = malloc(len);
  if (!m->bin)
    return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
                   "out of memory copying the module");
  memcpy(m->bin, bytes, len);
  m->bin_len = len;

  dctx c = {.m = m, .err = err, .base = m->bin, .end = m->bin + len};
  int rc = decode_sections(&c);
  dec_scratch_free(&c.scratch);
  if (rc) {
    wm_module_free(m);
    return -1;
  }
  return 0;
}
