/*
 * escape_rights.c - the preview-1 rights model on a read-write grant:
 * every call checks the right the spec assigns it on the fd it is given,
 * rights dropped with fd_fdstat_set_rights are enforced (O_TRUNC no longer
 * truncates, O_CREAT no longer creates, unlink and mkdir fail), rights can
 * never be regained or asked for beyond the inheriting ones, the preopen
 * can be opened again with its own rights, all-ones requests work, and the
 * errno of seek/tell on a directory and of the socket calls.  Expected:
 * escape_rights.expected.
 */
#include "raw.h"

RAW(fd_tell) int32_t raw_fd_tell(int32_t fd, uint64_t *pos);
RAW(fd_advise)
int32_t raw_fd_advise(int32_t fd, int64_t off, int64_t len, int32_t advice);
RAW(fd_datasync) int32_t raw_fd_datasync(int32_t fd);
RAW(fd_fdstat_set_flags) int32_t raw_fd_fdstat_set_flags(int32_t fd, int32_t f);
RAW(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t fd, void *buf);

#define BIT(n) ((int64_t)1 << (n))
#define R_PATH_CREATE_DIRECTORY BIT(9)
#define R_PATH_CREATE_FILE BIT(10)
#define R_PATH_LINK_SOURCE BIT(11)
#define R_PATH_LINK_TARGET BIT(12)
#define R_PATH_OPEN BIT(13)
#define R_PATH_READLINK BIT(15)
#define R_PATH_RENAME_SOURCE BIT(16)
#define R_PATH_RENAME_TARGET BIT(17)
#define R_PATH_FILESTAT_GET BIT(18)
#define R_PATH_FILESTAT_SET_SIZE BIT(19)
#define R_PATH_FILESTAT_SET_TIMES BIT(20)
#define R_PATH_SYMLINK BIT(24)
#define R_PATH_REMOVE_DIRECTORY BIT(25)
#define R_PATH_UNLINK_FILE BIT(26)

typedef struct {
  uint8_t type, pad;
  uint16_t flags;
  uint32_t pad2;
  uint64_t base, inh;
} fdstat_t;

static int64_t size_of(const char *p) {
  uint8_t st[64];
  int64_t sz = -1;
  if (raw_path_filestat_get(3, 0, P(p), st) == 0) memcpy(&sz, st + 32, 8);
  return sz;
}

/* Opens "." of fd 3 again as a new directory fd with fd 3's rights minus
   `drop`; returns it. */
static int32_t dir_without(int64_t drop) {
  fdstat_t st;
  raw_fd_fdstat_get(3, &st);
  int32_t d = -1;
  int32_t e = raw_path_open(3, 0, P("."), O_DIR_, (int64_t)st.base,
                            (int64_t)st.inh, 0, &d);
  if (e) printf("reopen .: %s\n", wname(e));
  e = raw_fd_fdstat_set_rights(d, (int64_t)st.base & ~drop, (int64_t)st.inh);
  if (e) printf("drop: %s\n", wname(e));
  return d;
}

