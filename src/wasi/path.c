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
 *   - no link the guest makes or moves may lead outside the base
 *     directory, for any program that follows it (see "links never lead
 *     outside" below).
 * Every call checks the preview-1 right it needs on the directory fd it
 * is given (path_open, path_create_file for O_CREAT, ...; a read-only
 * grant has none of the rights that change anything).  Files are opened
 * non-blocking first, so that a FIFO cannot hold the host thread inside
 * open().
 */
#include "util/util.h"
#include "wasi/wasi_int.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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

/* Resolves `path` (a host copy, taken over and freed) from the directory
   fd `basefd`: the loop of wz_resolve, also used to check where a new
   symlink would lead. */
static uint16_t resolve_path(int basefd, char *path, bool follow, wz_path *out);

uint16_t wz_resolve(aw_wasi *w, wz_mem *m, uint32_t fd, uint32_t ptr,
                    uint32_t len, bool follow, uint64_t need, wz_path *out) {
  out->dirfd = -1;
  out->owned = false;
  out->name = NULL;
  out->depth = 0;
  out->slash = out->notdir = out->link_slash = out->dotdot = false;
  wz_fd *base = wz_get_fd(w, fd);
  if (!base) return WZ_EBADF;
  if (base->type != WZ_FT_DIR) return WZ_ENOTDIR;
  if ((base->rights_base & need) != need) return WZ_ENOTCAPABLE;
  if (!wz_ok(m, ptr, len)) return WZ_EFAULT;
  if (len > WZ_MAX_PATH) return WZ_ENAMETOOLONG;
  if (memchr(m->base + ptr, '\0', len)) return WZ_EINVAL;
  if (len > 0 && m->base[ptr] == '/') return WZ_ENOTCAPABLE;
  if (len == 0) return WZ_ENOENT;

  char *path = malloc(len + 1);
  if (!path) return WZ_ENOMEM;
  memcpy(path, m->base + ptr, len);
  path[len] = '\0';
  return resolve_path(base->host, path, follow, out);
}

static uint16_t resolve_path(int basefd, char *path, bool follow,
                             wz_path *out) {
  out->dirfd = -1;
  out->owned = false;
  out->name = NULL;
  out->depth = 0;
  out->slash = out->notdir = out->link_slash = out->dotdot = false;
  int stack[WZ_MAX_DEPTH];
  int depth = 0; /* stack[0] is the base fd, not owned */
  stack[0] = basefd;
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
  if (dir->type != WZ_FT_DIR) WZ_RET(WZ_ENOTDIR);
  /* The preview-1 rights model: the rights asked for (base and
     inheriting) must be a subset of the directory's inheriting rights
     (bits that are no right, and the socket rights, which never apply to
     what path_open opens, are ignored, so all-ones works on a read-write
     grant); creating needs path_create_file and truncating
     path_filestat_set_size on the directory itself; an append-mode fd
     needs fd_write.  The host file is opened for what the rights
     allow. */
  rights &= WZ_R_ALL & ~WZ_R_SOCK;
  inh &= WZ_R_ALL & ~WZ_R_SOCK;
  uint64_t need = WZ_R_PATH_OPEN;
  if (oflags & 1) need |= WZ_R_PATH_CREATE_FILE;
  if (oflags & 8) need |= WZ_R_PATH_FILESTAT_SET_SIZE;
  if ((dir->rights_base & need) != need || (rights & ~dir->rights_inh) ||
      (inh & ~dir->rights_inh) ||
      ((fdflags & 1) && !(dir->rights_inh & WZ_R_FD_WRITE)))
    WZ_RET(WZ_ENOTCAPABLE);
  bool want_read = rights & (WZ_R_FD_READ | WZ_R_FD_READDIR);
  bool want_write = (rights & (WZ_R_FD_WRITE | WZ_R_FD_ALLOCATE |
                               WZ_R_FD_FILESTAT_SET_SIZE)) ||
                    (fdflags & 1);
  wz_path p;
  uint16_t e = wz_resolve(w, &m, WZ_ARG32(0), WZ_ARG32(2), WZ_ARG32(3),
                          dirflags & 1, WZ_R_PATH_OPEN, &p);
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
  /* Rights that do not apply to the type opened are dropped (as the spec
     allows): a directory has no read, write, seek or tell. */
  f->rights_base = rights & (S_ISDIR(st.st_mode) ? WZ_R_DIR : WZ_R_FILE);
  f->rights_inh = inh;
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
                          WZ_R_PATH_CREATE_DIRECTORY, &p);
  if (e) WZ_RET(e);
  int r = mkdirat(p.dirfd, p.name, 0777);
  WZ_RET(path_finish(&p, r));
}

