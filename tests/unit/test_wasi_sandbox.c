/* test_wasi_sandbox.c - guest path resolution never leaves the granted
   directory: every escape we can think of is refused. */
#include "test.h"
#include "wasi/wasi_int.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
  char root[64]; /* temp dir: root/granted is granted, root/secret not */
  char granted[96];
  aw_wasi *w;
  uint8_t mem[8192];
  wz_mem m;
} fixture;

static void put_file(const char *dir, const char *name, const char *text) {
  char p[512];
  if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p) return;
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (write(fd, text, strlen(text)) < 0) perror("write");
    close(fd);
  }
}

static void link_at(const char *dir, const char *name, const char *target) {
  char p[512];
  if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p) return;
  if (symlink(target, p) != 0) perror("symlink");
}

static bool setup(fixture *f, bool writable) {
  memset(f, 0, sizeof *f);
  strcpy(f->root, "/tmp/aw-sandbox-XXXXXX");
  if (!mkdtemp(f->root)) return false;
  snprintf(f->granted, sizeof f->granted, "%s/granted", f->root);
  char p[512];
  mkdir(f->granted, 0755);
  snprintf(p, sizeof p, "%s/secret", f->root);
  mkdir(p, 0755);
  put_file(p, "key", "top secret");
  snprintf(p, sizeof p, "%s/sub", f->granted);
  mkdir(p, 0755);
  put_file(f->granted, "hello.txt", "hello");
  put_file(p, "inner.txt", "inner");
  link_at(f->granted, "up", "..");
  link_at(f->granted, "abs", "/etc");
  link_at(f->granted, "esc", "../secret/key");
  link_at(p, "deep-esc", "../../secret");
  link_at(p, "ok-link", "../hello.txt");
  link_at(f->granted, "loop1", "loop2");
  link_at(f->granted, "loop2", "loop1");
  link_at(f->granted, "subdir-link", "sub");
  aw_wasi_dir d = {f->granted, "/data", writable};
  aw_wasi_config cfg = {0, NULL, 0, NULL, 1, &d, -1, -1, -1};
  aw_error err;
  f->w = aw_wasi_new(&cfg, &err);
  f->m.base = f->mem;
  f->m.size = sizeof f->mem;
  return f->w != NULL;
}

static void teardown(fixture *f) {
  aw_wasi_free(f->w);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
  if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
}

/* Resolves path (placed in guest memory) from the granted dir (fd 3). */
static uint16_t res(fixture *f, const char *path, bool follow, bool write,
                    char *name_out) {
  size_t n = strlen(path);
  memcpy(f->mem + 100, path, n);
  wz_path p;
  uint16_t e = wz_resolve(f->w, &f->m, 3, 100, (uint32_t)n, follow,
                          write ? WZ_R_PATH_CREATE_FILE : 0, &p);
  if (!e) {
    if (name_out) strcpy(name_out, p.name);
    wz_path_done(&p);
  }
  return e;
}

