/*
 * validate_code.c - validation of function bodies: the operand and control
 * stacks of the spec's appendix "Validation Algorithm", the typing rule of
 * every instruction of WebAssembly 2.0 (SIMD left to a later engine), and
 * the calls into the code generator (src/compile) for each instruction
 * once it is known to be valid.
 *
 * What the code generator sees (cg_view) for each instruction:
 *   - unreachable: the current control frame was unreachable before it;
 *   - height: operand stack height before it (0 at function start, locals
 *     not counted);
 *   - npop/pop_types and npush/push_types: exactly what the spec's
 *     algorithm pops and pushes, deepest first.  For control instructions:
 *       block/loop [p]->[r]   pops p, pushes p (the block's own operands)
 *       if [p]->[r]           pops p then i32 (pop_types = p..., i32),
 *                             pushes p
 *       else                  pops r (then-branch results), pushes p
 *       end                   pops r, pushes r (also the function's end)
 *       br l                  pops the label's types
 *       br_if l               pops label types + i32, pushes label types
 *       br_table              pops the default label's types + i32
 *       return                pops the function's results
 *     In unreachable code a pop at the frame's bottom yields type 0
 *     (unknown) and does not lower the height.
 *   - block/loop/if/else/end also get ins->bt_* = the block type of the
 *     frame they open or close; untyped select gets ins->type = the
 *     operand type (0 if unknown in dead code).
 */
#include "airssys/limits.h"
#include "util/util.h"
#include "validate/val_internal.h"

/* Static one-element result lists for single-value block types. */
static const uint8_t vt_i32[1] = {WM_I32}, vt_i64[1] = {WM_I64},
                     vt_f32[1] = {WM_F32}, vt_f64[1] = {WM_F64},
                     vt_v128[1] = {WM_V128}, vt_funcref[1] = {WM_FUNCREF},
                     vt_externref[1] = {WM_EXTERNREF};

static const uint8_t *vt_single(uint8_t t) {
  switch (t) {
  case WM_I32: return vt_i32;
  case WM_I64: return vt_i64;
  case WM_F32: return vt_f32;
  case WM_F64: return vt_f64;
  case WM_V128: return vt_v128;
  case WM_FUNCREF: return vt_funcref;
  case WM_EXTERNREF: return vt_externref;
  }
  return NULL;
}

/* Lists of at least this many types get runs (val_run). */
#define VAL_RUN_MIN 8

/* The canonical pointer of list[n] in table tab (cap entries, a power of
   two): the first list seen with that content.  Probes and hashing are
   charged to *work, so even colliding lists cost a bounded budget. */
typedef struct val_canon_slot {
  const uint8_t *p;
  uint32_t n;
} val_canon_slot;

static const uint8_t *canon_list(val_canon_slot *tab, size_t cap,
                                 const uint8_t *list, uint32_t n,
                                 uint64_t *work) {
  if (n == 0) return list;
  if (n == 1) {
    const uint8_t *p = vt_single(list[0]);
    return p ? p : list;
  }
  uint64_t h = 1469598103934665603u ^ n;
  for (uint32_t k = 0; k < n; k++)
    h = (h ^ list[k]) * 1099511628211u;
  h ^= h >> 29;
  *work += 1 + n / 16;
  for (size_t j = (size_t)h & (cap - 1);; j = (j + 1) & (cap - 1)) {
    *work += 1;
    if (!tab[j].p) {
      tab[j].p = list;
      tab[j].n = n;
      return list;
    }
    if (tab[j].n == n) {
      *work += n / 16;
      if (!memcmp(tab[j].p, list, n)) return tab[j].p;
    }
  }
}

int val_canon_types(const wm_module *m, val_state *s, uint64_t budget,
                    aw_error *err) {
  free(s->cparams);
  free(s->cresults);
  s->cparams = s->cresults = NULL;
  s->ncanon = 0;
  if (m->ntypes == 0) return 0;
  size_t cap = 16;
  while (cap < (size_t)m->ntypes * 4)
    cap *= 2;
  val_canon_slot *tab = aw_calloc(cap, sizeof *tab);
  s->cparams = aw_calloc(m->ntypes, sizeof *s->cparams);
  s->cresults = aw_calloc(m->ntypes, sizeof *s->cresults);
  if (!tab || !s->cparams || !s->cresults) {
    free(tab);
    return aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
  }
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const wm_functype *t = &m->types[i];
    s->cparams[i] = canon_list(tab, cap, t->params, t->nparams, &s->work);
    s->cresults[i] = canon_list(tab, cap, t->results, t->nresults, &s->work);
    if (budget && s->work > budget) { /* lists crafted to collide */
      free(tab);
      aw_error_limit_exceeded(err, AW_RESOURCE_COMPILE, budget, s->work);
      aw_error_figures fig = err->figures;
      aw_fail(err, AW_ERR_LIMIT_EXCEEDED, UINT64_MAX,
              "compile budget exceeded interning the type section: %llu "
              "compile units, budget %llu",
              (unsigned long long)s->work, (unsigned long long)budget);
      err->figures = fig;
      return -1;
    }
  }
  free(tab);
  s->ncanon = m->ntypes;
  return 0;
}

/* The canonical params and results of type ti. */
static const uint8_t *cparams(const val_state *s, const wm_module *m,
                              uint32_t ti) {
  return ti < s->ncanon ? s->cparams[ti] : m->types[ti].params;
}

static const uint8_t *cresults(const val_state *s, const wm_module *m,
                               uint32_t ti) {
  return ti < s->ncanon ? s->cresults[ti] : m->types[ti].results;
}

/* Numeric instructions 0x45..0xC4 and the saturating truncations: one or
   two operands of type a (binary ones: both a), result r. */
typedef struct val_sig {
  uint8_t n, a, r;
} val_sig;

#define I32_ WM_I32
#define I64_ WM_I64
#define F32_ WM_F32
#define F64_ WM_F64
#define U_(a, r)                                                               \
  { 1, a, r }
#define B_(a, r)                                                               \
  { 2, a, r }
#define B10_(a, r)                                                             \
  B_(a, r), B_(a, r), B_(a, r), B_(a, r), B_(a, r), B_(a, r), B_(a, r),        \
      B_(a, r), B_(a, r), B_(a, r)
