/* test_wasi_io.c - WASI transfers (src/wasi/io.c): chunk boundaries keep
   the bytes right, an interrupt stops a transfer after exactly one chunk
   (64 KiB) and fd_readdir after WZ_DIR_CHUNK entries, a guest-opened pipe is
   non-blocking on the host yet blocking for the guest (waits end at the
   interrupt), EAGAIN for a guest-nonblocking fd.  The host functions are
   called directly, as the interpreter calls them, over an 8-page memory. */
#include "runtime.h"
#include "test.h"
#include "vm/vm.h"
#include "wasi/wasi_int.h"
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* (module (memory 8) (export "memory" (memory 0))) */
static const uint8_t io_module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                    0x00, 0x05, 0x03, 0x01, 0x00, 0x08, 0x07,
                                    0x0a, 0x01, 0x06, 'm',  'e',  'm',  'o',
                                    'r',  'y',  0x02, 0x00};
#define IO_MEM (8u * 65536u)

typedef struct {
  char dir[64];
  aw_engine *e;
  aw_module *m;
  aw_store *s;
  aw_instance *inst;
  aw_wasi *w;
  uint8_t *mem;
  aw_caller caller;
  aw_error err;
} io_fx;

static bool io_setup(io_fx *f) {
  memset(f, 0, sizeof *f);
  strcpy(f->dir, "/tmp/aw-wasi-io-XXXXXX");
  if (!mkdtemp(f->dir)) return false;
  f->e = aw_engine_new(NULL);
  f->m = aw_module_new(f->e, io_module, sizeof io_module, &f->err);
  f->s = f->m ? aw_store_new(f->e) : NULL;
  aw_linker *l = f->s ? aw_linker_new(f->s) : NULL;
  f->inst = l ? aw_linker_instantiate(l, f->m, &f->err) : NULL;
  aw_linker_free(l);
  if (!f->inst) return false;
  f->caller = (aw_caller){f->s, f->inst};
  f->mem = aw_memory_data(aw_caller_memory(&f->caller));
  aw_wasi_dir d = {f->dir, "/d", true};
  aw_wasi_config cfg = {0, NULL, 0, NULL, 1, &d, -1, -1, -1};
  f->w = aw_wasi_new(&cfg, &f->err);
  return f->w != NULL;
}

static void io_teardown(io_fx *f) {
  aw_wasi_free(f->w);
  aw_store_free(f->s);
  aw_module_free(f->m);
  aw_engine_free(f->e);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  if (f->dir[0] && system(cmd) != 0) fprintf(stderr, "  cannot remove\n");
}

/* Calls WASI function name with args (i32 unless the signature says i64):
   the errno, or -1000 - the aw_errkind if the call failed. */
static int io_call(io_fx *f, const char *name, const uint64_t *a) {
  const wz_fn *tables[] = {wz_misc_fns, wz_fd_fns, wz_path_fns};
  for (int t = 0; t < 3; t++)
    for (const wz_fn *fn = tables[t]; fn->name; fn++) {
      if (strcmp(fn->name, name)) continue;
      aw_val args[16], res[1] = {{.kind = AW_I32}};
      uint32_t n = 0;
      for (const char *p = fn->sig; *p != ':'; p++, n++) {
        args[n].kind = *p == 'I' ? AW_I64 : AW_I32;
        if (*p == 'I')
          args[n].of.i64 = (int64_t)a[n];
        else
          args[n].of.i32 = (int32_t)a[n];
      }
      aw_error_clear(&f->err);
      aw_errkind k = fn->fn(f->w, &f->caller, args, res, &f->err);
      return k == AW_OK ? res[0].of.i32 : -1000 - (int)k;
    }
  return -1;
}

static void put_path(io_fx *f, uint32_t at, const char *p) {
  memcpy(f->mem + at, p, strlen(p));
}

/* path_open(3, name at 0x100) with all rights, oflags, fdflags: the fd
   (the lowest free one: 0, as the config leaves stdio closed), or
   -errno. */
