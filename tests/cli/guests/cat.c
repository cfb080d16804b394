/*
 * cat.c - test guest: copies stdin to stdout byte for byte (read/write,
 * no stdio buffering), then writes "done" to stderr.
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) return 2;
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      if (w <= 0) return 3;
      off += w;
    }
  }
  fputs("done\n", stderr);
  return 0;
}
