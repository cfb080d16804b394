/* test_wasi_rights.c - the file sandbox on disk, through real WASI calls
   from a guest: the links the issue found leading outside are refused, a
   scan with realpath(3) finds no link in the grant that leads out, rights
   dropped with fd_fdstat_set_rights are enforced, and the rights of
   read-write and read-only grants. */
#include "test.h"
#include "test_exec_util.h"
#include "wasi/wasi_int.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Strings the guest passes, at offset 64 * index of its memory. */
static const char *const strs[] = {
    "..",                  /* 0 */
    "sub/s",               /* 1 */
    "sub/s/..",            /* 2 */
    "l",                   /* 3 */
    "sub/s/../secret.txt", /* 4 */
    "l2",                  /* 5 */
    "../secret.txt",       /* 6 */
    "sub/up",              /* 7 */
    "up",                  /* 8 */
    "sub/up2",             /* 9 */
    "h",                   /* 10 */
    "d",                   /* 11 */
    "d/e",                 /* 12 */
    "../../secret.txt",    /* 13 */
    "d/e/l",               /* 14 */
    "e",                   /* 15 */
    ".",                   /* 16 */
    "secret.txt",          /* 17 */
    "new.txt",             /* 18 */
    "sub",                 /* 19 */
    "sub/deeper",          /* 20 */
    "sub/deeper/e",        /* 21 */
    "a",                   /* 22 */
    "a/b",                 /* 23, at 1472 */
    "a/b/l",               /* 24, at 1536 */
    "m",                   /* 25, at 1600 */
    "z",                   /* 26, at 1664 */
};
#define NSTRS (sizeof strs / sizeof strs[0])

static const char guest_head[] =
    "(module\n"
    " (import \"wasi_snapshot_preview1\" \"path_symlink\"\n"
    "   (func $symlink (param i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_rename\"\n"
    "   (func $rename (param i32 i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_link\"\n"
    "   (func $link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_open\"\n"
    "   (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result "
    "i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_create_directory\"\n"
    "   (func $mkdir (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"fd_fdstat_set_rights\"\n"
    "   (func $setr (param i32 i64 i64) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"path_unlink_file\"\n"
    "   (func $unlink (param i32 i32 i32) (result i32)))\n"
    " (import \"wasi_snapshot_preview1\" \"sched_yield\"\n"
    "   (func $yield (result i32)))\n"
    " (memory 1)\n"
    " (func (export \"symlink\") (param i32 i32 i32 i32) (result i32)\n"
    "   (call $symlink (local.get 0) (local.get 1) (i32.const 3)\n"
    "     (local.get 2) (local.get 3)))\n"
    " (func (export \"rename\") (param i32 i32 i32 i32) (result i32)\n"
    "   (call $rename (i32.const 3) (local.get 0) (local.get 1) (i32.const 3)\n"
    "     (local.get 2) (local.get 3)))\n"
    " (func (export \"link\") (param i32 i32 i32 i32) (result i32)\n"
    "   (call $link (i32.const 3) (i32.const 0) (local.get 0) (local.get 1)\n"
    "     (i32.const 3) (local.get 2) (local.get 3)))\n"
    " (func (export \"mkdir\") (param i32 i32) (result i32)\n"
    "   (call $mkdir (i32.const 3) (local.get 0) (local.get 1)))\n"
    " (func (export \"setr\") (param i32 i64 i64) (result i32)\n"
    "   (call $setr (local.get 0) (local.get 1) (local.get 2)))\n"
    ";; open(fd, path, len, oflags, rights): the new fd, or -errno\n"
    " (func (export \"open\") (param i32 i32 i32 i32 i64) (result i32)\n"
    "   (local $e i32)\n"
    "   (local.set $e (call $open (local.get 0) (i32.const 0) (local.get 1)\n"
    "     (local.get 2) (local.get 3) (local.get 4) (local.get 4)\n"
    "     (i32.const 0) (i32.const 4000)))\n"
    "   (if (result i32) (local.get $e)\n"
    "     (then (i32.sub (i32.const 0) (local.get $e)))\n"
    "     (else (i32.load (i32.const 4000)))))\n"
    ";; n times: a/b/l -> ../../secret.txt (fine at depth 2), then unlink it;\n"
    ";; returns how many were made\n"
    " (func (export \"hammer_link\") (param $n i32) (result i32)\n"
    "   (local $i i32) (local $ok i32)\n"
    "   (block $done (loop $l\n"
    "     (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
    "     (if (i32.eqz (call $symlink (i32.const 832) (i32.const 16)\n"
    "           (i32.const 3) (i32.const 1536) (i32.const 5)))\n"
    "       (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))\n"
    "     (drop (call $unlink (i32.const 3) (i32.const 1536) (i32.const 5)))\n"
    "     (drop (call $yield))\n"
    "     (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "     (br $l)))\n"
    "   (local.get $ok))\n"
    ";; n times: move a/b up to m (depth 1), make a new a/b, move m onto z;\n"
    ";; returns how many moves up succeeded\n"
    " (func (export \"hammer_move\") (param $n i32) (result i32)\n"
    "   (local $i i32) (local $ok i32)\n"
    "   (block $done (loop $l\n"
    "     (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
    "     (if (i32.eqz (call $rename (i32.const 3) (i32.const 1472) (i32.const "
    "3)\n"
    "           (i32.const 3) (i32.const 1600) (i32.const 1)))\n"
    "       (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))\n"
    "         (drop (call $mkdir (i32.const 3) (i32.const 1472) (i32.const "
    "3)))\n"
    "         (drop (call $rename (i32.const 3) (i32.const 1600) (i32.const "
    "1)\n"
    "           (i32.const 3) (i32.const 1664) (i32.const 1)))))\n"
    "     (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "     (br $l)))\n"
    "   (local.get $ok))\n";

