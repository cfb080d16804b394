/*
 * test_text.c - the text front end (src/text): literals, strings,
 * comments and annotations, abbreviations, error positions, and hostile
 * text (deep nesting, huge numbers, truncation and mutation at every
 * byte, big inputs in linear time).  Binaries are compared with wabt's
 * wat2wasm where the encoding is unique.
 */
#include "airssys/text.h"
#include "airssys/wasm.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool wat(const char *text, uint8_t **bin, size_t *n, aw_error *err) {
  return aw_wat_to_wasm("t.wat", text, strlen(text), bin, n, err);
}

/* Encodes text, expecting failure with a message containing want. */
static bool fails_with(const char *text, const char *want) {
  uint8_t *bin = NULL;
  size_t n;
  aw_error err;
  bool ok = wat(text, &bin, &n, &err);
  aw_text_free(bin);
  if (ok) {
    fprintf(stderr, "  accepted: %.60s\n", text);
    return false;
  }
  if (err.kind != AW_ERR_MALFORMED || !strstr(err.message, want)) {
    fprintf(stderr, "  message \"%s\", wanted \"%s\"\n", err.message, want);
    return false;
  }
  return true;
}

/* Calls export "f" of a text module with no arguments, one result. */
static bool call_f(const char *text, aw_val *out) {
  aw_engine_config cfg;
  aw_engine_config_default(&cfg);
  aw_engine *e = aw_engine_new(&cfg);
  aw_error err;
  aw_module *m = aw_module_new_wat(e, text, strlen(text), &err);
  bool ok = false;
  if (!m) {
    fprintf(stderr, "  module: %s\n", err.message);
  } else {
    aw_store *s = aw_store_new(e);
    aw_linker *l = aw_linker_new(s);
    aw_instance *inst = aw_linker_instantiate(l, m, &err);
    aw_extern ex;
    if (inst && aw_instance_export(inst, "f", 1, &ex) &&
        ex.kind == AW_EXTERN_FUNC)
      ok = aw_func_call(s, ex.of.func, NULL, 0, out, 1, &err) == AW_OK;
    if (!ok) fprintf(stderr, "  call: %s\n", err.message);
    aw_linker_free(l);
    aw_store_free(s);
    aw_module_free(m);
  }
  aw_engine_free(e);
  return ok;
}

static uint32_t f32_bits_of(const char *lit) {
  char text[256];
  snprintf(text, sizeof text,
           "(module (func (export \"f\") (result i32) "
           "(i32.reinterpret_f32 (f32.const %s))))",
           lit);
  aw_val v;
  memset(&v, 0, sizeof v);
  if (!call_f(text, &v)) return 0xDEADBEEF;
  return (uint32_t)v.of.i32;
}

static uint64_t f64_bits_of(const char *lit) {
  char text[256];
  snprintf(text, sizeof text,
           "(module (func (export \"f\") (result i64) "
           "(i64.reinterpret_f64 (f64.const %s))))",
           lit);
  aw_val v;
  memset(&v, 0, sizeof v);
  if (!call_f(text, &v)) return 0xDEADBEEF;
  return (uint64_t)v.of.i64;
}

TEST(text_float_literals) {
  CHECK_EQ_INT(f32_bits_of("0x1.fffffep127"), 0x7F7FFFFF);
  CHECK_EQ_INT(f32_bits_of("0x1p-149"), 0x00000001);
  CHECK_EQ_INT(f32_bits_of("-0x1p-149"), 0x80000001);
  CHECK_EQ_INT(f32_bits_of("1.5"), 0x3FC00000);
  CHECK_EQ_INT(f32_bits_of("1_000.0_1"), f32_bits_of("1000.01"));
  CHECK_EQ_INT(f32_bits_of("nan:0x200000"), 0x7FA00000);
  CHECK_EQ_INT(f32_bits_of("-nan"), 0xFFC00000);
  CHECK_EQ_INT(f32_bits_of("inf"), 0x7F800000);
  CHECK_EQ_INT(f32_bits_of("-0"), 0x80000000);
  /* Ties to even between two floats (hex with more digits than fit). */
  CHECK_EQ_INT(f32_bits_of("0x1.000001p0"), 0x3F800000);
  CHECK_EQ_INT(f32_bits_of("0x1.000003p0"), 0x3F800002);
  CHECK_EQ_INT(f32_bits_of("1e-46"), 0); /* rounds to zero */
  CHECK(f64_bits_of("0x1.fffffffffffffp1023") == 0x7FEFFFFFFFFFFFFFull);
  CHECK(f64_bits_of("nan:0xf_ffff_ffff_ffff") == 0x7FFFFFFFFFFFFFFFull);
  CHECK(f64_bits_of("4.9406564584124654e-324") == 1);
  CHECK(fails_with("(func (f32.const 0x1p128) drop)", "out of range"));
  CHECK(fails_with("(func (f32.const 1e39) drop)", "out of range"));
  CHECK(fails_with("(func (f32.const nan:0x800000) drop)", "out of range"));
  CHECK(fails_with("(func (f32.const nan:0x0) drop)", "out of range"));
  CHECK(fails_with("(func (f64.const 1__0) drop)", "malformed number"));
  CHECK(fails_with("(func (f64.const 1_) drop)", "malformed number"));
  CHECK(fails_with("(func (f64.const 0x) drop)", "malformed number"));
  CHECK(fails_with("(func (f64.const 1.e) drop)", "malformed number"));
  CHECK(fails_with("(func (f64.const .5) drop)", "unexpected token"));
}

