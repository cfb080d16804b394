/*
 * env.c - getenv, the whole environ (sorted by the program), setenv,
 * unsetenv.  Both runs get exactly the same environment.
 */
#define _GNU_SOURCE
#include "common.h"
#include <unistd.h>

extern char **environ;

static void show(const char *k) {
  const char *v = getenv(k);
  printf("getenv %s: %s%s%s\n", k, v ? "'" : "", v ? v : "(null)",
         v ? "'" : "");
}

int main(void) {
  show("HOME");
  show("EMPTY");
  show("WITH_EQ");
  show("MISSING");
  char *list[256];
  int n = 0;
  for (char **e = environ; *e && n < 256; e++)
    list[n++] = *e;
  qsort(list, (size_t)n, sizeof *list, cmp_str);
  printf("environ: %d\n", n);
  for (int i = 0; i < n; i++)
    printf("  %s\n", list[i]);
  setenv("NEWVAR", "new", 0);
  setenv("HOME", "/elsewhere", 1);
  unsetenv("EMPTY");
  show("NEWVAR");
  show("HOME");
  show("EMPTY");
  return 0;
}
