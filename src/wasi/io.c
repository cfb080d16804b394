/*
 * io.c - how WASI moves bytes between guest memory and host fds without
 * ever holding the host thread past the execution's deadline:
 *
 *   - every transfer is cut into chunks of at most WZ_CHUNK bytes and the
 *     store's interrupt (its flag, and the interrupt fd) is tested between
 *     chunks, so one call costs at most one chunk past the deadline;
 *   - every syscall on a guest fd is non-blocking.  A guest fd in blocking
 *     mode whose transfer would block (EAGAIN) waits in poll() on the fd
 *     *and* the interrupt fd, then tries again: there is no readiness check
 *     followed by a blocking call, which another reader of the same pipe
 *     could win.
 *
 * How a call is made non-blocking depends on whose open file description
 * the guest fd uses (wz_fd.io):
 *   WZ_IO_OWN     a description the sandbox opened (path_open): O_NONBLOCK
 *                 is set on it (lazily, at the first transfer; nobody else
 *                 shares it), whatever the guest's fdflags say.
 *   WZ_IO_PLAIN   the embedder's regular file, block device or directory
 *                 (a dup): these never wait for a peer, so plain calls; the
 *                 file offset stays shared with the embedder, as expected
 *                 of stdout redirected to a file.
 *   WZ_IO_SOCK    the embedder's socket: recvmsg/sendmsg with MSG_DONTWAIT,
 *                 a per-call flag, so the shared description is untouched.
 *   WZ_IO_NOWAIT  the embedder's pipe, FIFO or character device (terminal)
 *                 that could not be reopened (below): preadv2/pwritev2 with
 *                 RWF_NOWAIT, also per call.
 *   WZ_IO_TOGGLE  ... on a kernel or file without RWF_NOWAIT (EOPNOTSUPP):
 *                 O_NONBLOCK is set on the shared description for the one
 *                 syscall and restored at once (the only case where the
 *                 embedder could observe it; documented in wasi.h).
 * The embedder's pipes, FIFOs and character devices are first reopened
 * through /proc/self/fd with O_NONBLOCK (wz_io_adopt): that gives the
 * guest a description of its own on the same pipe or terminal, so
 * O_NONBLOCK never leaks to the embedder (a shell's terminal, a parent's
 * pipe).
 */
#include "util/util.h"
#include "vm/vm.h"
#include "wasi/wasi_int.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* Longest a wait sleeps between two looks at the store's interrupt flag
   (the interrupt fd wakes it at once; the flag alone is seen within this). */
#define WZ_WAIT_SLICE_MS 50

bool wz_stop(aw_wasi *w, aw_caller *c) {
  aw_store *s = aw_caller_store(c);
  _Atomic uint32_t *flag = s ? vm_interrupt_flag(s) : NULL;
  if (flag && atomic_load_explicit(flag, memory_order_relaxed)) return true;
  if (w->interrupt_fd < 0) return false;
  struct pollfd p = {w->interrupt_fd, POLLIN, 0};
  int r;
  while ((r = poll(&p, 1, 0)) < 0 && errno == EINTR) {
  }
  return r > 0 && (p.revents & POLLIN);
}

aw_errkind wz_timeout(aw_error *err, const char *what) {
  aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX, "interrupted in %s", what);
  return AW_ERR_TIMEOUT;
}

int wz_wait(aw_wasi *w, aw_caller *c, int h, short events) {
  for (;;) {
    if (wz_stop(w, c)) return 1;
    /* A negative fd is ignored by poll: no interrupt fd needs no case. */
    struct pollfd p[2] = {{h, events, 0}, {w->interrupt_fd, POLLIN, 0}};
    int r = poll(p, 2, WZ_WAIT_SLICE_MS);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (p[1].revents & POLLIN) return 1;
    if (r > 0 && p[0].revents) return 0;
  }
}

void wz_io_adopt(wz_fd *f) {
  struct stat st;
  f->io = WZ_IO_PLAIN;
  if (f->host < 0 || fstat(f->host, &st) != 0) return;
  if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode)) return;
  if (S_ISSOCK(st.st_mode)) {
    f->io = WZ_IO_SOCK;
    return;
  }
  f->io = WZ_IO_NOWAIT;
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) return;
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", f->host);
  /* A FIFO reopened for writing without a reader fails (ENXIO): the dup
     is then kept, used with RWF_NOWAIT. */
  int h = open(path, (fl & O_ACCMODE) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (h < 0) return;
  struct stat st2;
  if (fstat(h, &st2) != 0 || st2.st_dev != st.st_dev ||
      st2.st_ino != st.st_ino || st2.st_rdev != st.st_rdev) {
    close(h);
    return;
  }
  close(f->host);
  f->host = h;
  f->io = WZ_IO_OWN_NB;
}

