/*
 * bench/kernels/kernel.h - shared helpers and prototypes of the benchmark
 * kernels.
 *
 * Every kernel is a freestanding C file (no libc) exporting
 * `bench_<name>(uint32_t n)` that returns a deterministic checksum.  The
 * same source is compiled natively (gcc -O2, linked into aw-bench) and to
 * wasm32 (clang -O2, one module per kernel), so everything here must give
 * bit-identical results on both: fixed-width integer types only (long and
 * pointers differ in size), IEEE double arithmetic without contraction, and
 * no reliance on the memory layout.
 */
#ifndef AW_BENCH_KERNEL_H
#define AW_BENCH_KERNEL_H

#include <stdint.h>

/* xorshift32 step (Marsaglia's shift triple 13/17/5); never returns 0 when
 * seeded with a non-zero state. */
static inline uint32_t k_rand(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

static inline uint32_t k_rotl32(uint32_t x, unsigned r) {
  return (x << (r & 31)) | (x >> ((32 - r) & 31));
}

static inline uint32_t k_rotr32(uint32_t x, unsigned r) {
  return (x >> (r & 31)) | (x << ((32 - r) & 31));
}

/* Folds @p v into the running checksum @p h (multiply-xorshift). */
static inline uint64_t k_mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

/* The bit pattern of a double, so float results are compared exactly. */
static inline uint64_t k_f64_bits(double d) {
  uint64_t u;
  __builtin_memcpy(&u, &d, sizeof u);
  return u;
}

/* A double in [-0.5, 0.5) with 24 random bits. */
static inline double k_rand_f64(uint32_t *state) {
  return (double)(k_rand(state) >> 8) * (1.0 / 16777216.0) - 0.5;
}

/* The kernels.  n scales the work; see bench/registry.c for the defaults. */
uint64_t bench_sort(uint32_t n);
uint32_t bench_hash(uint32_t n);
uint32_t bench_crc32(uint32_t n);
uint64_t bench_matmul(uint32_t n);
uint64_t bench_vm(uint32_t n);
uint64_t bench_strsearch(uint32_t n);
uint64_t bench_mandel(uint32_t n);
uint64_t bench_nbody(uint32_t n);
uint64_t bench_fib(uint32_t n);
uint64_t bench_sieve(uint32_t n);
/* SIMD kernels (bench/build.sh builds their wasm with and without
   -msimd128; bench_<k>_simd is the -msimd128 build's export). */
uint64_t bench_saxpy(uint32_t n);
uint64_t bench_dot16(uint32_t n);
uint64_t bench_blend(uint32_t n);

#endif /* AW_BENCH_KERNEL_H */
