/*
 * path.c - the WASI sandbox: resolving guest paths under a granted
 * directory, and the path_* functions built on it.
 *
 * A guest path is walked one component at a time from the directory fd,
 * holding an O_PATH fd for every directory on the way (so nothing can be
 * swapped under us), never with a string concatenation and open():
 *   - absolute paths are refused (ENOTCAPABLE);
 *   - ".." pops one directory and is refused when it would leave the
 *     granted one;
 *   - a symlink met on the way is read and its target spliced into the
 *     remaining path, under the same rules (absolute targets refused, at
 *     most WZ_MAX_SYMLINKS expansions: ELOOP);
 *   - the final component is handed to the *at() call with O_NOFOLLOW /
 *     AT_SYMLINK_NOFOLLOW, so a link planted after resolution is never
 *     followed (a trailing slash is never passed on: the resolver marks
 *     it, and each path_* function gives the errno POSIX gives);
 *   - guest-made symlinks may not point above the base directory.
 * Writes (create, remove, rename, link, truncate, set times) need a
 * directory granted read-write.  Files are opened non-blocking first, so
 * that a FIFO cannot hold the host thread inside open().
 */
#include "util/util.h"
#include "wasi/wasi_int.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest guest path accepted, and most symlinks expanded in one lookup. */
#define WZ_MAX_PATH 4096
#define WZ_MAX_SYMLINKS 32
/* Deepest directory nesting a lookup may hold open. */
#define WZ_MAX_DEPTH 256

void wz_path_done(wz_path *p) {
  if (p->owned && p->dirfd >= 0) close(p->dirfd);
  free(p->name);
  p->dirfd = -1;
  p->owned = false;
  p->name = NULL;
}

/* Splits the next component off *rest (skipping slashes). Returns its
   length, 0 at the end. */
static size_t next_comp(const char **rest, const char **comp) {
  const char *p = *rest;
  while (*p == '/')
    p++;
  const char *s = p;
  while (*p && *p != '/')
    p++;
  *comp = s;
  *rest = p;
  return (size_t)(p - s);
}

/* True if only slashes remain. */
static bool only_slashes(const char *p) {
  while (*p == '/')
    p++;
  return *p == '\0';
}

