/*
 * time.c - clocks and sleeping; prints only facts that do not depend on
 * when or how fast it runs: monotonic time increases, nanosleep(10 ms)
 * lasts at least 10 ms, the realtime clock is after 2020, resolutions are
 * positive, CPU-time clocks work.
 */
#include "common.h"
#include <sched.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t) {
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
  struct timespec a, b, r;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int increasing = 1;
  for (int i = 0; i < 1000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (ns(b) < ns(a)) increasing = 0;
    a = b;
  }
  printf("monotonic never decreases: %d\n", increasing);
  int rc = clock_getres(CLOCK_MONOTONIC, &r);
  printf("clock_getres monotonic: %d positive %d\n", rc, ns(r) > 0);
  rc = clock_getres(CLOCK_REALTIME, &r);
  printf("clock_getres realtime: %d positive %d\n", rc, ns(r) > 0);

  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec req = {0, 10 * 1000 * 1000};
  rc = nanosleep(&req, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("nanosleep 10ms: rc %d, waited >= 10ms: %d\n", rc,
         ns(b) - ns(a) >= 10 * 1000 * 1000);
  clock_gettime(CLOCK_MONOTONIC, &a);
  usleep(20000);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("usleep 20ms: waited >= 20ms: %d\n",
         ns(b) - ns(a) >= 20 * 1000 * 1000);
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec zero = {0, 0};
  nanosleep(&zero, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("nanosleep 0: returned within 1s: %d\n", ns(b) - ns(a) < 1000000000LL);

  printf("sched_yield: %d\n", sched_yield());
  clock_gettime(CLOCK_REALTIME, &a);
  printf("realtime after 2020: %d\n", a.tv_sec > 1577836800);
  time_t t = time(NULL);
  /* glibc's time() reads a coarse clock: it may lag by a tick. */
  printf("time() agrees with realtime: %d\n",
         t >= a.tv_sec - 1 && t - a.tv_sec < 5);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday agrees: %d usec in range %d\n",
         tv.tv_sec >= a.tv_sec && tv.tv_sec - a.tv_sec < 5,
         tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  struct tm tm;
  time_t fixed = 1700000000;
  gmtime_r(&fixed, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %j", &tm);
  printf("gmtime 1700000000: %s\n", buf);

  /* CPU time advances with work. */
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  static volatile unsigned long x = 0;
  for (unsigned long i = 0; i < 3000000; i++)
    x = x + i * i;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  printf("process cputime advanced: %d\n", ns(b) > ns(a));
  return 0;
}
