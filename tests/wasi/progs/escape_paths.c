/*
 * escape_paths.c - a guest trying to reach files outside its granted
 * directory (fd 3, granted as "."; the driver plants symlinks to the
 * outside in it) through the raw WASI calls: "..", "a/../../", absolute
 * paths, symlinks to /etc, to "..", to absolute paths, chains of symlinks,
 * loops, very long paths and components, NULs in paths, the preopen's
 * parent.  Legitimate paths (including links that stay inside) work.  For
 * each path it prints the outcome of: open (final link not followed),
 * open following links, stat, stat following links, exclusive create,
 * mkdir, unlink, rmdir.  Expected: escape_paths.expected.
 */
#include "raw.h"
#include <stdlib.h>

/* remove: also try unlink and rmdir (not on paths naming something inside
   the jail, which would really be removed). */
static void try_path_(const char *label, const char *path, int32_t len,
                      int remove) {
  int32_t fd = -1;
  uint8_t st[64];
  int32_t e1 = raw_path_open(3, 0, path, len, 0, R_READ, R_READ, 0, &fd);
  if (!e1) raw_fd_close(fd);
  int32_t e2 = raw_path_open(3, FOLLOW, path, len, 0, R_READ, R_READ, 0, &fd);
  if (!e2) raw_fd_close(fd);
  int32_t e3 = raw_path_filestat_get(3, 0, path, len, st);
  int32_t t3 = e3 ? -1 : st[16];
  int32_t e4 = raw_path_filestat_get(3, FOLLOW, path, len, st);
  int32_t t4 = e4 ? -1 : st[16];
  int32_t e5 = raw_path_open(3, FOLLOW, path, len, O_CREAT_ | O_EXCL_,
                             R_READ | R_WRITE, R_ALL, 0, &fd);
  if (!e5) raw_fd_close(fd);
  int32_t e6 = raw_path_create_directory(3, path, len);
  int32_t e7 = remove ? raw_path_unlink_file(3, path, len) : -1;
  int32_t e8 = remove ? raw_path_remove_directory(3, path, len) : -1;
  printf("%-36s open %s, open-follow %s, stat %s", label, wname(e1), wname(e2),
         wname(e3));
  if (t3 >= 0) printf("(type %d)", t3);
  printf(", stat-follow %s", wname(e4));
  if (t4 >= 0) printf("(type %d)", t4);
  printf(", create %s, mkdir %s", wname(e5), wname(e6));
  if (remove) printf(", unlink %s, rmdir %s", wname(e7), wname(e8));
  printf("\n");
}

static void try_path(const char *label, const char *path, int32_t len) {
  try_path_(label, path, len, 1);
}
#define TRY_PATH(p) try_path_(p, P(p), 1)
/* Paths naming something inside (a planted link, a jail file). */
#define TRY_INSIDE(p) try_path_(p, P(p), 0)

