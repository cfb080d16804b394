/*
 * module_file.c - aw_module_new_from_file: a module compiled from a file.
 *
 * The file is read once into memory and handed to aw_module_new.  Only a
 * regular file is read, and only up to AW_MODULE_FILE_MAX bytes, so a path
 * naming /dev/zero, a FIFO or a huge file is an error, not an unbounded
 * read or allocation.
 */
#include "runtime/rt_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

aw_module *aw_module_new_from_file(aw_engine *engine, const char *path,
                                   aw_error *err) {
  aw_error_clear(err);
  if (!engine || !path) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_module_new_from_file: %s is NULL", engine ? "path" : "engine");
    return NULL;
  }
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    aw_fail(err, AW_ERR_IO, UINT64_MAX, "cannot open '%s': %s", path,
            strerror(errno));
    return NULL;
  }
  struct stat st;
  uint8_t *buf = NULL;
  aw_module *m = NULL;
  if (fstat(fd, &st) != 0) {
    aw_fail(err, AW_ERR_IO, UINT64_MAX, "cannot stat '%s': %s", path,
            strerror(errno));
    goto done;
  }
  if (!S_ISREG(st.st_mode)) {
    aw_fail(err, AW_ERR_IO, UINT64_MAX, "'%s' is not a regular file", path);
    goto done;
  }
  if ((uint64_t)st.st_size > AW_MODULE_FILE_MAX) {
    aw_fail(err, AW_ERR_LIMIT_EXCEEDED, UINT64_MAX,
            "'%s' is %lld bytes, more than the %llu a module file may have",
            path, (long long)st.st_size,
            (unsigned long long)AW_MODULE_FILE_MAX);
    if (err) {
      memset(&err->figures, 0, sizeof err->figures);
      err->figures.limit.limit = AW_MODULE_FILE_MAX;
      err->figures.limit.requested = (uint64_t)st.st_size;
    }
    goto done;
  }
  size_t len = (size_t)st.st_size, got = 0;
  buf = malloc(len ? len : 1);
  if (!buf) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory reading '%s'", path);
    goto done;
  }
  while (got < len) {
    ssize_t n = read(fd, buf + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      aw_fail(err, AW_ERR_IO, UINT64_MAX, "cannot read '%s': %s", path,
              n < 0 ? strerror(errno) : "the file shrank while being read");
      goto done;
    }
    got += (size_t)n;
  }
  m = aw_module_new(engine, buf, len, err);
done:
  free(buf);
  close(fd);
  return m;
}