TEST(text_integer_literals) {
  aw_val v;
  CHECK(call_f("(func (export \"f\") (result i32) (i32.const 0xffff_ffff))",
               &v) &&
        v.of.i32 == -1);
  CHECK(call_f("(func (export \"f\") (result i32) (i32.const -0x8000_0000))",
               &v) &&
        v.of.i32 == INT32_MIN);
  CHECK(call_f("(func (export \"f\") (result i64) (i64.const "
               "18446744073709551615))",
               &v) &&
        v.of.i64 == -1);
  CHECK(fails_with("(func (i32.const 4294967296) drop)", "out of range"));
  CHECK(fails_with("(func (i32.const -2147483649) drop)", "out of range"));
  CHECK(fails_with("(func (i64.const 18446744073709551616) drop)",
                   "out of range"));
  CHECK(fails_with("(func (i64.const 99999999999999999999999999) drop)",
                   "out of range"));
  CHECK(fails_with("(memory 18446744073709551616)", "out of range"));
  CHECK(fails_with("(func (i32.const _1) drop)", "unexpected token"));
  CHECK(fails_with(
      "(func (i32.load offset=18446744073709551616 (i32.const 0)) drop)",
      "out of range"));
  CHECK(fails_with("(memory 1) (func (i32.load align=3 (i32.const 0)) drop)",
                   "power of two"));
}

TEST(text_strings_comments_annotations) {
  aw_val v;
  /* Nested block comments, line comments ending in CR, annotations with
     parentheses and strings inside. */
  CHECK(call_f("(; a (; nested ;) b ;)\n"
               "(module (@custom \"x\" (y \")\" (z))) ;; c\r"
               "  (func (export \"f\") (@a) (result i32) (i32.const 7)))",
               &v) &&
        v.of.i32 == 7);
  /* Export names with escapes: \u{..}, \hh, \t; UTF-8 checked. */
  uint8_t *bin = NULL;
  size_t n;
  aw_error err;
  CHECK(wat("(func (export \"\\u{1F600}\\41\\t\"))", &bin, &n, &err));
  static const uint8_t want[] = {0xF0, 0x9F, 0x98, 0x80, 'A', '\t'};
  bool found = false;
  for (size_t i = 0; bin && i + sizeof want <= n; i++)
    if (!memcmp(bin + i, want, sizeof want)) found = true;
  CHECK(found);
  aw_text_free(bin);
  CHECK(fails_with("(func (export \"\\ff\"))", "UTF-8"));
  CHECK(fails_with("(func (export \"\\u{D800}\"))", "illegal escape"));
  CHECK(fails_with("(func (export \"\\q\"))", "illegal escape"));
  CHECK(fails_with("(func (export \"abc", "unterminated string"));
  CHECK(fails_with("(; never closed", "unclosed block comment"));
  CHECK(fails_with("(@ann (func)", "unclosed"));
  /* Data strings may hold any byte. */
  CHECK(wat("(memory 1) (data (i32.const 0) \"\\ff\\00\" \"x\")", &bin, &n,
            &err));
  aw_text_free(bin);
}

TEST(text_error_positions) {
  CHECK(fails_with("(module\n  (func\n    i32.bogus))",
                   "t.wat:3:5: unknown operator"));
  CHECK(fails_with("(module (func $f) (func $f))",
                   "t.wat:1:25: duplicate function $f"));
  CHECK(fails_with("(module (func (call $nope)))", "1:21: unknown function"));
  CHECK(fails_with("(module (func block $a end $b))", "mismatching label"));
  CHECK(fails_with("(module (func) (import \"m\" \"f\" (func)))",
                   "import after"));
  CHECK(fails_with("(module (start 0) (start 0) (func))", "multiple start"));
  CHECK(fails_with("(module (type $t (func (param i32))) "
                   "(func (type $t) (param i64)))",
                   "inline function type"));
  CHECK(fails_with("(module (func (result i32) (param i32)))", "param"));
  CHECK(fails_with("(module)) ", "unexpected \")\""));
  CHECK(fails_with("(module (func $x \x01))", "unexpected character"));
}

