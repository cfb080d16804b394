/* test_capi_runtime.c - the standard C API (<wasm.h>) with execution:
   modules (validation, reflection, serialization, sharing between stores
   and threads), host functions (env, finalizers, traps, arity and type
   checks), globals, tables, memories, instances and externs, tested the way
   a hostile host or guest would push them. */
#include "airssys/capi.h"
#include "airssys/executor.h"
#include "test.h"
#include <pthread.h>
#include <stdlib.h>
#include <wasm.h>

static wasm_module_t *load(wasm_store_t *s, const char *text) {
  size_t n = 0;
  uint8_t *bin = test_wat2bin(text, &n);
  if (!bin) {
    fprintf(stderr, "  wat2wasm failed\n");
    return NULL;
  }
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, n, (const char *)bin);
  free(bin);
  wasm_module_t *m = wasm_module_new(s, &v);
  wasm_byte_vec_delete(&v);
  return m;
}

/* The message of trap t (consumed) in buf; "" if t is NULL. */
static const char *msg_of(wasm_trap_t *t, char *buf, size_t cap) {
  buf[0] = '\0';
  if (!t) return buf;
  wasm_message_t m;
  wasm_trap_message(t, &m);
  snprintf(buf, cap, "%s", m.size ? m.data : "");
  wasm_byte_vec_delete(&m);
  wasm_trap_delete(t);
  return buf;
}

static const char *ALL_KINDS =
    "(module"
    "  (import \"env\" \"f\" (func $f (param i32) (result i32)))"
    "  (import \"env\" \"g\" (global $g (mut i64)))"
    "  (import \"env\" \"t\" (table 1 5 funcref))"
    "  (import \"env\" \"m\" (memory 1 3))"
    "  (func (export \"call_f\") (param i32) (result i32)"
    "    (call $f (local.get 0)))"
    "  (func (export \"get_g\") (result i64) (global.get $g))"
    "  (func (export \"load\") (param i32) (result i32)"
    "    (i32.load8_u (local.get 0)))"
    "  (global (export \"c\") f32 (f32.const 2.5))"
    "  (export \"tab\" (table 0))"
    "  (export \"mem\" (memory 0)))";

static wasm_trap_t *add_one(void *env, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  int *calls = env;
  (*calls)++;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + 1;
  return NULL;
}

static int env_fin_count;
static void env_fin(void *env) {
  (void)env;
  env_fin_count++;
}

TEST(capi_module_reflection) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_module_t *m = load(s, ALL_KINDS);
  CHECK(m != NULL);
  if (!m) return;
  wasm_importtype_vec_t im;
  wasm_module_imports(m, &im);
  CHECK_EQ_INT(im.size, 4);
  static const wasm_externkind_t ik[] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL,
                                         WASM_EXTERN_TABLE, WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < im.size && i < 4; i++) {
    CHECK(wasm_externtype_kind(wasm_importtype_type(im.data[i])) == ik[i]);
    CHECK(wasm_importtype_module(im.data[i])->size == 3);
  }
  const wasm_functype_t *ft =
      wasm_externtype_as_functype_const(wasm_importtype_type(im.data[0]));
  CHECK(ft && wasm_functype_params(ft)->size == 1 &&
        wasm_functype_results(ft)->size == 1);
  const wasm_globaltype_t *gt =
      wasm_externtype_as_globaltype_const(wasm_importtype_type(im.data[1]));
  CHECK(gt && wasm_globaltype_mutability(gt) == WASM_VAR &&
        wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_I64);
  const wasm_tabletype_t *tt =
      wasm_externtype_as_tabletype_const(wasm_importtype_type(im.data[2]));
  CHECK(tt && wasm_tabletype_limits(tt)->min == 1 &&
        wasm_tabletype_limits(tt)->max == 5);
  const wasm_memorytype_t *mt =
      wasm_externtype_as_memorytype_const(wasm_importtype_type(im.data[3]));
  CHECK(mt && wasm_memorytype_limits(mt)->max == 3);
  wasm_importtype_vec_delete(&im);
  wasm_exporttype_vec_t ex;
  wasm_module_exports(m, &ex);
  CHECK_EQ_INT(ex.size, 6);
  if (ex.size == 6) {
    CHECK(wasm_exporttype_name(ex.data[3])->size == 1 &&
          wasm_exporttype_name(ex.data[3])->data[0] == 'c');
    CHECK(wasm_externtype_kind(wasm_exporttype_type(ex.data[4])) ==
          WASM_EXTERN_TABLE);
    CHECK(wasm_externtype_kind(wasm_exporttype_type(ex.data[5])) ==
          WASM_EXTERN_MEMORY);
  }
  wasm_exporttype_vec_delete(&ex);
  wasm_module_imports(NULL, &im);
  CHECK(im.size == 0);
  wasm_module_exports(NULL, &ex);
  CHECK(ex.size == 0);
  wasm_module_delete(m);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

