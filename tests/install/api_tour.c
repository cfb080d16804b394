/*
 * api_tour.c - the C API tour of README.md (kept identical to it by
 * scripts/test.sh): engine -> module -> store -> linker -> instance -> call.
 * The module imports env.double and exports run(x) = double(x) + 1.
 */
#include <airssys/wasm.h>
#include <stdio.h>

static const uint8_t wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0e, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06,
    0x64, 0x6f, 0x75, 0x62, 0x6c, 0x65, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x0a, 0x0b, 0x01,
    0x09, 0x00, 0x20, 0x00, 0x10, 0x00, 0x41, 0x01, 0x6a, 0x0b};

/* A host function: results[0] = 2 * args[0]. */
static aw_errkind host_double(void *env, aw_caller *caller, const aw_val *args,
                              aw_val *results, aw_error *err) {
  (void)env, (void)caller, (void)err;
  results[0] = (aw_val){.kind = AW_I32, .of.i32 = 2 * args[0].of.i32};
  return AW_OK;
}

int main(void) {
  aw_error err;
  aw_error_clear(&err);
  aw_engine *engine = aw_engine_new(NULL); /* NULL config: defaults */
  if (!engine) return 1;
  aw_module *module = aw_module_new(engine, wasm, sizeof wasm, &err);
  if (!module) {
    fprintf(stderr, "module: %s\n", err.message);
    return 1;
  }
  /* A store holds the instance; a linker resolves its import. */
  static const aw_valkind i32[] = {AW_I32};
  aw_functype type = {1, 1, i32, i32}; /* (i32) -> i32 */
  aw_store *store = aw_store_new(engine);
  aw_linker *linker = store ? aw_linker_new(store) : NULL;
  aw_func *dbl =
      linker ? aw_func_new(store, &type, host_double, NULL, NULL) : NULL;
  aw_extern ext = {.kind = AW_EXTERN_FUNC, .of.func = dbl}, run;
  aw_instance *inst = NULL;
  if (dbl && aw_linker_define(linker, "env", "double", ext))
    inst = aw_linker_instantiate(linker, module, &err);

  int status = 1;
  if (inst && aw_instance_export(inst, "run", 3, &run)) {
    aw_val arg = {.kind = AW_I32, .of.i32 = 20}, res;
    if (aw_func_call(store, run.of.func, &arg, 1, &res, 1, &err) == AW_OK) {
      printf("run(20) = %d\n", res.of.i32); /* prints 41 */
      status = res.of.i32 == 41 ? 0 : 1;
    }
  }
  if (status && err.kind != AW_OK)
    fprintf(stderr, "%s: %s\n", aw_errkind_name(err.kind), err.message);
  if (linker) aw_linker_free(linker);
  if (store) aw_store_free(store); /* frees the instance and host func */
  aw_module_free(module);
  aw_engine_free(engine);
  return status;
}
