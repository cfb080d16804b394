/*
 * bench/kernels/sort.c - quicksort of a pseudo-random uint32 array.
 *
 * Exercises recursive calls, data-dependent branches and random-ish memory
 * access: median-of-three quicksort that recurses into the smaller part and
 * loops on the larger, insertion sort for short runs.  n = element count
 * (clamped to SORT_MAX).  The checksum covers every element and its
 * position, and the kernel checks the order itself (a wrong order changes
 * the checksum).
 */
#include "kernel.h"

#define SORT_MAX (1u << 20)
#define SORT_SMALL 16

static uint32_t sort_buf[SORT_MAX];

static void insertion_sort(uint32_t *a, int32_t lo, int32_t hi) {
  for (int32_t i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    int32_t j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap_u32(uint32_t *a, int32_t i, int32_t j) {
  uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(uint32_t *a, int32_t lo, int32_t hi) {
  while (hi - lo >= SORT_SMALL) {
    int32_t mid = lo + (hi - lo) / 2;
    /* Order a[lo] <= a[mid] <= a[hi]; the median becomes the pivot. */
    if (a[mid] < a[lo]) swap_u32(a, mid, lo);
    if (a[hi] < a[lo]) swap_u32(a, hi, lo);
    if (a[hi] < a[mid]) swap_u32(a, hi, mid);
    uint32_t pivot = a[mid];
    int32_t i = lo, j = hi;
    for (;;) {
      while (a[i] < pivot)
        i++;
      while (a[j] > pivot)
        j--;
      if (i >= j) break;
      swap_u32(a, i, j);
      i++;
      j--;
    }
    /* a[lo..j] <= pivot <= a[j+1..hi]: recurse on the smaller side. */
    if (j - lo < hi - j) {
      quicksort(a, lo, j);
      lo = j + 1;
    } else {
      quicksort(a, j + 1, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

uint64_t bench_sort(uint32_t n) {
  if (n > SORT_MAX) n = SORT_MAX;
  if (n == 0) return 0;
  uint32_t seed = 0x2545f491u;
  for (uint32_t i = 0; i < n; i++)
    sort_buf[i] = k_rand(&seed) % (n * 4u + 1u); /* some duplicates */
  quicksort(sort_buf, 0, (int32_t)n - 1);
  uint64_t h = n;
  uint32_t inversions = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (i > 0 && sort_buf[i - 1] > sort_buf[i]) inversions++;
    h = k_mix64(h, (uint64_t)sort_buf[i] * (i + 1u));
  }
  return k_mix64(h, inversions);
}
