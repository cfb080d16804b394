/*
 * sleeper.c - an example component that sleeps (nanosleep, i.e. WASI
 * poll_oneoff on a clock) for longer than its wall-clock timeout: the run
 * ends with outcome timeout while the guest is blocked in the host.
 */
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts = {.tv_sec = 5, .tv_nsec = 0};
  printf("sleeping 5 s\n");
  fflush(stdout);
  nanosleep(&ts, NULL);
  printf("woke up\n"); /* never reached under the manifest's timeout */
  return 0;
}