TEST(capi_module_validate_serialize) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_byte_vec_t good, bad;
  wasm_byte_vec_new(&good, 8, "\0asm\1\0\0\0");
  wasm_byte_vec_new(&bad, 8, "\0asm\2\0\0\0");
  CHECK(wasm_module_validate(s, &good));
  CHECK(!wasm_module_validate(s, &bad));
  CHECK(!wasm_module_validate(s, NULL) && !wasm_module_validate(NULL, &good));
  CHECK(wasm_module_new(s, &bad) == NULL);
  CHECK(wasm_module_new(s, NULL) == NULL);
  wasm_byte_vec_t lie = {1000, NULL}; /* a size without data */
  CHECK(!wasm_module_validate(s, &lie) && wasm_module_new(s, &lie) == NULL);
  wasm_byte_vec_delete(&good);
  wasm_byte_vec_delete(&bad);

  wasm_module_t *m =
      load(s, "(module (func (export \"f\") (result i32) i32.const 42))");
  CHECK(m != NULL);
  if (!m) return;
  wasm_byte_vec_t ser;
  wasm_module_serialize(m, &ser);
  CHECK(ser.size > 16 && memcmp(ser.data, "AWSM", 4) == 0);
  wasm_module_t *d = wasm_module_deserialize(s, &ser);
  CHECK(d != NULL && !wasm_module_same(d, m));
  wasm_instance_t *inst = wasm_instance_new(s, d, NULL, NULL);
  CHECK(inst != NULL);
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(r);
  CHECK(ex.size == 1 &&
        wasm_func_call(wasm_extern_as_func(ex.data[0]), &args, &res) == NULL);
  CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 42);
  wasm_extern_vec_delete(&ex);
  /* Every corruption of the header, and truncation, is refused. */
  for (size_t i = 0; i < 16; i++) {
    ser.data[i] ^= 0x40;
    CHECK(wasm_module_deserialize(s, &ser) == NULL);
    ser.data[i] ^= 0x40;
  }
  wasm_byte_vec_t cut = {ser.size - 1, ser.data};
  CHECK(wasm_module_deserialize(s, &cut) == NULL);
  wasm_byte_vec_t tiny = {3, ser.data};
  CHECK(wasm_module_deserialize(s, &tiny) == NULL);
  CHECK(wasm_module_deserialize(s, NULL) == NULL);
  /* A well-formed header over an invalid binary. */
  ser.data[16 + 4] = 9;
  CHECK(wasm_module_deserialize(s, &ser) == NULL);
  wasm_byte_vec_delete(&ser);
  wasm_module_serialize(NULL, &ser);
  CHECK(ser.size == 0);
  wasm_module_delete(d);
  wasm_module_delete(m);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

