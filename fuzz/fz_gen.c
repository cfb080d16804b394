/*
 * fz_gen.c - the structure-aware module generator of fuzz_gen (see
 * fz_gen.h).  Every generated function has type (i32 i32) -> i32 and uses
 * only i32 operands between instructions; the generator tracks the
 * operand height of each open block so that the body always validates.
 * Blocks are void ([] -> []); after an unconditional branch the current
 * block is closed at once (its end is then valid whatever the stack).
 */
#include "fz_gen.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint8_t *p;
  size_t n, cap;
  bool oom;
} gbuf;

static void put(gbuf *b, uint8_t c) {
  if (b->oom) return;
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
      b->oom = true;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  b->p[b->n++] = c;
}

static void put_bytes(gbuf *b, const uint8_t *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    put(b, s[i]);
}

static void put_u32(gbuf *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    put(b, v ? (uint8_t)(c | 0x80) : c);
  } while (v);
}

static void put_s64(gbuf *b, int64_t v) {
  for (;;) {
    uint8_t c = (uint8_t)(v & 0x7F);
    v >>= 7; /* arithmetic shift on every supported compiler */
    bool done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
    put(b, done ? c : (uint8_t)(c | 0x80));
    if (done) return;
  }
}

/* Appends section id with the contents of sec. */
static void put_section(gbuf *out, uint8_t id, gbuf *sec) {
  put(out, id);
  put_u32(out, (uint32_t)sec->n);
  put_bytes(out, sec->p, sec->n);
  if (sec->oom) out->oom = true;
  free(sec->p);
  memset(sec, 0, sizeof *sec);
}

/* The fuzz input, read byte by byte (zeros once exhausted). */
typedef struct {
  const uint8_t *p;
  size_t n;
} gin;

static uint8_t byte(gin *in) {
  if (!in->n) return 0;
  in->n--;
  return *in->p++;
}

static uint32_t word(gin *in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t)byte(in) << (8 * i);
  return v;
}

/* An interesting i32: small, boundary or arbitrary. */
static int32_t value(gin *in) {
  static const int32_t special[] = {
      0,  1,     -1,    2,          7,         8,          16,     31,
      32, 65535, 65536, 0x7FFFFFFF, INT32_MIN, 0x10000000, 0xFFF0, 1 << 20};
  uint8_t k = byte(in);
  if (k < 128) return special[k % 16];
  if (k < 192) return (int32_t)(k - 160);
  return (int32_t)word(in);
}

#define GEN_MAX_DEPTH 48
#define GEN_MAX_OPS 400

typedef struct {
  uint32_t base; /* operand height at entry (after the if's condition) */
  uint8_t kind;  /* 0 function, 1 block, 2 loop, 3 if, 4 else */
  uint8_t arity; /* results: 0 ([] -> []) or 1 ([] -> [i32]) */
} gframe;

typedef struct {
  gin *in;
  gbuf *b;
  uint32_t nfuncs;  /* in the index space, the import included */
  uint32_t nlocals; /* params included */
  uint32_t h;       /* operand height */
  gframe f[GEN_MAX_DEPTH];
  uint32_t depth;
} gfn;

static uint32_t avail(const gfn *g) {
  return g->h - g->f[g->depth - 1].base;
}

static void push_const(gfn *g) {
  put(g->b, 0x41);
  put_s64(g->b, value(g->in));
  g->h++;
}

static void need(gfn *g, uint32_t n) {
  while (avail(g) < n)
    push_const(g);
}

/* Leaves exactly n operands in the innermost frame. */
static void settle(gfn *g, uint32_t n) {
  need(g, n);
  while (avail(g) > n) {
    put(g->b, 0x1A);
    g->h--;
  }
}

/* Ends the innermost frame: leaves its results (unless unreachable) and
   emits end.  An if with a result and no else gets an else producing a
   constant (an if without else must be [] -> []). */
static void close_frame(gfn *g, bool unreachable) {
  gframe *fr = &g->f[g->depth - 1];
  if (!unreachable) settle(g, fr->arity);
  if (fr->kind == 3 && fr->arity) {
    put(g->b, 0x05);
    g->h = fr->base;
    push_const(g);
  }
  put(g->b, 0x0B);
  g->h = fr->base + fr->arity;
  g->depth--;
}

static void open_frame(gfn *g, uint8_t op, uint8_t kind, uint8_t arity) {
  put(g->b, op);
  put(g->b, arity ? 0x7F : 0x40);
  g->f[g->depth].base = g->h;
  g->f[g->depth].kind = kind;
  g->f[g->depth].arity = arity;
  g->depth++;
}

/* Arity of label l (0 = innermost): a loop's label takes its (no)
   parameters, any other label its results. */
