/*
 * poll.c - waiting: poll() with no fds sleeps for its timeout, poll() and
 * select() on the stdin pipe wake when data arrives (the driver writes it
 * in pieces with pauses), unbuffered read() returns what has arrived, and
 * end of input is seen; stdout is always writable.
 */
#include "common.h"
#include <poll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(void) {
  long long t0 = now_ms();
  int r = poll(NULL, 0, 30);
  printf("poll no fds 30ms: %d, waited >= 30ms: %d\n", r, now_ms() - t0 >= 30);

  struct pollfd out = {1, POLLOUT, 0};
  r = poll(&out, 1, 1000);
  printf("poll stdout: %d writable %d\n", r, (out.revents & POLLOUT) != 0);

  /* Read stdin in pieces as it arrives. */
  char all[4096];
  size_t total = 0;
  int wakeups = 0;
  for (;;) {
    struct pollfd in = {0, POLLIN, 0};
    r = poll(&in, 1, 10000);
    if (r != 1) {
      printf("poll stdin: %d %s\n", r, errname(errno));
      break;
    }
    wakeups++;
    char buf[256];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      printf("read: %s\n", errname(errno));
      break;
    }
    if (n == 0) {
      printf("eof seen; poll said readable or hangup: %d\n",
             (in.revents & (POLLIN | POLLHUP)) != 0);
      break;
    }
    if (total + (size_t)n < sizeof all) {
      memcpy(all + total, buf, (size_t)n);
      total += (size_t)n;
    }
  }
  all[total] = 0;
  printf("read %zu bytes in >= 1 wakeups: %d\n%s", total, wakeups >= 1, all);

  /* select() on stdin at EOF returns at once (readable: EOF). */
  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(0, &rs);
  struct timeval tv = {5, 0};
  t0 = now_ms();
  r = select(1, &rs, NULL, NULL, &tv);
  printf("select stdin at eof: %d, set %d, quick %d\n", r,
         FD_ISSET(0, &rs) != 0, now_ms() - t0 < 4000);
  FD_ZERO(&rs);
  tv.tv_sec = 0;
  tv.tv_usec = 20000;
  t0 = now_ms();
  r = select(0, NULL, NULL, NULL, &tv);
  printf("select nothing 20ms: %d, waited >= 20ms: %d\n", r,
         now_ms() - t0 >= 20);
  return 0;
}
