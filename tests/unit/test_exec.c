/*
 * test_exec.c - resource control end to end: exact fuel (cost model,
 * variable costs, last block, determinism, store fuel API), timeouts
 * (loops, recursion, WASI sleep, 0 and unlimited), outcomes and their
 * messages, memory/table/stack limits.  Guests are WAT compiled with
 * wat2wasm at test time.  Concurrency is in test_exec_concurrency.c.
 */
#include "airssys/executor.h"
#include "airssys/wasi.h"
#include "runtime.h"
#include "test.h"
#include "test_exec_util.h"
#include "util/util.h"

#include <stdlib.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Guests                                                               */
/* ------------------------------------------------------------------ */

const char *const tx_main_wat =
    "(module\n"
    "  (memory (export \"memory\") 1 100)\n"
    "  (table $t 2 funcref)\n"
    /* loop body: local.get local.get i32.ge_u br_if local.get i32.const
       i32.add local.set br = 9; entry 1, exit 4 + final local.get 1 */
    "  (func $count (export \"count\") (param $n i32) (result i32)\n"
    "    (local $i i32)\n"
    "    (block $exit\n"
    "      (loop $l\n"
    "        local.get $i\n"
    "        local.get $n\n"
    "        i32.ge_u\n"
    "        br_if $exit\n"
    "        local.get $i\n"
    "        i32.const 1\n"
    "        i32.add\n"
    "        local.set $i\n"
    "        br $l))\n"
    "    local.get $i)\n"
    "  (func (export \"store_loop\") (param $n i32) (local $i i32)\n"
    "    (block $exit (loop $l\n"
    "      (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))\n"
    "      (i32.store (i32.shl (local.get $i) (i32.const 2))\n"
    "                 (i32.add (local.get $i) (i32.const 1)))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "      (br $l))))\n"
    "  (func (export \"spin\") (loop $l (br $l)))\n"
    "  (func $fib (export \"fib\") (param i32) (result i32)\n"
    "    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))\n"
    "      (then (local.get 0))\n"
    "      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))\n"
    "                     (call $fib (i32.sub (local.get 0) (i32.const "
    "2)))))))\n"
    "  (func $rec (export \"rec\") (param i32) (result i32)\n"
    "    (if (result i32) (i32.eqz (local.get 0))\n"
    "      (then (i32.const 0))\n"
    "      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1)))\n"
    "                     (i32.const 1)))))\n"
    "  (func $inf (export \"inf\") (call $inf))\n"
    "  (func (export \"trap\") (unreachable))\n"
    "  (func (export \"const\") (result i32) (i32.const 42))\n"
    "  (func (export \"first_store\") (i32.store (i32.const 0) (i32.const "
    "1)))\n"
    "  (func (export \"load0\") (result i32) (i32.load (i32.const 0)))\n"
    "  (func (export \"grow\") (param i32) (result i32)\n"
    "    (memory.grow (local.get 0)))\n"
    "  (func (export \"grow_then_touch\") (param i32) (result i32)\n"
    "    (drop (memory.grow (local.get 0)))\n"
    "    (drop (memory.grow (i32.const 1000)))\n"
    "    (memory.size))\n"
    "  (func (export \"fill\") (param i32)\n"
    "    (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))\n"
    "  (func (export \"copy\") (param i32)\n"
    "    (memory.copy (i32.const 100) (i32.const 0) (local.get 0)))\n"
    "  (func (export \"tgrow\") (param i32) (result i32)\n"
    "    (table.grow $t (ref.null func) (local.get 0)))\n"
    "  (func (export \"tfill\") (param i32)\n"
    "    (table.fill $t (i32.const 0) (ref.null func) (local.get 0)))\n"
    ")\n";

const char *const tx_wasi_wat =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"poll_oneoff\"\n"
    "    (func $poll (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\"\n"
    "    (func $exit (param i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    /* One clock subscription at 0 (48 bytes): userdata, tag 0 = clock,
       id 1 = monotonic at 16, timeout at 24 (ns), precision, flags 0. */
    "  (func (export \"sleep\") (param $ns i64) (result i32)\n"
    "    (i32.store8 (i32.const 8) (i32.const 0))\n"
    "    (i32.store (i32.const 16) (i32.const 1))\n"
    "    (i64.store (i32.const 24) (local.get $ns))\n"
    "    (call $poll (i32.const 0) (i32.const 64) (i32.const 1)\n"
    "                (i32.const 128)))\n"
    "  (func (export \"exit\") (param i32) (call $exit (local.get 0)))\n"
    ")\n";

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

aw_module *tx_load(aw_engine *e, const char *text) {
  size_t n = 0;
  uint8_t *bin = test_wat2bin(text, &n);
  if (!bin) {
    fprintf(stderr, "  wat2wasm failed\n");
    return NULL;
  }
  aw_error err;
  aw_module *m = aw_module_new(e, bin, n, &err);
  if (!m) fprintf(stderr, "  aw_module_new: %s\n", err.message);
  free(bin);
  return m;
}

aw_resource_limits tx_limits(uint64_t mem, uint64_t fuel, uint64_t timeout) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, mem);
  aw_limits_builder_max_fuel(&b, fuel);
  aw_limits_builder_timeout_ms(&b, timeout);
  aw_resource_limits l;
  memset(&l, 0, sizeof l);
  aw_limits_builder_build(&b, &l, NULL);
  return l;
}

aw_val tx_i32(int32_t v) {
  aw_val r;
  memset(&r, 0, sizeof r);
  r.kind = AW_I32;
  r.of.i32 = v;
  return r;
}

