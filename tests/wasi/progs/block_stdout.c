/*
 * block_stdout.c - 8 MiB to a stdout pipe whose reader does not read:
 * the guest blocks, and the wall-clock timeout must still end the run
 * (the host never sits inside a write the timeout cannot interrupt).
 * Exit status 124 (timeout) expected; stdout is not checked.
 */
#include <stdio.h>
#include <string.h>

static char buf[1 << 20];

int main(void) {
  memset(buf, 'x', sizeof buf);
  for (int i = 0; i < 8; i++)
    fwrite(buf, 1, sizeof buf, stdout);
  return 0;
}
