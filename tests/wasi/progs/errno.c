/*
 * errno.c - the errno of common failures, printed by name: ENOENT,
 * EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EBADF (closed and never-opened
 * fds, wrong access mode), EINVAL, ESPIPE (seek on the stdin pipe),
 * ENAMETOOLONG.
 */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

int main(void) {
  char buf[16];
  FILE *f = fopen("file", "w");
  fputs("x", f);
  fclose(f);
  mkdir("dir", 0755);
  mkdir("full", 0755);
  f = fopen("full/x", "w");
  fclose(f);

  TRY("open missing", open("missing", O_RDONLY));
  TRY("open missing/x", open("missing/x", O_RDONLY));
  TRY("fopen missing", fopen("missing", "r") ? 0 : -1);
  TRY("stat missing", stat("missing", &(struct stat){0}));
  TRY("open O_CREAT|O_EXCL existing",
      open("file", O_CREAT | O_EXCL | O_WRONLY, 0644));
  TRY("mkdir existing file", mkdir("file", 0755));
  TRY("mkdir existing dir", mkdir("dir", 0755));
  TRY("open file/x", open("file/x", O_RDONLY));
  TRY("open file/ (trailing slash)", open("file/", O_RDONLY));
  TRY("mkdir file/x", mkdir("file/x", 0755));
  TRY("opendir file", opendir("file") ? 0 : -1);
  TRY("open dir O_WRONLY", open("dir", O_WRONLY));
  TRY("open dir O_RDWR", open("dir", O_RDWR));
  TRY("fopen dir w", fopen("dir", "w") ? 0 : -1);
  TRY("unlink dir", unlink("dir"));
  TRY("rmdir file", rmdir("file"));
  TRY("rmdir full", rmdir("full"));
  TRY("rmdir missing", rmdir("missing"));
  TRY("rename missing", rename("missing", "x"));
  TRY("rename dir onto file", rename("dir", "file"));
  TRY("rename file onto dir", rename("file", "dir"));

  int fd = open("file", O_RDONLY);
  close(fd);
  TRY("read closed fd", read(fd, buf, 1));
  TRY("write closed fd", write(fd, "x", 1));
  TRY("close closed fd", close(fd));
  TRY("lseek closed fd", lseek(fd, 0, SEEK_SET));
  TRY("fstat closed fd", fstat(fd, &(struct stat){0}));
  TRY("read fd 77", read(77, buf, 1));
  TRY("write fd 77", write(77, "x", 1));
  TRY("read fd -1", read(-1, buf, 1));
  fd = open("file", O_RDONLY);
  TRY("write to O_RDONLY fd", write(fd, "x", 1));
  TRY("lseek bad whence", lseek(fd, 0, 42));
  TRY("lseek negative", lseek(fd, -5, SEEK_SET));
  TRY("ftruncate O_RDONLY fd", ftruncate(fd, 0));
  close(fd);
  fd = open("file", O_WRONLY);
  TRY("read from O_WRONLY fd", read(fd, buf, 1));
  close(fd);
  fd = open("dir", O_RDONLY | O_DIRECTORY);
  printf("open dir O_DIRECTORY: %s\n", fd >= 0 ? "OK" : errname(errno));
  TRY("read dir fd", read(fd, buf, 1));
  close(fd);
  TRY("open file O_DIRECTORY", open("file", O_RDONLY | O_DIRECTORY));
  TRY("lseek stdin pipe", lseek(0, 0, SEEK_CUR));

  char longname[300];
  memset(longname, 'n', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  TRY("open 299-char name", open(longname, O_RDONLY));
  TRY("create 299-char name", open(longname, O_WRONLY | O_CREAT, 0644));
  longname[255] = 0;
  TRY("create 255-char name", open(longname, O_WRONLY | O_CREAT, 0644));
  TRY("unlink 255-char name", unlink(longname));
  return 0;
}