TEST(wasi_sandbox_refuses_escapes) {
  fixture f;
  if (!setup(&f, true)) {
    CHECK(!"fixture");
    return;
  }
  char name[256];
  CHECK_EQ_INT(res(&f, "hello.txt", true, false, name), WZ_ESUCCESS);
  CHECK_STR(name, "hello.txt");
  CHECK_EQ_INT(res(&f, "sub/../hello.txt", true, false, name), WZ_ESUCCESS);
  CHECK_EQ_INT(res(&f, "./sub/./inner.txt", true, false, name), WZ_ESUCCESS);
  CHECK_EQ_INT(res(&f, "sub/ok-link", true, false, name), WZ_ESUCCESS);
  CHECK_STR(name, "hello.txt");
  CHECK_EQ_INT(res(&f, "subdir-link/inner.txt", true, false, name),
               WZ_ESUCCESS);
  /* Escapes. */
  CHECK_EQ_INT(res(&f, "..", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "../secret/key", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "sub/../../secret/key", true, false, NULL),
               WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "sub/../sub/../../secret", false, false, NULL),
               WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "/etc/passwd", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "//etc/passwd", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "up/secret/key", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "up", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "abs/passwd", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "abs", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "esc", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "sub/deep-esc/key", true, false, NULL), WZ_ENOTCAPABLE);
  CHECK_EQ_INT(res(&f, "up/", false, false, NULL), WZ_ENOTCAPABLE);
  /* Without following, a final symlink is the link itself (no escape). */
  CHECK_EQ_INT(res(&f, "esc", false, false, name), WZ_ESUCCESS);
  CHECK_STR(name, "esc");
  /* Loops, NULs, long names, bad fds. */
  CHECK_EQ_INT(res(&f, "loop1", true, false, NULL), WZ_ELOOP);
  CHECK_EQ_INT(res(&f, "loop1/x", false, false, NULL), WZ_ELOOP);
  uint8_t nul[] = "hello.txt\0../x";
  memcpy(f.mem + 100, nul, sizeof nul - 1);
  wz_path p;
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 3, 100, sizeof nul - 1, true, false, &p),
               WZ_EINVAL);
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 3, 8190, 100, true, false, &p), WZ_EFAULT);
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 3, UINT32_MAX, 2, true, false, &p),
               WZ_EFAULT);
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 9, 100, 1, true, false, &p), WZ_EBADF);
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 3, 100, 0, true, false, &p), WZ_ENOENT);
  char longname[300];
  memset(longname, 'a', 299);
  longname[299] = '\0';
  CHECK_EQ_INT(res(&f, longname, true, false, NULL), WZ_ENAMETOOLONG);
  CHECK_EQ_INT(res(&f, "hello.txt/x", true, false, NULL), WZ_ENOTDIR);
  /* "file/" resolves, marked: each operation picks its errno (ENOTDIR,
     EEXIST, EISDIR) as POSIX does. */
  memcpy(f.mem + 100, "hello.txt/", 10);
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 3, 100, 10, true, false, &p), WZ_ESUCCESS);
  CHECK(p.slash && p.notdir && !p.link_slash);
  CHECK_STR(p.name, "hello.txt");
  wz_path_done(&p);
  memcpy(f.mem + 100, "sub/", 4);
  CHECK_EQ_INT(wz_resolve(f.w, &f.m, 3, 100, 4, false, false, &p), WZ_ESUCCESS);
  CHECK(p.slash && !p.notdir);
  wz_path_done(&p);
  CHECK_EQ_INT(res(&f, "missing/x", true, false, NULL), WZ_ENOENT);
  CHECK_EQ_INT(res(&f, "newfile", true, false, name), WZ_ESUCCESS);
  CHECK_STR(name, "newfile");
  teardown(&f);
}

TEST(wasi_sandbox_read_only_grant) {
  fixture f;
  if (!setup(&f, false)) {
    CHECK(!"fixture");
    return;
  }
  CHECK_EQ_INT(res(&f, "hello.txt", true, false, NULL), WZ_ESUCCESS);
  CHECK_EQ_INT(res(&f, "hello.txt", false, true, NULL), WZ_ENOTCAPABLE);
  teardown(&f);
}

TEST(wasi_new_reports_missing_dir) {
  aw_wasi_dir d = {"/nonexistent/aw-dir", "/x", false};
  aw_wasi_config cfg = {0, NULL, 0, NULL, 1, &d, -1, -1, -1};
  aw_error err;
  aw_error_clear(&err);
  CHECK(aw_wasi_new(&cfg, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_IO);
  CHECK(strstr(err.message, "/nonexistent/aw-dir") != NULL);
}

TEST(wasi_fd_table_limits) {
  aw_wasi_config cfg = {0, NULL, 0, NULL, 0, NULL, 0, 1, 2};
  aw_error err;
  aw_wasi *w = aw_wasi_new(&cfg, &err);
  CHECK(w != NULL);
  if (!w) return;
  CHECK(wz_get_fd(w, 1) != NULL);
  CHECK(wz_get_fd(w, 3) == NULL);
  int64_t last = 0;
  int opened = 0;
  for (int i = 0; i < AW_WASI_MAX_FDS + 10; i++) {
    int h = open("/dev/null", O_RDONLY | O_CLOEXEC);
    last = wz_alloc_fd(w, h, WZ_FT_CHAR, false);
    if (last < 0) {
      close(h);
      break;
    }
    opened++;
  }
  CHECK_EQ_INT(last, -1);
  CHECK_EQ_INT(opened, AW_WASI_MAX_FDS - 3);
  aw_wasi_free(w);
}
