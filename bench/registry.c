/*
 * bench/registry.c - the table of benchmark kernels and their sizes.
 * Default sizes target roughly 20-100 ms per native run on a current
 * x86-64 core; small sizes keep reference interpreters (wasm-interp) fast.
 */
#include "registry.h"

#include <string.h>

#include "kernels/kernel.h"

#define K32(name, what, nd, ns)                                                \
  { #name, what, 32, bench_##name, NULL, nd, ns }
#define K64(name, what, nd, ns)                                                \
  { #name, what, 64, NULL, bench_##name, nd, ns }
/* The -msimd128 wasm build of kernel name: same native function. */
#define KSIMD(name, what, nd, ns)                                              \
  { #name "_simd", what, 64, NULL, bench_##name, nd, ns }

const bench_kernel bench_kernels[] = {
    K64(sort, "quicksort of PRNG uint32 array (calls, branches)", 500000, 2000),
    K32(hash, "SHA-256-shaped compression (32-bit rotates, xor)", 150000, 200),
    K32(crc32, "table-driven CRC-32 over 64 KiB buffer", 300, 1),
    K64(matmul, "f64 matrix multiply n x n", 400, 12),
    K64(vm, "switch-dispatch bytecode VM (Collatz)", 50000, 300),
    K64(strsearch, "Boyer-Moore-Horspool over 256 KiB text", 300, 2),
    K64(mandel, "Mandelbrot escape times, f64", 500, 16),
    K64(nbody, "16-body gravity, f64 sqrt/div", 50000, 20),
    K64(fib, "recursive Fibonacci (call-heavy)", 36, 18),
    K64(sieve, "bitset sieve of Eratosthenes", 20000000, 5000),
    /* SIMD kernels: <k> is the scalar wasm build, <k>_simd the -msimd128
       build of the same source (same native function); aw-bench puts
       each pair in its own table. */
    K64(saxpy, "f32 a*x + b*y over 16 Ki floats (SIMD kernel, scalar wasm)",
        2000, 20),
    KSIMD(saxpy, "the same, wasm built with -msimd128 (f32x4)", 2000, 20),
    K64(dot16, "int16 dot product into int32 (SIMD kernel, scalar wasm)", 1500,
        20),
    KSIMD(dot16, "the same, wasm built with -msimd128 (i32x4 of i16)", 1500,
          20),
    K64(blend, "u8 alpha blend of 64 KiB images (SIMD kernel, scalar wasm)",
        300, 4),
    KSIMD(blend, "the same, wasm built with -msimd128 (i16x8, narrow)", 300, 4),
};

const size_t bench_nkernels = sizeof bench_kernels / sizeof bench_kernels[0];

uint64_t bench_native_call(const bench_kernel *k, uint32_t n) {
  if (k->bits == 32) return k->fn32(n);
  return k->fn64(n);
}

const bench_kernel *bench_find(const char *name) {
  for (size_t i = 0; i < bench_nkernels; i++)
    if (strcmp(bench_kernels[i].name, name) == 0) return &bench_kernels[i];
  return NULL;
}
