/*
 * escape_links.c - leaving the granted directory by making links or
 * moving things: symlinks created by the guest pointing outside (absolute,
 * "..", climbing from a subdirectory, through other links) and then
 * followed, hard links to outside files, rename out of the directory or
 * through a link to "..", a link made legitimately in a subdirectory then
 * moved up a level (so that it now points outside) and followed, readlink
 * of the planted links (reading a link's text is allowed; following it is
 * not).  Expected: escape_links.expected.
 */
#include "raw.h"

static void follow(const char *path) {
  int32_t fd = -1;
  int32_t e = raw_path_open(3, FOLLOW, P(path), 0, R_READ, R_READ, 0, &fd);
  printf("  follow %s: %s", path, wname(e));
  if (!e) {
    char buf[64] = {0};
    struct {
      char *p;
      int32_t n;
    } iov = {buf, sizeof buf - 1};
    int32_t nr = 0;
    raw_fd_read(fd, &iov, 1, &nr);
    for (char *c = buf; *c; c++)
      if (*c == '\n') *c = '|';
    printf(" '%s'", buf);
    raw_fd_close(fd);
  }
  printf("\n");
}

static void mklink(const char *target, const char *at) {
  printf("symlink %s -> %s: %s\n", at, target,
         wname(raw_path_symlink(P(target), 3, P(at))));
}

static void readlink_(const char *p) {
  char buf[256];
  int32_t used = 0;
  int32_t e = raw_path_readlink(3, P(p), buf, sizeof buf, &used);
  printf("readlink %s: %s", p, wname(e));
  if (!e) printf(" '%.*s'", (int)used, buf);
  printf("\n");
}