#define X6_(m, a, r) m(a, r), m(a, r), m(a, r), m(a, r), m(a, r), m(a, r)
#define X7_(m, a, r) X6_(m, a, r), m(a, r)
#define X3_(m, a, r) m(a, r), m(a, r), m(a, r)

static const val_sig num_sigs[0xC5 - 0x45] = {
    /* 0x45 i32.eqz */ U_(I32_, I32_),
    /* 0x46..0x4F i32 comparisons */ B10_(I32_, I32_),
    /* 0x50 i64.eqz */ U_(I64_, I32_),
    /* 0x51..0x5A i64 comparisons */ B10_(I64_, I32_),
    /* 0x5B..0x60 f32 comparisons */ X6_(B_, F32_, I32_),
    /* 0x61..0x66 f64 comparisons */ X6_(B_, F64_, I32_),
    /* 0x67..0x69 i32 clz ctz popcnt */ X3_(U_, I32_, I32_),
    /* 0x6A..0x78 i32 binary */ B10_(I32_, I32_),
    B_(I32_, I32_),
    B_(I32_, I32_),
    B_(I32_, I32_),
    B_(I32_, I32_),
    B_(I32_, I32_),
    /* 0x79..0x7B i64 clz ctz popcnt */ X3_(U_, I64_, I64_),
    /* 0x7C..0x8A i64 binary */ B10_(I64_, I64_),
    B_(I64_, I64_),
    B_(I64_, I64_),
    B_(I64_, I64_),
    B_(I64_, I64_),
    B_(I64_, I64_),
    /* 0x8B..0x91 f32 unary */ X7_(U_, F32_, F32_),
    /* 0x92..0x98 f32 binary */ X7_(B_, F32_, F32_),
    /* 0x99..0x9F f64 unary */ X7_(U_, F64_, F64_),
    /* 0xA0..0xA6 f64 binary */ X7_(B_, F64_, F64_),
    /* 0xA7 i32.wrap_i64 */ U_(I64_, I32_),
    /* 0xA8 0xA9 i32.trunc_f32_s/u */ U_(F32_, I32_),
    U_(F32_, I32_),
    /* 0xAA 0xAB i32.trunc_f64_s/u */ U_(F64_, I32_),
    U_(F64_, I32_),
    /* 0xAC 0xAD i64.extend_i32_s/u */ U_(I32_, I64_),
    U_(I32_, I64_),
    /* 0xAE 0xAF i64.trunc_f32_s/u */ U_(F32_, I64_),
    U_(F32_, I64_),
    /* 0xB0 0xB1 i64.trunc_f64_s/u */ U_(F64_, I64_),
    U_(F64_, I64_),
    /* 0xB2 0xB3 f32.convert_i32_s/u */ U_(I32_, F32_),
    U_(I32_, F32_),
    /* 0xB4 0xB5 f32.convert_i64_s/u */ U_(I64_, F32_),
    U_(I64_, F32_),
    /* 0xB6 f32.demote_f64 */ U_(F64_, F32_),
    /* 0xB7 0xB8 f64.convert_i32_s/u */ U_(I32_, F64_),
    U_(I32_, F64_),
    /* 0xB9 0xBA f64.convert_i64_s/u */ U_(I64_, F64_),
    U_(I64_, F64_),
    /* 0xBB f64.promote_f32 */ U_(F32_, F64_),
    /* 0xBC i32.reinterpret_f32 */ U_(F32_, I32_),
    /* 0xBD i64.reinterpret_f64 */ U_(F64_, I64_),
    /* 0xBE f32.reinterpret_i32 */ U_(I32_, F32_),
    /* 0xBF f64.reinterpret_i64 */ U_(I64_, F64_),
    /* 0xC0 0xC1 i32.extend8_s/16_s */ U_(I32_, I32_),
    U_(I32_, I32_),
    /* 0xC2..0xC4 i64.extend8_s/16_s/32_s */ X3_(U_, I64_, I64_),
};

/* 0xFC 0..7: i32/i64.trunc_sat_f32/f64_s/u. */
static const val_sig sat_sigs[8] = {
    U_(F32_, I32_), U_(F32_, I32_), U_(F64_, I32_), U_(F64_, I32_),
    U_(F32_, I64_), U_(F32_, I64_), U_(F64_, I64_), U_(F64_, I64_),
};

/* Loads 0x28..0x35 and stores 0x36..0x3E: value type and log2 of the
   natural alignment. */
static const uint8_t mem_type[0x3F - 0x28] = {
    I32_, I64_, F32_, F64_, I32_, I32_, I32_, I32_, I64_, I64_, I64_, I64_,
    I64_, I64_, I32_, I64_, F32_, F64_, I32_, I32_, I64_, I64_, I64_};
static const uint8_t mem_align[0x3F - 0x28] = {
    2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 3, 2, 3, 0, 1, 0, 1, 2};

/* The walk over one function body. */
typedef struct val_fn {
  wm_module *m;
  const val_options *opt;
  val_state *s;
  aw_error *err;
  const wm_functype *ft;
  const wm_func *fn;
  uint32_t off; /* offset of the current instruction */
} val_fn;

static int fail(val_fn *v, const char *msg) {
  return aw_fail(v->err, AW_ERR_INVALID, v->off, "%s", msg);
}

static int fail_nomem(val_fn *v) {
  return aw_fail(v->err, AW_ERR_NOMEM, v->off, "out of memory");
}

static val_frame *top(val_fn *v) {
  return &v->s->ctrls[v->s->nctrls - 1];
}

/* Operand stack height of one function, at most: an implementation limit
   (a frame that deep exceeds the default value stack 64 times over), so
   that the validator's and the code generator's stacks stay small. */
#define VAL_MAX_OPERANDS (UINT32_C(1) << 20)

static int too_deep(val_fn *v) {
  return aw_fail(v->err, AW_ERR_UNSUPPORTED, v->off,
                 "operand stack deeper than %u values", VAL_MAX_OPERANDS);
}

/* Cuts the runs so that none covers height h or above (a push at h
   overwrites that value); O(1) amortized. */
static void runs_cut(val_state *s, uint32_t h) {
  s->lastpop_n = 0;
  while (s->nruns) {
    val_run *r = &s->runs[s->nruns - 1];
    if (r->lo >= h) {
      s->nruns--;
      continue;
    }
    if (r->lo + r->n > h) r->n = h - r->lo;
    break;
  }
}

