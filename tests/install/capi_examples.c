/*
 * capi_examples.c - a host written against the standard C API only
 * (<wasm.h>), covering what the wasm-c-api examples show: a host function
 * called from wasm (hello, callback with an environment), globals, memory
 * and tables from both sides, multiple results, reflection, serialization,
 * a trapping start function, host and wasm traps, finalizers over many
 * instances, threads sharing one module, and host references.  Built from
 * an install prefix by tests/install/run.sh (pkg-config, shared and static;
 * CMake package), run with the directory holding the .wasm files made from
 * the .wat files of tests/install/capi/.  Prints "ok NAME" or "FAIL NAME: why"
 * per part; exit status 1 if any part failed.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm.h>

static const char *dir;
static int failures;
static wasm_engine_t *engine;

#define EXPECT(cond, part)                                                     \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL %s: %s (line %d)\n", part, #cond, __LINE__);                \
      failures++;                                                              \
      return;                                                                  \
    }                                                                          \
  } while (0)

static wasm_module_t *load(wasm_store_t *store, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_t bin;
  wasm_byte_vec_new_uninitialized(&bin, (size_t)n);
  size_t got = fread(bin.data, 1, (size_t)n, f);
  fclose(f);
  wasm_module_t *m = got == (size_t)n ? wasm_module_new(store, &bin) : NULL;
  wasm_byte_vec_delete(&bin);
  return m;
}

static wasm_func_t *func_at(const wasm_extern_vec_t *ex, size_t i) {
  return i < ex->size ? wasm_extern_as_func(ex->data[i]) : NULL;
}

/* The message of trap t, which is deleted. */
static void take_message(wasm_trap_t *t, char *buf, size_t cap) {
  wasm_message_t m;
  wasm_trap_message(t, &m);
  snprintf(buf, cap, "%s", m.size ? m.data : "");
  wasm_byte_vec_delete(&m);
  wasm_trap_delete(t);
}

/* ---- hello and callback */

static int hello_calls, hello_arg;
static wasm_trap_t *hello_cb(const wasm_val_vec_t *args, wasm_val_vec_t *res) {
  (void)res;
  hello_calls++;
  hello_arg = args->data[0].of.i32;
  return NULL;
}

static int env_released;
static void release_env(void *env) {
  env_released += *(int *)env;
}
static wasm_trap_t *add_cb(void *env, const wasm_val_vec_t *args,
                           wasm_val_vec_t *res) {
  int *calls = env;
  (*calls)++;
  res->data[0].kind = WASM_I64;
  res->data[0].of.i64 = args->data[0].of.i64 + args->data[1].of.i64;
  return NULL;
}