static uint32_t label_arity(const gfn *g, uint32_t l) {
  const gframe *fr = &g->f[g->depth - 1 - l];
  return fr->kind == 2 ? 0 : fr->arity;
}

static const uint8_t binops[] = {0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
                                 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
                                 0x78, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B,
                                 0x4C, 0x4D, 0x4E, 0x4F};
static const uint8_t unops[] = {0x45, 0x67, 0x68, 0x69, 0xC0, 0xC1};
static const uint8_t i64binops[] = {0x7C, 0x7D, 0x7E, 0x7F, 0x80, 0x81,
                                    0x82, 0x86, 0x87, 0x88, 0x89, 0x8A};
static const uint8_t loads[] = {0x28, 0x2C, 0x2D, 0x2E, 0x2F};
static const uint8_t load_align[] = {2, 0, 0, 1, 1};
static const uint8_t stores[] = {0x36, 0x3A, 0x3B};
static const uint8_t store_align[] = {2, 0, 1};

static void memarg(gfn *g, uint8_t natural) {
  uint8_t a = byte(g->in);
  put_u32(g->b, a % (natural + 1u));
  uint8_t k = byte(g->in);
  put_u32(g->b, k < 200 ? k : (k < 250 ? 65536u * (k - 199) : word(g->in)));
}