/* One non-blocking attempt: -1 with errno (EAGAIN: it would block). */
static ssize_t io_once(wz_fd *f, bool wr, struct iovec *iov, int n,
                       int64_t pos) {
  switch (f->io) {
  case WZ_IO_OWN: {
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0) return -1;
    if (!(fl & O_NONBLOCK) && fcntl(f->host, F_SETFL, fl | O_NONBLOCK) < 0)
      return -1;
    f->io = WZ_IO_OWN_NB;
    return io_once(f, wr, iov, n, pos);
  }
  case WZ_IO_SOCK: {
    if (pos >= 0) {
      errno = ESPIPE;
      return -1;
    }
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    return wr ? sendmsg(f->host, &mh, MSG_DONTWAIT | MSG_NOSIGNAL)
              : recvmsg(f->host, &mh, MSG_DONTWAIT);
  }
  case WZ_IO_NOWAIT: {
    ssize_t r = wr ? pwritev2(f->host, iov, n, (off_t)pos, RWF_NOWAIT)
                   : preadv2(f->host, iov, n, (off_t)pos, RWF_NOWAIT);
    if (r < 0 && errno == EOPNOTSUPP) {
      f->io = WZ_IO_TOGGLE;
      return io_once(f, wr, iov, n, pos);
    }
    return r;
  }
  case WZ_IO_TOGGLE: {
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0) return -1;
    if (!(fl & O_NONBLOCK) && fcntl(f->host, F_SETFL, fl | O_NONBLOCK) < 0)
      return -1;
    ssize_t r = pos < 0
                    ? (wr ? writev(f->host, iov, n) : readv(f->host, iov, n))
                : wr ? pwritev(f->host, iov, n, (off_t)pos)
                     : preadv(f->host, iov, n, (off_t)pos);
    int e = errno;
    if (!(fl & O_NONBLOCK)) fcntl(f->host, F_SETFL, fl);
    errno = e;
    return r;
  }
  default: /* WZ_IO_PLAIN, WZ_IO_OWN_NB */
    if (pos < 0) return wr ? writev(f->host, iov, n) : readv(f->host, iov, n);
    return wr ? pwritev(f->host, iov, n, (off_t)pos)
              : preadv(f->host, iov, n, (off_t)pos);
  }
}

/* A FIFO of the guest's own, in blocking mode, that no writer has opened
   yet: read returns 0 and poll reports nothing (no POLLHUP before a
   writer has come and gone). */
static bool fifo_unopened(const wz_fd *f) {
  if (f->shared || f->type != WZ_FT_UNKNOWN || (f->fdflags & 4)) return false;
  struct stat st;
  if (fstat(f->host, &st) != 0 || !S_ISFIFO(st.st_mode)) return false;
  struct pollfd p = {f->host, POLLIN, 0};
  return poll(&p, 1, 0) == 0;
}

aw_errkind wz_transfer(aw_wasi *w, aw_caller *c, wz_fd *f, bool wr,
                       const struct iovec *iov, uint32_t n, int64_t pos,
                       uint32_t *done, uint16_t *werr, aw_error *err) {
  struct iovec ch[WZ_MAX_IOVS];
  uint32_t i = 0; /* cursor: iovec i, byte off of it */
  size_t off = 0;
  uint64_t total = 0;
  bool first = true;
  *done = 0;
  *werr = WZ_ESUCCESS;
  for (;;) {
    /* The next chunk: at most WZ_CHUNK bytes, and never past the most one
       call may move (so the count fits the guest's u32). */
    uint64_t room = WZ_MAX_XFER - total;
    size_t want = 0;
    int k = 0;
    uint32_t ci = i;
    size_t coff = off;
    while (ci < n && want < WZ_CHUNK && want < room) {
      size_t len = iov[ci].iov_len - coff;
      size_t lim = WZ_CHUNK - want;
      if (lim > room - want) lim = (size_t)(room - want);
      size_t take = len < lim ? len : lim;
      if (take) {
        ch[k].iov_base = (uint8_t *)iov[ci].iov_base + coff;
        ch[k].iov_len = take;
        k++;
        want += take;
      }
      if (take == len) {
        ci++;
        coff = 0;
      } else {
        coff += take;
      }
    }
    if (!first && want == 0) break;
    if (!first && wz_stop(w, c))
      return wz_timeout(err, wr ? "fd_write" : "fd_read");
    first = false;
    ssize_t r = io_once(f, wr, ch, k, pos < 0 ? -1 : pos + (int64_t)total);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && total == 0 &&
        !(f->fdflags & 4)) {
      /* Blocking mode: wait for the fd (or the deadline), then again. */
      int wr_ = wz_wait(w, c, f->host, wr ? POLLOUT : POLLIN);
      if (wr_ == 1) return wz_timeout(err, wr ? "fd_write" : "fd_read");
      if (wr_ < 0) {
        *werr = wz_errno(errno);
        return AW_OK;
      }
      first = true; /* the same chunk again, no interrupt test needed */
      continue;
    }
    if (r < 0) {
      /* After some bytes moved, a short count (the error comes again on
         the next call); before any, the error. */
      if (total == 0) *werr = wz_errno(errno);
      break;
    }
    if (r == 0 && !wr && want > 0 && total == 0 && fifo_unopened(f)) {
      /* A FIFO the guest opened before any writer did: a blocking open
         would still wait for one (the sandbox opens non-blocking), so
         reading waits too, until a writer comes or the deadline. */
      int wr_ = wz_wait(w, c, f->host, POLLIN);
      if (wr_ == 1) return wz_timeout(err, "fd_read");
      if (wr_ < 0) {
        *werr = wz_errno(errno);
        return AW_OK;
      }
      first = true;
      continue;
    }
    total += (uint64_t)r;
    if ((size_t)r < want || want == 0) break;
    i = ci;
    off = coff;
  }
  *done = (uint32_t)total;
  return AW_OK;
}
