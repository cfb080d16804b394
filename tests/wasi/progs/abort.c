/*
 * abort.c - abort() after flushed output: natively SIGABRT, in wasm a trap
 * (wasi-libc's abort is `unreachable`).  Output not flushed is lost in both.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("before abort\n");
  fflush(stdout);
  printf("lost: never flushed\n");
  abort();
}