/* The same binary as wat2wasm for a module using the abbreviations. */
TEST(text_matches_wat2wasm) {
  const char *text =
      "(module\n"
      "  (type $t (func (param i32) (result i32)))\n"
      "  (import \"env\" \"g\" (global $g (mut i32)))\n"
      "  (func $imp (import \"env\" \"f\") (param i32))\n"
      "  (memory (export \"mem\") 1 2)\n"
      "  (table $tab 2 funcref)\n"
      "  (global $h (export \"h\") i64 (i64.const -5))\n"
      "  (elem (i32.const 0) $sq $sq)\n"
      "  (data (i32.const 8) \"hi\\00\")\n"
      "  (func $sq (export \"sq\") (type $t) (local $x i64) (local f32 f32)\n"
      "    (block $out (result i32)\n"
      "      (loop $l\n"
      "        (br_if $out (i32.const 1) (local.get 0))\n"
      "        (br_table $out $out (i32.const 5) (i32.const 2)))\n"
      "      unreachable)\n"
      "    (if (result i32) (local.get 0) (then (i32.const 1)) (else "
      "(i32.const 2)))\n"
      "    i32.mul\n"
      "    (call_indirect $tab (type $t) (i32.const 3) (i32.const 0))\n"
      "    drop\n"
      "    (i32.store offset=4 align=2 (i32.const 0) (i32.load8_u (i32.const "
      "1)))\n"
      "    drop global.get $g)\n"
      "  (start $st) (func $st))\n";
  size_t rn = 0;
  uint8_t *ref = test_wat2bin(text, &rn);
  uint8_t *bin = NULL;
  size_t n = 0;
  aw_error err;
  bool ok = wat(text, &bin, &n, &err);
  if (!ok) fprintf(stderr, "  %s\n", err.message);
  CHECK(ok);
  if (ref) { /* wabt present */
    CHECK_EQ_INT(n, rn);
    CHECK(ok && n == rn && !memcmp(bin, ref, n));
  }
  free(ref);
  aw_text_free(bin);
}

/* Builds a string of n copies of unit between head and tail. */
static char *repeat(const char *head, const char *unit, size_t n,
                    const char *tail) {
  size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
  char *s = malloc(hl + ul * n + tl + 1);
  if (!s) return NULL;
  memcpy(s, head, hl);
  for (size_t i = 0; i < n; i++)
    memcpy(s + hl + i * ul, unit, ul);
  memcpy(s + hl + ul * n, tail, tl + 1);
  return s;
}

TEST(text_hostile_nesting) {
  /* 200,000 "(": refused by the lexer before any recursion. */
  char *s = repeat("", "(", 200000, "");
  CHECK(s && fails_with(s, "nesting too deep"));
  free(s);
  /* 100,000 plain nested blocks (no parentheses): the encoder's depth
     limit, not the C stack. */
  s = repeat("(func ", "block ", 100000, ")");
  CHECK(s && fails_with(s, "nested too deep"));
  free(s);
  /* Just under the limits it works. */
  s = repeat("(func ", "block ", 900, "");
  char *t = s ? repeat(s, "end ", 900, ")") : NULL;
  uint8_t *bin = NULL;
  size_t n;
  aw_error err;
  CHECK(t && wat(t, &bin, &n, &err));
  aw_text_free(bin);
  free(s);
  free(t);
  /* Annotations nest too, and are bounded the same way. */
  s = repeat("(@a ", "(", 200000, "");
  CHECK(s && fails_with(s, "nesting too deep"));
  free(s);
}

TEST(text_hostile_big_inputs_linear) {
  /* 50,000 named functions calling each other by name, 200,000 br_table
     labels, 200,000 locals: all in well under a second (hash tables, no
     quadratic scans). */
  size_t N = 50000;
  char *s = malloc(N * 48 + 64);
  CHECK(s != NULL);
  if (!s) return;
  size_t k = (size_t)sprintf(s, "(module");
  for (size_t i = 0; i < N; i++)
    k +=
        (size_t)sprintf(s + k, " (func $f%zu (call $f%zu))", i, (i * 7919) % N);
  sprintf(s + k, ")");
  clock_t t0 = clock();
  uint8_t *bin = NULL;
  size_t n;
  aw_error err;
  CHECK(wat(s, &bin, &n, &err));
  aw_text_free(bin);
  free(s);
  char *b = repeat("(func (block br_table", " 0", 200000, "))");
  CHECK(b && wat(b, &bin, &n, &err));
  aw_text_free(bin);
  free(b);
  char *l = repeat("(func (local", " i32 i64", 100000, "))");
  CHECK(l && wat(l, &bin, &n, &err));
  aw_text_free(bin);
  free(l);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (secs > 5.0) fprintf(stderr, "  took %.2f s\n", secs);
  CHECK(secs < 5.0);
}

