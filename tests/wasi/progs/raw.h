/*
 * raw.h - direct calls of wasi_snapshot_preview1 imports for the sandbox
 * tests (wasm only): paths as (pointer, length) so that NULs and any
 * length can be passed, the runtime's own errno (not wasi-libc's view of
 * it), and WASI errno names.
 */
#ifndef WASI_PROGS_RAW_H
#define WASI_PROGS_RAW_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RAW(name)                                                              \
  __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

RAW(path_open)
int32_t raw_path_open(int32_t fd, int32_t dirflags, const char *path,
                      int32_t len, int32_t oflags, int64_t rights,
                      int64_t inherit, int32_t fdflags, int32_t *out);
RAW(path_filestat_get)
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, const char *path,
                              int32_t len, void *buf);
RAW(path_create_directory)
int32_t raw_path_create_directory(int32_t fd, const char *path, int32_t len);
RAW(path_remove_directory)
int32_t raw_path_remove_directory(int32_t fd, const char *path, int32_t len);
RAW(path_unlink_file)
int32_t raw_path_unlink_file(int32_t fd, const char *path, int32_t len);
RAW(path_rename)
int32_t raw_path_rename(int32_t fd, const char *old, int32_t olen, int32_t nfd,
                        const char *new_, int32_t nlen);
RAW(path_link)
int32_t raw_path_link(int32_t fd, int32_t flags, const char *old, int32_t olen,
                      int32_t nfd, const char *new_, int32_t nlen);
RAW(path_symlink)
int32_t raw_path_symlink(const char *old, int32_t olen, int32_t fd,
                         const char *new_, int32_t nlen);
RAW(path_readlink)
int32_t raw_path_readlink(int32_t fd, const char *path, int32_t len, char *buf,
                          int32_t buflen, int32_t *used);
RAW(path_filestat_set_times)
int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags, const char *path,
                                    int32_t len, int64_t atim, int64_t mtim,
                                    int32_t fstflags);
RAW(fd_write)
int32_t raw_fd_write(int32_t fd, const void *iovs, int32_t n, int32_t *nw);
RAW(fd_pwrite)
int32_t raw_fd_pwrite(int32_t fd, const void *iovs, int32_t n, int64_t off,
                      int32_t *nw);
RAW(fd_read)
int32_t raw_fd_read(int32_t fd, void *iovs, int32_t n, int32_t *nr);
RAW(fd_close)
int32_t raw_fd_close(int32_t fd);
RAW(fd_renumber)
int32_t raw_fd_renumber(int32_t fd, int32_t to);
RAW(fd_seek)
int32_t raw_fd_seek(int32_t fd, int64_t off, int32_t whence, uint64_t *pos);
RAW(fd_prestat_get)
int32_t raw_fd_prestat_get(int32_t fd, void *buf);
RAW(fd_prestat_dir_name)
int32_t raw_fd_prestat_dir_name(int32_t fd, char *buf, int32_t len);
RAW(fd_fdstat_get)
int32_t raw_fd_fdstat_get(int32_t fd, void *buf);
RAW(fd_fdstat_set_rights)
int32_t raw_fd_fdstat_set_rights(int32_t fd, int64_t base, int64_t inherit);
RAW(fd_filestat_set_size)
int32_t raw_fd_filestat_set_size(int32_t fd, int64_t size);
RAW(fd_filestat_set_times)
int32_t raw_fd_filestat_set_times(int32_t fd, int64_t atim, int64_t mtim,
                                  int32_t fstflags);
RAW(fd_allocate)
int32_t raw_fd_allocate(int32_t fd, int64_t off, int64_t len);
RAW(fd_readdir)
int32_t raw_fd_readdir(int32_t fd, void *buf, int32_t len, int64_t cookie,
                       int32_t *used);
RAW(fd_sync)
int32_t raw_fd_sync(int32_t fd);
RAW(poll_oneoff)
int32_t raw_poll_oneoff(const void *in, void *out, int32_t n, int32_t *nev);
RAW(sock_accept)
int32_t raw_sock_accept(int32_t fd, int32_t flags, int32_t *out);
RAW(sock_recv)
int32_t raw_sock_recv(int32_t fd, void *iovs, int32_t n, int32_t flags,
                      int32_t *nr, int32_t *oflags);
