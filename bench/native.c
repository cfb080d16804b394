/*
 * bench/native.c - aw-bench-native: runs the kernels natively only (no
 * engine), printing "name n checksum milliseconds" per kernel.  Used by
 * check.sh to get reference checksums for the wasm builds, and to size
 * the kernels.
 *
 *   aw-bench-native [--small | --n N] [kernel...]
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void run_one(const bench_kernel *k, int small, long n_override) {
  uint32_t n = small ? k->n_small : k->n_default;
  if (n_override >= 0) n = (uint32_t)n_override;
  double t0 = now_ms();
  uint64_t r = bench_native_call(k, n);
  double t1 = now_ms();
  printf("%s %" PRIu32 " %" PRIu64 " %.3f\n", k->name, n, r, t1 - t0);
}

int main(int argc, char **argv) {
  int small = 0;
  long n_override = -1;
  int first_name = argc;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--small") == 0) {
      small = 1;
    } else if (strcmp(argv[i], "--n") == 0 && i + 1 < argc) {
      char *end;
      n_override = strtol(argv[++i], &end, 10);
      if (*end || n_override < 0 || n_override > (long)UINT32_MAX) {
        fprintf(stderr, "aw-bench-native: bad --n value '%s'\n", argv[i]);
        return 2;
      }
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: aw-bench-native [--small | --n N] [kernel...]\n");
      return 2;
    } else {
      first_name = i;
      break;
    }
  }
  if (first_name == argc) {
    for (size_t i = 0; i < bench_nkernels; i++)
      run_one(&bench_kernels[i], small, n_override);
    return 0;
  }
  for (int i = first_name; i < argc; i++) {
    const bench_kernel *k = bench_find(argv[i]);
    if (!k) {
      fprintf(stderr, "aw-bench-native: no kernel named '%s'\n", argv[i]);
      return 2;
    }
    run_one(k, small, n_override);
  }
  return 0;
}
