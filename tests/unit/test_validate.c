/* test_validate.c - the validator: module rules, constant expressions,
   function bodies (operand/control stacks, every rule family), SIMD
   gating, malformed bodies, and the views given to the code generator.
   Modules are assembled by hand with a small section builder. */
#include "decode/decode.h"
#include "test.h"
#include "util/util.h"
#include "validate/val_internal.h"
#include "validate/validate.h"

/* ---- a tiny module builder ---- */
typedef struct mb {
  uint8_t b[16384];
  size_t n;
} mb;

static void mb_init(mb *m) {
  static const uint8_t hdr[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  memcpy(m->b, hdr, 8);
  m->n = 8;
}

static void mb_u32(mb *m, uint32_t v) {
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    m->b[m->n++] = (uint8_t)(byte | (v ? 0x80 : 0));
  } while (v);
}

static void mb_sec(mb *m, uint8_t id, const uint8_t *p, size_t n) {
  m->b[m->n++] = id;
  mb_u32(m, (uint32_t)n);
  memcpy(m->b + m->n, p, n);
  m->n += n;
}

/* A code section with a single body (locals vector + instructions). */
static void mb_code1(mb *m, const uint8_t *body, size_t n) {
  mb len = {{0}, 0};
  mb_u32(&len, (uint32_t)n);
  m->b[m->n++] = 10;
  mb_u32(m, (uint32_t)(1 + len.n + n));
  mb_u32(m, 1);
  mb_u32(m, (uint32_t)n);
  memcpy(m->b + m->n, body, n);
  m->n += n;
}

#define SEC(m, id, ...)                                                        \
  do {                                                                         \
    static const uint8_t s_[] = {__VA_ARGS__};                                 \
    mb_sec(m, id, s_, sizeof s_);                                              \
  } while (0)
#define BODY(m, ...)                                                           \
  do {                                                                         \
    static const uint8_t b_[] = {__VA_ARGS__};                                 \
    mb_code1(m, b_, sizeof b_);                                                \
  } while (0)

/* Decodes and validates; returns the error kind (AW_OK on success). */
static aw_errkind run(const mb *m, bool simd, aw_error *e) {
  wm_module mod;
  aw_error_clear(e);
  if (dec_module(m->b, m->n, &mod, e)) return e->kind;
  val_options o;
  memset(&o, 0, sizeof o);
  o.simd = simd;
  int rc = val_module(&mod, &o, e);
  wm_module_free(&mod);
  return rc ? e->kind : AW_OK;
}

static bool expect(const mb *m, aw_errkind kind, const char *prefix) {
  aw_error e;
  aw_errkind k = run(m, false, &e);
  bool ok =
      k == kind && (!prefix || strncmp(e.message, prefix, strlen(prefix)) == 0);
  if (!ok)
    fprintf(stderr, "  got %s: \"%s\", expected %s: \"%s\"\n",
            aw_errkind_name(k), e.message, aw_errkind_name(kind),
            prefix ? prefix : "");
  return ok;
}
#define VALID(m) CHECK(expect(m, AW_OK, NULL))
#define INVALID(m, msg) CHECK(expect(m, AW_ERR_INVALID, msg))
#define MALFORMED(m, msg) CHECK(expect(m, AW_ERR_MALFORMED, msg))

/* One function of type [] -> [] (type 0) or [] -> [i32] (type 1) etc.:
   types: 0: []->[], 1: []->[i32], 2: [i32]->[i32], 3: [i32 i32]->[i32],
   4: [i64]->[] */
static void std_types(mb *m) {
  SEC(m, 1, 5, 0x60, 0, 0, 0x60, 0, 1, 0x7F, 0x60, 1, 0x7F, 1, 0x7F, 0x60, 2,
      0x7F, 0x7F, 1, 0x7F, 0x60, 1, 0x7E, 0);
}
#define FUNC(m, type) SEC(m, 3, 1, type)

/* ---- operand stack and numeric typing ---- */

TEST(val_numeric_ok_and_mismatch) {
  mb m;
  mb_init(&m);
  std_types(&m);
  FUNC(&m, 3);
  BODY(&m, 0, 0x20, 0, 0x20, 1, 0x6A, 0x0B); /* local.get 0 1 i32.add */
  VALID(&m);

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x42, 1, 0x41, 1, 0x6A, 0x0B); /* i64.const i32.const add */
  INVALID(&m, "type mismatch");

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x6A, 0x0B); /* one operand only */
  INVALID(&m, "type mismatch");

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x41, 2, 0x0B); /* two values for one result */
  INVALID(&m, "type mismatch");

  mb_init(&m); /* conversions, sign extension, saturating truncation */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x43, 0, 0, 0x80, 0x3F, /* f32.const 1 */
       0xBB,                          /* f64.promote_f32 */
       0xFC, 6,                       /* i64.trunc_sat_f64_s */
       0xC4,                          /* i64.extend32_s */
       0xA7,                          /* i32.wrap_i64 */
       0xC0, 0x0B);                   /* i32.extend8_s */
  VALID(&m);

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0xFC, 0, 0x0B); /* trunc_sat_f32 of an i32 */
  INVALID(&m, "type mismatch");
}

