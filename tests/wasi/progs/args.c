/*
 * args.c - argc and argv (argv[0] is skipped: the native program and the
 * wasm module are named differently).
 */
#include "common.h"

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++)
    printf("argv[%d] %zu '%s'\n", i, strlen(argv[i]), argv[i]);
  printf("argv[argc] %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
  return 0;
}