TEST(capi_module_refs_and_sharing) {
  wasm_engine_t *e = wasm_engine_new(), *e2 = wasm_engine_new();
  wasm_store_t *s1 = wasm_store_new(e), *s2 = wasm_store_new(e),
               *other = wasm_store_new(e2);
  wasm_module_t *m =
      load(s1, "(module (func (export \"f\") (result i32) i32.const 7))");
  CHECK(m != NULL);
  if (!m) return;
  int fin = 0;
  env_fin_count = 0;
  wasm_module_set_host_info_with_finalizer(m, &fin, env_fin);
  CHECK(wasm_module_get_host_info(m) == &fin);
  wasm_module_t *hi = wasm_module_copy(m);
  wasm_module_set_host_info(hi, &fin); /* same info: not released */
  CHECK(env_fin_count == 0);
  wasm_module_set_host_info_with_finalizer(hi, &fin, env_fin);
  wasm_module_delete(hi);
  wasm_module_t *c = wasm_module_copy(m);
  CHECK(wasm_module_same(c, m));
  wasm_ref_t *r = wasm_module_as_ref(m);
  CHECK(wasm_ref_as_module(r) == m && wasm_ref_as_module_const(r) == m &&
        wasm_module_as_ref_const(m) == r);
  wasm_shared_module_t *sh = wasm_module_share(m);
  CHECK(sh != NULL);
  wasm_module_t *o = wasm_module_obtain(s2, sh);
  CHECK(o && wasm_module_same(o, m));
  CHECK(wasm_module_obtain(other, sh) == NULL); /* another engine */
  CHECK(wasm_module_obtain(s2, NULL) == NULL &&
        wasm_module_share(NULL) == NULL);
  wasm_module_delete(c);
  CHECK(env_fin_count == 0);
  wasm_module_delete(m); /* the last reference to this handle */
  CHECK(env_fin_count == 1);
  /* The compiled code lives on through the shared module and o. */
  wasm_instance_t *i2 = wasm_instance_new(s2, o, NULL, NULL);
  CHECK(i2 != NULL);
  wasm_module_delete(o);
  wasm_shared_module_delete(sh);
  wasm_shared_module_delete(NULL);
  /* ... and through the instance. */
  wasm_extern_vec_t ex;
  wasm_instance_exports(i2, &ex);
  wasm_val_t rv[1];
  wasm_val_vec_t a = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(rv);
  CHECK(ex.size == 1 &&
        wasm_func_call(wasm_extern_as_func(ex.data[0]), &a, &res) == NULL &&
        rv[0].of.i32 == 7);
  wasm_extern_vec_delete(&ex);
  /* A module of another engine cannot be instantiated here. */
  wasm_module_t *m2 = load(other, "(module)");
  wasm_trap_t *trap = NULL;
  CHECK(wasm_instance_new(s1, m2, NULL, &trap) == NULL && trap != NULL);
  char buf[256];
  CHECK(strstr(msg_of(trap, buf, sizeof buf), "another engine") != NULL);
  wasm_module_delete(m2);
  wasm_store_delete(s1);
  wasm_store_delete(s2);
  wasm_store_delete(other);
  wasm_engine_delete(e);
  wasm_engine_delete(e2);
}

/* Threads: one shared module, a store per thread, many calls each. */
typedef struct {
  wasm_engine_t *engine;
  wasm_shared_module_t *shared;
  int sum;
} thread_arg;

static void *thread_main(void *p) {
  thread_arg *a = p;
  wasm_store_t *s = wasm_store_new(a->engine);
  wasm_module_t *m = wasm_module_obtain(s, a->shared);
  wasm_instance_t *i = m ? wasm_instance_new(s, m, NULL, NULL) : NULL;
  wasm_module_delete(m);
  if (i) {
    wasm_extern_vec_t ex;
    wasm_instance_exports(i, &ex);
    wasm_func_t *f = ex.size ? wasm_extern_as_func(ex.data[0]) : NULL;
    for (int k = 0; f && k < 2000; k++) {
      wasm_val_t av[1] = {WASM_I32_VAL(k)}, rv[1];
      wasm_val_vec_t args = WASM_ARRAY_VEC(av), res = WASM_ARRAY_VEC(rv);
      if (wasm_func_call(f, &args, &res) == NULL && rv[0].of.i32 == 2 * k)
        a->sum++;
    }
    wasm_extern_vec_delete(&ex);
  }
  wasm_store_delete(s);
  return NULL;
}

