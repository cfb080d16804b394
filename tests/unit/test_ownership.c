/*
 * test_ownership.c - documented ownership rules of the embedding API:
 * one aw_wasi serves one execution at a time (a second thread's WASI
 * call or define while the first is inside a call is refused, sequential
 * reuse works), and the linker's name+length form (aw_linker_define_n)
 * copies its names and matches names with any byte, NUL included.
 */
#include "airssys/executor.h"
#include "airssys/wasi.h"
#include "test.h"
#include "test_exec_util.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct inst_ctx {
  aw_store *s;
  aw_instance *inst;
  aw_func *sleep;
} inst_ctx;

/* A store with w defined in it and tx_wasi_wat instantiated. */
static bool make(aw_engine *e, const aw_module *m, aw_wasi *w, inst_ctx *c) {
  aw_error err;
  c->s = aw_store_new(e);
  aw_linker *l = aw_linker_new(c->s);
  bool ok = aw_wasi_define(w, l, c->s, &err);
  c->inst = ok ? aw_linker_instantiate(l, m, &err) : NULL;
  aw_linker_free(l);
  aw_extern ext;
  if (!c->inst || !aw_instance_export(c->inst, "sleep", 5, &ext)) return false;
  c->sleep = ext.of.func;
  return true;
}

static aw_errkind call_sleep(inst_ctx *c, int64_t ns, aw_error *err) {
  aw_val a = {.kind = AW_I64, .of.i64 = ns}, r;
  return aw_func_call(c->s, c->sleep, &a, 1, &r, 1, err);
}

typedef struct thread_arg {
  aw_engine *e;
  const aw_module *m;
  aw_wasi *w;
  inst_ctx c;
  bool made;
  aw_errkind k;
  aw_error err;
} thread_arg;

static void *long_sleep(void *p) {
  thread_arg *t = p;
  t->made = make(t->e, t->m, t->w, &t->c);
  if (t->made) t->k = call_sleep(&t->c, 400 * 1000000LL, &t->err);
  return NULL;
}

TEST(wasi_one_execution_at_a_time) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, tx_wasi_wat);
  aw_wasi *w = tx_wasi_new();
  CHECK(m && w);
  if (!m || !w) goto done;
  inst_ctx b = {0};
  CHECK(make(e, m, w, &b));
  aw_error err;
  CHECK_EQ_INT(call_sleep(&b, 0, &err), AW_OK);

  /* Thread A sits in poll_oneoff for 400 ms with the same state. */
  thread_arg a = {.e = e, .m = m, .w = w};
  pthread_t th;
  CHECK(pthread_create(&th, NULL, long_sleep, &a) == 0);
  struct timespec ts = {0, 150 * 1000000L};
  nanosleep(&ts, NULL);
  /* Meanwhile: B's WASI call is refused, with a trap naming the rule. */
  CHECK_EQ_INT(call_sleep(&b, 0, &err), AW_ERR_TRAP);
  CHECK_EQ_INT(err.trap, AW_TRAP_HOST);
  CHECK_STR(err.message, "WASI state shared by two executions at once (one "
                         "aw_wasi serves one execution at a time)");
  /* ... and so is defining it in a third store. */
  aw_store *s3 = aw_store_new(e);
  aw_linker *l3 = aw_linker_new(s3);
  CHECK(!aw_wasi_define(w, l3, s3, &err));
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  CHECK(strstr(err.message, "one aw_wasi serves one execution") != NULL);
  pthread_join(th, NULL);
  CHECK(a.made);
  CHECK_EQ_INT(a.k, AW_OK);

  /* One after the other: both fine again. */
  CHECK_EQ_INT(call_sleep(&b, 0, &err), AW_OK);
  CHECK(aw_wasi_define(w, l3, s3, &err));
  CHECK(!aw_wasi_define(NULL, l3, s3, &err));
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  aw_linker_free(l3);
  aw_store_free(s3);
  aw_store_free(a.c.s);
  aw_store_free(b.s);
done:
  aw_wasi_free(w);
  aw_module_free(m);
  aw_engine_free(e);
}

/* A guest importing "env" "a\0b" and "env" "abc"; get returns a+b. */
static const char *const nul_wat =
    "(module (import \"env\" \"a\\00b\" (global $x i32))"
    " (import \"env\" \"abc\" (global $y i32))"
    " (func (export \"get\") (result i32)"
    "   (i32.add (global.get $x) (global.get $y))))";

TEST(linker_define_n_names) {
  aw_engine *e = aw_engine_new(NULL);
  aw_module *m = tx_load(e, nul_wat);
  aw_store *s = aw_store_new(e);
  CHECK(m != NULL);
  if (!m) goto done;
  aw_error err;
  aw_global *g1 =
      aw_global_new(s, (aw_val){.kind = AW_I32, .of.i32 = 40}, false, &err);
  aw_global *g2 =
      aw_global_new(s, (aw_val){.kind = AW_I32, .of.i32 = 2}, false, &err);
  aw_extern x1 = {.kind = AW_EXTERN_GLOBAL, .of.global = g1};
  aw_extern x2 = {.kind = AW_EXTERN_GLOBAL, .of.global = g2};
  aw_linker *l = aw_linker_new(s);
  /* The NUL-terminated form cannot name "a\0b": "a" is another name. */
  CHECK(aw_linker_define(l, "env", "a\0b", x1));
  CHECK(aw_linker_define(l, "env", "abc", x2));
  CHECK(aw_linker_instantiate(l, m, &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_LINK);
  /* Names from a buffer the caller then overwrites: copied. */
  char buf[8];
  memcpy(buf, "envXa\0bY", 8);
  CHECK(aw_linker_define_n(l, buf, 3, buf + 4, 3, x1));
  memset(buf, 'Z', sizeof buf);
  aw_instance *inst = aw_linker_instantiate(l, m, &err);
  CHECK(inst != NULL);
  aw_extern f;
  if (inst && aw_instance_export(inst, "get", 3, &f)) {
    aw_val r;
    CHECK_EQ_INT(aw_func_call(s, f.of.func, NULL, 0, &r, 1, &err), AW_OK);
    CHECK_EQ_INT(r.of.i32, 42);
  }
  /* Bad arguments: refused, never read. */
  CHECK(!aw_linker_define_n(NULL, "env", 3, "x", 1, x1));
  CHECK(!aw_linker_define_n(l, NULL, 3, "x", 1, x1));
  CHECK(!aw_linker_define_n(l, "env", 3, NULL, 1, x1));
  CHECK(aw_linker_define_n(l, NULL, 0, NULL, 0, x1)); /* "" "" */
  aw_linker_free(l);
done:
  aw_store_free(s);
  aw_module_free(m);
  aw_engine_free(e);
}
