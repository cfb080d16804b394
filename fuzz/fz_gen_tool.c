/*
 * fz_gen_tool.c - writes the module fz_gen_module builds from a fuzz input
 * file: `fz_gen_tool INPUT OUT.wasm`, to inspect a fuzz_gen finding with
 * wasm2wat or replay it with the CLI.
 */
#include "fz_gen.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: fz_gen_tool INPUT OUT.wasm\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  static uint8_t buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  size_t len = 0;
  uint8_t *wasm = fz_gen_module(buf, n, &len);
  if (!wasm) return 1;
  FILE *o = fopen(argv[2], "wb");
  if (!o || fwrite(wasm, 1, len, o) != len || fclose(o) != 0) {
    perror(argv[2]);
    free(wasm);
    return 1;
  }
  free(wasm);
  return 0;
}
