/* test_runtime.c - engine type registry, memories, tables, globals, host
   functions, linker, instantiation (import matching, segments, start). */
#include "airssys/limits.h"
#include "airssys/wasm.h"
#include "runtime.h"
#include "test.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static aw_module *load(aw_engine *e, const char *text) {
  size_t n = 0;
  uint8_t *bin = test_wat2bin(text, &n);
  if (!bin) {
    fprintf(stderr, "  wat2wasm failed\n");
    return NULL;
  }
  aw_error err;
  aw_module *m = aw_module_new(e, bin, n, &err);
  if (!m) fprintf(stderr, "  aw_module_new: %s\n", err.message);
  free(bin);
  return m;
}

static aw_func *export_func(aw_instance *inst, const char *name) {
  aw_extern ex;
  if (!aw_instance_export(inst, name, strlen(name), &ex) ||
      ex.kind != AW_EXTERN_FUNC)
    return NULL;
  return ex.of.func;
}

static aw_val i32v(int32_t v) {
  aw_val r;
  memset(&r, 0, sizeof r);
  r.kind = AW_I32;
  r.of.i32 = v;
  return r;
}

/* Calls an exported () -> i32 or (i32) -> i32 function. */
static int32_t call_i32(aw_store *s, aw_instance *inst, const char *name,
                        int nargs, int32_t arg, aw_errkind *kind) {
  aw_func *f = export_func(inst, name);
  aw_val a = i32v(arg), r = i32v(-12345);
  aw_error err;
  *kind =
      f ? aw_func_call(s, f, &a, (size_t)nargs, &r, 1, &err) : AW_ERR_ARGUMENT;
  return r.of.i32;
}

/* ------------------------------------------------------------------ */

TEST(rt_engine_type_registry) {
  aw_engine *e = aw_engine_new(NULL);
  CHECK(e != NULL);
  CHECK(e->cfg.consume_fuel);
  CHECK(e->cfg.simd);
  uint8_t a[] = {WM_I32, WM_I64}, b[] = {WM_F32};
  wm_functype t1 = {2, 1, a, b}, t2 = {1, 2, b, a}, t3 = {0, 0, NULL, NULL};
  uint32_t id1 = rt_engine_intern_type(e, &t1);
  uint32_t id2 = rt_engine_intern_type(e, &t2);
  uint32_t id3 = rt_engine_intern_type(e, &t3);
  CHECK(id1 != id2 && id1 != id3 && id2 != id3);
  uint8_t a2[] = {WM_I32, WM_I64}, b2[] = {WM_F32};
  wm_functype t1b = {2, 1, a2, b2};
  CHECK_EQ_INT(rt_engine_intern_type(e, &t1b), id1);
  CHECK_EQ_INT(rt_engine_intern_type(e, &t3), id3);
  /* Many distinct signatures: the index rehashes and keeps every id. */
  uint8_t p[16] = {0};
  uint32_t ids[1000];
  for (int i = 0; i < 1000; i++) {
    p[0] = (uint8_t)(0x7C + i % 4);
    p[1] = (uint8_t)(0x7C + i / 4 % 4);
    p[2] = (uint8_t)(0x7C + i / 16 % 4);
    wm_functype t = {3, (uint32_t)(i / 64), p, p};
    ids[i] = rt_engine_intern_type(e, &t);
  }
  int ok = 1;
  for (int i = 0; i < 1000; i++) {
    p[0] = (uint8_t)(0x7C + i % 4);
    p[1] = (uint8_t)(0x7C + i / 4 % 4);
    p[2] = (uint8_t)(0x7C + i / 16 % 4);
    wm_functype t = {3, (uint32_t)(i / 64), p, p};
    if (rt_engine_intern_type(e, &t) != ids[i]) ok = 0;
  }
  CHECK(ok);
  CHECK(e->ntypes >= 3 + 1000 / 64 * 64); /* distinct: nresults 0..15 */
  aw_engine_free(e);
}

