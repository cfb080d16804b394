/*
 * fuzz_wasi.c - libFuzzer target: random sequences of WASI preview 1 calls
 * with random pointers and lengths over a guest memory of 2 pages, called
 * directly (as the interpreter calls them) on a WASI state that grants a
 * fresh temporary directory (files, a subdirectory, a symlink, a FIFO) as
 * fd 3, under a deadline of 0-3 ms armed on the watchdog and the thread
 * timer (as aw_execute with thread_timer).
 *
 * The input is a program: each op byte either calls one of the 46
 * functions (its arguments drawn by modes: small, in memory, near the end
 * of memory, raw, an fd, huge, the last structure written or a place
 * overlapping it), or writes a structure into guest memory first: raw
 * bytes, an iovec array (up to 1,026 entries, aliasing one buffer or each
 * other), a path from a dictionary, poll subscriptions (clocks and fds,
 * the output possibly over the input).
 *
 * Checks: every call returns a WASI errno (0..76), or ends the execution
 * with AW_ERR_TIMEOUT / AW_ERR_EXIT and a message; no host access outside
 * its arrays or guest memory (ASan, UBSan; a 2-page memory is a heap block,
 * so ASan's redzones catch an access past it); no fd leaked once the
 * state is freed; each input ends within 2 s (nothing blocks past the
 * deadline).
 */
#include "airssys/executor.h"
#include "airssys/wasi.h"
#include "exec/exec_int.h"
#include "fz_run.h"
#include "limits/watchdog.h"
#include "runtime.h"
#include "vm/vm.h"
#include "wasi/wasi_int.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* (module (memory 2) (export "memory" (memory 0))) */
static const uint8_t fw_module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                    0x00, 0x05, 0x03, 0x01, 0x00, 0x02, 0x07,
                                    0x0a, 0x01, 0x06, 'm',  'e',  'm',  'o',
                                    'r',  'y',  0x02, 0x00};
#define FW_MEM (2u * 65536u)
#define FW_MAX_CALLS 64
#define FW_MAX_ALLOCATE (1u << 20)

typedef struct {
  const uint8_t *p;
  size_t n;
  uint32_t last_ptr, last_len; /* the last structure written */
} fw_in;

static uint8_t in_u8(fw_in *in) {
  if (!in->n) return 0;
  in->n--;
  return *in->p++;
}
static uint32_t in_u16(fw_in *in) {
  return in_u8(in) | (uint32_t)in_u8(in) << 8;
}
static uint32_t in_u32(fw_in *in) {
  return in_u16(in) | in_u16(in) << 16;
}

static uint32_t in_arg32(fw_in *in) {
  switch (in_u8(in) % 10) {
  case 0: return in_u8(in);
  case 1: return in_u32(in) % FW_MEM;                      /* in memory */
  case 2: return FW_MEM - (in_u8(in) % 64);                /* near the end */
  case 3: return in_u32(in);                               /* raw */
  case 4: return in_u8(in) % 12;                           /* an fd */
  case 5: return UINT32_MAX - in_u8(in);                   /* huge */
  case 6: return in->last_ptr;                             /* last structure */
  case 7: return in->last_len;                             /* ... its length */
  case 8: return in->last_ptr + in_u8(in) % 128;           /* overlapping it */
  default: return (uint32_t)in_u8(in) << (in_u8(in) % 24); /* powers */
  }
}

static uint64_t in_arg64(fw_in *in) {
  switch (in_u8(in) % 5) {
  case 0: return in_u8(in);
  case 1: return (uint64_t)in_u32(in) << 32 | in_u32(in);
  case 2: return WZ_R_ALL;
  case 3: return (uint64_t)INT64_MAX - in_u8(in);
  default: return UINT64_MAX - in_u8(in);
  }
}

static const char *const fw_paths[] = {
    "a.txt", "sub",   "sub/b.txt", "ln",        "fifo", "..",   "sub/..", ".",
    "new",   "sub/c", "/etc",      "sub/../..", "ln/",  "a\0b", "d/e/f",  ""};

static void put_bytes(uint8_t *mem, uint32_t p, const void *s, uint32_t n) {
  if ((uint64_t)p + n <= FW_MEM) memcpy(mem + p, s, n);
}

