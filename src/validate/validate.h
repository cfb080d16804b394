/*
 * validate.h - the validator: checks a decoded module against the spec's
 * validation rules and, in the same walk over each function body, drives
 * the code generator (src/compile) so every function gets its code.
 */
#ifndef AW_VALIDATE_H
#define AW_VALIDATE_H

#include "compile/compile.h"
#include "module.h"

typedef struct val_options {
  bool simd;     /* accept SIMD instructions and v128 */
  bool compile;  /* also compile function bodies */
  cg_options cg; /* code generator options */
  /* Compile budget of the whole module, in compile units (see
     aw_engine_config.compile_units_per_byte); 0: none. */
  uint64_t budget;
  uint64_t *units; /* if not NULL, receives the units spent */
} val_options;

/* Validates m and (if opt->compile) compiles every function, storing the
   code in m->funcs[i].code.  Returns 0, or -1 with err->kind =
   AW_ERR_INVALID (or AW_ERR_MALFORMED for encoding errors inside bodies,
   AW_ERR_UNSUPPORTED, AW_ERR_NOMEM), err->offset and a message. */
int val_module(wm_module *m, const val_options *opt, aw_error *err);

#endif /* AW_VALIDATE_H */
