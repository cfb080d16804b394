/*
 * hostile.h - shared by the hostile-guest driver (hostile.c) and its
 * generated cases (hostile_gen.c).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "airssys/limits.h"
#include "airssys/wasm.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* One case: a function to call, its limits and the expected outcome. */
typedef struct hs_case {
  char name[320];
  char func[64];
  aw_errkind expect;
  aw_trapkind expect_trap;
  aw_resource resource; /* for limit_exceeded, NONE = any */
  bool has_result, has_exit, wasi;
  int64_t result;
  int32_t exit;
  int64_t args[16];
  uint32_t nargs;
  uint64_t fuel, timeout_ms, mem, maxms;
  uint32_t table, depth;
} hs_case;

void hs_case_init(hs_case *c);
void hs_run_case(aw_engine *engine, const aw_module *mod, const hs_case *c);
void hs_result(const char *name, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int hs_open_fds(void);
bool hs_parse_outcome(const char *s, aw_errkind *out);

/* The cases built in C (hostile_gen.c, hostile_budget.c). */
void hs_run_generated(aw_engine *engine);
void hs_run_budget(aw_engine *engine);
/* Compile-cost bombs, each on its own engine (hostile_compile.c). */
void hs_run_compile_cost(void);

/* The deadline cases built in C (hostile_deadline.c). */
void hs_run_deadline(aw_engine *engine);
/* The WASI I/O races and defaults (hostile_wasiio.c; its guests are
   wasm_dir/wasi_race.wasm). */
void hs_run_wasiio(aw_engine *engine, const char *wasm_dir);

#endif /* HOSTILE_H */
