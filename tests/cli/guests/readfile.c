/*
 * readfile.c - test guest: prints the file named by argv[1] (a path the
 * guest sees through a granted directory), then tries to create argv[2]
 * if given; exit status 0, 1 if the read fails, 4 if the create fails.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    printf("cannot open %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  char buf[256];
  while (fgets(buf, sizeof buf, f))
    fputs(buf, stdout);
  fclose(f);
  if (argc > 2) {
    FILE *g = fopen(argv[2], "w");
    if (!g) {
      printf("cannot create %s: %s\n", argv[2], strerror(errno));
      return 4;
    }
    fputs("created\n", g);
    fclose(g);
  }
  return 0;
}
