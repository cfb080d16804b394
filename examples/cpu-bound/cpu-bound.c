/*
 * cpu-bound.c - an example component that computes far longer than its
 * fuel budget allows (Collatz trajectories of ever larger numbers): the
 * run ends with outcome out_of_fuel, deterministically.
 */
#include <stdint.h>
#include <stdio.h>

int main(void) {
  uint64_t longest = 0, total = 0;
  for (uint64_t n = 1; n < UINT64_C(1) << 40; n++) {
    uint64_t x = n, steps = 0;
    while (x != 1) {
      x = (x & 1) ? 3 * x + 1 : x / 2;
      steps++;
    }
    total += steps;
    if (steps > longest) longest = steps;
  }
  /* Never reached under the manifest's budget. */
  printf("longest %llu, total %llu\n", (unsigned long long)longest,
         (unsigned long long)total);
  return 0;
}
