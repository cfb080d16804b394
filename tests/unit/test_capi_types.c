/* test_capi_types.c - the standard C API (<wasm.h>) without execution:
   vectors (sizes, overflow, ownership), value/function/global/table/memory/
   extern/import/export types, configuration, engine and store, traps and
   frames.  Execution is in test_capi_runtime.c. */
#include "airssys/capi.h"
#include "runtime.h"
#include "test.h"
#include <stdlib.h>
#include <wasm.h>

TEST(capi_byte_vec) {
  wasm_byte_vec_t v;
  wasm_byte_vec_new_empty(&v);
  CHECK(v.size == 0 && v.data == NULL);
  wasm_byte_vec_new_uninitialized(&v, 10);
  CHECK(v.size == 10 && v.data != NULL);
  for (size_t i = 0; i < v.size; i++)
    CHECK(v.data[i] == 0);
  wasm_byte_vec_delete(&v);
  CHECK(v.size == 0 && v.data == NULL);
  wasm_byte_vec_delete(&v); /* twice: harmless */
  /* A size no allocator can give: the empty vector, not a crash. */
  wasm_byte_vec_new_uninitialized(&v, SIZE_MAX);
  CHECK(v.size == 0 && v.data == NULL);
  wasm_byte_vec_new(&v, 3, "abc");
  CHECK(v.size == 3 && memcmp(v.data, "abc", 3) == 0);
  wasm_byte_vec_t c;
  wasm_byte_vec_copy(&c, &v);
  CHECK(c.size == 3 && c.data != v.data && memcmp(c.data, "abc", 3) == 0);
  wasm_byte_vec_delete(&v);
  wasm_byte_vec_delete(&c);
  wasm_byte_vec_new(&v, 5, NULL); /* no source: empty */
  CHECK(v.size == 0);
  wasm_name_t n;
  wasm_name_new_from_string(&n, "hi");
  CHECK(n.size == 2);
  wasm_name_delete(&n);
  wasm_name_new_from_string_nt(&n, "hi");
  CHECK(n.size == 3 && n.data[2] == '\0');
  wasm_name_t n2;
  wasm_name_copy(&n2, &n);
  CHECK(n2.size == 3);
  wasm_name_delete(&n2);
  wasm_name_delete(&n);
  wasm_name_new_empty(&n);
  CHECK(n.size == 0);
  wasm_name_new_new_uninitialized(&n, 4);
  CHECK(n.size == 4);
  wasm_name_delete(&n);
}

TEST(capi_ptr_vec_overflow) {
  /* size * sizeof(pointer) overflows: refused, nothing allocated. */
  wasm_valtype_vec_t v;
  wasm_valtype_vec_new_uninitialized(&v, SIZE_MAX / 4);
  CHECK(v.size == 0 && v.data == NULL);
  wasm_extern_vec_t e;
  wasm_extern_vec_new_uninitialized(&e, (SIZE_MAX / sizeof(void *)) + 2);
  CHECK(e.size == 0 && e.data == NULL);
  wasm_val_vec_t vals;
  wasm_val_vec_new_uninitialized(&vals, SIZE_MAX / 8);
  CHECK(vals.size == 0 && vals.data == NULL);
  /* Uninitialized pointer vectors hold NULLs, deletable as they are. */
  wasm_functype_vec_t f;
  wasm_functype_vec_new_uninitialized(&f, 3);
  CHECK(f.size == 3 && f.data[0] == NULL && f.data[2] == NULL);
  wasm_functype_vec_t fc;
  wasm_functype_vec_copy(&fc, &f);
  CHECK(fc.size == 3 && fc.data[1] == NULL);
  wasm_functype_vec_delete(&fc);
  wasm_functype_vec_delete(&f);
}

