/*
 * collide.c - an application that defines, for its own use, names the
 * engine uses internally (tomlc99's toml_parse/toml_free, the runtime's
 * rt_store_own, the vm's vm_call, util's aw_fail).  Linked with
 * libairssys-wasm.a it must link (no duplicate symbol) and each side must
 * call its own function (tests/install/run.sh).
 */
#include <airssys/wasm.h>
#include <stdio.h>
#include <string.h>

int toml_parse(const char *s);
int toml_free(void);
int rt_store_own(void);
int vm_call(void);
int aw_fail(void);
int dec_module(void);

int toml_parse(const char *s) {
  return (int)strlen(s);
}
int toml_free(void) {
  return 11;
}
int rt_store_own(void) {
  return 12;
}
int vm_call(void) {
  return 13;
}
int aw_fail(void) {
  return 14;
}
int dec_module(void) {
  return 15;
}

int main(void) {
  /* The library's own decoder and validator must still run its code: a
     malformed module is reported as such, a good one compiles. */
  static const uint8_t good[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  static const uint8_t bad[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
  aw_engine *e = aw_engine_new(NULL);
  aw_error err;
  aw_module *m = aw_module_new(e, good, sizeof good, &err);
  aw_module *m2 = aw_module_new(e, bad, sizeof bad, &err);
  int ok = m && !m2 && err.kind == AW_ERR_MALFORMED && toml_parse("abc") == 3 &&
           toml_free() == 11 && rt_store_own() == 12 && vm_call() == 13 &&
           aw_fail() == 14 && dec_module() == 15;
  aw_module_free(m);
  aw_engine_free(e);
  printf("%s\n", ok ? "collide: ok" : "collide: FAILED");
  return ok ? 0 : 1;
}