static void gen_body(gfn *g) {
  g->depth = 0;
  g->h = 0;
  g->f[0].base = 0;
  g->f[0].kind = 0;
  g->f[0].arity = 1;
  g->depth = 1;
  for (unsigned ops = 0; ops < GEN_MAX_OPS && g->in->n && g->depth; ops++) {
    uint8_t op = byte(g->in) % 42;
    uint8_t x = byte(g->in);
    switch (op) {
    case 0: push_const(g); break;
    case 1:
      put(g->b, 0x20);
      put_u32(g->b, x % g->nlocals);
      g->h++;
      break;
    case 2:
    case 3:
      need(g, 1);
      put(g->b, op == 2 ? 0x21 : 0x22);
      put_u32(g->b, x % g->nlocals);
      if (op == 2) g->h--;
      break;
    case 4:
      put(g->b, 0x23);
      put_u32(g->b, x % 2);
      g->h++;
      break;
    case 5:
      need(g, 1);
      put(g->b, 0x24);
      put_u32(g->b, x % 2);
      g->h--;
      break;
    case 6:
    case 7:
      need(g, 2);
      put(g->b, binops[x % sizeof binops]);
      g->h--;
      break;
    case 8:
      need(g, 1);
      put(g->b, unops[x % sizeof unops]);
      break;
    case 9:
    case 10:
      need(g, 1);
      put(g->b, loads[x % sizeof loads]);
      memarg(g, load_align[x % sizeof loads]);
      break;
    case 11:
      need(g, 2);
      put(g->b, stores[x % sizeof stores]);
      memarg(g, store_align[x % sizeof stores]);
      g->h -= 2;
      break;
    case 12:
      put(g->b, 0x3F);
      put(g->b, 0);
      g->h++;
      break;
    case 13:
      need(g, 1);
      put(g->b, 0x40);
      put(g->b, 0);
      break;
    case 14: /* memory.fill / memory.copy / memory.init */
      need(g, 3);
      put(g->b, 0xFC);
      if (x % 3 == 0) {
        put_u32(g->b, 11);
        put(g->b, 0);
      } else if (x % 3 == 1) {
        put_u32(g->b, 10);
        put(g->b, 0);
        put(g->b, 0);
      } else {
        put_u32(g->b, 8);
        put_u32(g->b, x % 2);
        put(g->b, 0);
      }
      g->h -= 3;
      break;
    case 15:
      put(g->b, 0xFC);
      put_u32(g->b, 9);
      put_u32(g->b, x % 2);
      break;
    case 16:
    case 17:
      need(g, 2);
      put(g->b, 0x10);
      put_u32(g->b, x % g->nfuncs);
      g->h--;
      break;
    case 18: /* call_indirect: type 0, or type 1 ([] -> []) */
      if (x % 3) {
        need(g, 3);
        put(g->b, 0x11);
        put_u32(g->b, 0);
        g->h -= 2;
      } else {
        need(g, 1);
        put(g->b, 0x11);
        put_u32(g->b, 1);
        g->h -= 1;
      }
      put(g->b, 0);
      break;
    case 19:
    case 20:
    case 21:
      if (g->depth < GEN_MAX_DEPTH) {
        uint8_t arity = (x >> 4) & 1;
        if (op == 21) {
          need(g, 1);
          g->h--;
          open_frame(g, 0x04, 3, arity);
        } else {
          open_frame(g, op == 19 ? 0x02 : 0x03, op == 19 ? 1 : 2, arity);
        }
      }
      break;
    case 22: {
      gframe *fr = &g->f[g->depth - 1];
      if (fr->kind == 3) {
        settle(g, fr->arity);
        put(g->b, 0x05);
        g->h = fr->base;
        fr->kind = 4;
      }
      break;
    }
    case 23:
    case 24:
      if (g->depth > 1) close_frame(g, false);
      break;
    case 25: { /* br */
      uint32_t l = x % g->depth;
      need(g, label_arity(g, l));
      put(g->b, 0x0C);
      put_u32(g->b, l);
      close_frame(g, true);
      break;
    }
    case 26:
    case 27: { /* br_if */
      uint32_t l = x % g->depth;
      need(g, label_arity(g, l) + 1);
      put(g->b, 0x0D);
      put_u32(g->b, l);
      g->h--;
      break;
    }
    case 28: { /* br_table over labels of one arity (the default's) */
      uint32_t n = byte(g->in) % 24;
      uint32_t dflt = x % g->depth, a = label_arity(g, dflt);
      need(g, a + 1);
      put(g->b, 0x0E);
      put_u32(g->b, n);
      for (uint32_t i = 0; i < n; i++) {
        uint32_t l = byte(g->in) % g->depth;
        put_u32(g->b, label_arity(g, l) == a ? l : dflt);
      }
      put_u32(g->b, dflt);
      close_frame(g, true);
      break;
    }
    case 29: /* return */
      need(g, 1);
      put(g->b, 0x0F);
      close_frame(g, true);
      break;
    case 30:
      need(g, 1);
      put(g->b, 0x1A);
      g->h--;
      break;
    case 31:
      need(g, 3);
      put(g->b, 0x1B);
      g->h -= 2;
      break;
    case 32:
      if (x == 0xFF) {
        put(g->b, 0x00);
        close_frame(g, true);
      }
      break;
    case 33: /* table.size */
      put(g->b, 0xFC);
      put_u32(g->b, 16);
      put(g->b, 0);
      g->h++;
      break;
    case 34: /* table.grow (ref.null func, n) */
      put(g->b, 0xD0);
      put(g->b, 0x70);
      push_const(g);
      put(g->b, 0xFC);
      put_u32(g->b, 15);
      put(g->b, 0);
      break;
    case 35: /* table.fill i (ref.func k) n */
      need(g, 1);
      put(g->b, 0xD2);
      put_u32(g->b, x % g->nfuncs);
      push_const(g);
      put(g->b, 0xFC);
      put_u32(g->b, 17);
      put(g->b, 0);
      g->h -= 2;
      break;
    case 36: /* table.set i (ref.func k) */
      need(g, 1);
      put(g->b, 0xD2);
      put_u32(g->b, x % g->nfuncs);
      put(g->b, 0x26);
      put(g->b, 0);
      g->h--;
      break;
    case 37: /* table.get i; ref.is_null */
      need(g, 1);
      put(g->b, 0x25);
      put(g->b, 0);
      put(g->b, 0xD1);
      break;
    case 38: /* i64 detour */
      need(g, 1);
      put(g->b, x & 1 ? 0xAC : 0xAD);
      put(g->b, 0x42);
      put_s64(g->b, (int64_t)(((uint64_t)word(g->in) << 32) | word(g->in)));
      put(g->b, i64binops[x % sizeof i64binops]);
      put(g->b, 0xA7);
      break;
    case 39: /* float detour: convert, op, truncate (trapping or not) */
      need(g, 1);
      put(g->b, x & 1 ? 0xB7 : 0xB2); /* f64/f32.convert_i32_s */
      if (x & 1) {
        put(g->b, x & 2 ? 0x9F : 0x9A); /* f64.sqrt / f64.neg */
        if (x & 4) {
          put(g->b, 0xAA); /* i32.trunc_f64_s */
        } else {
          put(g->b, 0xFC);
          put_u32(g->b, 2); /* i32.trunc_sat_f64_s */
        }
      } else {
        put(g->b, 0x8C); /* f32.neg */
        put(g->b, 0xA9); /* i32.trunc_f32_u: traps on negatives */
      }
      break;
    case 40: /* elem.drop / table.init */
      if (x & 1) {
        put(g->b, 0xFC);
        put_u32(g->b, 13);
        put_u32(g->b, 0);
      } else {
        need(g, 3);
        put(g->b, 0xFC);
        put_u32(g->b, 12);
        put_u32(g->b, 0);
        put(g->b, 0);
        g->h -= 3;
      }
      break;
    default:
      if (x > 250) return; /* end the function here */
      break;
    }
  }
}

static void finish_body(gfn *g) {
  while (g->depth)
    close_frame(g, false);
}

