/* test_host_helpers.c - aw_host_trap, aw_memory_span and host errors kept
   as the host gave them (kind, trap kind and message). */
#include "airssys/wasm.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>

static aw_errkind only_message(void *env, aw_caller *c, const aw_val *a,
                               aw_val *r, aw_error *err) {
  (void)env;
  (void)c;
  (void)a;
  (void)r;
  snprintf(err->message, sizeof err->message, "disk on fire");
  return AW_ERR_TRAP;
}

static aw_errkind with_helper(void *env, aw_caller *c, const aw_val *a,
                              aw_val *r, aw_error *err) {
  (void)env;
  (void)r;
  uint8_t *p;
  aw_memory *mem = aw_caller_memory(c);
  /* The guest's (ptr, len): checked once, here. */
  if (!aw_memory_span(mem, (uint32_t)a[0].of.i32, (uint32_t)a[1].of.i32, &p))
    return aw_host_trap(err, "buffer %u+%u out of bounds",
                        (unsigned)a[0].of.i32, (unsigned)a[1].of.i32);
  p[0] = 'X';
  return AW_OK;
}

TEST(host_errors_keep_message_and_kind) {
  aw_engine *e = aw_engine_new(NULL);
  size_t n = 0;
  uint8_t *bin =
      test_wat2bin("(module"
                   "  (import \"h\" \"msg\" (func $msg))"
                   "  (import \"h\" \"buf\" (func $buf (param i32 i32)))"
                   "  (memory (export \"mem\") 1)"
                   "  (func (export \"msg\") (call $msg))"
                   "  (func (export \"buf\") (param i32 i32)"
                   "    (call $buf (local.get 0) (local.get 1))))",
                   &n);
  CHECK(bin != NULL);
  if (!bin) return;
  aw_error err;
  aw_module *m = aw_module_new(e, bin, n, &err);
  free(bin);
  aw_store *s = aw_store_new(e);
  aw_valkind ii[] = {AW_I32, AW_I32};
  aw_functype t0 = {0, 0, NULL, NULL}, t2 = {2, 0, ii, NULL};
  aw_extern imps[2];
  imps[0].kind = imps[1].kind = AW_EXTERN_FUNC;
  imps[0].of.func = aw_func_new(s, &t0, only_message, NULL, NULL);
  imps[1].of.func = aw_func_new(s, &t2, with_helper, NULL, NULL);
  aw_instance *inst = aw_instantiate(s, m, imps, 2, &err);
  CHECK(inst != NULL);
  if (!inst) return;
  aw_extern f;
  CHECK(aw_instance_export(inst, "msg", 3, &f));
  CHECK_EQ_INT(aw_func_call(s, f.of.func, NULL, 0, NULL, 0, &err), AW_ERR_TRAP);
  CHECK_STR(err.message, "disk on fire");
  CHECK_EQ_INT(err.trap, AW_TRAP_HOST);
  CHECK(aw_instance_export(inst, "buf", 3, &f));
  aw_val a[2];
  memset(a, 0, sizeof a);
  a[0].kind = a[1].kind = AW_I32;
  a[0].of.i32 = 65535;
  a[1].of.i32 = 1; /* the last byte: fine */
  CHECK_EQ_INT(aw_func_call(s, f.of.func, a, 2, NULL, 0, &err), AW_OK);
  a[1].of.i32 = 2; /* one past the end */
  CHECK_EQ_INT(aw_func_call(s, f.of.func, a, 2, NULL, 0, &err), AW_ERR_TRAP);
  CHECK_STR(err.message, "buffer 65535+2 out of bounds");
  CHECK_EQ_INT(err.trap, AW_TRAP_HOST);
  a[0].of.i32 = -1; /* 0xffffffff + len: no wrap-around */
  a[1].of.i32 = -1;
  CHECK_EQ_INT(aw_func_call(s, f.of.func, a, 2, NULL, 0, &err), AW_ERR_TRAP);
  aw_extern mem;
  CHECK(aw_instance_export(inst, "mem", 3, &mem));
  CHECK(aw_memory_data(mem.of.memory)[65535] == 'X');
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(memory_span_bounds) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_limits l = {1, 2, true};
  aw_memory *m = aw_memory_new(s, l, &err);
  uint8_t *p = (uint8_t *)1;
  CHECK(aw_memory_span(m, 0, 65536, &p) && p == aw_memory_data(m));
  CHECK(aw_memory_span(m, 65536, 0, &p) && p == aw_memory_data(m) + 65536);
  CHECK(!aw_memory_span(m, 65536, 1, &p) && p == NULL);
  CHECK(!aw_memory_span(m, 65537, 0, &p));
  CHECK(!aw_memory_span(m, 1, UINT64_MAX, &p));
  CHECK(!aw_memory_span(m, UINT64_MAX, 2, &p));
  CHECK(!aw_memory_span(m, 0, 65537, &p));
  CHECK(aw_memory_grow(m, 1) == 1);
  CHECK(aw_memory_span(m, 65536, 65536, &p));
  CHECK(!aw_memory_span(NULL, 0, 0, &p) && !aw_memory_span(m, 0, 0, NULL));
  CHECK_EQ_INT(aw_host_trap(&err, "n=%d", 5), AW_ERR_TRAP);
  CHECK(err.kind == AW_ERR_TRAP && err.trap == AW_TRAP_HOST);
  CHECK_STR(err.message, "n=5");
  CHECK_EQ_INT(aw_host_trap(NULL, "x"), AW_ERR_TRAP);
  aw_store_free(s);
  aw_engine_free(e);
}
