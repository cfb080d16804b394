/*
 * test_json.c - the CLI's strict JSON parser (cli/json.c): valid documents,
 * malformed ones, deep nesting, huge numbers, escapes, truncated input.
 *
 * cli/ is not part of the library that aw-unit links, so the parser's
 * source is compiled into this file.
 */
#include "test.h"

#include "../../cli/json.c"

static cli_json *parse(const char *s) {
  char err[256];
  return cli_json_parse(s, strlen(s), err, sizeof err);
}

/* True if s is rejected with an error message mentioning what. */
static bool rejects(const char *s, size_t len, const char *what) {
  char err[256];
  cli_json *j = cli_json_parse(s, len, err, sizeof err);
  if (j) {
    cli_json_free(j);
    return false;
  }
  return err[0] != '\0' && (!what || strstr(err, what) != NULL);
}

#define REJECTS(s, what) CHECK(rejects((s), strlen(s), (what)))

TEST(json_valid_document) {
  cli_json *j = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"],"
                      " \"b\": {}, \"c\": [], \"line\": 42}\n");
  CHECK(j != NULL);
  if (!j) return;
  CHECK_EQ_INT(j->type, CLI_JSON_OBJECT);
  CHECK_EQ_INT(j->count, 4);
  const cli_json *a = cli_json_get(j, "a");
  CHECK(a && a->type == CLI_JSON_ARRAY && a->count == 6);
  if (a && a->count == 6) {
    CHECK_EQ_INT(a->items[0]->type, CLI_JSON_NUMBER);
    CHECK(a->items[0]->number == 1.0);
    CHECK(a->items[1]->number == -2500.0);
    CHECK_STR(a->items[1]->str, "-2.5e3");
    CHECK(a->items[2]->type == CLI_JSON_BOOL && a->items[2]->boolean);
    CHECK(a->items[3]->type == CLI_JSON_BOOL && !a->items[3]->boolean);
    CHECK_EQ_INT(a->items[4]->type, CLI_JSON_NULL);
    CHECK_STR(a->items[5]->str, "x");
  }
  const cli_json *b = cli_json_get(j, "b");
  CHECK(b && b->type == CLI_JSON_OBJECT && b->count == 0);
  uint64_t line = 0;
  CHECK(cli_json_u64(cli_json_get(j, "line"), &line));
  CHECK_EQ_INT(line, 42);
  CHECK(cli_json_get(j, "missing") == NULL);
  CHECK(cli_json_get(a, "a") == NULL);     /* not an object */
  CHECK(cli_json_get_str(j, "a") == NULL); /* not a string */
  cli_json_free(j);

  /* Scalars at the top level. */
  j = parse("\"top\"");
  CHECK(j && j->type == CLI_JSON_STRING);
  cli_json_free(j);
  j = parse("0");
  CHECK(j && j->type == CLI_JSON_NUMBER && j->number == 0.0);
  cli_json_free(j);
  j = parse("-0.0e-0");
  CHECK(j && j->type == CLI_JSON_NUMBER);
  cli_json_free(j);
}

TEST(json_duplicate_keys_first_wins) {
  cli_json *j = parse("{\"k\": \"first\", \"k\": \"second\"}");
  CHECK(j != NULL);
  CHECK_STR(cli_json_get_str(j, "k"), "first");
  cli_json_free(j);
}

TEST(json_escapes) {
  cli_json *j = parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac"
                      "\\ud83d\\ude00\"");
  CHECK(j != NULL);
  if (j) {
    const char want[] = "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac"
                        "\xf0\x9f\x98\x80";
    CHECK_EQ_INT(j->len, sizeof want - 1);
    CHECK(memcmp(j->str, want, sizeof want - 1) == 0);
  }
  cli_json_free(j);

  /* \u0000 is kept, with the length telling the real size. */
  j = parse("\"x\\u0000y\"");
  CHECK(j && j->len == 3 && j->str[1] == '\0' && j->str[2] == 'y');
  cli_json_free(j);

  /* Keys are decoded too. */
  j = parse("{\"\\u0066ield\": 1}");
  CHECK(cli_json_get(j, "field") != NULL);
  cli_json_free(j);

  /* Raw UTF-8 passes through. */
  j = parse("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
  CHECK(j && j->len == 10);
  cli_json_free(j);

  REJECTS("\"\\x\"", "invalid escape");
  REJECTS("\"\\u12x4\"", "hex digit");
  REJECTS("\"\\u12", "truncated");
  REJECTS("\"\\ud83d\"", "surrogate");
  REJECTS("\"\\ud83dx\"", "surrogate");
  REJECTS("\"\\ud83d\\u0041\"", "surrogate");
  REJECTS("\"\\ude00\"", "surrogate");
  REJECTS("\"a\tb\"", "control character");
  REJECTS("\"a\nb\"", "control character");
  REJECTS("\"\xff\"", "UTF-8");
  REJECTS("\"\xc0\x80\"", "UTF-8");         /* overlong */
  REJECTS("\"\xed\xa0\x80\"", "UTF-8");     /* encoded surrogate */
  REJECTS("\"\xf4\x90\x80\x80\"", "UTF-8"); /* above U+10FFFF */
  REJECTS("\"\xe2\x82\"", "UTF-8");         /* truncated sequence */
}