TEST(capi_threads_shared_module) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_module_t *m =
      load(s, "(module (func (export \"dbl\") (param i32) (result i32)"
              "  (i32.add (local.get 0) (local.get 0))))");
  CHECK(m != NULL);
  if (!m) return;
  wasm_shared_module_t *sh = wasm_module_share(m);
  wasm_module_delete(m);
  enum { N = 6 };
  pthread_t th[N];
  thread_arg args[N];
  for (int i = 0; i < N; i++) {
    args[i] = (thread_arg){e, sh, 0};
    pthread_create(&th[i], NULL, thread_main, &args[i]);
  }
  for (int i = 0; i < N; i++) {
    pthread_join(th[i], NULL);
    CHECK_EQ_INT(args[i].sum, 2000);
  }
  wasm_shared_module_delete(sh);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

TEST(capi_instance_all_kinds) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_module_t *m = load(s, ALL_KINDS);
  CHECK(m != NULL);
  if (!m) return;
  int calls = 0;
  env_fin_count = 0;
  wasm_functype_t *ft =
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t *f = wasm_func_new_with_env(s, ft, add_one, &calls, env_fin);
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t gv = WASM_I64_VAL(-5);
  wasm_global_t *g = wasm_global_new(s, gt, &gv);
  wasm_limits_t tl = {2, 4}, ml = {1, 2};
  wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &tl);
  wasm_table_t *t = wasm_table_new(s, tt, wasm_func_as_ref(f));
  wasm_memorytype_t *mt = wasm_memorytype_new(&ml);
  wasm_memory_t *mem = wasm_memory_new(s, mt);
  CHECK(f && g && t && mem);
  wasm_extern_t *imps[] = {wasm_func_as_extern(f), wasm_global_as_extern(g),
                           wasm_table_as_extern(t), wasm_memory_as_extern(mem)};
  /* Wrong count, wrong order (a type mismatch), NULL, another store. */
  wasm_extern_vec_t three = {3, imps};
  wasm_trap_t *trap = NULL;
  char buf[256];
  CHECK(wasm_instance_new(s, m, &three, &trap) == NULL);
  CHECK(strstr(msg_of(trap, buf, sizeof buf),
               "3 imports given, the module has 4"));
  wasm_extern_t *swapped[] = {imps[1], imps[0], imps[2], imps[3]};
  wasm_extern_vec_t sw = WASM_ARRAY_VEC(swapped);
  CHECK(wasm_instance_new(s, m, &sw, &trap) == NULL && trap);
  CHECK(msg_of(trap, buf, sizeof buf)[0] != '\0');
  wasm_extern_t *holes[] = {imps[0], NULL, imps[2], imps[3]};
  wasm_extern_vec_t hv = WASM_ARRAY_VEC(holes);
  CHECK(wasm_instance_new(s, m, &hv, &trap) == NULL);
  CHECK(strstr(msg_of(trap, buf, sizeof buf), "import 1 is NULL"));
  wasm_store_t *s2 = wasm_store_new(e);
  wasm_func_t *f2 = wasm_func_new_with_env(s2, ft, add_one, &calls, NULL);
  wasm_extern_t *foreign[] = {wasm_func_as_extern(f2), imps[1], imps[2],
                              imps[3]};
  wasm_extern_vec_t fv = WASM_ARRAY_VEC(foreign);
  CHECK(wasm_instance_new(s, m, &fv, &trap) == NULL);
  CHECK(strstr(msg_of(trap, buf, sizeof buf), "another store"));
  CHECK(wasm_instance_new(s, m, &three, NULL) == NULL); /* no trap wanted */

  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(s, m, &iv, &trap);
  CHECK(inst != NULL && trap == NULL);
  wasm_functype_delete(ft);
  wasm_globaltype_delete(gt);
  wasm_tabletype_delete(tt);
  wasm_memorytype_delete(mt);
  if (!inst) return;
  wasm_instance_set_host_info_with_finalizer(inst, NULL, env_fin);
  CHECK(wasm_instance_copy(inst) == inst && wasm_instance_same(inst, inst));
  CHECK(wasm_ref_as_instance(wasm_instance_as_ref(inst)) == inst);
  CHECK(wasm_ref_as_instance_const(wasm_instance_as_ref_const(inst)) == inst);
  wasm_instance_set_host_info(wasm_instance_copy(inst), NULL);
  CHECK(wasm_instance_get_host_info(inst) == NULL);
  wasm_instance_set_host_info_with_finalizer(inst, NULL, env_fin);
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  CHECK_EQ_INT(ex.size, 6);
  if (ex.size != 6) return;
  wasm_func_t *call_f = wasm_extern_as_func(ex.data[0]);
  wasm_val_t av[1] = {WASM_I32_VAL(41)}, rv[1];
  wasm_val_vec_t args = WASM_ARRAY_VEC(av), res = WASM_ARRAY_VEC(rv);
  CHECK(wasm_func_call(call_f, &args, &res) == NULL && rv[0].of.i32 == 42);
  CHECK(calls == 1);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(wasm_extern_as_func(ex.data[1]), &none, &res) == NULL &&
        rv[0].kind == WASM_I64 && rv[0].of.i64 == -5);
  /* The host sees writes to the memory it gave, and the other way round. */
  wasm_memory_data(mem)[100] = 77;
  av[0].of.i32 = 100;
  CHECK(wasm_func_call(wasm_extern_as_func(ex.data[2]), &args, &res) == NULL &&
        rv[0].of.i32 == 77);
  /* Exports are the handles of the imported objects (one per object). */
  CHECK(wasm_extern_as_table(ex.data[4]) == t);
  CHECK(wasm_extern_as_memory(ex.data[5]) == mem);
  CHECK(wasm_extern_kind(ex.data[3]) == WASM_EXTERN_GLOBAL);
  wasm_global_t *c = wasm_extern_as_global(ex.data[3]);
  wasm_val_t cv;
  wasm_global_get(c, &cv);
  CHECK(cv.kind == WASM_F32 && cv.of.f32 == 2.5f);
  /* Extern types of each kind. */
  for (size_t i = 0; i < ex.size; i++) {
    wasm_externtype_t *et = wasm_extern_type(ex.data[i]);
    CHECK(et && wasm_externtype_kind(et) == wasm_extern_kind(ex.data[i]));
    wasm_externtype_delete(et);
  }
  CHECK(wasm_extern_type(NULL) == NULL);
  /* Conversions: the right kind gives the object, another gives NULL. */
  const wasm_extern_t *ce = ex.data[0];
  CHECK(wasm_extern_as_func_const(ce) == call_f &&
        !wasm_extern_as_global_const(ce) && !wasm_extern_as_table_const(ce) &&
        !wasm_extern_as_memory_const(ce));
  CHECK(!wasm_extern_as_global(ex.data[0]) &&
        !wasm_extern_as_table(ex.data[0]) &&
        !wasm_extern_as_memory(ex.data[0]) && !wasm_extern_as_func(ex.data[3]));
  CHECK(wasm_extern_as_global_const(wasm_global_as_extern_const(c)) == c);
  CHECK(wasm_extern_as_table_const(wasm_table_as_extern_const(t)) == t);
  CHECK(wasm_extern_as_memory_const(wasm_memory_as_extern_const(mem)) == mem);
  CHECK(wasm_func_as_extern_const(f) == imps[0]);
  wasm_ref_t *er = wasm_extern_as_ref(ex.data[0]);
  CHECK(wasm_ref_as_extern(er) == ex.data[0] &&
        wasm_ref_as_extern_const(er) == ex.data[0]);
  CHECK(wasm_extern_as_ref_const(ex.data[0]) == er);
  CHECK(wasm_extern_copy(ex.data[0]) == ex.data[0] &&
        wasm_extern_same(ex.data[0], ce));
  wasm_extern_set_host_info(ex.data[0], &calls);
  CHECK(wasm_extern_get_host_info(ex.data[0]) == &calls &&
        wasm_func_get_host_info(call_f) == &calls);
  wasm_extern_set_host_info_with_finalizer(ex.data[0], NULL, NULL);
  wasm_extern_delete(wasm_extern_copy(ex.data[0]));
  wasm_extern_vec_t exc;
  wasm_extern_vec_copy(&exc, &ex);
  CHECK(exc.size == 6 && exc.data[2] == ex.data[2]);
  wasm_extern_vec_delete(&exc);
  wasm_extern_vec_t made;
  wasm_extern_vec_new(&made, 4, imps);
  CHECK(made.size == 4);
  wasm_extern_vec_delete(&made);
  wasm_extern_vec_new_uninitialized(&made, 2);
  wasm_extern_vec_delete(&made);
  wasm_extern_vec_new_empty(&made);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(inst); /* a reference: the instance stays in s */
  wasm_module_delete(m);
  CHECK(env_fin_count == 0);
  wasm_store_delete(s); /* the instance's and the env's finalizers */
  CHECK(env_fin_count == 2);
  wasm_store_delete(s2);
  wasm_engine_delete(e);
}

