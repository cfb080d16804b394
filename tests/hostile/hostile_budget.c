/*
 * hostile_budget.c - the memory-budget cases built in C (issue 10, case
 * 1): modules declaring many and large tables, too many for the text
 * format.  Each runs through aw_execute like every other case (outcome,
 * resource, memory peak under the cap, time, fds) and, in addition, the
 * process's peak RSS during the case (VmHWM, reset through
 * /proc/self/clear_refs) must stay within the cap plus a fixed allowance
 * for the module itself: the allocation that the limit refuses never
 * happens.
 */
#include "airssys/executor.h"
#include "hostile.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  uint8_t *p;
  size_t n, cap;
} hbb;

static void put(hbb *b, uint8_t c) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 4096;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  b->p[b->n++] = c;
}

static void put_u32(hbb *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    put(b, (uint8_t)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void section(hbb *m, uint8_t id, hbb *s) {
  put(m, id);
  put_u32(m, (uint32_t)s->n);
  for (size_t i = 0; i < s->n; i++)
    put(m, s->p[i]);
  free(s->p);
  memset(s, 0, sizeof *s);
}

/* ntables funcref tables of min elements, a memory of pages (< 0: none),
   and "f": () -> i32 returning table.size of table 0. */
static void tables_module(hbb *m, uint32_t ntables, uint32_t min, int pages) {
  hbb s = {0};
  static const uint8_t hdr[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  for (size_t i = 0; i < sizeof hdr; i++)
    put(m, hdr[i]);
  put_u32(&s, 1);
  put(&s, 0x60);
  put_u32(&s, 0);
  put_u32(&s, 1);
  put(&s, 0x7F);
  section(m, 1, &s);
  put_u32(&s, 1);
  put_u32(&s, 0);
  section(m, 3, &s);
  put_u32(&s, ntables);
  for (uint32_t i = 0; i < ntables; i++) {
    put(&s, 0x70);
    put(&s, 0x00);
    put_u32(&s, min);
  }
  section(m, 4, &s);
  if (pages >= 0) {
    put_u32(&s, 1);
    put(&s, 0x00);
    put_u32(&s, (uint32_t)pages);
    section(m, 5, &s);
  }
  put_u32(&s, 1);
  put_u32(&s, 1);
  put(&s, 'f');
  put(&s, 0x00);
  put_u32(&s, 0);
  section(m, 7, &s);
  static const uint8_t body[] = {0x00, 0xFC, 0x10, 0x00, 0x0B}; /* table.size */
  put_u32(&s, 1);
  put_u32(&s, sizeof body);
  for (size_t i = 0; i < sizeof body; i++)
    put(&s, body[i]);
  section(m, 10, &s);
}

/* The process's peak RSS in KiB since the last reset, or -1. */
static long vm_hwm_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "VmHWM:", 6)) kib = strtol(line + 6, NULL, 10);
  fclose(f);
  return kib;
}

static long vm_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) kib = strtol(line + 6, NULL, 10);
  fclose(f);
  return kib;
}

/* Resets VmHWM to the current RSS (Linux >= 4.0); false if it cannot. */
static bool reset_hwm(void) {
  int fd = open("/proc/self/clear_refs", O_WRONLY);
  if (fd < 0) return false;
  bool ok = write(fd, "5", 1) == 1;
  close(fd);
  return ok;
}

/* Compiles the module, runs its "f" under mem bytes expecting outcome
   (and resource for limit_exceeded), and checks the RSS it added. */
static void budget_case(aw_engine *e, const char *name, uint32_t ntables,
                        uint32_t min, int pages, uint64_t mem,
                        aw_errkind expect, aw_resource resource) {
  hbb m = {0};
  tables_module(&m, ntables, min, pages);
  aw_error err;
  aw_module *mod = aw_module_new(e, m.p, m.n, &err);
  size_t module_bytes = m.n;
  free(m.p);
  char nm[200];
  snprintf(nm, sizeof nm, "budget:%s:module (%zu bytes)", name, module_bytes);
  hs_result(nm, mod != NULL, "compile: %s", err.message);
  if (!mod) return;
  hs_case c;
  hs_case_init(&c);
  snprintf(c.name, sizeof c.name, "budget:%s:f", name);
  snprintf(c.func, sizeof c.func, "f");
  c.mem = mem;
  c.table = AW_NO_TABLE_LIMIT;
  c.expect = expect;
  c.resource = resource;
  c.maxms = 2000;
  bool hwm = reset_hwm();
  long rss0 = vm_rss_kib();
  hs_run_case(e, mod, &c);
  long peak = vm_hwm_kib();
  aw_module_free(mod);
  /* What the case added to the process: at most the cap, plus 4 MiB for
     the allocator, the interpreter's stack and the store. */
  long added = peak - rss0;
  long allowed = (long)(mem / 1024) + 4096;
  snprintf(nm, sizeof nm, "budget:%s:rss", name);
  if (!hwm || rss0 < 0 || peak < 0)
    hs_result(nm, true, NULL); /* no /proc: nothing to measure */
  else
    hs_result(nm, added <= allowed, "peak RSS grew by %ld KiB (cap %llu KiB)",
              added, (unsigned long long)(mem / 1024));
  if (getenv("AW_HOSTILE_VERBOSE"))
    printf("     %s: peak RSS +%ld KiB, cap %llu KiB\n", nm, added,
           (unsigned long long)(mem / 1024));
}

void hs_run_budget(aw_engine *e) {
  /* Issue 10's module: 20,000 tables of 10,000 funcref (80 KB) took
     1.36 GB under 64 KiB.  More tables than RT_MAX_TABLES: refused. */
  budget_case(e, "tables_20000x10000", 20000, 10000, -1, 65536,
              AW_ERR_LIMIT_EXCEEDED, AW_RESOURCE_TABLES);
  budget_case(e, "tables_100000x10000", 100000, 10000, -1, 65536,
              AW_ERR_LIMIT_EXCEEDED, AW_RESOURCE_TABLES);
  /* Under the count cap, the budget: 9,000 x 80 KB under 64 KiB and
     under 256 MiB (721 MB of tables), 5,000 empty tables and a page. */
  budget_case(e, "tables_9000x10000", 9000, 10000, -1, 65536,
              AW_ERR_LIMIT_EXCEEDED, AW_RESOURCE_MEMORY);
  budget_case(e, "tables_9000x10000_256m", 9000, 10000, -1, 256u << 20,
              AW_ERR_LIMIT_EXCEEDED, AW_RESOURCE_MEMORY);
  budget_case(e, "tables_5000_and_memory", 5000, 0, 1, 131072,
              AW_ERR_LIMIT_EXCEEDED, AW_RESOURCE_MEMORY);
  /* One 10,000-element table fits 64 KiB? No (80 KB): refused; 10,266
     elements (yosys) fit 1 MiB, as 100 tables of 1,000 and a page do. */
  budget_case(e, "table_10000", 1, 10000, -1, 65536, AW_ERR_LIMIT_EXCEEDED,
              AW_RESOURCE_MEMORY);
  budget_case(e, "table_10266", 1, 10266, -1, 1u << 20, AW_OK,
              AW_RESOURCE_NONE);
  budget_case(e, "tables_100x1000_and_memory", 100, 1000, 1, 1u << 20, AW_OK,
              AW_RESOURCE_NONE);
}
