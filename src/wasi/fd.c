/*
 * fd.c - WASI functions on open file descriptors: read/write (vectored,
 * positional; the bytes move through io.c: in chunks, non-blocking, the
 * deadline tested between chunks), seek/tell, close/renumber, fdstat,
 * filestat, readdir, prestat, sync, advise, allocate.  Every guest pointer
 * and length is checked against guest memory, and everything read from it
 * (iovec arrays) is copied before any result is written.
 */
#include "runtime.h"
#include "util/util.h"
#include "wasi/wasi_int.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define WZ_MEM_OR_FAULT()                                                      \
  wz_mem m;                                                                    \
  if (!wz_mem_of(caller, &m)) WZ_RET(WZ_EFAULT)

#define WZ_FD_OR_BADF(f, i)                                                    \
  wz_fd *f = wz_get_fd((aw_wasi *)env, WZ_ARG32(i));                           \
  if (!f) WZ_RET(WZ_EBADF)

/* The preview-1 rights model: a call on an fd without the right the spec
   assigns it fails with ENOTCAPABLE (read and write: EBADF, as read(2)
   and write(2) say for an fd not open for it, which C programs test). */
#define WZ_NEED(f, right)                                                      \
  if (!((f)->rights_base & (right))) WZ_RET(WZ_ENOTCAPABLE)

/* Copies the guest's iovec array into host iovecs (before any byte moves,
   so a transfer overwriting the array changes nothing); EFAULT if any
   lies outside guest memory. */
static uint16_t get_iovs(wz_mem *m, uint32_t iovs, uint32_t n,
                         struct iovec *out) {
  if (n > WZ_MAX_IOVS) return WZ_EINVAL;
  if (!wz_ok(m, iovs, (uint64_t)n * 8)) return WZ_EFAULT;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = wz_get32(m, iovs + 8 * i),
             len = wz_get32(m, iovs + 8 * i + 4);
    if (!wz_ok(m, buf, len)) return WZ_EFAULT;
    out[i].iov_base = m->base + buf;
    out[i].iov_len = len;
  }
  return WZ_ESUCCESS;
}

/* fd_read / fd_pread / fd_write / fd_pwrite: positional when pos >= 0.
   The bytes move in chunks through wz_transfer (io.c): never a blocking
   syscall, the deadline tested between chunks. */
static aw_errkind do_io(void *env, aw_caller *caller, const aw_val *args,
                        aw_val *results, aw_error *err, bool wr,
                        bool positional) {
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  if (f->type == WZ_FT_DIR) WZ_RET(WZ_EISDIR);
  /* Not open for reading / writing: EBADF, as read(2) / write(2) say. */
  if (!(f->rights_base & (wr ? WZ_R_FD_WRITE : WZ_R_FD_READ))) WZ_RET(WZ_EBADF);
  if (positional) WZ_NEED(f, WZ_R_FD_SEEK);
  struct iovec iov[WZ_MAX_IOVS];
  uint32_t niov = WZ_ARG32(2);
  uint16_t e = get_iovs(&m, WZ_ARG32(1), niov, iov);
  if (e) WZ_RET(e);
  uint32_t pn = WZ_ARG32(positional ? 4 : 3);
  if (!wz_ok(&m, pn, 4)) WZ_RET(WZ_EFAULT);
  int64_t pos = positional ? (int64_t)WZ_ARG64(3) : -1;
  uint32_t done;
  aw_errkind k =
      wz_transfer(env, caller, f, wr, iov, niov, pos, &done, &e, err);
  if (k != AW_OK) return k;
  if (e) WZ_RET(e);
  wz_put32(&m, pn, done);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_read) {
  return do_io(env, caller, args, results, err, false, false);
}
static WZ_HOSTFN(fd_pread) {
  if ((int64_t)WZ_ARG64(3) < 0) WZ_RET(WZ_EINVAL);
  return do_io(env, caller, args, results, err, false, true);
}
static WZ_HOSTFN(fd_write) {
  return do_io(env, caller, args, results, err, true, false);
}
static WZ_HOSTFN(fd_pwrite) {
  if ((int64_t)WZ_ARG64(3) < 0) WZ_RET(WZ_EINVAL);
  return do_io(env, caller, args, results, err, true, true);
}

