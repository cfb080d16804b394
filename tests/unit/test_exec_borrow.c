/* test_exec_borrow.c - what aw_executor_submit copies: the function name
   and the argument array may be overwritten as soon as submit returns
   (the job still queued behind a busy worker must run what was asked). */
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "airssys/wasm.h"
#include "test.h"
#include <stdlib.h>

TEST(executor_submit_copies_func_and_args) {
  size_t n = 0;
  uint8_t *bin =
      test_wat2bin("(module"
                   "  (func (export \"spin\") (loop (br 0)))"
                   "  (func (export \"add\") (param i32 i32) (result i32)"
                   "    (i32.add (local.get 0) (local.get 1))))",
                   &n);
  CHECK(bin != NULL);
  if (!bin) return;
  aw_engine *e = aw_engine_new(NULL);
  aw_error err;
  aw_module *m = aw_module_new(e, bin, n, &err);
  free(bin);
  CHECK(m != NULL);
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 65536);
  aw_limits_builder_max_fuel(&b, AW_NO_LIMIT);
  aw_limits_builder_timeout_ms(&b, 50);
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  CHECK(aw_limits_builder_build(&b, &req.limits, &err) == AW_OK);
  aw_executor *ex = aw_executor_new(1);
  /* One worker, kept busy 50 ms by the spin: the next job waits queued. */
  req.func = "spin";
  aw_exec_handle *busy = aw_executor_submit(ex, &req);
  char name[8] = "add";
  aw_val args[2];
  memset(args, 0, sizeof args);
  args[0].kind = args[1].kind = AW_I32;
  args[0].of.i32 = 40;
  args[1].of.i32 = 2;
  req.func = name;
  req.args = args;
  req.nargs = 2;
  aw_exec_handle *h = aw_executor_submit(ex, &req);
  CHECK(busy && h);
  /* The caller reuses its buffers at once. */
  strcpy(name, "XXX");
  args[0].of.i32 = -1;
  args[1].kind = AW_F64;
  aw_exec_result res;
  CHECK_EQ_INT(aw_exec_wait(busy, NULL), AW_ERR_TIMEOUT);
  CHECK_EQ_INT(aw_exec_wait(h, &res), AW_OK);
  CHECK(res.nresults == 1 && res.results[0].of.i32 == 42);
  if (res.outcome != AW_OK) fprintf(stderr, "  %s\n", res.error.message);
  aw_executor_free(ex);
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(executor_messages_func_null_and_sub_page_cap) {
  size_t n = 0;
  uint8_t *bin = test_wat2bin("(module (memory 1) (func (export \"f\")))", &n);
  CHECK(bin != NULL);
  if (!bin) return;
  aw_engine *e = aw_engine_new(NULL);
  aw_error err;
  aw_module *m = aw_module_new(e, bin, n, &err);
  free(bin);
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 1000);
  aw_exec_request req;
  memset(&req, 0, sizeof req);
  req.module = m;
  CHECK(aw_limits_builder_build(&b, &req.limits, &err) == AW_OK);
  aw_exec_result res;
  /* A 1000-byte cap is reported as such, not as "memory limit 0 bytes". */
  req.func = "f";
  CHECK_EQ_INT(aw_execute(&req, &res), AW_ERR_LIMIT_EXCEEDED);
  CHECK_STR(res.error.message, "Resource limit exceeded: memory limit 1000 "
                               "bytes (0 usable: whole 64 KiB pages only), "
                               "requested 65536 bytes");
  CHECK_EQ_INT(res.error.figures.limit.limit, 0);
  /* No function at all is an argument error, not a link error naming "". */
  aw_limits_builder_max_memory_bytes(&b, 2 * 65536);
  CHECK(aw_limits_builder_build(&b, &req.limits, &err) == AW_OK);
  req.func = NULL;
  CHECK_EQ_INT(aw_execute(&req, &res), AW_ERR_ARGUMENT);
  CHECK(strstr(res.error.message, "func is NULL") != NULL);
  aw_module_free(m);
  aw_engine_free(e);
}
