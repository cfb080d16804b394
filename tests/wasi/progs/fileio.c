/*
 * fileio.c - lower-level file operations: ftruncate/truncate (shrink and
 * grow), lseek beyond the end then write (the hole reads as zeros),
 * pread/pwrite (not moving the offset), readv/writev, fsync, fdatasync,
 * posix_fadvise, posix_fallocate, futimens/utimensat with fixed times read back
 * by stat, fcntl flags, isatty.
 */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static long long fsize(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
}

int main(void) {
  int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  printf("open: %s\n", fd >= 0 ? "OK" : errname(errno));
  printf("write: %zd\n", write(fd, "0123456789", 10));
  TRY("ftruncate 4", ftruncate(fd, 4));
  printf("size: %lld offset %lld\n", fsize(fd),
         (long long)lseek(fd, 0, SEEK_CUR));
  TRY("ftruncate 20", ftruncate(fd, 20));
  char buf[32];
  memset(buf, 'x', sizeof buf);
  printf("pread 0: %zd\n", pread(fd, buf, sizeof buf, 0));
  for (int i = 0; i < 20; i++)
    printf("%02x", (unsigned char)buf[i]);
  printf("\n");
  printf("lseek 100 beyond end: %lld\n", (long long)lseek(fd, 100, SEEK_SET));
  printf("size still: %lld\n", fsize(fd));
  printf("write at 100: %zd\n", write(fd, "END", 3));
  printf("size now: %lld\n", fsize(fd));
  memset(buf, 'x', sizeof buf);
  printf("pread 90: %zd\n", pread(fd, buf, 16, 90));
  for (int i = 0; i < 13; i++)
    printf("%02x", (unsigned char)buf[i]);
  printf("\n");
  printf("pwrite 2: %zd\n", pwrite(fd, "AB", 2, 2));
  printf("offset after pwrite: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("pread beyond end: %zd\n", pread(fd, buf, 4, 1000));
  printf("lseek SEEK_END -3: %lld\n", (long long)lseek(fd, -3, SEEK_END));
  printf("lseek SEEK_CUR +1: %lld\n", (long long)lseek(fd, 1, SEEK_CUR));
  TRY("lseek negative", lseek(fd, -1000, SEEK_SET));

  /* Vectored I/O. */
  struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
  lseek(fd, 0, SEEK_SET);
  printf("writev: %zd\n", writev(fd, iov, 3));
  char x[3] = {0}, y[5] = {0};
  struct iovec riov[2] = {{x, 2}, {y, 4}};
  lseek(fd, 0, SEEK_SET);
  printf("readv: %zd '%s' '%s'\n", readv(fd, riov, 2), x, y);

  TRY("posix_fadvise",
      posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0 ? 0 : -1);
  TRY("fsync", fsync(fd));
  TRY("fdatasync", fdatasync(fd));
  TRY("posix_fallocate", posix_fallocate(fd, 0, 4096) == 0 ? 0 : -1);
  printf("size after fallocate: %lld\n", fsize(fd));

  /* Times: set fixed ones, read them back. */
  struct timespec ts[2] = {{1000000000, 5}, {1234567890, 123456789}};
  TRY("futimens", futimens(fd, ts));
  struct stat st;
  fstat(fd, &st);
  printf("mtime %lld.%09ld atime %lld.%09ld\n", (long long)st.st_mtim.tv_sec,
         st.st_mtim.tv_nsec, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
  struct timespec ts2[2] = {{0, UTIME_OMIT}, {1600000000, 0}};
  TRY("utimensat", utimensat(AT_FDCWD, "data.bin", ts2, 0));
  stat("data.bin", &st);
  printf("mtime %lld.%09ld atime %lld.%09ld\n", (long long)st.st_mtim.tv_sec,
         st.st_mtim.tv_nsec, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec);

  int fl = fcntl(fd, F_GETFL);
  printf("F_GETFL: append %d accmode rdwr %d\n", (fl & O_APPEND) != 0,
         (fl & O_ACCMODE) == O_RDWR);
  TRY("F_SETFL O_APPEND", fcntl(fd, F_SETFL, fl | O_APPEND));
  fl = fcntl(fd, F_GETFL);
  printf("F_GETFL: append %d\n", (fl & O_APPEND) != 0);
  lseek(fd, 0, SEEK_SET);
  write(fd, "Z", 1);
  printf("appended at: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("isatty(fd) %d isatty(1) %d\n", isatty(fd), isatty(1));
  close(fd);

  TRY("truncate path 7", truncate("data.bin", 7));
  fd = open("data.bin", O_RDONLY);
  memset(buf, 0, sizeof buf);
  printf("read: %zd '%s'\n", read(fd, buf, sizeof buf), buf);
  close(fd);
  return 0;
}
