/*
 * validate_simd.c - the typing of the 0xFD (fixed-width SIMD) instructions
 * of WebAssembly 2.0 as a classification table: operand shape, scalar
 * type, lane count and natural alignment per sub-opcode.  The stack
 * operations themselves are done by validate_code.c.
 */
#include "validate/val_internal.h"

static val_simd mk(uint8_t shape, uint8_t t, uint8_t lanes, uint8_t align) {
  val_simd s = {shape, t, lanes, align};
  return s;
}

bool val_simd_class(uint32_t sub, val_simd *out) {
  const uint8_t I32 = WM_I32, I64 = WM_I64, F32 = WM_F32, F64 = WM_F64;
  switch (sub) {
  case 0: *out = mk(VAL_SIMD_LOAD, 0, 0, 4); return true;
  case 1:
  case 2:
  case 3:
  case 4:
  case 5:
  case 6:
    *out = mk(VAL_SIMD_LOAD, 0, 0, 3); /* load8x8 .. load32x2 */
    return true;
  case 7: *out = mk(VAL_SIMD_LOAD, 0, 0, 0); return true;
  case 8: *out = mk(VAL_SIMD_LOAD, 0, 0, 1); return true;
  case 9: *out = mk(VAL_SIMD_LOAD, 0, 0, 2); return true;
  case 10: *out = mk(VAL_SIMD_LOAD, 0, 0, 3); return true;
  case 11: *out = mk(VAL_SIMD_STORE, 0, 0, 4); return true;
  case 12: *out = mk(VAL_SIMD_CONST, 0, 0, 0); return true;
  case 13: *out = mk(VAL_SIMD_SHUFFLE, 0, 32, 0); return true;
  case 14: *out = mk(VAL_SIMD_BIN, 0, 0, 0); return true; /* swizzle */
  case 15:
  case 16:
  case 17: *out = mk(VAL_SIMD_SPLAT, I32, 0, 0); return true;
  case 18: *out = mk(VAL_SIMD_SPLAT, I64, 0, 0); return true;
  case 19: *out = mk(VAL_SIMD_SPLAT, F32, 0, 0); return true;
  case 20: *out = mk(VAL_SIMD_SPLAT, F64, 0, 0); return true;
  case 21:
  case 22: *out = mk(VAL_SIMD_EXTRACT, I32, 16, 0); return true;
  case 23: *out = mk(VAL_SIMD_REPLACE, I32, 16, 0); return true;
  case 24:
  case 25: *out = mk(VAL_SIMD_EXTRACT, I32, 8, 0); return true;
  case 26: *out = mk(VAL_SIMD_REPLACE, I32, 8, 0); return true;
  case 27: *out = mk(VAL_SIMD_EXTRACT, I32, 4, 0); return true;
  case 28: *out = mk(VAL_SIMD_REPLACE, I32, 4, 0); return true;
  case 29: *out = mk(VAL_SIMD_EXTRACT, I64, 2, 0); return true;
  case 30: *out = mk(VAL_SIMD_REPLACE, I64, 2, 0); return true;
  case 31: *out = mk(VAL_SIMD_EXTRACT, F32, 4, 0); return true;
  case 32: *out = mk(VAL_SIMD_REPLACE, F32, 4, 0); return true;
  case 33: *out = mk(VAL_SIMD_EXTRACT, F64, 2, 0); return true;
  case 34: *out = mk(VAL_SIMD_REPLACE, F64, 2, 0); return true;
  case 77: /* v128.not */
  case 94:
  case 95: /* f32x4.demote_f64x2_zero, f64x2.promote_low_f32x4 */
  case 96:
  case 97:
  case 98: /* i8x16.abs neg popcnt */
  case 103:
  case 104:
  case 105:
  case 106: /* f32x4.ceil floor trunc nearest */
  case 116:
  case 117:
  case 122:
  case 148: /* f64x2.ceil floor trunc nearest */
  case 124:
  case 125:
  case 126:
  case 127: /* extadd_pairwise */
  case 128:
  case 129: /* i16x8.abs neg */
  case 135:
  case 136:
  case 137:
  case 138: /* i16x8.extend_* */
  case 160:
  case 161: /* i32x4.abs neg */
  case 167:
  case 168:
  case 169:
  case 170: /* i32x4.extend_* */
  case 192:
  case 193: /* i64x2.abs neg */
  case 199:
  case 200:
  case 201:
  case 202: /* i64x2.extend_* */
  case 224:
  case 225:
  case 227: /* f32x4.abs neg sqrt */
  case 236:
  case 237:
  case 239: /* f64x2.abs neg sqrt */
  case 248:
  case 249:
  case 250:
  case 251: /* trunc_sat / convert f32x4 */
  case 252:
  case 253:
  case 254:
  case 255: /* ..._zero / convert_low */
    *out = mk(VAL_SIMD_UN, 0, 0, 0);
    return true;
  case 82: *out = mk(VAL_SIMD_TERN, 0, 0, 0); return true; /* bitselect */
  case 83:                                                 /* v128.any_true */
  case 99:
  case 100:
  case 131:
  case 132:
  case 163:
  case 164:
  case 195:
  case 196: /* all_true, bitmask */
    *out = mk(VAL_SIMD_TEST, 0, 0, 0);
    return true;
  case 84: *out = mk(VAL_SIMD_LOAD_LANE, 0, 16, 0); return true;
  case 85: *out = mk(VAL_SIMD_LOAD_LANE, 0, 8, 1); return true;
  case 86: *out = mk(VAL_SIMD_LOAD_LANE, 0, 4, 2); return true;
  case 87: *out = mk(VAL_SIMD_LOAD_LANE, 0, 2, 3); return true;
  case 88: *out = mk(VAL_SIMD_STORE_LANE, 0, 16, 0); return true;
  case 89: *out = mk(VAL_SIMD_STORE_LANE, 0, 8, 1); return true;
  case 90: *out = mk(VAL_SIMD_STORE_LANE, 0, 4, 2); return true;
  case 91: *out = mk(VAL_SIMD_STORE_LANE, 0, 2, 3); return true;
  case 92: *out = mk(VAL_SIMD_LOAD, 0, 0, 2); return true; /* load32_zero */
  case 93: *out = mk(VAL_SIMD_LOAD, 0, 0, 3); return true; /* load64_zero */
  case 107:
  case 108:
  case 109:
  case 139:
  case 140:
  case 141:
  case 171:
  case 172:
  case 173:
  case 203:
  case 204:
  case 205: /* shifts */ *out = mk(VAL_SIMD_SHIFT, 0, 0, 0); return true;
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
  case 238: return false; /* unassigned */
  default:
    /* everything else from 35 to 247 is a binary v128 operation:
       comparisons, bitwise and/andnot/or/xor, narrow, add/sub/mul,
       min/max, avgr, q15mulr, dot, extmul, pmin/pmax */
    if (sub >= 35 && sub <= 247) {
      *out = mk(VAL_SIMD_BIN, 0, 0, 0);
      return true;
    }
    return false;
  }
}
