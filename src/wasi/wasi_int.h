/*
 * wasi_int.h - what the WASI files share: the state of one guest (fd
 * table, args, env), the guest-memory accessors that bounds-check every
 * pointer, ABI constants of wasi_snapshot_preview1, and the sandboxed path
 * resolver (path.c).
 */
#ifndef AW_WASI_INT_H
#define AW_WASI_INT_H

#include "airssys/wasi.h"
#include <dirent.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

/* ---- ABI constants (wasi_snapshot_preview1) ---- */
enum {
  WZ_ESUCCESS = 0,
  WZ_E2BIG = 1,
  WZ_EACCES = 2,
  WZ_EAGAIN = 6,
  WZ_EBADF = 8,
  WZ_EBUSY = 10,
  WZ_EEXIST = 20,
  WZ_EFAULT = 21,
  WZ_EFBIG = 22,
  WZ_EINTR = 27,
  WZ_EINVAL = 28,
  WZ_EIO = 29,
  WZ_EISDIR = 31,
  WZ_ELOOP = 32,
  WZ_EMFILE = 33,
  WZ_EMLINK = 34,
  WZ_ENAMETOOLONG = 37,
  WZ_ENFILE = 41,
  WZ_ENODEV = 43,
  WZ_ENOENT = 44,
  WZ_ENOMEM = 48,
  WZ_ENOSPC = 51,
  WZ_ENOSYS = 52,
  WZ_ENOTDIR = 54,
  WZ_ENOTEMPTY = 55,
  WZ_ENOTSOCK = 57,
  WZ_ENOTSUP = 58,
  WZ_ENOTTY = 59,
  WZ_ENXIO = 60,
  WZ_EOVERFLOW = 61,
  WZ_EPERM = 63,
  WZ_EPIPE = 64,
  WZ_ERANGE = 68,
  WZ_EROFS = 69,
  WZ_ESPIPE = 70,
  WZ_ETXTBSY = 74,
  WZ_EXDEV = 75,
  WZ_ENOTCAPABLE = 76
};

enum {
  WZ_FT_UNKNOWN = 0,
  WZ_FT_BLOCK = 1,
  WZ_FT_CHAR = 2,
  WZ_FT_DIR = 3,
  WZ_FT_REG = 4,
  WZ_FT_SOCK_DGRAM = 5,
  WZ_FT_SOCK_STREAM = 6,
  WZ_FT_SYMLINK = 7
};

/* Rights (wasi_snapshot_preview1 `rights`, typenames.witx), all 30. */
#define WZ_R_FD_DATASYNC (1ull << 0)
#define WZ_R_FD_READ (1ull << 1)
#define WZ_R_FD_SEEK (1ull << 2)
#define WZ_R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WZ_R_FD_SYNC (1ull << 4)
#define WZ_R_FD_TELL (1ull << 5)
#define WZ_R_FD_WRITE (1ull << 6)
#define WZ_R_FD_ADVISE (1ull << 7)
#define WZ_R_FD_ALLOCATE (1ull << 8)
#define WZ_R_PATH_CREATE_DIRECTORY (1ull << 9)
#define WZ_R_PATH_CREATE_FILE (1ull << 10)
#define WZ_R_PATH_LINK_SOURCE (1ull << 11)
#define WZ_R_PATH_LINK_TARGET (1ull << 12)
#define WZ_R_PATH_OPEN (1ull << 13)
#define WZ_R_FD_READDIR (1ull << 14)
#define WZ_R_PATH_READLINK (1ull << 15)
#define WZ_R_PATH_RENAME_SOURCE (1ull << 16)
#define WZ_R_PATH_RENAME_TARGET (1ull << 17)
#define WZ_R_PATH_FILESTAT_GET (1ull << 18)
#define WZ_R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WZ_R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WZ_R_FD_FILESTAT_GET (1ull << 21)
#define WZ_R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WZ_R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WZ_R_PATH_SYMLINK (1ull << 24)
#define WZ_R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WZ_R_PATH_UNLINK_FILE (1ull << 26)
#define WZ_R_POLL_FD_READWRITE (1ull << 27)
#define WZ_R_SOCK_SHUTDOWN (1ull << 28)
#define WZ_R_SOCK_ACCEPT (1ull << 29)
#define WZ_R_ALL ((1ull << 30) - 1)
#define WZ_R_SOCK (WZ_R_SOCK_SHUTDOWN | WZ_R_SOCK_ACCEPT)
/* The rights that apply to a directory fd, and to any other fd (the
   preview-1 model: path_open drops the rights that do not apply to the
   type it opened; a directory keeps none of read, write, seek, tell). */
