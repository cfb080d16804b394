/*
 * instr.c - dec_instr: decodes one instruction (opcode and immediates) of
 * a function body or constant expression into a wm_instr.
 *
 * Covers WebAssembly 2.0: MVP, sign extension, saturating conversions,
 * bulk memory, reference types and fixed-width SIMD.  Only the encoding is
 * checked here (LEB128 ranges, unknown opcodes, reserved zero bytes, memarg
 * flags); what an instruction means is the validator's business.
 */
#include "decode/internal.h"
#include "util/util.h"

static int fail(const dec_reader *r, const uint8_t *at, aw_error *err,
                const char *msg) {
  return aw_fail(err, AW_ERR_MALFORMED, dec_off(r, at), "%s", msg);
}

/* memarg: alignment exponent then offset.  The alignment field is a u32 in
   the grammar, but the spec interpreter rejects exponents >= 32 as
   "malformed memop flags" (bit 6 is reserved for multi-memory), and the
   spec tests (align.wast) expect that, so we do too. */
static int read_memarg(dec_reader *r, wm_instr *ins, aw_error *err) {
  const uint8_t *at = r->p;
  if (dec_u32(r, &ins->a, err)) return -1;
  if (ins->a >= 32) return fail(r, at, err, "malformed memop flags");
  return dec_u32(r, &ins->b, err);
}

/* A reserved memory index: one byte that must be 0 (not a LEB128). */
static int read_zero(dec_reader *r, aw_error *err) {
  const uint8_t *at = r->p;
  uint8_t b;
  if (dec_byte(r, &b, err)) return -1;
  if (b != 0) return fail(r, at, err, "zero byte expected");
  return 0;
}

static int read_lane(dec_reader *r, wm_instr *ins, aw_error *err) {
  return dec_byte(r, &ins->lane, err);
}

static int read_16(dec_reader *r, wm_instr *ins, aw_error *err) {
  if (r->end - r->p < 16) return dec_eos(r, err);
  memcpy(ins->v128, r->p, 16);
  r->p += 16;
  return 0;
}

/* Reads a vector length whose items take at least one byte each, so it can
   never exceed the bytes left (checked from the length's own position, as
   the spec interpreter does). */
static int read_count(dec_reader *r, uint32_t *n, aw_error *err) {
  const uint8_t *at = r->p;
  if (dec_u32(r, n, err)) return -1;
  if (*n > (uint64_t)(r->end - at))
    return fail(r, at, err, "length out of bounds");
  return 0;
}

static int decode_br_table(dec_reader *r, wm_instr *ins, dec_scratch *s,
                           aw_error *err) {
  uint32_t n;
  if (read_count(r, &n, err)) return -1;
  if (n == UINT32_MAX ||
      !aw_grow((void **)&s->labels, sizeof *s->labels, &s->cap, n + 1))
    return aw_fail(err, AW_ERR_NOMEM, dec_off(r, r->p),
                   "out of memory decoding br_table");
  for (uint32_t i = 0; i <= n; i++)
    if (dec_u32(r, &s->labels[i], err)) return -1;
  ins->labels = s->labels;
  ins->nlabels = n;
  return 0;
}

/* select t*: a vector of value types.  The spec allows exactly one; the
   count goes into ins->nlabels and the first type into ins->type, and the
   validator rejects a count != 1 ("invalid result arity"). */
static int decode_select_t(dec_reader *r, wm_instr *ins, aw_error *err) {
  uint32_t n;
  if (read_count(r, &n, err)) return -1;
  ins->nlabels = n;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = r->p;
    uint8_t t;
    if (dec_byte(r, &t, err)) return -1;
    if (!dec_is_valtype(t)) return fail(r, at, err, "malformed value type");
    if (i == 0) ins->type = t;
  }
  return 0;
}

/* 0xFC prefix: saturating truncations, bulk memory, table instructions. */
static int decode_fc(dec_reader *r, wm_instr *ins, uint32_t sub,
                     const uint8_t *at, aw_error *err) {
  if (sub > 17) return fail(r, at, err, "illegal opcode");
  ins->op = WM_OP_FC(sub);
  switch (sub) {
  case 8: /* memory.init dataidx 0x00 */
    if (dec_u32(r, &ins->a, err)) return -1;
    ins->b = 0;
    return read_zero(r, err);
  case 9:  /* data.drop */
  case 13: /* elem.drop */
  case 15: /* table.grow */
  case 16: /* table.size */
  case 17: /* table.fill */ return dec_u32(r, &ins->a, err);
  case 10: /* memory.copy 0x00 0x00 */
    if (read_zero(r, err)) return -1;
    return read_zero(r, err);
  case 11: /* memory.fill 0x00 */ return read_zero(r, err);
  case 12: /* table.init elemidx tableidx */
  case 14: /* table.copy dst src */
    if (dec_u32(r, &ins->a, err)) return -1;
    return dec_u32(r, &ins->b, err);
  default: /* 0-7: saturating truncations */ return 0;
  }
}