int main(void) {
  /* Symlinks pointing outside cannot be created. */
  mklink("/etc/passwd", "evil_abs");
  mklink("/", "evil_root");
  mklink("..", "evil_up");
  mklink("../outside.txt", "evil_rel");
  mklink("./../outside.txt", "evil_dot");
  mklink("sub/../../outside.txt", "evil_sneaky");
  mklink("sub/deeper/../../..", "evil_deep");
  mklink("../../outside.txt", "sub/evil2");
  mklink("../../../outside.txt", "sub/deeper/evil3");
  mklink("up_link/outside.txt", "via_link");
  mklink("evil\0x", "nul_target");
  printf("symlink with NUL in target (raw): %s\n",
         wname(raw_path_symlink("ok\0../..", 8, 3, P("nul2"))));
  follow("evil_abs");
  follow("evil_rel");
  follow("via_link");
  /* Links that stay inside can. */
  mklink("input.txt", "good");
  mklink("../input.txt", "sub/good_up");
  mklink("..", "sub/parent");
  mklink("../../sub/nested.txt", "sub/deeper/good_deep");
  mklink("nothing", "dangling");
  follow("good");
  follow("sub/good_up");
  follow("sub/parent/input.txt");
  follow("sub/parent/../outside.txt");
  follow("sub/deeper/good_deep");
  follow("dangling");
  readlink_("good");
  readlink_("etc_link");
  readlink_("passwd_link");
  readlink_("input.txt");
  readlink_("up_link/outside_link");
  /* A link fine in sub/ moved up a level now points outside: following it
     is still refused (links are checked when followed, not only when
     made). */
  printf("rename sub/good_up -> moved_up: %s\n",
         wname(raw_path_rename(3, P("sub/good_up"), 3, P("moved_up"))));
  readlink_("moved_up");
  follow("moved_up");
  printf("rename sub/parent -> moved_parent: %s\n",
         wname(raw_path_rename(3, P("sub/parent"), 3, P("moved_parent"))));
  follow("moved_parent/outside.txt");
  follow("moved_parent/jail/input.txt");
  /* Dangling link whose target is then created by writing through it. */
  int32_t fd = -1;
  printf("create through dangling (follow): %s\n",
         wname(raw_path_open(3, FOLLOW, P("dangling"), O_CREAT_,
                             R_READ | R_WRITE, 0, 0, &fd)));
  raw_fd_close(fd);
  printf("create through evil-ish planted outside_link (follow): %s\n",
         wname(raw_path_open(3, FOLLOW, P("outside_link"), O_CREAT_ | O_TRUNC_,
                             R_READ | R_WRITE, 0, 0, &fd)));
  printf("create through planted outside_link (no follow): %s\n",
         wname(raw_path_open(3, 0, P("outside_link"), O_CREAT_ | O_TRUNC_,
                             R_READ | R_WRITE, 0, 0, &fd)));

  /* Hard links. */
  printf("link ../outside.txt -> hard1: %s\n",
         wname(raw_path_link(3, 0, P("../outside.txt"), 3, P("hard1"))));
  printf("link up_link/outside.txt -> hard2: %s\n",
         wname(raw_path_link(3, 0, P("up_link/outside.txt"), 3, P("hard2"))));
  printf("link (follow) outside_link -> hard3: %s\n",
         wname(raw_path_link(3, FOLLOW, P("outside_link"), 3, P("hard3"))));
  printf("link (follow) passwd_link -> hard4: %s\n",
         wname(raw_path_link(3, FOLLOW, P("passwd_link"), 3, P("hard4"))));
  printf("link input.txt -> ../stolen: %s\n",
         wname(raw_path_link(3, 0, P("input.txt"), 3, P("../stolen"))));
  printf("link input.txt -> up_link/stolen: %s\n",
         wname(raw_path_link(3, 0, P("input.txt"), 3, P("up_link/stolen"))));
  printf("link input.txt -> hard_ok: %s\n",
         wname(raw_path_link(3, 0, P("input.txt"), 3, P("hard_ok"))));
  /* Without follow, the link itself is linked: the copy is as harmless. */
  printf("link (no follow) outside_link -> hard5: %s\n",
         wname(raw_path_link(3, 0, P("outside_link"), 3, P("hard5"))));
  follow("hard5");
  follow("hard_ok");

  /* Rename out of the directory. */
  printf("rename input.txt -> ../stolen.txt: %s\n",
         wname(raw_path_rename(3, P("input.txt"), 3, P("../stolen.txt"))));
  printf("rename input.txt -> up_link/stolen.txt: %s\n",
         wname(raw_path_rename(3, P("input.txt"), 3, P("up_link/stolen.txt"))));
  printf("rename input.txt -> c4/stolen.txt: %s\n",
         wname(raw_path_rename(3, P("input.txt"), 3, P("c4/stolen.txt"))));
  printf("rename sub -> ../sub: %s\n",
         wname(raw_path_rename(3, P("sub"), 3, P("../sub"))));
  printf("rename ../outside.txt -> here.txt: %s\n",
         wname(raw_path_rename(3, P("../outside.txt"), 3, P("here.txt"))));
  printf("rename up_link/outside.txt -> here.txt: %s\n",
         wname(raw_path_rename(3, P("up_link/outside.txt"), 3, P("here.txt"))));
  printf("rename . -> x: %s\n", wname(raw_path_rename(3, P("."), 3, P("x"))));
  printf("rename sub -> sub/deeper/x: %s\n",
         wname(raw_path_rename(3, P("sub"), 3, P("sub/deeper/x"))));
  printf("rename etc_link -> renamed_link: %s\n",
         wname(raw_path_rename(3, P("etc_link"), 3, P("renamed_link"))));
  follow("renamed_link/passwd");
  /* Setting times outside. */
  printf(
      "set times ../outside.txt: %s\n",
      wname(raw_path_filestat_set_times(3, 0, P("../outside.txt"), 0, 0, 10)));
  printf("set times (follow) outside_link: %s\n",
         wname(raw_path_filestat_set_times(3, FOLLOW, P("outside_link"), 0, 0,
                                           10)));
  printf("set times (follow) c1: %s\n",
         wname(raw_path_filestat_set_times(3, FOLLOW, P("c1"), 0, 0, 10)));
  return 0;
}
