/*
 * test_errpath.c - errors of the store path (aw_instantiate, aw_func_call)
 * carry the same kind, figures and message as the executor's (aw_execute)
 * for the same guest and limits: out of fuel (in a call and in a start
 * function), traps, timeouts; and figures are set even when the caller
 * left garbage in the aw_error it passes.
 */
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "test.h"
#include "test_exec_util.h"

#include <string.h>

#define MiB (UINT64_C(1) << 20)

/* A start function that loops until the fuel runs out. */
static const char *const start_wat =
    "(module (func $s (loop $l (br $l))) (start $s)"
    " (func (export \"f\")))";

/* The store path: store with l applied, its deadline armed, instance,
   then a call of func (func NULL: instantiation only).  err starts full
   of garbage, as a caller's uninitialised aw_error would. */
static aw_errkind store_run(int *test_failed_, aw_engine *eng,
                            const aw_module *m, aw_resource_limits l,
                            const char *func, const aw_val *args,
                            uint32_t nargs, aw_error *err) {
  memset(err, 0xAB, sizeof *err);
  aw_store *s = aw_store_new(eng);
  aw_errkind k = aw_store_apply_limits(s, &l, err);
  if (k == AW_OK) k = aw_store_set_deadline(s, l.timeout_ms, err);
  aw_instance *inst = NULL;
  if (k == AW_OK) {
    memset(err, 0xAB, sizeof *err);
    inst = aw_instantiate(s, m, NULL, 0, err);
    if (!inst) k = err->kind;
  }
  if (k == AW_OK && func) {
    aw_extern ext;
    CHECK(aw_instance_export(inst, func, strlen(func), &ext));
    aw_val res[4];
    memset(err, 0xAB, sizeof *err);
    k = aw_func_call(s, ext.of.func, args, nargs, res,
                     aw_func_type(ext.of.func).nresults, err);
  }
  aw_store_free(s);
  return k;
}

/* The executor and the store path agree on m's func under l. */
static void same_error(int *test_failed_, aw_engine *eng, const aw_module *m,
                       aw_resource_limits l, const char *func,
                       const aw_val *args, uint32_t nargs, aw_errkind want) {
  aw_exec_result r;
  aw_error e;
  CHECK_EQ_INT(tx_run(m, l, func, args, nargs, &r), want);
  CHECK_EQ_INT(store_run(test_failed_, eng, m, l, func, args, nargs, &e), want);
  CHECK_EQ_INT(e.kind, r.error.kind);
  CHECK_EQ_INT(e.trap, r.error.trap);
  CHECK_STR(e.message, r.error.message);
  if (want == AW_ERR_OUT_OF_FUEL) {
    CHECK_EQ_INT(e.figures.fuel.max, r.error.figures.fuel.max);
    CHECK_EQ_INT(e.figures.fuel.consumed, r.error.figures.fuel.consumed);
    CHECK(e.figures.fuel.usage_percent == r.error.figures.fuel.usage_percent);
    CHECK_EQ_INT(e.figures.fuel.max, l.max_fuel);
    CHECK_EQ_INT(e.figures.fuel.consumed, l.max_fuel);
  }
}

TEST(errpath_fuel_call_same_as_executor) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (m) {
    aw_val a = tx_i32(1000000);
    const uint64_t budgets[] = {1, 50, 1000, 12345};
    for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++)
      same_error(test_failed_, e, m, tx_limits(MiB, budgets[i], 10000), "count",
                 &a, 1, AW_ERR_OUT_OF_FUEL);
    /* Deep recursion stops on fuel too, mid-call-stack. */
    a = tx_i32(5000);
    same_error(test_failed_, e, m, tx_limits(MiB, 777, 10000), "rec", &a, 1,
               AW_ERR_OUT_OF_FUEL);
  }
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(errpath_fuel_start_same_as_executor) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, start_wat);
  CHECK(m != NULL);
  if (m)
    same_error(test_failed_, e, m, tx_limits(MiB, 300, 10000), "f", NULL, 0,
               AW_ERR_OUT_OF_FUEL);
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(errpath_trap_same_as_executor) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (m) {
    same_error(test_failed_, e, m, tx_limits(MiB, 1000, 10000), "trap", NULL, 0,
               AW_ERR_TRAP);
    same_error(test_failed_, e, m, tx_limits(MiB, AW_NO_LIMIT, 10000), "inf",
               NULL, 0, AW_ERR_TRAP);
  }
  aw_module_free(m);
  aw_engine_free(e);
}

