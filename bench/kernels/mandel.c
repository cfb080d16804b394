/*
 * bench/kernels/mandel.c - Mandelbrot set escape times on an n x n grid.
 *
 * Exercises f64 multiply/add/compare in a data-dependent loop (up to 256
 * iterations per point) and int<->float conversions.  n = grid side.  The
 * checksum folds the iteration count of each point and the exact bits of
 * the point's final z.
 */
#include "kernel.h"

#define MANDEL_ITER 256

uint64_t bench_mandel(uint32_t n) {
  if (n == 0) return 0;
  const double x0 = -2.2, y0 = -1.25, span = 2.5;
  const double step = span / (double)n;
  uint64_t h = n;
  uint32_t total = 0;
  for (uint32_t py = 0; py < n; py++) {
    double ci = y0 + step * (double)py;
    uint64_t row = 0;
    for (uint32_t px = 0; px < n; px++) {
      double cr = x0 + step * (double)px;
      double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
      int it = 0;
      while (it < MANDEL_ITER && zr2 + zi2 <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        it++;
      }
      total += (uint32_t)it;
      row = row * 31u + (uint64_t)it + (k_f64_bits(zr + zi) >> 40);
    }
    h = k_mix64(h, row);
  }
  return k_mix64(h, total);
}