/* Records that values lo..lo+n-1 are exactly list (n >= VAL_RUN_MIN). */
static void runs_note(val_state *s, uint32_t lo, uint32_t n,
                      const uint8_t *list) {
  runs_cut(s, lo);
  if (s->nruns == s->capruns &&
      !aw_grow((void **)&s->runs, sizeof *s->runs, &s->capruns, s->nruns + 1))
    return; /* only an optimization */
  s->runs[s->nruns++] = (val_run){lo, n, list};
}

/* Whether the top n values are exactly list, all above the current
   frame's bottom (n >= VAL_RUN_MIN; list canonical). */
static bool top_is(const val_state *s, const uint8_t *list, uint32_t n) {
  if (!s->nruns || s->observe) return false;
  const val_run *r = &s->runs[s->nruns - 1];
  return r->list == list && r->n == n && r->lo + n == s->nvals &&
         r->lo >= s->ctrls[s->nctrls - 1].height;
}

static inline int push(val_fn *v, uint8_t t) {
  val_state *s = v->s;
  if (AW_UNLIKELY(s->nruns != 0) &&
      s->runs[s->nruns - 1].lo + s->runs[s->nruns - 1].n > s->nvals)
    runs_cut(s, s->nvals);
  if (AW_UNLIKELY(s->nvals == s->capvals)) {
    if (s->nvals >= VAL_MAX_OPERANDS) return too_deep(v);
    if (!aw_grow((void **)&s->vals, 1, &s->capvals, s->nvals + 1))
      return fail_nomem(v);
  }
  s->vals[s->nvals++] = t;
  return 0;
}

static int push_n(val_fn *v, const uint8_t *types, uint32_t n) {
  val_state *s = v->s;
  if (n >= VAL_RUN_MIN && s->lastpop_n == n && s->lastpop_list == types &&
      s->lastpop_lo == s->nvals) {
    /* popped whole by this instruction: the types are still in place */
    s->work++;
    s->nvals += n;
    runs_note(s, s->nvals - n, n, types);
    return 0;
  }
  s->work += 1 + n / 16; /* compile units: one memcpy */
  if ((uint64_t)s->nvals + n > VAL_MAX_OPERANDS) return too_deep(v);
  if (!aw_grow((void **)&s->vals, 1, &s->capvals, s->nvals + n))
    return fail_nomem(v);
  if (n) memcpy(s->vals + s->nvals, types, n);
  s->nvals += n;
  if (n >= VAL_RUN_MIN)
    runs_note(s, s->nvals - n, n, types);
  else if (s->nruns)
    runs_cut(s, s->nvals - n);
  return 0;
}

/* Records a popped type for the code generator's view. */
static int record_pop(val_fn *v, uint8_t t) {
  val_state *s = v->s;
  if (AW_UNLIKELY(s->npops == s->cappops) &&
      !aw_grow((void **)&s->pops, 1, &s->cappops, s->npops + 1))
    return fail_nomem(v);
  s->pops[s->npops++] = t;
  return 0;
}

/* pop_val() of the spec: any type. */
static int pop_any(val_fn *v, uint8_t *out) {
  val_state *s = v->s;
  val_frame *f = top(v);
  uint8_t t;
  if (s->nvals == f->height) {
    if (!f->unreachable)
      return aw_fail(v->err, AW_ERR_INVALID, v->off,
                     "type mismatch: operand stack is empty");
    t = VAL_UNKNOWN;
  } else {
    t = s->vals[--s->nvals];
  }
  *out = t;
  return record_pop(v, t);
}

/* pop_val(expect) of the spec: the general case. */
static int pop_expect_slow(val_fn *v, uint8_t expect, uint8_t *out) {
  uint8_t t;
  val_state *s = v->s;
  val_frame *f = top(v);
  if (s->nvals == f->height && !f->unreachable)
    return aw_fail(v->err, AW_ERR_INVALID, v->off,
                   "type mismatch: expected %s but the operand stack is "
                   "empty",
                   val_type_name(expect));
  if (pop_any(v, &t)) return -1;
  if (t != expect && t != VAL_UNKNOWN && expect != VAL_UNKNOWN)
    return aw_fail(v->err, AW_ERR_INVALID, v->off,
                   "type mismatch: expected %s but got %s",
                   val_type_name(expect), val_type_name(t));
  if (out) *out = t;
  return 0;
}

/* pop_val(expect), with the common case (a value of the right type above
   the frame's bottom, room to record it) inline. */
static inline int pop_expect(val_fn *v, uint8_t expect, uint8_t *out) {
  val_state *s = v->s;
  if (AW_LIKELY(s->nvals > s->ctrls[s->nctrls - 1].height &&
                s->npops < s->cappops)) {
    uint8_t t = s->vals[s->nvals - 1];
    if (AW_LIKELY(t == expect)) {
      s->nvals--;
      s->pops[s->npops++] = t;
      if (out) *out = t;
      return 0;
    }
  }
  return pop_expect_slow(v, expect, out);
}

static int pop_n(val_fn *v, const uint8_t *types, uint32_t n) {
  val_state *s = v->s;
  if (n >= VAL_RUN_MIN && top_is(s, types, n)) { /* O(1) */
    s->work++;
    s->nvals -= n;
    s->nfast += n;
    s->lastpop_list = types;
    s->lastpop_lo = s->nvals;
    s->lastpop_n = n;
    return 0;
  }
  s->work += n; /* compile units: value by value */
  for (uint32_t i = n; i > 0; i--)
    if (pop_expect(v, types[i - 1], NULL)) return -1;
  return 0;
}

static int push_ctrl(val_fn *v, uint8_t kind, const uint8_t *params,
                     uint32_t nparams, const uint8_t *results,
                     uint32_t nresults) {
  val_state *s = v->s;
  if (AW_UNLIKELY(s->nctrls == s->capctrls) &&
      !aw_grow((void **)&s->ctrls, sizeof *s->ctrls, &s->capctrls,
               s->nctrls + 1))
    return fail_nomem(v);
  val_frame *f = &s->ctrls[s->nctrls++];
  f->kind = kind;
  f->params = params;
  f->nparams = nparams;
  f->results = results;
  f->nresults = nresults;
  f->height = s->nvals;
  f->unreachable = false;
  return push_n(v, params, nparams);
}