static WZ_HOSTFN(path_remove_directory) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path p;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          WZ_R_PATH_REMOVE_DIRECTORY, &p);
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
                          WZ_R_PATH_UNLINK_FILE, &p);
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
                          WZ_ARG32(1) & 1, WZ_R_PATH_FILESTAT_GET, &p);
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
                 WZ_ARG32(1) & 1, WZ_R_PATH_FILESTAT_SET_TIMES, &p);
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
                          WZ_R_PATH_READLINK, &p);
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

/* ---- links never lead outside (the sandbox invariant on disk) ----

   A symlink the guest makes, or moves, must resolve inside the directory
   fd it was made through, for any program that follows it (the host's
   included), now and after any later change to the tree.  Checking the
   resolved target once is not enough when the target has ".." after other
   components: "l -> a/b/.." stays inside while a/b is a directory, and
   leads out as soon as a/b is replaced by a link to "..".  So a link's
   target must have the *form* (link_form_ok): relative, its ".."
   components all at the start, at most as many as the directory holding
   the link lies below the base fd.  ".." then walks up the real parents of
   the link's own directory (fixed while the link stays where it is), and
   the rest walks down.  If every link in the tree has that form, every
   link resolves inside whatever is later created, removed or replaced
   (each link lands on an ancestor inside, then walks down, through links
   that land inside again).  That form is checked wherever a link gets a
   new place: path_symlink, path_rename of a link (to its new depth),
   path_rename of a directory (every link in it, to its new depth;
   bounded), path_link of a link (hard links to a symlink are more names of
   it).  path_symlink and path_rename/path_link of a link also resolve the
   target from the new place (link_resolves_inside), which catches links
   the host planted that lead out ("l -> planted_up/x"). */

/* Most entries a directory rename examines, and deepest nesting it
   descends; a larger tree is refused with EXDEV (what rename(2) says
   across file systems; `mv` then copies, and every link it re-creates is
   checked by path_symlink). */
#define WZ_MAX_SCAN 10000
#define WZ_MAX_SCAN_DEPTH 64
/* Entries examined between two looks at the interrupt fd (about 1 ms). */
#define WZ_SCAN_CHUNK 1024
/* check_tree's answer when the execution's deadline passed meanwhile. */
#define WZ_SCAN_INTERRUPTED 0xffff

