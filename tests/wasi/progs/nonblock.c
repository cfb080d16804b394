/*
 * nonblock.c - O_NONBLOCK on stdin and stdout as the guest sees it: set,
 * read back, a read with no data fails with EAGAIN at once, poll times
 * out.  The driver feeds stdin from a FIFO it holds open (so the read
 * would otherwise block forever), and checks afterwards that its own
 * stdin and stdout descriptions were not made non-blocking: the runtime
 * emulates the flag instead of changing the embedder's files.
 * Expected: nonblock.expected.
 */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

int main(void) {
  int fl = fcntl(0, F_GETFL);
  printf("stdin nonblock at start: %d\n", (fl & O_NONBLOCK) != 0);
  TRY("set stdin O_NONBLOCK", fcntl(0, F_SETFL, fl | O_NONBLOCK));
  printf("stdin nonblock now: %d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
  char b[16];
  TRY("read empty stdin", read(0, b, sizeof b));
  struct pollfd p = {0, POLLIN, 0};
  printf("poll stdin 50 ms: %d\n", poll(&p, 1, 50));
  TRY("set stdout O_NONBLOCK",
      fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK));
  printf("stdout nonblock now: %d\n", (fcntl(1, F_GETFL) & O_NONBLOCK) != 0);
  fflush(stdout);
  TRY("clear stdin O_NONBLOCK", fcntl(0, F_SETFL, fl));
  printf("stdin nonblock cleared: %d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) == 0);
  TRY("set it again and leave it set", fcntl(0, F_SETFL, fl | O_NONBLOCK));
  return 0;
}