static aw_val i64v(int64_t v) {
  aw_val r;
  memset(&r, 0, sizeof r);
  r.kind = AW_I64;
  r.of.i64 = v;
  return r;
}

aw_errkind tx_run(const aw_module *m, aw_resource_limits l, const char *func,
                  const aw_val *args, uint32_t nargs, aw_exec_result *res) {
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.limits = l;
  req.func = func;
  req.args = args;
  req.nargs = nargs;
  return aw_execute(&req, res);
}

/* WASI for one execution: defined in the execution's store, interrupted
   by its deadline. */
static bool link_wasi(void *ctx, aw_linker *linker, aw_store *store,
                      aw_error *err) {
  aw_wasi *w = ctx;
  aw_wasi_set_interrupt_fd(w, aw_store_interrupt_fd(store));
  return aw_wasi_define(w, linker, store, err);
}

aw_wasi *tx_wasi_new(void) {
  aw_wasi_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.stdin_fd = cfg.stdout_fd = cfg.stderr_fd = -1;
  aw_error err;
  return aw_wasi_new(&cfg, &err);
}

aw_errkind tx_run_wasi(const aw_module *m, aw_resource_limits l,
                       const char *func, const aw_val *args, uint32_t nargs,
                       aw_exec_result *res) {
  aw_wasi *w = tx_wasi_new();
  if (!w) return AW_ERR_NOMEM;
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.limits = l;
  req.func = func;
  req.args = args;
  req.nargs = nargs;
  req.link = link_wasi;
  req.link_ctx = w;
  aw_errkind k = aw_execute(&req, res);
  aw_wasi_free(w);
  return k;
}

static aw_engine *engine_fuel(bool fuel) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.consume_fuel = fuel;
  return aw_engine_new(&cfg);
}

#define MiB (UINT64_C(1) << 20)

/* ------------------------------------------------------------------ */
/* Fuel                                                                 */
/* ------------------------------------------------------------------ */

TEST(exec_fuel_loop_costs_9n_plus_6) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  const int32_t ns[] = {0, 1, 2, 3, 10, 100, 12345};
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
    aw_exec_result r;
    aw_val a = tx_i32(ns[i]);
    CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000000, 10000), "count", &a, 1, &r),
                 AW_OK);
    CHECK_EQ_INT(r.nresults, 1);
    CHECK_EQ_INT(r.results[0].of.i32, ns[i]);
    CHECK_EQ_INT(r.fuel.consumed, 9 * (uint64_t)ns[i] + 6);
    CHECK_EQ_INT(r.fuel.max, 1000000);
    CHECK(r.fuel_metered);
  }
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* Every budget below the cost stops exactly at the budget; from the cost
   up the call succeeds and consumes exactly the cost. */
TEST(exec_fuel_exact_stop_for_every_budget) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  const uint64_t cost = 9 * 5 + 6;
  for (uint64_t f = 0; f <= cost + 3; f++) {
    aw_exec_result r;
    aw_val a = tx_i32(5);
    aw_errkind k = tx_run(m, tx_limits(MiB, f, 10000), "count", &a, 1, &r);
    if (f < cost) {
      CHECK_EQ_INT(k, AW_ERR_OUT_OF_FUEL);
      CHECK_EQ_INT(r.fuel.consumed, f);
      CHECK_EQ_INT(r.error.figures.fuel.max, f);
      CHECK_EQ_INT(r.error.figures.fuel.consumed, f);
      CHECK_EQ_INT(r.nresults, 0);
    } else {
      CHECK_EQ_INT(k, AW_OK);
      CHECK_EQ_INT(r.fuel.consumed, cost);
    }
  }
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_fuel_default_budget_message) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, MiB);
  aw_limits_builder_timeout_ms(&b, 10000);
  aw_resource_limits l;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  aw_exec_result r;
  aw_val a = tx_i32(1000000);
  CHECK_EQ_INT(tx_run(m, l, "count", &a, 1, &r), AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(r.outcome, AW_ERR_OUT_OF_FUEL);
  CHECK_STR(r.error.message, "Component ran out of fuel: 1000000/1000000 "
                             "fuel units consumed (100.0%)");
  CHECK_EQ_INT(r.error.figures.fuel.max, 1000000);
  CHECK_EQ_INT(r.error.figures.fuel.consumed, 1000000);
  CHECK(r.error.figures.fuel.usage_percent == 100.0);
  CHECK(aw_fuel_metrics_is_exhausted(r.fuel));
  CHECK(r.elapsed_ms >= 0.0);
  /* The whole budget: the page and the instance's overhead. */
  CHECK_EQ_INT(r.memory_parts.peak_linear, 65536);
  CHECK(r.memory.current > 65536 && r.memory.current < 65536 + 8192);
  CHECK_EQ_INT(r.memory.limit, MiB);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* Fuel 0: nothing that costs fuel runs (the store at entry never
   happens); the message shows 0/0. */
TEST(exec_fuel_zero_runs_nothing) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_store *s = m ? aw_store_new(e) : NULL;
  CHECK(s != NULL);
  if (!s) goto done;
  aw_exec_result r;
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 0, 10000), "const", NULL, 0, &r),
               AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(r.fuel.consumed, 0);
  CHECK_STR(r.error.message,
            "Component ran out of fuel: 0/0 fuel units consumed (0.0%)");
  /* The same through a store: memory stays untouched. */
  aw_error err;
  aw_instance *inst = aw_instantiate(s, m, NULL, 0, &err);
  CHECK(inst != NULL);
  if (!inst) goto done;
  aw_extern ex;
  CHECK(aw_instance_export(inst, "first_store", 11, &ex));
  CHECK(aw_store_set_fuel(s, 0));
  CHECK_EQ_INT(aw_func_call(s, ex.of.func, NULL, 0, NULL, 0, &err),
               AW_ERR_OUT_OF_FUEL);
  CHECK(aw_instance_export(inst, "memory", 6, &ex));
  CHECK_EQ_INT(aw_memory_data(ex.of.memory)[0], 0);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 0);
  CHECK(aw_store_add_fuel(s, 4));
  CHECK(aw_instance_export(inst, "first_store", 11, &ex));
  CHECK_EQ_INT(aw_func_call(s, ex.of.func, NULL, 0, NULL, 0, &err), AW_OK);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 4); /* entry, 2 consts, store */
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 0);
done:
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

