/* test_util.c - error helpers and growable arrays. */
#include "test.h"
#include "util/util.h"

TEST(error_names) {
  CHECK_STR(aw_errkind_name(AW_ERR_OUT_OF_FUEL), "out_of_fuel");
  CHECK_STR(aw_trapkind_name(AW_TRAP_CALL_STACK_EXHAUSTED),
            "call_stack_exhausted");
  CHECK_STR(aw_trapkind_message(AW_TRAP_INT_DIV_BY_ZERO),
            "integer divide by zero");
}

TEST(error_fail_formats) {
  aw_error e;
  aw_error_clear(&e);
  CHECK_EQ_INT(e.kind, AW_OK);
  CHECK_EQ_INT(aw_fail(&e, AW_ERR_MALFORMED, 7, "bad %s", "magic"), -1);
  CHECK_EQ_INT(e.kind, AW_ERR_MALFORMED);
  CHECK_EQ_INT(e.offset, 7);
  CHECK_STR(e.message, "bad magic");
}

TEST(grow_array) {
  int *a = NULL;
  uint32_t cap = 0;
  CHECK(aw_grow((void **)&a, sizeof *a, &cap, 100));
  CHECK(cap >= 100);
  a[99] = 1;
  free(a);
}
