/*
 * tty.c - run on a terminal (the driver uses script(1) for a pty): which
 * of stdin/stdout/stderr are terminals, and stdout is line-buffered there
 * (its lines interleave with unbuffered stderr in program order).
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("isatty: stdin %d stdout %d stderr %d\n", isatty(0), isatty(1),
         isatty(2));
  printf("line 1 to stdout\n");
  fprintf(stderr, "line 2 to stderr\n");
  printf("line 3 to stdout\n");
  fprintf(stderr, "line 4 to stderr\n");
  return 0;
}
