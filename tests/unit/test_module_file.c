/* test_module_file.c - aw_module_new_from_file: a good file, a malformed
   one, and the paths a hostile caller would give (missing, a directory,
   /dev/zero, a FIFO with no writer, an empty file). */
#include "airssys/wasm.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fwrite(p, 1, n, f);
  fclose(f);
}

TEST(module_new_from_file) {
  char dir[] = "/tmp/aw-modfile.XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char good[64], bad[64], empty[64], fifo[64];
  snprintf(good, sizeof good, "%s/good.wasm", dir);
  snprintf(bad, sizeof bad, "%s/bad.wasm", dir);
  snprintf(empty, sizeof empty, "%s/empty.wasm", dir);
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  static const uint8_t ok[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  static const uint8_t nok[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 0x0a, 0x7f};
  write_file(good, ok, sizeof ok);
  write_file(bad, nok, sizeof nok);
  write_file(empty, "", 0);
  CHECK(mkfifo(fifo, 0600) == 0);
  aw_engine *e = aw_engine_new(NULL);
  aw_error err;
  aw_module *m = aw_module_new_from_file(e, good, &err);
  CHECK(m != NULL && err.kind == AW_OK);
  aw_module_free(m);
  CHECK(aw_module_new_from_file(e, bad, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_MALFORMED);
  CHECK(aw_module_new_from_file(e, empty, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_MALFORMED);
  CHECK(aw_module_new_from_file(e, "/nonexistent/x.wasm", &err) == NULL);
  CHECK(err.kind == AW_ERR_IO && strstr(err.message, "/nonexistent/x.wasm"));
  CHECK(aw_module_new_from_file(e, dir, &err) == NULL);
  CHECK(err.kind == AW_ERR_IO && strstr(err.message, "not a regular file"));
  /* Neither an endless read nor a wait for a writer. */
  CHECK(aw_module_new_from_file(e, "/dev/zero", &err) == NULL);
  CHECK(err.kind == AW_ERR_IO && strstr(err.message, "not a regular file"));
  CHECK(aw_module_new_from_file(e, fifo, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_IO);
  /* A (sparse) file above the cap is refused before any allocation. */
  char big[64];
  snprintf(big, sizeof big, "%s/big.wasm", dir);
  write_file(big, ok, sizeof ok);
  CHECK(truncate(big, (off_t)AW_MODULE_FILE_MAX + 1) == 0);
  CHECK(aw_module_new_from_file(e, big, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK(err.figures.limit.requested == AW_MODULE_FILE_MAX + 1);
  unlink(big);
  CHECK(aw_module_new_from_file(NULL, good, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  CHECK(aw_module_new_from_file(e, NULL, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  aw_engine_free(e);
  unlink(good);
  unlink(bad);
  unlink(empty);
  unlink(fifo);
  rmdir(dir);
}