TEST(val_unreachable_polymorphic) {
  mb m;
  mb_init(&m); /* unreachable i32.add -> result i32 */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x00, 0x6A, 0x0B);
  VALID(&m);

  mb_init(&m); /* unreachable; i64.const; i32.add: the known i64 fails */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x00, 0x42, 0, 0x6A, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* br 0 then a value of the wrong type at the end */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0x0C, 0, 0x42, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* return makes the rest unreachable */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0x0F, 0x0B);
  VALID(&m);
}

/* ---- control ---- */

TEST(val_blocks_and_labels) {
  mb m;
  mb_init(&m); /* block (result i32) i32.const br 0 end */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x02, 0x7F, 0x41, 1, 0x0C, 0, 0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* block leaves an extra value */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x40, 0x41, 1, 0x0B, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* br 2 from depth 2 */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x40, 0x0C, 2, 0x0B, 0x0B);
  INVALID(&m, "unknown label");

  mb_init(&m); /* loop label takes the params: loop (type 2) br 0 */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0x03, 2, 0x0C, 0, 0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* multi-value block with params: [i32 i32]->[i32] */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x41, 2, 0x02, 3, 0x6A, 0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* block type index out of range */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 9, 0x0B, 0x0B);
  INVALID(&m, "unknown type");

  mb_init(&m); /* br_if keeps the label's values */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x02, 0x7F, 0x41, 1, 0x41, 0, 0x0D, 0, 0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* br_if without the condition */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x02, 0x7F, 0x41, 1, 0x0D, 0, 0x0B, 0x0B);
  INVALID(&m, "type mismatch");
}

TEST(val_if_else) {
  mb m;
  mb_init(&m); /* if (result i32) 1 else 2 end */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x04, 0x7F, 0x41, 1, 0x05, 0x41, 2, 0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* if (result i32) without else */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x04, 0x7F, 0x41, 1, 0x0B, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* if (type 2: [i32]->[i32]) without else is fine */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 5, 0x41, 1, 0x04, 2, 0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* else branch with the wrong type */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x04, 0x7F, 0x41, 1, 0x05, 0x42, 2, 0x0B, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* if without a condition */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x04, 0x40, 0x0B, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* else outside an if is a binary-format error */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x40, 0x05, 0x0B, 0x0B);
  MALFORMED(&m, NULL);
}

TEST(val_br_table) {
  mb m;
  mb_init(&m); /* block (result i32) block (result i32) v v br_table 0 1 */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x02, 0x7F, 0x02, 0x7F, 0x41, 7, 0x41, 0, 0x0E, 1, 0, 1, 0x0B,
       0x0B, 0x0B);
  VALID(&m);

  mb_init(&m); /* labels of different arity */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x40, 0x02, 0x7F, 0x41, 7, 0x41, 0, 0x0E, 1, 0, 1, 0x0B,
       0x1A, 0x0B, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* same arity, different types, after unreachable */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x7D, 0x02, 0x7F, 0x00, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x1A,
       0x43, 0, 0, 0, 0, 0x0B, 0x1A, 0x0B);
  VALID(&m); /* unknown operands match both */

  mb_init(&m); /* i64 operand for an i32 label, non-default position */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x7E, 0x02, 0x7F, 0x42, 7, 0x41, 0, 0x0E, 1, 0, 1, 0x0B,
       0x1A, 0x0B, 0x1A, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* unknown label in the table */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 0, 0x0E, 1, 5, 0, 0x0B);
  INVALID(&m, "unknown label");
}

TEST(val_select) {
  mb m;
  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x41, 2, 0x41, 0, 0x1B, 0x0B);
  VALID(&m);

  mb_init(&m); /* operands of different types */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 1, 0x42, 2, 0x41, 0, 0x1B, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* untyped select of references */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1B, 0x1A, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* typed select of references */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1C, 1, 0x70, 0x1A, 0x0B);
  VALID(&m);

  mb_init(&m); /* select (result) with no type */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 1, 0x41, 1, 0x41, 0, 0x1C, 0, 0x1A, 0x0B);
  INVALID(&m, "invalid result arity");

  mb_init(&m); /* select (result i32 i32) */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 1, 0x41, 1, 0x41, 0, 0x1C, 2, 0x7F, 0x7F, 0x1A, 0x0B);
  INVALID(&m, "invalid result arity");

  mb_init(&m); /* select after unreachable pushes an unknown value */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x00, 0x1B, 0x0B);
  VALID(&m);
}

/* ---- locals, globals, calls ---- */

