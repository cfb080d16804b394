/*
 * bench/registry.h - the list of benchmark kernels: name, native entry
 * point, result width and problem sizes.  Shared by the runner (aw-bench)
 * and the library-free checker (aw-bench-native).
 */
#ifndef AW_BENCH_REGISTRY_H
#define AW_BENCH_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

/** One kernel. Exactly one of fn32/fn64 is set, matching bits. */
typedef struct bench_kernel {
  const char *name; /**< kernel name; wasm export is bench_<name> */
  const char *what; /**< one-line description for the table */
  unsigned bits;    /**< result width: 32 (i32) or 64 (i64) */
  uint32_t (*fn32)(uint32_t n);
  uint64_t (*fn64)(uint32_t n);
  uint32_t n_default; /**< size for the timed runs (~20-100 ms native) */
  uint32_t n_small;   /**< size for quick correctness checks */
} bench_kernel;

/** The kernels, in table order. */
extern const bench_kernel bench_kernels[];
/** Number of entries in bench_kernels. */
extern const size_t bench_nkernels;

/** Runs kernel @p k natively with size @p n; the result zero-extended. */
uint64_t bench_native_call(const bench_kernel *k, uint32_t n);

/** Finds a kernel by name, NULL if there is none. */
const bench_kernel *bench_find(const char *name);

#endif /* AW_BENCH_REGISTRY_H */
