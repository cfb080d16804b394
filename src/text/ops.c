/*
 * ops.c - the instruction table of the text format (WebAssembly 2.0: MVP,
 * sign extension, saturating truncation, bulk memory, reference types,
 * fixed-width SIMD; plus tail calls and relaxed SIMD mnemonics).
 *
 * Instructions without immediates that have consecutive opcodes are
 * listed as runs; the rest one by one.  A hash table over the names is
 * built once (pthread_once).
 */
#include "text/ops.h"

#include <pthread.h>
#include <string.h>

/* Runs of immediate-less instructions: names[i] has opcode start + i
   (NULL entries are holes). */
typedef struct run {
  uint16_t prefix, start;
  const char *const *names;
  size_t n;
} run;

static const char *const k_num[] = {
    "i32.eqz", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s",
    "i32.gt_u", "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u", "i64.eqz",
    "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u",
    "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u", "f32.eq", "f32.ne",
    "f32.lt", "f32.gt", "f32.le", "f32.ge", "f64.eq", "f64.ne", "f64.lt",
    "f64.gt", "f64.le", "f64.ge", "i32.clz", "i32.ctz", "i32.popcnt",
    "i32.add", "i32.sub", "i32.mul", "i32.div_s", "i32.div_u", "i32.rem_s",
    "i32.rem_u", "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_s",
    "i32.shr_u", "i32.rotl", "i32.rotr", "i64.clz", "i64.ctz", "i64.popcnt",
    "i64.add", "i64.sub", "i64.mul", "i64.div_s", "i64.div_u", "i64.rem_s",
    "i64.rem_u", "i64.and", "i64.or", "i64.xor", "i64.shl", "i64.shr_s",
    "i64.shr_u", "i64.rotl", "i64.rotr", "f32.abs", "f32.neg", "f32.ceil",
    "f32.floor", "f32.trunc", "f32.nearest", "f32.sqrt", "f32.add",
    "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max", "f32.copysign",
    "f64.abs", "f64.neg", "f64.ceil", "f64.floor", "f64.trunc", "f64.nearest",
    "f64.sqrt", "f64.add", "f64.sub", "f64.mul", "f64.div", "f64.min",
    "f64.max", "f64.copysign", "i32.wrap_i64", "i32.trunc_f32_s",
    "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
    "i64.extend_i32_s", "i64.extend_i32_u", "i64.trunc_f32_s",
    "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
    "f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s",
    "f32.convert_i64_u", "f32.demote_f64", "f64.convert_i32_s",
    "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u",
    "f64.promote_f32", "i32.reinterpret_f32", "i64.reinterpret_f64",
    "f32.reinterpret_i32", "f64.reinterpret_i64", "i32.extend8_s",
    "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s"};

static const char *const k_sat[] = {
    "i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u", "i32.trunc_sat_f64_s",
    "i32.trunc_sat_f64_u", "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u",
    "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u"};

/* SIMD from 0x0E (i8x16.swizzle) to 0x14, 0x23 to 0x53, 0x5E to 0xFF,
   relaxed SIMD from 0x100. */
static const char *const k_simd_a[] = {
    "i8x16.swizzle", "i8x16.splat", "i16x8.splat", "i32x4.splat",
    "i64x2.splat",   "f32x4.splat", "f64x2.splat"};

static const char *const k_simd_b[] = {
    "i8x16.eq", "i8x16.ne", "i8x16.lt_s", "i8x16.lt_u", "i8x16.gt_s",
    "i8x16.gt_u", "i8x16.le_s", "i8x16.le_u", "i8x16.ge_s", "i8x16.ge_u",
    "i16x8.eq", "i16x8.ne", "i16x8.lt_s", "i16x8.lt_u", "i16x8.gt_s",
    "i16x8.gt_u", "i16x8.le_s", "i16x8.le_u", "i16x8.ge_s", "i16x8.ge_u",
    "i32x4.eq", "i32x4.ne", "i32x4.lt_s", "i32x4.lt_u", "i32x4.gt_s",
    "i32x4.gt_u", "i32x4.le_s", "i32x4.le_u", "i32x4.ge_s", "i32x4.ge_u",
    "f32x4.eq", "f32x4.ne", "f32x4.lt", "f32x4.gt", "f32x4.le", "f32x4.ge",
    "f64x2.eq", "f64x2.ne", "f64x2.lt", "f64x2.gt", "f64x2.le", "f64x2.ge",
    "v128.not", "v128.and", "v128.andnot", "v128.or", "v128.xor",
    "v128.bitselect", "v128.any_true"};