TEST(val_locals_globals) {
  mb m;
  mb_init(&m); /* one declared i64 local after the i32 param */
  std_types(&m);
  FUNC(&m, 2);
  BODY(&m, 1, 1, 0x7E, 0x42, 3, 0x21, 1, 0x20, 0, 0x0B);
  VALID(&m);

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 2);
  BODY(&m, 1, 1, 0x7E, 0x20, 2, 0x0B);
  INVALID(&m, "unknown local");

  mb_init(&m); /* local.tee with the wrong type */
  std_types(&m);
  FUNC(&m, 2);
  BODY(&m, 0, 0x42, 0, 0x22, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* global.set of an immutable global */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 6, 1, 0x7F, 0, 0x41, 0, 0x0B);
  BODY(&m, 0, 0x41, 1, 0x24, 0, 0x0B);
  INVALID(&m, "global is immutable");

  mb_init(&m); /* ... of a mutable one */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 6, 1, 0x7F, 1, 0x41, 0, 0x0B);
  BODY(&m, 0, 0x41, 1, 0x24, 0, 0x0B);
  VALID(&m);

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x23, 0, 0x0B);
  INVALID(&m, "unknown global");
}

TEST(val_calls) {
  mb m;
  mb_init(&m); /* function 0 of type 2 calls itself */
  std_types(&m);
  FUNC(&m, 2);
  BODY(&m, 0, 0x20, 0, 0x10, 0, 0x0B);
  VALID(&m);

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 2);
  BODY(&m, 0, 0x20, 0, 0x10, 1, 0x0B);
  INVALID(&m, "unknown function");

  mb_init(&m); /* call with a missing argument */
  std_types(&m);
  FUNC(&m, 2);
  BODY(&m, 0, 0x10, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* call_indirect type 1 through funcref table 0 */
  std_types(&m);
  FUNC(&m, 1);
  SEC(&m, 4, 1, 0x70, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x11, 1, 0, 0x0B);
  VALID(&m);

  mb_init(&m); /* ... on an externref table */
  std_types(&m);
  FUNC(&m, 1);
  SEC(&m, 4, 1, 0x6F, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x11, 1, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* ... with no table */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0x11, 1, 0, 0x0B);
  INVALID(&m, "unknown table");

  mb_init(&m); /* ... with an unknown type */
  std_types(&m);
  FUNC(&m, 1);
  SEC(&m, 4, 1, 0x70, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x11, 9, 0, 0x0B);
  INVALID(&m, "unknown type");
}

/* ---- memory ---- */

TEST(val_memory_instructions) {
  mb m;
  mb_init(&m); /* i64.load32_u align 2, i64.store8 align 0 */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x35, 2, 0, 0x3C, 0, 0, 0x0B);
  VALID(&m);

  mb_init(&m); /* i32.load16_s with align 2 > natural 1 */
  std_types(&m);
  FUNC(&m, 1);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x2E, 2, 0, 0x0B);
  INVALID(&m, "alignment must not be larger than natural");

  mb_init(&m); /* load without a memory */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0x28, 2, 0, 0x0B);
  INVALID(&m, "unknown memory");

  mb_init(&m); /* f32.store of an i32 value */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x38, 2, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* memory.size / grow / fill / copy */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0x3F, 0, 0x40, 0, 0x41, 0, 0x41, 0, 0xFC, 11, 0, 0x41, 0, 0x41, 0,
       0x41, 0, 0xFC, 10, 0, 0, 0x0B);
  VALID(&m);

  mb_init(&m); /* memory.fill without a memory */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 11, 0, 0x0B);
  INVALID(&m, "unknown memory");
}

TEST(val_data_count) {
  mb m;
  mb_init(&m); /* data.drop 0 with a data count section */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  SEC(&m, 12, 1);
  BODY(&m, 0, 0xFC, 9, 0, 0x0B);
  SEC(&m, 11, 1, 1, 0);
  VALID(&m);

  mb_init(&m); /* ... without one */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0xFC, 9, 0, 0x0B);
  SEC(&m, 11, 1, 1, 0);
  MALFORMED(&m, "data count section required");

  mb_init(&m); /* memory.init of data segment 1 of 1 */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  SEC(&m, 12, 1);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 8, 1, 0, 0x0B);
  SEC(&m, 11, 1, 1, 0);
  INVALID(&m, "unknown data segment");

  mb_init(&m); /* a body with an invalid instruction and, later, a
                  data.drop without data count: malformed wins */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0x6A, 0xFC, 9, 0, 0x0B);
  SEC(&m, 11, 1, 1, 0);
  MALFORMED(&m, "data count section required");
}

/* ---- tables and references ---- */

