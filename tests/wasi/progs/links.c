/*
 * links.c - symbolic and hard links inside the directory: symlink,
 * readlink, lstat vs stat, following links to files and directories,
 * relative targets with "..", dangling links, link loops (ELOOP), hard
 * links and their link count.
 */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

static void show_link(const char *p) {
  char buf[256];
  ssize_t n = readlink(p, buf, sizeof buf - 1);
  if (n < 0) {
    printf("readlink %s: %s\n", p, errname(errno));
    return;
  }
  buf[n] = 0;
  printf("readlink %s: '%s' (%zd)\n", p, buf, n);
}

static void read_through(const char *p) {
  FILE *f = fopen(p, "r");
  if (!f) {
    printf("read %s: %s\n", p, errname(errno));
    return;
  }
  char buf[64] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  printf("read %s: %zu '%s'\n", p, n, buf);
}

static void types(const char *p) {
  struct stat a, b;
  int ra = lstat(p, &a), ea = errno;
  int rb = stat(p, &b), eb = errno;
  printf("%s: lstat %s, stat %s\n", p, ra ? errname(ea) : type_name(a.st_mode),
         rb ? errname(eb) : type_name(b.st_mode));
}

int main(void) {
  FILE *f = fopen("target.txt", "w");
  fputs("the target", f);
  fclose(f);
  mkdir("dir", 0755);
  mkdir("dir/sub", 0755);
  f = fopen("dir/sub/inner.txt", "w");
  fputs("inner", f);
  fclose(f);

  TRY("symlink ln -> target.txt", symlink("target.txt", "ln"));
  TRY("symlink again", symlink("target.txt", "ln"));
  TRY("symlink dirln -> dir/sub", symlink("dir/sub", "dirln"));
  TRY("symlink dangling", symlink("nothing-here", "dangling"));
  TRY("symlink dir/sub/up -> ../../target.txt",
      symlink("../../target.txt", "dir/sub/up"));
  TRY("symlink dir/parent -> ..", symlink("..", "dir/parent"));
  TRY("symlink loop1 -> loop2", symlink("loop2", "loop1"));
  TRY("symlink loop2 -> loop1", symlink("loop1", "loop2"));
  TRY("symlink chain1 -> chain2", symlink("chain2", "chain1"));
  TRY("symlink chain2 -> dirln/inner.txt",
      symlink("dirln/inner.txt", "chain2"));
  show_link("ln");
  show_link("dirln");
  show_link("dir/sub/up");
  show_link("target.txt");
  show_link("missing");
  types("ln");
  types("dirln");
  types("dangling");
  types("loop1");
  types("dir/parent");
  read_through("ln");
  read_through("dirln/inner.txt");
  read_through("dir/sub/up");
  read_through("dir/parent/target.txt");
  read_through("dir/parent/dir/parent/ln");
  read_through("chain1");
  read_through("dangling");
  read_through("loop1");
  read_through("dirln/../../target.txt");
  int fd = open("ln", O_RDONLY | O_NOFOLLOW);
  printf("open O_NOFOLLOW on link: %s\n", fd >= 0 ? "OK" : errname(errno));
  if (fd >= 0) close(fd);
  /* Writing through a link creates its target. */
  f = fopen("dangling", "w");
  printf("fopen w dangling: %s\n", f ? "OK" : errname(errno));
  if (f) {
    fputs("now exists", f);
    fclose(f);
  }
  read_through("nothing-here");
  list_dir("dirln");

  /* Hard links. */
  TRY("link target.txt hard.txt", link("target.txt", "hard.txt"));
  TRY("link again", link("target.txt", "hard.txt"));
  TRY("link missing", link("nope", "hard2.txt"));
  struct stat st;
  stat("target.txt", &st);
  printf("nlink target.txt: %lld\n", (long long)st.st_nlink);
  f = fopen("hard.txt", "a");
  fputs(" + more", f);
  fclose(f);
  read_through("target.txt");
  TRY("unlink target.txt", unlink("target.txt"));
  read_through("hard.txt");
  read_through("ln");
  stat("hard.txt", &st);
  printf("nlink hard.txt: %lld\n", (long long)st.st_nlink);
  TRY("unlink ln (the link, not the target)", unlink("ln"));
  types("ln");
  TRY("rmdir dirln (a link)", rmdir("dirln"));
  TRY("unlink dirln", unlink("dirln"));
  types("dir/sub");
  list_dir(".");
  return 0;
}
