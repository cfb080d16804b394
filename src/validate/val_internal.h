/*
 * val_internal.h - what the validator's files share among themselves:
 * the per-module walk state reused across function bodies, constant
 * expressions, and small helpers on value types.  Not for other
 * subsystems (they use validate.h).
 */
#ifndef AW_VAL_INTERNAL_H
#define AW_VAL_INTERNAL_H

#include "validate/validate.h"

/* "Unknown" operand type of the spec's algorithm: a value popped from the
   polymorphic stack of unreachable code. */
#define VAL_UNKNOWN ((uint8_t)0)

/* A control frame of the spec's algorithm. */
typedef struct val_frame {
  const uint8_t *params, *results; /* the block type [params] -> [results] */
  uint32_t nparams, nresults;
  uint32_t height; /* operand stack height at the start of the block */
  uint8_t kind;    /* VAL_FR_* */
  bool unreachable;
} val_frame;

enum { VAL_FR_BLOCK, VAL_FR_LOOP, VAL_FR_IF, VAL_FR_ELSE, VAL_FR_FUNC };

/* A run: the operand stack values lo..lo+n-1 are exactly the types of
   list (a canonical list, see val_canon_types), as pushed at once by a
   block, end, br_if or call.  It lets a later pop or check of that list
   cost O(1) instead of O(n) (docs/hardening.md, "Compile cost"). */
typedef struct val_run {
  uint32_t lo, n;
  const uint8_t *list;
} val_run;

/* Storage reused by every function body of one module: the operand stack,
   the control stack, the types popped by the current instruction (for
   the code generator's view) and the decoder's scratch. */
typedef struct val_state {
  uint8_t *vals;
  uint32_t nvals, capvals;
  val_frame *ctrls;
  uint32_t nctrls, capctrls;
  uint8_t *pops;
  uint32_t npops, cappops;
  dec_scratch scratch;
  /* Compile units spent so far (val_options.budget): validator work, plus
     the code cells of the functions compiled so far (cells). */
  uint64_t work, cells;
  /* Runs of multi-value pushes (val_run), innermost last. */
  val_run *runs;
  uint32_t nruns, capruns;
  /* The current instruction's last O(1) pop of a whole run: pushing the
     same list back at the same height finds its types in place. */
  const uint8_t *lastpop_list;
  uint32_t lastpop_lo, lastpop_n;
  uint32_t nfast; /* values popped in O(1) (not recorded in pops) */
  bool observe;   /* a view observer needs every pop recorded */
  /* Per type index: the canonical pointer of its params and results (one
     pointer per distinct list content), or NULL: not computed. */
  const uint8_t **cparams, **cresults;
  uint32_t ncanon;
} val_state;

/* Fills s->cparams/cresults for m's types (charged to s->work; fails
   with AW_ERR_LIMIT_EXCEEDED past budget, 0: none). */
int val_canon_types(const wm_module *m, val_state *s, uint64_t budget,
                    aw_error *err);

void val_state_free(val_state *s);

/* True for the value types of WebAssembly 2.0 (v128 included). */
bool val_is_valtype(uint8_t t);
bool val_is_reftype(uint8_t t);
/* Short name of a value type ("i32", ..., "unknown") for messages. */
const char *val_type_name(uint8_t t);
/* Fails with AW_ERR_UNSUPPORTED "unsupported feature: SIMD". */
int val_fail_simd(aw_error *err, uint64_t offset);

/* The typing of a SIMD instruction (sub-opcode of 0xFD), by shape:
   LOAD [i32]->[v128], STORE [i32 v128]->[], CONST []->[v128],
   SHUFFLE/BIN [v128 v128]->[v128], UN [v128]->[v128],
   TERN [v128 v128 v128]->[v128], TEST [v128]->[i32],
   SHIFT [v128 i32]->[v128], SPLAT [t]->[v128], EXTRACT [v128]->[t],
   REPLACE [v128 t]->[v128], LOAD_LANE [i32 v128]->[v128],
   STORE_LANE [i32 v128]->[].  lanes bounds the lane immediate(s);
   align is the log2 of the natural alignment of memory accesses. */
enum {
  VAL_SIMD_LOAD,
  VAL_SIMD_STORE,
  VAL_SIMD_CONST,
  VAL_SIMD_SHUFFLE,
  VAL_SIMD_BIN,
  VAL_SIMD_UN,
  VAL_SIMD_TERN,
  VAL_SIMD_TEST,
  VAL_SIMD_SHIFT,
  VAL_SIMD_SPLAT,
  VAL_SIMD_EXTRACT,
  VAL_SIMD_REPLACE,
  VAL_SIMD_LOAD_LANE,
  VAL_SIMD_STORE_LANE
};
typedef struct val_simd {
  uint8_t shape, type, lanes, align;
} val_simd;
/* False for sub-opcodes that do not exist. */
bool val_simd_class(uint32_t sub, val_simd *out);

/* Validates constant expression e, which must produce one value of type
   expect.  Per WebAssembly 2.0, global.get may only name an imported,
   immutable global. */
int val_const_expr(const wm_module *m, const wm_expr *e, uint8_t expect,
                   const val_options *opt, val_state *s, aw_error *err);

/* Calls mark(m, funcidx) for every ref.func in e (used to collect the
   functions that ref.func may name in bodies). Only malformed encodings
   fail. */
int val_const_refs(wm_module *m, const wm_expr *e, val_state *s, aw_error *err);

/* Validates (and, if opt->compile, compiles) defined function i
   (0-based among defined functions). */
int val_function(wm_module *m, uint32_t i, const val_options *opt, val_state *s,
                 aw_error *err);

/* The same walk, calling obs (when not compiling) with the view the code
   generator would get: lets unit tests check the views. */
typedef int (*val_observer)(void *ctx, const wm_instr *ins, const cg_view *view,
                            aw_error *err);
int val_function_observe(wm_module *m, uint32_t i, const val_options *opt,
                         val_state *s, val_observer obs, void *ctx,
                         aw_error *err);

/* Decodes, without validating, the bodies of defined functions from
   `from` on, looking for an encoding error (malformed), which the spec
   reports before any validation error.  Returns -1 with err filled if one
   is found, else 0 (err untouched). */
int val_scan_malformed(const wm_module *m, uint32_t from, val_state *s,
                       aw_error *err);

#endif /* AW_VAL_INTERNAL_H */