TEST(val_tables_refs) {
  mb m;
  mb_init(&m); /* table.get/set/size/grow/fill on funcref table */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 1, 0x70, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x25, 0, 0x26, 0, 0xFC, 16, 0, 0x1A, 0xD0, 0x70,
       0x41, 1, 0xFC, 15, 0, 0x1A, 0x41, 0, 0xD0, 0x70, 0x41, 0, 0xFC, 17, 0,
       0x0B);
  VALID(&m);

  mb_init(&m); /* table.set of an externref into a funcref table */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 1, 0x70, 0, 1);
  BODY(&m, 0, 0x41, 0, 0xD0, 0x6F, 0x26, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* table.copy between funcref and externref tables */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 2, 0x70, 0, 1, 0x6F, 0, 1);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 14, 0, 1, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* table.init of a funcref segment into an externref table */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 1, 0x6F, 0, 1);
  SEC(&m, 9, 1, 1, 0, 0); /* passive, elemkind funcref, no items */
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 12, 0, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* elem.drop 1 of 1 segment */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 9, 1, 1, 0, 0);
  BODY(&m, 0, 0xFC, 13, 1, 0x0B);
  INVALID(&m, "unknown elem segment");

  mb_init(&m); /* ref.is_null of an i32 */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0xD1, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* ref.func of a function nobody declared */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0xD2, 0, 0x1A, 0x0B);
  INVALID(&m, "undeclared function reference");

  mb_init(&m); /* ... declared by an export */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 7, 1, 1, 'f', 0, 0);
  BODY(&m, 0, 0xD2, 0, 0x1A, 0x0B);
  VALID(&m);

  mb_init(&m); /* ... declared by a declarative element segment */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 9, 1, 3, 0, 1, 0);
  BODY(&m, 0, 0xD2, 0, 0x1A, 0x0B);
  VALID(&m);
}

/* ---- module level ---- */

TEST(val_limits_and_memories) {
  mb m;
  mb_init(&m);
  SEC(&m, 5, 1, 0, 0x81, 0x80, 0x04); /* 65537 pages */
  INVALID(&m, "memory size must be at most 65536 pages (4GiB)");

  mb_init(&m);
  SEC(&m, 5, 1, 1, 0, 0x81, 0x80, 0x04); /* max 65537 */
  INVALID(&m, "memory size must be at most 65536 pages (4GiB)");

  mb_init(&m);
  SEC(&m, 5, 1, 1, 0x80, 0x80, 0x04, 0x80, 0x80, 0x04); /* 65536 ok */
  VALID(&m);

  mb_init(&m);
  SEC(&m, 5, 1, 1, 2, 1);
  INVALID(&m, "size minimum must not be greater than maximum");

  mb_init(&m);
  SEC(&m, 4, 1, 0x70, 1, 3, 2);
  INVALID(&m, "size minimum must not be greater than maximum");

  mb_init(&m);
  SEC(&m, 5, 2, 0, 0, 0, 0);
  INVALID(&m, "multiple memories");

  mb_init(&m); /* several tables are fine in 2.0 */
  SEC(&m, 4, 2, 0x70, 0, 0, 0x6F, 0, 0);
  VALID(&m);
}

