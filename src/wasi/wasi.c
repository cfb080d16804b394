/*
 * wasi.c - WASI state of one guest (fd table, args, environment), linking
 * of the wasi_snapshot_preview1 functions, and the functions that are not
 * about files: args, environ, clocks, random, poll_oneoff, proc_exit,
 * sched_yield, and the socket calls (refused: no network is granted).
 */
#include "runtime.h"
#include "util/util.h"
#include "wasi/wasi_int.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

uint16_t wz_errno(int e) {
  switch (e) {
  case 0: return WZ_ESUCCESS;
  case E2BIG: return WZ_E2BIG;
  case EACCES: return WZ_EACCES;
  case EAGAIN: return WZ_EAGAIN;
  case EBADF: return WZ_EBADF;
  case EBUSY: return WZ_EBUSY;
  case EEXIST: return WZ_EEXIST;
  case EFAULT: return WZ_EFAULT;
  case EFBIG: return WZ_EFBIG;
  case EINTR: return WZ_EINTR;
  case EINVAL: return WZ_EINVAL;
  case EIO: return WZ_EIO;
  case EISDIR: return WZ_EISDIR;
  case ELOOP: return WZ_ELOOP;
  case EMFILE: return WZ_EMFILE;
  case EMLINK: return WZ_EMLINK;
  case ENAMETOOLONG: return WZ_ENAMETOOLONG;
  case ENFILE: return WZ_ENFILE;
  case ENODEV: return WZ_ENODEV;
  case ENOENT: return WZ_ENOENT;
  case ENOMEM: return WZ_ENOMEM;
  case ENOSPC: return WZ_ENOSPC;
  case ENOSYS: return WZ_ENOSYS;
  case ENOTDIR: return WZ_ENOTDIR;
  case ENOTEMPTY: return WZ_ENOTEMPTY;
  case ENOTSOCK: return WZ_ENOTSOCK;
  case EOPNOTSUPP: return WZ_ENOTSUP;
  case ENOTTY: return WZ_ENOTTY;
  case ENXIO: return WZ_ENXIO;
  case EOVERFLOW: return WZ_EOVERFLOW;
  case EPERM: return WZ_EPERM;
  case EPIPE: return WZ_EPIPE;
  case ERANGE: return WZ_ERANGE;
  case EROFS: return WZ_EROFS;
  case ESPIPE: return WZ_ESPIPE;
  case ETXTBSY: return WZ_ETXTBSY;
  case EXDEV: return WZ_EXDEV;
  default: return WZ_EIO;
  }
}

uint8_t wz_filetype(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG: return WZ_FT_REG;
  case S_IFDIR: return WZ_FT_DIR;
  case S_IFCHR: return WZ_FT_CHAR;
  case S_IFBLK: return WZ_FT_BLOCK;
  case S_IFLNK: return WZ_FT_SYMLINK;
  case S_IFSOCK: return WZ_FT_SOCK_STREAM;
  default: return WZ_FT_UNKNOWN;
  }
}