typedef struct box {
  char root[64]; /* root/granted is granted; root/secret.txt is not */
  char granted[96];
  aw_wasi *w;
  aw_engine *e;
  aw_module *m;
  int failed_setup;
} box;

static void put(const char *dir, const char *name) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (write(fd, "12345", 5) != 5) perror("write");
    close(fd);
  }
}

static bool exec_link(void *ctx, aw_linker *l, aw_store *s, aw_error *err) {
  aw_wasi *w = ctx;
  aw_wasi_set_interrupt_fd(w, aw_store_interrupt_fd(s));
  return aw_wasi_define(w, l, s, err);
}

static bool box_open(box *b, bool writable) {
  memset(b, 0, sizeof *b);
  strcpy(b->root, "/tmp/aw-rights-XXXXXX");
  if (!mkdtemp(b->root)) return false;
  snprintf(b->granted, sizeof b->granted, "%s/granted", b->root);
  mkdir(b->granted, 0755);
  put(b->root, "secret.txt");
  put(b->granted, "secret.txt");
  aw_wasi_dir d = {b->granted, ".", writable};
  aw_wasi_config cfg = {0, NULL, 0, NULL, 1, &d, -1, -1, -1};
  aw_error err;
  b->w = aw_wasi_new(&cfg, &err);
  /* The guest: the imports and exports, then one data segment per string. */
  size_t cap = sizeof guest_head + NSTRS * 128 + 16;
  char *wat = malloc(cap);
  if (!wat) return false;
  size_t n = (size_t)snprintf(wat, cap, "%s", guest_head);
  for (size_t i = 0; i < NSTRS; i++)
    n += (size_t)snprintf(wat + n, cap - n, " (data (i32.const %zu) \"%s\")\n",
                          i * 64, strs[i]);
  snprintf(wat + n, cap - n, ")\n");
  b->e = aw_engine_new(NULL);
  b->m = b->e ? tx_load(b->e, wat) : NULL;
  free(wat);
  return b->w && b->m;
}

static void box_close(box *b) {
  aw_module_free(b->m);
  aw_engine_free(b->e);
  aw_wasi_free(b->w);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", b->root);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

/* Calls export fn with args (string indices become pointer, length). */
static int32_t call(box *b, const char *fn, const aw_val *args, uint32_t n) {
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = b->m;
  req.limits = tx_limits(1 << 20, 1000000, 5000);
  req.func = fn;
  req.args = args;
  req.nargs = n;
  req.link = exec_link;
  req.link_ctx = b->w;
  aw_exec_result res;
  if (aw_execute(&req, &res) != AW_OK || res.nresults != 1) return -1000;
  return res.results[0].of.i32;
}

static aw_val S(int i) {
  return tx_i32(i * 64);
}
static aw_val L(int i) {
  return tx_i32((int32_t)strlen(strs[i]));
}
static aw_val I64(int64_t v) {
  aw_val r;
  memset(&r, 0, sizeof r);
  r.kind = AW_I64;
  r.of.i64 = v;
  return r;
}

static int32_t two(box *b, const char *fn, int x, int y) {
  aw_val a[4] = {S(x), L(x), S(y), L(y)};
  return call(b, fn, a, 4);
}
static int32_t one(box *b, const char *fn, int x) {
  aw_val a[2] = {S(x), L(x)};
  return call(b, fn, a, 2);
}
static int32_t open_(box *b, int fd, int path, int oflags, int64_t rights) {
  aw_val a[5] = {tx_i32(fd), S(path), L(path), tx_i32(oflags), I64(rights)};
  return call(b, "open", a, 5);
}

/* Counts the symlinks below dir (root: the grant) that realpath resolves
   outside the grant. */
static int links_outside(const char *dir, const char *root) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  int bad = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
    struct stat st;
    if (lstat(p, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      bad += links_outside(p, root);
    } else if (S_ISLNK(st.st_mode)) {
      char r[PATH_MAX];
      size_t rl = strlen(root);
      if (realpath(p, r) &&
          !(strncmp(r, root, rl) == 0 && (r[rl] == '/' || r[rl] == '\0'))) {
        fprintf(stderr, "  %s leads to %s\n", p, r);
        bad++;
      }
    }
  }
  closedir(d);
  return bad;
}