TEST(val_globals_const_exprs) {
  mb m;
  mb_init(&m); /* i32 initialised by f32.const */
  SEC(&m, 6, 1, 0x7F, 0, 0x43, 0, 0, 0, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* non-constant instruction */
  SEC(&m, 6, 1, 0x7F, 0, 0x41, 0, 0x45, 0x0B);
  INVALID(&m, "constant expression required");

  mb_init(&m); /* two values */
  SEC(&m, 6, 1, 0x7F, 0, 0x41, 0, 0x41, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* empty */
  SEC(&m, 6, 1, 0x7F, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* global.get of a defined global */
  SEC(&m, 6, 2, 0x7F, 0, 0x41, 0, 0x0B, 0x7F, 0, 0x23, 0, 0x0B);
  INVALID(&m, "unknown global");

  /* imported immutable global: fine; imported mutable: not constant */
  mb_init(&m);
  SEC(&m, 2, 1, 1, 'a', 1, 'b', 3, 0x7F, 0);
  SEC(&m, 6, 1, 0x7F, 0, 0x23, 0, 0x0B);
  VALID(&m);

  mb_init(&m);
  SEC(&m, 2, 1, 1, 'a', 1, 'b', 3, 0x7F, 1);
  SEC(&m, 6, 1, 0x7F, 0, 0x23, 0, 0x0B);
  INVALID(&m, "constant expression required");

  mb_init(&m); /* funcref global = ref.func 0 declares function 0 */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 6, 1, 0x70, 0, 0xD2, 0, 0x0B);
  BODY(&m, 0, 0xD2, 0, 0x1A, 0x0B);
  VALID(&m);

  mb_init(&m); /* ref.func of an unknown function */
  SEC(&m, 6, 1, 0x70, 0, 0xD2, 3, 0x0B);
  INVALID(&m, "unknown function");

  mb_init(&m); /* externref global = ref.null func */
  SEC(&m, 6, 1, 0x6F, 0, 0xD0, 0x70, 0x0B);
  INVALID(&m, "type mismatch");
}

TEST(val_segments) {
  mb m;
  mb_init(&m); /* active elem with funcs into table 0 */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 1, 0x70, 0, 1);
  SEC(&m, 9, 1, 0, 0x41, 0, 0x0B, 1, 0);
  BODY(&m, 0, 0x0B);
  VALID(&m);

  mb_init(&m); /* ... without a table */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 9, 1, 0, 0x41, 0, 0x0B, 1, 0);
  BODY(&m, 0, 0x0B);
  INVALID(&m, "unknown table");

  mb_init(&m); /* ... with an i64 offset */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 1, 0x70, 0, 1);
  SEC(&m, 9, 1, 0, 0x42, 0, 0x0B, 1, 0);
  BODY(&m, 0, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* ... naming an unknown function */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 4, 1, 0x70, 0, 1);
  SEC(&m, 9, 1, 0, 0x41, 0, 0x0B, 1, 5);
  BODY(&m, 0, 0x0B);
  INVALID(&m, "unknown function");

  mb_init(&m); /* funcref segment (flags 2, table 0) into externref table */
  SEC(&m, 4, 1, 0x6F, 0, 1);
  SEC(&m, 9, 1, 2, 0, 0x41, 0, 0x0B, 0, 0);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* externref expression items into an externref table */
  SEC(&m, 4, 1, 0x6F, 0, 1);
  SEC(&m, 9, 1, 6, 0, 0x41, 0, 0x0B, 0x6F, 1, 0xD0, 0x6F, 0x0B);
  VALID(&m);

  mb_init(&m); /* item expression of the wrong type */
  SEC(&m, 4, 1, 0x6F, 0, 1);
  SEC(&m, 9, 1, 6, 0, 0x41, 0, 0x0B, 0x6F, 1, 0xD0, 0x70, 0x0B);
  INVALID(&m, "type mismatch");

  mb_init(&m); /* active data without memory */
  SEC(&m, 11, 1, 0, 0x41, 0, 0x0B, 1, 7);
  INVALID(&m, "unknown memory");

  mb_init(&m); /* data offset of type i64 */
  SEC(&m, 5, 1, 0, 1);
  SEC(&m, 11, 1, 0, 0x42, 0, 0x0B, 1, 7);
  INVALID(&m, "type mismatch");
}

TEST(val_exports_start) {
  mb m;
  mb_init(&m);
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 7, 2, 1, 'a', 0, 0, 1, 'a', 0, 0);
  BODY(&m, 0, 0x0B);
  INVALID(&m, "duplicate export name");

  mb_init(&m); /* distinct names, one a prefix of the other */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 7, 3, 1, 'a', 0, 0, 2, 'a', 'b', 0, 0, 0, 0, 0);
  BODY(&m, 0, 0x0B);
  VALID(&m);

  mb_init(&m);
  SEC(&m, 7, 1, 1, 'g', 3, 0);
  INVALID(&m, "unknown global");

  mb_init(&m);
  SEC(&m, 7, 1, 1, 'm', 2, 0);
  INVALID(&m, "unknown memory");

  mb_init(&m); /* start function of type [] -> [i32] */
  std_types(&m);
  FUNC(&m, 1);
  SEC(&m, 8, 0);
  BODY(&m, 0, 0x41, 0, 0x0B);
  INVALID(&m, "start function");

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 8, 1);
  BODY(&m, 0, 0x0B);
  INVALID(&m, "unknown function");

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 8, 0);
  BODY(&m, 0, 0x0B);
  VALID(&m);
}

TEST(val_unknown_type_index) {
  mb m;
  mb_init(&m);
  std_types(&m);
  FUNC(&m, 7);
  BODY(&m, 0, 0x0B);
  aw_error e;
  aw_errkind k = run(&m, false, &e); /* the decoder or we reject it */
  CHECK(k == AW_ERR_INVALID || k == AW_ERR_MALFORMED);

  mb_init(&m); /* imported function with an unknown type */
  SEC(&m, 2, 1, 1, 'a', 1, 'b', 0, 3);
  INVALID(&m, "unknown type");
}

/* ---- body structure (malformed) ---- */

TEST(val_body_structure) {
  mb m;
  mb_init(&m); /* body without its final end */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x01);
  MALFORMED(&m, NULL);

  mb_init(&m); /* bytes after the final end */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x0B, 0x01);
  MALFORMED(&m, "section size mismatch");

  mb_init(&m); /* an illegal opcode */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0xFF, 0x0B);
  MALFORMED(&m, NULL);
}

/* ---- SIMD gating ---- */

