/*
 * startup.c - measures how long it takes to run a whole program from the
 * command line: fork, exec, run, exit, reap.  Each command given after the
 * options is run N times, interleaved (A B A B ...) so that the machine's
 * load hits all of them alike; the median, p10 and p90 wall-clock times are
 * printed as a Markdown table, with the ratio of each median to the first
 * command's.  Output of the commands goes to /dev/null.
 *
 *   aw-startup [-n N] LABEL=CMD... [-- LABEL=CMD ...]
 *   e.g. aw-startup -n 200 'native=./hello' 'airssys-wasm=airssys-wasm run
 *        --max-memory 16MiB hello.wasm'
 * (each CMD is split on spaces; no quoting inside).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { MAX_CMDS = 8, MAX_ARGS = 32 };

typedef struct cmd {
  const char *label;
  char *argv[MAX_ARGS + 1];
  double *ms;
} cmd;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Runs c once; returns its wall time in ms, or -1 if it failed. */
static double run_once(const cmd *c) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  double t0 = now_ms();
  pid_t pid;
  int st = 0;
  if (posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    return -1;
  }
  waitpid(pid, &st, 0);
  double t = now_ms() - t0;
  posix_spawn_file_actions_destroy(&fa);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int n = 200, ncmd = 0;
  cmd cmds[MAX_CMDS];
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
      n = atoi(argv[++i]);
      continue;
    }
    char *eq = strchr(argv[i], '=');
    if (!eq || ncmd == MAX_CMDS) {
      fprintf(stderr, "usage: aw-startup [-n N] LABEL=CMD...\n");
      return 2;
    }
    *eq = '\0';
    cmd *c = &cmds[ncmd++];
    c->label = argv[i];
    int na = 0;
    for (char *tok = strtok(eq + 1, " "); tok && na < MAX_ARGS;
         tok = strtok(NULL, " "))
      c->argv[na++] = tok;
    c->argv[na] = NULL;
  }
  if (ncmd == 0 || n < 1) {
    fprintf(stderr, "usage: aw-startup [-n N] LABEL=CMD...\n");
    return 2;
  }
  for (int c = 0; c < ncmd; c++) {
    cmds[c].ms = calloc((size_t)n, sizeof(double));
    if (!cmds[c].ms || run_once(&cmds[c]) < 0) { /* warm-up, and a check */
      fprintf(stderr, "aw-startup: '%s' failed\n", cmds[c].argv[0]);
      return 1;
    }
  }
  for (int i = 0; i < n; i++)
    for (int c = 0; c < ncmd; c++)
      if ((cmds[c].ms[i] = run_once(&cmds[c])) < 0) {
        fprintf(stderr, "aw-startup: '%s' failed\n", cmds[c].label);
        return 1;
      }
  printf("| command | runs | median | p10 | p90 | median / %s |\n",
         cmds[0].label);
  printf("|---|---:|---:|---:|---:|---:|\n");
  double base = 0;
  for (int c = 0; c < ncmd; c++) {
    qsort(cmds[c].ms, (size_t)n, sizeof(double), cmp);
    double med = cmds[c].ms[n / 2];
    if (c == 0) base = med;
    printf("| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2fx |\n", cmds[c].label,
           n, med, cmds[c].ms[n / 10], cmds[c].ms[n * 9 / 10], med / base);
    free(cmds[c].ms);
  }
  return 0;
}
