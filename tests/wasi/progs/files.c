/*
 * files.c - stdio on files (fopen modes, fwrite/fread, fseek/ftell,
 * fgets, append mode) and open(2) flags (O_CREAT, O_EXCL, O_TRUNC,
 * O_APPEND), stat/fstat sizes and types.  Works in the current
 * directory, which holds input.txt (from the test's scratch directory).
 */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

static void cat(const char *p) {
  FILE *f = fopen(p, "rb");
  if (!f) {
    printf("cat %s: %s\n", p, errname(errno));
    return;
  }
  char buf[256];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  printf("cat %s (%zu): [%s]\n", p, n, buf);
  fclose(f);
}

static long size_of(const char *p) {
  struct stat st;
  if (stat(p, &st) != 0) return -1;
  return (long)st.st_size;
}

int main(void) {
  /* Read a file provided by the test. */
  FILE *f = fopen("input.txt", "r");
  char line[128];
  int lines = 0;
  while (f && fgets(line, sizeof line, f))
    printf("input %d: %s", ++lines, line);
  if (f) fclose(f);

  /* Write, seek, tell, read back. */
  f = fopen("out.bin", "w+b");
  if (!f) {
    printf("fopen out.bin: %s\n", errname(errno));
    return 1;
  }
  for (int i = 0; i < 1000; i++)
    fprintf(f, "%03d,", i);
  printf("ftell after write: %ld\n", ftell(f));
  fseek(f, 400, SEEK_SET);
  char b[9] = {0};
  size_t got0 = fread(b, 1, 8, f);
  printf("fread at 400: %zu '%s'\n", got0, b);
  printf("ftell: %ld\n", ftell(f));
  fseek(f, -8, SEEK_END);
  size_t got = fread(b, 1, 8, f);
  printf("fread at end-8: %zu '%s' feof %d\n", got, b, feof(f) != 0);
  got = fread(b, 1, 8, f);
  printf("fread at eof: %zu feof %d\n", got, feof(f) != 0);
  fseek(f, 4, SEEK_SET);
  fputs("XXX", f);
  rewind(f);
  memset(b, 0, sizeof b);
  got = fread(b, 1, 8, f);
  printf("after overwrite: %zu '%s'\n", got, b);
  fclose(f);
  printf("size out.bin: %ld\n", size_of("out.bin"));

  /* Append mode. */
  f = fopen("log.txt", "a");
  fputs("one\n", f);
  fclose(f);
  f = fopen("log.txt", "a+");
  fputs("two\n", f);
  rewind(f);
  printf("a+ read first: %s", fgets(line, sizeof line, f));
  fclose(f);
  cat("log.txt");

  /* open(2) flags. */
  int fd = open("new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  printf("open O_CREAT|O_EXCL new: %s\n", fd >= 0 ? "OK" : errname(errno));
  printf("write: %zd\n", write(fd, "hello world", 11));
  close(fd);
  fd = open("new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  printf("open O_CREAT|O_EXCL again: %s\n", fd >= 0 ? "OK" : errname(errno));
  fd = open("new.txt", O_WRONLY | O_APPEND);
  printf("lseek before append: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("write append: %zd\n", write(fd, "!!", 2));
  printf("lseek after append: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  close(fd);
  cat("new.txt");
  fd = open("new.txt", O_RDWR | O_TRUNC);
  struct stat st;
  fstat(fd, &st);
  printf("O_TRUNC: fstat size %lld type %s\n", (long long)st.st_size,
         type_name(st.st_mode));
  printf("write: %zd\n", write(fd, "abc", 3));
  fstat(fd, &st);
  printf("fstat size %lld\n", (long long)st.st_size);
  lseek(fd, 0, SEEK_SET);
  char rb[16] = {0};
  printf("read: %zd '%s'\n", read(fd, rb, sizeof rb - 1), rb);
  printf("read at eof: %zd\n", read(fd, rb, sizeof rb));
  close(fd);
  fd = open("new.txt", O_RDONLY | O_CREAT, 0644);
  printf("O_CREAT on existing: %s size %ld\n", fd >= 0 ? "OK" : errname(errno),
         size_of("new.txt"));
  close(fd);
  fd = open("fresh.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
  printf("O_CREAT|O_TRUNC fresh: %s size %ld\n",
         fd >= 0 ? "OK" : errname(errno), size_of("fresh.txt"));
  close(fd);

  /* stat types. */
  const char *names[] = {"input.txt",       ".",      "sub", "sub/",
                         "sub/nested.txt/", "missing"};
  for (int i = 0; i < 6; i++) {
    if (stat(names[i], &st) == 0)
      printf("stat %s: %s%s\n", names[i], type_name(st.st_mode),
             S_ISREG(st.st_mode) ? "" : "");
    else
      printf("stat %s: %s\n", names[i], errname(errno));
  }
  stat("input.txt", &st);
  printf("input.txt size %lld nlink %lld\n", (long long)st.st_size,
         (long long)st.st_nlink);

  /* A bigger file, written and read in odd-sized chunks. */
  f = fopen("big.dat", "wb");
  unsigned long long sum = 0;
  for (long i = 0; i < 1 << 20; i++) {
    unsigned char c = (unsigned char)(i * 7 + (i >> 9));
    fputc(c, f);
  }
  fclose(f);
  fd = open("big.dat", O_RDONLY);
  unsigned char chunk[4099];
  ssize_t n;
  long total = 0;
  while ((n = read(fd, chunk, sizeof chunk)) > 0) {
    for (ssize_t i = 0; i < n; i++)
      sum = (sum * 131 + chunk[i]) % 4294967291ull;
    total += n;
  }
  close(fd);
  printf("big.dat: %ld bytes, checksum %llu\n", total, sum);
  unlink("big.dat");
  return 0;
}