TEST(val_simd_gated) {
  mb m;
  aw_error e;
  mb_init(&m); /* v128 in a function type */
  SEC(&m, 1, 1, 0x60, 1, 0x7B, 0);
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_UNSUPPORTED);
  CHECK_STR(e.message, "unsupported feature: SIMD");
  CHECK_EQ_INT(run(&m, true, &e), AW_OK);

  mb_init(&m); /* v128 local */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 1, 1, 0x7B, 0x0B);
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_UNSUPPORTED);

  mb_init(&m); /* v128 block type */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x7B, 0x00, 0x0B, 0x1A, 0x0B);
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_UNSUPPORTED);

  mb_init(&m); /* v128 global */
  SEC(&m, 6, 1, 0x7B, 0, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0x0B);
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_UNSUPPORTED);

  mb_init(&m); /* a 0xFD instruction in a body */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 0, 0xFD, 15, 0x1A, 0x0B); /* i8x16.splat */
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_UNSUPPORTED);
  CHECK_STR(e.message, "unsupported feature: SIMD");
}

/* ---- the views given to the code generator ---- */

typedef struct view_log {
  uint16_t op[64];
  cg_view v[64];
  uint8_t pops[64][4], pushes[64][4];
  uint32_t bt_np[64], bt_nr[64];
  uint8_t type[64];
  int n;
} view_log;

static int log_view(void *ctx, const wm_instr *ins, const cg_view *v,
                    aw_error *err) {
  view_log *l = ctx;
  (void)err;
  if (l->n >= 64) return 0;
  l->op[l->n] = ins->op;
  l->v[l->n] = *v;
  for (uint32_t i = 0; i < v->npop && i < 4; i++)
    l->pops[l->n][i] = v->pop_types[i];
  for (uint32_t i = 0; i < v->npush && i < 4; i++)
    l->pushes[l->n][i] = v->push_types[i];
  l->bt_np[l->n] = ins->bt_nparams;
  l->bt_nr[l->n] = ins->bt_nresults;
  l->type[l->n] = ins->type;
  l->n++;
  return 0;
}

static int observe(const mb *m, view_log *l) {
  wm_module mod;
  aw_error e;
  memset(l, 0, sizeof *l);
  if (dec_module(m->b, m->n, &mod, &e)) return -1;
  val_options o;
  memset(&o, 0, sizeof o);
  val_state s;
  memset(&s, 0, sizeof s);
  int rc = val_function_observe(&mod, 0, &o, &s, log_view, l, &e);
  val_state_free(&s);
  wm_module_free(&mod);
  return rc;
}

TEST(val_views) {
  mb m;
  view_log l;
  mb_init(&m); /* [i32 i32] -> [i32]:
                  0 local.get 0; 1 local.get 1; 2 block (type 3);
                  3 i32.add; 4 end; 5 local.get 0; 6 f32.const;
                  7 drop; 8 select; 9 end */
  std_types(&m);
  FUNC(&m, 3);
  BODY(&m, 0, 0x20, 0, 0x20, 1, 0x02, 3, 0x6A, 0x0B, 0x20, 0, 0x43, 0, 0, 0, 0,
       0x1A, 0x20, 0, 0x1B, 0x0B);
  CHECK_EQ_INT(observe(&m, &l), 0);
  CHECK_EQ_INT(l.n, 11);
  CHECK_EQ_INT(l.v[0].height, 0);
  CHECK_EQ_INT(l.v[0].npush, 1);
  CHECK_EQ_INT(l.pushes[0][0], WM_I32);
  /* block [i32 i32] -> [i32]: pops and pushes its two params */
  CHECK_EQ_INT(l.op[2], 0x02);
  CHECK_EQ_INT(l.v[2].height, 2);
  CHECK_EQ_INT(l.v[2].npop, 2);
  CHECK_EQ_INT(l.v[2].npush, 2);
  CHECK_EQ_INT(l.bt_np[2], 2);
  CHECK_EQ_INT(l.bt_nr[2], 1);
  CHECK_EQ_INT(l.v[3].height, 2);
  CHECK_EQ_INT(l.v[3].npop, 2);
  CHECK_EQ_INT(l.v[3].npush, 1);
  /* end of the block: pops and pushes its result */
  CHECK_EQ_INT(l.op[4], 0x0B);
  CHECK_EQ_INT(l.v[4].height, 1);
  CHECK_EQ_INT(l.v[4].npop, 1);
  CHECK_EQ_INT(l.v[4].npush, 1);
  CHECK_EQ_INT(l.bt_nr[4], 1);
  CHECK_EQ_INT(l.v[6].height, 2);
  CHECK_EQ_INT(l.pushes[6][0], WM_F32);
  CHECK_EQ_INT(l.v[7].npop, 1);
  CHECK_EQ_INT(l.pops[7][0], WM_F32);
  /* local.get 0 pushed the condition; select pops [i32 i32 i32] */
  CHECK_EQ_INT(l.op[9], 0x1B);
  CHECK_EQ_INT(l.v[9].height, 3);
  CHECK_EQ_INT(l.v[9].npop, 3);
  CHECK_EQ_INT(l.type[9], WM_I32);
  /* the function's end */
  CHECK_EQ_INT(l.op[10], 0x0B);
  CHECK_EQ_INT(l.v[10].height, 1);
  CHECK_EQ_INT(l.v[10].npop, 1);
  CHECK(!l.v[10].unreachable);

  mb_init(&m); /* []->[i32]: 0 i64.const 1 unreachable 2 i32.add 3 end */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x42, 0, 0x00, 0x6A, 0x0B);
  CHECK_EQ_INT(observe(&m, &l), 0);
  CHECK_EQ_INT(l.n, 4);
  CHECK(!l.v[1].unreachable);
  CHECK_EQ_INT(l.v[1].height, 1);
  CHECK(l.v[2].unreachable);
  CHECK_EQ_INT(l.v[2].height, 0); /* reset to the frame's height */
  CHECK_EQ_INT(l.v[2].npop, 2);
  CHECK_EQ_INT(l.pops[2][0], 0); /* unknown */
  CHECK_EQ_INT(l.pops[2][1], 0);
  CHECK(l.v[3].unreachable);
  CHECK_EQ_INT(l.pops[3][0], WM_I32);

  mb_init(&m); /* if with i32 param: 0 i32.const 1 i32.const 2 if (type 2)
                  3 else 4 end 5 end */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 5, 0x41, 1, 0x04, 2, 0x05, 0x0B, 0x0B);
  CHECK_EQ_INT(observe(&m, &l), 0);
  CHECK_EQ_INT(l.n, 6);
  CHECK_EQ_INT(l.v[2].npop, 2);
  CHECK_EQ_INT(l.pops[2][0], WM_I32);
  CHECK_EQ_INT(l.pops[2][1], WM_I32);
  CHECK_EQ_INT(l.v[2].npush, 1);
  CHECK_EQ_INT(l.op[3], 0x05);
  CHECK_EQ_INT(l.v[3].npop, 1);
  CHECK_EQ_INT(l.v[3].npush, 1);
  CHECK_EQ_INT(l.bt_np[3], 1);
}

