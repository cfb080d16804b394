/* test_capi_objects.c - globals, tables and memories of the standard C API
   (<wasm.h>), and references crossing into wasm: type and store checks,
   bounds, huge sizes and grows, funcref/externref round trips, counted
   references held by wasm code outliving their handles. */
#include "airssys/capi.h"
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "test.h"
#include <stdlib.h>
#include <wasm.h>

static wasm_module_t *load(wasm_store_t *s, const char *text) {
  size_t n = 0;
  uint8_t *bin = test_wat2bin(text, &n);
  if (!bin) return NULL;
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, n, (const char *)bin);
  free(bin);
  wasm_module_t *m = wasm_module_new(s, &v);
  wasm_byte_vec_delete(&v);
  return m;
}

TEST(capi_globals) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e), *s2 = wasm_store_new(e);
  wasm_globaltype_t *cg =
      wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_globaltype_t *vg = wasm_globaltype_new(wasm_valtype_new_f64(), WASM_VAR);
  wasm_globaltype_t *rg =
      wasm_globaltype_new(wasm_valtype_new_externref(), WASM_VAR);
  wasm_globaltype_t *fg =
      wasm_globaltype_new(wasm_valtype_new_funcref(), WASM_VAR);
  wasm_val_t i = WASM_I32_VAL(3), d = WASM_F64_VAL(0.5), out;
  wasm_global_t *c = wasm_global_new(s, cg, &i);
  wasm_global_t *v = wasm_global_new(s, vg, &d);
  CHECK(c && v);
  CHECK(wasm_global_new(s, cg, &d) == NULL); /* value of another type */
  CHECK(wasm_global_new(s, cg, NULL) == NULL &&
        wasm_global_new(NULL, cg, &i) == NULL);
  wasm_global_get(c, &out);
  CHECK(out.kind == WASM_I32 && out.of.i32 == 3);
  wasm_val_t j = WASM_I32_VAL(9);
  wasm_global_set(c, &j); /* immutable: ignored */
  wasm_global_get(c, &out);
  CHECK(out.of.i32 == 3);
  wasm_val_t d2 = WASM_F64_VAL(-8.0);
  wasm_global_set(v, &d2);
  wasm_global_set(v, &j); /* wrong type: ignored */
  wasm_global_get(v, &out);
  CHECK(out.kind == WASM_F64 && out.of.f64 == -8.0);
  wasm_globaltype_t *t = wasm_global_type(v);
  CHECK(wasm_globaltype_mutability(t) == WASM_VAR &&
        wasm_valtype_kind(wasm_globaltype_content(t)) == WASM_F64);
  wasm_globaltype_delete(t);
  CHECK(wasm_global_type(NULL) == NULL);
  /* References: a foreign object of this store, not of another. */
  wasm_foreign_t *f = wasm_foreign_new(s), *f2 = wasm_foreign_new(s2);
  wasm_val_t r = WASM_REF_VAL(wasm_foreign_as_ref(f)),
             r2 = WASM_REF_VAL(wasm_foreign_as_ref(f2));
  wasm_global_t *g = wasm_global_new(s, rg, &r);
  CHECK(g && wasm_global_new(s, rg, &r2) == NULL);
  wasm_global_get(g, &out);
  CHECK(out.kind == WASM_EXTERNREF && wasm_ref_same(out.of.ref, r.of.ref));
  wasm_val_delete(&out);
  wasm_global_set(g, &r2);
  wasm_global_get(g, &out);
  CHECK(out.of.ref == wasm_foreign_as_ref(f));
  /* funcref: only functions of this store. */
  wasm_functype_t *ft = wasm_functype_new_0_0();
  wasm_val_t fr = WASM_REF_VAL(wasm_foreign_as_ref(f));
  fr.kind = WASM_FUNCREF;
  CHECK(wasm_global_new(s, fg, &fr) == NULL); /* a foreign is no function */
  wasm_val_t nullf = {.kind = WASM_FUNCREF, .of = {.ref = NULL}};
  wasm_global_t *gf = wasm_global_new(s, fg, &nullf);
  CHECK(gf != NULL);
  wasm_global_get(gf, &out);
  CHECK(out.kind == WASM_FUNCREF && out.of.ref == NULL);
  /* Handles. */
  CHECK(wasm_global_copy(v) == v && wasm_global_same(v, v) &&
        !wasm_global_same(v, c));
  CHECK(wasm_ref_as_global(wasm_global_as_ref(v)) == v);
  CHECK(wasm_ref_as_global_const(wasm_global_as_ref_const(v)) == v);
  CHECK(wasm_ref_as_table(wasm_global_as_ref(v)) == NULL);
  wasm_global_set_host_info(v, &out);
  CHECK(wasm_global_get_host_info(v) == &out);
  wasm_global_set_host_info_with_finalizer(v, NULL, NULL);
  wasm_global_delete(v);
  wasm_global_get(NULL, &out);
  CHECK(out.kind == WASM_I32 && out.of.i64 == 0);
  wasm_functype_delete(ft);
  wasm_globaltype_delete(cg);
  wasm_globaltype_delete(vg);
  wasm_globaltype_delete(rg);
  wasm_globaltype_delete(fg);
  wasm_store_delete(s);
  wasm_store_delete(s2);
  wasm_engine_delete(e);
}

