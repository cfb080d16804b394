/*
 * test_decode.c - the binary decoder (src/decode): LEB128 readers,
 * dec_instr, dec_module on hand-built modules covering every section and
 * encoding, and on malformed ones (each error, truncation at every byte,
 * random mutations).
 */
#include "decode/decode.h"
#include "test.h"
#include "util/util.h"

/* ---- a tiny module builder ---------------------------------------------- */

typedef struct mbuf {
  uint8_t b[8192];
  size_t n;
  size_t bounds[32]; /* ends of sections: valid truncation points */
  int nbounds;
} mbuf;

static void put(mbuf *m, const uint8_t *p, size_t n) {
  memcpy(m->b + m->n, p, n);
  m->n += n;
}

static void put_u32(mbuf *m, uint32_t v) {
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    if (v) byte |= 0x80;
    m->b[m->n++] = byte;
  } while (v);
}

static void header(mbuf *m) {
  static const uint8_t h[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  m->n = 0;
  m->nbounds = 0;
  put(m, h, sizeof h);
  m->bounds[m->nbounds++] = m->n;
}

static void section(mbuf *m, uint8_t id, const uint8_t *c, size_t n) {
  m->b[m->n++] = id;
  put_u32(m, (uint32_t)n);
  put(m, c, n);
  m->bounds[m->nbounds++] = m->n;
}

#define SEC(m, id, ...)                                                        \
  do {                                                                         \
    static const uint8_t c_[] = {__VA_ARGS__};                                 \
    section(m, id, c_, sizeof c_);                                             \
  } while (0)

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__})
#define MOD(...) ((const uint8_t[]){0, 'a', 's', 'm', 1, 0, 0, 0, __VA_ARGS__})
#define MODLEN(...) (8 + sizeof((const uint8_t[]){__VA_ARGS__}))

static int decode(const uint8_t *b, size_t n, wm_module *m, aw_error *e) {
  aw_error_clear(e);
  return dec_module(b, n, m, e);
}

/* Decodes a module that must be malformed with a message starting with
   msg; returns 1 if so (else prints what happened). */
static int malformed_is(const uint8_t *b, size_t n, const char *msg) {
  wm_module m;
  aw_error e;
  if (decode(b, n, &m, &e) == 0) {
    fprintf(stderr, "  decoded, expected \"%s\"\n", msg);
    wm_module_free(&m);
    return 0;
  }
  if (e.kind != AW_ERR_MALFORMED || strncmp(e.message, msg, strlen(msg))) {
    fprintf(stderr, "  got %s \"%s\", expected \"%s\"\n",
            aw_errkind_name(e.kind), e.message, msg);
    return 0;
  }
  return 1;
}

#define CHECK_MALFORMED(msg, ...)                                              \
  CHECK(malformed_is(MOD(__VA_ARGS__), MODLEN(__VA_ARGS__), msg))

/* ---- LEB128 readers ----------------------------------------------------- */

static int rd_u32(const uint8_t *b, size_t n, uint32_t *v, aw_error *e,
                  size_t *used) {
  dec_reader r = {b, b + n, b};
  aw_error_clear(e);
  int rc = dec_u32(&r, v, e);
  *used = (size_t)(r.p - b);
  return rc;
}

TEST(decode_leb_u32) {
  uint32_t v;
  size_t used;
  aw_error e;
  CHECK_EQ_INT(rd_u32(BYTES(0x05), 1, &v, &e, &used), 0);
  CHECK_EQ_INT(v, 5);
  CHECK_EQ_INT(rd_u32(BYTES(0xE5, 0x8E, 0x26), 3, &v, &e, &used), 0);
  CHECK_EQ_INT(v, 624485);
  CHECK_EQ_INT(used, 3);
  CHECK_EQ_INT(rd_u32(BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), 5, &v, &e, &used),
               0);
  CHECK_EQ_INT(v, 0xFFFFFFFFu);
  /* redundant but in-range padding is fine */
  CHECK_EQ_INT(rd_u32(BYTES(0x80, 0x80, 0x80, 0x80, 0x00), 5, &v, &e, &used),
               0);
  CHECK_EQ_INT(v, 0);
  CHECK_EQ_INT(rd_u32(BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x1F), 5, &v, &e, &used),
               -1);
  CHECK_STR(e.message, "integer too large");
  CHECK_EQ_INT(e.kind, AW_ERR_MALFORMED);
  CHECK_EQ_INT(
      rd_u32(BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 6, &v, &e, &used), -1);
  CHECK_STR(e.message, "integer representation too long");
  CHECK_EQ_INT(rd_u32(BYTES(0x80, 0x80), 2, &v, &e, &used), -1);
  CHECK_STR(e.message, "unexpected end of section or function");
  CHECK_EQ_INT(e.offset, 2);
  CHECK_EQ_INT(rd_u32(BYTES(0), 0, &v, &e, &used), -1);
}

static void rs_init(dec_reader *r, const uint8_t *b, size_t n) {
  r->p = r->base = b;
  r->end = b + n;
}