TEST(capi_valtypes) {
  static const wasm_valkind_t kinds[] = {
      WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_EXTERNREF, WASM_FUNCREF};
  for (size_t i = 0; i < sizeof kinds; i++) {
    wasm_valtype_t *t = wasm_valtype_new(kinds[i]);
    CHECK(t && wasm_valtype_kind(t) == kinds[i]);
    wasm_valtype_t *c = wasm_valtype_copy(t);
    CHECK(c && wasm_valtype_kind(c) == kinds[i]);
    CHECK(wasm_valtype_is_num(t) == (kinds[i] < WASM_EXTERNREF));
    CHECK(wasm_valtype_is_ref(t) == (kinds[i] >= WASM_EXTERNREF));
    wasm_valtype_delete(t);
    wasm_valtype_delete(c);
  }
  CHECK(wasm_valtype_new(42) == NULL);
  CHECK(wasm_valtype_new(255) == NULL);
  CHECK(wasm_valtype_copy(NULL) == NULL);
  CHECK(wasm_valtype_kind(wasm_valtype_new(AW_WASM_V128)) == AW_WASM_V128);
  CHECK(wasm_valkind_is_num(WASM_F64) && wasm_valkind_is_ref(WASM_FUNCREF));
  wasm_valtype_t *s[] = {
      wasm_valtype_new_i32(),       wasm_valtype_new_i64(),
      wasm_valtype_new_f32(),       wasm_valtype_new_f64(),
      wasm_valtype_new_externref(), wasm_valtype_new_funcref()};
  for (size_t i = 0; i < 6; i++)
    CHECK(wasm_valtype_kind(s[i]) == kinds[i]);
  wasm_valtype_vec_t v, c;
  wasm_valtype_vec_new(&v, 6, s);
  CHECK(v.size == 6 && wasm_valtype_kind(v.data[5]) == WASM_FUNCREF);
  wasm_valtype_vec_copy(&c, &v);
  CHECK(c.size == 6 && wasm_valtype_kind(c.data[4]) == WASM_EXTERNREF);
  wasm_valtype_vec_delete(&v);
  wasm_valtype_vec_delete(&c);
  wasm_valtype_vec_new_empty(&v);
  CHECK(v.size == 0);
}

TEST(capi_functypes) {
  wasm_functype_t *t = wasm_functype_new_2_1(
      wasm_valtype_new_i32(), wasm_valtype_new_f64(), wasm_valtype_new_i64());
  CHECK(t != NULL);
  const wasm_valtype_vec_t *p = wasm_functype_params(t),
                           *r = wasm_functype_results(t);
  CHECK(p->size == 2 && wasm_valtype_kind(p->data[1]) == WASM_F64);
  CHECK(r->size == 1 && wasm_valtype_kind(r->data[0]) == WASM_I64);
  wasm_functype_t *c = wasm_functype_copy(t);
  CHECK(c && wasm_functype_params(c)->size == 2);
  wasm_externtype_t *e = wasm_functype_as_externtype(c);
  CHECK(wasm_externtype_kind(e) == WASM_EXTERN_FUNC);
  CHECK(wasm_externtype_as_functype(e) == c);
  CHECK(wasm_externtype_as_globaltype(e) == NULL);
  CHECK(wasm_externtype_as_functype_const(e) == c);
  CHECK(wasm_functype_as_externtype_const(c) == e);
  wasm_externtype_t *ec = wasm_externtype_copy(e);
  CHECK(ec && ec != e && wasm_externtype_kind(ec) == WASM_EXTERN_FUNC);
  wasm_externtype_delete(ec);
  wasm_functype_delete(c);
  wasm_functype_delete(t);
  /* Every short-hand. */
  wasm_functype_t *all[] = {
      wasm_functype_new_0_0(),
      wasm_functype_new_1_0(wasm_valtype_new_i32()),
      wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i32()),
      wasm_functype_new_3_0(wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32()),
      wasm_functype_new_0_1(wasm_valtype_new_i32()),
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()),
      wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32()),
      wasm_functype_new_3_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32(), wasm_valtype_new_i32()),
      wasm_functype_new_0_2(wasm_valtype_new_i32(), wasm_valtype_new_i32()),
      wasm_functype_new_1_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32()),
      wasm_functype_new_2_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32(), wasm_valtype_new_i32()),
      wasm_functype_new_3_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                            wasm_valtype_new_i32()),
  };
  for (size_t i = 0; i < 12; i++) {
    CHECK(all[i] != NULL);
    CHECK_EQ_INT(wasm_functype_params(all[i])->size, i % 4);
    CHECK_EQ_INT(wasm_functype_results(all[i])->size, i / 4);
  }
  wasm_functype_vec_t fv, fc;
  wasm_functype_vec_new(&fv, 12, all);
  wasm_functype_vec_copy(&fc, &fv);
  CHECK(fc.size == 12 && wasm_functype_results(fc.data[11])->size == 2);
  wasm_functype_vec_delete(&fc);
  wasm_functype_vec_delete(&fv);
  wasm_functype_vec_new_empty(&fv);
  CHECK(fv.size == 0 && fv.data == NULL);
  /* A vector with a hole is refused, and the vectors are consumed. */
  wasm_valtype_vec_t bad, ok;
  wasm_valtype_vec_new_uninitialized(&bad, 2);
  bad.data[0] = wasm_valtype_new_i32();
  wasm_valtype_vec_new_empty(&ok);
  CHECK(wasm_functype_new(&bad, &ok) == NULL);
  CHECK(bad.size == 0 && bad.data == NULL);
  CHECK(wasm_functype_new(NULL, NULL) == NULL);
  /* Many parameters. */
  wasm_valtype_vec_t many, none;
  wasm_valtype_vec_new_uninitialized(&many, 20000);
  for (size_t i = 0; i < many.size; i++)
    many.data[i] = wasm_valtype_new_f32();
  wasm_valtype_vec_new_empty(&none);
  t = wasm_functype_new(&many, &none);
  CHECK(t && wasm_functype_params(t)->size == 20000);
  wasm_functype_delete(t);
  wasm_functype_delete(NULL);
  CHECK(wasm_functype_copy(NULL) == NULL);
}