TEST(text_hostile_truncation_and_mutation) {
  const char *text =
      "(module (type $t (func (param i32) (result i32)))\n"
      " (memory 1) (table 1 funcref) (elem (i32.const 0) $f)\n"
      " (func $f (export \"f\") (type $t) (local f64)\n"
      "  (if (result i32) (local.get 0) (then (i32.const 1))\n"
      "   (else (block (result i32) (f32.const -0x1.8p3) drop\n"
      "    (v128.const i32x4 1 2 3 4) drop (i32.const 0x7fff_ffff)))))\n"
      " (data (i32.const 0) \"\\00\\u{41}\") (@x \"(\") (; c ;))\n";
  size_t len = strlen(text);
  char *buf = malloc(len + 1);
  CHECK(buf != NULL);
  if (!buf) return;
  /* Every prefix: an error or a module, never a crash or a leak (ASan). */
  for (size_t cut = 0; cut <= len; cut++) {
    uint8_t *bin = NULL;
    size_t n;
    aw_error err;
    if (aw_wat_to_wasm("t", text, cut, &bin, &n, &err))
      aw_text_free(bin);
    else
      CHECK(err.kind == AW_ERR_MALFORMED && strstr(err.message, "t:"));
  }
  /* Every byte replaced by each of a few troublesome characters. */
  static const char subs[] = {'(', ')', '"', ';', '$', '\\', '0', ' ', 0x7f};
  for (size_t i = 0; i < len; i++) {
    for (size_t k = 0; k < sizeof subs; k++) {
      memcpy(buf, text, len + 1);
      buf[i] = subs[k];
      uint8_t *bin = NULL;
      size_t n;
      aw_error err;
      if (aw_wat_to_wasm("t", buf, len, &bin, &n, &err)) aw_text_free(bin);
    }
  }
  free(buf);
}

TEST(text_wast_to_json) {
  const char *script =
      "(module $m (func (export \"f\") (param i32) (result i32) "
      "(local.get 0)))\n"
      "(register \"r\" $m)\n"
      "(assert_return (invoke $m \"f\" (i32.const -1)) (i32.const "
      "4294967295))\n"
      "(assert_malformed (module quote \"(func i32.bogus)\") \"unknown "
      "operator\")\n"
      "(assert_trap (invoke \"f\" (i32.const 0)) \"x\")\n";
  char *json = NULL;
  size_t n;
  aw_error err;
  CHECK(aw_wast_to_json("s.wast", script, strlen(script), &json, &n, &err));
  CHECK(json && strstr(json, "\"type\":\"register\",\"line\":2,\"as\":\"r\""));
  CHECK(json && strstr(json, "\"value\":\"4294967295\""));
  CHECK(json && strstr(json, "quote:1:7: unknown operator"));
  CHECK(json && strstr(json, "\"wasm_hex\":\"0061736d01000000"));
  aw_text_free(json);
  /* A broken script structure fails as a whole, with a position. */
  CHECK(!aw_wast_to_json("s.wast", "(module)\n(assert_return", 23, &json, &n,
                         &err));
  CHECK(strstr(err.message, "s.wast:2:1:") != NULL);
}

/* 3.0 types: struct fields (packed, typed references, names), sub/rec.
   The expected bytes are the reference interpreter's (gc/struct.wast:3
   and gc/type-subtyping.wast:37 of the 3.0 suite, section sizes
   unpadded). */
static bool encodes_to(const char *text, const char *hex) {
  uint8_t *bin = NULL;
  size_t n = 0;
  aw_error err;
  if (!wat(text, &bin, &n, &err)) {
    fprintf(stderr, "  %s\n", err.message);
    return false;
  }
  size_t hl = strlen(hex);
  bool ok = hl == 2 * n;
  for (size_t i = 0; ok && i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    if (v != bin[i]) ok = false;
  }
  if (!ok) {
    fprintf(stderr, "  got ");
    for (size_t i = 0; i < n; i++)
      fprintf(stderr, "%02x", bin[i]);
    fprintf(stderr, "\n");
  }
  aw_text_free(bin);
  return ok;
}

