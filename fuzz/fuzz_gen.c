/*
 * fuzz_gen.c - libFuzzer target, structure-aware: fz_gen_module turns the
 * input into a module valid by construction, which must then compile (a
 * rejection is a finding: the validator refused a valid module) and is run
 * under small limits like fuzz_exec.
 */
#include "fz_gen.h"
#include "fz_run.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A fresh engine per input: the engine interns every signature it sees
     for as long as it lives, which a long fuzz run would accumulate. */
  aw_engine *engine = aw_engine_new(NULL);
  FZ_ASSERT(engine != NULL, "%s", "aw_engine_new failed");
  size_t len = 0;
  uint8_t *wasm = fz_gen_module(data, size, &len);
  FZ_ASSERT(wasm != NULL, "%s", "generator out of memory");
  aw_error err;
  aw_module *m = aw_module_new(engine, wasm, len, &err);
  FZ_ASSERT(m != NULL, "generated module rejected: %s: %s",
            aw_errkind_name(err.kind), err.message);
  size_t tail = size < 64 ? size : 64;
  fz_run_module(engine, m, data + size - tail, tail);
  aw_module_free(m);
  free(wasm);
  aw_engine_free(engine);
  return 0;
}