static wasm_trap_t *fail_cb(void *env, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  (void)args;
  (void)results;
  wasm_message_t m;
  wasm_name_new_from_string_nt(&m, "host says no");
  wasm_trap_t *t = wasm_trap_new(env, &m);
  wasm_byte_vec_delete(&m);
  wasm_trap_set_host_info(t, (void *)(intptr_t)1234);
  return t;
}

static wasm_trap_t *wrong_kind_cb(const wasm_val_vec_t *args,
                                  wasm_val_vec_t *results) {
  (void)args;
  results->data[0].kind = WASM_F64; /* declared i32 */
  results->data[0].of.f64 = 1.0;
  return NULL;
}

static wasm_store_t *other_store;
static wasm_trap_t *foreign_ref_cb(const wasm_val_vec_t *args,
                                   wasm_val_vec_t *results) {
  (void)args;
  results->data[0].of.ref = wasm_foreign_as_ref(wasm_foreign_new(other_store));
  return NULL;
}

/* Calls back into wasm from a host function (host -> wasm -> host). */
static wasm_func_t *reentry_target;
static wasm_trap_t *reenter_cb(const wasm_val_vec_t *args,
                               wasm_val_vec_t *results) {
  wasm_val_t av[1] = {WASM_I32_VAL(args->data[0].of.i32)}, rv[1];
  wasm_val_vec_t a = WASM_ARRAY_VEC(av), r = WASM_ARRAY_VEC(rv);
  wasm_trap_t *t = wasm_func_call(reentry_target, &a, &r);
  if (t) return t; /* passes on the nested call's trap */
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = rv[0].of.i32 * 10;
  return NULL;
}