/* SIMD sub-opcodes that do not exist in WebAssembly 2.0 below 256. */
static bool fd_gap(uint32_t sub) {
  switch (sub) {
  case 154:
  case 162:
  case 165:
  case 166:
  case 175:
  case 176:
  case 178:
  case 179:
  case 180:
  case 187:
  case 194:
  case 197:
  case 198:
  case 207:
  case 208:
  case 210:
  case 211:
  case 212:
  case 226:
  case 238: return true;
  default: return false;
  }
}

/* 0xFD prefix: fixed-width SIMD. */
static int decode_fd(dec_reader *r, wm_instr *ins, uint32_t sub,
                     const uint8_t *at, aw_error *err) {
  if (sub > 255 || fd_gap(sub)) return fail(r, at, err, "illegal opcode");
  ins->op = WM_OP_FD(sub);
  if (sub <= 11 || sub == 92 || sub == 93) /* loads, store, load_zero */
    return read_memarg(r, ins, err);
  if (sub == 12 || sub == 13) /* v128.const, i8x16.shuffle */
    return read_16(r, ins, err);
  if (sub >= 21 && sub <= 34) /* extract_lane / replace_lane */
    return read_lane(r, ins, err);
  if (sub >= 84 && sub <= 91) { /* load*_lane / store*_lane */
    if (read_memarg(r, ins, err)) return -1;
    return read_lane(r, ins, err);
  }
  return 0;
}

int dec_instr(dec_reader *r, wm_instr *ins, dec_scratch *scratch,
              aw_error *err) {
  memset(ins, 0, sizeof *ins);
  const uint8_t *at = r->p;
  ins->offset = (uint32_t)dec_off(r, at);
  uint8_t op;
  if (dec_byte(r, &op, err)) return -1;
  ins->op = op;
  switch (op) {
  case 0x00:
  case 0x01: /* unreachable, nop */
  case 0x05:
  case 0x0B: /* else, end */
  case 0x0F: /* return */
  case 0x1A:
  case 0x1B: /* drop, select */
  case 0xD1: /* ref.is_null */ return 0;
  case 0x02:
  case 0x03:
  case 0x04: { /* block, loop, if */
    int64_t bt;
    if (dec_s33(r, &bt, err)) return -1;
    ins->imm = (uint64_t)bt;
    return 0;
  }
  case 0x0C:
  case 0x0D: /* br, br_if */
  case 0x10: /* call */
  case 0x20:
  case 0x21:
  case 0x22: /* local.get/set/tee */
  case 0x23:
  case 0x24: /* global.get/set */
  case 0x25:
  case 0x26: /* table.get/set */
  case 0xD2: /* ref.func */ return dec_u32(r, &ins->a, err);
  case 0x0E: return decode_br_table(r, ins, scratch, err);
  case 0x11: /* call_indirect typeidx tableidx */
    if (dec_u32(r, &ins->a, err)) return -1;
    return dec_u32(r, &ins->b, err);
  case 0x1C: return decode_select_t(r, ins, err);
  case 0x3F:
  case 0x40: /* memory.size, memory.grow */
    ins->a = 0;
    return read_zero(r, err);
  case 0x41: {
    int32_t v;
    if (dec_s32(r, &v, err)) return -1;
    ins->imm = (uint64_t)(int64_t)v;
    return 0;
  }
  case 0x42: {
    int64_t v;
    if (dec_s64(r, &v, err)) return -1;
    ins->imm = (uint64_t)v;
    return 0;
  }
  case 0x43: {
    uint32_t v;
    if (dec_fixed32(r, &v, err)) return -1;
    ins->imm = v;
    return 0;
  }
  case 0x44: return dec_fixed64(r, &ins->imm, err);
  case 0xD0: { /* ref.null t */
    const uint8_t *tat = r->p;
    if (dec_byte(r, &ins->type, err)) return -1;
    if (!dec_is_reftype(ins->type))
      return fail(r, tat, err, "malformed reference type");
    return 0;
  }
  case 0xFC:
  case 0xFD: {
    uint32_t sub;
    if (dec_u32(r, &sub, err)) return -1;
    return op == 0xFC ? decode_fc(r, ins, sub, at, err)
                      : decode_fd(r, ins, sub, at, err);
  }
  default:
    if (op >= 0x28 && op <= 0x3E) /* loads and stores */
      return read_memarg(r, ins, err);
    if (op >= 0x45 && op <= 0xC4) /* numeric, sign extension */
      return 0;
    return fail(r, at, err, "illegal opcode");
  }
}

void dec_scratch_free(dec_scratch *s) {
  if (!s) return;
  free(s->labels);
  s->labels = NULL;
  s->cap = 0;
}