/* pop_ctrl() of the spec; *out receives a copy of the frame. */
static int pop_ctrl(val_fn *v, val_frame *out) {
  val_frame *f = top(v);
  if (pop_n(v, f->results, f->nresults)) return -1;
  if (v->s->nvals != f->height)
    return aw_fail(v->err, AW_ERR_INVALID, v->off,
                   "type mismatch: %u value(s) left on the stack at the end "
                   "of a block",
                   v->s->nvals - f->height);
  *out = *f;
  v->s->nctrls--;
  return 0;
}

static void set_unreachable(val_fn *v) {
  val_frame *f = top(v);
  v->s->nvals = f->height;
  f->unreachable = true;
}

static void label_types(const val_frame *f, const uint8_t **types,
                        uint32_t *n) {
  if (f->kind == VAL_FR_LOOP) {
    *types = f->params;
    *n = f->nparams;
  } else {
    *types = f->results;
    *n = f->nresults;
  }
}

static int get_label(val_fn *v, uint32_t depth, const val_frame **out) {
  if (depth >= v->s->nctrls)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown label %u", depth);
  *out = &v->s->ctrls[v->s->nctrls - 1 - depth];
  return 0;
}

/* The compile budget (val_options.budget) is spent: a limit error with
   its figures, at the instruction that passed it. */
static int over_budget(val_fn *v, uint64_t units) {
  uint32_t funcidx = v->m->nfuncs_imported + (uint32_t)(v->fn - v->m->funcs);
  aw_error_limit_exceeded(v->err, AW_RESOURCE_COMPILE, v->opt->budget, units);
  uint64_t budget = v->opt->budget;
  aw_error_figures fig = v->err->figures;
  aw_fail(v->err, AW_ERR_LIMIT_EXCEEDED, v->off,
          "compile budget exceeded in function %u: %llu compile units, "
          "budget %llu (aw_engine_config.compile_units_per_byte)",
          funcidx, (unsigned long long)units, (unsigned long long)budget);
  v->err->figures = fig;
  return -1;
}

/* Checks, without popping, that the top of the stack matches types[n]
   (br_table's non-default labels). */
static int peek_n(val_fn *v, const uint8_t *types, uint32_t n) {
  val_state *s = v->s;
  const val_frame *f = top(v);
  uint32_t avail = s->nvals - f->height;
  if (n >= VAL_RUN_MIN && top_is(s, types, n)) {
    s->work++;
    return 0;
  }
  s->work += n; /* compile units */
  bool exact = true;
  for (uint32_t k = 0; k < n; k++) {
    uint8_t expect = types[n - 1 - k];
    if (k >= avail) {
      exact = false;
      if (f->unreachable) break; /* the rest pops as unknown */
      return aw_fail(v->err, AW_ERR_INVALID, v->off,
                     "type mismatch: expected %s but the operand stack is "
                     "empty",
                     val_type_name(expect));
    }
    uint8_t t = s->vals[s->nvals - 1 - k];
    if (t != expect && t != VAL_UNKNOWN)
      return aw_fail(v->err, AW_ERR_INVALID, v->off,
                     "type mismatch: expected %s but got %s",
                     val_type_name(expect), val_type_name(t));
    if (t == VAL_UNKNOWN) exact = false;
  }
  /* The next check of this list is O(1); only exact types make a run. */
  if (exact && n >= VAL_RUN_MIN && !s->observe)
    runs_note(s, s->nvals - n, n, types);
  return 0;
}

/* Resolves the block type of block/loop/if into ins->bt_*. */
static int block_type(val_fn *v, wm_instr *ins) {
  int64_t bt = (int64_t)ins->imm;
  const wm_module *m = v->m;
  if (bt == -64) {
    ins->bt_nparams = ins->bt_nresults = 0;
    ins->bt_params = ins->bt_results = NULL;
    return 0;
  }
  if (bt < 0) {
    uint8_t t = (uint8_t)(bt & 0x7F);
    const uint8_t *p = (bt >= -64) ? vt_single(t) : NULL;
    if (!p)
      return aw_fail(v->err, AW_ERR_MALFORMED, v->off, "malformed block type");
    if (t == WM_V128 && !v->opt->simd) return val_fail_simd(v->err, v->off);
    ins->bt_nparams = 0;
    ins->bt_params = NULL;
    ins->bt_nresults = 1;
    ins->bt_results = p;
    return 0;
  }
  if ((uint64_t)bt >= m->ntypes)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown type %lld",
                   (long long)bt);
  const wm_functype *ft = &m->types[bt];
  ins->bt_nparams = ft->nparams;
  ins->bt_params = cparams(v->s, m, (uint32_t)bt);
  ins->bt_nresults = ft->nresults;
  ins->bt_results = cresults(v->s, m, (uint32_t)bt);
  return 0;
}

static void frame_bt(wm_instr *ins, const val_frame *f) {
  ins->bt_nparams = f->nparams;
  ins->bt_params = f->params;
  ins->bt_nresults = f->nresults;
  ins->bt_results = f->results;
}

static int check_mem(val_fn *v, uint32_t idx) {
  if (idx >= v->m->nmems)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown memory %u", idx);
  return 0;
}

static int check_table(val_fn *v, uint32_t idx, uint8_t *elem) {
  if (idx >= v->m->ntables)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown table %u", idx);
  *elem = v->m->tables[idx].elem;
  return 0;
}

static int check_elem(val_fn *v, uint32_t idx, uint8_t *type) {
  if (idx >= v->m->nelems)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown elem segment %u",
                   idx);
  *type = v->m->elems[idx].type;
  return 0;
}

/* memory.init and data.drop: a data index in range, and the data count
   section, which the binary format requires for them ("malformed").  The
   spec decodes before it validates, so a module with both faults is
   malformed there; we check the index first because the spec suite's
   assert_invalid modules for an out-of-range index (memory_init.wast),
   once converted to binary by wast2json, have no data count section. */
