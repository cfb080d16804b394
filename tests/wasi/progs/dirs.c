/*
 * dirs.c - directories: mkdir/rmdir, nested trees, opendir/readdir (sorted
 * by the program: the order readdir returns differs by file system),
 * rewinddir, telldir/seekdir, a directory with many long names (several
 * fd_readdir buffers), rename of files and directories, unlink, chdir and
 * getcwd, and the errors of each (ENOENT, EEXIST, ENOTEMPTY, ENOTDIR).
 */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

static void touch(const char *p, const char *text) {
  FILE *f = fopen(p, "w");
  if (!f) {
    printf("touch %s: %s\n", p, errname(errno));
    return;
  }
  fputs(text, f);
  fclose(f);
}

int main(void) {
  TRY("mkdir d", mkdir("d", 0755));
  TRY("mkdir d again", mkdir("d", 0755));
  TRY("mkdir d/e/f (no parent)", mkdir("d/e/f", 0755));
  TRY("mkdir d/e", mkdir("d/e", 0755));
  TRY("mkdir d/e/f", mkdir("d/e/f", 0755));
  TRY("mkdir d/e/f/ (trailing slash)", mkdir("d/e/f/", 0755));
  TRY("mkdir d/e/g/", mkdir("d/e/g/", 0755));
  touch("d/a.txt", "alpha");
  touch("d/b.txt", "beta!");
  touch("d/e/f/deep.txt", "deep");
  TRY("mkdir d/a.txt/x (not a dir)", mkdir("d/a.txt/x", 0755));
  list_dir("d");
  list_dir("d/e");
  list_dir("./d/e/../e/f");
  list_dir("d/a.txt");
  list_dir("nonexistent");

  /* readdir including "." and "..", rewinddir, telldir/seekdir. */
  DIR *dp = opendir("d");
  int count = 0, dots = 0;
  struct dirent *e;
  while ((e = readdir(dp))) {
    count++;
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) dots++;
  }
  printf("readdir d: %d entries, %d dots\n", count, dots);
  rewinddir(dp);
  int again = 0;
  while (readdir(dp))
    again++;
  printf("after rewinddir: %d entries\n", again);
  rewinddir(dp);
  readdir(dp);
  long pos = telldir(dp);
  e = readdir(dp);
  char second[256];
  snprintf(second, sizeof second, "%s", e ? e->d_name : "(none)");
  readdir(dp);
  readdir(dp);
  seekdir(dp, pos);
  e = readdir(dp);
  printf("seekdir back gives the same entry: %d\n",
         e && !strcmp(e->d_name, second));
  closedir(dp);

  /* Many entries with long names: the listing spans many buffers. */
  TRY("mkdir many", mkdir("many", 0755));
  for (int i = 0; i < 300; i++) {
    char p[300];
    int k = snprintf(p, sizeof p, "many/%03d_", i);
    int len = 5 + (i * 37) % 240;
    for (int j = k; j < len + 5 && j < 260; j++)
      p[j] = (char)('a' + (i + j) % 26);
    p[len + 5 < 260 ? len + 5 : 260] = 0;
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) printf("create %s: %s\n", p, errname(errno));
    close(fd);
  }
  dp = opendir("many");
  unsigned long long h = 0;
  int n = 0;
  char **names = calloc(400, sizeof *names);
  while ((e = readdir(dp)) && n < 400)
    if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
  closedir(dp);
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  for (int i = 0; i < n; i++) {
    for (const char *c = names[i]; *c; c++)
      h = (h * 33 + (unsigned char)*c) % 1000000007ull;
    free(names[i]);
  }
  free(names);
  printf("many: %d names, hash %llu\n", n, h);

  /* rename. */
  TRY("rename file", rename("d/a.txt", "d/e/moved.txt"));
  TRY("rename missing", rename("d/nope", "d/x"));
  TRY("rename over existing file", rename("d/b.txt", "d/e/moved.txt"));
  TRY("rename dir", rename("d/e/g", "d/g2"));
  TRY("rename dir onto non-empty dir", rename("d/g2", "d/e"));
  TRY("rename dir into itself", rename("d/e", "d/e/f/inner"));
  TRY("rename file onto dir", rename("d/e/moved.txt", "d/g2"));
  list_dir("d");
  list_dir("d/e");

  /* chdir: relative paths follow the current directory.  The way back is
     the saved getcwd() (its text differs: wasm's is "/"), not "../..":
     wasi-libc keeps ".." in its emulated cwd string, so once d/e is
     removed, every relative path would go through the missing d/e. */
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd)) printf("getcwd: %s\n", errname(errno));
  TRY("chdir d/e", chdir("d/e"));
  FILE *f = fopen("moved.txt", "r");
  char text[16] = {0};
  if (f) {
    fgets(text, sizeof text, f);
    fclose(f);
  }
  printf("moved.txt via cwd: '%s'\n", text);
  TRY("chdir ../../d", chdir("../../d"));
  printf("b.txt via ../../d: %s\n",
         access("b.txt", F_OK) == 0 ? "visible" : errname(errno));
  TRY("chdir back", chdir(cwd));
  printf("back: input.txt %s\n",
         access("input.txt", F_OK) == 0 ? "visible" : errname(errno));

  /* unlink and rmdir. */
  TRY("rmdir non-empty", rmdir("d/e"));
  TRY("unlink dir", unlink("d/e"));
  TRY("rmdir file", rmdir("d/e/moved.txt"));
  TRY("unlink file", unlink("d/e/moved.txt"));
  TRY("unlink again", unlink("d/e/moved.txt"));
  TRY("unlink deep", unlink("d/e/f/deep.txt"));
  TRY("rmdir d/e/f", rmdir("d/e/f"));
  TRY("rmdir d/e", rmdir("d/e"));
  TRY("rmdir d/g2", rmdir("d/g2"));
  TRY("rmdir d/e again", rmdir("d/e"));
  list_dir("d");
  list_dir(".");
  return 0;
}
