/*
 * bench/kernels/check_main.c - wasm-only wrapper used by bench/check.sh:
 * exports a parameterless `check` that runs one kernel at a fixed size,
 * because wabt's wasm-interp --run-all-exports can only call functions
 * without parameters.  Built with -DCHECK_FN=bench_<name> -DCHECK_N=<n>
 * -DCHECK_T=uint32_t|uint64_t.
 */
#include "kernel.h"

#if !defined(CHECK_FN) || !defined(CHECK_N) || !defined(CHECK_T)
#error "build with -DCHECK_FN=... -DCHECK_N=... -DCHECK_T=... (bench/check.sh)"
#endif

CHECK_T check(void);

CHECK_T check(void) {
  return CHECK_FN(CHECK_N);
}