static int check_data(val_fn *v, uint32_t idx) {
  const wm_module *m = v->m;
  uint32_t n = m->has_datacount ? m->datacount : m->ndatas;
  if (idx >= n)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown data segment %u",
                   idx);
  if (!m->has_datacount)
    return aw_fail(v->err, AW_ERR_MALFORMED, v->off,
                   "data count section required");
  return 0;
}

static int local_type(val_fn *v, uint32_t idx, uint8_t *out) {
  const wm_functype *ft = v->ft;
  if (idx < ft->nparams) {
    *out = ft->params[idx];
    return 0;
  }
  uint64_t j = (uint64_t)idx - ft->nparams;
  if (j < v->fn->nlocals) {
    *out = v->fn->local_types[j];
    return 0;
  }
  return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown local %u", idx);
}

static int pop3_i32(val_fn *v) {
  if (pop_expect(v, WM_I32, NULL) || pop_expect(v, WM_I32, NULL) ||
      pop_expect(v, WM_I32, NULL))
    return -1;
  return 0;
}

static int check_align(val_fn *v, uint32_t align, uint32_t natural) {
  if (align > natural)
    return fail(v, "alignment must not be larger than natural");
  return 0;
}

static int check_lane(val_fn *v, uint32_t lane, uint32_t lanes) {
  if (lane >= lanes)
    return aw_fail(v->err, AW_ERR_INVALID, v->off, "invalid lane index %u",
                   lane);
  return 0;
}

/* The 0xFD instructions (fixed-width SIMD). */
static int val_simd_instr(val_fn *v, wm_instr *ins, uint32_t *npush) {
  val_simd c;
  if (!v->opt->simd) return val_fail_simd(v->err, v->off);
  if (!val_simd_class(ins->op & 0xFF, &c))
    return aw_fail(v->err, AW_ERR_MALFORMED, v->off, "illegal opcode");
  const uint8_t V = WM_V128;
  switch (c.shape) {
  case VAL_SIMD_LOAD:
    if (check_mem(v, 0) || check_align(v, ins->a, c.align) ||
        pop_expect(v, WM_I32, NULL))
      return -1;
    break;
  case VAL_SIMD_STORE:
    if (check_mem(v, 0) || check_align(v, ins->a, c.align) ||
        pop_expect(v, V, NULL) || pop_expect(v, WM_I32, NULL))
      return -1;
    return 0;
  case VAL_SIMD_CONST: break;
  case VAL_SIMD_SHUFFLE:
    for (int i = 0; i < 16; i++)
      if (check_lane(v, ins->v128[i], c.lanes)) return -1;
    if (pop_expect(v, V, NULL) || pop_expect(v, V, NULL)) return -1;
    break;
  case VAL_SIMD_BIN:
    if (pop_expect(v, V, NULL) || pop_expect(v, V, NULL)) return -1;
    break;
  case VAL_SIMD_UN:
    if (pop_expect(v, V, NULL)) return -1;
    break;
  case VAL_SIMD_TERN:
    if (pop_expect(v, V, NULL) || pop_expect(v, V, NULL) ||
        pop_expect(v, V, NULL))
      return -1;
    break;
  case VAL_SIMD_TEST:
    if (pop_expect(v, V, NULL)) return -1;
    *npush = 1;
    return push(v, WM_I32);
  case VAL_SIMD_SHIFT:
    if (pop_expect(v, WM_I32, NULL) || pop_expect(v, V, NULL)) return -1;
    break;
  case VAL_SIMD_SPLAT:
    if (pop_expect(v, c.type, NULL)) return -1;
    break;
  case VAL_SIMD_EXTRACT:
    if (check_lane(v, ins->lane, c.lanes) || pop_expect(v, V, NULL)) return -1;
    *npush = 1;
    return push(v, c.type);
  case VAL_SIMD_REPLACE:
    if (check_lane(v, ins->lane, c.lanes) || pop_expect(v, c.type, NULL) ||
        pop_expect(v, V, NULL))
      return -1;
    break;
  case VAL_SIMD_LOAD_LANE:
  case VAL_SIMD_STORE_LANE:
    if (check_mem(v, 0) || check_align(v, ins->a, c.align) ||
        check_lane(v, ins->lane, c.lanes) || pop_expect(v, V, NULL) ||
        pop_expect(v, WM_I32, NULL))
      return -1;
    if (c.shape == VAL_SIMD_STORE_LANE) return 0;
    break;
  default: return aw_fail(v->err, AW_ERR_MALFORMED, v->off, "illegal opcode");
  }
  *npush = 1;
  return push(v, V);
}

/* Validates one instruction; *npush receives the number of values it
   pushed (they are on top of the operand stack afterwards). */
