/* test_manifest.c - the TOML subset parser and Component.toml validation. */
#include "airssys/manifest.h"
#include "manifest/toml.h"
#include "test.h"
#include <stdlib.h>

static aw_manifest *parse(const char *text, aw_error *err) {
  aw_error_clear(err);
  return aw_manifest_parse(text, strlen(text), "Component.toml", "/comp", err);
}

/* Parses text expecting failure; returns the message (static buffer). */
static const char *parse_err(const char *text) {
  static aw_error err;
  aw_manifest *m = parse(text, &err);
  if (m) {
    aw_manifest_free(m);
    return "(parsed)";
  }
  return err.message;
}

#define MINIMAL                                                                \
  "[component]\nname = \"c\"\nversion = \"1\"\nmodule = \"c.wasm\"\n"          \
  "[resources.memory]\nmax_bytes = 65536\n"

TEST(manifest_full) {
  const char *text = "# a component\n"
                     "[component]\n"
                     "name = \"heavy-component\"\n"
                     "version = \"0.1.0\"\n"
                     "module = \"heavy.wasm\"   # relative\n"
                     "\n"
                     "[resources.memory]\n"
                     "max_bytes = 4_194_304\n"
                     "\n"
                     "[resources.cpu]\n"
                     "max_fuel = 50000000\n"
                     "timeout_ms = 1000\n"
                     "[capabilities]\n"
                     "args = [\"--verbose\", 'x y',\n  \"\\u00e9\", ]\n"
                     "env = { LANG = \"C\", \"HOME\" = \"/home/g\" }\n"
                     "[[capabilities.dirs]]\n"
                     "host = \"data\"\n"
                     "guest = \"/data\"\n"
                     "mode = \"rw\"\n"
                     "[[capabilities.dirs]]\n"
                     "host = \"/etc/x\"\n"
                     "guest = \"/x\"\n";
  aw_error err;
  aw_manifest *m = parse(text, &err);
  CHECK(m != NULL);
  if (!m) {
    fprintf(stderr, "  %s\n", err.message);
    return;
  }
  CHECK_STR(m->name, "heavy-component");
  CHECK_STR(m->version, "0.1.0");
  CHECK_STR(m->module_path, "/comp/heavy.wasm");
  CHECK_EQ_INT(m->max_memory_bytes, 4194304);
  CHECK(m->has_max_fuel);
  CHECK_EQ_INT(m->max_fuel, 50000000);
  CHECK(m->has_timeout_ms);
  CHECK_EQ_INT(m->timeout_ms, 1000);
  CHECK_EQ_INT(m->nargs, 3);
  CHECK_STR(m->args[1], "x y");
  CHECK_STR(m->args[2], "\xc3\xa9");
  CHECK_EQ_INT(m->nenv, 2);
  CHECK_STR(m->env[1].name, "HOME");
  CHECK_STR(m->env[1].value, "/home/g");
  CHECK_EQ_INT(m->ndirs, 2);
  CHECK_STR(m->dirs[0].host, "/comp/data");
  CHECK(m->dirs[0].writable);
  CHECK_STR(m->dirs[1].host, "/etc/x");
  CHECK(!m->dirs[1].writable);
  aw_manifest_free(m);
}

TEST(manifest_minimal_defaults) {
  aw_error err;
  aw_manifest *m = parse(MINIMAL, &err);
  CHECK(m != NULL);
  if (!m) return;
  CHECK(!m->has_max_fuel);
  CHECK(!m->has_timeout_ms);
  CHECK_EQ_INT(m->nargs + m->nenv + m->ndirs, 0);
  aw_manifest_free(m);
  /* Either cpu field may be omitted. */
  m = parse(MINIMAL "[resources.cpu]\ntimeout_ms = 0\n", &err);
  CHECK(m && !m->has_max_fuel && m->has_timeout_ms && m->timeout_ms == 0);
  aw_manifest_free(m);
}