static WZ_HOSTFN(fd_close) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  wz_release_fd(f);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_renumber) {
  (void)caller, (void)err;
  aw_wasi *w = env;
  wz_fd *from = wz_get_fd(w, WZ_ARG32(0)), *to = wz_get_fd(w, WZ_ARG32(1));
  if (!from || !to) WZ_RET(WZ_EBADF);
  if (from == to) WZ_RET(WZ_ESUCCESS);
  wz_release_fd(to);
  *to = *from;
  memset(from, 0, sizeof *from);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_seek) {
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  int64_t off = (int64_t)WZ_ARG64(1);
  uint32_t whence = WZ_ARG32(2), pout = WZ_ARG32(3);
  static const int wh[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence > 2) WZ_RET(WZ_EINVAL);
  if (!wz_ok(&m, pout, 8)) WZ_RET(WZ_EFAULT);
  /* A directory has no position: EBADF, as Wasmtime answers (the spec
     does not say). */
  if (f->type == WZ_FT_DIR) WZ_RET(WZ_EBADF);
  /* Reading the position (offset 0 from the current one) is fd_tell. */
  WZ_NEED(f,
          off == 0 && whence == 1 ? WZ_R_FD_SEEK | WZ_R_FD_TELL : WZ_R_FD_SEEK);
  off_t r = lseek(f->host, (off_t)off, wh[whence]);
  if (r < 0) WZ_RET(wz_errno(errno));
  wz_put64(&m, pout, (uint64_t)r);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_tell) {
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  if (!wz_ok(&m, WZ_ARG32(1), 8)) WZ_RET(WZ_EFAULT);
  if (f->type == WZ_FT_DIR) WZ_RET(WZ_EBADF);
  WZ_NEED(f, WZ_R_FD_TELL);
  off_t r = lseek(f->host, 0, SEEK_CUR);
  if (r < 0) WZ_RET(wz_errno(errno));
  wz_put64(&m, WZ_ARG32(1), (uint64_t)r);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_fdstat_get) {
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  uint32_t p = WZ_ARG32(1);
  if (!wz_ok(&m, p, 24)) WZ_RET(WZ_EFAULT);
  int fl = fcntl(f->host, F_GETFL);
  uint16_t flags = f->fdflags & 4; /* NONBLOCK as the guest set it */
  if (fl >= 0 && (fl & O_APPEND)) flags |= 1;
  memset(m.base + p, 0, 24);
  m.base[p] = f->type;
  wz_put16(&m, p + 2, flags);
  wz_put64(&m, p + 8, f->rights_base);
  wz_put64(&m, p + 16, f->rights_inh);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_fdstat_set_flags) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  WZ_NEED(f, WZ_R_FD_FDSTAT_SET_FLAGS);
  uint32_t flags = WZ_ARG32(1);
  if (f->shared) {
    /* Never change the embedder's stdio (e.g. leave a shell's terminal
       non-blocking): NONBLOCK is the guest's mode only (io.c). */
    f->fdflags = (uint16_t)(flags & 4);
    WZ_RET(WZ_ESUCCESS);
  }
  /* The host description stays O_NONBLOCK whatever the guest asks (io.c
     waits for a fd in blocking mode); only APPEND is passed on. */
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) WZ_RET(wz_errno(errno));
  fl &= ~O_APPEND;
  if (flags & 1) fl |= O_APPEND;
  fl |= O_NONBLOCK;
  if (fcntl(f->host, F_SETFL, fl) < 0) WZ_RET(wz_errno(errno));
  f->io = WZ_IO_OWN_NB;
  f->fdflags = (uint16_t)flags;
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_fdstat_set_rights) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  /* Rights that do not apply to the fd's type (path_open dropped them)
     are ignored, as bits that are no right. */
  uint64_t applies = f->shared              ? WZ_R_ALL
                     : f->type == WZ_FT_DIR ? WZ_R_DIR
                                            : WZ_R_FILE;
  uint64_t base = WZ_ARG64(1) & applies, inh = WZ_ARG64(2) & WZ_R_ALL;
  /* Rights can only be dropped, never gained. */
  if ((base & ~f->rights_base) || (inh & ~f->rights_inh))
    WZ_RET(WZ_ENOTCAPABLE);
  f->rights_base = base;
  f->rights_inh = inh;
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_filestat_get) {
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  if (!wz_ok(&m, WZ_ARG32(1), 64)) WZ_RET(WZ_EFAULT);
  WZ_NEED(f, WZ_R_FD_FILESTAT_GET);
  struct stat st;
  if (fstat(f->host, &st) != 0) WZ_RET(wz_errno(errno));
  wz_put_filestat(&m, WZ_ARG32(1), &st);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_filestat_set_size) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  /* Without the right: EINVAL, as ftruncate(2) on an fd not open for
     writing (C programs compare it); on a read-only grant ENOTCAPABLE. */
  if (!f->writable) WZ_RET(WZ_ENOTCAPABLE);
  if (!(f->rights_base & WZ_R_FD_FILESTAT_SET_SIZE)) WZ_RET(WZ_EINVAL);
  if ((int64_t)WZ_ARG64(1) < 0) WZ_RET(WZ_EINVAL);
  if (ftruncate(f->host, (off_t)WZ_ARG64(1)) != 0) WZ_RET(wz_errno(errno));
  WZ_RET(WZ_ESUCCESS);
}

