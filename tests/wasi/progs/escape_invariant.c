/*
 * escape_invariant.c - the sandbox invariant on disk: no link the guest
 * makes or moves may resolve outside the granted directory, for any program
 * that follows it (the guest itself is refused anyway; the driver then
 * checks every new link in the jail with realpath).  Cases: a link through
 * another link and ".." ("sub/s -> .." then "l -> sub/s/.."), a link moved
 * to a shallower place ("sub/up -> ../outside.txt" renamed to "up"), a
 * directory holding such a link moved up, ".." after other components
 * (which a later swap of a directory for a link would turn outward), links
 * through planted links, hard links to a symlink, a directory renamed while
 * a link points through it, and directories too large or too deep to
 * check (EXDEV).  Expected: escape_invariant.expected.
 */
#include "raw.h"

static void mklink(const char *target, const char *at) {
  printf("symlink %s -> %s: %s\n", at, target,
         wname(raw_path_symlink(P(target), 3, P(at))));
}

static void mv(const char *from, const char *to) {
  printf("rename %s -> %s: %s\n", from, to,
         wname(raw_path_rename(3, P(from), 3, P(to))));
}

static void hardlink(int follow, const char *from, const char *to) {
  printf("link%s %s -> %s: %s\n", follow ? " (follow)" : "", from, to,
         wname(raw_path_link(3, follow ? FOLLOW : 0, P(from), 3, P(to))));
}

static void mkdir_(const char *p) {
  int32_t e = raw_path_create_directory(3, P(p));
  if (e) printf("mkdir %s: %s\n", p, wname(e));
}

static void touch(const char *p) {
  int32_t fd = -1;
  int32_t e = raw_path_open(3, 0, P(p), O_CREAT_, R_READ, 0, 0, &fd);
  if (e)
    printf("create %s: %s\n", p, wname(e));
  else
    raw_fd_close(fd);
}

static void follow(const char *path) {
  int32_t fd = -1;
  int32_t e = raw_path_open(3, FOLLOW, P(path), 0, R_READ, R_READ, 0, &fd);
  printf("  follow %s: %s\n", path, wname(e));
  if (!e) raw_fd_close(fd);
}

int main(void) {
  printf("-- a link through a link, then ..\n");
  mklink("..", "sub/s");
  mklink("sub/s/..", "l");
  mklink("sub/s/../outside.txt", "l2");
  mklink("sub/s/input.txt", "l3");
  follow("l3");

  printf("-- a link moved to a shallower place\n");
  mklink("../outside.txt", "sub/up");
  mv("sub/up", "up");
  mv("sub/up", "sub/deeper/up");
  mv("sub/deeper/up", "sub/up2");
  mklink("../input.txt", "sub/good");
  mv("sub/good", "good");
  mv("sub/good", "sub/deeper/good");
  follow("sub/deeper/good");

  printf("-- .. after other components\n");
  mkdir_("a");
  mkdir_("a/b");
  mklink("a/b/..", "swap");
  mklink("a/b/../../outside.txt", "swap2");
  mklink("./../input.txt", "sub/dot_ok");
  mklink("sub/../input.txt", "inner_dotdot");
  mklink("sub/deeper/../../..", "inner_deep");
  mklink("../../sub/nested.txt", "sub/deeper/ok");
  follow("sub/deeper/ok");
  mklink("../../..", "sub/deeper/too_far");
  mklink("..", "");
  mklink("", "empty_target");

  printf("-- links through planted links\n");
  mklink("up_link/jail/input.txt", "via_up");
  mklink("c1", "via_chain");
  mklink("sub/up2_link", "via_sub");
  mklink("sub/deeper/back/nested.txt", "via_back");
  follow("via_back");
  mklink("nothing/yet", "dangling");

  printf("-- directories holding links, moved\n");
  mkdir_("d1");
  mkdir_("d1/d2");
  mklink("../../input.txt", "d1/d2/l");
  mv("d1/d2", "d2top");
  mv("d1", "sub/deeper/d1");
  follow("sub/deeper/d1/d2/l");
  mv("sub/deeper/d1", "d1");
  follow("d1/d2/l");
  mv("d1/d2", "a/d2");
  mv("sub", "sub_renamed"); /* holds the planted sub/up2_link */
  mkdir_("plain");
  mklink("x", "plain/down");
  mv("plain", "a/b/plain");

  printf("-- hard links to a symlink\n");
  mklink("../input.txt", "sub/h");
  hardlink(0, "sub/h", "h");
  hardlink(0, "sub/h", "sub/deeper/h2");
  hardlink(1, "sub/h", "h3");
  hardlink(0, "outside_link", "h4");
  hardlink(0, "up_link", "sub/h5");

  printf("-- a directory renamed while a link points through it\n");
  mkdir_("dd");
  touch("dd/file");
  mklink("dd/file", "through");
  mv("dd", "ee");
  mklink("..", "dd");
  mklink("sub", "dd");
  follow("through");
  follow("dd/nested.txt");

  printf("-- trees too large or too deep to check\n");
  mkdir_("big");
  char name[64];
  for (int i = 0; i < 10001; i++) {
    snprintf(name, sizeof name, "big/f%d", i);
    touch(name);
  }
  mv("big", "a/big");
  mv("big", "big2");
  int32_t e = raw_path_unlink_file(3, P("big/f0"));
  printf("unlink big/f0: %s\n", wname(e));
  mv("big", "a/big");
  char deep[512] = "deep";
  mkdir_(deep);
  for (int i = 0; i < 70; i++) {
    strcat(deep, "/d");
    mkdir_(deep);
  }
  mv("deep", "a/deep");
  mkdir_("shallow");
  mkdir_("shallow/x");
  mv("shallow", "a/shallow");
  return 0;
}