TEST(manifest_errors_name_file_line_field) {
  CHECK_STR(parse_err("[component]\nname = \"c\"\nversion = \"1\"\n"
                      "module = \"c.wasm\"\n"),
            "Component.toml: [resources.memory]: missing");
  CHECK_STR(parse_err("[component]\nname = \"c\"\nversion = \"1\"\n"
                      "module = \"c.wasm\"\n[resources.cpu]\nmax_fuel = 1\n"),
            "Component.toml:5: [resources.memory]: missing");
  CHECK_STR(parse_err("[component]\nname = \"c\"\nversion = \"1\"\n"
                      "module = \"c.wasm\"\n[resources.memory]\n"),
            "Component.toml:5: resources.memory.max_bytes: missing");
  CHECK_STR(parse_err("[component]\nname = \"c\"\nversion = \"1\"\n"
                      "module = \"c.wasm\"\n[resources.memory]\n"
                      "max_bytes = \"big\"\n"),
            "Component.toml:6: resources.memory.max_bytes: expected integer, "
            "found string");
  CHECK_STR(parse_err(MINIMAL "[resources.cpu]\nmax_fuel = -5\n"),
            "Component.toml:8: resources.cpu.max_fuel: must not be negative "
            "(found -5)");
  CHECK_STR(parse_err("[component]\nname = \"c\"\nversion = \"1\"\n"
                      "module = \"c.wasm\"\n[resources.memory]\n"
                      "max_bytes = 0\n"),
            "Component.toml:6: resources.memory.max_bytes: out of range: 0 "
            "(allowed 1..17179869184)");
  CHECK_STR(parse_err("[component]\nname = \"c\"\nversion = \"1\"\n"
                      "module = \"c.wasm\"\n[resources.memory]\n"
                      "max_bytes = 17179869185\n"),
            "Component.toml:6: resources.memory.max_bytes: out of range: "
            "17179869185 (allowed 1..17179869184)");
  CHECK_STR(parse_err(MINIMAL "[network]\nallow = true\n"),
            "Component.toml:7: network: unknown section or key");
  CHECK_STR(parse_err(MINIMAL "[resources.cpu]\nmax_fuell = 5\n"),
            "Component.toml:8: resources.cpu.max_fuell: unknown key");
  CHECK_STR(parse_err("[component]\nversion = \"1\"\nmodule = \"c.wasm\"\n"
                      "[resources.memory]\nmax_bytes = 1\n"),
            "Component.toml:1: component.name: missing");
  CHECK_STR(
      parse_err("[component]\nname = \"\"\nversion = \"1\"\n"
                "module = \"c.wasm\"\n[resources.memory]\nmax_bytes = 1\n"),
      "Component.toml:2: component.name: must not be empty");
  CHECK_STR(parse_err(MINIMAL "[[capabilities.dirs]]\nhost = \"a\"\n"
                              "guest = \"/a\"\nmode = \"rwx\"\n"),
            "Component.toml:10: capabilities.dirs.mode: expected \"ro\" or "
            "\"rw\"");
  CHECK_STR(parse_err(MINIMAL "[capabilities]\nargs = [1]\n"),
            "Component.toml:8: capabilities.args: expected string, found "
            "integer");
  CHECK_STR(parse_err(MINIMAL "[capabilities]\nenv = { \"A=B\" = \"x\" }\n"),
            "Component.toml:8: capabilities.env.A=B: invalid variable name");
  CHECK_STR(parse_err(MINIMAL "[capabilities]\ndirs = 3\n"),
            "Component.toml:8: capabilities.dirs: expected array, found "
            "integer");
}