static int io_open_r(io_fx *f, const char *name, uint32_t oflags,
                     uint32_t fdflags, uint64_t rights) {
  put_path(f, 0x100, name);
  uint64_t a[] = {3,      0,      0x100,   strlen(name), oflags,
                  rights, rights, fdflags, 0x200};
  int e = io_call(f, "path_open", a);
  return e ? -e : (int)wz_get32(&(wz_mem){f->mem, IO_MEM}, 0x200);
}
static int io_open(io_fx *f, const char *name, uint32_t oflags,
                   uint32_t fdflags) {
  return io_open_r(f, name, oflags, fdflags, WZ_R_ALL);
}

static void set_iov(io_fx *f, uint32_t at, uint32_t i, uint32_t buf,
                    uint32_t len) {
  wz_mem m = {f->mem, IO_MEM};
  wz_put32(&m, at + 8 * i, buf);
  wz_put32(&m, at + 8 * i + 4, len);
}

static void interrupt(io_fx *f, bool on) {
  atomic_store(vm_interrupt_flag(f->s), on ? 1u : 0u);
}

TEST(wasi_io_chunks_keep_bytes_in_order) {
  io_fx f;
  CHECK(io_setup(&f));
  if (!f.w) return io_teardown(&f);
  /* 200,000 bytes through iovecs of 70,000, 1, 0 and 129,999 bytes:
     chunk boundaries fall inside iovecs and between them. */
  for (uint32_t i = 0; i < 200000; i++)
    f.mem[0x1000 + i] = (uint8_t)(i * 7 + i / 251);
  int fd = io_open(&f, "f", 1 /* creat */, 0);
  CHECK(fd >= 0 && fd != 3);
  set_iov(&f, 0x400, 0, 0x1000, 70000);
  set_iov(&f, 0x400, 1, 0x1000 + 70000, 1);
  set_iov(&f, 0x400, 2, 0x1000 + 70001, 0);
  set_iov(&f, 0x400, 3, 0x1000 + 70001, 129999);
  uint64_t w[] = {(uint64_t)fd, 0x400, 4, 0x500};
  CHECK_EQ_INT(io_call(&f, "fd_write", w), 0);
  CHECK_EQ_INT(wz_get32(&(wz_mem){f.mem, IO_MEM}, 0x500), 200000);
  /* Read it back at offset 1 (positional) into a fresh place. */
  set_iov(&f, 0x400, 0, 0x1000 + 200000, 65535);
  set_iov(&f, 0x400, 1, 0x1000 + 200000 + 65535, 65538);
  uint64_t r[] = {(uint64_t)fd, 0x400, 2, 1, 0x500};
  CHECK_EQ_INT(io_call(&f, "fd_pread", r), 0);
  CHECK_EQ_INT(wz_get32(&(wz_mem){f.mem, IO_MEM}, 0x500), 131073);
  CHECK(memcmp(f.mem + 0x1000 + 200000, f.mem + 0x1000 + 1, 131073) == 0);
  io_teardown(&f);
}

TEST(wasi_io_interrupt_stops_after_one_chunk) {
  io_fx f;
  CHECK(io_setup(&f));
  if (!f.w) return io_teardown(&f);
  int fd = io_open(&f, "f", 1, 0);
  CHECK(fd >= 0 && fd != 3);
  set_iov(&f, 0x400, 0, 0x1000, 200000);
  uint64_t w[] = {(uint64_t)fd, 0x400, 1, 0x500};
  interrupt(&f, true);
  CHECK_EQ_INT(io_call(&f, "fd_write", w), -1000 - AW_ERR_TIMEOUT);
  CHECK(strstr(f.err.message, "fd_write") != NULL);
  struct stat st;
  char p[128];
  snprintf(p, sizeof p, "%s/f", f.dir);
  CHECK(stat(p, &st) == 0 && st.st_size == WZ_CHUNK);
  /* random_get: one chunk is never interrupted, two are. */
  uint64_t g1[] = {0x1000, WZ_CHUNK}, g2[] = {0x1000, WZ_CHUNK + 1};
  CHECK_EQ_INT(io_call(&f, "random_get", g1), 0);
  CHECK_EQ_INT(io_call(&f, "random_get", g2), -1000 - AW_ERR_TIMEOUT);
  interrupt(&f, false);
  CHECK_EQ_INT(io_call(&f, "random_get", g2), 0);
  /* The interrupt fd alone stops it too. */
  int efd[2];
  CHECK(pipe(efd) == 0);
  aw_wasi_set_interrupt_fd(f.w, efd[0]);
  CHECK_EQ_INT(io_call(&f, "random_get", g2), 0);
  CHECK(write(efd[1], "x", 1) == 1);
  CHECK_EQ_INT(io_call(&f, "random_get", g2), -1000 - AW_ERR_TIMEOUT);
  aw_wasi_set_interrupt_fd(f.w, -1);
  close(efd[0]);
  close(efd[1]);
  io_teardown(&f);
}

