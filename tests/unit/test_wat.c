/* test_wat.c - helpers shared by the unit tests (no tests of its own). */
#include "test.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Compiles WebAssembly text to a binary with wabt's wat2wasm in a fresh
   temporary directory. Returns a malloc'd buffer or NULL. */
uint8_t *test_wat2bin(const char *text, size_t *len) {
  char dir[] = "/tmp/aw-unit-wat-XXXXXX";
  if (!mkdtemp(dir)) return NULL;
  char in[64], out[64], cmd[256];
  snprintf(in, sizeof in, "%s/m.wat", dir);
  snprintf(out, sizeof out, "%s/m.wasm", dir);
  uint8_t *buf = NULL;
  FILE *f = fopen(in, "w");
  if (f) {
    fputs(text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "wat2wasm %s -o %s", in, out);
    if (system(cmd) == 0 && (f = fopen(out, "rb"))) {
      fseek(f, 0, SEEK_END);
      long n = ftell(f);
      fseek(f, 0, SEEK_SET);
      buf = malloc(n > 0 ? (size_t)n : 1);
      if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
      }
      *len = (size_t)n;
      fclose(f);
    }
  }
  unlink(in);
  unlink(out);
  rmdir(dir);
  return buf;
}
