/*
 * ops.h - the instruction table of the text format: mnemonic -> opcode
 * (with its prefix byte) and the shape of its immediates.
 */
#ifndef AW_TEXT_OPS_H
#define AW_TEXT_OPS_H

#include <stddef.h>
#include <stdint.h>

typedef enum tx_imm {
  IM_NONE,
  IM_BLOCK,
  IM_LOOP,
  IM_IF,
  IM_ELSE,
  IM_END,
  IM_LABEL,    /* br, br_if */
  IM_BR_TABLE, /* label+ */
  IM_FUNC,     /* call, return_call, ref.func */
  IM_CALL_INDIRECT,
  IM_LOCAL,
  IM_GLOBAL,
  IM_TABLE,      /* optional table index */
  IM_TABLE_COPY, /* two optional table indices */
  IM_TABLE_INIT, /* table? elem */
  IM_ELEM,
  IM_DATA,
  IM_MEM_INIT, /* mem? data */
  IM_MEM,      /* optional memory index */
  IM_MEM_COPY, /* two optional memory indices */
  IM_MEMARG,   /* mem? offset= align= ; align = natural alignment */
  IM_I32,
  IM_I64,
  IM_F32,
  IM_F64,
  IM_V128,
  IM_SELECT,
  IM_REF_NULL,
  IM_LANE,        /* one lane index; align = lane count */
  IM_SHUFFLE,     /* 16 lane indices */
  IM_MEMARG_LANE, /* memarg then a lane index */
  IM_TYPE,        /* a type index */
  IM_TYPE_FIELD,  /* type index, field index */
  IM_TYPE_U32,    /* type index, count (array.new_fixed) */
  IM_TYPE_DATA,   /* type index, data index */
  IM_TYPE_ELEM,   /* type index, elem index */
  IM_TYPE_TYPE,   /* two type indices (array.copy) */
  IM_REF_TEST,    /* a reference type; code + 1 when nullable */
  IM_BR_ON_CAST,  /* flags, label, two heap types */
  IM_TAG,         /* a tag index */
  IM_TRY_TABLE    /* block type, catch clauses */
} tx_imm;

typedef struct tx_op {
  const char *name;
  uint16_t prefix; /* 0, 0xFC or 0xFD */
  uint16_t code;
  uint8_t imm;   /* tx_imm */
  uint8_t align; /* IM_MEMARG*: natural alignment in bytes; IM_LANE: lanes */
} tx_op;

/* The entry for the mnemonic p[0..n), or NULL. Thread-safe. */
const tx_op *tx_op_find(const char *p, size_t n);

#endif /* AW_TEXT_OPS_H */