TEST(capi_global_table_memory_types) {
  wasm_globaltype_t *g = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_VAR);
  CHECK(g && wasm_valtype_kind(wasm_globaltype_content(g)) == WASM_F32);
  CHECK(wasm_globaltype_mutability(g) == WASM_VAR);
  CHECK(wasm_globaltype_new(wasm_valtype_new_f32(), 7) == NULL);
  CHECK(wasm_globaltype_new(NULL, WASM_CONST) == NULL);
  wasm_globaltype_t *gc = wasm_globaltype_copy(g);
  CHECK(gc && wasm_globaltype_mutability(gc) == WASM_VAR);
  wasm_externtype_t *ge = wasm_globaltype_as_externtype(gc);
  CHECK(wasm_externtype_kind(ge) == WASM_EXTERN_GLOBAL);
  CHECK(wasm_externtype_as_globaltype(ge) == gc);
  CHECK(wasm_externtype_as_globaltype_const(ge) == gc);
  CHECK(wasm_globaltype_as_externtype_const(gc) == ge);
  CHECK(wasm_externtype_as_tabletype(ge) == NULL);
  wasm_externtype_t *gec = wasm_externtype_copy(ge);
  CHECK(wasm_externtype_kind(gec) == WASM_EXTERN_GLOBAL);
  wasm_externtype_delete(gec);
  wasm_externtype_delete(ge);
  wasm_globaltype_delete(g);

  wasm_limits_t lim = {1, 10};
  wasm_tabletype_t *t = wasm_tabletype_new(wasm_valtype_new_funcref(), &lim);
  CHECK(t && wasm_valtype_kind(wasm_tabletype_element(t)) == WASM_FUNCREF);
  CHECK(wasm_tabletype_limits(t)->min == 1 &&
        wasm_tabletype_limits(t)->max == 10);
  CHECK(wasm_tabletype_new(wasm_valtype_new_i32(), &lim) ==
        NULL); /* not a ref */
  CHECK(wasm_tabletype_new(wasm_valtype_new_funcref(), NULL) == NULL);
  wasm_tabletype_t *tc = wasm_tabletype_copy(t);
  wasm_externtype_t *te = wasm_tabletype_as_externtype(tc);
  CHECK(wasm_externtype_kind(te) == WASM_EXTERN_TABLE);
  CHECK(wasm_externtype_as_tabletype(te) == tc);
  CHECK(wasm_externtype_as_tabletype_const(te) == tc);
  CHECK(wasm_tabletype_as_externtype_const(tc) == te);
  CHECK(wasm_externtype_as_memorytype(te) == NULL);
  wasm_externtype_t *tec = wasm_externtype_copy(te);
  CHECK(wasm_externtype_kind(tec) == WASM_EXTERN_TABLE);
  wasm_externtype_delete(tec);
  wasm_externtype_delete(te);
  wasm_tabletype_delete(t);

  wasm_limits_t ml = {2, wasm_limits_max_default};
  wasm_memorytype_t *m = wasm_memorytype_new(&ml);
  CHECK(m && wasm_memorytype_limits(m)->min == 2);
  CHECK(wasm_memorytype_limits(m)->max == wasm_limits_max_default);
  CHECK(wasm_memorytype_new(NULL) == NULL);
  wasm_memorytype_t *mc = wasm_memorytype_copy(m);
  wasm_externtype_t *me = wasm_memorytype_as_externtype(mc);
  CHECK(wasm_externtype_kind(me) == WASM_EXTERN_MEMORY);
  CHECK(wasm_externtype_as_memorytype(me) == mc);
  CHECK(wasm_externtype_as_memorytype_const(me) == mc);
  CHECK(wasm_memorytype_as_externtype_const(mc) == me);
  CHECK(wasm_externtype_as_functype(me) == NULL);
  CHECK(wasm_externtype_as_functype_const(me) == NULL);
  wasm_externtype_t *mec = wasm_externtype_copy(me);
  CHECK(wasm_externtype_kind(mec) == WASM_EXTERN_MEMORY);
  wasm_externtype_delete(mec);
  wasm_externtype_delete(me);
  wasm_memorytype_delete(m);

  /* Vectors of each, copied deeply. */
  wasm_globaltype_t *gs[] = {
      wasm_globaltype_new(wasm_valtype_new_i64(), WASM_CONST)};
  wasm_globaltype_vec_t gv, gvc;
  wasm_globaltype_vec_new(&gv, 1, gs);
  wasm_globaltype_vec_copy(&gvc, &gv);
  CHECK(gvc.size == 1 && gvc.data[0] != gv.data[0]);
  wasm_globaltype_vec_delete(&gv);
  wasm_globaltype_vec_delete(&gvc);
  wasm_globaltype_vec_new_empty(&gv);
  wasm_globaltype_vec_new_uninitialized(&gv, 1);
  wasm_globaltype_vec_delete(&gv);
  wasm_tabletype_t *ts[] = {
      wasm_tabletype_new(wasm_valtype_new_externref(), &lim)};
  wasm_tabletype_vec_t tv, tvc;
  wasm_tabletype_vec_new(&tv, 1, ts);
  wasm_tabletype_vec_copy(&tvc, &tv);
  CHECK(tvc.size == 1 && wasm_tabletype_limits(tvc.data[0])->max == 10);
  wasm_tabletype_vec_delete(&tv);
  wasm_tabletype_vec_delete(&tvc);
  wasm_tabletype_vec_new_empty(&tv);
  wasm_tabletype_vec_new_uninitialized(&tv, 2);
  wasm_tabletype_vec_delete(&tv);
  wasm_memorytype_t *ms[] = {wasm_memorytype_new(&ml)};
  wasm_memorytype_vec_t mv, mvc;
  wasm_memorytype_vec_new(&mv, 1, ms);
  wasm_memorytype_vec_copy(&mvc, &mv);
  CHECK(mvc.size == 1 && wasm_memorytype_limits(mvc.data[0])->min == 2);
  wasm_memorytype_vec_delete(&mv);
  wasm_memorytype_vec_delete(&mvc);
  wasm_memorytype_vec_new_empty(&mv);
  wasm_memorytype_vec_new_uninitialized(&mv, 2);
  wasm_memorytype_vec_delete(&mv);
  wasm_externtype_t *es[] = {
      wasm_memorytype_as_externtype(wasm_memorytype_new(&ml))};
  wasm_externtype_vec_t ev, evc;
  wasm_externtype_vec_new(&ev, 1, es);
  wasm_externtype_vec_copy(&evc, &ev);
  CHECK(evc.size == 1 &&
        wasm_externtype_kind(evc.data[0]) == WASM_EXTERN_MEMORY);
  wasm_externtype_vec_delete(&ev);
  wasm_externtype_vec_delete(&evc);
  wasm_externtype_vec_new_empty(&ev);
  wasm_externtype_vec_new_uninitialized(&ev, 2);
  wasm_externtype_vec_delete(&ev);
  wasm_externtype_delete(NULL);
  CHECK(wasm_externtype_copy(NULL) == NULL);
}