TEST(rt_memory_limits_and_caps) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_memory *m = aw_memory_new(s, (aw_limits){1, 3, true}, &err);
  CHECK(m != NULL);
  CHECK_EQ_INT(aw_memory_size(m), 65536);
  CHECK_EQ_INT(m->reserved, 0); /* small: a heap block */
  aw_memory_data(m)[65535] = 7;
  CHECK_EQ_INT(aw_memory_grow(m, 1), 1); /* moves to a mapping, keeps data */
  uint8_t *base = aw_memory_data(m);
  CHECK_EQ_INT(m->reserved, 3 * 65536); /* up to the declared max */
  CHECK_EQ_INT(base[65535], 7);
  CHECK_EQ_INT(base[65536], 0);
  CHECK_EQ_INT(base[2 * 65536 - 1], 0);
  CHECK_EQ_INT(aw_memory_grow(m, 2), -1); /* declared max 3 */
  CHECK_EQ_INT(m->failed_grows, 1);
  CHECK_EQ_INT(aw_memory_grow(m, 0), 2);
  aw_memory_set_cap(m, 2 * 65536);
  CHECK_EQ_INT(aw_memory_grow(m, 1), -1); /* host cap */
  CHECK_EQ_INT(m->failed_grows, 2);
  CHECK_EQ_INT(m->peak_bytes, 2 * 65536);
  CHECK_EQ_INT(m->type.min, 2);
  aw_memory_set_cap(m, 0);
  CHECK_EQ_INT(aw_memory_grow(m, 1), 2);
  CHECK(aw_memory_data(m) == base); /* within the reservation: no move */
  CHECK_EQ_INT(base[3 * 65536 - 1], 0);

  /* A large memory is mapped from the start and never moves. */
  aw_memory *big = aw_memory_new(s, (aw_limits){17, 0, false}, &err);
  CHECK(big != NULL);
  CHECK_EQ_INT(big->reserved, 65536ull * 65536);
  uint8_t *bbase = aw_memory_data(big);
  bbase[17 * 65536 - 1] = 1;
  CHECK_EQ_INT(aw_memory_grow(big, 100), 17);
  CHECK(aw_memory_data(big) == bbase);
  CHECK_EQ_INT(bbase[17 * 65536 - 1], 1);
  CHECK_EQ_INT(bbase[117 * 65536 - 1], 0);

  /* Limits the API rejects. */
  CHECK(aw_memory_new(s, (aw_limits){65537, 0, false}, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  CHECK(aw_memory_new(s, (aw_limits){2, 1, true}, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);

  /* A 0-page memory has a usable (non-NULL) base and grows. */
  aw_memory *z = aw_memory_new(s, (aw_limits){0, 0, false}, &err);
  CHECK(z != NULL && aw_memory_data(z) != NULL);
  CHECK_EQ_INT(aw_memory_size(z), 0);
  CHECK_EQ_INT(aw_memory_grow(z, 65537), -1);
  CHECK_EQ_INT(aw_memory_grow(z, 3), 0);
  CHECK_EQ_INT(aw_memory_size(z), 3 * 65536);
  CHECK_EQ_INT(aw_memory_data(z)[3 * 65536 - 1], 0);

  /* A memory under a small cap reserves little; raising the cap moves it
     to a bigger mapping and keeps the contents. */
  s->mem_cap_bytes = 2 * 65536;
  CHECK(aw_memory_new(s, (aw_limits){3, 0, false}, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK_EQ_INT(err.figures.limit.limit, 2 * 65536);
  CHECK_EQ_INT(err.figures.limit.requested, 3 * 65536);
  CHECK_STR(err.message, "Resource limit exceeded: memory limit 131072 bytes, "
                         "requested 196608 bytes");
  aw_memory *c = aw_memory_new(s, (aw_limits){1, 0, false}, &err);
  CHECK(c != NULL);
  CHECK_EQ_INT(c->cap_bytes, 2 * 65536);
  aw_memory_data(c)[100] = 42;
  CHECK_EQ_INT(aw_memory_grow(c, 1), 1);
  CHECK_EQ_INT(c->reserved, 2 * 65536);
  CHECK_EQ_INT(aw_memory_grow(c, 1), -1);
  aw_memory_set_cap(c, 0);
  CHECK_EQ_INT(aw_memory_grow(c, 10), 2);
  CHECK_EQ_INT(aw_memory_data(c)[100], 42);
  CHECK_EQ_INT(aw_memory_data(c)[12 * 65536 - 1], 0);
  CHECK_EQ_INT(c->peak_bytes, 12 * 65536);
  aw_store_free(s);
  aw_engine_free(e);
}

TEST(rt_table_limits_and_grow) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  int marker;
  aw_table *t =
      aw_table_new(s, AW_EXTERNREF, (aw_limits){2, 5, true}, &marker, &err);
  CHECK(t != NULL);
  CHECK_EQ_INT(aw_table_size(t), 2);
  CHECK(t->elems[0] == &marker && t->elems[1] == &marker);
  CHECK_EQ_INT(rt_table_grow(t, 3, NULL), 2);
  CHECK_EQ_INT(aw_table_size(t), 5);
  CHECK(t->elems[4] == NULL && t->elems[1] == &marker);
  CHECK_EQ_INT(rt_table_grow(t, 1, NULL), -1);
  CHECK_EQ_INT(rt_table_grow(t, 0, NULL), 5);
  CHECK_EQ_INT(t->type.min, 5);

  /* Unbounded table: grows geometrically, fails cleanly at UINT32_MAX. */
  aw_table *u =
      aw_table_new(s, AW_FUNCREF, (aw_limits){0, 0, false}, NULL, &err);
  CHECK(u != NULL);
  for (int i = 0; i < 100; i++)
    CHECK_EQ_INT(rt_table_grow(u, 10, NULL), i * 10);
  CHECK(u->capacity >= 1000);
  CHECK_EQ_INT(rt_table_grow(u, UINT32_MAX, NULL), -1);
  CHECK_EQ_INT(rt_table_grow(u, RT_TABLE_MAX_ELEMS, NULL), -1);

  /* A hostile minimum fails at creation with a clean error. */
  CHECK(aw_table_new(s, AW_FUNCREF, (aw_limits){4000000000u, 0, false}, NULL,
                     &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK(aw_table_new(s, AW_I32, (aw_limits){1, 0, false}, NULL, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);

  /* The store's table cap. */
  s->table_cap = 4;
  CHECK(aw_table_new(s, AW_FUNCREF, (aw_limits){5, 0, false}, NULL, &err) ==
        NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_TABLE_ELEMENTS);
  CHECK_EQ_INT(err.figures.limit.limit, 4);
  CHECK_EQ_INT(err.figures.limit.requested, 5);
  aw_table *c =
      aw_table_new(s, AW_FUNCREF, (aw_limits){3, 0, false}, NULL, &err);
  CHECK(c != NULL);
  CHECK_EQ_INT(rt_table_grow(c, 1, NULL), 3);
  CHECK_EQ_INT(rt_table_grow(c, 1, NULL), -1);
  aw_store_free(s);
  aw_engine_free(e);
}

TEST(rt_globals) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_global *g = aw_global_new(s, i32v(-5), true, &err);
  CHECK(g != NULL);
  CHECK_EQ_INT(aw_global_get(g).kind, AW_I32);
  CHECK_EQ_INT(aw_global_get(g).of.i32, -5);
  CHECK(aw_global_set(g, i32v(9)));
  CHECK_EQ_INT(aw_global_get(g).of.i32, 9);
  aw_val f;
  memset(&f, 0, sizeof f);
  f.kind = AW_F64;
  f.of.f64 = 2.5;
  CHECK(!aw_global_set(g, f)); /* other type */
  aw_global *k = aw_global_new(s, f, false, &err);
  CHECK(k != NULL);
  CHECK(!aw_global_set(k, f)); /* immutable */
  CHECK(aw_global_get(k).of.f64 == 2.5);
  aw_val v;
  memset(&v, 0, sizeof v);
  v.kind = AW_V128;
  for (int i = 0; i < 16; i++)
    v.of.v128[i] = (uint8_t)i;
  aw_global *vg = aw_global_new(s, v, false, &err);
  CHECK(vg != NULL && aw_global_get(vg).of.v128[15] == 15);
  v.kind = (aw_valkind)0x42;
  CHECK(aw_global_new(s, v, false, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  aw_store_free(s);
  aw_engine_free(e);
}

static int finalized;
static void fin(void *env) {
  finalized += *(int *)env;
}

static aw_errkind host_add(void *env, aw_caller *caller, const aw_val *args,
                           aw_val *results, aw_error *err) {
  (void)err;
  int *calls = env;
  (*calls)++;
  /* Called from wasm: the caller's memory 0 is visible. */
  aw_memory *mem = aw_caller_memory(caller);
  if (mem && aw_memory_size(mem) > 0) aw_memory_data(mem)[0] = 0x5A;
  results[0] = i32v(args[0].of.i32 + args[1].of.i32);
  return AW_OK;
}

static aw_errkind host_trap(void *env, aw_caller *caller, const aw_val *args,
                            aw_val *results, aw_error *err) {
  (void)env;
  (void)caller;
  (void)args;
  (void)results;
  snprintf(err->message, sizeof err->message, "host says no");
  err->kind = AW_ERR_TRAP;
  err->trap = AW_TRAP_HOST;
  return AW_ERR_TRAP;
}

static const aw_valkind ii[] = {AW_I32, AW_I32};
static const aw_valkind i1[] = {AW_I32};

TEST(rt_host_func_and_call_checks) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  static int calls = 0, one = 1;
  calls = 0;
  finalized = 0;
  aw_functype ft = {2, 1, ii, i1};
  aw_func *f = aw_func_new(s, &ft, host_add, &calls, NULL);
  aw_func *g = aw_func_new(s, &ft, host_add, &one, fin);
  CHECK(f && g);
  CHECK_EQ_INT(f->type_id, g->type_id);
  aw_functype got = aw_func_type(f);
  CHECK_EQ_INT(got.nparams, 2);
  CHECK_EQ_INT(got.results[0], AW_I32);
  aw_val args[2] = {i32v(40), i32v(2)}, res[1];
  aw_error err;
  CHECK_EQ_INT(aw_func_call(s, f, args, 2, res, 1, &err), AW_OK);
  CHECK_EQ_INT(res[0].kind, AW_I32);
  CHECK_EQ_INT(res[0].of.i32, 42);
  CHECK_EQ_INT(calls, 1);
  /* Wrong argument count, result count and type. */
  CHECK_EQ_INT(aw_func_call(s, f, args, 1, res, 1, &err), AW_ERR_ARGUMENT);
  CHECK_EQ_INT(aw_func_call(s, f, args, 2, res, 0, &err), AW_ERR_ARGUMENT);
  args[1].kind = AW_I64;
  CHECK_EQ_INT(aw_func_call(s, f, args, 2, res, 1, &err), AW_ERR_ARGUMENT);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  CHECK_EQ_INT(calls, 1);
  /* Another store's function. */
  aw_store *s2 = aw_store_new(e);
  args[1].kind = AW_I32;
  CHECK_EQ_INT(aw_func_call(s2, f, args, 2, res, 1, &err), AW_ERR_ARGUMENT);
  aw_store_free(s2);
  /* Host trap propagates. */
  aw_functype t0 = {0, 0, NULL, NULL};
  aw_func *tr = aw_func_new(s, &t0, host_trap, NULL, NULL);
  CHECK_EQ_INT(aw_func_call(s, tr, NULL, 0, NULL, 0, &err), AW_ERR_TRAP);
  CHECK_EQ_INT(err.trap, AW_TRAP_HOST);
  /* v128 crosses the boundary (two slots; test_simd.c checks the value):
     this host function traps. */
  aw_valkind vk[] = {AW_V128};
  aw_functype tv = {1, 0, vk, NULL};
  aw_func *vf = aw_func_new(s, &tv, host_trap, NULL, NULL);
  CHECK(vf != NULL);
  aw_val vv;
  memset(&vv, 0, sizeof vv);
  vv.kind = AW_V128;
  CHECK_EQ_INT(aw_func_call(s, vf, &vv, 1, NULL, 0, &err), AW_ERR_TRAP);
  /* Bad signatures are refused. */
  aw_valkind bad[] = {(aw_valkind)1};
  aw_functype tb = {1, 0, bad, NULL};
  CHECK(aw_func_new(s, &tb, host_trap, NULL, NULL) == NULL);
  aw_store_free(s);
  CHECK_EQ_INT(finalized, 1);
  aw_engine_free(e);
}

TEST(rt_module_introspection) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = load(e, "(module\n"
                         " (import \"env\" \"f\" (func (param i32 i64)))\n"
                         " (import \"env\" \"t\" (table 2 10 funcref))\n"
                         " (import \"env\" \"m\" (memory 1))\n"
                         " (import \"env\" \"g\" (global (mut f32)))\n"
                         " (func $h (result f64) (f64.const 1))\n"
                         " (export \"h\" (func $h))\n"
                         " (export \"mem\" (memory 0))\n"
                         " (start $s) (func $s))\n");
  CHECK(m != NULL);
  if (!m) {
    aw_engine_free(e);
    return;
  }
  CHECK_EQ_INT(aw_module_import_count(m), 4);
  aw_import_desc d;
  CHECK(aw_module_import(m, 0, &d));
  CHECK_STR(d.module, "env");
  CHECK_EQ_INT(d.name_len, 1);
  CHECK_EQ_INT(d.type.kind, AW_EXTERN_FUNC);
  CHECK_EQ_INT(d.type.of.func.nparams, 2);
  CHECK_EQ_INT(d.type.of.func.params[1], AW_I64);
  CHECK(aw_module_import(m, 1, &d));
  CHECK_EQ_INT(d.type.of.table.limits.max, 10);
  CHECK(d.type.of.table.limits.has_max);
  CHECK(aw_module_import(m, 3, &d));
  CHECK_EQ_INT(d.type.of.global.type, AW_F32);
  CHECK(d.type.of.global.mut);
  CHECK(!aw_module_import(m, 4, &d));
  CHECK_EQ_INT(aw_module_export_count(m), 2);
  aw_export_desc x;
  CHECK(aw_module_export(m, 0, &x));
  CHECK_STR(x.name, "h");
  CHECK_EQ_INT(x.index, 1);
  CHECK_EQ_INT(x.type.of.func.results[0], AW_F64);
  CHECK(aw_module_export(m, 1, &x));
  CHECK_EQ_INT(x.type.kind, AW_EXTERN_MEMORY);
  CHECK_EQ_INT(x.type.of.memory.min, 1);
  CHECK_EQ_INT(aw_module_func_count(m), 3);
  CHECK_EQ_INT(aw_module_func_import_count(m), 1);
  CHECK_EQ_INT(aw_module_start(m), 2);
  aw_functype ft;
  CHECK(aw_module_func_type(m, 1, &ft) && ft.nresults == 1);
  CHECK(!aw_module_func_type(m, 3, &ft));
  aw_module_free(m);

  /* Decode errors come through with their kind. */
  aw_error err;
  const uint8_t junk[] = {0, 'a', 's', 'n', 2, 0, 0, 0};
  CHECK(aw_module_new(e, junk, sizeof junk, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_MALFORMED);
  aw_engine_free(e);
}

static const char *provider_wat =
    "(module\n"
    " (func $add (export \"add\") (param i32 i32) (result i32)\n"
    "   (i32.add (local.get 0) (local.get 1)))\n"
    " (table (export \"tab\") 4 8 funcref)\n"
    " (memory (export \"mem\") 1 2)\n"
    " (global (export \"gi\") i32 (i32.const 7))\n"
    " (global (export \"gm\") (mut i32) (i32.const 8)))\n";

TEST(rt_import_matching) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_module *p = load(e, provider_wat);
  CHECK(p != NULL);
  if (!p) {
    aw_store_free(s);
    aw_engine_free(e);
    return;
  }
  aw_error err;
  aw_instance *pi = aw_instantiate(s, p, NULL, 0, &err);
  CHECK(pi != NULL);
  aw_linker *l = aw_linker_new(s);
  CHECK(aw_linker_define_instance(l, "p", pi));
  struct {
    const char *imp;
    aw_errkind want;
    const char *msg;
  } cases[] = {
      {"(func (import \"p\" \"add\") (param i32 i32) (result i32))", AW_OK, ""},
      {"(func (import \"p\" \"add\") (param i32) (result i32))", AW_ERR_LINK,
       "incompatible import type"},
      {"(func (import \"p\" \"nope\"))", AW_ERR_LINK,
       "unknown import: \"p\" \"nope\""},
      {"(func (import \"p\" \"tab\"))", AW_ERR_LINK,
       "incompatible import type"},
      {"(table (import \"p\" \"tab\") 4 funcref)", AW_OK, ""},
      {"(table (import \"p\" \"tab\") 4 8 funcref)", AW_OK, ""},
      {"(table (import \"p\" \"tab\") 3 9 funcref)", AW_OK, ""},
      {"(table (import \"p\" \"tab\") 5 funcref)", AW_ERR_LINK,
       "incompatible import type"},
      {"(table (import \"p\" \"tab\") 4 7 funcref)", AW_ERR_LINK,
       "incompatible import type"},
      {"(table (import \"p\" \"tab\") 4 externref)", AW_ERR_LINK,
       "incompatible import type"},
      {"(memory (import \"p\" \"mem\") 1)", AW_OK, ""},
      {"(memory (import \"p\" \"mem\") 0 2)", AW_OK, ""},
      {"(memory (import \"p\" \"mem\") 2)", AW_ERR_LINK,
       "incompatible import type"},
      {"(memory (import \"p\" \"mem\") 1 1)", AW_ERR_LINK,
       "incompatible import type"},
      {"(global (import \"p\" \"gi\") i32)", AW_OK, ""},
      {"(global (import \"p\" \"gi\") (mut i32))", AW_ERR_LINK,
       "incompatible import type"},
      {"(global (import \"p\" \"gm\") (mut i32))", AW_OK, ""},
      {"(global (import \"p\" \"gm\") i32)", AW_ERR_LINK,
       "incompatible import type"},
      {"(global (import \"p\" \"gi\") i64)", AW_ERR_LINK,
       "incompatible import type"},
  };
  enum { NCASES = sizeof cases / sizeof cases[0] };
  aw_module *mods[NCASES] = {0};
  for (size_t i = 0; i < NCASES; i++) {
    char text[512];
    snprintf(text, sizeof text, "(module %s)", cases[i].imp);
    aw_module *m = mods[i] = load(e, text);
    CHECK(m != NULL);
    if (!m) continue;
    aw_instance *inst = aw_linker_instantiate(l, m, &err);
    if ((inst != NULL) != (cases[i].want == AW_OK) ||
        err.kind != cases[i].want ||
        strncmp(err.message, cases[i].msg, strlen(cases[i].msg)) != 0) {
      fprintf(stderr, "  case %zu (%s): kind %d, \"%s\"\n", i, cases[i].imp,
              err.kind, err.message);
      CHECK(0);
    }
  }
  /* Growing the table changes its current size, which matching uses. */
  aw_extern tab;
  CHECK(aw_instance_export(pi, "tab", 3, &tab));
  CHECK_EQ_INT(rt_table_grow(tab.of.table, 2, NULL), 4);
  aw_module *m6 = load(e, "(module (table (import \"p\" \"tab\") 6 funcref))");
  CHECK(m6 && aw_linker_instantiate(l, m6, &err) != NULL);

  /* Wrong number of imports through aw_instantiate. */
  CHECK(aw_instantiate(s, m6, NULL, 0, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LINK);
  /* Kind mismatch through aw_instantiate. */
  aw_extern mem;
  CHECK(aw_instance_export(pi, "mem", 3, &mem));
  CHECK(aw_instantiate(s, m6, &mem, 1, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LINK);
  aw_linker_free(l);
  aw_store_free(s); /* instances first, then their modules */
  for (size_t i = 0; i < NCASES; i++)
    aw_module_free(mods[i]);
  aw_module_free(m6);
  aw_module_free(p);
  aw_engine_free(e);
}

TEST(rt_segments_start_and_trapping_init) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_module *p = load(e, provider_wat);
  /* Element segments fill the table (ref.func, ref.null, global.get of an
     imported funcref global), data segments the memory; start runs last
     and sees both. */
  aw_module *m =
      load(e, "(module\n"
              " (import \"p\" \"tab\" (table 4 funcref))\n"
              " (import \"p\" \"mem\" (memory 1))\n"
              " (import \"p\" \"gi\" (global $gi i32))\n"
              " (import \"h\" \"fref\" (global $fr funcref))\n"
              " (global $g (mut i32) (global.get $gi))\n"
              " (global $r funcref (ref.func $f1))\n"
              " (func $f1 (result i32) (i32.const 11))\n"
              " (func $f2 (result i32) (i32.const 22))\n"
              " (elem (table 0) (i32.const 1) func $f1 $f2)\n"
              " (elem (table 0) (i32.const 3) funcref (ref.null func))\n"
              " (elem $pass funcref (ref.func $f2) (ref.null func))\n"
              " (elem declare func $f1)\n"
              " (data (i32.const 10) \"\\01\\02\")\n"
              " (data (offset (global.get $gi)) \"\\03\")\n"
              " (data $dp \"xyz\")\n"
              " (type $t (func (result i32)))\n"
              " (func $start\n"
              "   (global.set $g (i32.add (global.get $g)\n"
              "     (i32.add (call_indirect (type $t) (i32.const 2))\n"
              "              (i32.load8_u (i32.const 11))))))\n"
              " (start $start)\n"
              " (func (export \"g\") (result i32) (global.get $g))\n"
              " (func (export \"r\") (result funcref) (global.get $r)))\n");
  CHECK(p && m);
  if (!p || !m) goto out;
  aw_instance *pi = aw_instantiate(s, p, NULL, 0, &err);
  CHECK(pi != NULL);
  aw_linker *l = aw_linker_new(s);
  aw_linker_define_instance(l, "p", pi);
  aw_val nullref;
  memset(&nullref, 0, sizeof nullref);
  nullref.kind = AW_FUNCREF;
  aw_global *fr = aw_global_new(s, nullref, false, &err);
  aw_linker_define(l, "h", "fref",
                   (aw_extern){AW_EXTERN_GLOBAL, {.global = fr}});
  aw_instance *inst = aw_linker_instantiate(l, m, &err);
  CHECK(inst != NULL);
  if (!inst) {
    fprintf(stderr, "  %s\n", err.message);
    aw_linker_free(l);
    goto out;
  }
  aw_extern tab, mem;
  CHECK(aw_instance_export(pi, "tab", 3, &tab));
  CHECK(aw_instance_export(pi, "mem", 3, &mem));
  aw_table *t = tab.of.table;
  CHECK(t->elems[0] == NULL);
  CHECK(t->elems[1] == inst->funcs[0]); /* $f1 (no imported funcs) */
  CHECK(t->elems[2] == inst->funcs[1]);
  CHECK(t->elems[3] == NULL);
  uint8_t *d = aw_memory_data(mem.of.memory);
  CHECK_EQ_INT(d[10], 1);
  CHECK_EQ_INT(d[11], 2);
  CHECK_EQ_INT(d[7], 3);
  /* start: 7 + (f2() = 22) + mem[11] = 2 -> 31 */
  aw_errkind k;
  CHECK_EQ_INT(call_i32(s, inst, "g", 0, 0, &k), 31);
  CHECK_EQ_INT(k, AW_OK);
  /* Segment state: active and declarative dropped, passive kept. */
  CHECK(inst->elem_dropped[0] && inst->elem_dropped[1]);
  CHECK(!inst->elem_dropped[2] && inst->elem_dropped[3]);
  CHECK(inst->data_dropped[0] && inst->data_dropped[1]);
  CHECK(!inst->data_dropped[2]);
  CHECK(rt_elem_item(inst, &m->m.elems[2], 0) == inst->funcs[1]);
  CHECK(rt_elem_item(inst, &m->m.elems[2], 1) == NULL);
  /* An item `global.get` (wat2wasm 1.0.32 cannot write one). */
  {
    static const uint8_t ge[] = {0x23, 0x03, 0x0B}; /* global.get $r */
    wm_expr ex = {ge, sizeof ge, 0};
    wm_elem seg = {
        .mode = WM_SEG_PASSIVE, .type = WM_FUNCREF, .count = 1, .exprs = &ex};
    CHECK(rt_elem_item(inst, &seg, 0) == inst->funcs[0]);
  }
  /* Global initialised by ref.func. */
  aw_val rv;
  aw_func *rf = export_func(inst, "r");
  CHECK(rf && aw_func_call(s, rf, NULL, 0, &rv, 1, &err) == AW_OK);
  CHECK(rv.kind == AW_FUNCREF && rv.of.ref == inst->funcs[0]);

  /* A trapping instantiation: the first element segment and the first
     data segment are written, the second ones are out of bounds; the
     functions placed in the imported table stay callable. */
  aw_module *bad = load(e, "(module\n"
                           " (import \"p\" \"tab\" (table 4 funcref))\n"
                           " (import \"p\" \"mem\" (memory 1))\n"
                           " (func $f (result i32) (i32.const 99))\n"
                           " (elem (i32.const 0) $f)\n"
                           " (elem (i32.const 3) $f $f)\n"
                           " (data (i32.const 20) \"\\09\")\n"
                           " (func $s (unreachable)) (start $s))\n");
  CHECK(bad != NULL);
  if (bad) {
    CHECK(aw_linker_instantiate(l, bad, &err) == NULL);
    CHECK_EQ_INT(err.kind, AW_ERR_TRAP);
    CHECK_EQ_INT(err.trap, AW_TRAP_OUT_OF_BOUNDS_TABLE);
    CHECK(t->elems[0] != NULL && t->elems[3] == NULL);
    CHECK_EQ_INT(d[20], 0); /* data comes after elements: never reached */
    aw_val r;
    if (t->elems[0]) {
      CHECK_EQ_INT(aw_func_call(s, t->elems[0], NULL, 0, &r, 1, &err), AW_OK);
      CHECK_EQ_INT(r.of.i32, 99);
    }
  }
  aw_module *bad2 = load(e, "(module\n"
                            " (import \"p\" \"mem\" (memory 1))\n"
                            " (data (i32.const 30) \"\\05\")\n"
                            " (data (i32.const 65535) \"\\01\\02\")\n)");
  CHECK(bad2 != NULL);
  if (bad2) {
    CHECK(aw_linker_instantiate(l, bad2, &err) == NULL);
    CHECK_EQ_INT(err.kind, AW_ERR_TRAP);
    CHECK_EQ_INT(err.trap, AW_TRAP_OUT_OF_BOUNDS_MEMORY);
    CHECK_EQ_INT(d[30], 5);
    CHECK_EQ_INT(d[65535], 0);
  }
  aw_module *bad3 = load(e, "(module (func $s (unreachable)) (start $s))");
  CHECK(bad3 != NULL);
  if (bad3) {
    CHECK(aw_linker_instantiate(l, bad3, &err) == NULL);
    CHECK_EQ_INT(err.kind, AW_ERR_TRAP);
    CHECK_EQ_INT(err.trap, AW_TRAP_UNREACHABLE);
  }
  aw_linker_free(l);
  aw_store_free(s);
  aw_module_free(bad);
  aw_module_free(bad2);
  aw_module_free(bad3);
  s = NULL;
out:
  aw_store_free(s);
  aw_module_free(m);
  aw_module_free(p);
  aw_engine_free(e);
}

TEST(rt_host_calls_from_wasm_and_memory_cap) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  s->mem_cap_bytes = 3 * 65536;
  aw_error err;
  aw_module *m = load(
      e, "(module\n"
         " (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))\n"
         " (memory 1)\n"
         " (func (export \"run\") (param i32) (result i32)\n"
         "   (call $add (local.get 0) (i32.load8_u (i32.const 0))))\n"
         " (func (export \"grow\") (param i32) (result i32)\n"
         "   (memory.grow (local.get 0)))\n"
         " (func (export \"last\") (result i32)\n"
         "   (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536))\n"
         "                        (i32.const 1)))))\n");
  aw_module *big = load(e, "(module (memory 4))");
  CHECK(m && big);
  if (!m || !big) goto out;
  static int calls;
  calls = 0;
  aw_functype ft = {2, 1, ii, i1};
  aw_func *add = aw_func_new(s, &ft, host_add, &calls, NULL);
  aw_extern imp = {AW_EXTERN_FUNC, {.func = add}};
  aw_instance *inst = aw_instantiate(s, m, &imp, 1, &err);
  CHECK(inst != NULL);
  if (!inst) goto out;
  aw_errkind k;
  /* host_add writes 0x5A into the caller's memory[0] after reading args */
  CHECK_EQ_INT(call_i32(s, inst, "run", 1, 5, &k), 5);
  CHECK_EQ_INT(k, AW_OK);
  CHECK_EQ_INT(call_i32(s, inst, "run", 1, 5, &k), 5 + 0x5A);
  CHECK_EQ_INT(calls, 2);
  /* The store's cap applies to the instance's memory, grown from wasm
     (the heap block moves to a mapping; the vm follows it). */
  CHECK_EQ_INT(call_i32(s, inst, "grow", 1, 1, &k), 1);
  aw_memory_data(inst->mems[0])[2 * 65536 - 1] = 0x77;
  CHECK_EQ_INT(call_i32(s, inst, "last", 0, 0, &k), 0x77);
  CHECK_EQ_INT(call_i32(s, inst, "grow", 1, 1, &k), 2);
  CHECK_EQ_INT(call_i32(s, inst, "last", 0, 0, &k), 0);
  CHECK_EQ_INT(call_i32(s, inst, "grow", 1, 1, &k), -1);
  CHECK_EQ_INT(k, AW_OK);
  CHECK_EQ_INT(call_i32(s, inst, "run", 1, 1, &k), 1 + 0x5A);
  CHECK_EQ_INT(inst->mems[0]->failed_grows, 1);
  CHECK_EQ_INT(inst->mems[0]->peak_bytes, 3 * 65536);
  /* A module whose initial memory exceeds the store's cap. */
  CHECK(aw_instantiate(s, big, NULL, 0, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
out:
  aw_store_free(s);
  aw_module_free(m);
  aw_module_free(big);
  aw_engine_free(e);
}

TEST(rt_linker_names) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  /* Names with NUL bytes and non-ASCII UTF-8 are matched byte-exactly. */
  aw_module *p =
      load(e, "(module (global (export \"a\\00b\") i32 (i32.const 1))\n"
              " (global (export \"a\") i32 (i32.const 2))\n"
              " (global (export \"\\e2\\82\\ac\") i32 (i32.const 3)))");
  aw_module *m = load(e, "(module (import \"x\" \"a\\00b\" (global $g i32))\n"
                         " (import \"x\" \"\\e2\\82\\ac\" (global $h i32))\n"
                         " (func (export \"f\") (result i32)\n"
                         "   (i32.add (global.get $g) (global.get $h))))");
  aw_module *q = load(e, "(module (import \"x\" \"a\\00c\" (global i32)))");
  CHECK(p && m && q);
  if (!p || !m || !q) goto out;
  aw_instance *pi = aw_instantiate(s, p, NULL, 0, &err);
  aw_linker *l = aw_linker_new(s);
  CHECK(aw_linker_define_instance(l, "x", pi));
  aw_instance *inst = aw_linker_instantiate(l, m, &err);
  CHECK(inst != NULL);
  aw_errkind k;
  if (inst) CHECK_EQ_INT(call_i32(s, inst, "f", 0, 0, &k), 4);
  CHECK(aw_linker_instantiate(l, q, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LINK);
  CHECK_STR(err.message, "unknown import: \"x\" \"a\\00c\"");
  /* Redefinition replaces. */
  aw_val v = i32v(40);
  aw_global *g = aw_global_new(s, v, false, &err);
  CHECK(aw_linker_define(l, "x", "a",
                         (aw_extern){AW_EXTERN_GLOBAL, {.global = g}}));
  aw_module *r =
      load(e, "(module (import \"x\" \"a\" (global $g i32))\n"
              " (func (export \"f\") (result i32) (global.get $g)))");
  inst = r ? aw_linker_instantiate(l, r, &err) : NULL;
  CHECK(inst != NULL);
  if (inst) CHECK_EQ_INT(call_i32(s, inst, "f", 0, 0, &k), 40);
  /* Many definitions: the index rehashes. */
  char name[32];
  int ok = 1;
  for (int i = 0; i < 500; i++) {
    snprintf(name, sizeof name, "n%d", i);
    ok &= aw_linker_define(l, "many", name,
                           (aw_extern){AW_EXTERN_GLOBAL, {.global = g}});
  }
  CHECK(ok);
  aw_linker_free(l);
  aw_store_free(s);
  s = NULL;
  aw_module_free(r);
out:
  aw_store_free(s);
  aw_module_free(p);
  aw_module_free(m);
  aw_module_free(q);
  aw_engine_free(e);
}

/* Modules compiled from several threads at once share one registry. */
typedef struct {
  aw_engine *e;
  const uint8_t *bin;
  size_t len;
  aw_module *mods[8];
} compile_job;

static void *compile_many(void *arg) {
  compile_job *j = arg;
  for (int i = 0; i < 8; i++)
    j->mods[i] = aw_module_new(j->e, j->bin, j->len, NULL);
  return NULL;
}

TEST(rt_concurrent_compilation) {
  size_t n = 0;
  uint8_t *bin =
      test_wat2bin("(module (func (param i32) (result i64) i64.const 0)"
                   " (func (param f32 f64))"
                   " (func (result i32 i32) i32.const 1 i32.const 2))",
                   &n);
  CHECK(bin != NULL);
  if (!bin) return;
  aw_engine *e = aw_engine_new(NULL);
  compile_job jobs[4];
  pthread_t th[4];
  for (int t = 0; t < 4; t++) {
    jobs[t] = (compile_job){.e = e, .bin = bin, .len = n};
    CHECK(pthread_create(&th[t], NULL, compile_many, &jobs[t]) == 0);
  }
  for (int t = 0; t < 4; t++)
    pthread_join(th[t], NULL);
  const aw_module *first = jobs[0].mods[0];
  CHECK(first != NULL);
  for (int t = 0; t < 4; t++)
    for (int i = 0; i < 8; i++) {
      const aw_module *m = jobs[t].mods[i];
      CHECK(m != NULL);
      if (m && first)
        for (uint32_t k = 0; k < 3; k++)
          CHECK_EQ_INT(m->type_ids[k], first->type_ids[k]);
    }
  CHECK_EQ_INT(e->ntypes, 3);
  for (int t = 0; t < 4; t++)
    for (int i = 0; i < 8; i++)
      aw_module_free(jobs[t].mods[i]);
  aw_engine_free(e);
  free(bin);
}

TEST(rt_reference_values_cross_the_api) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  aw_error err;
  aw_module *m =
      load(e, "(module\n"
              " (table $t 2 externref)\n"
              " (func $id (export \"id\") (param externref)"
              "   (result externref) (local.get 0))\n"
              " (func (export \"me\") (result funcref) (ref.func $id))\n"
              " (func (export \"put\") (param externref)\n"
              "   (table.set $t (i32.const 1) (local.get 0)))\n"
              " (export \"t\" (table $t)))\n");
  CHECK(m != NULL);
  aw_instance *inst = m ? aw_instantiate(s, m, NULL, 0, &err) : NULL;
  CHECK(inst != NULL);
  if (inst) {
    int host_obj;
    aw_val a, r;
    memset(&a, 0, sizeof a);
    a.kind = AW_EXTERNREF;
    a.of.ref = &host_obj;
    CHECK_EQ_INT(aw_func_call(s, export_func(inst, "id"), &a, 1, &r, 1, &err),
                 AW_OK);
    CHECK(r.kind == AW_EXTERNREF && r.of.ref == &host_obj);
    CHECK_EQ_INT(aw_func_call(s, export_func(inst, "me"), NULL, 0, &r, 1, &err),
                 AW_OK);
    CHECK(r.kind == AW_FUNCREF && r.of.ref == export_func(inst, "id"));
    /* The funcref is a callable aw_func. */
    aw_val r2;
    CHECK_EQ_INT(aw_func_call(s, r.of.ref, &a, 1, &r2, 1, &err), AW_OK);
    CHECK(r2.of.ref == &host_obj);
    CHECK_EQ_INT(
        aw_func_call(s, export_func(inst, "put"), &a, 1, NULL, 0, &err), AW_OK);
    aw_extern t;
    CHECK(aw_instance_export(inst, "t", 1, &t) && t.kind == AW_EXTERN_TABLE);
    CHECK(t.of.table->elems[1] == &host_obj && t.of.table->elems[0] == NULL);
    CHECK(!aw_instance_export(inst, "nope", 4, &t));
    CHECK(aw_instance_module(inst) == m);
    /* A funcref argument from another store is refused. */
    aw_module *fm = load(e, "(module (func (export \"f\") (param funcref)))");
    aw_store *s2 = aw_store_new(e);
    aw_functype t0 = {0, 0, NULL, NULL};
    aw_func *other = aw_func_new(s2, &t0, host_trap, NULL, NULL);
    aw_instance *fi = fm ? aw_instantiate(s, fm, NULL, 0, &err) : NULL;
    CHECK(fi != NULL);
    if (fi) {
      aw_val fa;
      memset(&fa, 0, sizeof fa);
      fa.kind = AW_FUNCREF;
      fa.of.ref = other;
      CHECK_EQ_INT(aw_func_call(s, export_func(fi, "f"), &fa, 1, NULL, 0, &err),
                   AW_ERR_ARGUMENT);
      fa.of.ref = export_func(inst, "id");
      CHECK_EQ_INT(aw_func_call(s, export_func(fi, "f"), &fa, 1, NULL, 0, &err),
                   AW_OK);
    }
    aw_store_free(s2);
    aw_store_free(s);
    s = NULL;
    aw_module_free(fm);
  }
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}

TEST(rt_table_grow_from_wasm_under_cap) {
  aw_engine *e = aw_engine_new(NULL);
  aw_store *s = aw_store_new(e);
  s->table_cap = 5;
  aw_error err;
  aw_module *m =
      load(e, "(module (table $t 2 funcref)\n"
              " (func $f (export \"grow\") (param i32) (result i32)\n"
              "   (table.grow $t (ref.func $f) (local.get 0)))\n"
              " (func (export \"isnull\") (param i32) (result i32)\n"
              "   (ref.is_null (table.get $t (local.get 0)))))\n");
  aw_module *big = load(e, "(module (table 6 funcref))");
  CHECK(m && big);
  aw_instance *inst = m ? aw_instantiate(s, m, NULL, 0, &err) : NULL;
  CHECK(inst != NULL);
  if (inst) {
    aw_errkind k;
    CHECK_EQ_INT(call_i32(s, inst, "grow", 1, 2, &k), 2);
    CHECK_EQ_INT(call_i32(s, inst, "isnull", 1, 1, &k), 1);
    CHECK_EQ_INT(call_i32(s, inst, "isnull", 1, 3, &k), 0);
    CHECK_EQ_INT(call_i32(s, inst, "grow", 1, 2, &k), -1); /* 6 > cap 5 */
    CHECK_EQ_INT(call_i32(s, inst, "grow", 1, 1, &k), 4);
    CHECK_EQ_INT(call_i32(s, inst, "grow", 1, -1, &k), -1);
    CHECK_EQ_INT(k, AW_OK);
  }
  if (big) {
    CHECK(aw_instantiate(s, big, NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  }
  aw_store_free(s);
  aw_module_free(m);
  aw_module_free(big);
  aw_engine_free(e);
}
