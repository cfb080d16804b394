/*
 * args.c - test guest: prints its argv and environment, one per line, so
 * tests/cli/run_tests.sh can check what reaches the guest.
 */
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    printf("argv[%d]=%s\n", i, argv[i]);
  for (char **e = environ; e && *e; e++)
    printf("env %s\n", *e);
  return 0;
}