/* A hostile nesting depth grows the stacks instead of overflowing. */
TEST(val_deep_nesting) {
  static mb m;
  enum { D = 1000 };
  uint8_t body[2 * D + 2 * D + 2];
  size_t n = 0;
  body[n++] = 0; /* no locals */
  for (int i = 0; i < D; i++) {
    body[n++] = 0x02;
    body[n++] = 0x40;
  }
  for (int i = 0; i < D; i++)
    body[n++] = 0x0B;
  body[n++] = 0x0B;
  mb_init(&m);
  std_types(&m);
  FUNC(&m, 0);
  mb_code1(&m, body, n);
  VALID(&m);
}

/* ---- SIMD, when enabled ---- */

static bool expect_simd(const mb *m, aw_errkind kind, const char *prefix) {
  aw_error e;
  aw_errkind k = run(m, true, &e);
  bool ok =
      k == kind && (!prefix || strncmp(e.message, prefix, strlen(prefix)) == 0);
  if (!ok)
    fprintf(stderr, "  got %s: \"%s\", expected %s: \"%s\"\n",
            aw_errkind_name(k), e.message, aw_errkind_name(kind),
            prefix ? prefix : "");
  return ok;
}

TEST(val_simd_enabled) {
  mb m;
  mb_init(&m); /* i32 -> i8x16.splat -> i8x16.extract_lane_u 15 */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0xFD, 15, 0xFD, 22, 15, 0x0B);
  CHECK(expect_simd(&m, AW_OK, NULL));

  mb_init(&m); /* lane 16 of an i8x16 */
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x41, 0, 0xFD, 15, 0xFD, 22, 16, 0x0B);
  CHECK(expect_simd(&m, AW_ERR_INVALID, "invalid lane index"));

  mb_init(&m); /* v128.load with align 5 > 4 */
  std_types(&m);
  FUNC(&m, 0);
  SEC(&m, 5, 1, 0, 1);
  BODY(&m, 0, 0x41, 0, 0xFD, 0, 5, 0, 0x1A, 0x0B);
  CHECK(expect_simd(&m, AW_ERR_INVALID, "alignment must not be larger"));

  mb_init(&m); /* i32x4.add of an i32 */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 0, 0x41, 0, 0xFD, 174, 1, 0x1A, 0x0B);
  CHECK(expect_simd(&m, AW_ERR_INVALID, "type mismatch"));

  mb_init(&m); /* untyped select of v128 values is allowed */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 0, 0xFD, 17, 0x41, 0, 0xFD, 17, 0x41, 0, 0x1B, 0x1A, 0x0B);
  CHECK(expect_simd(&m, AW_OK, NULL));

  mb_init(&m); /* i8x16.shuffle with lane 32 */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x41, 0, 0xFD, 17, 0x41, 0, 0xFD, 17, 0xFD, 13, 0, 1, 2, 3, 4, 5,
       6, 7, 8, 9, 10, 11, 12, 13, 14, 32, 0x1A, 0x0B);
  CHECK(expect_simd(&m, AW_ERR_INVALID, "invalid lane index"));
}