/* Timeouts: same kind, limit, fuel knowledge and message (which names
   the limit, not the elapsed time). */
TEST(errpath_timeout_same_as_executor) {
  /* Unmetered: both messages say "fuel consumed: unknown". */
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = false;
  aw_engine *e = aw_engine_new(&cfg);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (m) {
    aw_resource_limits l = tx_limits(MiB, AW_NO_LIMIT, 30);
    aw_exec_result r;
    aw_error se;
    CHECK_EQ_INT(tx_run(m, l, "spin", NULL, 0, &r), AW_ERR_TIMEOUT);
    CHECK_EQ_INT(store_run(test_failed_, e, m, l, "spin", NULL, 0, &se),
                 AW_ERR_TIMEOUT);
    CHECK_EQ_INT(se.figures.timeout.timeout_ms, 30);
    CHECK_EQ_INT(r.error.figures.timeout.timeout_ms, 30);
    CHECK_EQ_INT(se.figures.timeout.fuel_known,
                 r.error.figures.timeout.fuel_known);
    CHECK(!se.figures.timeout.interrupted);
    CHECK(se.figures.timeout.elapsed_ms >= 30);
    CHECK(se.figures.timeout.elapsed_ms < 2000);
    CHECK_STR(se.message, r.error.message);
  }
  aw_module_free(m);
  aw_engine_free(e);
}

/* aw_error_clear resets the figures too. */
TEST(errpath_clear_resets_figures) {
  aw_error e;
  memset(&e, 0xAB, sizeof e);
  aw_error_clear(&e);
  CHECK_EQ_INT(e.figures.fuel.max, 0);
  CHECK_EQ_INT(e.figures.fuel.consumed, 0);
  CHECK_EQ_INT(e.figures.limit.requested, 0);
}

/* A chosen fuel on an unmetered engine: the store path refuses it as the
   executor does; the builder's default and AW_NO_LIMIT are accepted. */
TEST(errpath_fuel_unmetered_store) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = false;
  aw_engine *e = aw_engine_new(&cfg);
  aw_store *s = aw_store_new(e);
  aw_error err;
  const uint64_t bad[] = {0, 1, 1000, AW_NO_LIMIT - 1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    aw_resource_limits l = tx_limits(MiB, bad[i], 1000);
    CHECK(!l.fuel_default);
    CHECK_EQ_INT(aw_store_apply_limits(s, &l, &err), AW_ERR_INVALID_CONFIG);
    CHECK(strstr(err.message, "max_fuel") != NULL);
  }
  /* A hand-made value (zero-initialised) counts as chosen. */
  aw_resource_limits hand;
  memset(&hand, 0, sizeof hand);
  hand.max_memory_bytes = MiB;
  hand.max_fuel = 5;
  hand.timeout_ms = AW_NO_LIMIT;
  hand.max_call_depth = 100;
  hand.max_value_stack_slots = 1000;
  CHECK_EQ_INT(aw_store_apply_limits(s, &hand, &err), AW_ERR_INVALID_CONFIG);
  hand.max_fuel = AW_NO_LIMIT;
  CHECK_EQ_INT(aw_store_apply_limits(s, &hand, &err), AW_OK);
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, MiB);
  aw_resource_limits dl;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &dl, NULL), AW_OK);
  CHECK_EQ_INT(aw_store_apply_limits(s, &dl, &err), AW_OK);
  /* On a metered engine every fuel is fine. */
  aw_engine *me = aw_engine_new(NULL);
  aw_store *ms = aw_store_new(me);
  aw_resource_limits l = tx_limits(MiB, 10, 1000);
  CHECK_EQ_INT(aw_store_apply_limits(ms, &l, &err), AW_OK);
  aw_store_free(ms);
  aw_engine_free(me);
  aw_store_free(s);
  aw_engine_free(e);
}
