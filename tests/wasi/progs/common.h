/*
 * common.h - helpers shared by the WASI test programs (tests/wasi/progs):
 * errno names (the strerror texts of glibc and wasi-libc differ, the names
 * do not), checked-call reporting, and a sorted directory listing.  Every
 * program is compiled both natively and for wasm32-wasi and must print the
 * same bytes in both.
 */
#ifndef WASI_PROGS_COMMON_H
#define WASI_PROGS_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline const char *errname(int e) {
  switch (e) {
  case 0: return "OK";
  case EPERM: return "EPERM";
  case ENOENT: return "ENOENT";
  case EIO: return "EIO";
  case EBADF: return "EBADF";
  case EAGAIN: return "EAGAIN";
  case ENOMEM: return "ENOMEM";
  case EACCES: return "EACCES";
  case EFAULT: return "EFAULT";
  case EBUSY: return "EBUSY";
  case EEXIST: return "EEXIST";
  case EXDEV: return "EXDEV";
  case ENOTDIR: return "ENOTDIR";
  case EISDIR: return "EISDIR";
  case EINVAL: return "EINVAL";
  case ENFILE: return "ENFILE";
  case EMFILE: return "EMFILE";
  case ENOTTY: return "ENOTTY";
  case EFBIG: return "EFBIG";
  case ENOSPC: return "ENOSPC";
  case ESPIPE: return "ESPIPE";
  case EROFS: return "EROFS";
  case EMLINK: return "EMLINK";
  case EPIPE: return "EPIPE";
  case ERANGE: return "ERANGE";
  case ENAMETOOLONG: return "ENAMETOOLONG";
  case ENOSYS: return "ENOSYS";
  case ENOTEMPTY: return "ENOTEMPTY";
  case ELOOP: return "ELOOP";
  case EOVERFLOW: return "EOVERFLOW";
  case ENOTSUP: return "ENOTSUP";
  case ENXIO: return "ENXIO";
#ifdef ENOTCAPABLE
  case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
  default: return "E?";
  }
}

/* Prints "what: OK" or "what: ENAME" for a call that returns -1 on error. */
#define TRY(what, expr)                                                        \
  do {                                                                         \
    errno = 0;                                                                 \
    long try_r_ = (long)(expr);                                                \
    printf("%s: %s\n", (what), try_r_ < 0 ? errname(errno) : "OK");            \
  } while (0)

static inline int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline const char *type_name(mode_t m) {
  if (S_ISREG(m)) return "file";
  if (S_ISDIR(m)) return "dir";
  if (S_ISLNK(m)) return "symlink";
  if (S_ISFIFO(m)) return "fifo";
  if (S_ISCHR(m)) return "chardev";
  return "other";
}

/* Prints the entries of dir (without "." and ".."), sorted, with their
   lstat type and, for files, size. */
static inline void list_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    printf("opendir %s: %s\n", dir, errname(errno));
    return;
  }
  char *names[512];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 512) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  printf("%s: %d entries\n", dir, n);
  for (int i = 0; i < n; i++) {
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    if (lstat(p, &st) != 0)
      printf("  %s (lstat %s)\n", names[i], errname(errno));
    else if (S_ISREG(st.st_mode))
      printf("  %s file %lld\n", names[i], (long long)st.st_size);
    else
      printf("  %s %s\n", names[i], type_name(st.st_mode));
    free(names[i]);
  }
}

#endif
