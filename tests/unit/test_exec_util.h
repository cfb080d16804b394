/*
 * test_exec_util.h - guests and helpers shared by the executor tests
 * (test_exec.c defines them, test_exec_concurrency.c uses them too).
 */
#ifndef AW_TEST_EXEC_UTIL_H
#define AW_TEST_EXEC_UTIL_H

#include "airssys/executor.h"
#include "airssys/wasi.h"

#include <stddef.h>
#include <stdint.h>

/* The main guest (count, store_loop, spin, fib, rec, inf, trap, const,
   grow, fill, copy, tgrow, tfill...) and the WASI guest (sleep, exit). */
extern const char *const tx_main_wat;
extern const char *const tx_wasi_wat;

/* Compiles WAT with engine e; NULL (and a message) on failure. */
aw_module *tx_load(aw_engine *e, const char *text);
/* Limits with the given memory, fuel and timeout, other fields default. */
aw_resource_limits tx_limits(uint64_t mem, uint64_t fuel, uint64_t timeout);
aw_val tx_i32(int32_t v);
/* aw_execute of m's export func, without imports / with WASI. */
aw_errkind tx_run(const aw_module *m, aw_resource_limits l, const char *func,
                  const aw_val *args, uint32_t nargs, aw_exec_result *res);
aw_errkind tx_run_wasi(const aw_module *m, aw_resource_limits l,
                       const char *func, const aw_val *args, uint32_t nargs,
                       aw_exec_result *res);
/* A WASI state granting nothing (no fds, args or dirs). */
aw_wasi *tx_wasi_new(void);

#endif /* AW_TEST_EXEC_UTIL_H */
