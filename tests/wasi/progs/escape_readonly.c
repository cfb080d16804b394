/*
 * escape_readonly.c - a directory granted read-only (mode = "ro" in the
 * component's manifest): reading works, and every call that would change
 * anything below it is refused, through the raw WASI calls and through
 * wasi-libc: open for writing, create, truncate, append, mkdir, rmdir,
 * unlink, rename, symlink, link, set times, and on an fd opened for
 * reading: write, pwrite, set size, allocate, set times, regaining write
 * rights; directories opened below it are read-only too.  The driver
 * checks that the directory is unchanged.  Expected:
 * escape_readonly.expected.
 */
#include "common.h"
#include "raw.h"
#include <fcntl.h>
#include <unistd.h>

typedef struct {
  const char *p;
  int32_t n;
} iov_t;

#define RAWCALL(what, call) printf("raw %s: %s\n", what, wname(call))

int main(void) {
  int32_t fd = -1, n = 0;
  iov_t wiov = {"data", 4};
  /* Reading works. */
  FILE *f = fopen("input.txt", "r");
  char line[64];
  printf("fopen r: %s, first line: %s", f ? "OK" : errname(errno),
         f && fgets(line, sizeof line, f) ? line : "(none)\n");
  if (f) fclose(f);
  list_dir("sub");

  /* Opening for any kind of writing. */
  RAWCALL("open write right",
          raw_path_open(3, 0, P("input.txt"), 0, R_WRITE, 0, 0, &fd));
  RAWCALL("open read+write",
          raw_path_open(3, 0, P("input.txt"), 0, R_READ | R_WRITE, 0, 0, &fd));
  RAWCALL("open O_CREAT new",
          raw_path_open(3, 0, P("new.txt"), O_CREAT_, R_READ, 0, 0, &fd));
  RAWCALL("open O_CREAT existing",
          raw_path_open(3, 0, P("input.txt"), O_CREAT_, R_READ, 0, 0, &fd));
  RAWCALL("open O_TRUNC",
          raw_path_open(3, 0, P("input.txt"), O_TRUNC_, R_READ, 0, 0, &fd));
  RAWCALL("open append flag",
          raw_path_open(3, 0, P("input.txt"), 0, R_READ, 0, 1, &fd));
  RAWCALL("mkdir", raw_path_create_directory(3, P("newdir")));
  RAWCALL("rmdir sub/deeper", raw_path_remove_directory(3, P("sub/deeper")));
  RAWCALL("unlink input.txt", raw_path_unlink_file(3, P("input.txt")));
  RAWCALL("unlink missing", raw_path_unlink_file(3, P("missing")));
  RAWCALL("rename", raw_path_rename(3, P("input.txt"), 3, P("renamed.txt")));
  RAWCALL("symlink", raw_path_symlink(P("input.txt"), 3, P("ln")));
  RAWCALL("link", raw_path_link(3, 0, P("input.txt"), 3, P("hard")));
  RAWCALL("set times",
          raw_path_filestat_set_times(3, 0, P("input.txt"), 0, 0, 10));
  RAWCALL("set times now",
          raw_path_filestat_set_times(3, 0, P("input.txt"), 0, 0, 2 | 8));

  /* An fd opened for reading. */
  RAWCALL("open read-only", raw_path_open(3, 0, P("input.txt"), 0,
                                          R_READ | R_SYNC, R_READ, 0, &fd));
  RAWCALL("write", raw_fd_write(fd, &wiov, 1, &n));
  RAWCALL("pwrite", raw_fd_pwrite(fd, &wiov, 1, 0, &n));
  RAWCALL("set size", raw_fd_filestat_set_size(fd, 0));
  RAWCALL("allocate", raw_fd_allocate(fd, 0, 100));
  RAWCALL("fd set times", raw_fd_filestat_set_times(fd, 0, 0, 10));
  RAWCALL("regain write right",
          raw_fd_fdstat_set_rights(fd, R_READ | R_WRITE, 0));
  RAWCALL("sync (harmless)", raw_fd_sync(fd));
  raw_fd_close(fd);
  /* A directory below it. */
  int32_t d = -1;
  RAWCALL("open sub as dir", raw_path_open(3, 0, P("sub"), O_DIR_,
                                           R_READ | R_OPEN, R_READ, 0, &d));
  RAWCALL("sub: create",
          raw_path_open(d, 0, P("x"), O_CREAT_, R_READ, 0, 0, &fd));
  RAWCALL("sub: unlink", raw_path_unlink_file(d, P("nested.txt")));
  RAWCALL("sub: mkdir", raw_path_create_directory(d, P("y")));
  RAWCALL("sub: open nested.txt for write",
          raw_path_open(d, 0, P("nested.txt"), 0, R_WRITE, 0, 0, &fd));
  raw_fd_close(d);

  /* Through wasi-libc. */
  TRY("fopen w", fopen("input.txt", "w") ? 0 : -1);
  TRY("fopen a", fopen("input.txt", "a") ? 0 : -1);
  TRY("fopen r+", fopen("input.txt", "r+") ? 0 : -1);
  TRY("fopen w new", fopen("brand_new.txt", "w") ? 0 : -1);
  TRY("open O_WRONLY", open("input.txt", O_WRONLY));
  TRY("open O_RDWR|O_CREAT", open("x.txt", O_RDWR | O_CREAT, 0644));
  TRY("mkdir", mkdir("d", 0755));
  TRY("rmdir", rmdir("sub/deeper"));
  TRY("unlink", unlink("input.txt"));
  TRY("rename", rename("input.txt", "y.txt"));
  TRY("symlink", symlink("input.txt", "l"));
  TRY("link", link("input.txt", "h"));
  TRY("truncate", truncate("input.txt", 0));
  int rfd = open("input.txt", O_RDONLY);
  TRY("write on O_RDONLY fd", write(rfd, "x", 1));
  TRY("ftruncate", ftruncate(rfd, 0));
  close(rfd);
  printf("stdout still writable\n");
  return 0;
}