/* Writes a structure into guest memory (op 0xc0..0xff). */
static void write_struct(fw_in *in, uint8_t op, uint8_t *mem) {
  uint32_t p = in_u32(in) % FW_MEM;
  switch (op >> 4) {
  case 0xc: { /* raw bytes */
    uint32_t n = in_u8(in);
    if (n > in->n) n = (uint32_t)in->n;
    put_bytes(mem, p, in->p, n);
    in->p += n;
    in->n -= n;
    in->last_len = n;
    break;
  }
  case 0xd: { /* iovecs: n entries, one shared buffer or each drawn */
    uint32_t n = in_u8(in);
    if (op & 1) n = 1024 + (op & 2);
    bool alias = op & 4;
    uint32_t buf = in_arg32(in), len = in_arg32(in);
    for (uint32_t i = 0; i < n; i++) {
      if (!alias) {
        buf = in_arg32(in);
        len = in_u16(in);
      }
      uint32_t e[2] = {buf, len};
      put_bytes(mem, p + 8 * i, e, 8);
    }
    in->last_len = n;
    break;
  }
  case 0xe: { /* a path */
    const char *s = fw_paths[op & 15];
    uint32_t n = (op & 15) == 13 ? 3 : (uint32_t)strlen(s);
    put_bytes(mem, p, s, n);
    in->last_len = n;
    break;
  }
  default: { /* poll subscriptions: clocks (0-3 ms) and fds */
    uint32_t n = 1 + in_u8(in) % 4;
    for (uint32_t i = 0; i < n; i++) {
      uint8_t s[48] = {0};
      uint64_t ud = in_u8(in);
      memcpy(s, &ud, 8);
      s[8] = in_u8(in) % 4; /* 3: a bad tag */
      uint32_t id = in_u8(in) % 5, fd = in_u8(in) % 8;
      uint64_t t = (uint64_t)(in_u8(in) % 4) * 1000000u;
      memcpy(s + 16, s[8] == 0 ? &id : &fd, 4);
      memcpy(s + 24, &t, 8);
      s[40] = in_u8(in) & 1; /* absolute */
      put_bytes(mem, p + 48 * i, s, 48);
    }
    in->last_len = n;
    break;
  }
  }
  in->last_ptr = p;
}

static char fw_dir[64];

static void rm_tree(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    unlink(path);
    return;
  }
  struct dirent *e;
  char sub[1024];
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    struct stat st;
    if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      rm_tree(sub);
    else
      unlink(sub);
  }
  closedir(d);
  rmdir(path);
}

static void put_file(const char *name, const char *text) {
  char p[128];
  snprintf(p, sizeof p, "%s/%s", fw_dir, name);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (write(fd, text, strlen(text)) < 0) {
  }
  close(fd);
}

/* A fresh grant for every input: a.txt, sub/b.txt, ln -> a.txt, fifo. */
static void fresh_dir(void) {
  if (!fw_dir[0]) {
    /* tmpfs when there is one: the grant is rebuilt for every input. */
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
                               access("/dev/shm", W_OK) == 0
                           ? "/dev/shm"
                           : "/tmp";
    snprintf(fw_dir, sizeof fw_dir, "%s/aw-fuzz-wasi-%d", base, (int)getpid());
  }
  rm_tree(fw_dir);
  mkdir(fw_dir, 0755);
  char p[128];
  put_file("a.txt", "hello, fuzzer: the quick brown fox\n");
  snprintf(p, sizeof p, "%s/sub", fw_dir);
  mkdir(p, 0755);
  put_file("sub/b.txt", "b");
  snprintf(p, sizeof p, "%s/ln", fw_dir);
  if (symlink("a.txt", p) != 0) {
  }
  snprintf(p, sizeof p, "%s/fifo", fw_dir);
  mkfifo(p, 0600);
}

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n - 1;
}

static const wz_fn *fw_fns[64];
static unsigned fw_nfns;
static aw_engine *fw_engine;
static aw_module *fw_mod;

static void fw_cleanup(void) {
  if (fw_dir[0]) rm_tree(fw_dir);
}