uint16_t wz_resolve(aw_wasi *w, wz_mem *m, uint32_t fd, uint32_t ptr,
                    uint32_t len, bool follow, bool need_write, wz_path *out) {
  out->dirfd = -1;
  out->owned = false;
  out->name = NULL;
  out->depth = 0;
  out->slash = out->notdir = out->link_slash = out->dotdot = false;
  wz_fd *base = wz_get_fd(w, fd);
  if (!base) return WZ_EBADF;
  if (base->type != WZ_FT_DIR) return WZ_ENOTDIR;
  if (need_write && !base->writable) return WZ_ENOTCAPABLE;
  if (!wz_ok(m, ptr, len)) return WZ_EFAULT;
  if (len > WZ_MAX_PATH) return WZ_ENAMETOOLONG;
  if (memchr(m->base + ptr, '\0', len)) return WZ_EINVAL;
  if (len > 0 && m->base[ptr] == '/') return WZ_ENOTCAPABLE;
  if (len == 0) return WZ_ENOENT;

  char *path = malloc(len + 1);
  if (!path) return WZ_ENOMEM;
  memcpy(path, m->base + ptr, len);
  path[len] = '\0';

  int stack[WZ_MAX_DEPTH];
  int depth = 0; /* stack[0] is the base fd, not owned */
  stack[0] = base->host;
  int links = 0;
  uint16_t e = WZ_ESUCCESS;
  const char *rest = path;
  for (;;) {
    const char *comp;
    size_t n = next_comp(&rest, &comp);
    if (n == 0) { /* path was only slashes after a component: "." */
      out->name = strdup(".");
      break;
    }
    bool last = only_slashes(rest);
    bool trailing = last && *rest == '/';
    if (n > NAME_MAX) {
      e = WZ_ENAMETOOLONG;
      break;
    }
    char name[NAME_MAX + 1];
    memcpy(name, comp, n);
    name[n] = '\0';
    if (strcmp(name, ".") == 0) {
      if (last) {
        out->name = strdup(".");
        break;
      }
      continue;
    }
    if (strcmp(name, "..") == 0) {
      if (depth == 0) {
        e = WZ_ENOTCAPABLE;
        break;
      }
      close(stack[depth--]);
      if (last) {
        out->dotdot = true;
        out->name = strdup(".");
        break;
      }
      continue;
    }
    if (last && !follow && !trailing) {
      out->name = strdup(name);
      break;
    }
    struct stat st;
    if (fstatat(stack[depth], name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT && last) {
        out->name = strdup(name);
        out->slash = trailing;
        break;
      }
      e = wz_errno(errno);
      break;
    }
    if (S_ISLNK(st.st_mode)) {
      /* A last component reaches here unfollowed only as "link/". */
      if (last && !follow) out->link_slash = true;
      if (++links > WZ_MAX_SYMLINKS) {
        e = WZ_ELOOP;
        break;
      }
      char target[WZ_MAX_PATH + 1];
      ssize_t tl = readlinkat(stack[depth], name, target, WZ_MAX_PATH);
      if (tl < 0) {
        e = wz_errno(errno);
        break;
      }
      target[tl] = '\0';
      if (tl == 0) {
        e = WZ_ENOENT;
        break;
      }
      if (target[0] == '/') {
        e = WZ_ENOTCAPABLE;
        break;
      }
      /* New path: target + rest (rest keeps its leading slash). */
      size_t rl = strlen(rest);
      if ((size_t)tl + rl + 1 > WZ_MAX_PATH * 2) {
        e = WZ_ENAMETOOLONG;
        break;
      }
      char *np = malloc((size_t)tl + rl + 2);
      if (!np) {
        e = WZ_ENOMEM;
        break;
      }
      memcpy(np, target, (size_t)tl);
      memcpy(np + tl, rest, rl + 1);
      free(path);
      path = np;
      rest = path;
      continue;
    }
    if (last) {
      /* "file/": each operation decides (ENOTDIR, EEXIST, EISDIR). */
      out->slash = trailing;
      out->notdir = trailing && !S_ISDIR(st.st_mode);
      out->name = strdup(name);
      break;
    }
    if (!S_ISDIR(st.st_mode)) {
      e = WZ_ENOTDIR;
      break;
    }
    if (depth + 1 >= WZ_MAX_DEPTH) {
      e = WZ_ENAMETOOLONG;
      break;
    }
    int d = openat(stack[depth], name,
                   O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d < 0) {
      e = wz_errno(errno);
      break;
    }
    stack[++depth] = d;
  }
  free(path);
  if (!e && !out->name) e = WZ_ENOMEM;
  /* Keep the innermost directory, close the others. */
  for (int i = depth - 1; i >= 1; i--)
    close(stack[i]);
  if (e) {
    if (depth >= 1) close(stack[depth]);
    free(out->name);
    out->name = NULL;
    return e;
  }
  out->dirfd = stack[depth];
  out->owned = depth >= 1;
  out->depth = depth;
  return WZ_ESUCCESS;
}