/* True if the interrupt fd has fired (the execution's deadline passed). */
static bool interrupt_fired(const aw_wasi *w) {
  if (w->interrupt_fd < 0) return false;
  struct pollfd p = {w->interrupt_fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

/* True if target has the safe form for a link in a directory `depth`
   levels below the base fd (see above). */
static bool link_form_ok(const char *t, int depth) {
  if (t[0] == '/') return false;
  int up = 0;
  bool down = false;
  const char *rest = t, *comp;
  size_t n;
  while ((n = next_comp(&rest, &comp)) != 0) {
    if (n == 2 && comp[0] == '.' && comp[1] == '.') {
      if (down || ++up > depth) return false;
    } else if (!(n == 1 && comp[0] == '.')) {
      down = true;
    }
  }
  return true;
}

/* True unless resolving `target` from the directory the guest path
   dir[0..dl) names (relative to the base directory fd basefd), with every
   symlink followed, would leave the base directory (or reach an absolute
   link).  A target that does not exist (yet) is fine: its form keeps
   whatever is created there inside. */
static bool link_resolves_inside(int basefd, const char *dir, size_t dl,
                                 const char *target) {
  size_t tl = strlen(target);
  char *path = malloc(dl + tl + 2);
  if (!path) return false;
  memcpy(path, dir, dl);
  size_t at = dl;
  if (dl) path[at++] = '/';
  memcpy(path + at, target, tl + 1);
  wz_path r;
  uint16_t e = resolve_path(basefd, path, true, &r);
  if (!e) wz_path_done(&r);
  return e != WZ_ENOTCAPABLE && e != WZ_ENOMEM;
}

/* Length of the directory part of a guest path (what precedes its last
   component; trailing slashes are not a component). */
static size_t dir_part(const uint8_t *p, size_t len) {
  while (len > 0 && p[len - 1] == '/')
    len--;
  while (len > 0 && p[len - 1] != '/')
    len--;
  return len;
}

/* Checks a link (target t) that is to be named by the guest path
   (ptr, len) of directory fd `fd`, whose directory resolved to `depth`
   levels below it: WZ_ESUCCESS or WZ_ENOTCAPABLE. */
static uint16_t check_new_link(aw_wasi *w, wz_mem *m, uint32_t fd, uint32_t ptr,
                               uint32_t len, int depth, const char *t) {
  if (!link_form_ok(t, depth)) return WZ_ENOTCAPABLE;
  const wz_fd *base = wz_get_fd(w, fd);
  size_t dl = dir_part(m->base + ptr, len);
  char dir[WZ_MAX_PATH + 1];
  memcpy(dir, m->base + ptr, dl);
  dir[dl] = '\0';
  return base && link_resolves_inside(base->host, dir, dl, t) ? WZ_ESUCCESS
                                                              : WZ_ENOTCAPABLE;
}

/* Reads the target of the symlink `name` in dirfd into buf (WZ_MAX_PATH +
   1 bytes): 1, or 0 if it is not a symlink (or is gone), or -1 if it is
   one that cannot be read whole (callers then refuse). */
static int read_link(int dirfd, const char *name, char *buf) {
  ssize_t n = readlinkat(dirfd, name, buf, WZ_MAX_PATH);
  if (n < 0) return errno == EINVAL || errno == ENOENT ? 0 : -1;
  if (n >= WZ_MAX_PATH) return -1;
  buf[n] = '\0';
  return 1;
}

/* Checks every symlink below the directory d (whose entries will lie
   `depth` levels below the base fd) for its form; *budget counts the
   entries left to examine.  WZ_ESUCCESS, WZ_ENOTCAPABLE, or WZ_EXDEV when
   the tree is too large or too deep to check.  fix: after the move
   instead, remove every link without the form (made by a racing call)
   and go on. */
static uint16_t check_tree(const aw_wasi *w, int d, int depth, int level,
                           size_t *budget, bool fix) {
  if (level > WZ_MAX_SCAN_DEPTH) return WZ_EXDEV;
  DIR *ds = fdopendir(d);
  if (!ds) {
    close(d);
    return WZ_EXDEV;
  }
  uint16_t e = WZ_ESUCCESS;
  struct dirent *de;
  while (!e && (de = readdir(ds)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    if ((*budget)-- == 0) {
      e = WZ_EXDEV;
      break;
    }
    if (*budget % WZ_SCAN_CHUNK == 0 && interrupt_fired(w)) {
      e = WZ_SCAN_INTERRUPTED;
      break;
    }
    unsigned char t = de->d_type;
    if (t == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(dirfd(ds), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      t = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
    }
    if (t == DT_LNK) {
      char target[WZ_MAX_PATH + 1];
      int rl = read_link(dirfd(ds), de->d_name, target);
      if (rl < 0 || (rl > 0 && !link_form_ok(target, depth))) {
        if (fix)
          unlinkat(dirfd(ds), de->d_name, 0);
        else
          e = WZ_ENOTCAPABLE;
      }
    } else if (t == DT_DIR) {
      int sub = openat(dirfd(ds), de->d_name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        e = WZ_EXDEV;
        break;
      }
      e = check_tree(w, sub, depth + 1, level + 1, budget, fix);
    }
  }
  closedir(ds);
  return e;
}

/* ---- races ----
   The checks above and the operation are two steps: another guest sharing
   the grant may move the link's directory (or an ancestor) up in between,
   so that the link lands, or already lies, one level too high.  Each
   operation therefore checks again after it: a new or moved link verifies
   that its directory still lies deep enough (walking up its real parents,
   still_deep) and is removed if not; a moved directory is walked again at
   its new place and links without the form are removed (check_tree, fix).
   Whichever of two racing calls comes last sees the other's result, so
   once both have returned no link leads outside; while they run, one may
   for a moment. */

/* Number of ".." components at the start of t. */
static int leading_up(const char *t) {
  int up = 0;
  const char *rest = t, *comp;
  size_t n;
  while ((n = next_comp(&rest, &comp)) != 0) {
    if (n == 2 && comp[0] == '.' && comp[1] == '.')
      up++;
    else if (!(n == 1 && comp[0] == '.'))
      break;
  }
  return up;
}

/* True unless the directory dirfd lies fewer than k levels below the
   directory basefd (one of its first k real ancestors, itself included,
   is basefd). */
static bool still_deep(int basefd, int dirfd, int k) {
  struct stat bs, st;
  if (k == 0) return true;
  if (fstat(basefd, &bs) != 0) return false;
  int cur = dirfd;
  bool ok = true;
  for (int i = 0; i < k && ok; i++) {
    if (fstat(cur, &st) != 0 ||
        (st.st_dev == bs.st_dev && st.st_ino == bs.st_ino)) {
      ok = false;
      break;
    }
    if (i + 1 == k) break;
    int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cur != dirfd) close(cur);
    cur = up;
    if (cur < 0) ok = false;
  }
  if (cur >= 0 && cur != dirfd) close(cur);
  return ok;
}

/* After a link with target t was made or moved to name in dirfd (of the
   guest fd `fd`): removes it if its directory no longer lies deep enough.
   WZ_ESUCCESS or WZ_ENOTCAPABLE. */
static uint16_t recheck_link(aw_wasi *w, uint32_t fd, int dirfd,
                             const char *name, const char *t) {
  const wz_fd *base = wz_get_fd(w, fd);
  if (!base || still_deep(base->host, dirfd, leading_up(t))) return WZ_ESUCCESS;
  char now[WZ_MAX_PATH + 1];
  if (read_link(dirfd, name, now) > 0 && strcmp(now, t) == 0)
    unlinkat(dirfd, name, 0);
  return WZ_ENOTCAPABLE;
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
                          WZ_R_PATH_SYMLINK, &p);
  if (e) WZ_RET(e);
  e = check_new_link(env, &m, WZ_ARG32(2), WZ_ARG32(3), WZ_ARG32(4), p.depth,
                     target);
  if (e) {
    wz_path_done(&p);
    WZ_RET(e);
  }
  if (p.slash) {
    e = wz_slash_new_link(&p);
    wz_path_done(&p);
    WZ_RET(e);
  }
  int r = symlinkat(target, p.dirfd, p.name);
  if (r == 0 && (e = recheck_link(env, WZ_ARG32(2), p.dirfd, p.name, target))) {
    wz_path_done(&p);
    WZ_RET(e);
  }
  WZ_RET(path_finish(&p, r));
}

/* When the entry a (not followed) is a symlink: checks it as a link named
   by the guest path (ptr, len) of fd, in directory b. */
static uint16_t check_moved_link(aw_wasi *w, wz_mem *m, const wz_path *a,
                                 uint32_t fd, uint32_t ptr, uint32_t len,
                                 const wz_path *b) {
  char target[WZ_MAX_PATH + 1];
  int rl = read_link(a->dirfd, a->name, target);
  if (rl <= 0) return rl == 0 ? WZ_ESUCCESS : WZ_ENOTCAPABLE;
  return check_new_link(w, m, fd, ptr, len, b->depth, target);
}

static WZ_HOSTFN(path_link) {
  (void)err;
  WZ_MEM_OR_FAULT();
  wz_path a, b;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(2), WZ_ARG32(3),
                          WZ_ARG32(1) & 1, WZ_R_PATH_LINK_SOURCE, &a);
  if (e) WZ_RET(e);
  e = wz_resolve(env, &m, WZ_ARG32(4), WZ_ARG32(5), WZ_ARG32(6), false,
                 WZ_R_PATH_LINK_TARGET, &b);
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
  } else if ((e = check_moved_link(env, &m, &a, WZ_ARG32(4), WZ_ARG32(5),
                                   WZ_ARG32(6), &b)) != 0) {
    /* A hard link to a symlink is the link at a second place. */
    wz_path_done(&a);
    wz_path_done(&b);
    WZ_RET(e);
  } else {
    r = linkat(a.dirfd, a.name, b.dirfd, b.name, 0);
    char t[WZ_MAX_PATH + 1];
    if (r == 0 && read_link(b.dirfd, b.name, t) > 0 &&
        (e = recheck_link(env, WZ_ARG32(4), b.dirfd, b.name, t))) {
      wz_path_done(&a);
      wz_path_done(&b);
      WZ_RET(e);
    }
  }
  int saved = errno;
  wz_path_done(&a);
  wz_path_done(&b);
  WZ_RET(r ? wz_errno(saved) : WZ_ESUCCESS);
}