/* Calls store_loop(1000) in a fresh store with fuel f; returns the number
   of words it wrote and the fuel consumed. */
static uint32_t store_loop_run(aw_engine *e, aw_module *m, uint64_t f,
                               uint64_t *consumed, aw_errkind *k) {
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_instance *inst = s ? aw_instantiate(s, m, NULL, 0, &err) : NULL;
  uint32_t words = UINT32_MAX;
  aw_extern fn, mem;
  if (inst && aw_instance_export(inst, "store_loop", 10, &fn) &&
      aw_instance_export(inst, "memory", 6, &mem) && aw_store_set_fuel(s, f)) {
    aw_val a = tx_i32(1000);
    *k = aw_func_call(s, fn.of.func, &a, 1, NULL, 0, &err);
    *consumed = aw_store_fuel_consumed(s);
    const uint8_t *d = aw_memory_data(mem.of.memory);
    words = 0;
    for (uint32_t i = 0; i < 1000; i++) {
      uint32_t v;
      memcpy(&v, d + 4 * i, 4);
      if (v == i + 1) words++;
    }
  }
  aw_store_free(s);
  return words;
}

TEST(exec_fuel_deterministic_stop) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  const uint64_t budgets[] = {1, 17, 18, 19, 20, 100, 1001, 4999};
  for (size_t i = 0; i < sizeof budgets / sizeof *budgets; i++) {
    uint64_t c1 = 0, c2 = 0;
    aw_errkind k1 = AW_OK, k2 = AW_OK;
    uint32_t w1 = store_loop_run(e, m, budgets[i], &c1, &k1);
    uint32_t w2 = store_loop_run(e, m, budgets[i], &c2, &k2);
    CHECK_EQ_INT(k1, AW_ERR_OUT_OF_FUEL);
    CHECK_EQ_INT(k2, AW_ERR_OUT_OF_FUEL);
    CHECK_EQ_INT(c1, budgets[i]);
    CHECK_EQ_INT(c2, budgets[i]);
    CHECK(w1 != UINT32_MAX);
    CHECK_EQ_INT(w1, w2);
  }
  /* More fuel, more progress: the loop body costs 16 (4 + 7 + 4 + br),
     its store is its 11th operator. */
  uint64_t c = 0;
  aw_errkind k = AW_OK;
  CHECK_EQ_INT(store_loop_run(e, m, 1 + 16 * 9 + 11, &c, &k), 10);
  CHECK_EQ_INT(store_loop_run(e, m, 1 + 16 * 9 + 10, &c, &k), 9);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_store_fuel_add_and_read) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_store *s = m ? aw_store_new(e) : NULL;
  CHECK(s != NULL);
  if (!s) goto done;
  CHECK_EQ_INT(aw_store_fuel_remaining(s), AW_NO_LIMIT);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 0);
  CHECK(aw_store_add_fuel(s, 10));
  CHECK(aw_store_add_fuel(s, 20));
  CHECK(aw_store_add_fuel(s, 30));
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 60);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 0);
  aw_error err;
  aw_instance *inst = aw_instantiate(s, m, NULL, 0, &err);
  aw_extern ex;
  CHECK(inst && aw_instance_export(inst, "count", 5, &ex));
  if (!inst) goto done;
  aw_val a = tx_i32(3), r;
  CHECK_EQ_INT(aw_func_call(s, ex.of.func, &a, 1, &r, 1, &err), AW_OK);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 33);
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 27);
  /* 27 cannot pay for count(3) again: runs out, 60 consumed. */
  CHECK_EQ_INT(aw_func_call(s, ex.of.func, &a, 1, &r, 1, &err),
               AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 60);
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 0);
  CHECK(aw_store_add_fuel(s, 33));
  CHECK(aw_store_add_fuel(s, 7));
  CHECK_EQ_INT(aw_func_call(s, ex.of.func, &a, 1, &r, 1, &err), AW_OK);
  CHECK_EQ_INT(r.of.i32, 3);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 93);
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 7);
  /* Saturation: no overflow, consumed stays exact. */
  CHECK(aw_store_add_fuel(s, UINT64_MAX));
  CHECK(aw_store_add_fuel(s, UINT64_MAX));
  CHECK_EQ_INT(aw_store_fuel_remaining(s), INT64_MAX);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 93);
  CHECK_EQ_INT(aw_func_call(s, ex.of.func, &a, 1, &r, 1, &err), AW_OK);
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 126);
  /* set restarts the count. */
  CHECK(aw_store_set_fuel(s, 100));
  CHECK_EQ_INT(aw_store_fuel_consumed(s), 0);
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 100);
  CHECK(!aw_store_add_fuel(NULL, 1));
  CHECK(!aw_store_set_fuel(NULL, 1));
  CHECK_EQ_INT(aw_store_fuel_consumed(NULL), 0);