static wasm_trap_t *seven(const wasm_val_vec_t *a, wasm_val_vec_t *r) {
  (void)a;
  r->data[0].kind = WASM_I32;
  r->data[0].of.i32 = 7;
  return NULL;
}

TEST(capi_tables) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e), *s2 = wasm_store_new(e);
  wasm_functype_t *ft = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t *h = wasm_func_new(s, ft, seven),
              *h2 = wasm_func_new(s2, ft, seven);
  wasm_limits_t l = {2, 10};
  wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &l);
  wasm_table_t *t = wasm_table_new(s, tt, NULL);
  CHECK(t && wasm_table_size(t) == 2);
  CHECK(wasm_table_new(s, tt, wasm_func_as_ref(h2)) == NULL); /* other store */
  wasm_foreign_t *fo = wasm_foreign_new(s);
  CHECK(wasm_table_new(s, tt, wasm_foreign_as_ref(fo)) ==
        NULL); /* not a func */
  CHECK(wasm_table_get(t, 0) == NULL);
  CHECK(wasm_table_set(t, 1, wasm_func_as_ref(h)));
  wasm_ref_t *got = wasm_table_get(t, 1);
  CHECK(got && wasm_ref_as_func(got) == h);
  wasm_ref_delete(got);
  CHECK(!wasm_table_set(t, 2, wasm_func_as_ref(h))); /* out of bounds */
  CHECK(!wasm_table_set(t, UINT32_MAX, wasm_func_as_ref(h))); /* far out */
  CHECK(!wasm_table_set(t, 0, wasm_func_as_ref(h2)));         /* other store */
  CHECK(!wasm_table_set(t, 0, wasm_foreign_as_ref(fo)));      /* not a func */
  CHECK(wasm_table_get(t, 2) == NULL && wasm_table_get(t, UINT32_MAX) == NULL);
  /* Grow: within the maximum, then beyond it, then by a huge delta. */
  CHECK(wasm_table_grow(t, 3, wasm_func_as_ref(h)));
  CHECK(wasm_table_size(t) == 5);
  got = wasm_table_get(t, 4);
  CHECK(wasm_ref_as_func(got) == h);
  CHECK(!wasm_table_grow(t, 6, NULL));
  CHECK(!wasm_table_grow(t, UINT32_MAX, NULL));
  CHECK(!wasm_table_grow(t, 1, wasm_func_as_ref(h2)));
  CHECK(wasm_table_size(t) == 5);
  wasm_tabletype_t *ty = wasm_table_type(t);
  CHECK(wasm_tabletype_limits(ty)->min == 5 &&
        wasm_tabletype_limits(ty)->max == 10);
  wasm_tabletype_delete(ty);
  CHECK(wasm_table_type(NULL) == NULL && wasm_table_size(NULL) == 0);
  CHECK(!wasm_table_grow(NULL, 1, NULL) && !wasm_table_set(NULL, 0, NULL));
  /* A table without a maximum cannot be grown past the engine's limit,
     and a huge initial size is refused, not allocated. */
  wasm_limits_t big = {UINT32_MAX, wasm_limits_max_default};
  wasm_tabletype_t *bt = wasm_tabletype_new(wasm_valtype_new_externref(), &big);
  CHECK(wasm_table_new(s, bt, NULL) == NULL);
  wasm_tabletype_delete(bt);
  wasm_limits_t open = {0, wasm_limits_max_default};
  wasm_tabletype_t *ot =
      wasm_tabletype_new(wasm_valtype_new_externref(), &open);
  wasm_table_t *et = wasm_table_new(s, ot, NULL);
  CHECK(et && !wasm_table_grow(et, UINT32_MAX, NULL));
  wasm_tabletype_delete(ot);
  /* Handles. */
  CHECK(wasm_table_copy(t) == t && wasm_table_same(t, wasm_table_copy(t)));
  CHECK(wasm_ref_as_table(wasm_table_as_ref(t)) == t);
  CHECK(wasm_ref_as_table_const(wasm_table_as_ref_const(t)) == t);
  wasm_table_set_host_info(t, s);
  CHECK(wasm_table_get_host_info(t) == s);
  wasm_table_set_host_info_with_finalizer(t, NULL, NULL);
  wasm_table_delete(t);
  wasm_func_delete(h);
  wasm_functype_delete(ft);
  wasm_tabletype_delete(tt);
  wasm_store_delete(s);
  wasm_store_delete(s2);
  wasm_engine_delete(e);
}

