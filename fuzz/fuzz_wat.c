/*
 * fuzz_wat.c - libFuzzer target: arbitrary bytes -> the text front end.
 * As a module (aw_wat_to_wasm, then aw_module_new on what it produced) and
 * as a script (aw_wast_to_json).  A failure must be a malformed-text error
 * whose message starts with the file name and a position; a success must
 * produce a binary with the wasm header (which the decoder then judges on
 * its own) and a JSON document.  Output stays in proportion to the input.
 */
#include "airssys/text.h"
#include "fz_run.h"
#include <string.h>

static void check_text_error(const aw_error *err) {
  fz_check_error(err->kind, err);
  FZ_ASSERT(err->kind == AW_ERR_MALFORMED || err->kind == AW_ERR_NOMEM,
            "unexpected kind %s: %s", aw_errkind_name(err->kind), err->message);
  if (err->kind == AW_ERR_MALFORMED)
    FZ_ASSERT(!strncmp(err->message, "fuzz.wat:", 9), "no position: %s",
              err->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  uint8_t *wasm = NULL;
  size_t n = 0;
  aw_error err;
  if (aw_wat_to_wasm("fuzz.wat", text, size, &wasm, &n, &err)) {
    FZ_ASSERT(n >= 8 && !memcmp(wasm, "\0asm\1\0\0\0", 8), "bad header (%zu)",
              n);
    /* Data strings may expand by at most their escapes' ratio (1:1 at
       worst, "\xx" -> 1 byte); sections add a few bytes per field. */
    FZ_ASSERT(n <= 64 + 16 * size, "%zu bytes from %zu", n, size);
    aw_engine_config cfg;
    aw_engine_config_default(&cfg);
    cfg.simd = true;
    aw_engine *engine = aw_engine_new(&cfg);
    FZ_ASSERT(engine != NULL, "%s", "aw_engine_new failed");
    aw_module *m = aw_module_new(engine, wasm, n, &err);
    if (m)
      aw_module_free(m);
    else
      fz_check_error(err.kind, &err);
    aw_engine_free(engine);
    aw_text_free(wasm);
  } else {
    check_text_error(&err);
  }
  char *json = NULL;
  size_t jn = 0;
  if (aw_wast_to_json("fuzz.wat", text, size, &json, &jn, &err)) {
    FZ_ASSERT(json && jn == strlen(json) && json[0] == '{', "%s", "bad JSON");
    aw_text_free(json);
  } else {
    check_text_error(&err);
  }
  return 0;
}