done:
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_fuel_unmetered_engine) {
  aw_engine *e = engine_fuel(false);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_result r;
  aw_val a = tx_i32(100000);
  /* A budget of 10 would be silently ignored: refused, naming the field. */
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 10, 10000), "count", &a, 1, &r),
               AW_ERR_INVALID_CONFIG);
  CHECK_STR(r.error.message,
            "Invalid configuration: max_fuel is set but the engine does not "
            "meter fuel (aw_engine_config.consume_fuel is false): leave it "
            "unset or use AW_NO_LIMIT");
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 0, 10000), "count", &a, 1, &r),
               AW_ERR_INVALID_CONFIG);
  /* Unlimited fuel is no limit: it runs, uncounted. */
  CHECK_EQ_INT(
      tx_run(m, tx_limits(MiB, AW_NO_LIMIT, 10000), "count", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 100000);
  CHECK(!r.fuel_metered);
  CHECK_EQ_INT(r.fuel.consumed, 0);
  /* Limits built without a fuel: the default does not apply; it runs. */
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, MiB);
  aw_resource_limits dl;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &dl, NULL), AW_OK);
  CHECK(dl.fuel_default);
  CHECK_EQ_INT(dl.max_fuel, AW_DEFAULT_MAX_FUEL);
  a = tx_i32(100);
  CHECK_EQ_INT(tx_run(m, dl, "fill", &a, 1, &r), AW_OK);
  CHECK(!r.fuel_metered);
  /* A timeout reports unknown fuel. */
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, AW_NO_LIMIT, 20), "spin", NULL, 0, &r),
               AW_ERR_TIMEOUT);
  CHECK_STR(r.error.message, "Component execution timeout: exceeded 20ms "
                             "limit (fuel consumed: unknown)");
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* memory.fill/copy cost 1 per byte, table.fill/grow 1 per element, on top
   of their operators (entry 1 + 3 operands + the operator = 5). */
TEST(exec_fuel_variable_costs) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  const char *fns[] = {"fill", "copy"};
  for (int i = 0; i < 2; i++) {
    const int32_t ns[] = {0, 1, 100, 65000};
    for (size_t j = 0; j < 4; j++) {
      aw_exec_result r;
      aw_val a = tx_i32(ns[j]);
      CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000000, 10000), fns[i], &a, 1, &r),
                   AW_OK);
      CHECK_EQ_INT(r.fuel.consumed, 5 + (uint64_t)ns[j]);
    }
    /* Budget for the operators but not the bytes: it stops before the
       work, having consumed only what ran. */
    aw_exec_result r;
    aw_val a = tx_i32(100);
    CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 104, 10000), fns[i], &a, 1, &r),
                 AW_ERR_OUT_OF_FUEL);
    CHECK(r.fuel.consumed <= 104);
    CHECK_EQ_INT(r.fuel.consumed, 5);
  }
  aw_exec_result r;
  aw_val a = tx_i32(2);
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 10000), "tfill", &a, 1, &r),
               AW_OK);
  CHECK_EQ_INT(r.fuel.consumed, 7);
  a = tx_i32(50);
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 10000), "tgrow", &a, 1, &r),
               AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 2);
  CHECK_EQ_INT(r.fuel.consumed, 4 + 50);
  /* memory.fill actually skipped when unpaid: check through a store. */
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_instance *inst = s ? aw_instantiate(s, m, NULL, 0, &err) : NULL;
  aw_extern fn, mem;
  CHECK(inst && aw_instance_export(inst, "fill", 4, &fn) &&
        aw_instance_export(inst, "memory", 6, &mem));
  if (inst) {
    CHECK(aw_store_set_fuel(s, 50));
    a = tx_i32(100);
    CHECK_EQ_INT(aw_func_call(s, fn.of.func, &a, 1, NULL, 0, &err),
                 AW_ERR_OUT_OF_FUEL);
    CHECK_EQ_INT(aw_memory_data(mem.of.memory)[0], 0);
    CHECK(aw_store_set_fuel(s, 105));
    CHECK_EQ_INT(aw_func_call(s, fn.of.func, &a, 1, NULL, 0, &err), AW_OK);
    CHECK_EQ_INT(aw_memory_data(mem.of.memory)[99], 7);
    CHECK_EQ_INT(aw_store_fuel_remaining(s), 0);
  }
  aw_store_free(s);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_unlimited_fuel_and_time) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_result r;
  aw_val a = tx_i32(300000);
  CHECK_EQ_INT(tx_run(m, tx_limits(AW_NO_LIMIT, AW_NO_LIMIT, AW_NO_LIMIT),
                      "count", &a, 1, &r),
               AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 300000);
  CHECK_EQ_INT(r.fuel.consumed, 9 * 300000 + 6);
  CHECK(r.fuel.max == AW_NO_LIMIT);
  CHECK(r.timeout_ms == AW_NO_LIMIT);
  CHECK(!aw_fuel_metrics_is_exhausted(r.fuel));
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* Timeouts                                                             */
/* ------------------------------------------------------------------ */

/* The deadline must be met within this margin (ms); generous because the
   test machine is shared.  bench/limits measures the real overshoot. */
#define TX_MARGIN_MS 150.0

TEST(exec_timeout_spin_loop) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_result r;
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, AW_NO_LIMIT, 50), "spin", NULL, 0, &r),
               AW_ERR_TIMEOUT);
  CHECK(r.elapsed_ms >= 50.0);
  CHECK(r.elapsed_ms < 50.0 + TX_MARGIN_MS);
  CHECK(r.fuel.consumed > 0);
  CHECK_EQ_INT(r.error.figures.timeout.timeout_ms, 50);
  CHECK_EQ_INT(r.error.figures.timeout.fuel_consumed, r.fuel.consumed);
  char want[128];
  snprintf(want, sizeof want,
           "Component execution timeout: exceeded 50ms limit (fuel consumed: "
           "%llu)",
           (unsigned long long)r.fuel.consumed);
  CHECK_STR(r.error.message, want);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* The opt-in thread timer stops a spinning guest too, and leaves the
   thread able to run the next execution (the watchdog stays armed). */
