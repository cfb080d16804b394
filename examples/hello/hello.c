/*
 * hello.c - the first example component: a WASI command (C, wasi-libc)
 * that greets on stdout and lists its arguments and the one environment
 * variable it is granted.  It also exports add(i32, i32) -> i32 for
 * `airssys-wasm run --invoke add examples/hello 2 3`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((export_name("add"))) int32_t add(int32_t a, int32_t b) {
  return a + b;
}

int main(int argc, char **argv) {
  printf("Hello from airssys-wasm!\n");
  for (int i = 1; i < argc; i++)
    printf("arg %d: %s\n", i, argv[i]);
  const char *greeting = getenv("GREETING");
  if (greeting) printf("GREETING=%s\n", greeting);
  return 0;
}