uint16_t wz_times(uint64_t atim, uint64_t mtim, uint32_t fl,
                  struct timespec ts[2]) {
  if (((fl & 1) && (fl & 2)) || ((fl & 4) && (fl & 8)) || fl > 15)
    return WZ_EINVAL;
  ts[0].tv_nsec = UTIME_OMIT;
  ts[1].tv_nsec = UTIME_OMIT;
  ts[0].tv_sec = ts[1].tv_sec = 0;
  if (fl & 1) {
    ts[0].tv_sec = (time_t)(atim / 1000000000u);
    ts[0].tv_nsec = (long)(atim % 1000000000u);
  }
  if (fl & 2) ts[0].tv_nsec = UTIME_NOW;
  if (fl & 4) {
    ts[1].tv_sec = (time_t)(mtim / 1000000000u);
    ts[1].tv_nsec = (long)(mtim % 1000000000u);
  }
  if (fl & 8) ts[1].tv_nsec = UTIME_NOW;
  return WZ_ESUCCESS;
}

static WZ_HOSTFN(fd_filestat_set_times) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  WZ_NEED(f, WZ_R_FD_FILESTAT_SET_TIMES);
  struct timespec ts[2];
  uint16_t e = wz_times(WZ_ARG64(1), WZ_ARG64(2), WZ_ARG32(3), ts);
  if (e) WZ_RET(e);
  if (futimens(f->host, ts) != 0) WZ_RET(wz_errno(errno));
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_sync) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  WZ_NEED(f, WZ_R_FD_SYNC);
  if (fsync(f->host) != 0 && errno != EINVAL) WZ_RET(wz_errno(errno));
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_datasync) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  WZ_NEED(f, WZ_R_FD_DATASYNC);
  if (fdatasync(f->host) != 0 && errno != EINVAL) WZ_RET(wz_errno(errno));
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_advise) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  WZ_NEED(f, WZ_R_FD_ADVISE);
  if (WZ_ARG32(3) > 5) WZ_RET(WZ_EINVAL);
  static const int adv[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                            POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                            POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  int r = posix_fadvise(f->host, (off_t)WZ_ARG64(1), (off_t)WZ_ARG64(2),
                        adv[WZ_ARG32(3)]);
  WZ_RET(r == ESPIPE ? WZ_ESPIPE : r ? wz_errno(r) : WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_allocate) {
  (void)caller, (void)err;
  WZ_FD_OR_BADF(f, 0);
  /* Without the right: EBADF, as posix_fallocate(3) on an fd not open for
     writing; on a read-only grant ENOTCAPABLE. */
  if (!f->writable) WZ_RET(WZ_ENOTCAPABLE);
  if (!(f->rights_base & WZ_R_FD_ALLOCATE)) WZ_RET(WZ_EBADF);
  int r = posix_fallocate(f->host, (off_t)WZ_ARG64(1), (off_t)WZ_ARG64(2));
  WZ_RET(r ? wz_errno(r) : WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_prestat_get) {
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  if (!f->preopen) WZ_RET(WZ_EBADF);
  if (!wz_ok(&m, WZ_ARG32(1), 8)) WZ_RET(WZ_EFAULT);
  wz_put32(&m, WZ_ARG32(1), 0); /* tag: directory */
  wz_put32(&m, WZ_ARG32(1) + 4, (uint32_t)strlen(f->preopen));
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(fd_prestat_dir_name) {
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  if (!f->preopen) WZ_RET(WZ_EBADF);
  uint32_t p = WZ_ARG32(1), len = WZ_ARG32(2);
  size_t n = strlen(f->preopen);
  if (len < n) WZ_RET(WZ_ENAMETOOLONG);
  if (!wz_ok(&m, p, n)) WZ_RET(WZ_EFAULT);
  memcpy(m.base + p, f->preopen, n);
  WZ_RET(WZ_ESUCCESS);
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused): cookies are entry
   indices; the stream is kept between calls and rewound only when the
   guest asks for another position. */
static WZ_HOSTFN(fd_readdir) {
  aw_wasi *w = env;
  WZ_MEM_OR_FAULT();
  WZ_FD_OR_BADF(f, 0);
  uint32_t buf = WZ_ARG32(1), len = WZ_ARG32(2), pused = WZ_ARG32(4);
  uint64_t cookie = WZ_ARG64(3);
  if (f->type != WZ_FT_DIR) WZ_RET(WZ_ENOTDIR);
  WZ_NEED(f, WZ_R_FD_READDIR);
  if (!wz_ok(&m, buf, len) || !wz_ok(&m, pused, 4)) WZ_RET(WZ_EFAULT);
  if (!f->dir) {
    /* The stream is charged to the memory budget before it is opened. */
    aw_store *s = ((aw_wasi *)env)->store;
    if (!rt_budget_charge(s, WZ_DIR_BYTES, NULL)) WZ_RET(WZ_ENOMEM);
    int h = fcntl(f->host, F_DUPFD_CLOEXEC, 0);
    if (h < 0 || !(f->dir = fdopendir(h))) {
      int e = errno;
      if (h >= 0) close(h);
      rt_budget_release(s, WZ_DIR_BYTES);
      WZ_RET(wz_errno(e));
    }
    if (s) {
      if (f->budget != s) { /* a setup fd (preopen): charged from now on */
        f->budget = s;
        f->charged = 0;
      }
      f->charged += WZ_DIR_BYTES;
    }
    rewinddir(f->dir);
    f->dir_pos = 0;
  }
  if (cookie != f->dir_pos) {
    rewinddir(f->dir);
    f->dir_pos = 0;
    while (f->dir_pos < cookie && readdir(f->dir))
      if (++f->dir_pos % WZ_DIR_CHUNK == 0 && wz_stop(w, caller))
        return wz_timeout(err, "fd_readdir");
  }
  uint32_t used = 0, seen = 0;
  while (used < len) {
    if (++seen % WZ_DIR_CHUNK == 0 && wz_stop(w, caller))
      return wz_timeout(err, "fd_readdir");
    long here = telldir(f->dir);
    errno = 0;
    struct dirent *d = readdir(f->dir);
    if (!d) {
      if (errno) WZ_RET(wz_errno(errno));
      break;
    }
    f->dir_pos++;
    uint8_t hdr[24] = {0};
    uint64_t next = f->dir_pos, ino = d->d_ino;
    uint32_t nlen = (uint32_t)strlen(d->d_name);
    uint8_t t = WZ_FT_UNKNOWN;
    switch (d->d_type) {
    case DT_REG: t = WZ_FT_REG; break;
    case DT_DIR: t = WZ_FT_DIR; break;
    case DT_LNK: t = WZ_FT_SYMLINK; break;
    case DT_CHR: t = WZ_FT_CHAR; break;
    case DT_BLK: t = WZ_FT_BLOCK; break;
    case DT_SOCK: t = WZ_FT_SOCK_STREAM; break;
    default: break;
    }
    memcpy(hdr, &next, 8);
    memcpy(hdr + 8, &ino, 8);
    memcpy(hdr + 16, &nlen, 4);
    hdr[20] = t;
    /* Entries are truncated at the buffer's end; the guest sees a full
       buffer and asks again from the last complete cookie. */
    uint32_t room = len - used;
    uint32_t n1 = room < 24 ? room : 24;
    memcpy(m.base + buf + used, hdr, n1);
    used += n1;
    room = len - used;
    uint32_t n2 = room < nlen ? room : nlen;
    memcpy(m.base + buf + used, d->d_name, n2);
    used += n2;
    if (n1 < 24 || n2 < nlen) {
      /* Not complete: the next call resumes at this entry. */
      seekdir(f->dir, here);
      f->dir_pos--;
      break;
    }
  }
  wz_put32(&m, pused, used);
  WZ_RET(WZ_ESUCCESS);
}

const wz_fn wz_fd_fns[] = {
    {"fd_advise", "iIIi:i", fd_advise},
    {"fd_allocate", "iII:i", fd_allocate},
    {"fd_close", "i:i", fd_close},
    {"fd_datasync", "i:i", fd_datasync},
    {"fd_fdstat_get", "ii:i", fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii:i", fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII:i", fd_fdstat_set_rights},
    {"fd_filestat_get", "ii:i", fd_filestat_get},
    {"fd_filestat_set_size", "iI:i", fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi:i", fd_filestat_set_times},
    {"fd_pread", "iiiIi:i", fd_pread},
    {"fd_prestat_get", "ii:i", fd_prestat_get},
    {"fd_prestat_dir_name", "iii:i", fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi:i", fd_pwrite},
    {"fd_read", "iiii:i", fd_read},
    {"fd_readdir", "iiiIi:i", fd_readdir},
    {"fd_renumber", "ii:i", fd_renumber},
    {"fd_seek", "iIii:i", fd_seek},
    {"fd_sync", "i:i", fd_sync},
    {"fd_tell", "ii:i", fd_tell},
    {"fd_write", "iiii:i", fd_write},
    {NULL, NULL, NULL}};