TEST(exec_timeout_thread_timer_opt_in) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.thread_timer = true;
  aw_engine *e = aw_engine_new(&cfg);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  for (int i = 0; i < 3; i++) {
    aw_exec_result r;
    CHECK_EQ_INT(
        tx_run(m, tx_limits(MiB, AW_NO_LIMIT, 30), "spin", NULL, 0, &r),
        AW_ERR_TIMEOUT);
    CHECK(r.elapsed_ms >= 30.0);
    CHECK(r.elapsed_ms < 30.0 + TX_MARGIN_MS);
  }
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_timeout_recursion) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_result r;
  aw_val a = tx_i32(60); /* fib(60): far too long */
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, AW_NO_LIMIT, 40), "fib", &a, 1, &r),
               AW_ERR_TIMEOUT);
  CHECK(r.elapsed_ms >= 40.0 && r.elapsed_ms < 40.0 + TX_MARGIN_MS);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_timeout_wasi_sleep) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_wasi_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_result r;
  aw_val a = i64v(INT64_C(10000000000)); /* 10 s */
  CHECK_EQ_INT(
      tx_run_wasi(m, tx_limits(MiB, AW_NO_LIMIT, 50), "sleep", &a, 1, &r),
      AW_ERR_TIMEOUT);
  CHECK(r.elapsed_ms >= 50.0 && r.elapsed_ms < 50.0 + TX_MARGIN_MS);
  CHECK_EQ_INT(r.error.figures.timeout.timeout_ms, 50);
  /* A short sleep completes (poll_oneoff returns errno 0). */
  a = i64v(1000000); /* 1 ms */
  CHECK_EQ_INT(
      tx_run_wasi(m, tx_limits(MiB, AW_NO_LIMIT, 5000), "sleep", &a, 1, &r),
      AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 0);
  CHECK(r.elapsed_ms >= 1.0);
  /* Fuel and time both out: fuel reported.  The fuel just pays up to the
     poll_oneoff call, which the deadline then interrupts. */
  uint64_t to_call = r.fuel.consumed - 0; /* whole function is that block */
  a = i64v(INT64_C(10000000000));
  CHECK_EQ_INT(tx_run_wasi(m, tx_limits(MiB, to_call, 30), "sleep", &a, 1, &r),
               AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(r.fuel.consumed, to_call);
  CHECK(r.elapsed_ms >= 30.0);
  /* proc_exit: 0 is success, other codes are reported. */
  a = tx_i32(0);
  CHECK_EQ_INT(tx_run_wasi(m, tx_limits(MiB, 1000, 1000), "exit", &a, 1, &r),
               AW_OK);
  CHECK_EQ_INT(r.exit_code, 0);
  a = tx_i32(3);
  CHECK_EQ_INT(tx_run_wasi(m, tx_limits(MiB, 1000, 1000), "exit", &a, 1, &r),
               AW_ERR_EXIT);
  CHECK_EQ_INT(r.exit_code, 3);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_timeout_zero_is_immediate) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_result r;
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 0), "const", NULL, 0, &r),
               AW_ERR_TIMEOUT);
  CHECK_EQ_INT(r.fuel.consumed, 0);
  CHECK_EQ_INT(r.nresults, 0);
  CHECK_STR(r.error.message, "Component execution timeout: exceeded 0ms limit "
                             "(fuel consumed: 0)");
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 0), "spin", NULL, 0, &r),
               AW_ERR_TIMEOUT);
  CHECK(r.elapsed_ms < TX_MARGIN_MS);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* Other outcomes                                                       */
/* ------------------------------------------------------------------ */

TEST(exec_outcomes_trap_invalid_link_config) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_module *w = tx_load(e, tx_wasi_wat);
  CHECK(m && w);
  if (!m || !w) goto done;
  aw_exec_result r;
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 1000), "trap", NULL, 0, &r),
               AW_ERR_TRAP);
  CHECK_EQ_INT(r.error.trap, AW_TRAP_UNREACHABLE);
  CHECK_EQ_INT(r.fuel.consumed, 1);
  CHECK_EQ_INT(r.memory_parts.peak_linear, 65536);
  CHECK(r.memory.current > 65536);
  /* No such export / wrong arguments / missing imports: link errors. */
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 1000), "nope", NULL, 0, &r),
               AW_ERR_LINK);
  CHECK_EQ_INT(tx_run(m, tx_limits(MiB, 1000, 1000), "count", NULL, 0, &r),
               AW_ERR_LINK);
  CHECK_EQ_INT(tx_run(w, tx_limits(MiB, 1000, 1000), "sleep", NULL, 0, &r),
               AW_ERR_LINK);
  /* Invalid configuration. */
  aw_resource_limits l = tx_limits(MiB, 1000, 1000);
  l.max_call_depth = 0;
  CHECK_EQ_INT(tx_run(m, l, "const", NULL, 0, &r), AW_ERR_INVALID_CONFIG);
  CHECK(strstr(r.error.message, "max_call_depth") != NULL);
  /* Malformed and invalid binaries. */
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.engine = e;
  static const uint8_t junk[] = {0, 'a', 's', 'x', 1, 0, 0, 0};
  req.wasm = junk;
  req.wasm_len = sizeof junk;
  req.limits = tx_limits(MiB, 1000, 1000);
  req.func = "f";
  CHECK_EQ_INT(aw_execute(&req, &r), AW_ERR_MALFORMED);
  size_t n = 0;
  uint8_t *bin = test_wat2bin(
      "(module (func (export \"f\") (result i32) i32.const 1))", &n);
  CHECK(bin != NULL);
  if (bin) {
    req.wasm = bin;
    req.wasm_len = n;
    CHECK_EQ_INT(aw_execute(&req, &r), AW_OK);
    CHECK_EQ_INT(r.results[0].of.i32, 1);
    bin[n - 3] = 0x7E; /* i32.const 1 -> i64.const 1: type mismatch */
    CHECK_EQ_INT(aw_execute(&req, &r), AW_ERR_INVALID);
    free(bin);
  }
  CHECK_EQ_INT(aw_execute(NULL, &r), AW_ERR_ARGUMENT);
  CHECK_EQ_INT(aw_execute(&req, NULL), AW_ERR_ARGUMENT);
