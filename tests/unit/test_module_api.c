/* test_module_api.c - module introspection: the index spaces of a module,
   imported entries first, through aw_module_extern_count/_type. */
#include "airssys/wasm.h"
#include "test.h"

TEST(module_extern_spaces) {
  static const uint8_t bin[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                /* import "e" "g" (global i32) */
                                0x02, 0x08, 0x01, 0x01, 'e', 0x01, 'g', 0x03,
                                0x7f, 0x00,
                                /* table funcref 3.. */
                                0x04, 0x04, 0x01, 0x70, 0x00, 0x03,
                                /* memory 2..10 */
                                0x05, 0x04, 0x01, 0x01, 0x02, 0x0a,
                                /* global (mut i64) (i64.const 5) */
                                0x06, 0x06, 0x01, 0x7e, 0x01, 0x42, 0x05, 0x0b};
  aw_engine *e = aw_engine_new(NULL);
  aw_error err;
  aw_module *m = aw_module_new(e, bin, sizeof bin, &err);
  CHECK(m != NULL);
  if (!m) {
    aw_engine_free(e);
    return;
  }
  CHECK_EQ_INT(aw_module_extern_count(m, AW_EXTERN_FUNC), 0);
  CHECK_EQ_INT(aw_module_extern_count(m, AW_EXTERN_TABLE), 1);
  CHECK_EQ_INT(aw_module_extern_count(m, AW_EXTERN_MEMORY), 1);
  CHECK_EQ_INT(aw_module_extern_count(m, AW_EXTERN_GLOBAL), 2);
  aw_externtype t;
  CHECK(aw_module_extern_type(m, AW_EXTERN_MEMORY, 0, &t));
  CHECK_EQ_INT(t.kind, AW_EXTERN_MEMORY);
  CHECK_EQ_INT(t.of.memory.min, 2);
  CHECK(t.of.memory.has_max && t.of.memory.max == 10);
  CHECK(aw_module_extern_type(m, AW_EXTERN_TABLE, 0, &t));
  CHECK_EQ_INT(t.of.table.elem, AW_FUNCREF);
  CHECK_EQ_INT(t.of.table.limits.min, 3);
  CHECK(!t.of.table.limits.has_max);
  CHECK(aw_module_extern_type(m, AW_EXTERN_GLOBAL, 0, &t));
  CHECK(t.of.global.type == AW_I32 && !t.of.global.mut);
  CHECK(aw_module_extern_type(m, AW_EXTERN_GLOBAL, 1, &t));
  CHECK(t.of.global.type == AW_I64 && t.of.global.mut);
  CHECK(!aw_module_extern_type(m, AW_EXTERN_GLOBAL, 2, &t));
  CHECK(!aw_module_extern_type(m, AW_EXTERN_FUNC, 0, &t));
  CHECK(!aw_module_extern_type(NULL, AW_EXTERN_GLOBAL, 0, &t));
  aw_module_free(m);
  aw_engine_free(e);
}