TEST(capi_funcref_roundtrip_through_wasm) {
  /* A host function put in a table by the host is called by wasm through
     call_indirect; a wasm function read from the table by the host is the
     same handle as its export. */
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_module_t *m =
      load(s, "(module"
              "  (table (export \"t\") 2 funcref)"
              "  (type $v_i (func (result i32)))"
              "  (func $ten (export \"ten\") (result i32) i32.const 10)"
              "  (elem (i32.const 0) $ten)"
              "  (func (export \"call\") (param i32) (result i32)"
              "    (call_indirect (type $v_i) (local.get 0))))");
  CHECK(m != NULL);
  if (!m) return;
  wasm_instance_t *inst = wasm_instance_new(s, m, NULL, NULL);
  CHECK(inst != NULL);
  if (!inst) return;
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  wasm_table_t *t = wasm_extern_as_table(ex.data[0]);
  wasm_func_t *ten = wasm_extern_as_func(ex.data[1]),
              *call = wasm_extern_as_func(ex.data[2]);
  wasm_ref_t *r0 = wasm_table_get(t, 0);
  CHECK(r0 && wasm_ref_as_func(r0) == ten);
  wasm_functype_t *ft = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t *h = wasm_func_new(s, ft, seven);
  CHECK(wasm_table_set(t, 1, wasm_func_as_ref(h)));
  wasm_val_t av[1] = {WASM_I32_VAL(1)}, rv[1];
  wasm_val_vec_t a = WASM_ARRAY_VEC(av), r = WASM_ARRAY_VEC(rv);
  CHECK(wasm_func_call(call, &a, &r) == NULL && rv[0].of.i32 == 7);
  av[0].of.i32 = 0;
  CHECK(wasm_func_call(call, &a, &r) == NULL && rv[0].of.i32 == 10);
  /* Passing a funcref argument of the wrong kind is refused. */
  wasm_functype_delete(ft);
  wasm_extern_vec_delete(&ex);
  wasm_module_delete(m);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

static int trap_fin;
static void count_trap_fin(void *p) {
  (void)p;
  trap_fin++;
}

TEST(capi_counted_ref_held_by_wasm) {
  /* A trap (a counted reference) stored in an externref table outlives the
     host's last delete: the store holds a count until it is deleted. */
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_limits_t l = {1, 1};
  wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_externref(), &l);
  wasm_table_t *t = wasm_table_new(s, tt, NULL);
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "kept");
  wasm_trap_t *trap = wasm_trap_new(s, &msg);
  wasm_byte_vec_delete(&msg);
  trap_fin = 0;
  wasm_trap_set_host_info_with_finalizer(trap, NULL, count_trap_fin);
  /* Stored a thousand times: one count taken, not a thousand. */
  for (int i = 0; i < 1000; i++)
    CHECK(wasm_table_set(t, 0, wasm_trap_as_ref(trap)));
  wasm_trap_delete(trap);
  CHECK(trap_fin == 0);
  wasm_ref_t *r = wasm_table_get(t, 0);
  wasm_trap_t *back = wasm_ref_as_trap(r);
  CHECK(back != NULL);
  wasm_message_t m2;
  wasm_trap_message(back, &m2);
  CHECK(m2.size == 5 && strcmp(m2.data, "kept") == 0);
  wasm_byte_vec_delete(&m2);
  wasm_ref_delete(r);
  CHECK(trap_fin == 0);
  wasm_tabletype_delete(tt);
  wasm_store_delete(s);
  CHECK(trap_fin == 1);
  wasm_engine_delete(e);
}

