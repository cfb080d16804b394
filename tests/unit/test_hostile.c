/*
 * test_hostile.c - regression tests for crashes found by the fuzz targets
 * (fuzz/) and the hostile-guest suite (tests/hostile/): each module is
 * given as bytes, so the test needs no tool.
 */
#include "airssys/wasm.h"
#include "test.h"
#include "vm/vm.h"

/* Runs export "f" (no params, nres <= 1 results) of wasm under fuel;
   returns the outcome, *res the i32 result and *left the fuel left. */
static aw_errkind run_fr(const uint8_t *wasm, size_t len, uint64_t fuel,
                         uint32_t nres, int32_t *res, uint64_t *left,
                         aw_error *err) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = aw_module_new(e, wasm, len, err);
  aw_errkind k = err->kind;
  if (m) {
    aw_store *s = aw_store_new(e);
    aw_instance *inst = aw_instantiate(s, m, NULL, 0, err);
    aw_extern ex;
    k = err->kind;
    if (inst && aw_instance_export(inst, "f", 1, &ex)) {
      aw_val r = {.kind = AW_I32};
      vm_set_fuel(s, fuel);
      k = aw_func_call(s, ex.of.func, NULL, 0, &r, nres, err);
      if (res) *res = r.of.i32;
      if (left) *left = vm_get_fuel(s);
    }
    aw_store_free(s);
    aw_module_free(m);
  }
  aw_engine_free(e);
  return k;
}

static aw_errkind run_f(const uint8_t *wasm, size_t len, uint64_t fuel,
                        aw_error *err) {
  return run_fr(wasm, len, fuel, 0, NULL, NULL, err);
}

/* (func (export "f") (loop (br_table 0 (i32.const 0)))): a br_table whose
   target is a loop jumps backwards.  fuzz_gen found that the interpreter
   added the (unsigned) cell index and the negative offset in 32-bit
   unsigned arithmetic, sending the instruction pointer 4 GiB away (SEGV).
   It must run out of fuel, for every budget. */
TEST(hostile_br_table_back_edge) {
  static const uint8_t wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
                                 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00,
                                 0x00, 0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x03, 0x40,
                                 0x41, 0x00, 0x0e, 0x00, 0x00, 0x0b, 0x0b};
  for (uint64_t fuel = 0; fuel < 8; fuel++) {
    aw_error err;
    CHECK_EQ_INT(run_f(wasm, sizeof wasm, fuel, &err), AW_ERR_OUT_OF_FUEL);
  }
  aw_error err;
  CHECK_EQ_INT(run_f(wasm, sizeof wasm, 100000, &err), AW_ERR_OUT_OF_FUEL);
}

/* (table 1 funcref) (func (export "f") (result i32)
     (table.grow 0 (ref.null func) (i32.const 10000000))): a grow past the
   table limit fails (-1) without work; it used to be charged 10M fuel up
   front, so probing the limit ran out of fuel. */
TEST(hostile_table_grow_probe_costs_no_element_fuel) {
  static const uint8_t wasm[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
      0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00,
      0x01, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x0e, 0x01, 0x0c,
      0x00, 0xd0, 0x70, 0x41, 0x80, 0xad, 0xe2, 0x04, 0xfc, 0x0f, 0x00, 0x0b};
  aw_error err;
  int32_t r = 0;
  uint64_t left = 0;
  CHECK_EQ_INT(run_fr(wasm, sizeof wasm, 1000, 1, &r, &left, &err), AW_OK);
  CHECK_EQ_INT(r, -1);
  CHECK(left >= 990);
}

/* (func $fat (local i64 x 32)) (func (export "f") (call $fat)): the cost
   model is Wasmtime's, so declared locals cost nothing: f = entry 1 +
   call 1, $fat = entry 1; exactly 3, with or without locals. */
TEST(hostile_locals_cost_only_the_entry) {
  static const uint8_t wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03,
                                 0x02, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66,
                                 0x00, 0x01, 0x0a, 0x0b, 0x02, 0x04, 0x01, 0x20,
                                 0x7e, 0x0b, 0x04, 0x00, 0x10, 0x00, 0x0b};
  aw_error err;
  uint64_t left = 99;
  CHECK_EQ_INT(run_fr(wasm, sizeof wasm, 2, 0, NULL, NULL, &err),
               AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(run_fr(wasm, sizeof wasm, 3, 0, NULL, &left, &err), AW_OK);
  CHECK_EQ_INT(left, 0);
}