static void part_hello(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "hello");
  EXPECT(m, "hello");
  wasm_functype_t *t1 = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_functype_t *t2 = wasm_functype_new_2_1(
      wasm_valtype_new_i64(), wasm_valtype_new_i64(), wasm_valtype_new_i64());
  static int add_calls = 0;
  wasm_func_t *hello = wasm_func_new(store, t1, hello_cb);
  wasm_func_t *add =
      wasm_func_new_with_env(store, t2, add_cb, &add_calls, release_env);
  wasm_functype_delete(t1);
  wasm_functype_delete(t2);
  wasm_extern_t *imps[] = {wasm_func_as_extern(hello),
                           wasm_func_as_extern(add)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(store, m, &iv, NULL);
  EXPECT(inst, "hello");
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  wasm_val_t a1[] = {WASM_I32_VAL(99)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a1), none = WASM_EMPTY_VEC;
  EXPECT(wasm_func_call(func_at(&ex, 0), &args, &none) == NULL, "hello");
  EXPECT(hello_calls == 1 && hello_arg == 99, "hello");
  wasm_val_t a2[] = {WASM_I64_VAL(INT64_C(1) << 40), WASM_I64_VAL(-3)};
  wasm_val_t r2[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args2 = WASM_ARRAY_VEC(a2), res2 = WASM_ARRAY_VEC(r2);
  for (int i = 0; i < 1000; i++)
    EXPECT(wasm_func_call(func_at(&ex, 1), &args2, &res2) == NULL, "callback");
  EXPECT(r2[0].kind == WASM_I64 && r2[0].of.i64 == (INT64_C(1) << 40) - 3,
         "callback");
  EXPECT(add_calls == 1000, "callback");
  wasm_extern_vec_delete(&ex);
  wasm_module_delete(m);
  add_calls = 7;
  wasm_store_delete(store);
  EXPECT(env_released == 7, "callback");
  printf("ok hello\nok callback\n");
}

/* ---- globals, memory, tables */

static wasm_trap_t *neg_cb(const wasm_val_vec_t *args, wasm_val_vec_t *res) {
  res->data[0].kind = WASM_I32;
  res->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static void part_objects(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "objects");
  EXPECT(m, "global");
  wasm_globaltype_t *ct =
      wasm_globaltype_new(wasm_valtype_new_f32(), WASM_CONST);
  wasm_globaltype_t *vt = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t c = WASM_F32_VAL(1.25f), v = WASM_I64_VAL(10);
  wasm_global_t *gc = wasm_global_new(store, ct, &c);
  wasm_global_t *gv = wasm_global_new(store, vt, &v);
  wasm_globaltype_delete(ct);
  wasm_globaltype_delete(vt);
  wasm_extern_t *imps[] = {wasm_global_as_extern(gc),
                           wasm_global_as_extern(gv)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(store, m, &iv, NULL);
  EXPECT(inst, "global");
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  EXPECT(ex.size == 10, "global");
  wasm_global_t *own = wasm_extern_as_global(ex.data[0]);
  wasm_memory_t *mem = wasm_extern_as_memory(ex.data[1]);
  wasm_table_t *tab = wasm_extern_as_table(ex.data[2]);
  EXPECT(own && mem && tab, "global");
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(r);
  EXPECT(!wasm_func_call(func_at(&ex, 3), &none, &res) && r[0].of.f32 == 1.25f,
         "global");
  wasm_val_t nv = WASM_I64_VAL(-77);
  wasm_global_set(gv, &nv);
  EXPECT(!wasm_func_call(func_at(&ex, 4), &none, &res) && r[0].of.i64 == -77,
         "global");
  wasm_val_t a1[] = {WASM_I64_VAL(123)};
  wasm_val_vec_t args1 = WASM_ARRAY_VEC(a1);
  EXPECT(!wasm_func_call(func_at(&ex, 5), &args1, &none), "global");
  wasm_val_t out;
  wasm_global_get(gv, &out);
  EXPECT(out.kind == WASM_I64 && out.of.i64 == 123, "global");
  wasm_global_get(own, &out);
  EXPECT(out.kind == WASM_I32 && out.of.i32 == 5, "global");
  printf("ok global\n");

  /* Memory. */
  EXPECT(wasm_memory_size(mem) == 2 && wasm_memory_data_size(mem) == 0x20000,
         "memory");
  EXPECT(wasm_memory_data(mem)[0x1002] == 3, "memory");
  wasm_val_t la[] = {WASM_I32_VAL(0x1003)};
  wasm_val_vec_t largs = WASM_ARRAY_VEC(la);
  EXPECT(!wasm_func_call(func_at(&ex, 7), &largs, &res) && r[0].of.i32 == 4,
         "memory");
  wasm_val_t sa[] = {WASM_I32_VAL(0x1ffff), WASM_I32_VAL(-5)};
  wasm_val_vec_t sargs = WASM_ARRAY_VEC(sa);
  EXPECT(!wasm_func_call(func_at(&ex, 8), &sargs, &none), "memory");
  EXPECT(wasm_memory_data(mem)[0x1ffff] == (char)-5, "memory");
  sa[0].of.i32 = 0x20000; /* one past the end */
  wasm_trap_t *t = wasm_func_call(func_at(&ex, 8), &sargs, &none);
  EXPECT(t, "memory");
  wasm_trap_delete(t);
  EXPECT(wasm_memory_grow(mem, 1) && !wasm_memory_grow(mem, 1), "memory");
  EXPECT(!wasm_func_call(func_at(&ex, 6), &none, &res) && r[0].of.i32 == 3,
         "memory");
  EXPECT(!wasm_func_call(func_at(&ex, 8), &sargs, &none), "memory");
  wasm_limits_t ml = {1, 2};
  wasm_memorytype_t *mt = wasm_memorytype_new(&ml);
  wasm_memory_t *m2 = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  EXPECT(m2 && wasm_memory_size(m2) == 1 && wasm_memory_grow(m2, 1) &&
             !wasm_memory_grow(m2, 1),
         "memory");
  printf("ok memory\n");

  /* Tables. */
  EXPECT(wasm_table_size(tab) == 2, "table");
  wasm_ref_t *e0 = wasm_table_get(tab, 0), *e1 = wasm_table_get(tab, 1);
  EXPECT(e0 == NULL && e1 && wasm_ref_as_func(e1), "table");
  wasm_ref_delete(e1);
  wasm_functype_t *ft =
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t *neg = wasm_func_new(store, ft, neg_cb);
  wasm_functype_delete(ft);
  EXPECT(wasm_table_set(tab, 0, wasm_func_as_ref(neg)), "table");
  wasm_val_t ca[] = {WASM_I32_VAL(21), WASM_I32_VAL(1)};
  wasm_val_vec_t cargs = WASM_ARRAY_VEC(ca);
  EXPECT(!wasm_func_call(func_at(&ex, 9), &cargs, &res) && r[0].of.i32 == 42,
         "table");
  ca[1].of.i32 = 0;
  EXPECT(!wasm_func_call(func_at(&ex, 9), &cargs, &res) && r[0].of.i32 == -21,
         "table");
  EXPECT(wasm_table_grow(tab, 3, wasm_func_as_ref(neg)), "table");
  ca[1].of.i32 = 4;
  EXPECT(!wasm_func_call(func_at(&ex, 9), &cargs, &res) && r[0].of.i32 == -21,
         "table");
  ca[1].of.i32 = 5; /* out of bounds */
  t = wasm_func_call(func_at(&ex, 9), &cargs, &res);
  EXPECT(t, "table");
  wasm_trap_delete(t);
  EXPECT(!wasm_table_grow(tab, 6, NULL) && wasm_table_size(tab) == 5, "table");
  printf("ok table\n");

  /* Reflection. */
  wasm_importtype_vec_t imports;
  wasm_module_imports(m, &imports);
  EXPECT(imports.size == 2, "reflect");
  const wasm_globaltype_t *igt = wasm_externtype_as_globaltype_const(
      wasm_importtype_type(imports.data[1]));
  EXPECT(igt && wasm_globaltype_mutability(igt) == WASM_VAR, "reflect");
  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_t exports;
  wasm_module_exports(m, &exports);
  EXPECT(exports.size == 10, "reflect");
  for (size_t i = 0; i < exports.size; i++) {
    wasm_externtype_t *et = wasm_extern_type(ex.data[i]);
    EXPECT(wasm_externtype_kind(et) ==
               wasm_externtype_kind(wasm_exporttype_type(exports.data[i])),
           "reflect");
    wasm_externtype_delete(et);
  }
  const wasm_functype_t *ft9 =
      wasm_externtype_as_functype_const(wasm_exporttype_type(exports.data[9]));
  EXPECT(ft9 && wasm_functype_params(ft9)->size == 2 &&
             wasm_functype_results(ft9)->size == 1,
         "reflect");
  const wasm_tabletype_t *tt =
      wasm_externtype_as_tabletype_const(wasm_exporttype_type(exports.data[2]));
  EXPECT(tt && wasm_tabletype_limits(tt)->max == 10 &&
             wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF,
         "reflect");
  wasm_exporttype_vec_delete(&exports);
  printf("ok reflect\n");
  wasm_extern_vec_delete(&ex);
  wasm_module_delete(m);
  wasm_store_delete(store);
}

/* ---- multiple results */

static wasm_trap_t *swap_cb(const wasm_val_vec_t *args, wasm_val_vec_t *res) {
  for (size_t i = 0; i < 4; i++)
    wasm_val_copy(&res->data[i], &args->data[3 - i]);
  /* i32 and i64 positions swap too: fix the kinds to the declared types. */
  res->data[0].kind = WASM_I32;
  res->data[0].of.i32 = args->data[3].of.i32;
  res->data[1].kind = WASM_I64;
  res->data[1].of.i64 = args->data[2].of.i64;
  res->data[2].kind = WASM_I64;
  res->data[2].of.i64 = args->data[1].of.i64;
  res->data[3].kind = WASM_I32;
  res->data[3].of.i32 = args->data[0].of.i32;
  return NULL;
}

static void part_multi(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "multi");
  EXPECT(m, "multi");
  wasm_valtype_t *ps[] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                          wasm_valtype_new_i64(), wasm_valtype_new_i32()};
  wasm_valtype_t *rs[] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                          wasm_valtype_new_i64(), wasm_valtype_new_i32()};
  wasm_valtype_vec_t pv, rv;
  wasm_valtype_vec_new(&pv, 4, ps);
  wasm_valtype_vec_new(&rv, 4, rs);
  wasm_functype_t *ft = wasm_functype_new(&pv, &rv);
  wasm_func_t *swap = wasm_func_new(store, ft, swap_cb);
  wasm_functype_delete(ft);
  wasm_extern_t *imps[] = {wasm_func_as_extern(swap)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(store, m, &iv, NULL);
  EXPECT(inst, "multi");
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  wasm_val_t a[] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3),
                    WASM_I32_VAL(4)};
  wasm_val_t r[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL,
                     WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
  EXPECT(!wasm_func_call(func_at(&ex, 0), &args, &res), "multi");
  EXPECT(r[0].of.i32 == 4 && r[1].of.i64 == 3 && r[2].of.i64 == 2 &&
             r[3].of.i32 == 1,
         "multi");
  wasm_extern_vec_delete(&ex);
  wasm_module_delete(m);
  wasm_store_delete(store);
  printf("ok multi\n");
}