#define WZ_R_DIR                                                               \
  (WZ_R_PATH_CREATE_DIRECTORY | WZ_R_PATH_CREATE_FILE |                        \
   WZ_R_PATH_LINK_SOURCE | WZ_R_PATH_LINK_TARGET | WZ_R_PATH_OPEN |            \
   WZ_R_FD_READDIR | WZ_R_PATH_READLINK | WZ_R_PATH_RENAME_SOURCE |            \
   WZ_R_PATH_RENAME_TARGET | WZ_R_PATH_FILESTAT_GET |                          \
   WZ_R_PATH_FILESTAT_SET_SIZE | WZ_R_PATH_FILESTAT_SET_TIMES |                \
   WZ_R_FD_FILESTAT_GET | WZ_R_FD_FILESTAT_SET_TIMES | WZ_R_PATH_SYMLINK |     \
   WZ_R_PATH_REMOVE_DIRECTORY | WZ_R_PATH_UNLINK_FILE |                        \
   WZ_R_FD_FDSTAT_SET_FLAGS | WZ_R_FD_SYNC | WZ_R_FD_DATASYNC |                \
   WZ_R_FD_ADVISE)
#define WZ_R_FILE                                                              \
  (WZ_R_FD_DATASYNC | WZ_R_FD_READ | WZ_R_FD_SEEK | WZ_R_FD_FDSTAT_SET_FLAGS | \
   WZ_R_FD_SYNC | WZ_R_FD_TELL | WZ_R_FD_WRITE | WZ_R_FD_ADVISE |              \
   WZ_R_FD_ALLOCATE | WZ_R_FD_FILESTAT_GET | WZ_R_FD_FILESTAT_SET_SIZE |       \
   WZ_R_FD_FILESTAT_SET_TIMES | WZ_R_POLL_FD_READWRITE)
/* The rights that change a file or a directory: a read-only grant has
   none of them, neither as base nor as inheriting rights. */
#define WZ_R_WRITES                                                            \
  (WZ_R_FD_DATASYNC | WZ_R_FD_WRITE | WZ_R_FD_ALLOCATE |                       \
   WZ_R_FD_FILESTAT_SET_SIZE | WZ_R_FD_FILESTAT_SET_TIMES |                    \
   WZ_R_PATH_CREATE_DIRECTORY | WZ_R_PATH_CREATE_FILE |                        \
   WZ_R_PATH_LINK_TARGET | WZ_R_PATH_RENAME_SOURCE | WZ_R_PATH_RENAME_TARGET | \
   WZ_R_PATH_FILESTAT_SET_SIZE | WZ_R_PATH_FILESTAT_SET_TIMES |                \
   WZ_R_PATH_SYMLINK | WZ_R_PATH_REMOVE_DIRECTORY | WZ_R_PATH_UNLINK_FILE)

/* One guest file descriptor. */
typedef struct wz_fd {
  bool used;
  int host;         /* host fd (owned) */
  uint8_t type;     /* WZ_FT_* */
  bool writable;    /* may write / create / remove below or through it */
  uint16_t fdflags; /* WASI fdflags as last set (NONBLOCK is ours) */
  bool shared;      /* stdio: the host file description is the embedder's
                       (a dup), so its status flags are never changed:
                       NONBLOCK is emulated, APPEND ignored */
  uint64_t rights_base, rights_inh;
  char *preopen;    /* guest name of a granted directory, else NULL */
  DIR *dir;         /* readdir stream (on a dup of host), lazily opened */
  uint64_t dir_pos; /* index of the next entry dir will return */
  /* Memory budget: bytes (WZ_FD_BYTES, WZ_DIR_BYTES) charged for this
     entry to the store `budget` (NULL: none), returned on release. */
  aw_store *budget;
  uint32_t charged;
  uint8_t io; /* WZ_IO_*: how transfers are made non-blocking (io.c) */
} wz_fd;

/* What the memory budget charges for the host state a guest grows: an
   open fd (its table slot and the kernel's open-file object), a directory
   stream (glibc's DIR and its 32 KiB buffer); fd-table slots are charged
   at their size when the table grows. */
