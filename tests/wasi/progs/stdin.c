/*
 * stdin.c - reading standard input (a pipe): lines with fgets, then the
 * rest with fread, then EOF; prints counts and a checksum.
 */
#include "common.h"

int main(void) {
  char line[128];
  for (int i = 0; i < 3; i++) {
    if (!fgets(line, sizeof line, stdin)) {
      printf("fgets %d: EOF\n", i);
      break;
    }
    printf("line %d: %zu bytes: %s", i, strlen(line), line);
  }
  unsigned long long total = 0, sum = 0;
  unsigned char buf[1000];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    for (size_t i = 0; i < n; i++)
      sum = (sum * 31 + buf[i]) % 1000000007ull;
    total += n;
  }
  printf("rest: %llu bytes, checksum %llu, eof %d, error %d\n", total, sum,
         feof(stdin) != 0, ferror(stdin) != 0);
  int c = getchar();
  printf("after eof: %d\n", c);
  return 0;
}
