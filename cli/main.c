/*
 * main.c - the airssys-wasm command-line tool: dispatches subcommands.
 */
#include "airssys/wasm.h"
#include <stdio.h>

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  printf("airssys-wasm %s\n", AW_VERSION);
  return 0;
}
