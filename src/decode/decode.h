/*
 * decode.h - the binary decoder: bytes -> wm_module (src/module.h).
 *
 * The decoder checks everything the spec calls "malformed": magic and
 * version, section ids, order and sizes, LEB128 lengths and overlong or
 * out-of-range encodings, UTF-8 names, counts that do not match (function
 * and code sections, data count), unexpected end.  It never reads past the
 * buffer.  Semantic rules ("invalid") are the validator's.
 */
#ifndef AW_DECODE_H
#define AW_DECODE_H

#include "module.h"

/* Decodes len bytes (copied into m->bin) into *m (zeroed first).
   Returns 0, or -1 with err->kind = AW_ERR_MALFORMED (or AW_ERR_NOMEM,
   AW_ERR_UNSUPPORTED), err->offset and a message; *m is then freed. */
int dec_module(const uint8_t *bytes, size_t len, wm_module *m, aw_error *err);

/* Low-level readers, shared with the validator, which decodes function
   bodies and constant expressions instruction by instruction. */
typedef struct dec_reader {
  const uint8_t *p, *end;
  const uint8_t *base; /* start of the binary, to compute offsets */
} dec_reader;

int dec_u32(dec_reader *r, uint32_t *out, aw_error *err);
int dec_s32(dec_reader *r, int32_t *out, aw_error *err);
int dec_s33(dec_reader *r, int64_t *out, aw_error *err);
int dec_s64(dec_reader *r, int64_t *out, aw_error *err);
int dec_byte(dec_reader *r, uint8_t *out, aw_error *err);
int dec_fixed32(dec_reader *r, uint32_t *out, aw_error *err);
int dec_fixed64(dec_reader *r, uint64_t *out, aw_error *err);

/* Opcodes: one byte, or prefix<<8 | sub-opcode for 0xFC and 0xFD. */
#define WM_OP_FC(sub) ((uint16_t)(0xFC00u | (sub)))
#define WM_OP_FD(sub) ((uint16_t)(0xFD00u | (sub)))

/* One decoded instruction. */
typedef struct wm_instr {
  uint16_t op;
  uint32_t offset; /* byte offset of the opcode in the binary */
  /* Immediates, by instruction:
     - local.*, global.*, call, ref.func, br, br_if: a = index / label depth
     - call_indirect: a = type index, b = table index
     - memory loads/stores: a = align (log2), b = offset (imm64 for SIMD
       lanes: lane index in lane); an align field >= 32 is malformed
       ("malformed memop flags", as in the spec tests), smaller ones are
       kept for the validator to compare with the natural alignment
     - memory.size/grow/fill: a = memory index; memory.copy: a = dst, b = src
     - memory.init: a = data index, b = memory; data.drop: a = data index
     - table.get/set/size/grow/fill: a = table; table.copy: a = dst, b = src
     - table.init: a = elem index, b = table; elem.drop: a = elem index
     - i32.const / i64.const: imm (sign-extended); f32/f64.const: imm = bits
     - select with type / ref.null: type; for select t* also nlabels =
       the length of the type vector (the spec requires 1: the validator
       reports "invalid result arity"), type = its first type, labels NULL
     - block/loop/if: imm = the raw s33 block type as decoded (-64 for the
       empty type 0x40, negative for a value type, >= 0 a type index);
       the validator resolves it into bt_* below
     - call/call_indirect: the validator sets bt_results to the callee
       type's interned result list (the same pointer for the same content)
     - br_table: labels[0..nlabels-1] then the default in labels[nlabels] */
  uint32_t a, b;
  uint64_t imm;
  uint8_t type;
  uint8_t lane;
  uint8_t v128[16]; /* v128.const and i8x16.shuffle */
  const uint32_t *labels;
  uint32_t nlabels;
  uint32_t bt_nparams, bt_nresults;
  const uint8_t *bt_params, *bt_results;
} wm_instr;

/* Scratch storage reused across dec_instr calls (br_table labels). */
typedef struct dec_scratch {
  uint32_t *labels;
  uint32_t cap;
} dec_scratch;

/* Decodes one instruction (opcode and immediates, including 0xFC and 0xFD
   prefixed ones) at r->p into *ins.  Only the encoding is checked (LEB128
   ranges, unknown opcodes -> "illegal opcode", reserved zero bytes);
   semantics are the validator's.  ins->labels points into scratch.
   Returns 0 or -1 with AW_ERR_MALFORMED. */
int dec_instr(dec_reader *r, wm_instr *ins, dec_scratch *scratch,
              aw_error *err);
void dec_scratch_free(dec_scratch *s);

#endif /* AW_DECODE_H */
