/*
 * file-writer.c - an example component that writes files in the directory
 * it is granted (/out, read-write), reads one back and lists the
 * directory.  Each argument becomes one line of /out/lines.txt.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "file-writer: cannot create %s: %s\n", path,
            strerror(errno));
    return -1;
  }
  fputs(text, f);
  if (fclose(f) != 0) {
    fprintf(stderr, "file-writer: cannot write %s: %s\n", path,
            strerror(errno));
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (write_file("/out/greeting.txt", "written by file-writer\n") != 0)
    return 1;
  FILE *f = fopen("/out/lines.txt", "w");
  if (!f) {
    fprintf(stderr, "file-writer: cannot create /out/lines.txt: %s\n",
            strerror(errno));
    return 1;
  }
  for (int i = 1; i < argc; i++)
    fprintf(f, "%s\n", argv[i]);
  if (fclose(f) != 0) return 1;

  char buf[128];
  f = fopen("/out/greeting.txt", "r");
  if (!f || !fgets(buf, sizeof buf, f)) {
    fprintf(stderr, "file-writer: cannot read /out/greeting.txt back\n");
    return 1;
  }
  fclose(f);
  printf("read back: %s", buf);

  DIR *d = opendir("/out");
  if (!d) {
    fprintf(stderr, "file-writer: cannot list /out: %s\n", strerror(errno));
    return 1;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') printf("/out/%s\n", e->d_name);
  closedir(d);
  return 0;
}