TEST(capi_memories) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_limits_t l = {1, 3};
  wasm_memorytype_t *mt = wasm_memorytype_new(&l);
  wasm_memory_t *m = wasm_memory_new(s, mt);
  CHECK(m && wasm_memory_size(m) == 1 && wasm_memory_data_size(m) == 65536);
  CHECK(wasm_memory_data(m) != NULL && wasm_memory_data(m)[65535] == 0);
  CHECK(wasm_memory_grow(m, 2) && wasm_memory_size(m) == 3);
  CHECK(wasm_memory_data_size(m) == 3 * MEMORY_PAGE_SIZE);
  CHECK(!wasm_memory_grow(m, 1) && !wasm_memory_grow(m, UINT32_MAX));
  CHECK(wasm_memory_grow(m, 0));
  wasm_memorytype_t *ty = wasm_memory_type(m);
  CHECK(wasm_memorytype_limits(ty)->min == 3 &&
        wasm_memorytype_limits(ty)->max == 3);
  wasm_memorytype_delete(ty);
  /* Beyond the 4 GiB of a 32-bit memory: refused, not mapped. */
  wasm_limits_t huge = {65537, wasm_limits_max_default};
  wasm_memorytype_t *ht = wasm_memorytype_new(&huge);
  CHECK(wasm_memory_new(s, ht) == NULL);
  wasm_memorytype_delete(ht);
  wasm_limits_t bad = {5, 2}; /* min above max */
  wasm_memorytype_t *bt = wasm_memorytype_new(&bad);
  CHECK(wasm_memory_new(s, bt) == NULL);
  wasm_memorytype_delete(bt);
  /* The store's limits (airssys/capi.h + airssys/executor.h) apply to the
     memories the standard API makes: grows past the cap fail. */
  wasm_store_t *capped = wasm_store_new(e);
  aw_limits_builder b = aw_limits_builder_new();
  /* Two pages, and 4 KiB for the objects the budget also counts. */
  aw_limits_builder_max_memory_bytes(&b, 2 * 65536 + 4096);
  aw_limits_builder_max_fuel(&b, 1000000);
  aw_limits_builder_timeout_ms(&b, 1000);
  aw_resource_limits lim;
  aw_error err;
  CHECK(aw_limits_builder_build(&b, &lim, &err) == AW_OK);
  CHECK(aw_store_apply_limits(aw_wasm_store(capped), &lim, &err) == AW_OK);
  wasm_memory_t *cm = wasm_memory_new(capped, mt);
  CHECK(cm && wasm_memory_grow(cm, 1) && !wasm_memory_grow(cm, 1));
  CHECK(wasm_memory_size(cm) == 2);
  wasm_store_delete(capped);
  /* Handles and NULL. */
  CHECK(wasm_memory_copy(m) == m && wasm_memory_same(m, m));
  CHECK(wasm_ref_as_memory(wasm_memory_as_ref(m)) == m);
  CHECK(wasm_ref_as_memory_const(wasm_memory_as_ref_const(m)) == m);
  wasm_memory_set_host_info(m, s);
  CHECK(wasm_memory_get_host_info(m) == s);
  wasm_memory_set_host_info_with_finalizer(m, NULL, NULL);
  CHECK(wasm_memory_data(NULL) == NULL && wasm_memory_data_size(NULL) == 0 &&
        wasm_memory_size(NULL) == 0 && !wasm_memory_grow(NULL, 1) &&
        wasm_memory_type(NULL) == NULL && wasm_memory_new(s, NULL) == NULL);
  wasm_memory_delete(m);
  wasm_memorytype_delete(mt);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