static const char *const k_simd_c[] = {
    /* 0x5E */ "f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4",
    /* 0x60 */ "i8x16.abs", "i8x16.neg", "i8x16.popcnt", "i8x16.all_true",
    "i8x16.bitmask", "i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u",
    "f32x4.ceil", "f32x4.floor", "f32x4.trunc", "f32x4.nearest", "i8x16.shl",
    "i8x16.shr_s", "i8x16.shr_u", "i8x16.add", "i8x16.add_sat_s",
    /* 0x70 */ "i8x16.add_sat_u", "i8x16.sub", "i8x16.sub_sat_s",
    "i8x16.sub_sat_u", "f64x2.ceil", "f64x2.floor", "i8x16.min_s",
    "i8x16.min_u", "i8x16.max_s", "i8x16.max_u", "f64x2.trunc",
    "i8x16.avgr_u", "i16x8.extadd_pairwise_i8x16_s",
    "i16x8.extadd_pairwise_i8x16_u", "i32x4.extadd_pairwise_i16x8_s",
    "i32x4.extadd_pairwise_i16x8_u",
    /* 0x80 */ "i16x8.abs", "i16x8.neg", "i16x8.q15mulr_sat_s",
    "i16x8.all_true", "i16x8.bitmask", "i16x8.narrow_i32x4_s",
    "i16x8.narrow_i32x4_u", "i16x8.extend_low_i8x16_s",
    "i16x8.extend_high_i8x16_s", "i16x8.extend_low_i8x16_u",
    "i16x8.extend_high_i8x16_u", "i16x8.shl", "i16x8.shr_s", "i16x8.shr_u",
    "i16x8.add", "i16x8.add_sat_s",
    /* 0x90 */ "i16x8.add_sat_u", "i16x8.sub", "i16x8.sub_sat_s",
    "i16x8.sub_sat_u", "f64x2.nearest", "i16x8.mul", "i16x8.min_s",
    "i16x8.min_u", "i16x8.max_s", "i16x8.max_u", NULL, "i16x8.avgr_u",
    "i16x8.extmul_low_i8x16_s", "i16x8.extmul_high_i8x16_s",
    "i16x8.extmul_low_i8x16_u", "i16x8.extmul_high_i8x16_u",
    /* 0xA0 */ "i32x4.abs", "i32x4.neg", NULL, "i32x4.all_true",
    "i32x4.bitmask", NULL, NULL, "i32x4.extend_low_i16x8_s",
    "i32x4.extend_high_i16x8_s", "i32x4.extend_low_i16x8_u",
    "i32x4.extend_high_i16x8_u", "i32x4.shl", "i32x4.shr_s", "i32x4.shr_u",
    "i32x4.add", NULL,
    /* 0xB0 */ NULL, "i32x4.sub", NULL, NULL, NULL, "i32x4.mul",
    "i32x4.min_s", "i32x4.min_u", "i32x4.max_s", "i32x4.max_u",
    "i32x4.dot_i16x8_s", NULL, "i32x4.extmul_low_i16x8_s",
    "i32x4.extmul_high_i16x8_s", "i32x4.extmul_low_i16x8_u",
    "i32x4.extmul_high_i16x8_u",
    /* 0xC0 */ "i64x2.abs", "i64x2.neg", NULL, "i64x2.all_true",
    "i64x2.bitmask", NULL, NULL, "i64x2.extend_low_i32x4_s",
    "i64x2.extend_high_i32x4_s", "i64x2.extend_low_i32x4_u",
    "i64x2.extend_high_i32x4_u", "i64x2.shl", "i64x2.shr_s", "i64x2.shr_u",
    "i64x2.add", NULL,
    /* 0xD0 */ NULL, "i64x2.sub", NULL, NULL, NULL, "i64x2.mul", "i64x2.eq",
    "i64x2.ne", "i64x2.lt_s", "i64x2.gt_s", "i64x2.le_s", "i64x2.ge_s",
    "i64x2.extmul_low_i32x4_s", "i64x2.extmul_high_i32x4_s",
    "i64x2.extmul_low_i32x4_u", "i64x2.extmul_high_i32x4_u",
    /* 0xE0 */ "f32x4.abs", "f32x4.neg", NULL, "f32x4.sqrt", "f32x4.add",
    "f32x4.sub", "f32x4.mul", "f32x4.div", "f32x4.min", "f32x4.max",
    "f32x4.pmin", "f32x4.pmax", "f64x2.abs", "f64x2.neg", NULL, "f64x2.sqrt",
    /* 0xF0 */ "f64x2.add", "f64x2.sub", "f64x2.mul", "f64x2.div",
    "f64x2.min", "f64x2.max", "f64x2.pmin", "f64x2.pmax",
    "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u",
    "f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u",
    "i32x4.trunc_sat_f64x2_s_zero", "i32x4.trunc_sat_f64x2_u_zero",
    "f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u",
    /* 0x100: relaxed SIMD */ "i8x16.relaxed_swizzle",
    "i32x4.relaxed_trunc_f32x4_s", "i32x4.relaxed_trunc_f32x4_u",
    "i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero",
    "f32x4.relaxed_madd", "f32x4.relaxed_nmadd", "f64x2.relaxed_madd",
    "f64x2.relaxed_nmadd", "i8x16.relaxed_laneselect",
    "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect",
    "i64x2.relaxed_laneselect", "f32x4.relaxed_min", "f32x4.relaxed_max",
    "f64x2.relaxed_min", "f64x2.relaxed_max", "i16x8.relaxed_q15mulr_s",
    "i16x8.relaxed_dot_i8x16_i7x16_s", "i32x4.relaxed_dot_i8x16_i7x16_add_s"};

