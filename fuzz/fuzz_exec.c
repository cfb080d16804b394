/*
 * fuzz_exec.c - libFuzzer target: a module (mutated from the spec suite's
 * modules) is compiled and, when valid, instantiated and every exported
 * function called with zero and with arbitrary arguments, under small
 * limits (fz_run.h).  The input is the module; the arguments come from its
 * last 64 bytes, so mutations of the tail vary them.
 */
#include "fz_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A fresh engine per input: the engine interns every signature it sees
     for as long as it lives, which a long fuzz run would accumulate. */
  aw_engine *engine = aw_engine_new(NULL);
  FZ_ASSERT(engine != NULL, "%s", "aw_engine_new failed");
  aw_error err;
  aw_module *m = aw_module_new(engine, data, size, &err);
  if (!m) {
    aw_engine_free(engine);
    return 0;
  }
  size_t tail = size < 64 ? size : 64;
  fz_run_module(engine, m, data + size - tail, tail);
  aw_module_free(m);
  aw_engine_free(engine);
  return 0;
}