TEST(json_malformed) {
  REJECTS("", "unexpected end");
  REJECTS("   ", "unexpected end");
  REJECTS("[1, 2,]", "trailing comma");
  REJECTS("{\"a\": 1,}", "trailing comma");
  REJECTS("[1 2]", "expected ','");
  REJECTS("{\"a\" 1}", "expected ':'");
  REJECTS("{a: 1}", "string key");
  REJECTS("{\"a\": }", "unexpected character");
  REJECTS("[01]", "leading zero");
  REJECTS("[-]", "invalid number");
  REJECTS("-", "truncated number");
  REJECTS("[1.]", "digit after '.'");
  REJECTS("[.5]", "unexpected character");
  REJECTS("[1e]", "exponent");
  REJECTS("[+1]", "unexpected character");
  REJECTS("[tru]", "unexpected character");
  REJECTS("[nul]", "unexpected character");
  REJECTS("[NaN]", "unexpected character");
  REJECTS("[Infinity]", "unexpected character");
  REJECTS("{} {}", "after the JSON value");
  REJECTS("[1] x", "after the JSON value");
  REJECTS("// c\n[1]", "unexpected character");
  REJECTS("[1 /* c */]", "expected ','");
  REJECTS("'single'", "unexpected character");
  /* A NUL byte inside the buffer is data, not an end marker. */
  CHECK(rejects("[1]\0", 4, "after the JSON value"));
  CHECK(rejects("[\0]", 3, "unexpected character"));
  /* Error positions are reported as line and column. */
  char err[256];
  cli_json *j = cli_json_parse("{\n  \"a\": x\n}", 12, err, sizeof err);
  CHECK(j == NULL);
  CHECK(strstr(err, "line 2, column 8") != NULL);
  /* A tiny or absent error buffer is fine. */
  char small[4];
  CHECK(cli_json_parse("[", 1, small, sizeof small) == NULL);
  CHECK(strlen(small) < sizeof small);
  CHECK(cli_json_parse("[", 1, NULL, 0) == NULL);
  CHECK(cli_json_parse(NULL, 0, err, sizeof err) == NULL);
}

TEST(json_truncated_input) {
  const char *doc = "{\"commands\": [{\"type\": \"module\", \"line\": 3,"
                    " \"args\": [\"\\u00e9\", -1.5e+10, true, null]}]}";
  size_t n = strlen(doc);
  /* Every proper prefix is rejected cleanly; the whole document parses. */
  for (size_t i = 0; i < n; i++) {
    char *copy = malloc(i + 1); /* exact size: ASan catches over-reads */
    CHECK(copy != NULL);
    if (!copy) return;
    memcpy(copy, doc, i);
    char err[128];
    cli_json *j = cli_json_parse(copy, i, err, sizeof err);
    if (j) {
      fprintf(stderr, "  prefix of length %zu accepted\n", i);
      CHECK(j == NULL);
      cli_json_free(j);
    }
    free(copy);
  }
  cli_json *j = parse(doc);
  CHECK(j != NULL);
  cli_json_free(j);
}