#define WZ_FD_BYTES 512u
#define WZ_DIR_BYTES (32768u + 256u)

/* wz_fd.io (see io.c).  0, the default of a fresh entry, is a description
   the sandbox opened itself. */
enum {
  WZ_IO_OWN = 0, /* ours; O_NONBLOCK not yet set */
  WZ_IO_OWN_NB,  /* ours, O_NONBLOCK set */
  WZ_IO_PLAIN,   /* embedder's regular file / block device / directory */
  WZ_IO_SOCK,    /* embedder's socket: MSG_DONTWAIT */
  WZ_IO_NOWAIT,  /* embedder's pipe / terminal: RWF_NOWAIT */
  WZ_IO_TOGGLE   /* ... without RWF_NOWAIT: O_NONBLOCK around each call */
};

/* Most bytes one syscall of a transfer moves, and most iovecs in a call
   (as IOV_MAX); most bytes one call moves (Linux's MAX_RW_COUNT, so the
   count fits the guest's u32 whatever the iovecs alias). */
#define WZ_CHUNK (64u * 1024u)
#define WZ_MAX_IOVS 1024
#define WZ_MAX_XFER 0x7ffff000u
/* Most directory entries fd_readdir reads between two interrupt tests
   (4,096 took ~19 ms on the loaded CI machine, 256 ~1 ms). */
#define WZ_DIR_CHUNK 256

struct aw_wasi {
  uint32_t nargs, nenv;
  char **args, **env;
  size_t args_size, env_size; /* bytes incl. NULs */
  wz_fd *fds;
  uint32_t nfds; /* table size (entries beyond are free) */
  int interrupt_fd;
  aw_store *store; /* whose memory budget pays for what the guest grows
                      (set by aw_wasi_define); NULL before */
  /* One execution at a time: set for the duration of every WASI call and
     of aw_wasi_define; a second thread finding it set is refused (the
     state has no lock of its own).  The host functions' env points into
     thunks (one per WASI function, for the life of the state). */
  _Atomic bool busy;
  struct wz_thunk *thunks;
};

/* Guest memory of the current call. */
typedef struct wz_mem {
  uint8_t *base;
  uint64_t size;
} wz_mem;

/* True if [ptr, ptr+len) lies inside guest memory. */
static inline bool wz_ok(const wz_mem *m, uint32_t ptr, uint64_t len) {
  return (uint64_t)ptr + len <= m->size;
}
static inline void wz_put16(wz_mem *m, uint32_t p, uint16_t v) {
  memcpy(m->base + p, &v, 2);
}
static inline void wz_put32(wz_mem *m, uint32_t p, uint32_t v) {
  memcpy(m->base + p, &v, 4);
}
static inline void wz_put64(wz_mem *m, uint32_t p, uint64_t v) {
  memcpy(m->base + p, &v, 8);
}
static inline uint32_t wz_get32(const wz_mem *m, uint32_t p) {
  uint32_t v;
  memcpy(&v, m->base + p, 4);
  return v;
}
static inline uint64_t wz_get64(const wz_mem *m, uint32_t p) {
  uint64_t v;
  memcpy(&v, m->base + p, 8);
  return v;
}

/* Host errno -> WASI errno. */
uint16_t wz_errno(int host_errno);

/* The fd entry for a guest fd, or NULL if not open. */
wz_fd *wz_get_fd(aw_wasi *w, uint32_t fd);

/* Allocates the lowest free guest fd for host fd h (taken over).  Returns
   the guest fd, or -1 (EMFILE) leaving h open for the caller to close. */
int64_t wz_alloc_fd(aw_wasi *w, int h, uint8_t type, bool writable);

/* Rights of a host fd that is a terminal: no seek or tell (that is how
   wasi-libc's isatty() recognises a terminal). */
#define WZ_R_TTY_DROP (WZ_R_FD_SEEK | WZ_R_FD_TELL)

/* Releases a guest fd entry (closes its host fd and stream, returns its
   budget charge). */
void wz_release_fd(wz_fd *f);

/* File type of a host stat mode. */
uint8_t wz_filetype(unsigned mode);

/* Writes a WASI filestat (64 bytes) for st at guest address p. */
struct stat;
void wz_put_filestat(wz_mem *m, uint32_t p, const struct stat *st);