static int val_instr(val_fn *v, wm_instr *ins, uint32_t *npush) {
  val_state *s = v->s;
  const wm_module *m = v->m;
  uint16_t op = ins->op;
  uint8_t t = 0, t1 = 0, t2 = 0;
  *npush = 0;

  if (op >= 0x45 && op <= 0xC4) {
    const val_sig *sg = &num_sigs[op - 0x45];
    if (pop_expect(v, sg->a, NULL)) return -1;
    if (sg->n == 2 && pop_expect(v, sg->a, NULL)) return -1;
    *npush = 1;
    return push(v, sg->r);
  }
  if (op >= 0x28 && op <= 0x3E) {
    if (check_mem(v, 0)) return -1;
    if (check_align(v, ins->a, mem_align[op - 0x28])) return -1;
    t = mem_type[op - 0x28];
    if (op <= 0x35) { /* load */
      if (pop_expect(v, WM_I32, NULL)) return -1;
      *npush = 1;
      return push(v, t);
    }
    if (pop_expect(v, t, NULL) || pop_expect(v, WM_I32, NULL)) return -1;
    return 0;
  }

  switch (op) {
  case 0x00: /* unreachable */ set_unreachable(v); return 0;
  case 0x01: /* nop */ return 0;
  case 0x02: /* block */
  case 0x03: /* loop */
  case 0x04: /* if */
    if (block_type(v, ins)) return -1;
    if (op == 0x04 && pop_expect(v, WM_I32, NULL)) return -1;
    if (pop_n(v, ins->bt_params, ins->bt_nparams)) return -1;
    *npush = ins->bt_nparams;
    return push_ctrl(v,
                     op == 0x02   ? VAL_FR_BLOCK
                     : op == 0x03 ? VAL_FR_LOOP
                                  : VAL_FR_IF,
                     ins->bt_params, ins->bt_nparams, ins->bt_results,
                     ins->bt_nresults);
  case 0x05: { /* else */
    val_frame f;
    if (top(v)->kind != VAL_FR_IF)
      return aw_fail(v->err, AW_ERR_MALFORMED, v->off,
                     "END opcode expected (else without if)");
    if (pop_ctrl(v, &f)) return -1;
    frame_bt(ins, &f);
    *npush = f.nparams;
    return push_ctrl(v, VAL_FR_ELSE, f.params, f.nparams, f.results,
                     f.nresults);
  }
  case 0x0B: { /* end */
    val_frame f;
    if (pop_ctrl(v, &f)) return -1;
    if (f.kind == VAL_FR_IF) {
      /* if without else: the empty else branch must turn the params into
         the results */
      bool same = f.nparams == f.nresults;
      for (uint32_t i = 0; same && f.params != f.results && i < f.nparams; i++)
        same = f.params[i] == f.results[i];
      if (!same)
        return fail(v, "type mismatch: if without else must leave its "
                       "parameters as its results");
    }
    frame_bt(ins, &f);
    *npush = f.nresults;
    return push_n(v, f.results, f.nresults);
  }
  case 0x0C: { /* br */
    const val_frame *f = NULL;
    const uint8_t *lt;
    uint32_t n;
    if (get_label(v, ins->a, &f)) return -1;
    label_types(f, &lt, &n);
    if (pop_n(v, lt, n)) return -1;
    set_unreachable(v);
    return 0;
  }
  case 0x0D: { /* br_if */
    const val_frame *f = NULL;
    const uint8_t *lt;
    uint32_t n;
    if (get_label(v, ins->a, &f)) return -1;
    label_types(f, &lt, &n);
    if (pop_expect(v, WM_I32, NULL) || pop_n(v, lt, n)) return -1;
    *npush = n;
    return push_n(v, lt, n);
  }
  case 0x0E: { /* br_table */
    const val_frame *f = NULL;
    const uint8_t *dt, *lt, *seen[8] = {NULL};
    uint32_t arity, n;
    if (pop_expect(v, WM_I32, NULL)) return -1;
    if (get_label(v, ins->labels[ins->nlabels], &f)) return -1;
    label_types(f, &dt, &arity);
    for (uint32_t i = 0; i < ins->nlabels; i++) {
      if (get_label(v, ins->labels[i], &f)) return -1;
      label_types(f, &lt, &n);
      if (n != arity)
        return aw_fail(v->err, AW_ERR_INVALID, v->off,
                       "type mismatch: br_table labels have different "
                       "arities (%u and %u)",
                       n, arity);
      /* A type list is checked once per br_table (the stack does not
         change in between; the default's is checked by the pop below), so
         the usual tables cost O(labels), not O(labels * arity).  A small
         direct-mapped cache of checked lists catches alternations. */
      size_t h = ((uintptr_t)lt >> 3) & 7;
      if (n == 0 || lt == dt || seen[h] == lt) continue;
      if (peek_n(v, lt, n)) return -1;
      seen[h] = lt;
      if (v->opt->budget && s->work + s->cells > v->opt->budget)
        return over_budget(v, s->work + s->cells);
    }
    if (pop_n(v, dt, arity)) return -1;
    set_unreachable(v);
    return 0;
  }
  case 0x0F: /* return */
    if (pop_n(v, cresults(s, m, v->fn->type_idx), v->ft->nresults)) return -1;
    set_unreachable(v);
    return 0;
  case 0x10: { /* call */
    if (ins->a >= m->nfuncs)
      return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown function %u",
                     ins->a);
    uint32_t ti = m->func_types[ins->a];
    const wm_functype *ft = &m->types[ti];
    if (pop_n(v, cparams(s, m, ti), ft->nparams)) return -1;
    *npush = ft->nresults;
    ins->bt_results = cresults(s, m, ti); /* the code generator's too */
    return push_n(v, cresults(s, m, ti), ft->nresults);
  }
  case 0x11: { /* call_indirect */
    if (check_table(v, ins->b, &t)) return -1;
    if (ins->a >= m->ntypes)
      return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown type %u", ins->a);
    if (t != WM_FUNCREF)
      return fail(v, "type mismatch: call_indirect needs a funcref table");
    const wm_functype *ft = &m->types[ins->a];
    if (pop_expect(v, WM_I32, NULL) ||
        pop_n(v, cparams(s, m, ins->a), ft->nparams))
      return -1;
    *npush = ft->nresults;
    ins->bt_results = cresults(s, m, ins->a);
    return push_n(v, cresults(s, m, ins->a), ft->nresults);
  }
  case 0x1A: /* drop */ return pop_any(v, &t);
  case 0x1B: /* select */
    if (pop_expect(v, WM_I32, NULL) || pop_any(v, &t1) || pop_any(v, &t2))
      return -1;
    {
      bool num1 = t1 == WM_I32 || t1 == WM_I64 || t1 == WM_F32 ||
                  t1 == WM_F64 || t1 == VAL_UNKNOWN;
      bool num2 = t2 == WM_I32 || t2 == WM_I64 || t2 == WM_F32 ||
                  t2 == WM_F64 || t2 == VAL_UNKNOWN;
      bool vec1 = t1 == WM_V128 || t1 == VAL_UNKNOWN;
      bool vec2 = t2 == WM_V128 || t2 == VAL_UNKNOWN;
      if (!((num1 && num2) || (vec1 && vec2)))
        return aw_fail(v->err, AW_ERR_INVALID, v->off,
                       "type mismatch: select without a type needs numeric "
                       "operands, got %s and %s",
                       val_type_name(t2), val_type_name(t1));
      if (t1 != t2 && t1 != VAL_UNKNOWN && t2 != VAL_UNKNOWN)
        return aw_fail(v->err, AW_ERR_INVALID, v->off,
                       "type mismatch: select operands are %s and %s",
                       val_type_name(t2), val_type_name(t1));
      t = t1 == VAL_UNKNOWN ? t2 : t1;
      ins->type = t;
      *npush = 1;
      return push(v, t);
    }
  case 0x1C: /* select t* */
    if (ins->nlabels != 1) return fail(v, "invalid result arity");
    t = ins->type;
    if (t == WM_V128 && !v->opt->simd) return val_fail_simd(v->err, v->off);
    if (!val_is_valtype(t))
      return aw_fail(v->err, AW_ERR_MALFORMED, v->off, "malformed value type");
    if (pop_expect(v, WM_I32, NULL) || pop_expect(v, t, NULL) ||
        pop_expect(v, t, NULL))
      return -1;
    *npush = 1;
    return push(v, t);
  case 0x20: /* local.get */
    if (local_type(v, ins->a, &t)) return -1;
    *npush = 1;
    return push(v, t);
  case 0x21: /* local.set */
    if (local_type(v, ins->a, &t)) return -1;
    return pop_expect(v, t, NULL);
  case 0x22: /* local.tee */
    if (local_type(v, ins->a, &t) || pop_expect(v, t, NULL)) return -1;
    *npush = 1;
    return push(v, t);
  case 0x23: /* global.get */
    if (ins->a >= m->nglobals)
      return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown global %u",
                     ins->a);
    *npush = 1;
    return push(v, m->globals[ins->a].type.type);
  case 0x24: /* global.set */
    if (ins->a >= m->nglobals)
      return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown global %u",
                     ins->a);
    if (!m->globals[ins->a].type.mut) return fail(v, "global is immutable");
    return pop_expect(v, m->globals[ins->a].type.type, NULL);
  case 0x25: /* table.get */
    if (check_table(v, ins->a, &t) || pop_expect(v, WM_I32, NULL)) return -1;
    *npush = 1;
    return push(v, t);
  case 0x26: /* table.set */
    if (check_table(v, ins->a, &t) || pop_expect(v, t, NULL) ||
        pop_expect(v, WM_I32, NULL))
      return -1;
    return 0;
  case 0x3F: /* memory.size */
    if (check_mem(v, ins->a)) return -1;
    *npush = 1;
    return push(v, WM_I32);
  case 0x40: /* memory.grow */
    if (check_mem(v, ins->a) || pop_expect(v, WM_I32, NULL)) return -1;
    *npush = 1;
    return push(v, WM_I32);
  case 0x41: *npush = 1; return push(v, WM_I32);
  case 0x42: *npush = 1; return push(v, WM_I64);
  case 0x43: *npush = 1; return push(v, WM_F32);
  case 0x44: *npush = 1; return push(v, WM_F64);
  case 0xD0: /* ref.null t */
    if (!val_is_reftype(ins->type))
      return aw_fail(v->err, AW_ERR_MALFORMED, v->off,
                     "malformed reference type");
    *npush = 1;
    return push(v, ins->type);
  case 0xD1: /* ref.is_null */
    if (pop_any(v, &t)) return -1;
    if (t != VAL_UNKNOWN && !val_is_reftype(t))
      return aw_fail(v->err, AW_ERR_INVALID, v->off,
                     "type mismatch: expected a reference but got %s",
                     val_type_name(t));
    *npush = 1;
    return push(v, WM_I32);
  case 0xD2: /* ref.func */
    if (ins->a >= m->nfuncs)
      return aw_fail(v->err, AW_ERR_INVALID, v->off, "unknown function %u",
                     ins->a);
    if (!m->func_declared || !m->func_declared[ins->a])
      return fail(v, "undeclared function reference");
    *npush = 1;
    return push(v, WM_FUNCREF);

  case WM_OP_FC(0):
  case WM_OP_FC(1):
  case WM_OP_FC(2):
  case WM_OP_FC(3):
  case WM_OP_FC(4):
  case WM_OP_FC(5):
  case WM_OP_FC(6):
  case WM_OP_FC(7): {
    const val_sig *sg = &sat_sigs[op & 0xFF];
    if (pop_expect(v, sg->a, NULL)) return -1;
    *npush = 1;
    return push(v, sg->r);
  }
  case WM_OP_FC(8): /* memory.init data mem */
    if (check_mem(v, ins->b) || check_data(v, ins->a)) return -1;
    return pop3_i32(v);
  case WM_OP_FC(9): /* data.drop */ return check_data(v, ins->a);
  case WM_OP_FC(10): /* memory.copy */
    if (check_mem(v, ins->a) || check_mem(v, ins->b)) return -1;
    return pop3_i32(v);
  case WM_OP_FC(11): /* memory.fill */
    if (check_mem(v, ins->a)) return -1;
    return pop3_i32(v);
  case WM_OP_FC(12): /* table.init elem table */
    if (check_table(v, ins->b, &t1) || check_elem(v, ins->a, &t2)) return -1;
    if (t1 != t2)
      return aw_fail(v->err, AW_ERR_INVALID, v->off,
                     "type mismatch: table.init of a %s table from a %s "
                     "segment",
                     val_type_name(t1), val_type_name(t2));
    return pop3_i32(v);
  case WM_OP_FC(13): /* elem.drop */ return check_elem(v, ins->a, &t);
  case WM_OP_FC(14): /* table.copy dst src */
    if (check_table(v, ins->a, &t1) || check_table(v, ins->b, &t2)) return -1;
    if (t1 != t2)
      return aw_fail(v->err, AW_ERR_INVALID, v->off,
                     "type mismatch: table.copy from a %s table to a %s "
                     "table",
                     val_type_name(t2), val_type_name(t1));
    return pop3_i32(v);
  case WM_OP_FC(15): /* table.grow */
    if (check_table(v, ins->a, &t) || pop_expect(v, WM_I32, NULL) ||
        pop_expect(v, t, NULL))
      return -1;
    *npush = 1;
    return push(v, WM_I32);
  case WM_OP_FC(16): /* table.size */
    if (check_table(v, ins->a, &t)) return -1;
    *npush = 1;
    return push(v, WM_I32);
  case WM_OP_FC(17): /* table.fill */
    if (check_table(v, ins->a, &t) || pop_expect(v, WM_I32, NULL) ||
        pop_expect(v, t, NULL) || pop_expect(v, WM_I32, NULL))
      return -1;
    return 0;
  default: break;
  }
  if ((op >> 8) == 0xFD) return val_simd_instr(v, ins, npush);
  (void)s;
  return aw_fail(v->err, AW_ERR_MALFORMED, v->off, "illegal opcode 0x%x",
                 (unsigned)op);
}