/* Calls reentry_target with no argument and passes its trap on. */
static wasm_trap_t *nested_cb(const wasm_val_vec_t *args,
                              wasm_val_vec_t *results) {
  (void)args;
  (void)results;
  wasm_val_vec_t a = WASM_EMPTY_VEC, r = WASM_EMPTY_VEC;
  return wasm_func_call(reentry_target, &a, &r);
}

TEST(capi_func_calls_and_traps) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  other_store = wasm_store_new(e);
  wasm_functype_t *t_i_i =
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_functype_t *t_v_i = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_functype_t *t_v_r = wasm_functype_new_0_1(wasm_valtype_new_externref());
  wasm_func_t *fail = wasm_func_new_with_env(s, t_v_i, fail_cb, s, NULL);
  wasm_func_t *wrong = wasm_func_new(s, t_v_i, wrong_kind_cb);
  wasm_func_t *fref = wasm_func_new(s, t_v_r, foreign_ref_cb);
  wasm_func_t *reenter = wasm_func_new(s, t_i_i, reenter_cb);
  CHECK(fail && wrong && fref && reenter);
  CHECK(wasm_func_param_arity(reenter) == 1 &&
        wasm_func_result_arity(reenter) == 1);
  CHECK(wasm_func_param_arity(NULL) == 0 && wasm_func_result_arity(NULL) == 0);
  wasm_functype_t *got = wasm_func_type(reenter);
  CHECK(got && wasm_functype_params(got)->size == 1 &&
        wasm_valtype_kind(wasm_functype_results(got)->data[0]) == WASM_I32);
  wasm_functype_delete(got);
  CHECK(wasm_func_type(NULL) == NULL);
  CHECK(wasm_func_new(s, NULL, wrong_kind_cb) == NULL);
  CHECK(wasm_func_new(s, t_v_i, NULL) == NULL);
  CHECK(wasm_func_new(NULL, t_v_i, wrong_kind_cb) == NULL);
  env_fin_count = 0;
  /* A failed creation still releases the environment. */
  CHECK(wasm_func_new_with_env(NULL, t_v_i, fail_cb, NULL, env_fin) == NULL);
  CHECK(env_fin_count == 1);
  char buf[256];
  wasm_val_t rv[2] = {WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, res = {1, rv};
  /* The host's trap comes back as it was made: message and host info. */
  wasm_trap_t *t = wasm_func_call(fail, &none, &res);
  CHECK(t && wasm_trap_get_host_info(t) == (void *)(intptr_t)1234);
  CHECK_STR(msg_of(t, buf, sizeof buf), "host says no");
  t = wasm_func_call(wrong, &none, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "wrong type"));
  t = wasm_func_call(fref, &none, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "wrong type or store"));
  /* Arity and types of the arguments, room for the results. */
  wasm_val_t av[2] = {WASM_I32_VAL(1), WASM_I32_VAL(2)};
  wasm_val_vec_t two = {2, av}, one = {1, av};
  t = wasm_func_call(reenter, &two, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "2 arguments for 1 parameters"));
  t = wasm_func_call(reenter, &none, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "0 arguments for 1 parameters"));
  wasm_val_vec_t lie = {1, NULL};
  t = wasm_func_call(reenter, &lie, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "arguments"));
  wasm_val_t f64arg[1] = {WASM_F64_VAL(1.0)};
  wasm_val_vec_t fa = WASM_ARRAY_VEC(f64arg);
  t = wasm_func_call(reenter, &fa, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf),
               "argument 0: a value of the wrong type"));
  t = wasm_func_call(NULL, &one, &res);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "NULL"));

  wasm_module_t *m =
      load(s, "(module"
              "  (import \"\" \"fail\" (func $fail (result i32)))"
              "  (import \"\" \"reenter\" (func $re (param i32) (result i32)))"
              "  (func (export \"inc\") (param i32) (result i32)"
              "    (i32.add (local.get 0) (i32.const 1)))"
              "  (func (export \"via_host\") (param i32) (result i32)"
              "    (call $re (local.get 0)))"
              "  (func (export \"fail\") (result i32) (call $fail))"
              "  (func (export \"spin\") (loop (br 0)))"
              "  (func (export \"div\") (param i32) (result i32)"
              "    (i32.div_s (i32.const 1) (local.get 0))))");
  CHECK(m != NULL);
  if (!m) return;
  wasm_extern_t *imps[] = {wasm_func_as_extern(fail),
                           wasm_func_as_extern(reenter)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(s, m, &iv, NULL);
  CHECK(inst != NULL);
  if (!inst) return;
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  reentry_target = wasm_extern_as_func(ex.data[0]);
  /* wasm -> host -> wasm: 5 + 1 = 6, times 10. */
  av[0].of.i32 = 5;
  CHECK(wasm_func_call(wasm_extern_as_func(ex.data[1]), &one, &res) == NULL &&
        rv[0].of.i32 == 60);
  /* A host trap through wasm code keeps its identity. */
  t = wasm_func_call(wasm_extern_as_func(ex.data[2]), &none, &res);
  CHECK(t && wasm_trap_get_host_info(t) == (void *)(intptr_t)1234);
  CHECK_STR(msg_of(t, buf, sizeof buf), "host says no");
  /* An engine trap: its message and kind. */
  av[0].of.i32 = 0;
  t = wasm_func_call(wasm_extern_as_func(ex.data[4]), &one, &res);
  aw_error err;
  CHECK(aw_wasm_trap_error(t, &err) && err.kind == AW_ERR_TRAP &&
        err.trap == AW_TRAP_INT_DIV_BY_ZERO);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "divide by zero"));
  /* Too little room for the results: the call runs, the caller's vector
     is never written past its size. */
  wasm_val_vec_t noroom = WASM_EMPTY_VEC;
  av[0].of.i32 = 3;
  t = wasm_func_call(wasm_extern_as_func(ex.data[0]), &one, &noroom);
  CHECK(strstr(msg_of(t, buf, sizeof buf), "room for 0 results, 1 needed"));
  /* Fuel through the extension: an endless loop ends as out_of_fuel, with
     its figures, and the store is usable afterwards. */
  CHECK(aw_store_set_fuel(aw_wasm_store(s), 100000));
  t = wasm_func_call(wasm_extern_as_func(ex.data[3]), &none, &noroom);
  CHECK(aw_wasm_trap_error(t, &err) && err.kind == AW_ERR_OUT_OF_FUEL);
  CHECK(err.figures.fuel.max == 100000 && err.figures.fuel.consumed == 100000);
  wasm_trap_delete(t);
  CHECK(aw_store_set_fuel(aw_wasm_store(s), 1000000));
  /* Out of fuel inside a nested call: the host passes the trap on, and its
     kind survives the way out. */
  CHECK(aw_store_set_fuel(aw_wasm_store(s), 50));
  reentry_target = wasm_extern_as_func(ex.data[3]); /* spin */
  wasm_functype_t *t_spin = wasm_func_type(reentry_target);
  CHECK(wasm_functype_params(t_spin)->size == 0);
  wasm_functype_delete(t_spin);
  av[0].of.i32 = 1;
  t = wasm_func_call(wasm_extern_as_func(ex.data[1]), &one, &res);
  CHECK(t != NULL); /* spin takes no argument: the nested call is refused */
  CHECK(aw_wasm_trap_error(t, &err) && err.kind == AW_ERR_ARGUMENT);
  wasm_trap_delete(t);
  wasm_func_t *nest = wasm_func_new(s, t_v_i, nested_cb);
  t = wasm_func_call(nest, &none, &res);
  CHECK(aw_wasm_trap_error(t, &err) && err.kind == AW_ERR_OUT_OF_FUEL);
  CHECK(err.figures.fuel.max == 50 && err.figures.fuel.consumed == 50);
  wasm_trap_delete(t);
  CHECK(aw_store_set_fuel(aw_wasm_store(s), 1000000));
  av[0].of.i32 = 8;
  reentry_target = wasm_extern_as_func(ex.data[0]);
  CHECK(wasm_func_call(wasm_extern_as_func(ex.data[1]), &one, &res) == NULL &&
        rv[0].of.i32 == 90);
  wasm_extern_vec_delete(&ex);
  wasm_functype_delete(t_i_i);
  wasm_functype_delete(t_v_i);
  wasm_functype_delete(t_v_r);
  wasm_module_delete(m);
  wasm_store_delete(s);
  wasm_store_delete(other_store);
  wasm_engine_delete(e);
}

