/*
 * exit_call.c - exit(n) deep inside calls flushes stdio and runs atexit
 * handlers in reverse order; _Exit(n) does neither (buffered output to a
 * pipe is lost in both builds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void h1(void) {
  printf("atexit 1\n");
}
static void h2(void) {
  printf("atexit 2\n");
}

static int depth_reached;

static void deep(int n, int status, int quick) {
  depth_reached++;
  if (n > 0) {
    deep(n - 1, status, quick);
    printf("not reached\n");
    return;
  }
  printf("leaving with %d at depth %d (buffered)\n", status, depth_reached);
  /* Through a pointer: gcc would otherwise see endless recursion. */
  void (*volatile leave)(int) = quick ? _Exit : exit;
  leave(status);
}

int main(int argc, char **argv) {
  atexit(h1);
  atexit(h2);
  int quick = argc > 1 && !strcmp(argv[1], "quick");
  printf("unflushed line\n");
  if (quick) {
    printf("flushed line\n");
    fflush(stdout);
  }
  deep(50, argc > 2 ? atoi(argv[2]) : 42, quick);
  return 0;
}