int main(void) {
  /* Climbing out. */
  TRY_PATH("..");
  TRY_PATH("../");
  TRY_PATH("../outside.txt");
  TRY_PATH("../outside_dir");
  TRY_PATH("../outside_dir/file.txt");
  TRY_PATH("./../outside.txt");
  TRY_PATH("sub/../../outside.txt");
  TRY_PATH("sub/deeper/../../../outside.txt");
  TRY_PATH("sub/./deeper/./../../..");
  TRY_PATH("sub/../sub/../..");
  TRY_PATH("../jail/input.txt");
  TRY_PATH("missing/../../outside.txt");
  /* Absolute paths. */
  TRY_PATH("/");
  TRY_PATH("/etc/passwd");
  TRY_PATH("//etc/passwd");
  TRY_PATH("/input.txt");
  /* Symlinks planted by the host. */
  TRY_INSIDE("etc_link");
  TRY_PATH("etc_link/passwd");
  TRY_INSIDE("passwd_link");
  TRY_INSIDE("up_link");
  TRY_PATH("up_link/outside.txt");
  TRY_PATH("up_link/jail/input.txt");
  TRY_INSIDE("outside_link");
  TRY_INSIDE("abs_outside_link");
  TRY_INSIDE("sneaky_link");
  TRY_INSIDE("c1");
  TRY_PATH("c1/file.txt");
  TRY_PATH("c3/file.txt");
  TRY_PATH("sub/up2_link/file.txt");
  TRY_INSIDE("self_loop");
  TRY_PATH("self_loop/x");
  /* Legitimate paths, links that stay inside. */
  TRY_INSIDE("input.txt");
  TRY_INSIDE("sub/nested.txt");
  TRY_INSIDE("sub/deeper/../../sub/nested.txt");
  TRY_INSIDE("sub/deeper/back/nested.txt");
  TRY_INSIDE("sub/deeper/ok_link");
  TRY_INSIDE(".");
  TRY_INSIDE("sub/..");
  TRY_PATH("");
  TRY_INSIDE("input.txt/");
  TRY_INSIDE("sub/");
  TRY_INSIDE("sub//nested.txt");
  /* NULs: the host would cut the path there. */
  try_path("input.txt\\0../../outside.txt", "input.txt\0../../outside.txt", 27);
  try_path("..\\0", "..\0", 3);
  try_path("\\0", "\0", 1);
  /* Very long paths and components. */
  static char longp[70000];
  memset(longp, 'a', sizeof longp);
  try_path("70000 x 'a'", longp, 70000);
  try_path("256 x 'a'", longp, 256);
  try_path("255 x 'a'", longp, 255); /* created, then removed */
  for (int i = 0; i < 4090; i += 3)
    memcpy(longp + i, "../", 3);
  try_path("'../' x 1363", longp, 4089);
  for (int i = 0; i < 4096; i += 2)
    memcpy(longp + i, "./", 2);
  try_path("'./' x 2048", longp, 4096);
  try_path("'./' x 2049", longp, 4098);
  int n = 0;
  for (int i = 0; i < 300; i++) {
    memcpy(longp + n, "sub/../", 7);
    n += 7;
  }
  memcpy(longp + n, "input.txt", 9);
  try_path_("'sub/../' x 300 + input.txt", longp, n + 9, 0);
  memcpy(longp + n, "..", 2);
  try_path("'sub/../' x 300 + ..", longp, n + 2);

  /* The preopen's parent through another directory fd. */
  int32_t sub = -1, fd = -1;
  int32_t e =
      raw_path_open(3, 0, P("sub"), O_DIR_, R_READ | R_OPEN, R_ALL, 0, &sub);
  printf("open sub as dir: %s\n", wname(e));
  printf("sub fd: open ..: %s\n",
         wname(raw_path_open(sub, 0, P(".."), O_DIR_, R_READ, R_READ, 0, &fd)));
  printf("sub fd: open ../input.txt: %s\n",
         wname(raw_path_open(sub, 0, P("../input.txt"), 0, R_READ, R_READ, 0,
                             &fd)));
  printf(
      "sub fd: open nested.txt: %s\n",
      wname(raw_path_open(sub, 0, P("nested.txt"), 0, R_READ, R_READ, 0, &fd)));
  raw_fd_close(fd);
  printf("sub fd: open deeper/back/nested.txt: %s\n",
         wname(raw_path_open(sub, FOLLOW, P("deeper/back/nested.txt"), 0,
                             R_READ, R_READ, 0, &fd)));
  raw_fd_close(fd);
  raw_fd_close(sub);
  /* A file opened as a directory fd. */
  raw_path_open(3, 0, P("input.txt"), 0, R_READ, R_ALL, 0, &fd);
  printf("file fd as base: open x: %s\n",
         wname(raw_path_open(fd, 0, P("x"), 0, R_READ, R_READ, 0, &sub)));
  raw_fd_close(fd);
  /* Never-granted and out-of-range base fds. */
  printf(
      "base fd 4: %s, fd 1000: %s, fd -1: %s\n",
      wname(raw_path_open(4, 0, P("input.txt"), 0, R_READ, R_READ, 0, &fd)),
      wname(raw_path_open(1000, 0, P("input.txt"), 0, R_READ, R_READ, 0, &fd)),
      wname(raw_path_open(-1, 0, P("input.txt"), 0, R_READ, R_READ, 0, &fd)));
  return 0;
}