done:
  aw_module_free(m);
  aw_module_free(w);
  aw_engine_free(e);
}

TEST(exec_memory_cap) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_module *big = tx_load(e, "(module (memory 20) (func (export \"f\")))");
  CHECK(m && big);
  if (!m || !big) goto done;
  aw_exec_result r;
  /* 4 pages allowed, and 4 KiB for the objects' overhead (the budget
     counts both; a partial page does not count for linear memory). */
  aw_resource_limits l = tx_limits(4 * 65536 + 4096, 100000, 1000);
  aw_val a = tx_i32(3);
  CHECK_EQ_INT(tx_run(m, l, "grow", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 1);
  CHECK_EQ_INT(r.memory_parts.peak_linear, 4 * 65536);
  CHECK(r.memory.current > 4 * 65536 && r.memory.current <= l.max_memory_bytes);
  CHECK_EQ_INT(r.memory.limit, 4 * 65536 + 4096);
  CHECK_EQ_INT(r.memory.failed_grows, 0);
  a = tx_i32(4);
  CHECK_EQ_INT(tx_run(m, l, "grow", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, -1);
  CHECK_EQ_INT(r.memory.failed_grows, 1);
  CHECK_EQ_INT(r.memory_parts.peak_linear, 65536);
  a = tx_i32(2);
  CHECK_EQ_INT(tx_run(m, l, "grow_then_touch", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 3);
  CHECK_EQ_INT(r.memory.failed_grows, 1);
  CHECK_EQ_INT(r.memory_parts.peak_linear, 3 * 65536);
  CHECK(r.memory.peak > 3 * 65536 && r.memory.peak <= l.max_memory_bytes);
  /* Exactly 4 pages leave no room for the overhead: the fourth page is
     refused. */
  a = tx_i32(3);
  CHECK_EQ_INT(tx_run(m, tx_limits(4 * 65536, 100000, 1000), "grow", &a, 1, &r),
               AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, -1);
  /* The initial memory already exceeds the cap. */
  CHECK_EQ_INT(tx_run(big, l, "f", NULL, 0, &r), AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK_EQ_INT(r.error.figures.limit.limit, 4 * 65536);
  CHECK_EQ_INT(r.error.figures.limit.requested, 20 * 65536);
  CHECK_STR(r.error.message, "Resource limit exceeded: memory limit 266240 "
                             "bytes (262144 usable: whole 64 KiB pages only), "
                             "requested 1310720 bytes");
  /* A cap below one page allows only empty memories. */
  CHECK_EQ_INT(tx_run(m, tx_limits(1000, 1000, 1000), "const", NULL, 0, &r),
               AW_ERR_LIMIT_EXCEEDED);
  aw_module *empty = tx_load(e, "(module (memory 0) (func (export \"g\") "
                                "(result i32) (memory.grow (i32.const 1))))");
  CHECK(empty != NULL);
  if (empty) {
    /* A budget of 0 pays for no object at all. */
    CHECK_EQ_INT(tx_run(empty, tx_limits(0, 1000, 1000), "g", NULL, 0, &r),
                 AW_ERR_LIMIT_EXCEEDED);
    CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_MEMORY);
    CHECK_EQ_INT(r.error.figures.limit.limit, 0);
    CHECK_EQ_INT(r.memory.limit, 0);
    /* 4 KiB: the objects fit, a page does not. */
    CHECK_EQ_INT(tx_run(empty, tx_limits(4096, 1000, 1000), "g", NULL, 0, &r),
                 AW_OK);
    CHECK_EQ_INT(r.results[0].of.i32, -1);
    CHECK_EQ_INT(r.memory.failed_grows, 1);
    CHECK_EQ_INT(r.memory.limit, 4096);
    CHECK(r.memory.peak > 0 && r.memory.peak <= 4096);
  }
  aw_module_free(empty);
done:
  aw_module_free(m);
  aw_module_free(big);
  aw_engine_free(e);
}

TEST(exec_table_cap) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  aw_module *big = tx_load(e, "(module (table 20 funcref) (func (export "
                              "\"f\")))");
  CHECK(m && big);
  if (!m || !big) goto done;
  aw_resource_limits l = tx_limits(MiB, 100000, 1000);
  l.max_table_elements = 10;
  aw_exec_result r;
  aw_val a = tx_i32(8);
  CHECK_EQ_INT(tx_run(m, l, "tgrow", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 2);
  a = tx_i32(9);
  CHECK_EQ_INT(tx_run(m, l, "tgrow", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, -1);
  CHECK_EQ_INT(tx_run(big, l, "f", NULL, 0, &r), AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(r.error.figures.limit.resource, AW_RESOURCE_TABLE_ELEMENTS);
  CHECK_EQ_INT(r.error.figures.limit.limit, 10);
  CHECK_EQ_INT(r.error.figures.limit.requested, 20);
  /* Cap 0: only empty tables, and they cannot grow. */
  l.max_table_elements = 0;
  CHECK_EQ_INT(tx_run(m, l, "const", NULL, 0, &r), AW_ERR_LIMIT_EXCEEDED);
  aw_module *t0 = tx_load(e, "(module (table $t 0 funcref) (func (export "
                             "\"g\") (result i32) (table.grow $t (ref.null "
                             "func) "
                             "(i32.const 1))))");
  CHECK(t0 != NULL);
  if (t0) {
    CHECK_EQ_INT(tx_run(t0, l, "g", NULL, 0, &r), AW_OK);
    CHECK_EQ_INT(r.results[0].of.i32, -1);
  }
  aw_module_free(t0);
done:
  aw_module_free(m);
  aw_module_free(big);
  aw_engine_free(e);
}

TEST(exec_stack_limits) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_resource_limits l = tx_limits(MiB, AW_NO_LIMIT, 5000);
  aw_exec_result r;
  CHECK_EQ_INT(tx_run(m, l, "inf", NULL, 0, &r), AW_ERR_TRAP);
  CHECK_EQ_INT(r.error.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  CHECK(r.elapsed_ms < 1000.0);
  l.max_call_depth = 50;
  aw_val a = tx_i32(40);
  CHECK_EQ_INT(tx_run(m, l, "rec", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 40);
  a = tx_i32(60);
  CHECK_EQ_INT(tx_run(m, l, "rec", &a, 1, &r), AW_ERR_TRAP);
  CHECK_EQ_INT(r.error.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  /* The value stack: rec needs a few slots per frame. */
  l = tx_limits(MiB, AW_NO_LIMIT, 5000);
  l.max_value_stack_slots = 64;
  a = tx_i32(1000);
  CHECK_EQ_INT(tx_run(m, l, "rec", &a, 1, &r), AW_ERR_TRAP);
  CHECK_EQ_INT(r.error.trap, AW_TRAP_CALL_STACK_EXHAUSTED);
  l.max_value_stack_slots = 100000;
  CHECK_EQ_INT(tx_run(m, l, "rec", &a, 1, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 1000);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(exec_store_apply_limits_and_interrupt_fd) {
  aw_engine *e = engine_fuel(true);
  aw_store *s = aw_store_new(e);
  CHECK(s != NULL);
  if (!s) goto done;
  aw_resource_limits l = tx_limits(2 * 65536 + 4096, 77, 100);
  aw_error err;
  CHECK_EQ_INT(aw_store_apply_limits(s, &l, &err), AW_OK);
  CHECK_EQ_INT(aw_store_fuel_remaining(s), 77);
  aw_limits lim = {1, 0, false};
  aw_memory *mem = aw_memory_new(s, lim, &err);
  CHECK(mem != NULL);
  if (mem) {
    CHECK_EQ_INT(aw_memory_grow(mem, 1), 1);
    CHECK_EQ_INT(aw_memory_grow(mem, 1), -1);
    CHECK_EQ_INT(aw_memory_get_metrics(mem).failed_grows, 1);
    aw_memory_metrics b = aw_store_memory_metrics(s);
    CHECK_EQ_INT(b.limit, 2 * 65536 + 4096);
    CHECK_EQ_INT(b.current, 2 * 65536 + RT_OBJ_BYTES);
    CHECK_EQ_INT(b.failed_grows, 1);
  }
  l.max_value_stack_slots = 0;
  CHECK_EQ_INT(aw_store_apply_limits(s, &l, &err), AW_ERR_INVALID_CONFIG);
  CHECK_EQ_INT(aw_store_apply_limits(s, NULL, &err), AW_ERR_ARGUMENT);
  int fd = aw_store_interrupt_fd(s);
  CHECK(fd >= 0);
  CHECK_EQ_INT(aw_store_interrupt_fd(s), fd);
  CHECK_EQ_INT(aw_store_interrupt_fd(NULL), -1);
done:
  aw_store_free(s);
  aw_engine_free(e);
}

/* A host function costs only the call that reaches it, however much work
   it does. */
static aw_errkind host_busy(void *env, aw_caller *caller, const aw_val *args,
                            aw_val *results, aw_error *err) {
  (void)env;
  (void)caller;
  (void)err;
  volatile uint64_t x = 0;
  for (int i = 0; i < 100000; i++)
    x += (uint64_t)i;
  results[0] = tx_i32(args[0].of.i32 * 2 + (int32_t)(x & 0));
  return AW_OK;
}

static bool link_host(void *ctx, aw_linker *linker, aw_store *store,
                      aw_error *err) {
  (void)ctx;
  static const aw_valkind i32[1] = {AW_I32};
  aw_functype t = {1, 1, i32, i32};
  aw_func *f = aw_func_new(store, &t, host_busy, NULL, NULL);
  aw_extern ext = {.kind = AW_EXTERN_FUNC, .of.func = f};
  if (!f || !aw_linker_define(linker, "env", "h", ext)) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "cannot define env.h");
    return false;
  }
  return true;
}

TEST(exec_fuel_host_call_costs_the_call) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, "(module (import \"env\" \"h\" (func $h (param "
                            "i32) (result i32))) (func (export \"f\") (result "
                            "i32) (call $h (i32.const 5))))");
  CHECK(m != NULL);
  if (!m) goto done;
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  req.limits = tx_limits(MiB, 1000, 10000);
  req.func = "f";
  req.link = link_host;
  aw_exec_result r;
  CHECK_EQ_INT(aw_execute(&req, &r), AW_OK);
  CHECK_EQ_INT(r.results[0].of.i32, 10);
  CHECK_EQ_INT(r.fuel.consumed, 3);            /* entry, i32.const, call */
  CHECK_EQ_INT(r.memory.limit, MiB);           /* the budget, */
  CHECK_EQ_INT(r.memory_parts.peak_linear, 0); /* no memory */
  /* Without the import: a link error naming it. */
  CHECK_EQ_INT(tx_run(m, req.limits, "f", NULL, 0, &r), AW_ERR_LINK);
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* The fuel figures of real runs feed the metrics: usage and thresholds. */
TEST(exec_fuel_metrics_of_runs) {
  aw_engine *e = engine_fuel(true);
  aw_module *m = tx_load(e, tx_main_wat);
  CHECK(m != NULL);
  if (!m) goto done;
  const uint64_t budget = 1000;
  /* count(n) costs 9n+6: 6 (0.6%), 492 (49.2%), 501 (50.1%), 951 (95.1%),
     996 (99.6%); count(200) runs out at 1000 (100%). */
  const struct {
    int32_t n;
    aw_errkind outcome;
    uint64_t consumed;
    int exceeds[4]; /* 50, 75, 90, 95 */
  } cases[] = {
      {0, AW_OK, 6, {0, 0, 0, 0}},
      {54, AW_OK, 492, {0, 0, 0, 0}},
      {55, AW_OK, 501, {1, 0, 0, 0}},
      {105, AW_OK, 951, {1, 1, 1, 1}},
      {110, AW_OK, 996, {1, 1, 1, 1}},
      {200, AW_ERR_OUT_OF_FUEL, 1000, {1, 1, 1, 1}},
  };
  const double th[] = {50.0, 75.0, 90.0, 95.0};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    aw_exec_result r;
    aw_val a = tx_i32(cases[i].n);
    CHECK_EQ_INT(tx_run(m, tx_limits(MiB, budget, 10000), "count", &a, 1, &r),
                 cases[i].outcome);
    CHECK_EQ_INT(r.fuel.consumed, cases[i].consumed);
    CHECK_EQ_INT(r.fuel.max, budget);
    CHECK_EQ_INT(aw_fuel_metrics_remaining(r.fuel), budget - cases[i].consumed);
    CHECK(aw_fuel_metrics_usage_percent(r.fuel) ==
          (double)cases[i].consumed * 100.0 / (double)budget);
    for (int t = 0; t < 4; t++)
      CHECK_EQ_INT(aw_fuel_metrics_exceeds_threshold(r.fuel, th[t]),
                   cases[i].exceeds[t]);
    CHECK_EQ_INT(aw_fuel_metrics_is_exhausted(r.fuel),
                 cases[i].outcome == AW_ERR_OUT_OF_FUEL);
  }
done:
  aw_module_free(m);
  aw_engine_free(e);
}

/* An execution nested in a host call of another: each stops at its own
   deadline, and the outer one still stops after the inner one ended. */
typedef struct nested_ctx {
  const aw_module *m;
  aw_errkind inner;
  double inner_ms;
} nested_ctx;

static aw_errkind host_nested(void *env, aw_caller *caller, const aw_val *args,
                              aw_val *results, aw_error *err) {
  (void)caller;
  (void)args;
  (void)err;
  nested_ctx *c = env;
  aw_exec_result r;
  c->inner = tx_run(c->m, tx_limits(MiB, AW_NO_LIMIT, 20), "spin", NULL, 0, &r);
  c->inner_ms = r.elapsed_ms;
  results[0] = tx_i32((int32_t)c->inner);
  return AW_OK;
}

static bool link_nested(void *ctx, aw_linker *linker, aw_store *store,
                        aw_error *err) {
  static const aw_valkind i32[1] = {AW_I32};
  aw_functype t = {0, 1, NULL, i32};
  aw_func *f = aw_func_new(store, &t, host_nested, ctx, NULL);
  aw_extern ext = {.kind = AW_EXTERN_FUNC, .of.func = f};
  if (!f || !aw_linker_define(linker, "env", "nested", ext)) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "cannot define env.nested");
    return false;
  }
  return true;
}

TEST(exec_nested_executions) {
  aw_engine *e = engine_fuel(true);
  aw_module *inner = tx_load(e, tx_main_wat);
  aw_module *outer =
      tx_load(e, "(module (import \"env\" \"nested\" (func $n (result i32)))\n"
                 "  (memory 1)\n"
                 "  (func (export \"f\")\n"
                 "    (i32.store (i32.const 0) (call $n))\n"
                 "    (loop $l (br $l))))");
  CHECK(inner && outer);
  if (!inner || !outer) goto done;
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = outer;
  req.limits = tx_limits(MiB, AW_NO_LIMIT, 80);
  req.func = "f";
  req.link = link_nested;
  nested_ctx ctx = {inner, AW_OK, 0.0};
  req.link_ctx = &ctx;
  aw_exec_result r;
  CHECK_EQ_INT(aw_execute(&req, &r), AW_ERR_TIMEOUT);
  CHECK_EQ_INT(ctx.inner, AW_ERR_TIMEOUT);
  CHECK(ctx.inner_ms >= 20.0 && ctx.inner_ms < 80.0);
  CHECK(r.elapsed_ms >= 80.0 && r.elapsed_ms < 80.0 + TX_MARGIN_MS);
  CHECK_EQ_INT(r.error.figures.timeout.timeout_ms, 80);
done:
  aw_module_free(inner);
  aw_module_free(outer);
  aw_engine_free(e);
}
