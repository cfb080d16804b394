/* exit_return.c - returning a status from main after buffered output. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("returning %d\n", argc > 1 ? atoi(argv[1]) : 0);
  return argc > 1 ? atoi(argv[1]) : 0;
}
