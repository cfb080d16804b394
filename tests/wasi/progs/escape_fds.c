/*
 * escape_fds.c - file descriptors a guest was never given, or no longer
 * has: every call on fds 4..100 (never granted), writes and reads on
 * closed fds, double close, renumbering onto free fds, fd exhaustion (open
 * until EMFILE, close everything, do it again: the host stays healthy and
 * hands out the same numbers), rights that can be dropped but not gained,
 * the preopen as a file, polling bad fds, sockets (refused: no network
 * capability) and proc_raise.  Expected: escape_fds.expected.
 */
#include "raw.h"

typedef struct {
  const char *p;
  int32_t n;
} iov_t;

int main(void) {
  char buf[64];
  iov_t wiov = {"data", 4};
  iov_t riov = {buf, sizeof buf};
  int32_t n = 0;
  uint64_t pos = 0;
  uint8_t st[64];

  /* Fds never granted: 4..100 (0-2 are stdio, 3 the preopen). */
  int bad[8] = {0};
  for (int32_t fd = 4; fd <= 100; fd++) {
    bad[0] += raw_fd_write(fd, &wiov, 1, &n) == 8;
    bad[1] += raw_fd_read(fd, &riov, 1, &n) == 8;
    bad[2] += raw_fd_seek(fd, 0, 0, &pos) == 8;
    bad[3] += raw_fd_fdstat_get(fd, st) == 8;
    bad[4] += raw_fd_prestat_get(fd, st) == 8;
    bad[5] += raw_fd_close(fd) == 8;
    bad[6] += raw_fd_renumber(fd, 1) == 8;
    bad[7] += raw_fd_sync(fd) == 8;
  }
  printf("fds 4..100, calls answering BADF (of 97): write %d read %d seek %d "
         "fdstat %d prestat %d close %d renumber %d sync %d\n",
         bad[0], bad[1], bad[2], bad[3], bad[4], bad[5], bad[6], bad[7]);
  printf("huge fds: write 0x7fffffff %s, read 0xffffffff %s\n",
         wname(raw_fd_write(0x7fffffff, &wiov, 1, &n)),
         wname(raw_fd_read(-1, &riov, 1, &n)));

  /* The preopen itself is a directory, not a file. */
  printf("fd 3: write %s, read %s, seek %s, pwrite %s\n",
         wname(raw_fd_write(3, &wiov, 1, &n)),
         wname(raw_fd_read(3, &riov, 1, &n)), wname(raw_fd_seek(3, 0, 0, &pos)),
         wname(raw_fd_pwrite(3, &wiov, 1, 0, &n)));
  printf("fd 3: set size %s, allocate %s\n",
         wname(raw_fd_filestat_set_size(3, 0)),
         wname(raw_fd_allocate(3, 0, 10)));
  printf("fd 3: prestat %s", wname(raw_fd_prestat_get(3, st)));
  uint32_t len;
  memcpy(&len, st + 4, 4);
  memset(buf, 0, sizeof buf);
  printf(" (name length %u), dir name %s '%s', dir name into 0 bytes %s\n", len,
         wname(raw_fd_prestat_dir_name(3, buf, (int32_t)sizeof buf)), buf,
         wname(raw_fd_prestat_dir_name(3, buf, 0)));
  printf("stdout: prestat %s, readdir %s\n", wname(raw_fd_prestat_get(1, st)),
         wname(raw_fd_readdir(1, buf, sizeof buf, 0, &n)));

  /* Closed fds. */
  int32_t fd = -1;
  printf("open input.txt: %s fd %d\n", wname(open_ro("input.txt", 0, &fd)), fd);
  printf("close: %s, close again: %s\n", wname(raw_fd_close(fd)),
         wname(raw_fd_close(fd)));
  printf("closed fd: write %s, read %s, seek %s, renumber to it %s\n",
         wname(raw_fd_write(fd, &wiov, 1, &n)),
         wname(raw_fd_read(fd, &riov, 1, &n)),
         wname(raw_fd_seek(fd, 0, 0, &pos)), wname(raw_fd_renumber(1, fd)));

  /* Exhaustion: the table holds 1024 fds; 0-3 are taken. */
  for (int round = 1; round <= 3; round++) {
    static int32_t fds[2000];
    int32_t count = 0, e = 0, first = -1, last = -1;
    while (count < 2000) {
      e = open_ro("input.txt", 0, &fds[count]);
      if (e) break;
      if (count == 0) first = fds[count];
      last = fds[count];
      count++;
    }
    int32_t mkdir_e = raw_path_create_directory(3, P("made_when_full"));
    int32_t w = raw_fd_write(1, &(iov_t){"", 0}, 1, &n);
    int32_t closed = 0;
    for (int32_t i = 0; i < count; i++)
      closed += raw_fd_close(fds[i]) == 0;
    printf("round %d: opened %d (fds %d..%d), then %s; mkdir while full %s; "
           "stdout still works %s; closed %d\n",
           round, count, first, last, wname(e), wname(mkdir_e), wname(w),
           closed);
    raw_path_remove_directory(3, P("made_when_full"));
  }
  printf("after exhaustion: open %s fd %d\n",
         wname(open_ro("input.txt", 0, &fd)), fd);
  raw_fd_close(fd);

  /* Renumber. */
  int32_t a = -1, b = -1;
  open_ro("input.txt", 0, &a);
  open_ro("sub/nested.txt", 0, &b);
  printf("renumber %d -> %d: %s\n", a, b, wname(raw_fd_renumber(a, b)));
  memset(buf, 0, sizeof buf);
  riov.n = 5;
  printf("read from %d: %s '%s'; old %d: %s\n", b,
         wname(raw_fd_read(b, &riov, 1, &n)), buf, a,
         wname(raw_fd_read(a, &riov, 1, &n)));
  printf("renumber %d -> 500: %s\n", b, wname(raw_fd_renumber(b, 500)));
  raw_fd_close(b);

  /* Rights: dropping works, gaining does not. */
  raw_path_open(3, 0, P("rights.txt"), O_CREAT_, R_READ | R_WRITE, 0, 0, &fd);
  printf("write with write right: %s\n", wname(raw_fd_write(fd, &wiov, 1, &n)));
  printf("drop write right: %s\n",
         wname(raw_fd_fdstat_set_rights(fd, R_READ, 0)));
  printf("write without it: %s, pwrite %s\n",
         wname(raw_fd_write(fd, &wiov, 1, &n)),
         wname(raw_fd_pwrite(fd, &wiov, 1, 0, &n)));
  printf("regain write right: %s\n",
         wname(raw_fd_fdstat_set_rights(fd, R_READ | R_WRITE, 0)));
  printf("drop read right: %s, then read %s\n",
         wname(raw_fd_fdstat_set_rights(fd, 1 << 2, 0)),
         wname(raw_fd_read(fd, &riov, 1, &n)));
  raw_fd_close(fd);
  /* A directory fd whose inheritable rights lack write. */
  int32_t d = -1;
  printf("open sub with no inheritable write: %s\n",
         wname(raw_path_open(3, 0, P("sub"), O_DIR_, R_ALL, R_READ, 0, &d)));
  printf("open for write below it: %s\n",
         wname(raw_path_open(d, 0, P("nested.txt"), 0, R_READ | R_WRITE, 0, 0,
                             &fd)));
  if (fd >= 0) {
    printf("  ...and write: %s\n", wname(raw_fd_write(fd, &wiov, 1, &n)));
    raw_fd_close(fd);
  }
  raw_fd_close(d);

  /* poll_oneoff on bad fds. */
  uint8_t sub[48] = {0}, ev[32];
  sub[8] = 1; /* fd_read */
  int32_t badfd = 77;
  memcpy(sub + 16, &badfd, 4);
  int32_t nev = 0;
  printf("poll fd 77: %s\n", wname(raw_poll_oneoff(sub, ev, 1, &nev)));
  sub[8] = 9; /* no such event type */
  printf("poll type 9: %s\n", wname(raw_poll_oneoff(sub, ev, 1, &nev)));
  printf("poll 0 subscriptions: %s\n",
         wname(raw_poll_oneoff(sub, ev, 0, &nev)));

  /* Sockets: no network capability exists. */
  int32_t s = -1, ro = 0;
  printf("sock_accept %s, sock_recv %s, sock_send %s, sock_shutdown %s\n",
         wname(raw_sock_accept(3, 0, &s)),
         wname(raw_sock_recv(0, &riov, 1, 0, &n, &ro)),
         wname(raw_sock_send(1, &wiov, 1, 0, &n)),
         wname(raw_sock_shutdown(1, 0)));
  printf("proc_raise(9): %s\n", wname(raw_proc_raise(9)));
  printf("stdout still fine\n");
  return 0;
}