RAW(sock_send)
int32_t raw_sock_send(int32_t fd, const void *iovs, int32_t n, int32_t flags,
                      int32_t *nw);
RAW(sock_shutdown)
int32_t raw_sock_shutdown(int32_t fd, int32_t how);
RAW(proc_raise)
int32_t raw_proc_raise(int32_t sig);

/* Rights: read, seek, tell, readdir, filestat; and with write. */
#define R_READ                                                                 \
  ((int64_t)((1 << 1) | (1 << 2) | (1 << 5) | (1 << 14) | (1 << 21)))
#define R_WRITE ((int64_t)((1 << 6) | (1 << 8) | (1 << 22) | (1 << 0)))
#define R_ALL ((int64_t)((1ull << 29) - 1))
#define R_SYNC ((int64_t)(1 << 4))
#define R_OPEN ((int64_t)(1 << 13)) /* path_open, on a directory */
#define O_CREAT_ 1
#define O_DIR_ 2
#define O_EXCL_ 4
#define O_TRUNC_ 8
#define FOLLOW 1

static const char *const wasi_errnames[] = {"SUCCESS",
                                            "2BIG",
                                            "ACCES",
                                            "ADDRINUSE",
                                            "ADDRNOTAVAIL",
                                            "AFNOSUPPORT",
                                            "AGAIN",
                                            "ALREADY",
                                            "BADF",
                                            "BADMSG",
                                            "BUSY",
                                            "CANCELED",
                                            "CHILD",
                                            "CONNABORTED",
                                            "CONNREFUSED",
                                            "CONNRESET",
                                            "DEADLK",
                                            "DESTADDRREQ",
                                            "DOM",
                                            "DQUOT",
                                            "EXIST",
                                            "FAULT",
                                            "FBIG",
                                            "HOSTUNREACH",
                                            "IDRM",
                                            "ILSEQ",
                                            "INPROGRESS",
                                            "INTR",
                                            "INVAL",
                                            "IO",
                                            "ISCONN",
                                            "ISDIR",
                                            "LOOP",
                                            "MFILE",
                                            "MLINK",
                                            "MSGSIZE",
                                            "MULTIHOP",
                                            "NAMETOOLONG",
                                            "NETDOWN",
                                            "NETRESET",
                                            "NETUNREACH",
                                            "NFILE",
                                            "NOBUFS",
                                            "NODEV",
                                            "NOENT",
                                            "NOEXEC",
                                            "NOLCK",
                                            "NOLINK",
                                            "NOMEM",
                                            "NOMSG",
                                            "NOPROTOOPT",
                                            "NOSPC",
                                            "NOSYS",
                                            "NOTCONN",
                                            "NOTDIR",
                                            "NOTEMPTY",
                                            "NOTRECOVERABLE",
                                            "NOTSOCK",
                                            "NOTSUP",
                                            "NOTTY",
                                            "NXIO",
                                            "OVERFLOW",
                                            "OWNERDEAD",
                                            "PERM",
                                            "PIPE",
                                            "PROTO",
                                            "PROTONOSUPPORT",
                                            "PROTOTYPE",
                                            "RANGE",
                                            "ROFS",
                                            "SPIPE",
                                            "SRCH",
                                            "STALE",
                                            "TIMEDOUT",
                                            "TXTBSY",
                                            "XDEV",
                                            "NOTCAPABLE"};

static inline const char *wname(int32_t e) {
  return e >= 0 && e <= 76 ? wasi_errnames[e] : "??";
}

/* Shorthands: a C string as (pointer, length). */
#define P(s) (s), (int32_t)strlen(s)

/* Opens path under fd 3 for reading; returns the errno, *fd on success. */
static inline int32_t open_ro(const char *path, int32_t flags, int32_t *fd) {
  return raw_path_open(3, flags, P(path), 0, R_READ, R_READ, 0, fd);
}

#endif