static void fw_init(void) {
  atexit(fw_cleanup); /* the grant of the last input */
  const wz_fn *tables[] = {wz_misc_fns, wz_fd_fns, wz_path_fns};
  for (unsigned t = 0; t < 3; t++)
    for (const wz_fn *f = tables[t]; f->name; f++)
      fw_fns[fw_nfns++] = f;
  FZ_ASSERT(fw_nfns == 46, "%u WASI functions", fw_nfns);
  fw_engine = aw_engine_new(NULL);
  aw_error err;
  fw_mod = aw_module_new(fw_engine, fw_module, sizeof fw_module, &err);
  FZ_ASSERT(fw_mod != NULL, "module: %s", err.message);
  /* Start the watchdog now, so that whatever it holds open is there
     before the first input counts fds. */
  _Atomic uint32_t flag = 0;
  wd_disarm(wd_arm(wd_deadline_after_ms(wd_now_ns(), 1000), &flag, -1), NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fw_nfns) fw_init();
  fw_in in = {data, size, 0, 0};
  fresh_dir();
  int fds0 = open_fds();
  uint64_t t0 = wd_now_ns();

  aw_store *s = aw_store_new(fw_engine);
  FZ_ASSERT(s != NULL, "%s", "aw_store_new");
  aw_linker *l = aw_linker_new(s);
  aw_error err;
  aw_instance *inst = aw_linker_instantiate(l, fw_mod, &err);
  aw_linker_free(l);
  FZ_ASSERT(inst != NULL, "instantiate: %s", err.message);
  aw_memory *mem = aw_caller_memory(&(aw_caller){s, inst});
  FZ_ASSERT(mem && aw_memory_size(mem) == FW_MEM, "%s", "guest memory");
  uint8_t *base = aw_memory_data(mem);

  aw_wasi_dir dir = {.host = fw_dir, .guest = "/sandbox", .writable = true};
  static const char *const args[] = {"fuzz", "--flag", ""};
  static const char *const env[] = {"A=1", "EMPTY="};
  aw_wasi_config cfg = {3, args, 2, env, 1, &dir, -1, -1, -1};
  aw_wasi *w = aw_wasi_new(&cfg, &err);
  FZ_ASSERT(w != NULL, "aw_wasi_new: %s", err.message);

  /* The deadline: 0 (already passed) to 3 ms (a wait ends there). */
  int ifd = aw_store_interrupt_fd(s);
  _Atomic uint32_t *flag = vm_interrupt_flag(s);
  FZ_ASSERT(ifd >= 0 && flag, "%s", "interrupt fd");
  aw_wasi_set_interrupt_fd(w, ifd);
  uint64_t deadline = wd_deadline_after_ms(t0, in_u8(&in) % 4);
  wd_handle h = wd_arm(deadline, flag, ifd);
  FZ_ASSERT(h != 0, "%s", "wd_arm");
  /* And the thread timer (a signal: EINTR in the waits), precise on a
     loaded machine where the watchdog thread may wake late. */
  ex_timer tm = {.armed = false};
  if (!atomic_load(flag)) ex_timer_arm(&tm, deadline, flag, ifd);

  aw_caller caller = {s, inst};
  for (unsigned calls = 0; in.n && calls < FW_MAX_CALLS;) {
    uint8_t op = in_u8(&in);
    if (op >= 0xc0) {
      write_struct(&in, op, base);
      continue;
    }
    const wz_fn *f = fw_fns[op % fw_nfns];
    aw_val a[16], res[1];
    uint32_t np = 0;
    for (const char *p = f->sig; *p != ':'; p++, np++) {
      memset(&a[np], 0, sizeof a[np]);
      a[np].kind = *p == 'I' ? AW_I64 : AW_I32;
      if (*p == 'I')
        a[np].of.i64 = (int64_t)in_arg64(&in);
      else
        a[np].of.i32 = (int32_t)in_arg32(&in);
    }
    /* fd_allocate really reserves disk: keep the harness's files small. */
    if (!strcmp(f->name, "fd_allocate") &&
        (uint64_t)a[2].of.i64 > FW_MAX_ALLOCATE)
      a[2].of.i64 = FW_MAX_ALLOCATE;
    memset(res, 0, sizeof res);
    res[0].kind = AW_I32;
    aw_error_clear(&err);
    aw_errkind k = f->fn(w, &caller, a, res, &err);
    calls++;
    if (k == AW_OK) {
      bool has_result = strchr(f->sig, ':')[1] != '\0';
      FZ_ASSERT(!has_result ||
                    (res[0].of.i32 >= 0 && res[0].of.i32 <= WZ_ENOTCAPABLE),
                "%s returned errno %d", f->name, res[0].of.i32);
    } else {
      FZ_ASSERT(k == AW_ERR_TIMEOUT || k == AW_ERR_EXIT, "%s failed with %s",
                f->name, aw_errkind_name(k));
      fz_check_error(k, &err);
      if (k == AW_ERR_TIMEOUT)
        FZ_ASSERT(atomic_load(flag) != 0, "%s: timeout before the deadline",
                  f->name);
    }
  }
  ex_timer_disarm(&tm);
  wd_disarm(h, NULL);
  aw_wasi_free(w);
  aw_store_free(s);
  uint64_t ms = (wd_now_ns() - t0) / 1000000u;
  FZ_ASSERT(ms < 2000, "input took %llu ms", (unsigned long long)ms);
  int fds1 = open_fds();
  FZ_ASSERT(fds0 == fds1, "fds %d before, %d after", fds0, fds1);
  return 0;
}