/* ---- serialize, start, traps */

static wasm_trap_t *fail_cb(void *env, const wasm_val_vec_t *a,
                            wasm_val_vec_t *r) {
  (void)a;
  (void)r;
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "callback abort");
  wasm_trap_t *t = wasm_trap_new(env, &msg);
  wasm_name_delete(&msg);
  return t;
}

static void part_traps(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "traps");
  EXPECT(m, "serialize");
  wasm_byte_vec_t ser;
  wasm_module_serialize(m, &ser);
  wasm_module_delete(m);
  m = wasm_module_deserialize(store, &ser);
  wasm_byte_vec_delete(&ser);
  EXPECT(m, "serialize");
  printf("ok serialize\n");
  wasm_functype_t *ft = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t *fail = wasm_func_new_with_env(store, ft, fail_cb, store, NULL);
  wasm_functype_delete(ft);
  wasm_extern_t *imps[] = {wasm_func_as_extern(fail)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(store, m, &iv, NULL);
  EXPECT(inst, "trap");
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(r);
  char buf[256];
  wasm_trap_t *t = wasm_func_call(func_at(&ex, 0), &none, &res);
  EXPECT(t, "trap");
  wasm_frame_t *origin = wasm_trap_origin(t);
  wasm_frame_vec_t trace;
  wasm_trap_trace(t, &trace);
  wasm_frame_delete(origin);
  wasm_frame_vec_delete(&trace);
  take_message(t, buf, sizeof buf);
  EXPECT(strcmp(buf, "callback abort") == 0, "trap");
  t = wasm_func_call(func_at(&ex, 1), &none, &res);
  EXPECT(t, "trap");
  take_message(t, buf, sizeof buf);
  EXPECT(strstr(buf, "unreachable") != NULL, "trap");
  printf("ok trap\n");
  wasm_extern_vec_delete(&ex);
  wasm_module_delete(m);

  wasm_module_t *s = load(store, "start");
  EXPECT(s, "start");
  t = NULL;
  EXPECT(wasm_instance_new(store, s, NULL, &t) == NULL && t, "start");
  take_message(t, buf, sizeof buf);
  EXPECT(strstr(buf, "unreachable") != NULL, "start");
  wasm_module_delete(s);
  wasm_store_delete(store);
  printf("ok start\n");
}