TEST(wasi_io_readdir_interrupted_between_entry_chunks) {
  io_fx f;
  CHECK(io_setup(&f));
  if (!f.w) return io_teardown(&f);
  char p[128];
  for (int i = 0; i < 600; i++) {
    snprintf(p, sizeof p, "%s/e%d", f.dir, i);
    int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) close(fd);
  }
  uint64_t a[] = {3, 0x1000, IO_MEM - 0x1000, 0, 0x500};
  CHECK_EQ_INT(io_call(&f, "fd_readdir", a), 0);
  uint32_t used = wz_get32(&(wz_mem){f.mem, IO_MEM}, 0x500);
  CHECK(used > 600 * 24 && used < IO_MEM - 0x1000);
  /* Interrupted: the listing and the seek to a cookie stop. */
  interrupt(&f, true);
  CHECK_EQ_INT(io_call(&f, "fd_readdir", a), -1000 - AW_ERR_TIMEOUT);
  uint64_t b[] = {3, 0x1000, 100, 599, 0x500};
  CHECK_EQ_INT(io_call(&f, "fd_readdir", b), -1000 - AW_ERR_TIMEOUT);
  interrupt(&f, false);
  CHECK_EQ_INT(io_call(&f, "fd_readdir", b), 0);
  io_teardown(&f);
}

TEST(wasi_io_own_fifo_nonblocking_on_host_blocking_for_guest) {
  io_fx f;
  CHECK(io_setup(&f));
  if (!f.w) return io_teardown(&f);
  char p[128];
  snprintf(p, sizeof p, "%s/fifo", f.dir);
  CHECK(mkfifo(p, 0600) == 0);
  /* Read rights only: O_RDWR would make the guest a writer of its own. */
  int fd = io_open_r(&f, "fifo", 0, 0, WZ_R_FD_READ | WZ_R_FD_FDSTAT_SET_FLAGS);
  CHECK(fd >= 0 && fd != 3);
  int w = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  CHECK(w >= 0);
  CHECK(write(w, "ab", 2) == 2);
  set_iov(&f, 0x400, 0, 0x1000, 16);
  uint64_t r[] = {(uint64_t)fd, 0x400, 1, 0x500};
  CHECK_EQ_INT(io_call(&f, "fd_read", r), 0);
  CHECK_EQ_INT(wz_get32(&(wz_mem){f.mem, IO_MEM}, 0x500), 2);
  wz_fd *e = wz_get_fd(f.w, (uint32_t)fd);
  CHECK(e && (fcntl(e->host, F_GETFL) & O_NONBLOCK));
  /* Empty, guest in blocking mode: waits, ended by the interrupt. */
  interrupt(&f, true);
  CHECK_EQ_INT(io_call(&f, "fd_read", r), -1000 - AW_ERR_TIMEOUT);
  interrupt(&f, false);
  /* Guest non-blocking: EAGAIN at once; fdstat says what it set. */
  uint64_t fl[] = {(uint64_t)fd, 4};
  CHECK_EQ_INT(io_call(&f, "fd_fdstat_set_flags", fl), 0);
  CHECK_EQ_INT(io_call(&f, "fd_read", r), WZ_EAGAIN);
  uint64_t st[] = {(uint64_t)fd, 0x600};
  CHECK_EQ_INT(io_call(&f, "fd_fdstat_get", st), 0);
  CHECK_EQ_INT(f.mem[0x602] & 4, 4);
  /* Back to blocking: the host description stays non-blocking. */
  fl[1] = 0;
  CHECK_EQ_INT(io_call(&f, "fd_fdstat_set_flags", fl), 0);
  CHECK(fcntl(e->host, F_GETFL) & O_NONBLOCK);
  CHECK_EQ_INT(io_call(&f, "fd_fdstat_get", st), 0);
  CHECK_EQ_INT(f.mem[0x602] & 4, 0);
  /* The writer goes: end of file, not a wait. */
  close(w);
  CHECK_EQ_INT(io_call(&f, "fd_read", r), 0);
  CHECK_EQ_INT(wz_get32(&(wz_mem){f.mem, IO_MEM}, 0x500), 0);
  io_teardown(&f);
}

