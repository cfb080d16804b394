/* test_manifest_budget.c - [resources.memory] max_table_elements: the
   optional per-table cap on top of the memory budget (issue 10). */
#include "airssys/manifest.h"
#include "test.h"
#include <string.h>

#define HEAD                                                                   \
  "[component]\nname = \"c\"\nversion = \"1\"\nmodule = \"c.wasm\"\n"          \
  "[resources.memory]\nmax_bytes = 65536\n"

static aw_manifest *parse_mb(const char *text, aw_error *err) {
  aw_error_clear(err);
  return aw_manifest_parse(text, strlen(text), "Component.toml", "/comp", err);
}

TEST(manifest_max_table_elements) {
  aw_error err;
  aw_manifest *m = parse_mb(HEAD, &err);
  CHECK(m != NULL);
  if (m) CHECK(!m->has_max_table_elements); /* default: the budget only */
  aw_manifest_free(m);
  m = parse_mb(HEAD "max_table_elements = 10_266\n", &err);
  CHECK(m != NULL);
  if (m) {
    CHECK(m->has_max_table_elements);
    CHECK_EQ_INT(m->max_table_elements, 10266);
  }
  aw_manifest_free(m);
  m = parse_mb(HEAD "max_table_elements = 0\n", &err);
  CHECK(m && m->has_max_table_elements && m->max_table_elements == 0);
  aw_manifest_free(m);
  m = parse_mb(HEAD "max_table_elements = 10000001\n", &err);
  CHECK(m == NULL);
  CHECK_STR(err.message, "Component.toml:7: "
                         "resources.memory.max_table_elements: out of range: "
                         "10000001 (allowed 0..10000000)");
  m = parse_mb(HEAD "max_table_elements = -1\n", &err);
  CHECK(m == NULL);
  CHECK_STR(err.message, "Component.toml:7: "
                         "resources.memory.max_table_elements: must not be "
                         "negative (found -1)");
  m = parse_mb(HEAD "max_table_elements = \"many\"\n", &err);
  CHECK(m == NULL);
  CHECK_STR(err.message, "Component.toml:7: "
                         "resources.memory.max_table_elements: expected "
                         "integer, found string");
}