uint16_t wz_slash_new_link(const wz_path *p) {
  struct stat st;
  return fstatat(p->dirfd, p->name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? WZ_EEXIST
                                                                   : WZ_ENOENT;
}

/* Ends a path call: releases p and maps the host call's result r (errno
   taken before the release, which may close an fd). */
static uint16_t path_finish(wz_path *p, int r) {
  int saved = errno;
  wz_path_done(p);
  return r ? wz_errno(saved) : WZ_ESUCCESS;
}

#define WZ_MEM_OR_FAULT()                                                      \
  wz_mem m;                                                                    \
  if (!wz_mem_of(caller, &m)) WZ_RET(WZ_EFAULT)

/* path_open(fd, dirflags, path, path_len, oflags, rights_base,
             rights_inheriting, fdflags, opened_fd_ptr) */
static WZ_HOSTFN(path_open) {
  (void)err;
  aw_wasi *w = env;
  WZ_MEM_OR_FAULT();
  uint32_t dirflags = WZ_ARG32(1), oflags = WZ_ARG32(4);
  uint64_t rights = WZ_ARG64(5), inh = WZ_ARG64(6);
  uint32_t fdflags = WZ_ARG32(7), pfd = WZ_ARG32(8);
  if (!wz_ok(&m, pfd, 4)) WZ_RET(WZ_EFAULT);
  wz_fd *dir = wz_get_fd(w, WZ_ARG32(0));
  if (!dir) WZ_RET(WZ_EBADF);
  /* The new fd has at most the rights the directory lets its files
     inherit: asking for more write-ish rights is ENOTCAPABLE, other
     rights are dropped silently; the host file is opened for what the
     remaining rights allow. */
  if (rights & ~dir->rights_inh &
      (WZ_R_FD_WRITE | WZ_R_FD_ALLOCATE | WZ_R_FD_FILESTAT_SET_SIZE))
    WZ_RET(WZ_ENOTCAPABLE);
  rights &= dir->rights_inh;
  inh &= dir->rights_inh;
  bool want_read = rights & (WZ_R_FD_READ | WZ_R_FD_READDIR);
  bool want_write = (rights & (WZ_R_FD_WRITE | WZ_R_FD_ALLOCATE |
                               WZ_R_FD_FILESTAT_SET_SIZE)) ||
                    (fdflags & 1);
  bool creates = oflags & (1 | 8); /* CREAT or TRUNC */
  if ((want_write || creates) && !dir->writable) WZ_RET(WZ_ENOTCAPABLE);
  wz_path p;
  uint16_t e = wz_resolve(w, &m, WZ_ARG32(0), WZ_ARG32(2), WZ_ARG32(3),
                          dirflags & 1, false, &p);
  if (e) WZ_RET(e);
  /* "name/": creating it as a file is EISDIR; a non-directory, ENOTDIR. */
  if ((p.slash && (oflags & 1)) || p.notdir) {
    e = (oflags & 1) ? WZ_EISDIR : WZ_ENOTDIR;
    wz_path_done(&p);
    WZ_RET(e);
  }
  /* Always O_NONBLOCK at first: opening a FIFO would otherwise block the
     host thread (until a peer opens it) where no timeout can end it.  A
     FIFO without a reader then fails with ENXIO. */
  int fl = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
  if (oflags & 1) fl |= O_CREAT;
  if (oflags & 2) fl |= O_DIRECTORY;
  if (oflags & 4) fl |= O_EXCL;
  if (oflags & 8) fl |= O_TRUNC;
  if (fdflags & 1) fl |= O_APPEND;
  if (fdflags & 2) fl |= O_DSYNC;
  if (fdflags & (8 | 16)) fl |= O_SYNC;
  if (want_write && (want_read || (oflags & 2)))
    fl |= O_RDWR;
  else if (want_write)
    fl |= O_WRONLY;
  else
    fl |= O_RDONLY;
  int h = openat(p.dirfd, p.name, fl, 0666);
  if (h < 0 && errno == EISDIR && (oflags & 2) &&
      (fl & O_ACCMODE) != O_RDONLY) {
    /* A directory asked for (O_DIRECTORY) with write rights is opened
       read-only; rights decide what is allowed.  Without O_DIRECTORY the
       guest gets EISDIR, as open(2) gives for a directory opened for
       writing. */
    h = openat(p.dirfd, p.name, (fl & ~O_ACCMODE) | O_RDONLY, 0666);
  }
  int saved = errno;
  wz_path_done(&p);
  if (h < 0) WZ_RET(wz_errno(saved));
  struct stat st;
  if (fstat(h, &st) != 0 ||
      (!(fdflags & 4) && fcntl(h, F_SETFL, fcntl(h, F_GETFL) & ~O_NONBLOCK))) {
    saved = errno;
    close(h);
    WZ_RET(wz_errno(saved));
  }
  /* wz_alloc_fd may move the fd table: dir is not valid after it. */
  bool writable = dir->writable;
  int64_t fd = wz_alloc_fd(w, h, wz_filetype(st.st_mode), writable);
  if (fd < 0) {
    close(h);
    WZ_RET(WZ_EMFILE);
  }
  wz_fd *f = &w->fds[fd];
  f->rights_base = rights;
  f->rights_inh = inh;
  if (!writable) {
    f->rights_base &= ~(WZ_R_FD_WRITE | WZ_R_FD_ALLOCATE |
                        WZ_R_FD_FILESTAT_SET_SIZE | WZ_R_FD_DATASYNC);
  }
  if (S_ISCHR(st.st_mode) && isatty(h)) f->rights_base &= ~WZ_R_TTY_DROP;
  f->fdflags = (uint16_t)fdflags;
  wz_put32(&m, pfd, (uint32_t)fd);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(path_create_directory) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          true, &p);
  if (e) WZ_RET(e);
  int r = mkdirat(p.dirfd, p.name, 0777);
  WZ_RET(path_finish(&p, r));
}