TEST(capi_import_export_types) {
  wasm_name_t mod, name;
  wasm_name_new_from_string(&mod, "env");
  wasm_name_new_from_string(&name, "f");
  wasm_importtype_t *it = wasm_importtype_new(
      &mod, &name, wasm_functype_as_externtype(wasm_functype_new_0_0()));
  CHECK(it != NULL);
  CHECK(mod.size == 0 && name.size == 0); /* taken over */
  CHECK(wasm_importtype_module(it)->size == 3);
  CHECK(memcmp(wasm_importtype_name(it)->data, "f", 1) == 0);
  CHECK(wasm_externtype_kind(wasm_importtype_type(it)) == WASM_EXTERN_FUNC);
  wasm_importtype_t *ic = wasm_importtype_copy(it);
  CHECK(ic &&
        wasm_importtype_module(ic)->data != wasm_importtype_module(it)->data);
  wasm_importtype_t *is[] = {it, ic};
  wasm_importtype_vec_t iv, ivc;
  wasm_importtype_vec_new(&iv, 2, is);
  wasm_importtype_vec_copy(&ivc, &iv);
  CHECK(ivc.size == 2 && wasm_importtype_name(ivc.data[1])->size == 1);
  wasm_importtype_vec_delete(&ivc);
  wasm_importtype_vec_delete(&iv);
  wasm_importtype_vec_new_empty(&iv);
  wasm_importtype_vec_new_uninitialized(&iv, 1);
  wasm_importtype_vec_delete(&iv);
  CHECK(wasm_importtype_new(NULL, NULL, NULL) == NULL);
  wasm_importtype_delete(NULL);

  wasm_name_new_from_string(&name, "mem");
  wasm_limits_t l = {0, 1};
  wasm_exporttype_t *et = wasm_exporttype_new(
      &name, wasm_memorytype_as_externtype(wasm_memorytype_new(&l)));
  CHECK(et && wasm_exporttype_name(et)->size == 3 && name.size == 0);
  CHECK(wasm_externtype_kind(wasm_exporttype_type(et)) == WASM_EXTERN_MEMORY);
  wasm_exporttype_t *ec = wasm_exporttype_copy(et);
  CHECK(ec && wasm_exporttype_name(ec)->size == 3);
  wasm_exporttype_t *es[] = {et, ec};
  wasm_exporttype_vec_t ev, evc;
  wasm_exporttype_vec_new(&ev, 2, es);
  wasm_exporttype_vec_copy(&evc, &ev);
  CHECK(evc.size == 2);
  wasm_exporttype_vec_delete(&evc);
  wasm_exporttype_vec_delete(&ev);
  wasm_exporttype_vec_new_empty(&ev);
  wasm_exporttype_vec_new_uninitialized(&ev, 1);
  wasm_exporttype_vec_delete(&ev);
  CHECK(wasm_exporttype_new(NULL, NULL) == NULL);
  CHECK(wasm_exporttype_copy(NULL) == NULL);
  wasm_exporttype_delete(NULL);
}