TEST(capi_host_many_params) {
  /* 40 parameters and 20 results: beyond the on-stack buffers. */
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_valtype_vec_t p, r;
  wasm_valtype_vec_new_uninitialized(&p, 40);
  wasm_valtype_vec_new_uninitialized(&r, 20);
  for (size_t i = 0; i < 40; i++)
    p.data[i] = wasm_valtype_new_i64();
  for (size_t i = 0; i < 20; i++)
    r.data[i] = wasm_valtype_new_i64();
  wasm_functype_t *ft = wasm_functype_new(&p, &r);
  wasm_func_t *f = wasm_func_new_with_env(s, ft, add_one, NULL, NULL);
  CHECK(f && wasm_func_param_arity(f) == 40 && wasm_func_result_arity(f) == 20);
  wasm_val_t av[40], rv[20];
  for (int i = 0; i < 40; i++)
    av[i] = (wasm_val_t)WASM_I64_VAL(i);
  wasm_val_vec_t a = WASM_ARRAY_VEC(av), res = WASM_ARRAY_VEC(rv);
  av[39].kind = WASM_I32; /* the last one wrong: refused before any call */
  char buf[256];
  CHECK(strstr(msg_of(wasm_func_call(f, &a, &res), buf, sizeof buf),
               "argument 39"));
  wasm_functype_delete(ft);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}