TEST(capi_func_refs) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_functype_t *ft = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t *f = wasm_func_new(s, ft, seven);
  CHECK(wasm_func_copy(f) == f && wasm_func_same(f, f));
  CHECK(wasm_ref_as_func(wasm_func_as_ref(f)) == f);
  CHECK(wasm_ref_as_func_const(wasm_func_as_ref_const(f)) == f);
  CHECK(wasm_ref_as_global(wasm_func_as_ref(f)) == NULL);
  CHECK(wasm_ref_as_memory(wasm_func_as_ref(f)) == NULL);
  CHECK(wasm_ref_as_instance(wasm_func_as_ref(f)) == NULL);
  CHECK(wasm_ref_as_foreign_const(wasm_func_as_ref_const(f)) == NULL);
  wasm_func_set_host_info(f, s);
  CHECK(wasm_func_get_host_info(f) == s);
  wasm_func_set_host_info_with_finalizer(f, NULL, NULL);
  CHECK(wasm_extern_as_func(wasm_func_as_extern(f)) == f);
  CHECK(wasm_extern_as_global(wasm_global_as_extern(NULL)) == NULL);
  CHECK(wasm_extern_as_table(wasm_table_as_extern(NULL)) == NULL);
  CHECK(wasm_extern_as_memory(wasm_memory_as_extern(NULL)) == NULL);
  wasm_func_delete(f);
  wasm_functype_delete(ft);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

static int start_calls;
static wasm_trap_t *start_cb(const wasm_val_vec_t *a, wasm_val_vec_t *r) {
  (void)a;
  (void)r;
  start_calls++;
  wasm_message_t m;
  wasm_name_new_from_string(&m, "start refused");
  wasm_trap_t *t = wasm_trap_new(NULL, &m);
  wasm_byte_vec_delete(&m);
  return t;
}

TEST(capi_instance_start_trap) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_module_t *m =
      load(s, "(module (import \"\" \"s\" (func $s)) (start $s))");
  wasm_module_t *u = load(s, "(module (func $s unreachable) (start $s))");
  CHECK(m && u);
  if (!m || !u) return;
  wasm_functype_t *ft = wasm_functype_new_0_0();
  wasm_func_t *f = wasm_func_new(s, ft, start_cb);
  wasm_extern_t *imps[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_trap_t *trap = NULL;
  CHECK(wasm_instance_new(s, m, &iv, &trap) == NULL && start_calls == 1);
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  CHECK(msg.size && strcmp(msg.data, "start refused") == 0);
  wasm_byte_vec_delete(&msg);
  wasm_trap_delete(trap);
  trap = NULL;
  CHECK(wasm_instance_new(s, u, NULL, &trap) == NULL && trap);
  aw_error err;
  CHECK(aw_wasm_trap_error(trap, &err) && err.trap == AW_TRAP_UNREACHABLE);
  wasm_trap_delete(trap);
  CHECK(wasm_instance_new(NULL, u, NULL, &trap) == NULL && trap);
  wasm_trap_delete(trap);
  wasm_extern_vec_t out;
  wasm_instance_exports(NULL, &out);
  CHECK(out.size == 0);
  wasm_functype_delete(ft);
  wasm_module_delete(m);
  wasm_module_delete(u);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}
