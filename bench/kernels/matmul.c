/*
 * bench/kernels/matmul.c - dense double-precision matrix multiply C = A*B.
 *
 * Exercises f64 multiply/add, 2-D indexing and streaming loads/stores in
 * an i-k-j loop nest.  n = matrix order (clamped to MAT_MAX).  The checksum
 * hashes the exact bit pattern of every element of C, so any difference
 * in rounding shows.
 */
#include "kernel.h"

#define MAT_MAX 400u

static double mat_a[MAT_MAX * MAT_MAX];
static double mat_b[MAT_MAX * MAT_MAX];
static double mat_c[MAT_MAX * MAT_MAX];

uint64_t bench_matmul(uint32_t n) {
  if (n > MAT_MAX) n = MAT_MAX;
  uint32_t seed = 0x3c6ef372u;
  for (uint32_t i = 0; i < n * n; i++) {
    mat_a[i] = k_rand_f64(&seed);
    mat_b[i] = k_rand_f64(&seed);
    mat_c[i] = 0.0;
  }
  for (uint32_t i = 0; i < n; i++) {
    double *crow = mat_c + i * n;
    for (uint32_t k = 0; k < n; k++) {
      double aik = mat_a[i * n + k];
      const double *brow = mat_b + k * n;
      for (uint32_t j = 0; j < n; j++)
        crow[j] += aik * brow[j];
    }
  }
  uint64_t h = n;
  for (uint32_t i = 0; i < n * n; i++)
    h = k_mix64(h, k_f64_bits(mat_c[i]));
  return h;
}