/* Reverses the recorded pops (recorded top first) to deepest first. */
static void pops_deepest_first(val_state *s) {
  for (uint32_t i = 0, j = s->npops; i + 1 < j; i++, j--) {
    uint8_t x = s->pops[i];
    s->pops[i] = s->pops[j - 1];
    s->pops[j - 1] = x;
  }
}

int val_function_observe(wm_module *m, uint32_t i, const val_options *opt,
                         val_state *s, val_observer obs, void *ctx,
                         aw_error *err) {
  aw_error local, cgerr;
  if (!err) err = &local;
  wm_func *fn = &m->funcs[i];
  uint32_t funcidx = m->nfuncs_imported + i;
  val_fn v = {m, opt, s, err, &m->types[fn->type_idx], fn, fn->body.offset};
  cg_func *cg = NULL;
  /* The code generator may refuse an instruction it cannot compile
     (AW_ERR_UNSUPPORTED); the rest of the body is still validated, as an
     invalid module must be reported as such. */
  bool cg_failed = false;
  /* The compile budget is checked when the work reaches check_at. */
  uint64_t check_at = opt->budget ? 0 : UINT64_MAX;

  if (!opt->simd)
    for (uint32_t k = 0; k < fn->nlocals; k++)
      if (fn->local_types[k] == WM_V128)
        return val_fail_simd(err, fn->body.offset);

  s->nvals = s->nctrls = 0;
  /* vals is never NULL below, so the view's push_types is well defined */
  if (!aw_grow((void **)&s->vals, 1, &s->capvals, 16) ||
      !aw_grow((void **)&s->pops, 1, &s->cappops, 16))
    return fail_nomem(&v);
  dec_reader r = {fn->body.p, fn->body.p + fn->body.len, m->bin};
  if (opt->compile) {
    cg = cg_func_begin(m, funcidx, &opt->cg, &cgerr);
    if (!cg) {
      if (cgerr.kind != AW_ERR_UNSUPPORTED) {
        *err = cgerr;
        return -1;
      }
      cg_failed = true;
    }
  }
  s->nruns = 0;
  s->lastpop_n = 0;
  s->observe = obs != NULL;
  if (push_ctrl(&v, VAL_FR_FUNC, NULL, 0, cresults(s, m, fn->type_idx),
                v.ft->nresults))
    goto fail;

  while (s->nctrls > 0) {
    wm_instr ins;
    uint32_t npush;
    if (r.p >= r.end) {
      aw_fail(err, AW_ERR_MALFORMED, (uint64_t)(r.p - m->bin),
              "unexpected end of section or function");
      goto fail;
    }
    if (dec_instr(&r, &ins, &s->scratch, err)) goto fail;
    v.off = ins.offset;
    uint32_t height = s->nvals;
    bool unreachable = top(&v)->unreachable;
    s->npops = 0;
    s->nfast = 0;
    s->lastpop_n = 0;
    s->work++; /* compile units: the instruction */
    if (val_instr(&v, &ins, &npush)) goto fail;
    if (cg || obs) {
      pops_deepest_first(s);
      cg_view view = {unreachable, height,  s->npops + s->nfast,
                      npush,       s->pops, s->vals + s->nvals - npush};
      if (cg) {
        if (cg_instr(cg, &ins, &view, &cgerr)) {
          cg_func_abort(cg);
          cg = NULL;
          if (cgerr.kind != AW_ERR_UNSUPPORTED) {
            *err = cgerr;
            return -1;
          }
          cg_failed = true;
        }
      } else if (obs(ctx, &ins, &view, err)) {
        goto fail;
      }
    }
    if (AW_UNLIKELY(s->work >= check_at)) {
      /* every 64 units at most (an instruction is at least one) */
      uint64_t units = s->work + s->cells + cg_ncells(cg);
      if (units > opt->budget) {
        over_budget(&v, units);
        goto fail;
      }
      check_at = s->work + 64;
    }
  }
  if (r.p != r.end) {
    aw_fail(err, AW_ERR_MALFORMED, (uint64_t)(r.p - m->bin),
            "section size mismatch (bytes after the function's end)");
    goto fail;
  }
  if (cg_failed) {
    *err = cgerr;
    return -1;
  }
  if (cg) {
    s->cells += cg_ncells(cg);
    if (cg_func_end(cg, &fn->code, err)) return -1;
  }
  return 0;

fail:
  if (cg) cg_func_abort(cg);
  return -1;
}