/* Converts WASI times and fstflags into utimensat/futimens form. */
uint16_t wz_times(uint64_t atim, uint64_t mtim, uint32_t fl,
                  struct timespec ts[2]);

/* ---- io.c: chunked, non-blocking, interruptible transfers ---- */

/* True once the execution must stop: the caller's store interrupt flag is
   set or the interrupt fd is readable. */
bool wz_stop(aw_wasi *w, aw_caller *c);

/* Fills err for a call interrupted by the deadline; returns
   AW_ERR_TIMEOUT (the execution then ends as `timeout`). */
aw_errkind wz_timeout(aw_error *err, const char *what);

/* Waits until host fd h is ready for events (POLLIN/POLLOUT) or the
   execution is interrupted.  Returns 0 when ready, 1 when interrupted, or
   -1 with errno. */
int wz_wait(aw_wasi *w, aw_caller *c, int h, short events);

/* Chooses how the embedder's fd behind a stdio entry is used (f->io); may
   replace f->host by a reopened, non-blocking description of its own. */
void wz_io_adopt(wz_fd *f);

/* Reads (wr false) or writes the host iovecs from/to f, at pos (or the
   current offset if pos < 0), in chunks of WZ_CHUNK bytes, testing the
   interrupt between chunks and waiting (interruptibly) while a fd in
   blocking mode would block.  AW_OK with *done bytes moved and *werr a
   WASI errno (set only when nothing moved), or AW_ERR_TIMEOUT (err
   filled). */
aw_errkind wz_transfer(aw_wasi *w, aw_caller *c, wz_fd *f, bool wr,
                       const struct iovec *iov, uint32_t n, int64_t pos,
                       uint32_t *done, uint16_t *werr, aw_error *err);

/* A path resolved inside the sandbox: operate on `name` relative to
   `dirfd` without following a final symlink. */
typedef struct wz_path {
  int dirfd;
  bool owned; /* close dirfd when done */
  char *name; /* final component ("." for the directory itself) */
  int depth;  /* levels dirfd lies below the base directory fd */
  /* Trailing slashes ("name/"), which POSIX treats specially: */
  bool slash;      /* the path ended with a slash after `name` */
  bool notdir;     /* ... and `name` exists but is not a directory */
  bool link_slash; /* "link/" not to be followed (follow false) was
                      resolved through the link: unlink, rmdir and rename
                      refuse it with ENOTDIR, as POSIX does */
  bool dotdot;     /* the last component was ".." (name is then ".") */
} wz_path;

/* The errno of an operation that creates `name` as a link (symlink, hard
   link) when the path had a trailing slash: EEXIST if it exists, else
   ENOENT. */
uint16_t wz_slash_new_link(const wz_path *p);

/* Resolves the guest path (ptr, len in guest memory) relative to the
   directory fd `fd`, which must hold the rights `need` (WZ_R_*; else
   ENOTCAPABLE).  follow: resolve a final symlink too.  Returns a WASI
   errno; on success *out must be released with wz_path_done. */
uint16_t wz_resolve(aw_wasi *w, wz_mem *m, uint32_t fd, uint32_t ptr,
                    uint32_t len, bool follow, uint64_t need, wz_path *out);
void wz_path_done(wz_path *p);

/* Host-function tables of each file, for aw_wasi_define. */
typedef struct wz_fn {
  const char *name;
  const char *sig; /* params, then ':' and results; 'i' = i32, 'I' = i64 */
  aw_host_fn fn;
} wz_fn;
extern const wz_fn wz_fd_fns[];
extern const wz_fn wz_path_fns[];
extern const wz_fn wz_misc_fns[];

/* Memory of the caller; false if it has none (the function returns
   EFAULT... or traps; see wasi.c). */
bool wz_mem_of(aw_caller *c, wz_mem *m);

/* Shorthands for host-function bodies. */
#define WZ_ARG32(i) ((uint32_t)args[i].of.i32)
#define WZ_ARG64(i) ((uint64_t)args[i].of.i64)
#define WZ_RET(e)                                                              \
  do {                                                                         \
    results[0].kind = AW_I32;                                                  \
    results[0].of.i32 = (int32_t)(e);                                          \
    return AW_OK;                                                              \
  } while (0)
#define WZ_HOSTFN(name)                                                        \
  aw_errkind name(void *env, aw_caller *caller, const aw_val *args,            \
                  aw_val *results, aw_error *err)

#endif /* AW_WASI_INT_H */