TEST(json_deep_nesting) {
  size_t depth = 100000;
  char *s = malloc(2 * depth + 1);
  CHECK(s != NULL);
  if (!s) return;
  memset(s, '[', depth);
  memset(s + depth, ']', depth);
  s[2 * depth] = '\0';
  char err[256];
  cli_json *j = cli_json_parse(s, 2 * depth, err, sizeof err);
  CHECK(j == NULL);
  CHECK(strstr(err, "nesting") != NULL);
  cli_json_free(j);

  /* Exactly the limit is accepted, one more is not. */
  size_t lim = CLI_JSON_MAX_DEPTH;
  memset(s, '[', lim);
  memset(s + lim, ']', lim);
  j = cli_json_parse(s, 2 * lim, err, sizeof err);
  CHECK(j != NULL);
  cli_json_free(j);
  memset(s, '[', lim + 1);
  memset(s + lim + 1, ']', lim + 1);
  j = cli_json_parse(s, 2 * lim + 2, err, sizeof err);
  CHECK(j == NULL);

  /* Deep objects too. */
  size_t od = lim + 1, pos = 0;
  char *o = malloc(od * 6 + od + 2);
  CHECK(o != NULL);
  if (o) {
    for (size_t i = 0; i < od; i++) {
      memcpy(o + pos, "{\"a\":", 5);
      pos += 5;
    }
    o[pos++] = '1';
    for (size_t i = 0; i < od; i++)
      o[pos++] = '}';
    j = cli_json_parse(o, pos, err, sizeof err);
    CHECK(j == NULL);
    CHECK(strstr(err, "nesting") != NULL);
    free(o);
  }
  free(s);
}

TEST(json_huge_numbers) {
  cli_json *j = parse("[1e400, -1e400, 1e-400, "
                      "123456789012345678901234567890, 18446744073709551615,"
                      " 18446744073709551616, 1.0, 12e1]");
  CHECK(j != NULL);
  if (!j || j->count != 8) {
    cli_json_free(j);
    return;
  }
  CHECK(j->items[0]->number > 1e308);  /* +inf */
  CHECK(j->items[1]->number < -1e308); /* -inf */
  CHECK(j->items[2]->number == 0.0);
  uint64_t v = 0;
  CHECK(!cli_json_u64(j->items[3], &v)); /* too large for u64 */
  CHECK(cli_json_u64(j->items[4], &v));
  CHECK(v == UINT64_MAX);
  CHECK(!cli_json_u64(j->items[5], &v)); /* UINT64_MAX + 1 */
  CHECK(!cli_json_u64(j->items[6], &v)); /* fraction */
  CHECK(!cli_json_u64(j->items[7], &v)); /* exponent */
  cli_json_free(j);

  /* A number of 100000 digits. */
  size_t n = 100000;
  char *s = malloc(n + 1);
  CHECK(s != NULL);
  if (!s) return;
  memset(s, '9', n);
  s[n] = '\0';
  j = cli_json_parse(s, n, NULL, 0);
  CHECK(j && j->type == CLI_JSON_NUMBER && j->len == n);
  cli_json_free(j);
  free(s);

  CHECK(cli_json_parse_u64("0", 1, &v) && v == 0);
  CHECK(!cli_json_parse_u64("", 0, &v));
  CHECK(!cli_json_parse_u64("-1", 2, &v));
  CHECK(!cli_json_parse_u64("1x", 2, &v));
}

TEST(json_big_array) {
  /* Many items exercise the growth of arrays and objects. */
  size_t n = 20000;
  char *s = malloc(n * 24 + 16);
  CHECK(s != NULL);
  if (!s) return;
  size_t pos = 0;
  s[pos++] = '{';
  for (size_t i = 0; i < n; i++)
    pos += (size_t)sprintf(s + pos, "%s\"k%zu\":%zu", i ? "," : "", i, i);
  s[pos++] = '}';
  cli_json *j = cli_json_parse(s, pos, NULL, 0);
  CHECK(j && j->count == n);
  uint64_t v = 0;
  CHECK(cli_json_u64(cli_json_get(j, "k19999"), &v) && v == 19999);
  cli_json_free(j);
  free(s);
}

TEST(json_write_string) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK(f != NULL);
  if (!f) return;
  cli_json_write_string(f, "a\"\\\n\x01\xc3\xa9\xff", 8);
  fclose(f);
  CHECK_STR(buf, "\"a\\\"\\\\\\n\\u0001\xc3\xa9\\ufffd\"");
  /* What it writes parses back. */
  cli_json *j = cli_json_parse(buf, len, NULL, 0);
  CHECK(j && j->type == CLI_JSON_STRING && j->len == 10);
  cli_json_free(j);
  free(buf);
}
