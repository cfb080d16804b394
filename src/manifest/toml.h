/*
 * toml.h - a strict parser for the subset of TOML 1.0 that Component.toml
 * uses: tables, arrays of tables, dotted and quoted keys, basic and
 * literal strings, decimal integers, booleans, arrays and inline tables.
 *
 * Anything outside the subset (floats, dates, multi-line strings) is an
 * error naming the line, never silently accepted.  Every value remembers
 * the line it starts on so the manifest layer can name file, line and
 * field in its own errors.
 */
#ifndef AW_TOML_H
#define AW_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum toml_kind {
  TOML_STRING,
  TOML_INT,
  TOML_BOOL,
  TOML_ARRAY,
  TOML_TABLE
} toml_kind;

typedef struct toml_value toml_value;

/* One key of a table, in definition order. */
typedef struct toml_kv {
  char *key;     /* NUL-terminated (keys containing NUL are rejected) */
  uint32_t line; /* line of the key */
  toml_value *val;
} toml_kv;

struct toml_value {
  toml_kind kind;
  uint32_t line;
  union {
    struct {
      char *s; /* NUL-terminated; len excludes the terminator */
      size_t len;
    } str;
    int64_t i;
    bool b;
    struct {
      toml_value **items;
      uint32_t n, cap;
      bool of_tables; /* created by [[header]]: may be appended to */
    } arr;
    struct {
      toml_kv *kvs;
      uint32_t n, cap;
      uint8_t how; /* how it was created, see toml.c */
    } tab;
  } u;
};

/* Deepest nesting of arrays and inline tables accepted. */
#define TOML_MAX_DEPTH 32

typedef struct toml_error {
  uint32_t line; /* 1-based; 0 when not about a line */
  char message[160];
} toml_error;

/* Parses len bytes of text (must be UTF-8). Returns the root table, or
   NULL with *err filled. */
toml_value *toml_parse(const char *text, size_t len, toml_error *err);

/* Frees a value and everything below it. NULL is fine. */
void toml_free(toml_value *v);

/* The value of key in table t, or NULL (also when t is not a table). */
const toml_value *toml_get(const toml_value *t, const char *key);

/* Name of a kind for messages: "string", "integer", ... */
const char *toml_kind_name(toml_kind k);

#endif /* AW_TOML_H */