TEST(wasi_links_never_lead_outside) {
  box b;
  if (!box_open(&b, true)) {
    CHECK(!"fixture");
    box_close(&b);
    return;
  }
  CHECK_EQ_INT(one(&b, "mkdir", 19), 0);
  CHECK_EQ_INT(one(&b, "mkdir", 20), 0);
  /* sub/s -> .. is inside; l -> sub/s/.. would be the grant's parent. */
  CHECK_EQ_INT(two(&b, "symlink", 0, 1), 0);
  CHECK_EQ_INT(two(&b, "symlink", 2, 3), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(two(&b, "symlink", 4, 5), WZ_ENOTCAPABLE);
  /* sub/up -> ../secret.txt is inside, moved up a level it is not. */
  CHECK_EQ_INT(two(&b, "symlink", 6, 7), 0);
  CHECK_EQ_INT(two(&b, "rename", 7, 8), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(two(&b, "rename", 7, 9), 0);
  /* A hard link to it at the top would be the same link, moved up. */
  CHECK_EQ_INT(two(&b, "link", 9, 10), WZ_ENOTCAPABLE);
  /* A directory holding d/e/l -> ../../secret.txt, moved up a level. */
  CHECK_EQ_INT(one(&b, "mkdir", 11), 0);
  CHECK_EQ_INT(one(&b, "mkdir", 12), 0);
  CHECK_EQ_INT(two(&b, "symlink", 13, 14), 0);
  CHECK_EQ_INT(two(&b, "rename", 12, 15), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(two(&b, "rename", 12, 21), 0); /* deeper: fine */
  char root[PATH_MAX];
  CHECK(realpath(b.granted, root) != NULL);
  CHECK_EQ_INT(links_outside(b.granted, root), 0);
  box_close(&b);
}

TEST(wasi_dropped_rights_are_enforced) {
  box b;
  if (!box_open(&b, true)) {
    CHECK(!"fixture");
    box_close(&b);
    return;
  }
  int32_t d = open_(&b, 3, 16, 2, (int64_t)WZ_R_DIR);
  CHECK(d >= 0);
  aw_val a[3] = {tx_i32(d),
                 I64((int64_t)(WZ_R_DIR & ~(WZ_R_PATH_FILESTAT_SET_SIZE |
                                            WZ_R_PATH_CREATE_FILE |
                                            WZ_R_PATH_CREATE_DIRECTORY))),
                 I64((int64_t)WZ_R_DIR)};
  CHECK_EQ_INT(call(&b, "setr", a, 3), 0);
  /* O_TRUNC without path_filestat_set_size: refused, nothing truncated. */
  CHECK_EQ_INT(open_(&b, d, 17, 8, (int64_t)(WZ_R_FD_READ | WZ_R_FD_WRITE)),
               -WZ_ENOTCAPABLE);
  char p[160];
  struct stat st;
  snprintf(p, sizeof p, "%s/secret.txt", b.granted);
  CHECK(stat(p, &st) == 0 && st.st_size == 5);
  /* O_CREAT without path_create_file: refused, nothing created. */
  CHECK_EQ_INT(open_(&b, d, 18, 1, (int64_t)WZ_R_FD_READ), -WZ_ENOTCAPABLE);
  snprintf(p, sizeof p, "%s/new.txt", b.granted);
  CHECK(stat(p, &st) != 0);
  /* Through fd 3, which kept its rights, both work. */
  CHECK(open_(&b, 3, 18, 1, (int64_t)WZ_R_FD_READ) >= 0);
  CHECK(stat(p, &st) == 0);
  /* Regaining is refused. */
  a[1] = I64((int64_t)WZ_R_DIR);
  CHECK_EQ_INT(call(&b, "setr", a, 3), WZ_ENOTCAPABLE);
  box_close(&b);
}

TEST(wasi_grant_rights) {
  box b;
  if (!box_open(&b, true)) {
    CHECK(!"fixture");
    box_close(&b);
    return;
  }
  wz_fd *f = wz_get_fd(b.w, 3);
  CHECK(f != NULL);
  if (f) {
    CHECK(f->rights_base == WZ_R_DIR);
    CHECK(f->rights_inh == (WZ_R_DIR | WZ_R_FILE));
  }
  box_close(&b);
  if (!box_open(&b, false)) {
    CHECK(!"fixture");
    box_close(&b);
    return;
  }
  f = wz_get_fd(b.w, 3);
  CHECK(f != NULL);
  if (f) {
    CHECK((f->rights_base & WZ_R_WRITES) == 0);
    CHECK((f->rights_inh & WZ_R_WRITES) == 0);
    CHECK(f->rights_base & WZ_R_PATH_OPEN);
    CHECK(f->rights_inh & WZ_R_FD_READ);
  }
  /* Every write-ish call is refused on it. */
  CHECK_EQ_INT(one(&b, "mkdir", 19), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(two(&b, "symlink", 17, 3), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(open_(&b, 3, 17, 8, (int64_t)WZ_R_FD_READ), -WZ_ENOTCAPABLE);
  CHECK_EQ_INT(open_(&b, 3, 17, 0, (int64_t)WZ_R_FD_WRITE), -WZ_ENOTCAPABLE);
  CHECK(open_(&b, 3, 17, 0, (int64_t)WZ_R_FD_READ) >= 0);
  box_close(&b);
}

/* Two guests sharing a grant race: one makes a/b/l -> ../../secret.txt
   (fine at depth 2) and removes it, over and over; the other moves a/b up
   to depth 1 (refused while the link is there, so only when the first is
   between its check and its symlinkat can a link land one level too high)
   and away.  Once both have returned, no link in the grant leads out (the
   post-checks remove what a race left).  Without the post-checks, a link
   was left leading out in 5 runs of 8 (10,000 rounds each, on 2 busy
   cores); with them, in none. */
typedef struct racer {
  box *b;
  aw_wasi *w;
  const char *fn;
  int32_t result;
} racer;

static void *race_run(void *arg) {
  racer *r = arg;
  aw_val n = tx_i32(10000);
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = r->b->m;
  req.limits = tx_limits(1 << 20, 1000000000, 60000);
  req.func = r->fn;
  req.args = &n;
  req.nargs = 1;
  req.link = exec_link;
  req.link_ctx = r->w;
  aw_exec_result res;
  r->result = aw_execute(&req, &res) == AW_OK && res.nresults == 1
                  ? res.results[0].of.i32
                  : -1;
  return NULL;
}

TEST(wasi_links_race_between_two_guests) {
  box b;
  if (!box_open(&b, true)) {
    CHECK(!"fixture");
    box_close(&b);
    return;
  }
  CHECK_EQ_INT(one(&b, "mkdir", 22), 0);
  CHECK_EQ_INT(one(&b, "mkdir", 23), 0);
  CHECK_EQ_INT(one(&b, "mkdir", 26), 0);
  aw_wasi_dir d = {b.granted, ".", true};
  aw_wasi_config cfg = {0, NULL, 0, NULL, 1, &d, -1, -1, -1};
  aw_error err;
  aw_wasi *w2 = aw_wasi_new(&cfg, &err);
  CHECK(w2 != NULL);
  racer r[2] = {{&b, b.w, "hammer_link", 0}, {&b, w2, "hammer_move", 0}};
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    CHECK_EQ_INT(pthread_create(&t[i], NULL, race_run, &r[i]), 0);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  aw_wasi_free(w2);
  fprintf(stderr, "  race: %d links made, %d moves up\n", r[0].result,
          r[1].result);
  /* Both really ran into each other. */
  CHECK(r[0].result > 10);
  CHECK(r[1].result > 10);
  char root[PATH_MAX];
  CHECK(realpath(b.granted, root) != NULL);
  CHECK_EQ_INT(links_outside(b.granted, root), 0);
  box_close(&b);
}