int main(void) {
  int32_t fd = -1, d = -1, n = 0;
  fdstat_t st, st2;
  struct {
    const char *p;
    int32_t n;
  } wiov = {"data", 4};
  char buf[16];
  struct {
    char *p;
    int32_t n;
  } riov = {buf, sizeof buf};
  uint64_t pos = 0;

  /* The preopen: its rights, opened again with them, with none, with
     all-ones. */
  raw_fd_fdstat_get(3, &st);
  printf("preopen base %#llx inheriting %#llx\n", (unsigned long long)st.base,
         (unsigned long long)st.inh);
  printf("reopen . with the same rights: %s\n",
         wname(raw_path_open(3, 0, P("."), 0, (int64_t)st.base, (int64_t)st.inh,
                             0, &fd)));
  raw_fd_fdstat_get(fd, &st2);
  printf("  its rights equal: %d\n", st2.base == st.base && st2.inh == st.inh);
  raw_fd_close(fd);
  printf("reopen . with O_DIRECTORY, same rights: %s\n",
         wname(raw_path_open(3, 0, P("."), O_DIR_, (int64_t)st.base,
                             (int64_t)st.inh, 0, &fd)));
  raw_fd_close(fd);
  printf("reopen . with no rights: %s\n",
         wname(raw_path_open(3, 0, P("."), O_DIR_, 0, 0, 0, &fd)));
  printf("  then open below it: %s\n",
         wname(raw_path_open(fd, 0, P("input.txt"), 0, R_READ, 0, 0, &d)));
  raw_fd_close(fd);
  printf("open input.txt with all-ones rights: %s\n",
         wname(raw_path_open(3, 0, P("input.txt"), 0, -1, -1, 0, &fd)));
  raw_fd_fdstat_get(fd, &st2);
  printf("  file rights %#llx inheriting %#llx\n", (unsigned long long)st2.base,
         (unsigned long long)st2.inh);
  printf("  write %s\n", wname(raw_fd_write(fd, &wiov, 1, &n)));
  raw_fd_close(fd);

  /* Dropped directory rights are enforced. */
  printf("-- a directory fd without each right\n");
  d = dir_without(R_PATH_FILESTAT_SET_SIZE);
  int64_t before = size_of("input.txt");
  printf("O_TRUNC without path_filestat_set_size: %s\n",
         wname(raw_path_open(d, 0, P("input.txt"), O_TRUNC_, R_READ | R_WRITE,
                             0, 0, &fd)));
  printf("  size unchanged: %d\n", size_of("input.txt") == before);
  printf("open for write, no O_TRUNC: %s\n",
         wname(raw_path_open(d, 0, P("input.txt"), 0, R_READ | R_WRITE, 0, 0,
                             &fd)));
  raw_fd_close(fd);
  raw_fd_close(d);
  d = dir_without(R_PATH_CREATE_FILE);
  printf("O_CREAT without path_create_file: %s\n",
         wname(raw_path_open(d, 0, P("new.txt"), O_CREAT_, R_READ, 0, 0, &fd)));
  printf("  new.txt exists: %d\n", size_of("new.txt") >= 0);
  printf(
      "O_CREAT of an existing file: %s\n",
      wname(raw_path_open(d, 0, P("input.txt"), O_CREAT_, R_READ, 0, 0, &fd)));
  raw_fd_close(d);
  d = dir_without(R_PATH_UNLINK_FILE);
  printf("unlink without path_unlink_file: %s\n",
         wname(raw_path_unlink_file(d, P("input.txt"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_CREATE_DIRECTORY);
  printf("mkdir without path_create_directory: %s\n",
         wname(raw_path_create_directory(d, P("newdir"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_REMOVE_DIRECTORY);
  printf("rmdir without path_remove_directory: %s\n",
         wname(raw_path_remove_directory(d, P("sub/deeper"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_RENAME_SOURCE);
  printf("rename from without path_rename_source: %s\n",
         wname(raw_path_rename(d, P("input.txt"), 3, P("moved.txt"))));
  printf("rename to it (source fd 3): %s\n",
         wname(raw_path_rename(3, P("input.txt"), d, P("moved.txt"))));
  printf("rename back: %s\n",
         wname(raw_path_rename(3, P("moved.txt"), 3, P("input.txt"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_RENAME_TARGET);
  printf("rename to without path_rename_target: %s\n",
         wname(raw_path_rename(3, P("input.txt"), d, P("moved.txt"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_SYMLINK);
  printf("symlink without path_symlink: %s\n",
         wname(raw_path_symlink(P("input.txt"), d, P("sl"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_LINK_SOURCE);
  printf("link from without path_link_source: %s\n",
         wname(raw_path_link(d, 0, P("input.txt"), 3, P("hl"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_LINK_TARGET);
  printf("link to without path_link_target: %s\n",
         wname(raw_path_link(3, 0, P("input.txt"), d, P("hl"))));
  raw_fd_close(d);
  d = dir_without(R_PATH_READLINK);
  printf("readlink without path_readlink: %s\n",
         wname(raw_path_readlink(d, P("up_link"), buf, sizeof buf, &n)));
  raw_fd_close(d);
  d = dir_without(R_PATH_FILESTAT_GET);
  uint8_t fst[64];
  printf("path_filestat_get without its right: %s\n",
         wname(raw_path_filestat_get(d, 0, P("input.txt"), fst)));
  raw_fd_close(d);
  d = dir_without(R_PATH_FILESTAT_SET_TIMES);
  printf("path_filestat_set_times without its right: %s\n",
         wname(raw_path_filestat_set_times(d, 0, P("input.txt"), 0, 0, 2)));
  raw_fd_close(d);
  d = dir_without(R_PATH_OPEN);
  printf("path_open without path_open: %s\n",
         wname(raw_path_open(d, 0, P("input.txt"), 0, R_READ, 0, 0, &fd)));
  raw_fd_close(d);
  d = dir_without(BIT(14));
  uint8_t dbuf[128];
  printf("fd_readdir without fd_readdir: %s\n",
         wname(raw_fd_readdir(d, dbuf, sizeof dbuf, 0, &n)));
  printf("regain it: %s\n",
         wname(raw_fd_fdstat_set_rights(d, (int64_t)st.base, (int64_t)st.inh)));
  raw_fd_close(d);

  /* Inheriting rights bound what is opened below. */
  printf("-- inheriting rights\n");
  raw_path_open(3, 0, P("sub"), O_DIR_, (int64_t)st.base, R_READ, 0, &d);
  printf("open below for write, inheriting read only: %s\n",
         wname(raw_path_open(d, 0, P("nested.txt"), 0, R_WRITE, 0, 0, &fd)));
  printf("  read: %s\n",
         wname(raw_path_open(d, 0, P("nested.txt"), 0, R_READ, 0, 0, &fd)));
  raw_fd_close(fd);
  printf(
      "  read, asking write as inheriting: %s\n",
      wname(raw_path_open(d, 0, P("nested.txt"), 0, R_READ, R_WRITE, 0, &fd)));
  printf("  append flag: %s\n",
         wname(raw_path_open(d, 0, P("nested.txt"), 0, R_READ, 0, 1, &fd)));
  printf("drop inheriting to 0: %s, gain it back: %s\n",
         wname(raw_fd_fdstat_set_rights(d, (int64_t)st.base, 0)),
         wname(raw_fd_fdstat_set_rights(d, (int64_t)st.base, R_READ)));
  raw_fd_close(d);

  /* File fds without each right. */
  printf("-- a file fd without each right\n");
  raw_path_open(3, 0, P("input.txt"), 0, R_ALL, 0, 0, &fd);
  raw_fd_fdstat_set_rights(fd, 0, 0);
  raw_fd_fdstat_get(fd, &st2);
  printf("rights now %#llx\n", (unsigned long long)st2.base);
  printf("read %s, write %s, seek %s, tell %s\n",
         wname(raw_fd_read(fd, &riov, 1, &n)),
         wname(raw_fd_write(fd, &wiov, 1, &n)),
         wname(raw_fd_seek(fd, 1, 0, &pos)), wname(raw_fd_tell(fd, &pos)));
  printf("set flags %s, sync %s, datasync %s, advise %s\n",
         wname(raw_fd_fdstat_set_flags(fd, 0)), wname(raw_fd_sync(fd)),
         wname(raw_fd_datasync(fd)), wname(raw_fd_advise(fd, 0, 0, 0)));
  printf("allocate %s, filestat %s, set size %s, set times %s\n",
         wname(raw_fd_allocate(fd, 0, 1)), wname(raw_fd_filestat_get(fd, fst)),
         wname(raw_fd_filestat_set_size(fd, 0)),
         wname(raw_fd_filestat_set_times(fd, 0, 0, 2)));
  uint8_t sub[48] = {0}, ev[32];
  sub[8] = 1; /* fd_read */
  memcpy(sub + 16, &fd, 4);
  printf("poll without poll_fd_readwrite: %s\n",
         wname(raw_poll_oneoff(sub, ev, 1, &n)));
  printf("regain read: %s\n", wname(raw_fd_fdstat_set_rights(fd, R_READ, 0)));
  raw_fd_close(fd);
  /* tell alone allows reading the position, not moving it. */
  raw_path_open(3, 0, P("input.txt"), 0, R_READ, 0, 0, &fd);
  raw_fd_fdstat_set_rights(fd, BIT(1) | BIT(5), 0);
  printf("seek without fd_seek: cur+0 %s, set 1 %s\n",
         wname(raw_fd_seek(fd, 0, 1, &pos)),
         wname(raw_fd_seek(fd, 1, 0, &pos)));
  raw_fd_close(fd);

  /* Directories and sockets. */
  printf("-- errno\n");
  printf("dir fd 3: seek %s, tell %s, read %s\n",
         wname(raw_fd_seek(3, 0, 1, &pos)), wname(raw_fd_tell(3, &pos)),
         wname(raw_fd_read(3, &riov, 1, &n)));
  raw_path_open(3, 0, P("input.txt"), 0, R_READ, 0, 0, &fd);
  printf("sock_shutdown: bad fd %s, fd 99 %s, dir %s, file %s, stdout %s\n",
         wname(raw_sock_shutdown(-1, 0)), wname(raw_sock_shutdown(99, 0)),
         wname(raw_sock_shutdown(3, 0)), wname(raw_sock_shutdown(fd, 0)),
         wname(raw_sock_shutdown(1, 0)));
  int32_t s = -1, ro = 0;
  printf("sock_accept %s/%s, sock_recv %s/%s, sock_send %s/%s\n",
         wname(raw_sock_accept(99, 0, &s)), wname(raw_sock_accept(fd, 0, &s)),
         wname(raw_sock_recv(99, &riov, 1, 0, &n, &ro)),
         wname(raw_sock_recv(fd, &riov, 1, 0, &n, &ro)),
         wname(raw_sock_send(99, &wiov, 1, 0, &n)),
         wname(raw_sock_send(fd, &wiov, 1, 0, &n)));
  raw_fd_close(fd);
  return 0;
}