TEST(capi_config_engine_store) {
  wasm_config_t *c = wasm_config_new();
  CHECK(c != NULL);
  aw_engine_config *ac = aw_wasm_config(c);
  CHECK(ac && ac->consume_fuel); /* the engine's defaults */
  ac->consume_fuel = false;
  wasm_engine_t *e = wasm_engine_new_with_config(c); /* consumes c */
  CHECK(e != NULL);
  CHECK(aw_wasm_engine(e) && !aw_wasm_engine(e)->cfg.consume_fuel);
  wasm_store_t *s = wasm_store_new(e);
  CHECK(s && aw_wasm_store(s) != NULL);
  wasm_store_delete(s);
  wasm_store_delete(NULL);
  CHECK(wasm_store_new(NULL) == NULL);
  wasm_engine_delete(e);
  wasm_engine_delete(NULL);
  e = wasm_engine_new();
  CHECK(e && aw_wasm_engine(e)->cfg.consume_fuel);
  wasm_engine_delete(e);
  wasm_config_delete(wasm_config_new());
  wasm_config_delete(NULL);
  CHECK(aw_wasm_config(NULL) == NULL && aw_wasm_engine(NULL) == NULL &&
        aw_wasm_store(NULL) == NULL);
}

static int fin_count;
static void count_fin(void *p) {
  fin_count += (int)(intptr_t)p;
}