TEST(text_gc_types) {
  CHECK(encodes_to(
      "(module\n"
      "  (type (struct))\n"
      "  (type (struct (field)))\n"
      "  (type (struct (field i8)))\n"
      "  (type (struct (field i8 i8 i8 i8)))\n"
      "  (type (struct (field $x1 i32) (field $y1 i32)))\n"
      "  (type (struct (field i8 i16 i32 i64 f32 f64 anyref funcref (ref 0) "
      "(ref null 1))))\n"
      "  (type (struct (field i32 i64 i8) (field) (field) (field (ref null "
      "i31) anyref)))\n"
      "  (type (struct (field $x2 i32) (field f32 f64) (field $y2 i32))))",
      "0061736d010000000147085f005f005f0178005f0478007800780078005f027f007f00"
      "5f0a780077007f007e007d007c006e0070006400006301005f057f007e0078006c006e"
      "005f047f007d007c007f00"));
  CHECK(encodes_to("(module\n"
                   "  (type $t (sub (struct (field anyref))))\n"
                   "  (rec (type $r (sub $t (struct (field (ref $r))))))\n"
                   "  (type $t' (sub $r (struct (field (ref $r) i32)))))",
                   "0061736d0100000001190350005f016e005001005f016401005001015f"
                   "026401007f00"));
  /* A rec group of two, an empty one, a final subtype. */
  CHECK(encodes_to("(rec (type $a (func)) (type $b (array (mut i8)))) (rec) "
                   "(type (sub final $a (func)))",
                   "0061736d010000000111034e026000005e78014e004f0100600000"));
  CHECK(fails_with("(type $t (struct (field $f i32) (field $f i64)))",
                   "duplicate field"));
  CHECK(fails_with("(type (struct)) (func (struct.get 0 $nope))",
                   "unknown field"));
}

/* Hash flooding: 32,768 function names that all fall in the same slot of
   an unkeyed FNV-1a table (low 17 bits equal, built from colliding 2-byte
   blocks).  With a per-parse random hash key they spread out; without it
   every insertion probes all the others (~5e8 probes, many seconds). */
static uint32_t fnv_low(uint32_t h, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)p[i]) * 16777619u;
  return h;
}

TEST(text_hostile_hash_flooding) {
  enum { BLOCKS = 15, W = 4, MASK = (1u << 17) - 1 };
  static const char alpha[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  char pair[BLOCKS][2][W];
  uint32_t h = 2166136261u;
  static uint32_t seen[1u << 17];
  for (int b = 0; b < BLOCKS; b++) {
    memset(seen, 0, sizeof seen);
    bool found = false;
    for (uint32_t v = 0; v < 62u * 62 * 62 * 62 && !found; v++) {
      char blk[W];
      for (int i = 0, x = (int)v; i < W; i++, x /= 62)
        blk[i] = alpha[x % 62];
      uint32_t st = fnv_low(h, blk, W) & MASK;
      if (seen[st]) {
        uint32_t u = seen[st] - 1;
        for (int i = 0, x = (int)u; i < W; i++, x /= 62)
          pair[b][0][i] = alpha[x % 62];
        memcpy(pair[b][1], blk, W);
        h = fnv_low(h, blk, W);
        found = true;
      } else {
        seen[st] = v + 1;
      }
    }
    CHECK(found);
    if (!found) return;
  }
  size_t n = (size_t)1 << BLOCKS;
  char *text = malloc(n * (W * BLOCKS + 10) + 16);
  CHECK(text != NULL);
  if (!text) return;
  size_t k = (size_t)sprintf(text, "(module");
  for (size_t v = 0; v < n; v++) {
    k += (size_t)sprintf(text + k, " (func $");
    for (int b = 0; b < BLOCKS; b++) {
      memcpy(text + k, pair[b][(v >> b) & 1], W);
      k += W;
    }
    text[k++] = ')';
  }
  sprintf(text + k, ")");
  /* The names really collide for the unkeyed hash (low 17 bits). */
  const char *a = strchr(text, '$') + 1, *z = strrchr(text, '$') + 1;
  CHECK((fnv_low(2166136261u, a, W * BLOCKS) & MASK) ==
        (fnv_low(2166136261u, z, W * BLOCKS) & MASK));
  clock_t t0 = clock();
  uint8_t *bin = NULL;
  size_t bn;
  aw_error err;
  CHECK(wat(text, &bin, &bn, &err));
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  aw_text_free(bin);
  free(text);
  if (secs > 2.0) fprintf(stderr, "  took %.2f s of CPU\n", secs);
  CHECK(secs < 2.0);
}