TEST(decode_leb_signed) {
  aw_error e;
  dec_reader rd;
  int32_t v32;
  int64_t v64;
#define RS(fn, out, ...)                                                       \
  (aw_error_clear(&e),                                                         \
   rs_init(&rd, BYTES(__VA_ARGS__), sizeof(BYTES(__VA_ARGS__))),               \
   fn(&rd, out, &e))
  CHECK_EQ_INT(RS(dec_s32, &v32, 0x7F), 0);
  CHECK_EQ_INT(v32, -1);
  CHECK_EQ_INT(RS(dec_s32, &v32, 0x80, 0x7F), 0);
  CHECK_EQ_INT(v32, -128);
  CHECK_EQ_INT(RS(dec_s32, &v32, 0x80, 0x80, 0x80, 0x80, 0x78), 0);
  CHECK_EQ_INT(v32, INT32_MIN);
  CHECK_EQ_INT(RS(dec_s32, &v32, 0xFF, 0xFF, 0xFF, 0xFF, 0x07), 0);
  CHECK_EQ_INT(v32, INT32_MAX);
  CHECK_EQ_INT(RS(dec_s32, &v32, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 0);
  CHECK_EQ_INT(v32, -1);
  /* unused bits must match the sign bit */
  CHECK_EQ_INT(RS(dec_s32, &v32, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), -1);
  CHECK_STR(e.message, "integer too large");
  CHECK_EQ_INT(RS(dec_s32, &v32, 0x80, 0x80, 0x80, 0x80, 0x70), -1);
  CHECK_STR(e.message, "integer too large");
  CHECK_EQ_INT(RS(dec_s32, &v32, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), -1);
  CHECK_STR(e.message, "integer representation too long");
  /* s33: block types */
  CHECK_EQ_INT(RS(dec_s33, &v64, 0x40), 0);
  CHECK_EQ_INT(v64, -64);
  CHECK_EQ_INT(RS(dec_s33, &v64, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), 0);
  CHECK_EQ_INT(v64, 0xFFFFFFFFll);
  CHECK_EQ_INT(RS(dec_s33, &v64, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F), -1);
  CHECK_STR(e.message, "integer too large");
  /* s64 */
  CHECK_EQ_INT(RS(dec_s64, &v64, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                  0x80, 0x7F),
               0);
  CHECK_EQ_INT(v64, INT64_MIN);
  CHECK_EQ_INT(RS(dec_s64, &v64, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                  0xFF, 0x00),
               0);
  CHECK_EQ_INT(v64, INT64_MAX);
  CHECK_EQ_INT(RS(dec_s64, &v64, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                  0xFF, 0x01),
               -1);
  CHECK_STR(e.message, "integer too large");
  CHECK_EQ_INT(RS(dec_s64, &v64, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                  0x80, 0x80, 0x00),
               -1);
  CHECK_STR(e.message, "integer representation too long");
  uint32_t f32;
  uint64_t f64;
  CHECK_EQ_INT(RS(dec_fixed32, &f32, 0x00, 0x00, 0x80, 0x3F), 0);
  CHECK_EQ_INT(f32, 0x3F800000);
  CHECK_EQ_INT(RS(dec_fixed64, &f64, 1, 2, 3, 4, 5, 6, 7, 8), 0);
  CHECK(f64 == 0x0807060504030201ull);
  CHECK_EQ_INT(RS(dec_fixed64, &f64, 1, 2, 3, 4, 5, 6, 7), -1);
#undef RS
}

/* ---- dec_instr ---------------------------------------------------------- */

static int instr(const uint8_t *b, size_t n, wm_instr *ins, dec_scratch *s,
                 aw_error *e, size_t *used) {
  dec_reader r = {b, b + n, b};
  aw_error_clear(e);
  int rc = dec_instr(&r, ins, s, e);
  *used = (size_t)(r.p - b);
  return rc;
}

#define INSTR(...)                                                             \
  instr(BYTES(__VA_ARGS__), sizeof(BYTES(__VA_ARGS__)), &ins, &s, &e, &used)

TEST(decode_instr_basic) {
  wm_instr ins;
  dec_scratch s = {0};
  aw_error e;
  size_t used;
  CHECK_EQ_INT(INSTR(0x41, 0x7F), 0);
  CHECK_EQ_INT(ins.op, 0x41);
  CHECK(ins.imm == UINT64_MAX);
  CHECK_EQ_INT(INSTR(0x42, 0x80, 0x01), 0);
  CHECK(ins.imm == 128);
  CHECK_EQ_INT(INSTR(0x43, 0x00, 0x00, 0x80, 0x3F), 0);
  CHECK(ins.imm == 0x3F800000);
  CHECK_EQ_INT(INSTR(0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F), 0);
  CHECK(ins.imm == 0x3FF0000000000000ull);
  CHECK_EQ_INT(INSTR(0x02, 0x40), 0);
  CHECK_EQ_INT((int64_t)ins.imm, -64);
  CHECK_EQ_INT(INSTR(0x03, 0x7F), 0);
  CHECK_EQ_INT((int64_t)ins.imm, -1);
  CHECK_EQ_INT(INSTR(0x04, 0x05), 0);
  CHECK_EQ_INT((int64_t)ins.imm, 5);
  CHECK_EQ_INT(INSTR(0x0E, 0x02, 0x03, 0x04, 0x05), 0);
  CHECK_EQ_INT(ins.nlabels, 2);
  CHECK_EQ_INT(ins.labels[0], 3);
  CHECK_EQ_INT(ins.labels[1], 4);
  CHECK_EQ_INT(ins.labels[2], 5);
  CHECK_EQ_INT(used, 5);
  /* br_table: a count that cannot fit never allocates */
  CHECK_EQ_INT(INSTR(0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00), -1);
  CHECK_STR(e.message, "length out of bounds");
  CHECK_EQ_INT(INSTR(0x11, 0x02, 0x01), 0);
  CHECK_EQ_INT(ins.a, 2);
  CHECK_EQ_INT(ins.b, 1);
  CHECK_EQ_INT(INSTR(0x1C, 0x01, 0x7E), 0);
  CHECK_EQ_INT(ins.nlabels, 1);
  CHECK_EQ_INT(ins.type, WM_I64);
  CHECK_EQ_INT(INSTR(0x1C, 0x02, 0x7F, 0x7F), 0);
  CHECK_EQ_INT(ins.nlabels, 2);
  CHECK_EQ_INT(INSTR(0x1C, 0x01, 0x40), -1);
  CHECK_STR(e.message, "malformed value type");
  CHECK_EQ_INT(INSTR(0x28, 0x02, 0x80, 0x01), 0);
  CHECK_EQ_INT(ins.a, 2);
  CHECK_EQ_INT(ins.b, 128);
  CHECK_EQ_INT(INSTR(0x28, 0x20, 0x00), -1);
  CHECK_STR(e.message, "malformed memop flags");
  CHECK_EQ_INT(INSTR(0x3F, 0x00), 0);
  CHECK_EQ_INT(INSTR(0x40, 0x01), -1);
  CHECK_STR(e.message, "zero byte expected");
  CHECK_EQ_INT(INSTR(0x40, 0x80, 0x00), -1);
  CHECK_STR(e.message, "zero byte expected");
  CHECK_EQ_INT(INSTR(0xD0, 0x6F), 0);
  CHECK_EQ_INT(ins.type, WM_EXTERNREF);
  CHECK_EQ_INT(INSTR(0xD0, 0x7F), -1);
  CHECK_STR(e.message, "malformed reference type");
  CHECK_EQ_INT(INSTR(0xD2, 0x07), 0);
  CHECK_EQ_INT(ins.a, 7);
  CHECK_EQ_INT(INSTR(0x25, 0x03), 0);
  CHECK_EQ_INT(ins.a, 3);
  CHECK_EQ_INT(INSTR(0xC4), 0);
  static const uint8_t illegal[] = {0x06, 0x0A, 0x12, 0x19, 0x1D, 0x27,
                                    0xC5, 0xCF, 0xD3, 0xFB, 0xFE, 0xFF};
  for (size_t i = 0; i < sizeof illegal; i++) {
    CHECK_EQ_INT(instr(&illegal[i], 1, &ins, &s, &e, &used), -1);
    CHECK_STR(e.message, "illegal opcode");
  }
  CHECK_EQ_INT(INSTR(0x41), -1);
  CHECK_STR(e.message, "unexpected end of section or function");
  dec_scratch_free(&s);
}

TEST(decode_instr_prefixed) {
  wm_instr ins;
  dec_scratch s = {0};
  aw_error e;
  size_t used;
  CHECK_EQ_INT(INSTR(0xFC, 0x00), 0);
  CHECK_EQ_INT(ins.op, WM_OP_FC(0));
  CHECK_EQ_INT(INSTR(0xFC, 0x08, 0x03, 0x00), 0);
  CHECK_EQ_INT(ins.op, WM_OP_FC(8));
  CHECK_EQ_INT(ins.a, 3);
  CHECK_EQ_INT(INSTR(0xFC, 0x08, 0x03, 0x01), -1);
  CHECK_STR(e.message, "zero byte expected");
  CHECK_EQ_INT(INSTR(0xFC, 0x0A, 0x00, 0x00), 0);
  CHECK_EQ_INT(INSTR(0xFC, 0x0A, 0x00, 0x01), -1);
  CHECK_EQ_INT(INSTR(0xFC, 0x0B, 0x00), 0);
  CHECK_EQ_INT(INSTR(0xFC, 0x0C, 0x04, 0x01), 0);
  CHECK_EQ_INT(ins.a, 4);
  CHECK_EQ_INT(ins.b, 1);
  CHECK_EQ_INT(INSTR(0xFC, 0x0E, 0x01, 0x02), 0);
  CHECK_EQ_INT(ins.a, 1);
  CHECK_EQ_INT(ins.b, 2);
  CHECK_EQ_INT(INSTR(0xFC, 0x11, 0x05), 0);
  CHECK_EQ_INT(ins.a, 5);
  /* sub-opcode is a u32 LEB: padded encodings are fine */
  CHECK_EQ_INT(INSTR(0xFC, 0x80, 0x00), 0);
  CHECK_EQ_INT(ins.op, WM_OP_FC(0));
  CHECK_EQ_INT(INSTR(0xFC, 0x12), -1);
  CHECK_STR(e.message, "illegal opcode");
  CHECK_EQ_INT(
      INSTR(0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
      0);
  CHECK_EQ_INT(ins.op, WM_OP_FD(12));
  CHECK_EQ_INT(ins.v128[0], 1);
  CHECK_EQ_INT(ins.v128[15], 16);
  CHECK_EQ_INT(INSTR(0xFD, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), -1);
  CHECK_STR(e.message, "unexpected end of section or function");
  CHECK_EQ_INT(INSTR(0xFD, 0x00, 0x04, 0x10), 0);
  CHECK_EQ_INT(ins.a, 4);
  CHECK_EQ_INT(ins.b, 16);
  CHECK_EQ_INT(INSTR(0xFD, 0x15, 0x0F), 0);
  CHECK_EQ_INT(ins.lane, 15);
  CHECK_EQ_INT(INSTR(0xFD, 0x54, 0x00, 0x08, 0x03), 0); /* load8_lane */
  CHECK_EQ_INT(ins.b, 8);
  CHECK_EQ_INT(ins.lane, 3);
  CHECK_EQ_INT(INSTR(0xFD, 0x5D, 0x03, 0x00), 0); /* load64_zero */
  CHECK_EQ_INT(INSTR(0xFD, 0xFF, 0x01), 0);
  CHECK_EQ_INT(ins.op, WM_OP_FD(255));
  CHECK_EQ_INT(used, 3);
  CHECK_EQ_INT(INSTR(0xFD, 0x9A, 0x01), -1); /* 154: a gap */
  CHECK_STR(e.message, "illegal opcode");
  CHECK_EQ_INT(INSTR(0xFD, 0x80, 0x02), -1); /* 256: relaxed SIMD */
  CHECK_STR(e.message, "illegal opcode");
  dec_scratch_free(&s);
}

/* ---- whole modules ------------------------------------------------------ */

/* A module using every section and every segment encoding. */
static void build_full(mbuf *m) {
  header(m);
  SEC(m, 0, 4, 'n', 'a', 'm', 'e', 0xAA, 0xBB); /* custom */
  SEC(m, 1, 3,                                  /* type */
      0x60, 0, 0,                               /* [] -> [] */
      0x60, 2, 0x7F, 0x7E, 1, 0x7D,             /* [i32 i64] -> [f32] */
      0x60, 1, 0x6F, 2, 0x70, 0x7B);            /* [externref] -> [...] */
  SEC(m, 2, 4,                                  /* import */
      1, 'm', 1, 'f', 0x00, 0x01,               /* func type 1 */
      1, 'm', 1, 't', 0x01, 0x6F, 0x01, 1, 5,   /* table externref 1..5 */
      1, 'm', 2, 0xC3, 0xA9, 0x02, 0x00, 2,     /* memory min 2, name é */
      1, 'm', 1, 'g', 0x03, 0x7C, 0x01);        /* global mut f64 */
  SEC(m, 3, 3, 0, 1, 0);                        /* function */
  SEC(m, 0, 1, 'x');                            /* custom in the middle */
  SEC(m, 4, 1, 0x70, 0x00, 3);                  /* table funcref min 3 */
  SEC(m, 5, 1, 0x01, 1, 0x80, 0x02);            /* memory 1..256 */
  SEC(m, 6, 2,                                  /* global */
      0x7F, 0x00, 0x41, 0x2A, 0x0B,             /* i32 = 42 */
      0x70, 0x01, 0xD2, 0x02, 0x0B);            /* mut funcref = ref.func 2 */
  SEC(m, 7, 2, 3, 'r', 'u', 'n', 0x00, 0x01,    /* export func 1 */
      3, 'm', 'e', 'm', 0x02, 0x00);            /* export memory 0 */
  SEC(m, 8, 3);                                 /* start: func 3 */
  SEC(m, 9, 8,                                  /* element */
      0x00, 0x41, 0x00, 0x0B, 1, 3,             /* 0: active t0, funcs */
      0x01, 0x00, 2, 1, 2,                      /* 1: passive funcs */
      0x02, 0x00, 0x41, 0x01, 0x0B, 0x00, 1, 1, /* 2: active t0 explicit */
      0x03, 0x00, 1, 2,                         /* 3: declarative funcs */
      0x04, 0x41, 0x02, 0x0B, 1, 0xD2, 0x00, 0x0B,       /* 4: active exprs */
      0x05, 0x70, 2, 0xD0, 0x70, 0x0B, 0xD2, 0x01, 0x0B, /* 5: passive */
      0x06, 0x00, 0x41, 0x00, 0x0B, 0x70, 0,    /* 6: active table 0, 0 items */
      0x07, 0x6F, 1, 0xD0, 0x6F, 0x0B);         /* 7: declarative externref */
  SEC(m, 12, 3);                                /* data count */
  SEC(m, 10, 3,                                 /* code */
      2, 0, 0x0B,                               /* func 1: no locals */
      7, 2, 2, 0x7F, 1, 0x7E, 0x01, 0x0B,       /* func 2: i32 i32 i64 */
      4, 1, 1, 0x7B, 0x0B);                     /* func 3: v128 */
  SEC(m, 11, 3,                                 /* data */
      0x00, 0x41, 0x10, 0x0B, 3, 'a', 'b', 'c', /* active mem 0 */
      0x01, 2, 'x', 'y',                        /* passive */
      0x02, 0x00, 0x41, 0x00, 0x0B, 0);         /* active explicit mem 0 */
  SEC(m, 0, 3, 'e', 'n', 'd');                  /* custom at the end */
}

TEST(decode_empty_module) {
  wm_module m;
  aw_error e;
  CHECK_EQ_INT(decode(MOD(), 8, &m, &e), 0);
  CHECK_EQ_INT(m.nfuncs, 0);
  CHECK(m.func_types && m.tables && m.mems && m.globals && m.func_declared);
  CHECK_EQ_INT(m.bin_len, 8);
  wm_module_free(&m);
  CHECK(m.bin == NULL);
}

TEST(decode_full_module) {
  static mbuf b;
  build_full(&b);
  wm_module m;
  aw_error e;
  CHECK_EQ_INT(decode(b.b, b.n, &m, &e), 0);
  if (e.kind != AW_OK) fprintf(stderr, "  %s\n", e.message);
  if (e.kind != AW_OK) return;
  CHECK_EQ_INT(m.ntypes, 3);
  CHECK_EQ_INT(m.types[1].nparams, 2);
  CHECK_EQ_INT(m.types[1].params[1], WM_I64);
  CHECK_EQ_INT(m.types[1].nresults, 1);
  CHECK_EQ_INT(m.types[1].results[0], WM_F32);
  CHECK_EQ_INT(m.types[2].results[1], WM_V128);
  CHECK_EQ_INT(m.nimports, 4);
  CHECK_STR(m.imports[2].name.s, "\xC3\xA9");
  CHECK_EQ_INT(m.imports[2].name.len, 2);
  CHECK_EQ_INT(m.nfuncs, 4);
  CHECK_EQ_INT(m.nfuncs_imported, 1);
  CHECK_EQ_INT(m.func_types[0], 1);
  CHECK_EQ_INT(m.func_types[1], 0);
  CHECK_EQ_INT(m.func_types[2], 1);
  CHECK_EQ_INT(m.funcs[1].type_idx, 1);
  CHECK_EQ_INT(m.ntables, 2);
  CHECK_EQ_INT(m.ntables_imported, 1);
  CHECK_EQ_INT(m.tables[0].elem, WM_EXTERNREF);
  CHECK(m.tables[0].lim.has_max);
  CHECK_EQ_INT(m.tables[0].lim.max, 5);
  CHECK_EQ_INT(m.tables[1].elem, WM_FUNCREF);
  CHECK(!m.tables[1].lim.has_max);
  CHECK_EQ_INT(m.tables[1].lim.min, 3);
  CHECK_EQ_INT(m.nmems, 2);
  CHECK_EQ_INT(m.mems[0].min, 2);
  CHECK_EQ_INT(m.mems[1].max, 256);
  CHECK_EQ_INT(m.nglobals, 3);
  CHECK_EQ_INT(m.nglobals_imported, 1);
  CHECK_EQ_INT(m.globals[0].type.type, WM_F64);
  CHECK(m.globals[0].type.mut);
  CHECK_EQ_INT(m.globals[0].init.len, 0);
  CHECK_EQ_INT(m.globals[1].init.len, 3);
  CHECK_EQ_INT(m.globals[1].init.p[1], 0x2A);
  CHECK_EQ_INT(m.globals[1].init.p - m.bin, m.globals[1].init.offset);
  CHECK(m.globals[2].type.mut);
  CHECK_EQ_INT(m.nexports, 2);
  CHECK_STR(m.exports[0].name.s, "run");
  CHECK_EQ_INT(m.exports[1].kind, WM_EXT_MEM);
  CHECK(m.has_start);
  CHECK_EQ_INT(m.start, 3);
  CHECK_EQ_INT(m.nelems, 8);
  CHECK_EQ_INT(m.elems[0].mode, WM_SEG_ACTIVE);
  CHECK_EQ_INT(m.elems[0].table, 0);
  CHECK_EQ_INT(m.elems[0].offset.len, 3);
  CHECK_EQ_INT(m.elems[0].count, 1);
  CHECK(m.elems[0].funcs && !m.elems[0].exprs);
  CHECK_EQ_INT(m.elems[0].funcs[0], 3);
  CHECK_EQ_INT(m.elems[1].mode, WM_SEG_PASSIVE);
  CHECK_EQ_INT(m.elems[1].count, 2);
  CHECK_EQ_INT(m.elems[2].mode, WM_SEG_ACTIVE);
  CHECK_EQ_INT(m.elems[3].mode, WM_SEG_DECLARATIVE);
  CHECK_EQ_INT(m.elems[4].mode, WM_SEG_ACTIVE);
  CHECK(m.elems[4].exprs && !m.elems[4].funcs);
  CHECK_EQ_INT(m.elems[4].exprs[0].len, 3);
  CHECK_EQ_INT(m.elems[5].mode, WM_SEG_PASSIVE);
  CHECK_EQ_INT(m.elems[5].count, 2);
  CHECK_EQ_INT(m.elems[5].type, WM_FUNCREF);
  CHECK_EQ_INT(m.elems[6].count, 0);
  CHECK_EQ_INT(m.elems[7].mode, WM_SEG_DECLARATIVE);
  CHECK_EQ_INT(m.elems[7].type, WM_EXTERNREF);
  CHECK(m.has_datacount);
  CHECK_EQ_INT(m.datacount, 3);
  CHECK_EQ_INT(m.funcs[0].nlocals, 0);
  CHECK_EQ_INT(m.funcs[0].body.len, 1);
  CHECK_EQ_INT(m.funcs[1].nlocals, 3);
  CHECK_EQ_INT(m.funcs[1].local_types[1], WM_I32);
  CHECK_EQ_INT(m.funcs[1].local_types[2], WM_I64);
  CHECK_EQ_INT(m.funcs[1].body.len, 2);
  CHECK_EQ_INT(m.funcs[1].body.p[0], 0x01);
  CHECK_EQ_INT(m.funcs[1].body.p - m.bin, m.funcs[1].body.offset);
  CHECK_EQ_INT(m.funcs[2].local_types[0], WM_V128);
  CHECK_EQ_INT(m.ndatas, 3);
  CHECK_EQ_INT(m.datas[0].mode, WM_SEG_ACTIVE);
  CHECK_EQ_INT(m.datas[0].bytes.len, 3);
  CHECK(memcmp(m.datas[0].bytes.p, "abc", 3) == 0);
  CHECK_EQ_INT(m.datas[1].mode, WM_SEG_PASSIVE);
  CHECK_EQ_INT(m.datas[1].offset.len, 0);
  CHECK_EQ_INT(m.datas[2].bytes.len, 0);
  /* declared: export 1, global ref.func 2, elems 3,1,2,0 (expr), 1 */
  CHECK(m.func_declared[0] && m.func_declared[1] && m.func_declared[2] &&
        m.func_declared[3]);
  wm_module_free(&m);
}

TEST(decode_func_declared) {
  wm_module m;
  aw_error e;
  /* 3 functions; only function 1 is exported, function 2 is in a
     declarative segment, function 0 is referenced nowhere. */
  CHECK_EQ_INT(decode(MOD(1, 4, 1, 0x60, 0, 0,       /* type */
                          3, 4, 3, 0, 0, 0,          /* function */
                          7, 5, 1, 1, 'f', 0x00, 1,  /* export */
                          9, 5, 1, 0x03, 0x00, 1, 2, /* elem */
                          10, 10, 3, 2, 0, 0x0B, 2, 0, 0x0B, 2, 0, 0x0B),
                      MODLEN(1, 4, 1, 0x60, 0, 0, 3, 4, 3, 0, 0, 0, 7, 5, 1, 1,
                             'f', 0x00, 1, 9, 5, 1, 0x03, 0x00, 1, 2, 10, 10, 3,
                             2, 0, 0x0B, 2, 0, 0x0B, 2, 0, 0x0B),
                      &m, &e),
               0);
  if (e.kind != AW_OK) return;
  CHECK(!m.func_declared[0]);
  CHECK(m.func_declared[1]);
  CHECK(m.func_declared[2]);
  wm_module_free(&m);
}

TEST(decode_header_errors) {
  CHECK(malformed_is(BYTES(0), 0, "unexpected end"));
  CHECK(malformed_is(BYTES(1), 1, "unexpected end"));
  CHECK(malformed_is(BYTES(0, 'a', 's'), 3, "unexpected end"));
  CHECK(malformed_is(BYTES(0, 'A', 'S', 'M', 1, 0, 0, 0), 8,
                     "magic header not detected"));
  CHECK(malformed_is(BYTES(0, 'a', 's', 'm', 1, 0, 0), 7, "unexpected end"));
  CHECK(malformed_is(BYTES(0, 'a', 's', 'm', 2, 0, 0, 0), 8,
                     "unknown binary version"));
  CHECK(malformed_is(BYTES(0, 'a', 's', 'm', 1, 0, 0, 1), 8,
                     "unknown binary version"));
}

TEST(decode_section_errors) {
  CHECK_MALFORMED("malformed section id", 13, 0);
  CHECK_MALFORMED("malformed section id", 0x80, 0x01, 0);
  CHECK_MALFORMED("length out of bounds", 1, 5, 0);
  CHECK_MALFORMED("unexpected end", 1);
  CHECK_MALFORMED("section size mismatch", 1, 2, 0, 0);
  CHECK_MALFORMED("section size mismatch", 1, 5, 1, 0x60, 0, 0, 0);
  /* order and duplicates */
  CHECK_MALFORMED("unexpected content after last section", 3, 1, 0, 1, 1, 0);
  CHECK_MALFORMED("unexpected content after last section", 1, 1, 0, 1, 1, 0);
  CHECK_MALFORMED("unexpected content after last section", 10, 1, 0, 12, 1, 0);
  /* data count goes between element and code */
  wm_module m;
  aw_error e;
  CHECK_EQ_INT(decode(MOD(9, 1, 0, 12, 1, 0, 10, 1, 0, 11, 1, 0),
                      MODLEN(9, 1, 0, 12, 1, 0, 10, 1, 0, 11, 1, 0), &m, &e),
               0);
  wm_module_free(&m);
  CHECK_MALFORMED("unexpected content after last section", 12, 1, 0, 9, 1, 0);
  /* custom sections: name inside the section and valid UTF-8 */
  CHECK_MALFORMED("unexpected end", 0, 0);
  CHECK_MALFORMED("length out of bounds", 0, 2, 5, 'a');
  CHECK_MALFORMED("malformed UTF-8 encoding", 0, 3, 2, 0xC0, 0x80);
  /* a hostile count: no allocation, just an error */
  CHECK_MALFORMED("length out of bounds", 1, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
  CHECK_MALFORMED("length out of bounds", 9, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
}

TEST(decode_entity_errors) {
  CHECK_MALFORMED("malformed function type", 1, 4, 1, 0x61, 0, 0);
  CHECK_MALFORMED("integer representation too long", 1, 5, 1, 0xE0, 0x7F, 0, 0);
  CHECK_MALFORMED("malformed value type", 1, 4, 1, 0x60, 1, 0x40, 0);
  CHECK_MALFORMED("malformed import kind", 2, 4, 1, 0, 0, 4);
  CHECK_MALFORMED("malformed reference type", 4, 3, 1, 0x7F, 0, 0);
  CHECK_MALFORMED("integer too large", 4, 3, 1, 0x70, 2, 0);
  CHECK_MALFORMED("integer representation too long", 4, 5, 1, 0x70, 0x81, 0x00,
                  0);
  CHECK_MALFORMED("integer too large", 5, 2, 1, 0x10);
  CHECK_MALFORMED("malformed mutability", 6, 6, 1, 0x7F, 0x02, 0x41, 0, 0x0B);
  CHECK_MALFORMED("malformed mutability", 2, 7, 1, 0, 0, 3, 0x7F, 0xFF, 0);
  CHECK_MALFORMED("malformed export kind", 7, 4, 1, 0, 4, 0);
  CHECK_MALFORMED("malformed elements segment kind", 9, 3, 1, 8, 0);
  CHECK_MALFORMED("malformed element kind", 9, 4, 1, 1, 1, 0);
  CHECK_MALFORMED("malformed reference type", 9, 4, 1, 5, 0x7F, 0);
  CHECK_MALFORMED("malformed data segment kind", 11, 3, 1, 3, 0);
  /* constant expressions decode instruction by instruction */
  CHECK_MALFORMED("illegal opcode", 6, 5, 1, 0x7F, 0x00, 0x41, 0x00, 0x0A);
  CHECK_MALFORMED("unexpected end", 6, 5, 1, 0x7F, 0x00, 0x41, 0x00);
  CHECK_MALFORMED("malformed UTF-8 encoding", 2, 6, 1, 1, 0xFF, 0, 0, 0);
  CHECK_MALFORMED("length out of bounds", 11, 5, 1, 1, 9, 'a', 'b');
  CHECK_MALFORMED("length out of bounds", 11, 7, 1, 0, 0x41, 0, 0x0B, 3, 'a');
  CHECK_MALFORMED("unexpected end", 11, 7, 1, 0, 0x41, 0, 0x0B, 2, 'a');
}

TEST(decode_code_errors) {
  /* type, function section with one function, then a code section */
#define FN(...) 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, __VA_ARGS__
  CHECK_MALFORMED("function and code section have inconsistent lengths", FN());
  CHECK_MALFORMED("function and code section have inconsistent lengths",
                  FN(10, 1, 0));
  CHECK_MALFORMED("function and code section have inconsistent lengths",
                  FN(10, 7, 2, 2, 0, 0x0B, 2, 0, 0x0B));
  CHECK_MALFORMED("function and code section have inconsistent lengths", 1, 4,
                  1, 0x60, 0, 0, 10, 4, 1, 2, 0, 0x0B);
  CHECK_MALFORMED("END opcode expected", FN(10, 5, 1, 3, 0, 0x01, 0x05));
  CHECK_MALFORMED("unexpected end", FN(10, 4, 1, 2, 0, 0x01));
  CHECK_MALFORMED("section size mismatch", FN(10, 4, 1, 2, 0, 0x01, 11, 1, 0));
  CHECK_MALFORMED("unexpected end", FN(10, 3, 1, 1, 0));
  CHECK_MALFORMED("too many locals", FN(10, 12, 1, 10, 2, 0xFF, 0xFF, 0xFF,
                                        0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B));
  CHECK_MALFORMED("malformed value type", FN(10, 6, 1, 4, 1, 1, 0x40, 0x0B));
  CHECK_MALFORMED("length out of bounds", FN(10, 4, 1, 9, 0, 0x0B));
  /* absurd but representable local counts: refused, not allocated */
  wm_module m;
  aw_error e;
  CHECK_EQ_INT(
      decode(
          MOD(FN(10, 9, 1, 7, 1, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7F, 0x0B)),
          MODLEN(FN(10, 9, 1, 7, 1, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7F, 0x0B)),
          &m, &e),
      -1);
  CHECK_EQ_INT(e.kind, AW_ERR_UNSUPPORTED);
  CHECK(strstr(e.message, "too many locals") != NULL);
  /* data count */
  CHECK_MALFORMED("data count and data section have inconsistent lengths", 12,
                  1, 1);
  CHECK_MALFORMED("data count and data section have inconsistent lengths", 12,
                  1, 2, 11, 4, 1, 1, 1, 'a');
#undef FN
}

TEST(decode_utf8_names) {
  struct {
    uint8_t b[4];
    uint8_t n;
    bool ok;
  } cases[] = {
      {{0x7F}, 1, true},
      {{0xC2, 0x80}, 2, true},
      {{0xC1, 0xBF}, 2, false},       /* overlong */
      {{0xE0, 0x9F, 0xBF}, 3, false}, /* overlong */
      {{0xE0, 0xA0, 0x80}, 3, true},
      {{0xED, 0x9F, 0xBF}, 3, true},  /* U+D7FF */
      {{0xED, 0xA0, 0x80}, 3, false}, /* surrogate U+D800 */
      {{0xEF, 0xBF, 0xBF}, 3, true},
      {{0xF0, 0x8F, 0xBF, 0xBF}, 4, false}, /* overlong */
      {{0xF0, 0x9F, 0x98, 0x80}, 4, true},
      {{0xF4, 0x8F, 0xBF, 0xBF}, 4, true},  /* U+10FFFF */
      {{0xF4, 0x90, 0x80, 0x80}, 4, false}, /* > U+10FFFF */
      {{0xF5, 0x80, 0x80, 0x80}, 4, false},
      {{0x80}, 1, false},             /* lone continuation */
      {{0xE2, 0x82}, 2, false},       /* truncated */
      {{0xE2, 0x28, 0xA1}, 3, false}, /* bad continuation */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t b[32] = {0, 'a', 's', 'm', 1, 0, 0, 0, 0};
    size_t n = 9;
    b[n++] = (uint8_t)(cases[i].n + 1);
    b[n++] = cases[i].n;
    memcpy(b + n, cases[i].b, cases[i].n);
    n += cases[i].n;
    wm_module m;
    aw_error e;
    int rc = decode(b, n, &m, &e);
    if (rc == 0) wm_module_free(&m);
    CHECK_EQ_INT(rc, cases[i].ok ? 0 : -1);
    if (!cases[i].ok) CHECK_STR(e.message, "malformed UTF-8 encoding");
  }
}

/* Every proper prefix of a valid module is malformed, except at a section
   boundary (which is itself a valid, shorter module, unless the function
   and code sections then disagree). */
TEST(decode_truncation) {
  static mbuf b;
  build_full(&b);
  for (size_t len = 0; len < b.n; len++) {
    wm_module m;
    aw_error e;
    int rc = decode(b.b, len, &m, &e);
    bool boundary = false;
    for (int i = 0; i < b.nbounds; i++)
      if (b.bounds[i] == len) boundary = true;
    if (rc == 0) {
      wm_module_free(&m);
      if (!boundary) {
        fprintf(stderr, "  prefix %zu decoded\n", len);
        CHECK(boundary);
      }
    } else {
      CHECK_EQ_INT(e.kind, AW_ERR_MALFORMED);
      CHECK(e.message[0] != '\0');
      CHECK(e.offset <= len);
    }
  }
}

/* Random byte mutations: every outcome is a module or a clean error. */
TEST(decode_mutations) {
  static mbuf b;
  static uint8_t t[sizeof b.b];
  build_full(&b);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  int ok = 0;
  dec_scratch s = {0};
  for (int iter = 0; iter < 20000; iter++) {
    memcpy(t, b.b, b.n);
    int nmut = 1 + iter % 4;
    for (int k = 0; k < nmut; k++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      size_t pos = 8 + (size_t)(x % (b.n - 8));
      t[pos] = (uint8_t)(x >> 32);
    }
    wm_module m;
    aw_error e;
    if (decode(t, b.n, &m, &e) == 0) {
      ok++;
      for (uint32_t f = 0; f < m.nfuncs - m.nfuncs_imported; f++) {
        dec_reader r = {m.funcs[f].body.p,
                        m.funcs[f].body.p + m.funcs[f].body.len, m.bin};
        wm_instr ins;
        while (r.p < r.end && dec_instr(&r, &ins, &s, &e) == 0) {
        }
      }
      wm_module_free(&m);
    } else {
      CHECK(e.kind == AW_ERR_MALFORMED || e.kind == AW_ERR_UNSUPPORTED);
      CHECK(e.message[0] != '\0');
    }
  }
  dec_scratch_free(&s);
  CHECK(ok > 0); /* some mutations (in payloads) stay valid */
}

/* n functions whose bodies declare 50000 locals each (7 bytes a body). */
static void build_locals(mbuf *b, uint32_t n) {
  header(b);
  SEC(b, 1, 1, 0x60, 0, 0);
  mbuf *t = (mbuf *)calloc(1, sizeof *t);
  if (!t) return;
  put_u32(t, n);
  for (uint32_t i = 0; i < n; i++)
    t->b[t->n++] = 0;
  section(b, 3, t->b, t->n);
  t->n = 0;
  put_u32(t, n);
  for (uint32_t i = 0; i < n; i++) {
    static const uint8_t body[] = {6, 1, 0xD0, 0x86, 0x03, 0x7F, 0x0B};
    put(t, body, sizeof body);
  }
  section(b, 10, t->b, t->n);
  free(t);
}

/* Many small bodies with 50000 locals each: refused once the module-wide
   total passes its bound, instead of expanding gigabytes of local types. */
TEST(decode_module_locals_bound) {
  static mbuf b;
  wm_module m;
  aw_error e;
  build_locals(&b, 400);
  CHECK_EQ_INT(decode(b.b, b.n, &m, &e), -1);
  CHECK_EQ_INT(e.kind, AW_ERR_UNSUPPORTED);
  CHECK(strstr(e.message, "too many locals") != NULL);
  build_locals(&b, 300);
  CHECK_EQ_INT(decode(b.b, b.n, &m, &e), 0);
  if (e.kind != AW_OK) return;
  CHECK_EQ_INT(m.nfuncs, 300);
  CHECK_EQ_INT(m.funcs[299].nlocals, 50000);
  CHECK_EQ_INT(m.funcs[299].local_types[49999], WM_I32);
  wm_module_free(&m);
}
