/*
 * fz_run.h - shared by the fuzz targets: runs a compiled module under
 * small limits (fuel, memory cap, table cap, call depth) and checks that
 * every outcome is one of the documented ones.
 */
#ifndef FZ_RUN_H
#define FZ_RUN_H

#include "airssys/wasm.h"
#include <stddef.h>
#include <stdint.h>

/* Limits of one fuzz execution (see docs/hardening.md). */
#define FZ_FUEL 100000u
#define FZ_MEM_CAP (16u << 20)
#define FZ_TABLE_CAP 100000u
#define FZ_MAX_FRAMES 1000u
#define FZ_MAX_SLOTS (1u << 16)
#define FZ_MAX_EXPORT_CALLS 64u
#define FZ_TIMEOUT_MS 2000u

/* Aborts (a fuzzer finding) with msg when cond is false. */
#define FZ_ASSERT(cond, ...)                                                   \
  do {                                                                         \
    if (!(cond)) fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);              \
  } while (0)

_Noreturn void fz_fail(const char *file, int line, const char *cond,
                       const char *fmt, ...);

/* Checks that err describes a failure of kind k with a message. */
void fz_check_error(aw_errkind k, const aw_error *err);

/* Instantiates mod in a fresh store (imports satisfied by dummy host
   objects), then calls every exported function with zero arguments and
   again with arguments taken from args[0..nargs).  Returns the number of
   calls made. */
unsigned fz_run_module(aw_engine *engine, const aw_module *mod,
                       const uint8_t *args, size_t nargs);

#endif /* FZ_RUN_H */
