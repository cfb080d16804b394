/*
 * validate_const.c - constant expressions (global initialisers, element
 * and data segment offsets, element items): which instructions are
 * constant, what global.get may name, and the single result type.  Also
 * collects the functions named by ref.func outside function bodies.
 */
#include "util/util.h"
#include "validate/val_internal.h"

/* Decodes one instruction of e, failing with "unexpected end" if e has
   no more bytes (the decoder guarantees a final `end`, so this only
   guards against a broken invariant). */
static int next_instr(const wm_module *m, dec_reader *r, wm_instr *ins,
                      val_state *s, aw_error *err) {
  if (r->p >= r->end)
    return aw_fail(err, AW_ERR_MALFORMED, (uint64_t)(r->p - m->bin),
                   "unexpected end of constant expression");
  return dec_instr(r, ins, &s->scratch, err);
}

int val_const_expr(const wm_module *m, const wm_expr *e, uint8_t expect,
                   const val_options *opt, val_state *s, aw_error *err) {
  dec_reader r = {e->p, e->p + e->len, m->bin};
  uint64_t depth = 0; /* values on the stack */
  uint8_t top = VAL_UNKNOWN;
  /* The spec checks that every instruction is constant before it types
     the sequence, so a type error is only reported once the whole
     expression is known to be constant. */
  aw_error typeerr;
  bool has_typeerr = false;
  for (;;) {
    wm_instr ins;
    uint8_t t;
    if (next_instr(m, &r, &ins, s, err)) return -1;
    switch (ins.op) {
    case 0x0B: goto done;
    case 0x41: t = WM_I32; break;
    case 0x42: t = WM_I64; break;
    case 0x43: t = WM_F32; break;
    case 0x44: t = WM_F64; break;
    case 0xD0:
      if (!val_is_reftype(ins.type))
        return aw_fail(err, AW_ERR_MALFORMED, ins.offset,
                       "malformed reference type");
      t = ins.type;
      break;
    case 0xD2:
      t = WM_FUNCREF;
      if (ins.a >= m->nfuncs && !has_typeerr) {
        aw_fail(&typeerr, AW_ERR_INVALID, ins.offset, "unknown function %u",
                ins.a);
        has_typeerr = true;
      }
      break;
    case 0x23:
      /* Only imported globals are visible to constant expressions. */
      if (ins.a >= m->nglobals_imported)
        return aw_fail(err, AW_ERR_INVALID, ins.offset, "unknown global %u",
                       ins.a);
      if (m->globals[ins.a].type.mut)
        return aw_fail(err, AW_ERR_INVALID, ins.offset,
                       "constant expression required (global.get of a "
                       "mutable global)");
      t = m->globals[ins.a].type.type;
      break;
    case WM_OP_FD(12): /* v128.const */
      if (!opt->simd) return val_fail_simd(err, ins.offset);
      t = WM_V128;
      break;
    default:
      if ((ins.op >> 8) == 0xFD && !opt->simd)
        return val_fail_simd(err, ins.offset);
      return aw_fail(err, AW_ERR_INVALID, ins.offset,
                     "constant expression required");
    }
    depth++;
    top = t;
  }
done:
  if (r.p != r.end)
    return aw_fail(err, AW_ERR_MALFORMED, (uint64_t)(r.p - m->bin),
                   "constant expression has bytes after its end");
  if (has_typeerr) {
    if (err) *err = typeerr;
    return -1;
  }
  if (depth != 1 || top != expect) {
    if (depth == 0)
      return aw_fail(err, AW_ERR_INVALID, e->offset,
                     "type mismatch: constant expression is empty, "
                     "expected %s",
                     val_type_name(expect));
    if (depth > 1)
      return aw_fail(err, AW_ERR_INVALID, e->offset,
                     "type mismatch: constant expression leaves %llu "
                     "values, expected one %s",
                     (unsigned long long)depth, val_type_name(expect));
    return aw_fail(err, AW_ERR_INVALID, e->offset,
                   "type mismatch: constant expression has type %s, "
                   "expected %s",
                   val_type_name(top), val_type_name(expect));
  }
  return 0;
}

int val_const_refs(wm_module *m, const wm_expr *e, val_state *s,
                   aw_error *err) {
  dec_reader r = {e->p, e->p + e->len, m->bin};
  for (;;) {
    wm_instr ins;
    if (next_instr(m, &r, &ins, s, err)) return -1;
    if (ins.op == 0x0B) return 0;
    if (ins.op == 0xD2 && ins.a < m->nfuncs) m->func_declared[ins.a] = true;
  }
}
