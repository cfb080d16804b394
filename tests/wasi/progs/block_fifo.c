/*
 * block_fifo.c - a FIFO planted in the granted directory: opening it for
 * writing with no reader fails at once (ENXIO) instead of blocking the
 * host, opening it for reading succeeds, and reading then waits for a
 * writer that never comes: the wall-clock timeout must end the run.
 * Expected: block_fifo.expected, exit status 124 (timeout).
 */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

int main(void) {
  int fd = open("fifo", O_WRONLY);
  printf("open fifo for writing: %s\n", fd >= 0 ? "OK" : errname(errno));
  fd = open("fifo", O_RDONLY);
  printf("open fifo for reading: %s\n", fd >= 0 ? "OK" : errname(errno));
  fflush(stdout);
  char b[16];
  ssize_t n = read(fd, b, sizeof b);
  printf("read returned %zd: the timeout did not stop it\n", n);
  return 0;
}