int val_function(wm_module *m, uint32_t i, const val_options *opt, val_state *s,
                 aw_error *err) {
  return val_function_observe(m, i, opt, s, NULL, NULL, err);
}

int val_scan_malformed(const wm_module *m, uint32_t from, val_state *s,
                       aw_error *err) {
  aw_error e;
  for (uint32_t i = from; i < m->nfuncs - m->nfuncs_imported; i++) {
    const wm_func *fn = &m->funcs[i];
    dec_reader r = {fn->body.p, fn->body.p + fn->body.len, m->bin};
    uint64_t depth = 1;
    while (depth > 0) {
      wm_instr ins;
      if (r.p >= r.end) {
        aw_fail(err, AW_ERR_MALFORMED, (uint64_t)(r.p - m->bin),
                "unexpected end of section or function");
        return -1;
      }
      if (dec_instr(&r, &ins, &s->scratch, &e)) {
        if (e.kind == AW_ERR_MALFORMED) {
          *err = e;
          return -1;
        }
        return 0; /* out of memory or the like: keep the first error */
      }
      if (ins.op == 0x02 || ins.op == 0x03 || ins.op == 0x04)
        depth++;
      else if (ins.op == 0x0B)
        depth--;
      else if ((ins.op == WM_OP_FC(8) || ins.op == WM_OP_FC(9)) &&
               !m->has_datacount && ins.a < m->ndatas) {
        aw_fail(err, AW_ERR_MALFORMED, ins.offset,
                "data count section required");
        return -1;
      }
    }
    if (r.p != r.end) {
      aw_fail(err, AW_ERR_MALFORMED, (uint64_t)(r.p - m->bin),
              "section size mismatch (bytes after the function's end)");
      return -1;
    }
  }
  return 0;
}