/* The fallbacks for the embedder's pipes and terminals that /proc cannot
   reopen (io.c): RWF_NOWAIT per call, and O_NONBLOCK set for one syscall
   and restored.  Forced here on the embedder's own blocking pipe: the
   guest's writes go through until the pipe is full, then wait (ended by
   the interrupt), and the embedder's flags are the same afterwards. */
static void fallback_case(int *test_failed_, uint8_t io) {
  io_fx f;
  CHECK(io_setup(&f));
  int p[2];
  CHECK(pipe(p) == 0);
  wz_fd *e = f.w ? wz_get_fd(f.w, 3) : NULL;
  int64_t fd =
      e ? wz_alloc_fd(f.w, fcntl(p[1], F_DUPFD_CLOEXEC, 0), WZ_FT_UNKNOWN, true)
        : -1;
  CHECK(fd >= 0);
  if (fd < 0) {
    close(p[0]);
    close(p[1]);
    return io_teardown(&f);
  }
  wz_fd *s = &f.w->fds[fd];
  s->shared = true;
  s->io = io;
  int fl0 = fcntl(p[1], F_GETFL);
  CHECK(!(fl0 & O_NONBLOCK));
  memset(f.mem + 0x1000, 'x', 65536);
  set_iov(&f, 0x400, 0, 0x1000, 65536);
  uint64_t w[] = {(uint64_t)fd, 0x400, 1, 0x500};
  uint32_t total = 0;
  int r = 0;
  for (int i = 0; i < 64 && r == 0; i++) {
    r = io_call(&f, "fd_write", w);
    if (r == 0) total += wz_get32(&(wz_mem){f.mem, IO_MEM}, 0x500);
    /* Full: the next write would wait; let the interrupt end it. */
    struct pollfd pp = {p[1], POLLOUT, 0};
    if (r == 0 && poll(&pp, 1, 0) == 0) interrupt(&f, true);
  }
  CHECK_EQ_INT(r, -1000 - AW_ERR_TIMEOUT);
  CHECK(total >= 4096);
  CHECK_EQ_INT(fcntl(p[1], F_GETFL), fl0);
  CHECK_EQ_INT(s->io, io == WZ_IO_NOWAIT ? WZ_IO_NOWAIT : WZ_IO_TOGGLE);
  /* Everything written arrived, in order. */
  static char buf[1 << 20];
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  ssize_t n = read(p[0], buf, sizeof buf);
  CHECK_EQ_INT(n, total);
  CHECK(n > 0 && buf[0] == 'x' && buf[n - 1] == 'x');
  close(p[0]);
  close(p[1]);
  io_teardown(&f);
}

TEST(wasi_io_shared_pipe_rwf_nowait_fallback) {
  fallback_case(test_failed_, WZ_IO_NOWAIT);
}

TEST(wasi_io_shared_pipe_toggle_fallback) {
  fallback_case(test_failed_, WZ_IO_TOGGLE);
}