static WZ_HOSTFN(path_remove_directory) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          true, &p);
  if (e) WZ_RET(e);
  /* As rmdir(2): "x/.." is ENOTEMPTY, "x/." EINVAL. */
  int r = p.link_slash               ? (errno = ENOTDIR, -1)
          : p.dotdot                 ? (errno = ENOTEMPTY, -1)
          : strcmp(p.name, ".") == 0 ? (errno = EINVAL, -1)
                                     : unlinkat(p.dirfd, p.name, AT_REMOVEDIR);
  WZ_RET(path_finish(&p, r));
}

static WZ_HOSTFN(path_unlink_file) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          true, &p);
  if (e) WZ_RET(e);
  int r = p.link_slash || p.notdir ? (errno = ENOTDIR, -1)
                                   : unlinkat(p.dirfd, p.name, 0);
  WZ_RET(path_finish(&p, r));
}

static WZ_HOSTFN(path_filestat_get) {
  (void)err;
  WZ_MEM_OR_FAULT();
  uint32_t buf = WZ_ARG32(4);
  if (!wz_ok(&m, buf, 64)) WZ_RET(WZ_EFAULT);
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(2), WZ_ARG32(3),
                          WZ_ARG32(1) & 1, false, &p);
  if (e) WZ_RET(e);
  struct stat st;
  int r = p.notdir ? (errno = ENOTDIR, -1)
                   : fstatat(p.dirfd, p.name, &st, AT_SYMLINK_NOFOLLOW);
  int saved = errno;
  wz_path_done(&p);
  if (r) WZ_RET(wz_errno(saved));
  wz_put_filestat(&m, buf, &st);
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(path_filestat_set_times) {
  (void)err;
  WZ_MEM_OR_FAULT();
  struct timespec ts[2];
  uint16_t e = wz_times(WZ_ARG64(4), WZ_ARG64(5), WZ_ARG32(6), ts);
  if (e) WZ_RET(e);
  wz_path p;
  e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(2), WZ_ARG32(3),
                 WZ_ARG32(1) & 1, true, &p);
  if (e) WZ_RET(e);
  int r = p.notdir ? (errno = ENOTDIR, -1)
                   : utimensat(p.dirfd, p.name, ts, AT_SYMLINK_NOFOLLOW);
  WZ_RET(path_finish(&p, r));
}

static WZ_HOSTFN(path_readlink) {
  (void)err;
  WZ_MEM_OR_FAULT();
  uint32_t buf = WZ_ARG32(3), len = WZ_ARG32(4), pused = WZ_ARG32(5);
  if (!wz_ok(&m, buf, len) || !wz_ok(&m, pused, 4)) WZ_RET(WZ_EFAULT);
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          false, &p);
  if (e) WZ_RET(e);
  char target[WZ_MAX_PATH];
  ssize_t n = p.notdir ? (errno = ENOTDIR, -1)
                       : readlinkat(p.dirfd, p.name, target, sizeof target);
  int saved = errno;
  wz_path_done(&p);
  if (n < 0) WZ_RET(wz_errno(saved));
  uint32_t c = (uint32_t)n < len ? (uint32_t)n : len;
  memcpy(m.base + buf, target, c);
  wz_put32(&m, pused, c);
  WZ_RET(WZ_ESUCCESS);
}

/* Refuses symlink targets that are absolute or climb above the base
   directory (the link's directory lies `depth` levels below it), so that
   the tree never holds a link leading outside the granted directory:
   "sub/l -> ../x" is fine, "l -> ../x" is not. */