TEST(capi_traps_and_frames) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  wasm_message_t msg, out;
  wasm_name_new_from_string_nt(&msg, "boom");
  wasm_trap_t *t = wasm_trap_new(s, &msg);
  wasm_trap_message(t, &out);
  CHECK(out.size == 5 && strcmp(out.data, "boom") == 0);
  wasm_byte_vec_delete(&out);
  wasm_byte_vec_delete(&msg);
  /* Without the NUL: one is added, never read past the vector. */
  wasm_name_new_from_string(&msg, "bang");
  wasm_trap_t *t2 = wasm_trap_new(s, &msg);
  wasm_byte_vec_delete(&msg);
  wasm_trap_message(t2, &out);
  CHECK(out.size == 5 && strcmp(out.data, "bang") == 0);
  wasm_byte_vec_delete(&out);
  wasm_trap_t *t3 = wasm_trap_new(s, NULL);
  wasm_trap_message(t3, &out);
  CHECK(out.size == 1 && out.data[0] == '\0');
  wasm_byte_vec_delete(&out);
  aw_error err;
  CHECK(aw_wasm_trap_error(t2, &err));
  CHECK(err.kind == AW_ERR_TRAP && err.trap == AW_TRAP_HOST);
  CHECK_STR(err.message, "bang");
  CHECK(!aw_wasm_trap_error(NULL, &err) && err.kind == AW_OK);
  /* Counted: a copy is the same trap, freed with the last reference, and
     its finalizer runs once then. */
  fin_count = 0;
  wasm_trap_set_host_info_with_finalizer(t2, (void *)(intptr_t)1, count_fin);
  wasm_trap_t *c = wasm_trap_copy(t2);
  CHECK(wasm_trap_same(c, t2) && !wasm_trap_same(t, t2));
  CHECK(wasm_trap_get_host_info(c) == (void *)(intptr_t)1);
  wasm_trap_delete(t2);
  CHECK(fin_count == 0);
  wasm_trap_delete(c);
  CHECK(fin_count == 1);
  /* The engine records no frames: origin NULL, empty trace. */
  CHECK(wasm_trap_origin(t) == NULL);
  wasm_frame_vec_t tr;
  wasm_trap_trace(t, &tr);
  CHECK(tr.size == 0 && tr.data == NULL);
  wasm_frame_vec_delete(&tr);
  /* As a reference. */
  wasm_ref_t *r = wasm_trap_as_ref(t);
  CHECK(wasm_ref_as_trap(r) == t && wasm_ref_as_trap_const(r) == t);
  CHECK(wasm_trap_as_ref_const(t) == r);
  CHECK(wasm_ref_as_func(r) == NULL && wasm_ref_as_module(r) == NULL);
  wasm_trap_set_host_info(t, &fin_count);
  CHECK(wasm_ref_get_host_info(r) == &fin_count);
  wasm_ref_t *rc = wasm_ref_copy(r);
  CHECK(wasm_ref_same(rc, r));
  wasm_ref_delete(rc);
  wasm_trap_delete(t);
  wasm_trap_delete(t3);
  wasm_trap_delete(NULL);
  /* Frames: accessors and vectors are safe on what can be made. */
  CHECK(wasm_frame_copy(NULL) == NULL);
  CHECK(wasm_frame_instance(NULL) == NULL && wasm_frame_func_index(NULL) == 0 &&
        wasm_frame_func_offset(NULL) == 0 &&
        wasm_frame_module_offset(NULL) == 0);
  wasm_frame_delete(NULL);
  wasm_frame_vec_t fv, fc;
  wasm_frame_vec_new_uninitialized(&fv, 2);
  CHECK(fv.size == 2 && fv.data[0] == NULL);
  wasm_frame_vec_copy(&fc, &fv);
  CHECK(fc.size == 2);
  wasm_frame_vec_delete(&fc);
  wasm_frame_vec_delete(&fv);
  wasm_frame_vec_new(&fv, 0, NULL);
  wasm_frame_vec_new_empty(&fv);
  CHECK(fv.size == 0);
  wasm_store_delete(s);
  wasm_engine_delete(e);
}