/* An unsupported feature in one function does not hide an invalid one
   further on; alone, it is reported as unsupported. */
TEST(val_unsupported_then_invalid) {
  mb m;
  aw_error e;
  mb_init(&m);
  std_types(&m);
  SEC(&m, 3, 2, 0, 0);
  {
    static const uint8_t code[] = {2,    7,    0, 0x41, 0,    0xFD, 15,
                                   0x1A, 0x0B, 3, 0,    0x6A, 0x0B};
    mb_sec(&m, 10, code, sizeof code);
  }
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_INVALID);

  mb_init(&m);
  std_types(&m);
  SEC(&m, 3, 2, 0, 0);
  {
    static const uint8_t code[] = {2,  7,    0,    0x41, 0, 0xFD,
                                   15, 0x1A, 0x0B, 2,    0, 0x0B};
    mb_sec(&m, 10, code, sizeof code);
  }
  CHECK_EQ_INT(run(&m, false, &e), AW_ERR_UNSUPPORTED);
}

/* With opt->compile every defined function gets its code. */
TEST(val_compile_attaches_code) {
  mb m;
  wm_module mod;
  aw_error e;
  mb_init(&m);
  std_types(&m);
  SEC(&m, 3, 2, 3, 1);
  {
    /* f0 [i32 i32]->[i32]: block (type 3) add end; f1 []->[i32]: 1 */
    static const uint8_t code[] = {2,    10,   0,    0x20, 0, 0x20, 1, 0x02, 3,
                                   0x6A, 0x0B, 0x0B, 4,    0, 0x41, 1, 0x0B};
    mb_sec(&m, 10, code, sizeof code);
  }
  if (dec_module(m.b, m.n, &mod, &e)) {
    CHECK(!"decode failed");
    return;
  }
  val_options o;
  memset(&o, 0, sizeof o);
  o.compile = true;
  o.cg.fuel = true;
  CHECK_EQ_INT(val_module(&mod, &o, &e), 0);
  CHECK(mod.funcs[0].code != NULL);
  CHECK(mod.funcs[1].code != NULL);
  wm_module_free(&mod);

  /* an invalid body: no code, and the error is the validator's */
  mb_init(&m);
  std_types(&m);
  FUNC(&m, 1);
  BODY(&m, 0, 0x42, 0, 0x0B);
  if (dec_module(m.b, m.n, &mod, &e)) {
    CHECK(!"decode failed");
    return;
  }
  CHECK_EQ_INT(val_module(&mod, &o, &e), -1);
  CHECK_EQ_INT(e.kind, AW_ERR_INVALID);
  CHECK(mod.funcs[0].code == NULL);
  wm_module_free(&mod);
}

/* Function types are limited to 1000 parameters and 1000 results. */
TEST(val_arity_limit) {
  static mb m;
  static uint8_t sec[1100];
  aw_error e;
  for (uint32_t np = 1000; np <= 1001; np++) {
    size_t n = 0;
    sec[n++] = 1;    /* one type */
    sec[n++] = 0x60; /* func */
    sec[n++] = (uint8_t)(0x80 | (np & 0x7F));
    sec[n++] = (uint8_t)(np >> 7);
    memset(sec + n, WM_I32, np);
    n += np;
    sec[n++] = 0; /* no results */
    mb_init(&m);
    mb_sec(&m, 1, sec, n);
    CHECK_EQ_INT(run(&m, false, &e), np <= 1000 ? AW_OK : AW_ERR_UNSUPPORTED);
  }
}

/* br_table whose labels alternate between frames of different types:
   each distinct list is checked against the stack. */
TEST(val_br_table_alternating) {
  mb m;
  mb_init(&m); /* block i32 / block i64 / block i32: labels 0 1 0 1 2 */
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x7F, 0x02, 0x7E, 0x02, 0x7F, 0x41, 1, 0x41, 0, 0x0E, 4, 0,
       2, 0, 2, 0, 0x0B, 0x1A, 0x42, 0, 0x0B, 0x1A, 0x41, 0, 0x0B, 0x1A, 0x0B);
  VALID(&m);

  mb_init(&m);
  std_types(&m);
  FUNC(&m, 0);
  BODY(&m, 0, 0x02, 0x7F, 0x02, 0x7E, 0x02, 0x7F, 0x41, 1, 0x41, 0, 0x0E, 4, 0,
       2, 0, 1, 0, 0x0B, 0x1A, 0x42, 0, 0x0B, 0x1A, 0x41, 0, 0x0B, 0x1A, 0x0B);
  INVALID(&m, "type mismatch");
}
