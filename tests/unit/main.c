/*
 * main.c - runs the registered unit tests (optionally only those whose
 * name contains argv[1]) and prints "N passed, N failed".
 */
#include "test.h"
#include <stdlib.h>

typedef struct {
  const char *name, *file;
  test_fn fn;
} test_case;

static test_case tests[1024];
static int ntests;

void test_register(const char *name, const char *file, test_fn fn) {
  if (ntests < (int)(sizeof tests / sizeof tests[0]))
    tests[ntests++] = (test_case){name, file, fn};
}

int main(int argc, char **argv) {
  int passed = 0, failed = 0;
  for (int i = 0; i < ntests; i++) {
    if (argc > 1 && !strstr(tests[i].name, argv[1])) continue;
    int f = 0;
    tests[i].fn(&f);
    if (f) {
      failed++;
      printf("FAIL %s (%s)\n", tests[i].name, tests[i].file);
    } else {
      passed++;
      printf("ok   %s\n", tests[i].name);
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