/* ---- finalizers over many instances */

static int live;
static void finalize(void *p) {
  (void)p;
  live--;
}

static void part_finalize(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "start");
  wasm_module_t *h = load(store, "multi");
  EXPECT(m && h, "finalize");
  wasm_module_delete(m);
  /* Instances with their own finalizers; objects with host info. */
  wasm_functype_t *ft = wasm_functype_new_0_0();
  for (int i = 0; i < 5000; i++) {
    wasm_foreign_t *f = wasm_foreign_new(store);
    wasm_foreign_set_host_info_with_finalizer(f, (void *)(intptr_t)i, finalize);
    wasm_foreign_delete(f);
    live++;
  }
  wasm_functype_delete(ft);
  wasm_module_set_host_info_with_finalizer(h, NULL, finalize);
  live++;
  wasm_module_delete(h);
  EXPECT(live == 5000, "finalize");
  wasm_store_delete(store);
  EXPECT(live == 0, "finalize");
  printf("ok finalize\n");
}

/* ---- threads */

typedef struct {
  wasm_shared_module_t *shared;
  int ok;
} thread_arg;

static wasm_trap_t *tid_cb(const wasm_val_vec_t *args, wasm_val_vec_t *res) {
  (void)args;
  (void)res;
  return NULL;
}