/* Before a rename of a to b: a symlink is checked at its new place; a
   directory has every link in it checked at its new depth (check_tree).
   Links the guest made keep their form at the same or a greater depth,
   but the host may have planted links without it: they are not moved
   either (the walk is bounded, so it is done for every directory). */
static uint16_t check_rename(aw_wasi *w, wz_mem *m, const wz_path *a,
                             uint32_t fd, uint32_t ptr, uint32_t len,
                             const wz_path *b) {
  struct stat st;
  if (fstatat(a->dirfd, a->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return WZ_ESUCCESS; /* renameat gives the errno */
  if (S_ISLNK(st.st_mode)) return check_moved_link(w, m, a, fd, ptr, len, b);
  if (!S_ISDIR(st.st_mode)) return WZ_ESUCCESS;
  if (strcmp(a->name, ".") == 0) return WZ_ESUCCESS; /* EBUSY/EINVAL */
  int d = openat(a->dirfd, a->name,
                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d < 0) return WZ_ESUCCESS;
  size_t budget = WZ_MAX_SCAN;
  return check_tree(w, d, b->depth + 1, 0, &budget, false);
}

/* After a rename to b (of the guest fd `fd`): a link is checked again
   (recheck_link), a directory walked again at its new place, removing the
   links that a racing call left without the form (the rename stands). */
static uint16_t recheck_moved(aw_wasi *w, uint32_t fd, const wz_path *b) {
  struct stat st;
  if (fstatat(b->dirfd, b->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return WZ_ESUCCESS;
  char t[WZ_MAX_PATH + 1];
  if (S_ISLNK(st.st_mode))
    return read_link(b->dirfd, b->name, t) > 0
               ? recheck_link(w, fd, b->dirfd, b->name, t)
               : WZ_ESUCCESS;
  if (!S_ISDIR(st.st_mode)) return WZ_ESUCCESS;
  int d = openat(b->dirfd, b->name,
                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d < 0) return WZ_ESUCCESS;
  size_t budget = WZ_MAX_SCAN;
  check_tree(w, d, b->depth + 1, 0, &budget, true);
  return WZ_ESUCCESS;
}

static WZ_HOSTFN(path_rename) {
  WZ_MEM_OR_FAULT();
  wz_path a, b;
  uint16_t e = wz_resolve(env, &m, WZ_ARG32(0), WZ_ARG32(1), WZ_ARG32(2), false,
                          WZ_R_PATH_RENAME_SOURCE, &a);
  if (e) WZ_RET(e);
  e = wz_resolve(env, &m, WZ_ARG32(3), WZ_ARG32(4), WZ_ARG32(5), false,
                 WZ_R_PATH_RENAME_TARGET, &b);
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
  } else if ((e = check_rename(env, &m, &a, WZ_ARG32(3), WZ_ARG32(4),
                               WZ_ARG32(5), &b)) != 0) {
    wz_path_done(&a);
    wz_path_done(&b);
    if (e == WZ_SCAN_INTERRUPTED) {
      aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
              "interrupted while checking the links of path_rename");
      return AW_ERR_TIMEOUT;
    }
    WZ_RET(e);
  } else {
    r = renameat(a.dirfd, a.name, b.dirfd, b.name);
    if (r == 0 && (e = recheck_moved(env, WZ_ARG32(3), &b))) {
      wz_path_done(&a);
      wz_path_done(&b);
      WZ_RET(e);
    }
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