TEST(capi_foreign_host_info) {
  wasm_engine_t *e = wasm_engine_new();
  wasm_store_t *s = wasm_store_new(e);
  fin_count = 0;
  wasm_foreign_t *f = wasm_foreign_new(s);
  wasm_foreign_t *g = wasm_foreign_new(s);
  CHECK(f && g && !wasm_foreign_same(f, g));
  CHECK(wasm_foreign_copy(f) == f &&
        wasm_foreign_same(wasm_foreign_copy(f), f));
  wasm_foreign_set_host_info_with_finalizer(f, (void *)(intptr_t)10, count_fin);
  /* Replacing host info releases the old one as it would have been. */
  wasm_foreign_set_host_info_with_finalizer(f, (void *)(intptr_t)100,
                                            count_fin);
  CHECK(fin_count == 10);
  CHECK(wasm_foreign_get_host_info(f) == (void *)(intptr_t)100);
  wasm_foreign_set_host_info(g, (void *)(intptr_t)5);
  CHECK(wasm_foreign_get_host_info(g) == (void *)(intptr_t)5);
  wasm_ref_t *r = wasm_foreign_as_ref(f);
  CHECK(wasm_ref_as_foreign(r) == f && wasm_ref_as_foreign_const(r) == f);
  CHECK(wasm_foreign_as_ref_const(f) == r);
  CHECK(wasm_ref_as_trap(r) == NULL && wasm_ref_as_extern(r) == NULL);
  wasm_ref_set_host_info_with_finalizer(wasm_foreign_as_ref(g),
                                        (void *)(intptr_t)1000, count_fin);
  wasm_ref_set_host_info(NULL, NULL); /* ignored */
  CHECK(wasm_ref_get_host_info(NULL) == NULL);
  wasm_foreign_delete(f); /* a reference only: finalizers wait for the store */
  wasm_ref_delete(r);
  CHECK(fin_count == 10);
  wasm_store_delete(s);
  CHECK(fin_count == 1110);
  wasm_engine_delete(e);
}

TEST(capi_vals) {
  wasm_val_t a = WASM_I32_VAL(7), b = WASM_I64_VAL(-1), c = WASM_F32_VAL(1.5f),
             d = WASM_F64_VAL(2.25), n = WASM_INIT_VAL, out;
  wasm_val_copy(&out, &a);
  CHECK(out.kind == WASM_I32 && out.of.i32 == 7);
  wasm_val_copy(&out, &b);
  CHECK(out.kind == WASM_I64 && out.of.i64 == -1);
  wasm_val_copy(&out, &c);
  CHECK(out.kind == WASM_F32 && out.of.f32 == 1.5f);
  wasm_val_copy(&out, &d);
  CHECK(out.kind == WASM_F64 && out.of.f64 == 2.25);
  wasm_val_copy(&out, &n);
  CHECK(out.kind == WASM_EXTERNREF && out.of.ref == NULL);
  wasm_val_delete(&out);
  wasm_val_t p;
  wasm_val_init_ptr(&p, &out);
  CHECK(wasm_val_ptr(&p) == &out);
  /* A value holding a counted reference: copy counts, delete releases. */
  wasm_message_t m;
  wasm_name_new_from_string_nt(&m, "x");
  wasm_trap_t *t = wasm_trap_new(NULL, &m);
  wasm_byte_vec_delete(&m);
  fin_count = 0;
  wasm_trap_set_host_info_with_finalizer(t, (void *)(intptr_t)1, count_fin);
  wasm_val_t r = WASM_REF_VAL(wasm_trap_as_ref(t));
  wasm_val_t vals[2];
  wasm_val_copy(&vals[0], &r);
  wasm_val_copy(&vals[1], &a);
  wasm_val_vec_t vv, vc;
  wasm_val_vec_new(&vv, 2, vals); /* takes over vals[0]'s reference */
  wasm_val_vec_copy(&vc, &vv);
  CHECK(vc.size == 2 && vc.data[0].of.ref == r.of.ref &&
        vc.data[1].of.i32 == 7);
  wasm_val_vec_delete(&vv);
  wasm_val_vec_delete(&vc);
  CHECK(fin_count == 0);
  wasm_trap_delete(t);
  CHECK(fin_count == 1);
  wasm_val_vec_new_empty(&vv);
  wasm_val_vec_new_uninitialized(&vv, 3);
  CHECK(vv.size == 3 && vv.data[2].kind == WASM_I32);
  wasm_val_vec_delete(&vv);
}
