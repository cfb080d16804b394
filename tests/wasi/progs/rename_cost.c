/*
 * rename_cost.c - not a test: measures what the link check costs a
 * directory rename (every entry of the moved tree is examined, at most
 * 10,000).  Creates t/a with 9,995 entries (5 of them symlinks) and moves
 * it back and forth 20 times, then a file; with the argument "loop" it
 * moves the directory back and forth until the deadline ends it (the
 * report's elapsed_ms against the limit).  docs/hardening.md quotes it:
 *
 *   clang --target=wasm32-wasi --sysroot=/usr -O2 -c rename_cost.c &&
 *   clang --target=wasm32-wasi --sysroot=/usr rename_cost.o -o rc.wasm &&
 *   mkdir jail && airssys-wasm run --max-memory 16MiB --fuel 50000000000 \
 *     --timeout-ms 60000 --dir jail::. rc.wasm
 *   (or --timeout-ms 1500 --report - ... rc.wasm loop)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void measure(const char *what, const char *a, const char *b) {
  double best = 1e9, worst = 0;
  for (int i = 0; i < 20; i++) {
    double t0 = now_ms();
    if (rename(i % 2 ? b : a, i % 2 ? a : b) != 0) perror("rename");
    double d = now_ms() - t0;
    best = d < best ? d : best;
    worst = d > worst ? d : worst;
  }
  printf("rename of %s: best %.3f ms, worst %.3f ms\n", what, best, worst);
}

int main(int argc, char **argv) {
  char n[64];
  mkdir("t", 0777);
  mkdir("t/a", 0777);
  mkdir("u", 0777);
  for (int i = 0; i < 9990; i++) {
    snprintf(n, sizeof n, "t/a/f%d", i);
    close(open(n, O_CREAT | O_WRONLY, 0666));
  }
  for (int i = 0; i < 5; i++) {
    snprintf(n, sizeof n, "t/a/l%d", i);
    if (symlink("../f", n) != 0) perror("symlink");
  }
  if (argc > 1 && strcmp(argv[1], "loop") == 0)
    for (unsigned i = 0;; i++)
      if (rename(i % 2 ? "u/a" : "t/a", i % 2 ? "t/a" : "u/a") != 0) return 1;
  measure("a 9,995-entry directory", "t/a", "u/a");
  close(open("file", O_CREAT | O_WRONLY, 0666));
  measure("a file", "file", "file2");
  return 0;
}