static void *run_thread(void *p) {
  thread_arg *a = p;
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = wasm_module_obtain(store, a->shared);
  wasm_functype_t *t1 = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_functype_t *t2 = wasm_functype_new_2_1(
      wasm_valtype_new_i64(), wasm_valtype_new_i64(), wasm_valtype_new_i64());
  static int unused;
  wasm_func_t *f1 = wasm_func_new(store, t1, tid_cb);
  wasm_func_t *f2 = wasm_func_new_with_env(store, t2, add_cb, &unused, NULL);
  wasm_functype_delete(t1);
  wasm_functype_delete(t2);
  wasm_extern_t *imps[] = {wasm_func_as_extern(f1), wasm_func_as_extern(f2)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = m ? wasm_instance_new(store, m, &iv, NULL) : NULL;
  if (inst) {
    wasm_extern_vec_t ex;
    wasm_instance_exports(inst, &ex);
    int good = 0;
    for (int i = 0; i < 500; i++) {
      wasm_val_t a2[] = {WASM_I64_VAL(i), WASM_I64_VAL(i)};
      wasm_val_t r2[1] = {WASM_INIT_VAL};
      wasm_val_vec_t args = WASM_ARRAY_VEC(a2), res = WASM_ARRAY_VEC(r2);
      if (!wasm_func_call(func_at(&ex, 1), &args, &res) &&
          r2[0].of.i64 == 2 * i)
        good++;
    }
    a->ok = good == 500;
    wasm_extern_vec_delete(&ex);
  }
  wasm_module_delete(m);
  wasm_store_delete(store);
  return NULL;
}

static void part_threads(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "hello");
  EXPECT(m, "threads");
  wasm_shared_module_t *shared = wasm_module_share(m);
  wasm_module_delete(m);
  enum { N = 8 };
  pthread_t th[N];
  thread_arg args[N];
  for (int i = 0; i < N; i++) {
    args[i].shared = shared;
    args[i].ok = 0;
    EXPECT(pthread_create(&th[i], NULL, run_thread, &args[i]) == 0, "threads");
  }
  int ok = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(th[i], NULL);
    ok += args[i].ok;
  }
  wasm_shared_module_delete(shared);
  wasm_store_delete(store);
  EXPECT(ok == N, "threads");
  printf("ok threads\n");
}

/* ---- host references */

