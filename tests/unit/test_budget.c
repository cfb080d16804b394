/*
 * test_budget.c - the memory budget of a store (src/runtime/store.c):
 * one limit over linear memories, table storage, per-object overhead and
 * host state, charged before anything is allocated; the hard caps on
 * tables and memories; store-wide metrics; the optional table cap.
 * These are the attacks of issue 10 (many tables, big tables, grow loops)
 * run through the store API, where the executor's early check does not
 * apply, so the charges themselves must refuse.
 */
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "runtime.h"
#include "test.h"
#include "test_exec_util.h"

#include <stdlib.h>
#include <string.h>

/* ---- a tiny module writer (tables are too many for the text format) */

typedef struct {
  uint8_t *p;
  size_t n, cap;
} bb;

static void bb_byte(bb *b, uint8_t c) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 256;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  b->p[b->n++] = c;
}

static void bb_u32(bb *b, uint32_t v) {
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    bb_byte(b, (uint8_t)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void bb_section(bb *m, uint8_t id, bb *sec) {
  bb_byte(m, id);
  bb_u32(m, (uint32_t)sec->n);
  for (size_t i = 0; i < sec->n; i++)
    bb_byte(m, sec->p[i]);
  free(sec->p);
  memset(sec, 0, sizeof *sec);
}

/* A module with ntables funcref tables of min elements each (and max
   when has_max), optionally a memory of mem_pages, and an export "f"
   returning table.grow of table 0 by its i32 argument. */
static aw_module *tables_module(aw_engine *e, uint32_t ntables, uint32_t min,
                                int mem_pages) {
  bb m = {0}, s = {0};
  static const uint8_t hdr[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  for (size_t i = 0; i < sizeof hdr; i++)
    bb_byte(&m, hdr[i]);
  bb_u32(&s, 1); /* type: (i32) -> i32 */
  bb_byte(&s, 0x60);
  bb_u32(&s, 1);
  bb_byte(&s, 0x7F);
  bb_u32(&s, 1);
  bb_byte(&s, 0x7F);
  bb_section(&m, 1, &s);
  bb_u32(&s, 1);
  bb_u32(&s, 0);
  bb_section(&m, 3, &s);
  bb_u32(&s, ntables);
  for (uint32_t i = 0; i < ntables; i++) {
    bb_byte(&s, 0x70);
    bb_byte(&s, 0x00);
    bb_u32(&s, min);
  }
  bb_section(&m, 4, &s);
  if (mem_pages >= 0) {
    bb_u32(&s, 1);
    bb_byte(&s, 0x00);
    bb_u32(&s, (uint32_t)mem_pages);
    bb_section(&m, 5, &s);
  }
  bb_u32(&s, 1);
  bb_u32(&s, 1);
  bb_byte(&s, 'f');
  bb_byte(&s, 0x00);
  bb_u32(&s, 0);
  bb_section(&m, 7, &s);
  /* f: (table.grow 0 (ref.null func) (local.get 0)) */
  static const uint8_t body[] = {0x00, 0xD0, 0x70, 0x20, 0x00,
                                 0xFC, 0x0F, 0x00, 0x0B};
  bb_u32(&s, 1);
  bb_u32(&s, sizeof body);
  for (size_t i = 0; i < sizeof body; i++)
    bb_byte(&s, body[i]);
  bb_section(&m, 10, &s);
  aw_error err;
  aw_module *mod = aw_module_new(e, m.p, m.n, &err);
  if (!mod) fprintf(stderr, "tables_module: %s\n", err.message);
  free(m.p);
  return mod;
}

static aw_store *budget_store(aw_engine *e, uint64_t bytes) {
  aw_store *s = aw_store_new(e);
  if (!s) return NULL;
  aw_resource_limits l = tx_limits(bytes, AW_NO_LIMIT, AW_NO_LIMIT);
  aw_error err;
  if (aw_store_apply_limits(s, &l, &err) != AW_OK) {
    aw_store_free(s);
    return NULL;
  }
  return s;
}

TEST(budget_charge_release_and_figures) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = budget_store(e, 1000);
  CHECK(s != NULL);
  if (!s) goto done;
  aw_error err;
  CHECK(rt_budget_charge(s, 600, &err));
  CHECK(!rt_budget_charge(s, 401, &err));
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK_EQ_INT(err.figures.limit.limit, 1000);
  CHECK_EQ_INT(err.figures.limit.requested, 1001);
  CHECK(rt_budget_charge(s, 400, NULL)); /* exactly the budget */
  CHECK(!rt_budget_charge(s, 1, NULL));
  /* A huge request does not wrap around. */
  CHECK(!rt_budget_charge(s, UINT64_MAX, &err));
  CHECK_EQ_INT(err.figures.limit.requested, UINT64_MAX);
  rt_budget_release(s, 700);
  aw_memory_metrics m = aw_store_memory_metrics(s);
  CHECK_EQ_INT(m.limit, 1000);
  CHECK_EQ_INT(m.current, 300);
  CHECK_EQ_INT(m.peak, 1000);
  CHECK_EQ_INT(aw_store_memory_breakdown(s).peak_host, 1000);
  /* Releasing more than was charged never goes below zero. */
  rt_budget_release(s, 5000);
  CHECK_EQ_INT(aw_store_memory_metrics(s).current, 0);
  /* A NULL store has no budget. */
  CHECK(rt_budget_charge(NULL, UINT64_MAX, NULL));
  CHECK_EQ_INT(aw_store_memory_metrics(NULL).limit, 0);
done:
  aw_store_free(s);
  aw_engine_free(e);
}

/* Issue 10, case 1: 20,000 tables of 10,000 funcref (an 80 KB module)
   under 64 KiB.  The first table is refused by its charge, before its
   elements are allocated; nothing stays charged after the failure. */
TEST(budget_20000_tables_of_10000_refused_before_allocating) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tables_module(e, 20000, 10000, -1);
  aw_store *s = budget_store(e, 65536);
  CHECK(m && s);
  if (!m || !s) goto done;
  aw_error err;
  CHECK(aw_instantiate(s, m, NULL, 0, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK_EQ_INT(err.figures.limit.limit, 65536);
  CHECK(err.figures.limit.requested > 65536);
  aw_memory_metrics mm = aw_store_memory_metrics(s);
  CHECK(mm.peak <= 65536);
  CHECK_EQ_INT(mm.current, 0);
  CHECK_EQ_INT(s->budget.ntables, 0);
  /* With a budget of 100 MiB the tables are made until it is spent:
     never more than the budget. */
  aw_store *big = budget_store(e, 100u << 20);
  CHECK(big != NULL);
  if (big) {
    CHECK(aw_instantiate(big, m, NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
    mm = aw_store_memory_metrics(big);
    CHECK(mm.peak <= 100u << 20);
    CHECK(mm.peak > 90u << 20); /* it did get that far */
    CHECK(aw_store_memory_breakdown(big).peak_tables > 90u << 20);
    CHECK_EQ_INT(mm.current, 0); /* all released with the instance */
    aw_store_free(big);
  }
done:
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

/* Many empty tables: each costs its overhead; the count is capped. */
TEST(budget_many_tables_overhead_and_count_cap) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tables_module(e, 5000, 0, -1);
  aw_store *s = budget_store(e, 65536);
  CHECK(m && s);
  if (!m || !s) goto done;
  aw_error err;
  CHECK(aw_instantiate(s, m, NULL, 0, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK(aw_store_memory_metrics(s).peak <= 65536);
  /* Without a budget, the hard cap on live tables of a store holds. */
  aw_store *nb = budget_store(e, AW_NO_LIMIT);
  CHECK(nb != NULL);
  if (nb) {
    aw_limits lim = {0, 0, false};
    uint32_t made = 0;
    aw_table *t;
    while (made <= RT_MAX_TABLES &&
           (t = aw_table_new(nb, AW_FUNCREF, lim, NULL, &err)) != NULL)
      made++;
    CHECK_EQ_INT(made, RT_MAX_TABLES);
    CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
    CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_TABLES);
    CHECK_EQ_INT(err.figures.limit.limit, RT_MAX_TABLES);
    CHECK_STR(aw_resource_name(AW_RESOURCE_TABLES), "table count");
    CHECK_EQ_INT(aw_store_memory_metrics(nb).current,
                 (uint64_t)RT_MAX_TABLES * RT_OBJ_BYTES);
    /* Memories too. */
    uint32_t mems = 0;
    while (mems <= RT_MAX_MEMORIES && aw_memory_new(nb, lim, &err) != NULL)
      mems++;
    CHECK_EQ_INT(mems, RT_MAX_MEMORIES);
    CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_MEMORIES);
    aw_store_free(nb);
  }
done:
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

/* table.grow past the budget returns -1, counts a failed grow, costs no
   per-element fuel; memory and tables share the one budget. */
TEST(budget_table_grow_and_memory_share_the_budget) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = true;
  aw_engine *e = aw_engine_new(&cfg);
  aw_module *m = tables_module(e, 1, 0, 1);
  CHECK(m != NULL);
  if (!m) goto done;
  /* 1 page + 64 KiB: the page, the overhead, then table elements. */
  aw_resource_limits l = tx_limits(2 * 65536, 1000000, 10000);
  aw_exec_result r;
  aw_val a = tx_i32(8000); /* 64,000 bytes: fits next to the page */
  CHECK_EQ_INT(tx_run(m, l, "f", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 0);
  CHECK_EQ_INT(r.memory.failed_grows, 0);
  CHECK_EQ_INT(r.memory_parts.peak_tables, 8000 * 8);
  CHECK_EQ_INT(r.memory_parts.peak_linear, 65536);
  CHECK(r.memory.peak <= 2 * 65536);
  a = tx_i32(8192); /* 65,536 bytes: the page leaves no room */
  CHECK_EQ_INT(tx_run(m, l, "f", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, -1);
  CHECK_EQ_INT(r.memory.failed_grows, 1);
  CHECK_EQ_INT(r.memory_parts.peak_tables, 0);
  /* The refused grow is not charged per element (3 = entry, ref.null,
     local.get; table.grow's own unit and end included by the model). */
  CHECK(r.fuel.consumed < 10);
  /* 2^31 elements: refused at once, nothing allocated. */
  a = tx_i32(INT32_MIN);
  CHECK_EQ_INT(tx_run(m, l, "f", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, -1);
  CHECK(r.memory.peak <= 2 * 65536);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* The default has no table-element cap (yosys needs 10,266 elements,
   CRuby 8,776); max_table_elements is an optional extra limit. */
TEST(budget_no_default_table_element_cap) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tables_module(e, 1, 10266, -1);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 1u << 20);
  aw_resource_limits l;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  CHECK_EQ_INT(l.max_table_elements, AW_NO_TABLE_LIMIT);
  aw_exec_result r;
  aw_val a = tx_i32(0);
  CHECK_EQ_INT(tx_run(m, l, "f", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 10266);
  CHECK_EQ_INT(r.memory_parts.peak_tables, 10266 * 8);
  /* The same table in a budget too small for its 82 KB. */
  l.max_memory_bytes = 65536;
  CHECK_EQ_INT(tx_run(m, l, "f", &a, 1, &r), AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_MEMORY);
  /* The extra cap, when given. */
  l.max_memory_bytes = 1u << 20;
  l.max_table_elements = 10000;
  CHECK_EQ_INT(tx_run(m, l, "f", &a, 1, &r), AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_TABLE_ELEMENTS);
  CHECK_EQ_INT(r.error.figures.limit.limit, 10000);
  CHECK_EQ_INT(r.error.figures.limit.requested, 10266);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* The executor refuses a module whose tables and memory together exceed
   the budget, or whose tables are more than RT_MAX_TABLES, before
   creating the store's first object. */
TEST(budget_executor_sums_before_allocating) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tables_module(e, 9000, 10000, 1);
  aw_module *many = tables_module(e, 100000, 0, -1);
  CHECK(m && many);
  if (!m || !many) goto done;
  aw_exec_result r;
  aw_val a = tx_i32(0);
  CHECK_EQ_INT(tx_run(m, tx_limits(512u << 20, 1000, 10000), "f", &a, 1, &r),
               AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK_EQ_INT(r.error.figures.limit.limit, 512u << 20);
  CHECK_EQ_INT(r.error.figures.limit.requested,
               9000ull * (10000 * 8 + RT_OBJ_BYTES) + 65536 + RT_OBJ_BYTES);
  CHECK_EQ_INT(r.memory.peak, 0);
  CHECK_EQ_INT(
      tx_run(many, tx_limits(AW_NO_LIMIT, 1000, 10000), "f", &a, 1, &r),
      AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_TABLES);
  CHECK_EQ_INT(r.error.figures.limit.requested, 100000);
done:
  aw_module_free(m);
  aw_module_free(many);
  aw_engine_free(e);
}

/* Globals and instances made through the API are charged too. */
TEST(budget_globals_and_instances_charged) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = budget_store(e, 64 * RT_GLOBAL_BYTES);
  CHECK(s != NULL);
  if (!s) goto done;
  aw_error err;
  aw_val v = {.kind = AW_I32, .of.i32 = 1};
  uint32_t n = 0;
  while (n <= 64 && aw_global_new(s, v, false, &err))
    n++;
  CHECK_EQ_INT(n, 64);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(aw_store_memory_metrics(s).current, 64 * RT_GLOBAL_BYTES);
done:
  aw_store_free(s);
  aw_engine_free(e);
}
