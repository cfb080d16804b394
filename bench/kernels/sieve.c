/*
 * bench/kernels/sieve.c - sieve of Eratosthenes over odd numbers, one bit
 * per number.
 *
 * Exercises 32-bit loads/stores with shift-and-mask bit addressing,
 * strided loops and popcount-free bit counting.  n = upper bound of the
 * sieve (clamped to SIEVE_MAX).  The checksum combines the prime count
 * and the sum of all primes below n.
 */
#include "kernel.h"

#define SIEVE_MAX (1u << 25)
#define SIEVE_WORDS (SIEVE_MAX / 64u + 1u)

/* bit i of the bitmap stands for the odd number 2i + 1; set = composite */
static uint32_t composite[SIEVE_WORDS];

uint64_t bench_sieve(uint32_t n) {
  if (n > SIEVE_MAX) n = SIEVE_MAX;
  if (n < 3) return 0;
  uint32_t nbits = n / 2u; /* odd numbers 1, 3, ..., below n */
  uint32_t words = nbits / 32u + 1u;
  for (uint32_t w = 0; w < words; w++)
    composite[w] = 0;
  for (uint32_t i = 1; i < nbits; i++) {
    uint32_t p = 2u * i + 1u;
    if ((uint64_t)p * p >= n) break;
    if (composite[i >> 5] & (1u << (i & 31u))) continue;
    for (uint32_t j = (p * p) / 2u; j < nbits; j += p)
      composite[j >> 5] |= 1u << (j & 31u);
  }
  uint32_t count = 1; /* the prime 2 */
  uint64_t sum = 2;
  for (uint32_t i = 1; i < nbits; i++) {
    if (!(composite[i >> 5] & (1u << (i & 31u)))) {
      count++;
      sum += 2u * i + 1u;
    }
  }
  return k_mix64(sum, count);
}