#define RUN(p, s, a) {p, s, a, sizeof a / sizeof a[0]}
static const run k_runs[] = {
    RUN(0, 0x45, k_num),         RUN(0xFC, 0, k_sat),
    RUN(0xFD, 0x0E, k_simd_a),   RUN(0xFD, 0x23, k_simd_b),
    RUN(0xFD, 0x5E, k_simd_c)};

/* Everything else. */
static const tx_op k_ops[] = {
    {"unreachable", 0, 0x00, IM_NONE, 0},
    {"nop", 0, 0x01, IM_NONE, 0},
    {"block", 0, 0x02, IM_BLOCK, 0},
    {"loop", 0, 0x03, IM_LOOP, 0},
    {"if", 0, 0x04, IM_IF, 0},
    {"else", 0, 0x05, IM_ELSE, 0},
    {"end", 0, 0x0B, IM_END, 0},
    {"br", 0, 0x0C, IM_LABEL, 0},
    {"br_if", 0, 0x0D, IM_LABEL, 0},
    {"br_table", 0, 0x0E, IM_BR_TABLE, 0},
    {"return", 0, 0x0F, IM_NONE, 0},
    {"call", 0, 0x10, IM_FUNC, 0},
    {"call_indirect", 0, 0x11, IM_CALL_INDIRECT, 0},
    {"return_call", 0, 0x12, IM_FUNC, 0},
    {"return_call_indirect", 0, 0x13, IM_CALL_INDIRECT, 0},
    {"drop", 0, 0x1A, IM_NONE, 0},
    {"select", 0, 0x1B, IM_SELECT, 0},
    {"local.get", 0, 0x20, IM_LOCAL, 0},
    {"local.set", 0, 0x21, IM_LOCAL, 0},
    {"local.tee", 0, 0x22, IM_LOCAL, 0},
    {"global.get", 0, 0x23, IM_GLOBAL, 0},
    {"global.set", 0, 0x24, IM_GLOBAL, 0},
    {"table.get", 0, 0x25, IM_TABLE, 0},
    {"table.set", 0, 0x26, IM_TABLE, 0},
    {"i32.load", 0, 0x28, IM_MEMARG, 4},
    {"i64.load", 0, 0x29, IM_MEMARG, 8},
    {"f32.load", 0, 0x2A, IM_MEMARG, 4},
    {"f64.load", 0, 0x2B, IM_MEMARG, 8},
    {"i32.load8_s", 0, 0x2C, IM_MEMARG, 1},
    {"i32.load8_u", 0, 0x2D, IM_MEMARG, 1},
    {"i32.load16_s", 0, 0x2E, IM_MEMARG, 2},
    {"i32.load16_u", 0, 0x2F, IM_MEMARG, 2},
    {"i64.load8_s", 0, 0x30, IM_MEMARG, 1},
    {"i64.load8_u", 0, 0x31, IM_MEMARG, 1},
    {"i64.load16_s", 0, 0x32, IM_MEMARG, 2},
    {"i64.load16_u", 0, 0x33, IM_MEMARG, 2},
    {"i64.load32_s", 0, 0x34, IM_MEMARG, 4},
    {"i64.load32_u", 0, 0x35, IM_MEMARG, 4},
    {"i32.store", 0, 0x36, IM_MEMARG, 4},
    {"i64.store", 0, 0x37, IM_MEMARG, 8},
    {"f32.store", 0, 0x38, IM_MEMARG, 4},
    {"f64.store", 0, 0x39, IM_MEMARG, 8},
    {"i32.store8", 0, 0x3A, IM_MEMARG, 1},
    {"i32.store16", 0, 0x3B, IM_MEMARG, 2},
    {"i64.store8", 0, 0x3C, IM_MEMARG, 1},
    {"i64.store16", 0, 0x3D, IM_MEMARG, 2},
    {"i64.store32", 0, 0x3E, IM_MEMARG, 4},
    {"memory.size", 0, 0x3F, IM_MEM, 0},
    {"memory.grow", 0, 0x40, IM_MEM, 0},
    {"i32.const", 0, 0x41, IM_I32, 0},
    {"i64.const", 0, 0x42, IM_I64, 0},
    {"f32.const", 0, 0x43, IM_F32, 0},
    {"f64.const", 0, 0x44, IM_F64, 0},
    {"ref.null", 0, 0xD0, IM_REF_NULL, 0},
    {"ref.is_null", 0, 0xD1, IM_NONE, 0},
    {"ref.func", 0, 0xD2, IM_FUNC, 0},
    {"memory.init", 0xFC, 8, IM_MEM_INIT, 0},
    {"data.drop", 0xFC, 9, IM_DATA, 0},
    {"memory.copy", 0xFC, 10, IM_MEM_COPY, 0},
    {"memory.fill", 0xFC, 11, IM_MEM, 0},
    {"table.init", 0xFC, 12, IM_TABLE_INIT, 0},
    {"elem.drop", 0xFC, 13, IM_ELEM, 0},
    {"table.copy", 0xFC, 14, IM_TABLE_COPY, 0},
    {"table.grow", 0xFC, 15, IM_TABLE, 0},
    {"table.size", 0xFC, 16, IM_TABLE, 0},
    {"table.fill", 0xFC, 17, IM_TABLE, 0},
    {"v128.load", 0xFD, 0, IM_MEMARG, 16},
    {"v128.load8x8_s", 0xFD, 1, IM_MEMARG, 8},
    {"v128.load8x8_u", 0xFD, 2, IM_MEMARG, 8},
    {"v128.load16x4_s", 0xFD, 3, IM_MEMARG, 8},
    {"v128.load16x4_u", 0xFD, 4, IM_MEMARG, 8},
    {"v128.load32x2_s", 0xFD, 5, IM_MEMARG, 8},
    {"v128.load32x2_u", 0xFD, 6, IM_MEMARG, 8},
    {"v128.load8_splat", 0xFD, 7, IM_MEMARG, 1},
    {"v128.load16_splat", 0xFD, 8, IM_MEMARG, 2},
    {"v128.load32_splat", 0xFD, 9, IM_MEMARG, 4},
    {"v128.load64_splat", 0xFD, 10, IM_MEMARG, 8},
    {"v128.store", 0xFD, 11, IM_MEMARG, 16},
    {"v128.const", 0xFD, 12, IM_V128, 0},
    {"i8x16.shuffle", 0xFD, 13, IM_SHUFFLE, 0},
    {"i8x16.extract_lane_s", 0xFD, 21, IM_LANE, 16},
    {"i8x16.extract_lane_u", 0xFD, 22, IM_LANE, 16},
    {"i8x16.replace_lane", 0xFD, 23, IM_LANE, 16},
    {"i16x8.extract_lane_s", 0xFD, 24, IM_LANE, 8},
    {"i16x8.extract_lane_u", 0xFD, 25, IM_LANE, 8},
    {"i16x8.replace_lane", 0xFD, 26, IM_LANE, 8},
    {"i32x4.extract_lane", 0xFD, 27, IM_LANE, 4},
    {"i32x4.replace_lane", 0xFD, 28, IM_LANE, 4},
    {"i64x2.extract_lane", 0xFD, 29, IM_LANE, 2},
    {"i64x2.replace_lane", 0xFD, 30, IM_LANE, 2},
    {"f32x4.extract_lane", 0xFD, 31, IM_LANE, 4},
    {"f32x4.replace_lane", 0xFD, 32, IM_LANE, 4},
    {"f64x2.extract_lane", 0xFD, 33, IM_LANE, 2},
    {"f64x2.replace_lane", 0xFD, 34, IM_LANE, 2},
    {"v128.load8_lane", 0xFD, 84, IM_MEMARG_LANE, 1},
    {"v128.load16_lane", 0xFD, 85, IM_MEMARG_LANE, 2},
    {"v128.load32_lane", 0xFD, 86, IM_MEMARG_LANE, 4},
    {"v128.load64_lane", 0xFD, 87, IM_MEMARG_LANE, 8},
    {"v128.store8_lane", 0xFD, 88, IM_MEMARG_LANE, 1},
    {"v128.store16_lane", 0xFD, 89, IM_MEMARG_LANE, 2},
    {"v128.store32_lane", 0xFD, 90, IM_MEMARG_LANE, 4},
    {"v128.store64_lane", 0xFD, 91, IM_MEMARG_LANE, 8},
    {"v128.load32_zero", 0xFD, 92, IM_MEMARG, 4},
    /* typed function references, exceptions, GC (Wasm 3.0) */
    {"call_ref", 0, 0x14, IM_TYPE, 0},
    {"return_call_ref", 0, 0x15, IM_TYPE, 0},
    {"throw", 0, 0x08, IM_TAG, 0},
    {"throw_ref", 0, 0x0A, IM_NONE, 0},
    {"try_table", 0, 0x1F, IM_TRY_TABLE, 0},
    {"ref.eq", 0, 0xD3, IM_NONE, 0},
    {"ref.as_non_null", 0, 0xD4, IM_NONE, 0},
    {"br_on_null", 0, 0xD5, IM_LABEL, 0},
    {"br_on_non_null", 0, 0xD6, IM_LABEL, 0},
    {"struct.new", 0xFB, 0, IM_TYPE, 0},
    {"struct.new_default", 0xFB, 1, IM_TYPE, 0},
    {"struct.get", 0xFB, 2, IM_TYPE_FIELD, 0},
    {"struct.get_s", 0xFB, 3, IM_TYPE_FIELD, 0},
    {"struct.get_u", 0xFB, 4, IM_TYPE_FIELD, 0},
    {"struct.set", 0xFB, 5, IM_TYPE_FIELD, 0},
    {"array.new", 0xFB, 6, IM_TYPE, 0},
    {"array.new_default", 0xFB, 7, IM_TYPE, 0},
    {"array.new_fixed", 0xFB, 8, IM_TYPE_U32, 0},
    {"array.new_data", 0xFB, 9, IM_TYPE_DATA, 0},
    {"array.new_elem", 0xFB, 10, IM_TYPE_ELEM, 0},
    {"array.get", 0xFB, 11, IM_TYPE, 0},
    {"array.get_s", 0xFB, 12, IM_TYPE, 0},
    {"array.get_u", 0xFB, 13, IM_TYPE, 0},
    {"array.set", 0xFB, 14, IM_TYPE, 0},
    {"array.len", 0xFB, 15, IM_NONE, 0},
    {"array.fill", 0xFB, 16, IM_TYPE, 0},
    {"array.copy", 0xFB, 17, IM_TYPE_TYPE, 0},
    {"array.init_data", 0xFB, 18, IM_TYPE_DATA, 0},
    {"array.init_elem", 0xFB, 19, IM_TYPE_ELEM, 0},
    {"ref.test", 0xFB, 20, IM_REF_TEST, 0},
    {"ref.cast", 0xFB, 22, IM_REF_TEST, 0},
    {"br_on_cast", 0xFB, 24, IM_BR_ON_CAST, 0},
    {"br_on_cast_fail", 0xFB, 25, IM_BR_ON_CAST, 0},
    {"any.convert_extern", 0xFB, 26, IM_NONE, 0},
    {"extern.convert_any", 0xFB, 27, IM_NONE, 0},
    {"ref.i31", 0xFB, 28, IM_NONE, 0},
    {"i31.get_s", 0xFB, 29, IM_NONE, 0},
    {"i31.get_u", 0xFB, 30, IM_NONE, 0},
    {"v128.load64_zero", 0xFD, 93, IM_MEMARG, 8},
};

