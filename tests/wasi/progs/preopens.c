/*
 * preopens.c - directories granted under absolute guest names ("/data" and
 * "/sub", the latter a subdirectory of the former): the preopen list seen
 * through fd_prestat, how wasi-libc maps absolute paths onto them (longest
 * matching prefix), that relative paths start from wasi-libc's initial
 * cwd "/" ("data/input.txt" works, "input.txt" does not until a chdir),
 * and that ".." cannot climb above the preopen a path was matched to.
 * Expected: preopens.expected.
 */
#include "common.h"
#include "raw.h"
#include <fcntl.h>
#include <unistd.h>

static void try_open(const char *p) {
  int fd = open(p, O_RDONLY);
  if (fd < 0) {
    printf("open %s: %s\n", p, errname(errno));
    return;
  }
  char buf[32] = {0};
  ssize_t n = read(fd, buf, sizeof buf - 1);
  for (ssize_t i = 0; i < n; i++)
    if (buf[i] == '\n') buf[i] = '|';
  printf("open %s: OK '%s'\n", p, buf);
  close(fd);
}

int main(void) {
  for (int32_t fd = 3; fd < 8; fd++) {
    uint8_t st[8];
    char name[64] = {0};
    int32_t e = raw_fd_prestat_get(fd, st);
    if (e) {
      printf("fd %d: %s\n", fd, wname(e));
      continue;
    }
    uint32_t len;
    memcpy(&len, st + 4, 4);
    raw_fd_prestat_dir_name(fd, name, (int32_t)len);
    printf("fd %d: preopen '%s'\n", fd, name);
  }
  try_open("/data/input.txt");
  try_open("/data/sub/nested.txt");
  try_open("/sub/nested.txt");
  try_open("/data/../data/input.txt");
  try_open("/data/sub/../input.txt");
  try_open("/sub/../input.txt");
  try_open("/etc/passwd");
  try_open("/");
  try_open("input.txt");
  try_open("data/input.txt");
  TRY("chdir /data", chdir("/data"));
  try_open("input.txt");
  try_open("sub/nested.txt");
  try_open("../data/input.txt");
  TRY("chdir /nowhere", chdir("/nowhere"));
  TRY("mkdir /sub/made", mkdir("/sub/made", 0755));
  try_open("/data/sub/made");
  TRY("rmdir /data/sub/made", rmdir("/data/sub/made"));
  return 0;
}