static uint64_t ts_ns(struct timespec t) {
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void wz_put_filestat(wz_mem *m, uint32_t p, const struct stat *st) {
  memset(m->base + p, 0, 64);
  wz_put64(m, p + 0, (uint64_t)st->st_dev);
  wz_put64(m, p + 8, (uint64_t)st->st_ino);
  m->base[p + 16] = wz_filetype(st->st_mode);
  wz_put64(m, p + 24, (uint64_t)st->st_nlink);
  wz_put64(m, p + 32, (uint64_t)st->st_size);
  wz_put64(m, p + 40, ts_ns(st->st_atim));
  wz_put64(m, p + 48, ts_ns(st->st_mtim));
  wz_put64(m, p + 56, ts_ns(st->st_ctim));
}

wz_fd *wz_get_fd(aw_wasi *w, uint32_t fd) {
  if (fd >= w->nfds || !w->fds[fd].used) return NULL;
  return &w->fds[fd];
}

int64_t wz_alloc_fd(aw_wasi *w, int h, uint8_t type, bool writable) {
  uint32_t i = 0;
  while (i < w->nfds && w->fds[i].used)
    i++;
  /* The guest's fds (after aw_wasi_define) are charged to the store's
     memory budget before anything is allocated: the entry, then the
     table's growth (kept until the state is freed). */
  if (!rt_budget_charge(w->store, WZ_FD_BYTES, NULL)) return -1;
  if (i == w->nfds) {
    uint32_t n = w->nfds ? w->nfds * 2 : 8;
    if (n > AW_WASI_MAX_FDS) n = AW_WASI_MAX_FDS;
    uint64_t grow = (uint64_t)(n - w->nfds) * sizeof(wz_fd);
    wz_fd *nf = NULL;
    if (w->nfds < AW_WASI_MAX_FDS && rt_budget_charge(w->store, grow, NULL)) {
      nf = realloc(w->fds, n * sizeof *nf);
      if (!nf) rt_budget_release(w->store, grow);
    }
    if (!nf) {
      rt_budget_release(w->store, WZ_FD_BYTES);
      return -1;
    }
    memset(nf + w->nfds, 0, (n - w->nfds) * sizeof *nf);
    w->fds = nf;
    w->nfds = n;
  }
  wz_fd *f = &w->fds[i];
  memset(f, 0, sizeof *f);
  if (w->store) {
    f->budget = w->store;
    f->charged = WZ_FD_BYTES;
  }
  f->used = true;
  f->host = h;
  f->type = type;
  f->writable = writable;
  f->rights_base = f->rights_inh = WZ_R_ALL;
  return i;
}

void wz_release_fd(wz_fd *f) {
  rt_budget_release(f->budget, f->charged);
  if (f->dir) closedir(f->dir);
  if (f->host >= 0) close(f->host);
  free(f->preopen);
  memset(f, 0, sizeof *f);
}

bool wz_mem_of(aw_caller *c, wz_mem *m) {
  aw_memory *mem = aw_caller_memory(c);
  if (!mem) return false;
  m->base = aw_memory_data(mem);
  m->size = aw_memory_size(mem);
  return true;
}

/* ---- args and environment ---- */

static uint16_t put_strings(wz_mem *m, char **strs, uint32_t n, uint32_t ptrs,
                            uint32_t buf, size_t total) {
  if (!wz_ok(m, ptrs, (uint64_t)n * 4) || !wz_ok(m, buf, total))
    return WZ_EFAULT;
  for (uint32_t i = 0; i < n; i++) {
    size_t l = strlen(strs[i]) + 1;
    wz_put32(m, ptrs + 4 * i, buf);
    memcpy(m->base + buf, strs[i], l);
    buf += (uint32_t)l;
  }
  return WZ_ESUCCESS;
}

static uint16_t put_sizes(wz_mem *m, uint32_t n, size_t total, uint32_t pn,
                          uint32_t ps) {
  if (!wz_ok(m, pn, 4) || !wz_ok(m, ps, 4)) return WZ_EFAULT;
  wz_put32(m, pn, n);
  wz_put32(m, ps, (uint32_t)total);
  return WZ_ESUCCESS;
}

#define WZ_MEM_OR_FAULT()                                                      \
  wz_mem m;                                                                    \
  if (!wz_mem_of(caller, &m)) WZ_RET(WZ_EFAULT)

static WZ_HOSTFN(args_get) {
  aw_wasi *w = env;
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_RET(put_strings(&m, w->args, w->nargs, WZ_ARG32(0), WZ_ARG32(1),
                     w->args_size));
}

static WZ_HOSTFN(args_sizes_get) {
  aw_wasi *w = env;
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_RET(put_sizes(&m, w->nargs, w->args_size, WZ_ARG32(0), WZ_ARG32(1)));
}

static WZ_HOSTFN(environ_get) {
  aw_wasi *w = env;
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_RET(
      put_strings(&m, w->env, w->nenv, WZ_ARG32(0), WZ_ARG32(1), w->env_size));
}

static WZ_HOSTFN(environ_sizes_get) {
  aw_wasi *w = env;
  (void)err;
  WZ_MEM_OR_FAULT();
  WZ_RET(put_sizes(&m, w->nenv, w->env_size, WZ_ARG32(0), WZ_ARG32(1)));
}

/* ---- clocks, random, scheduling, exit ---- */

static bool host_clock(uint32_t id, clockid_t *out) {
  switch (id) {
  case 0: *out = CLOCK_REALTIME; return true;
  case 1: *out = CLOCK_MONOTONIC; return true;
  case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

static WZ_HOSTFN(clock_res_get) {
  (void)env, (void)err;
  WZ_MEM_OR_FAULT();
  clockid_t c;
  struct timespec ts;
  if (!host_clock(WZ_ARG32(0), &c)) WZ_RET(WZ_EINVAL);
  if (!wz_ok(&m, WZ_ARG32(1), 8)) WZ_RET(WZ_EFAULT);
  if (clock_getres(c, &ts) != 0) WZ_RET(wz_errno(errno));
  wz_put64(&m, WZ_ARG32(1), ts_ns(ts));
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(clock_time_get) {
  (void)env, (void)err;
  WZ_MEM_OR_FAULT();
  clockid_t c;
  struct timespec ts;
  if (!host_clock(WZ_ARG32(0), &c)) WZ_RET(WZ_EINVAL);
  if (!wz_ok(&m, WZ_ARG32(2), 8)) WZ_RET(WZ_EFAULT);
  if (clock_gettime(c, &ts) != 0) WZ_RET(wz_errno(errno));
  wz_put64(&m, WZ_ARG32(2), ts_ns(ts));
  WZ_RET(WZ_ESUCCESS);
}

/* random_get(buf, len): in chunks of WZ_CHUNK bytes, the deadline tested
   between chunks (one call may ask for 4 GiB). */
static WZ_HOSTFN(random_get) {
  WZ_MEM_OR_FAULT();
  uint32_t p = WZ_ARG32(0), n = WZ_ARG32(1);
  if (!wz_ok(&m, p, n)) WZ_RET(WZ_EFAULT);
  bool first = true;
  while (n > 0) {
    if (!first && wz_stop(env, caller)) return wz_timeout(err, "random_get");
    first = false;
    ssize_t r = getrandom(m.base + p, n < WZ_CHUNK ? n : WZ_CHUNK, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) WZ_RET(wz_errno(errno));
    p += (uint32_t)r;
    n -= (uint32_t)r;
  }
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(sched_yield_fn) {
  (void)env, (void)err, (void)caller, (void)args;
  sched_yield();
  WZ_RET(WZ_ESUCCESS);
}

static WZ_HOSTFN(proc_exit) {
  (void)env, (void)caller, (void)results;
  uint32_t code = WZ_ARG32(0);
  aw_fail(err, AW_ERR_EXIT, UINT64_MAX, "guest exited with status %u", code);
  err->exit_code = (int32_t)code;
  return AW_ERR_EXIT;
}

static WZ_HOSTFN(proc_raise) {
  (void)env, (void)err, (void)caller, (void)args;
  WZ_RET(WZ_ENOSYS);
}

/* sock_accept, sock_recv, sock_send, sock_shutdown: no network is
   granted, but the errno is the spec's: EBADF for an fd that is not open,
   ENOTSOCK for one that is not a socket, ENOTCAPABLE without the right
   (sock_accept, sock_shutdown), and ENOTSUP for a socket (stdio may be
   one) since the calls are not implemented. */
static aw_errkind sock_call(void *env, const aw_val *args, aw_val *results,
                            uint64_t right) {
  wz_fd *f = wz_get_fd(env, WZ_ARG32(0));
  if (!f) WZ_RET(WZ_EBADF);
  if (f->type != WZ_FT_SOCK_STREAM && f->type != WZ_FT_SOCK_DGRAM)
    WZ_RET(WZ_ENOTSOCK);
  if ((f->rights_base & right) != right) WZ_RET(WZ_ENOTCAPABLE);
  WZ_RET(WZ_ENOTSUP);
}
static WZ_HOSTFN(sock_accept) {
  (void)err, (void)caller;
  return sock_call(env, args, results, WZ_R_SOCK_ACCEPT);
}
static WZ_HOSTFN(sock_recv) {
  (void)err, (void)caller;
  return sock_call(env, args, results, WZ_R_FD_READ);
}
static WZ_HOSTFN(sock_send) {
  (void)err, (void)caller;
  return sock_call(env, args, results, WZ_R_FD_WRITE);
}
static WZ_HOSTFN(sock_shutdown) {
  (void)err, (void)caller;
  return sock_call(env, args, results, WZ_R_SOCK_SHUTDOWN);
}

/* ---- poll_oneoff ---- */

/* Largest number of subscriptions in one call. */
#define WZ_MAX_SUBS 256

static int64_t now_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (int64_t)ts_ns(ts);
}

/* One subscription, as read from the guest (once, before any event is
   written: the output may overlap the input). */
typedef struct wz_sub {
  uint64_t userdata;
  uint8_t tag;
  int pfd; /* fd subscriptions: index in the pollfd array */
} wz_sub;

/* poll_oneoff(in, out, nsubscriptions, nevents_ptr): waits for clock
   timeouts and fd readiness with one ppoll that also watches the interrupt
   fd (and wakes every WZ_POLL_SLICE_NS to test the store's interrupt
   flag), so a timeout of the whole execution ends the wait at once. */
#define WZ_POLL_SLICE_NS 50000000
static WZ_HOSTFN(poll_oneoff) {
  aw_wasi *w = env;
  WZ_MEM_OR_FAULT();
  uint32_t in = WZ_ARG32(0), out = WZ_ARG32(1), n = WZ_ARG32(2);
  uint32_t pnev = WZ_ARG32(3);
  if (n == 0 || n > WZ_MAX_SUBS) WZ_RET(WZ_EINVAL);
  if (!wz_ok(&m, in, (uint64_t)n * 48) || !wz_ok(&m, out, (uint64_t)n * 32) ||
      !wz_ok(&m, pnev, 4))
    WZ_RET(WZ_EFAULT);
  wz_sub sub[WZ_MAX_SUBS];
  struct pollfd pfd[WZ_MAX_SUBS + 1];
  int npfd = 0;
  int64_t deadline = -1; /* CLOCK_MONOTONIC ns of the earliest clock sub */
  for (uint32_t i = 0; i < n; i++) {
    uint32_t s = in + 48 * i;
    sub[i].userdata = wz_get64(&m, s);
    sub[i].tag = m.base[s + 8];
    sub[i].pfd = -1;
    if (sub[i].tag == 0) { /* clock */
      uint32_t id = wz_get32(&m, s + 16);
      uint64_t timeout = wz_get64(&m, s + 24);
      uint16_t flags;
      memcpy(&flags, m.base + s + 40, 2);
      clockid_t c;
      if (!host_clock(id, &c)) WZ_RET(WZ_EINVAL);
      int64_t rel = (int64_t)(timeout > INT64_MAX ? INT64_MAX : timeout);
      if (flags & 1) rel -= now_ns(c); /* absolute */
      if (rel < 0) rel = 0;
      int64_t mono = now_ns(CLOCK_MONOTONIC);
      int64_t d = rel > INT64_MAX - mono ? INT64_MAX : mono + rel;
      if (deadline < 0 || d < deadline) deadline = d;
    } else if (sub[i].tag == 1 || sub[i].tag == 2) {
      uint32_t fd = wz_get32(&m, s + 16);
      wz_fd *f = wz_get_fd(w, fd);
      if (!f) WZ_RET(WZ_EBADF);
      if (!(f->rights_base & WZ_R_POLL_FD_READWRITE)) WZ_RET(WZ_ENOTCAPABLE);
      pfd[npfd] =
          (struct pollfd){f->host, sub[i].tag == 1 ? POLLIN : POLLOUT, 0};
      sub[i].pfd = npfd++;
    } else {
      WZ_RET(WZ_EINVAL);
    }
  }
  int ifd = npfd;
  pfd[npfd++] = (struct pollfd){w->interrupt_fd, POLLIN, 0};
  uint32_t nev = 0;
  for (;;) {
    if (wz_stop(w, caller)) return wz_timeout(err, "poll_oneoff");
    int64_t rel = WZ_POLL_SLICE_NS;
    if (deadline >= 0) {
      int64_t left = deadline - now_ns(CLOCK_MONOTONIC);
      if (left < rel) rel = left < 0 ? 0 : left;
    }
    struct timespec ts = {rel / 1000000000, rel % 1000000000};
    /* A negative interrupt fd is ignored by ppoll. */
    int r = ppoll(pfd, (nfds_t)npfd, &ts, NULL);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) WZ_RET(wz_errno(errno));
    if (pfd[ifd].revents & POLLIN) return wz_timeout(err, "poll_oneoff");
    bool clock_due = deadline >= 0 && now_ns(CLOCK_MONOTONIC) >= deadline;
    /* Events come from sub[] and pfd[] only (host memory): the guest's
       input may be overwritten by them. */
    for (uint32_t i = 0; i < n; i++) {
      uint32_t e = out + 32 * nev;
      short re = sub[i].pfd >= 0 ? pfd[sub[i].pfd].revents : 0;
      bool ready = sub[i].tag == 0 ? clock_due : re != 0;
      if (!ready) continue;
      memset(m.base + e, 0, 32);
      wz_put64(&m, e, sub[i].userdata);
      m.base[e + 10] = sub[i].tag;
      if (sub[i].tag != 0) {
        if (re & POLLNVAL)
          wz_put16(&m, e + 8, WZ_EBADF);
        else if (re & POLLERR)
          wz_put16(&m, e + 8, WZ_EIO);
        if (re & POLLHUP) wz_put16(&m, e + 24, 1);
      }
      nev++;
    }
    if (nev) break;
  }
  wz_put32(&m, pnev, nev);
  WZ_RET(WZ_ESUCCESS);
}

const wz_fn wz_misc_fns[] = {{"args_get", "ii:i", args_get},
                             {"args_sizes_get", "ii:i", args_sizes_get},
                             {"environ_get", "ii:i", environ_get},
                             {"environ_sizes_get", "ii:i", environ_sizes_get},
                             {"clock_res_get", "ii:i", clock_res_get},
                             {"clock_time_get", "iIi:i", clock_time_get},
                             {"random_get", "ii:i", random_get},
                             {"sched_yield", ":i", sched_yield_fn},
                             {"proc_exit", "i:", proc_exit},
                             {"proc_raise", "i:i", proc_raise},
                             {"poll_oneoff", "iiii:i", poll_oneoff},
                             {"sock_accept", "iii:i", sock_accept},
                             {"sock_recv", "iiiiii:i", sock_recv},
                             {"sock_send", "iiiii:i", sock_send},
                             {"sock_shutdown", "ii:i", sock_shutdown},
                             {NULL, NULL, NULL}};

/* ---- state and linking ---- */

static char **copy_strings(const char *const *src, uint32_t n, size_t *total) {
  char **dst = aw_calloc(n, sizeof(char *));
  *total = 0;
  if (!dst) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    size_t l = strlen(src[i]) + 1;
    if (!(dst[i] = malloc(l))) {
      for (uint32_t j = 0; j < i; j++)
        free(dst[j]);
      free(dst);
      return NULL;
    }
    memcpy(dst[i], src[i], l);
    *total += l;
  }
  return dst;
}

static bool add_stdio(aw_wasi *w, int host, uint32_t want, aw_error *err) {
  int h = -1;
  uint8_t type = WZ_FT_UNKNOWN;
  if (host >= 0) {
    h = fcntl(host, F_DUPFD_CLOEXEC, 0);
    if (h < 0) {
      aw_fail(err, AW_ERR_IO, UINT64_MAX, "cannot duplicate fd %d: %s", host,
              strerror(errno));
      return false;
    }
    struct stat st;
    if (fstat(h, &st) == 0) type = wz_filetype(st.st_mode);
  }
  /* Entries stay in use during setup (so 0, 1, 2 are allocated in order);
     aw_wasi_new turns those without a host fd into holes afterwards. */
  int64_t fd = wz_alloc_fd(w, h, type, true);
  if (fd != (int64_t)want) {
    if (h >= 0) close(h);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return false;
  }
  if (h >= 0 && isatty(h)) w->fds[fd].rights_base &= ~WZ_R_TTY_DROP;
  w->fds[fd].shared = true;
  wz_io_adopt(&w->fds[fd]); /* never a blocking syscall on it (io.c) */
  return true;
}

void aw_wasi_config_init(aw_wasi_config *cfg) {
  if (!cfg) return;
  memset(cfg, 0, sizeof *cfg);
  cfg->stdin_fd = 0;
  cfg->stdout_fd = 1;
  cfg->stderr_fd = 2;
}

aw_wasi *aw_wasi_new(const aw_wasi_config *cfg, aw_error *err) {
  if (!cfg || (cfg->nargs && !cfg->args) || (cfg->nenv && !cfg->env) ||
      (cfg->ndirs && !cfg->dirs)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_wasi_new: no config, or a count without its array");
    return NULL;
  }
  /* An all-zero config (stdout and stderr both host fd 0) is a config
     nobody filled in: refused rather than writing output into stdin. */
  if (cfg->stdout_fd == 0 && cfg->stderr_fd == 0) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_wasi_new: stdout and stderr both map to host fd 0 (a "
            "zero-initialised config?); start from aw_wasi_config_init or "
            "AW_WASI_CONFIG_INIT, and use -1 for none");
    return NULL;
  }
  aw_wasi *w = calloc(1, sizeof *w);
  if (!w) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  w->interrupt_fd = -1;
  w->args = copy_strings(cfg->args, cfg->nargs, &w->args_size);
  w->env = copy_strings(cfg->env, cfg->nenv, &w->env_size);
  if (!w->args || !w->env) {
    aw_wasi_free(w);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  w->nargs = cfg->nargs;
  w->nenv = cfg->nenv;
  if (!add_stdio(w, cfg->stdin_fd, 0, err) ||
      !add_stdio(w, cfg->stdout_fd, 1, err) ||
      !add_stdio(w, cfg->stderr_fd, 2, err)) {
    aw_wasi_free(w);
    return NULL;
  }
  for (uint32_t i = 0; i < cfg->ndirs; i++) {
    const aw_wasi_dir *d = &cfg->dirs[i];
    int h = open(d->host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (h < 0) {
      aw_fail(err, AW_ERR_IO, UINT64_MAX,
              "cannot open granted directory %s: %s", d->host, strerror(errno));
      aw_wasi_free(w);
      return NULL;
    }
    int64_t fd = wz_alloc_fd(w, h, WZ_FT_DIR, d->writable);
    if (fd >= 0) {
      /* A read-write grant: every directory right, and any right for what
         is opened below it; read-only: none of the rights that change
         anything, as base or inheriting rights. */
      w->fds[fd].rights_base =
          WZ_R_DIR & (d->writable ? WZ_R_ALL : ~WZ_R_WRITES);
      w->fds[fd].rights_inh =
          (WZ_R_DIR | WZ_R_FILE) & (d->writable ? WZ_R_ALL : ~WZ_R_WRITES);
    }
    size_t l = strlen(d->guest) + 1;
    char *name = fd >= 0 ? malloc(l) : NULL;
    if (!name) {
      if (fd >= 0)
        wz_release_fd(&w->fds[fd]);
      else
        close(h);
      aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "too many granted directories");
      aw_wasi_free(w);
      return NULL;
    }
    memcpy(name, d->guest, l);
    w->fds[fd].preopen = name;
  }
  /* Only now (preopens must be fds 3, 4, ...) free the unset stdio fds. */
  for (uint32_t i = 0; i < 3; i++)
    if (w->fds[i].host < 0) w->fds[i].used = false;
  return w;
}

void aw_wasi_set_interrupt_fd(aw_wasi *w, int fd) {
  w->interrupt_fd = fd;
}

void aw_wasi_free(aw_wasi *w) {
  if (!w) return;
  for (uint32_t i = 0; i < w->nargs && w->args; i++)
    free(w->args[i]);
  for (uint32_t i = 0; i < w->nenv && w->env; i++)
    free(w->env[i]);
  free(w->args);
  free(w->env);
  for (uint32_t i = 0; i < w->nfds; i++) {
    w->fds[i].budget = NULL; /* the store may be gone already */
    if (w->fds[i].used) wz_release_fd(&w->fds[i]);
  }
  free(w->fds);
  free(w->thunks);
  free(w);
}

/* The env of one WASI host function: its state and implementation. */
typedef struct wz_thunk {
  aw_wasi *w;
  aw_host_fn fn;
} wz_thunk;

/* Every WASI call: refused while another thread is inside one of the same
   state (or defining it); the flag orders the state's accesses between
   the threads that use it one after the other. */
static aw_errkind guarded_call(void *env, aw_caller *caller, const aw_val *args,
                               aw_val *results, aw_error *err) {
  const wz_thunk *t = env;
  if (atomic_exchange_explicit(&t->w->busy, true, memory_order_acquire))
    return aw_host_trap(err, "WASI state shared by two executions at once (one "
                             "aw_wasi serves one execution at a time)");
  aw_errkind k = t->fn(t->w, caller, args, results, err);
  atomic_store_explicit(&t->w->busy, false, memory_order_release);
  return k;
}

static size_t table_len(const wz_fn *fns) {
  size_t n = 0;
  while (fns[n].name)
    n++;
  return n;
}

static bool define_table(aw_wasi *w, aw_linker *l, aw_store *s,
                         const wz_fn *fns, wz_thunk *thunks, aw_error *err) {
  for (const wz_fn *f = fns; f->name; f++) {
    wz_thunk *th = &thunks[f - fns];
    th->w = w;
    th->fn = f->fn;
    aw_valkind params[16], results[1];
    uint32_t np = 0, nr = 0;
    const char *p = f->sig;
    for (; *p != ':'; p++)
      params[np++] = *p == 'I' ? AW_I64 : AW_I32;
    for (p++; *p; p++)
      results[nr++] = AW_I32;
    aw_functype t = {np, nr, params, results};
    aw_func *fn = aw_func_new(s, &t, guarded_call, th, NULL);
    aw_extern ext = {.kind = AW_EXTERN_FUNC, .of.func = fn};
    if (!fn || !aw_linker_define(l, "wasi_snapshot_preview1", f->name, ext)) {
      aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory defining %s",
              f->name);
      return false;
    }
  }
  return true;
}

bool aw_wasi_define(aw_wasi *w, aw_linker *l, aw_store *s, aw_error *err) {
  if (!w || !l || !s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_wasi_define: %s is NULL",
            !w   ? "wasi"
            : !l ? "linker"
                 : "store");
    return false;
  }
  if (atomic_exchange_explicit(&w->busy, true, memory_order_acquire)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_wasi_define: the WASI state is in use by a running "
            "execution (one aw_wasi serves one execution at a time)");
    return false;
  }
  size_t n1 = table_len(wz_misc_fns), n2 = table_len(wz_fd_fns);
  size_t n = n1 + n2 + table_len(wz_path_fns);
  bool ok = true;
  if (!w->thunks && !(w->thunks = calloc(n, sizeof *w->thunks))) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    ok = false;
  }
  if (ok && w->store != s) {
    /* Charges made to an earlier store are not returned to this one. */
    for (uint32_t i = 0; i < w->nfds; i++)
      w->fds[i].budget = NULL;
    w->store = s;
  }
  ok = ok && define_table(w, l, s, wz_misc_fns, w->thunks, err) &&
       define_table(w, l, s, wz_fd_fns, w->thunks + n1, err) &&
       define_table(w, l, s, wz_path_fns, w->thunks + n1 + n2, err);
  atomic_store_explicit(&w->busy, false, memory_order_release);
  return ok;
}