enum { TABLE_BITS = 11, TABLE_SIZE = 1 << TABLE_BITS };

static tx_op g_run_ops[400];
static const tx_op *g_table[TABLE_SIZE];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static uint32_t hash(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)p[i]) * 16777619u;
  return h;
}

static void insert(const tx_op *op) {
  uint32_t h = hash(op->name, strlen(op->name)) & (TABLE_SIZE - 1);
  while (g_table[h])
    h = (h + 1) & (TABLE_SIZE - 1);
  g_table[h] = op;
}

static void init(void) {
  size_t k = 0;
  for (size_t r = 0; r < sizeof k_runs / sizeof k_runs[0]; r++) {
    for (size_t i = 0; i < k_runs[r].n; i++) {
      if (!k_runs[r].names[i]) continue;
      tx_op *op = &g_run_ops[k++];
      op->name = k_runs[r].names[i];
      op->prefix = k_runs[r].prefix;
      op->code = (uint16_t)(k_runs[r].start + i);
      op->imm = IM_NONE;
      insert(op);
    }
  }
  for (size_t i = 0; i < sizeof k_ops / sizeof k_ops[0]; i++)
    insert(&k_ops[i]);
}

const tx_op *tx_op_find(const char *p, size_t n) {
  pthread_once(&g_once, init);
  uint32_t h = hash(p, n) & (TABLE_SIZE - 1);
  while (g_table[h]) {
    const tx_op *op = g_table[h];
    if (strlen(op->name) == n && memcmp(op->name, p, n) == 0) return op;
    h = (h + 1) & (TABLE_SIZE - 1);
  }
  return NULL;
}