static bool symlink_target_ok(const char *t, int depth) {
  if (t[0] == '/') return false;
  int level = depth;
  const char *rest = t, *comp;
  size_t n;
  while ((n = next_comp(&rest, &comp)) != 0) {
    if (n == 2 && comp[0] == '.' && comp[1] == '.') {
      if (--level < 0) return false;
    } else if (!(n == 1 && comp[0] == '.')) {
      level++;
    }
  }
  return true;
}

static WZ_HOSTFN(path_symlink) {
  (void)err;
  WZ_MEM_OR_FAULT();
  uint32_t op = WZ_ARG32(0), ol = WZ_ARG32(1);
  if (!wz_ok(&m, op, ol)) WZ_RET(WZ_EFAULT);
  if (ol > WZ_MAX_PATH) WZ_RET(WZ_ENAMETOOLONG);
  if (memchr(m.base + op, '\0', ol)) WZ_RET(WZ_EINVAL);
  char target[WZ_MAX_PATH + 1];
  memcpy(target, m.base + op, ol);
  target[ol] = '\0';
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(2), WZ_ARG32(3), WZ_ARG32(4), false,
                          true, &p);
  if (e) WZ_RET(e);
  if (!symlink_target_ok(target, p.depth)) {
    wz_path_done(&p);
    WZ_RET(WZ_ENOTCAPABLE);
  }
  if (p.slash) {
    e = wz_slash_new_link(&p);
    wz_path_done(&p);
    WZ_RET(e);
  }
  int r = symlinkat(target, p.dirfd, p.name);
  WZ_RET(path_finish(&p, r));
}

static WZ_HOSTFN(path_link) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path a, b;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(2), WZ_ARG32(3),
                          WZ_ARG32(1) & 1, true, &a);
  if (e) WZ_RET(e);
  e = wz_resolve(env, &m, WZ_ARG32(4), WZ_ARG32(5), WZ_ARG32(6), false, true,
                 &b);
  if (e) {
    wz_path_done(&a);
    WZ_RET(e);
  }
  int r;
  if (a.notdir || a.link_slash) {
    r = -1;
    errno = ENOTDIR;
  } else if (b.slash) {
    r = -1;
    errno = wz_slash_new_link(&b) == WZ_EEXIST ? EEXIST : ENOENT;
  } else {
    r = linkat(a.dirfd, a.name, b.dirfd, b.name, 0);
  }
  int saved = errno;
  wz_path_done(&a);
  wz_path_done(&b);
  WZ_RET(r ? wz_errno(saved) : WZ_ESUCCESS);
}

static WZ_HOSTFN(path_rename) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path a, b;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          true, &a);
  if (e) WZ_RET(e);
  e = wz_resolve(env, &m, WZ_ARG32(3), WZ_ARG32(4), WZ_ARG32(5), false, true,
                 &b);
  if (e) {
    wz_path_done(&a);
    WZ_RET(e);
  }
  /* "x/" on either side needs a directory to move. */
  struct stat st;
  int r;
  if (a.notdir || a.link_slash || b.notdir ||
      (b.slash && fstatat(a.dirfd, a.name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
       !S_ISDIR(st.st_mode))) {
    r = -1;
    errno = ENOTDIR;
  } else {
    r = renameat(a.dirfd, a.name, b.dirfd, b.name);
  }
  int saved = errno;
  wz_path_done(&a);
  wz_path_done(&b);
  WZ_RET(r ? wz_errno(saved) : WZ_ESUCCESS);
}

const wz_fn wz_path_fns[] = {
    {"path_create_directory", "iii:i", path_create_directory},
    {"path_filestat_get", "iiiii:i", path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi:i", path_filestat_set_times},
    {"path_link", "iiiiiii:i", path_link},
    {"path_open", "iiiiiIIii:i", path_open},
    {"path_readlink", "iiiiii:i", path_readlink},
    {"path_remove_directory", "iii:i", path_remove_directory},
    {"path_rename", "iiiiii:i", path_rename},
    {"path_symlink", "iiiii:i", path_symlink},
    {"path_unlink_file", "iii:i", path_unlink_file},
    {NULL, NULL, NULL}};