TEST(manifest_malformed_toml) {
  CHECK_STR(parse_err("[component\nname = \"c\"\n"),
            "Component.toml:1: expected ']' after table name");
  CHECK_STR(parse_err("name = \n"), "Component.toml:1: missing value");
  CHECK_STR(parse_err("a = \"unterminated\n"),
            "Component.toml:1: unterminated string");
  CHECK_STR(parse_err("a = 1\na = 2\n"),
            "Component.toml:2: key 'a' is defined twice");
  CHECK_STR(parse_err("[a]\n[a]\n"),
            "Component.toml:2: table [a] is defined twice");
  CHECK_STR(parse_err("a = 1.5\n"),
            "Component.toml:1: floating-point values are not supported");
  CHECK_STR(parse_err("a = 1979-05-27\n"),
            "Component.toml:1: date and time values are not supported");
  CHECK_STR(parse_err("a = 0x10\n"),
            "Component.toml:1: only decimal integers are supported");
  CHECK_STR(parse_err("a = 012\n"),
            "Component.toml:1: leading zeros are not allowed in integers");
  CHECK_STR(parse_err("a = 1__0\n"),
            "Component.toml:1: misplaced underscore in integer");
  CHECK_STR(parse_err("a = 99999999999999999999\n"),
            "Component.toml:1: integer out of range");
  CHECK_STR(parse_err("a = \"\\q\"\n"),
            "Component.toml:1: invalid escape sequence in string");
  CHECK_STR(parse_err("a = \"\"\"x\"\"\"\n"),
            "Component.toml:1: multi-line strings are not supported");
  CHECK_STR(parse_err("a = 1 b = 2\n"),
            "Component.toml:1: expected end of line, found 'b'");
  CHECK_STR(parse_err("a = [1, 2\n"),
            "Component.toml:2: expected ',' or ']' in array");
  CHECK_STR(parse_err("a = {x = 1}\n[a]\n"),
            "Component.toml:2: table [a] is defined twice");
  CHECK_STR(parse_err("a = {x = 1}\n[a.b]\n"),
            "Component.toml:2: key 'a' is already defined");
  CHECK_STR(parse_err("a.b = 1\n[a]\n"),
            "Component.toml:2: table [a] is defined twice");
  CHECK_STR(parse_err("a = [1]\n[[a]]\n"),
            "Component.toml:2: key 'a' is not an array of tables");
  CHECK_STR(parse_err("x = tru\n"), "Component.toml:1: invalid value");
  CHECK_STR(parse_err("a = \"x\xff\"\n"), "Component.toml:1: invalid UTF-8");
  CHECK_STR(parse_err("a = 1\n\nb = \"\xc0\x80\"\n"),
            "Component.toml:3: invalid UTF-8");
  CHECK_STR(parse_err("= 1\n"),
            "Component.toml:1: invalid character '=' in key");
}

TEST(manifest_hostile_nesting_and_nul) {
  char deep[4096];
  size_t n = 0;
  memcpy(deep, "a = ", 4);
  n = 4;
  for (int i = 0; i < 1000; i++)
    deep[n++] = '[';
  deep[n] = '\0';
  CHECK_STR(parse_err(deep),
            "Component.toml:1: values nested deeper than 32 levels");
  aw_error err;
  aw_error_clear(&err);
  const char nul[] = "a = 1\0\n";
  CHECK(aw_manifest_parse(nul, sizeof nul - 1, "C.toml", NULL, &err) == NULL);
  CHECK_STR(err.message, "C.toml:1: NUL byte in file");
}

TEST(toml_truncations_never_crash) {
  const char *text = MINIMAL "[capabilities]\nargs = [\"a\", 'b']\n"
                             "env = { A = \"1\" }\n[[capabilities.dirs]]\n"
                             "host = \"h\"\nguest = \"/g\"\n";
  size_t len = strlen(text);
  int parsed = 0;
  for (size_t i = 0; i <= len; i++) {
    char *copy = malloc(i + 1);
    memcpy(copy, text, i);
    copy[i] = '\0';
    toml_error terr;
    toml_value *v = toml_parse(copy, i, &terr);
    if (v)
      parsed++;
    else
      CHECK(terr.message[0] != '\0');
    toml_free(v);
    free(copy);
  }
  CHECK(parsed > 0);
}

TEST(manifest_load_missing_file) {
  aw_error err;
  aw_error_clear(&err);
  CHECK(aw_manifest_load("/nonexistent/dir/Component.toml", &err) == NULL);
  CHECK_EQ_INT(err.kind, AW_ERR_IO);
}
