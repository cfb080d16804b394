/*
 * fuzz_decode.c - libFuzzer target: arbitrary bytes -> aw_module_new
 * (decode + validate + compile), once with the default engine and once
 * with the SIMD proposal accepted (its validator runs then).  A failure
 * must be a clean error with a message; a success must describe its
 * imports, exports and function types.
 */
#include "fz_run.h"
#include <stdlib.h>

static void decode_once(const uint8_t *data, size_t size, bool simd) {
  /* A fresh engine per input: the engine interns every signature it sees
     for as long as it lives, which a long fuzz run would accumulate. */
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  cfg.simd = simd;
  aw_engine *engine = aw_engine_new(&cfg);
  FZ_ASSERT(engine != NULL, "%s", "aw_engine_new failed");
  aw_error err;
  aw_module *m = aw_module_new(engine, data, size, &err);
  if (!m) {
    fz_check_error(err.kind, &err);
    FZ_ASSERT(err.kind == AW_ERR_MALFORMED || err.kind == AW_ERR_INVALID ||
                  err.kind == AW_ERR_UNSUPPORTED,
              "unexpected kind %s: %s", aw_errkind_name(err.kind), err.message);
    aw_engine_free(engine);
    return;
  }
  uint32_t n = aw_module_import_count(m);
  for (uint32_t i = 0; i < n; i++) {
    aw_import_desc d;
    FZ_ASSERT(aw_module_import(m, i, &d), "import %u", i);
  }
  n = aw_module_export_count(m);
  for (uint32_t i = 0; i < n; i++) {
    aw_export_desc d;
    FZ_ASSERT(aw_module_export(m, i, &d), "export %u", i);
  }
  n = aw_module_func_count(m);
  for (uint32_t i = 0; i < n; i++) {
    aw_functype t;
    FZ_ASSERT(aw_module_func_type(m, i, &t), "func %u", i);
  }
  aw_module_free(m);
  aw_engine_free(engine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  decode_once(data, size, false);
  decode_once(data, size, true);
  return 0;
}
