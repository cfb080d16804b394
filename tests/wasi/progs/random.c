/*
 * random.c - randomness from the host: getentropy and arc4random_buf fill
 * their buffers (not left zero), two draws differ, every byte value bit is
 * seen; prints only those deterministic properties.
 */
#define _GNU_SOURCE
#include "common.h"
#include <stdint.h>
#include <unistd.h>

static int nonzero(const unsigned char *b, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += b[i] != 0;
  return k > n / 2;
}

int main(void) {
  unsigned char a[256], b[256];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  printf("getentropy 256: %d\n", getentropy(a, sizeof a));
  printf("getentropy 256 again: %d\n", getentropy(b, sizeof b));
  printf("mostly non-zero: %d %d\n", nonzero(a, sizeof a),
         nonzero(b, sizeof b));
  printf("two draws differ: %d\n", memcmp(a, b, sizeof a) != 0);
  printf("getentropy 0: %d\n", getentropy(a, 0));
  static unsigned char big[100000]; /* not on wasm's 64 KiB stack */
  memset(big, 0, sizeof big);
  arc4random_buf(big, sizeof big);
  unsigned bits_or = 0, bits_and = 0xff;
  for (size_t i = 0; i < sizeof big; i++) {
    bits_or |= big[i];
    bits_and &= big[i];
  }
  printf("arc4random_buf 100000: every bit set somewhere %d, clear somewhere "
         "%d, mostly non-zero %d\n",
         bits_or == 0xff, bits_and == 0, nonzero(big, sizeof big));
  uint32_t u = arc4random_uniform(10);
  printf("arc4random_uniform(10) < 10: %d\n", u < 10);
  int differ = 0;
  uint32_t first = arc4random();
  for (int i = 0; i < 10; i++)
    if (arc4random() != first) differ = 1;
  printf("arc4random varies: %d\n", differ);
  return 0;
}
