/*
 * stdio.c - formatted output (integers, floats, strings, widths), puts,
 * binary fwrite of every byte value, stderr, and a large output that
 * fills the pipe many times.
 */
#include "common.h"
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

int main(int argc, char **argv) {
  (void)argv;
  printf("ints: %d %i %u %x %X %o %5d|%-5d|%05d %+d % d\n", -42, 42, 42u,
         0xbeefu, 0xbeefu, 8u, 7, 7, 7, 7, 7);
  printf("limits: %d %d %u %lld %lld %llu\n", INT_MIN, INT_MAX, UINT_MAX,
         LLONG_MIN, LLONG_MAX, ULLONG_MAX);
  printf("sized: %hhd %hd %ld %zu %jd %" PRId64 " %" PRIx64 "\n", (char)-1,
         (short)-300, -123456L, (size_t)12345, (intmax_t)-9,
         (int64_t)-1234567890123LL, (uint64_t)0xdeadbeefcafeULL);
  printf("chars: %c%c%c %s|%10s|%-10s|%.3s|%%\n", 'a', 'b', 'c', "str", "right",
         "left", "truncate");
  printf("alt: %#x %#o %#.3g\n", 255u, 8u, 1.0);
  const double ds[] = {
      0.0,       -0.0,   1.0,        -1.5,       0.1,
      1.0 / 3.0, 1e-9,   123456.789, 1e22,       1e300,
      2.5e-308,  5e-324, M_PI,       1e15 + 0.3, 65536.0 * 65536.0 * 1.5};
  for (size_t i = 0; i < sizeof ds / sizeof *ds; i++)
    printf("double: %f %.3f %e %.10E %g %.17g\n", ds[i], ds[i], ds[i], ds[i],
           ds[i], ds[i]);
  /* %a of normal numbers only: glibc and musl write subnormals differently
     (0x0.0000000000001p-1022 vs 0x1p-1074), both correct. */
  for (size_t i = 0; i < sizeof ds / sizeof *ds; i++)
    if (fpclassify(ds[i]) != FP_SUBNORMAL) printf("hex: %a\n", ds[i]);
  printf("special: %f %f %f %e %g\n", INFINITY, -INFINITY, NAN, INFINITY, -NAN);
  printf("rounding: %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, 0.25, 1.005);
  printf("float: %f %g\n", (double)1.1f, (double)3.4028235e38f);
  printf("big: %.0f\n", 1e300);
  printf("math: %.17g %.17g %.17g %.17g %.17g %.17g\n", sqrt(2.0), sin(1.0),
         exp(1.0), log(10.0), pow(2.0, 0.5), atan2(1.0, 2.0));
  char buf[64];
  const char *src = argc > 99 ? "" : "0123456789abc";
  int n = snprintf(buf, 8, "%s", src);
  printf("snprintf: %d '%s'\n", n, buf);
  long l = strtol("  -0x1fZ", NULL, 16);
  double d = strtod("6.02214076e23", NULL);
  printf("strto: %ld %.17g\n", l, d);
  puts("puts line");
  fputs("fputs line\n", stdout);
  putchar('!');
  putchar('\n');
  fflush(stdout);
  unsigned char bin[256];
  for (int i = 0; i < 256; i++)
    bin[i] = (unsigned char)i;
  size_t w = fwrite(bin, 1, sizeof bin, stdout);
  printf("\nfwrite: %zu\n", w);
  fprintf(stderr, "to stderr: %d\n", 12345);
  /* 300 KiB in lines: the pipe fills and the writer must wait. */
  unsigned long sum = 0;
  for (int i = 0; i < 10000; i++) {
    int k = printf("line %05d %s\n", i, "abcdefghijklmnopqrstuvwxyz");
    sum += (unsigned long)k;
  }
  printf("bytes: %lu\n", sum);
  return 0;
}