uint8_t *fz_gen_module(const uint8_t *data, size_t size, size_t *len) {
  gin in = {data, size};
  gbuf out = {0}, sec = {0};
  static const uint8_t magic[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  put_bytes(&out, magic, sizeof magic);

  uint32_t ndef = 1 + byte(&in) % 6;
  uint32_t nfuncs = ndef + 1;
  uint8_t memcfg = byte(&in);
  uint32_t mem_min = memcfg % 3;
  bool has_max = memcfg & 0x10;
  uint32_t mem_max = mem_min + (memcfg >> 5);

  /* Types: 0 = (i32 i32) -> i32, 1 = [] -> []. */
  static const uint8_t types[] = {2, 0x60, 2, 0x7F, 0x7F, 1, 0x7F, 0x60, 0, 0};
  put_bytes(&sec, types, sizeof types);
  put_section(&out, 1, &sec);
  /* Import: env.f of type 0 (a host function). */
  static const uint8_t imports[] = {1, 3, 'e', 'n', 'v', 1, 'f', 0, 0};
  put_bytes(&sec, imports, sizeof imports);
  put_section(&out, 2, &sec);
  put_u32(&sec, ndef);
  for (uint32_t i = 0; i < ndef; i++)
    put(&sec, 0);
  put_section(&out, 3, &sec);
  /* Table: funcref, min nfuncs, optional max. */
  put_u32(&sec, 1);
  put(&sec, 0x70);
  if (memcfg & 0x08) {
    put(&sec, 1);
    put_u32(&sec, nfuncs);
    put_u32(&sec, nfuncs + (memcfg & 7) * 100u);
  } else {
    put(&sec, 0);
    put_u32(&sec, nfuncs);
  }
  put_section(&out, 4, &sec);
  put_u32(&sec, 1);
  put(&sec, has_max ? 1 : 0);
  put_u32(&sec, mem_min);
  if (has_max) put_u32(&sec, mem_max);
  put_section(&out, 5, &sec);
  /* Globals: two mutable i32. */
  put_u32(&sec, 2);
  for (int i = 0; i < 2; i++) {
    put(&sec, 0x7F);
    put(&sec, 1);
    put(&sec, 0x41);
    put_s64(&sec, value(&in));
    put(&sec, 0x0B);
  }
  put_section(&out, 6, &sec);
  /* Exports: every defined function as f<i>, the memory as "mem". */
  put_u32(&sec, ndef + 1);
  for (uint32_t i = 0; i < ndef; i++) {
    put(&sec, 2);
    put(&sec, 'f');
    put(&sec, (uint8_t)('0' + i));
    put(&sec, 0);
    put_u32(&sec, i + 1);
  }
  put(&sec, 3);
  put_bytes(&sec, (const uint8_t *)"mem", 3);
  put(&sec, 2);
  put(&sec, 0);
  put_section(&out, 7, &sec);
  /* Elements: one active segment putting every function in the table. */
  put_u32(&sec, 1);
  put(&sec, 0);
  put(&sec, 0x41);
  put(&sec, 0);
  put(&sec, 0x0B);
  put_u32(&sec, nfuncs);
  for (uint32_t i = 0; i < nfuncs; i++)
    put_u32(&sec, i);
  put_section(&out, 9, &sec);
  put_u32(&sec, 2);
  put_section(&out, 12, &sec); /* data count */
  /* Code. */
  put_u32(&sec, ndef);
  for (uint32_t i = 0; i < ndef; i++) {
    gbuf body = {0};
    uint32_t extra = byte(&in) % 5;
    if (extra) {
      put_u32(&body, 1);
      put_u32(&body, extra);
      put(&body, 0x7F);
    } else {
      put_u32(&body, 0);
    }
    gfn g = {.in = &in, .b = &body, .nfuncs = nfuncs, .nlocals = 2 + extra};
    gen_body(&g);
    finish_body(&g);
    if (body.oom) sec.oom = true;
    put_u32(&sec, (uint32_t)body.n);
    put_bytes(&sec, body.p, body.n);
    free(body.p);
  }
  put_section(&out, 10, &sec);
  /* Data: two passive segments (for memory.init and data.drop). */
  put_u32(&sec, 2);
  static const uint8_t text[] = "airssys-wasm hostile data";
  put(&sec, 1);
  put_u32(&sec, sizeof text - 1);
  put_bytes(&sec, text, sizeof text - 1);
  put(&sec, 1);
  put_u32(&sec, 4);
  put_bytes(&sec, text, 4);
  put_section(&out, 11, &sec);
  if (out.oom) {
    free(out.p);
    return NULL;
  }
  *len = out.n;
  return out.p;
}
