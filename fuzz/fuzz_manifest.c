/*
 * fuzz_manifest.c - libFuzzer target: arbitrary bytes -> aw_manifest_parse.
 * A failure must be a configuration error with a message; a success must
 * hold the fields it claims to hold.
 */
#include "airssys/manifest.h"
#include "fz_run.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  aw_error err;
  aw_manifest *m = aw_manifest_parse((const char *)data, size, "fuzz.toml",
                                     "/nonexistent-base", &err);
  if (!m) {
    fz_check_error(err.kind, &err);
    FZ_ASSERT(err.kind == AW_ERR_INVALID_CONFIG || err.kind == AW_ERR_IO ||
                  err.kind == AW_ERR_NOMEM,
              "unexpected kind %s: %s", aw_errkind_name(err.kind), err.message);
    return 0;
  }
  size_t total = 0;
  for (uint32_t i = 0; i < m->nargs; i++)
    total += strlen(m->args[i]);
  for (uint32_t i = 0; i < m->nenv; i++)
    total += strlen(m->env[i].name) + strlen(m->env[i].value);
  for (uint32_t i = 0; i < m->ndirs; i++)
    total += strlen(m->dirs[i].host) + strlen(m->dirs[i].guest);
  FZ_ASSERT(m->max_memory_bytes <= AW_MANIFEST_MAX_MEMORY, "max_memory %llu",
            (unsigned long long)m->max_memory_bytes);
  FZ_ASSERT(m->max_table_elements <= AW_MANIFEST_MAX_TABLE_ELEMENTS &&
                (m->has_max_table_elements || m->max_table_elements == 0),
            "max_table_elements %u", (unsigned)m->max_table_elements);
  (void)total;
  aw_manifest_free(m);
  return 0;
}