static wasm_trap_t *id_cb(const wasm_val_vec_t *args, wasm_val_vec_t *res) {
  wasm_val_copy(&res->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t *call_r(wasm_func_t *f, wasm_val_t *args, size_t n) {
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t a = {n, args},
                 res = {f && wasm_func_result_arity(f) ? 1 : 0, r};
  wasm_trap_t *t = wasm_func_call(f, &a, &res);
  if (t) {
    wasm_trap_delete(t);
    return (wasm_ref_t *)(intptr_t)-1;
  }
  return res.size ? r[0].of.ref : NULL;
}

static void part_hostref(void) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *m = load(store, "hostref");
  EXPECT(m, "hostref");
  wasm_functype_t *ft = wasm_functype_new_1_1(wasm_valtype_new_externref(),
                                              wasm_valtype_new_externref());
  wasm_func_t *id = wasm_func_new(store, ft, id_cb);
  wasm_functype_delete(ft);
  wasm_extern_t *imps[] = {wasm_func_as_extern(id)};
  wasm_extern_vec_t iv = WASM_ARRAY_VEC(imps);
  wasm_instance_t *inst = wasm_instance_new(store, m, &iv, NULL);
  EXPECT(inst, "hostref");
  wasm_extern_vec_t ex;
  wasm_instance_exports(inst, &ex);
  wasm_ref_t *h1 = wasm_foreign_as_ref(wasm_foreign_new(store));
  wasm_ref_t *h2 = wasm_foreign_as_ref(wasm_foreign_new(store));
  wasm_ref_set_host_info(h1, (void *)1);
  wasm_ref_set_host_info(h2, (void *)2);
  wasm_val_t v1[] = {WASM_REF_VAL(h1)};
  EXPECT(call_r(func_at(&ex, 3), NULL, 0) == NULL, "hostref");
  call_r(func_at(&ex, 2), v1, 1);
  wasm_ref_t *g = call_r(func_at(&ex, 3), NULL, 0);
  EXPECT(g && wasm_ref_same(g, h1) && wasm_ref_get_host_info(g) == (void *)1,
         "hostref");
  wasm_ref_delete(g);
  wasm_val_t tv[] = {WASM_I32_VAL(3), WASM_REF_VAL(h2)};
  call_r(func_at(&ex, 4), tv, 2);
  wasm_val_t ti[] = {WASM_I32_VAL(3)};
  wasm_ref_t *t3 = call_r(func_at(&ex, 5), ti, 1);
  EXPECT(t3 && wasm_ref_same(t3, h2), "hostref");
  wasm_ref_delete(t3);
  wasm_ref_t *direct = wasm_table_get(wasm_extern_as_table(ex.data[1]), 3);
  EXPECT(direct && wasm_ref_same(direct, h2), "hostref");
  wasm_ref_delete(direct);
  wasm_val_t cv[] = {WASM_REF_VAL(h2)};
  wasm_ref_t *back = call_r(func_at(&ex, 6), cv, 1);
  EXPECT(back && wasm_ref_get_host_info(back) == (void *)2, "hostref");
  wasm_ref_delete(back);
  wasm_val_t gv;
  wasm_global_get(wasm_extern_as_global(ex.data[0]), &gv);
  EXPECT(gv.kind == WASM_EXTERNREF && wasm_ref_same(gv.of.ref, h1), "hostref");
  wasm_val_delete(&gv);
  wasm_ref_delete(h1);
  wasm_ref_delete(h2);
  wasm_extern_vec_delete(&ex);
  wasm_module_delete(m);
  wasm_store_delete(store);
  printf("ok hostref\n");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: capi_examples DIR-WITH-WASM-FILES\n");
    return 2;
  }
  dir = argv[1];
  engine = wasm_engine_new();
  if (!engine) return 1;
  part_hello();
  part_objects();
  part_multi();
  part_traps();
  part_finalize();
  part_threads();
  part_hostref();
  wasm_engine_delete(engine);
  printf("%s\n", failures ? "capi_examples: FAILED" : "capi_examples: all ok");
  return failures ? 1 : 0;
}
