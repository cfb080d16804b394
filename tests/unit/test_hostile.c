/*
 * test_hostile.c - regression tests for crashes found by the fuzz targets
 * (fuzz/) and the hostile-guest suite (tests/hostile/): each module is
 * given as bytes, so the test needs no tool.
 */
#include "airssys/wasm.h"
#include "test.h"
#include "vm/vm.h"

/* Runs export "f" (() -> ()) of wasm under fuel; returns the outcome. */
static aw_errkind run_f(const uint8_t *wasm, size_t len, uint64_t fuel,
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
      vm_set_fuel(s, fuel);
      k = aw_func_call(s, ex.of.func, NULL, 0, NULL, 0, err);
    }
    aw_store_free(s);
    aw_module_free(m);
  }
  aw_engine_free(e);
  return k;
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
