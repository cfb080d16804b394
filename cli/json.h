/*
 * json.h - a small strict JSON (RFC 8259) parser for the CLI: parses a
 * whole document into a tree of cli_json nodes.  Used by the spec-suite
 * runner to read wast2json scripts.
 *
 * Strict means: no comments, no trailing commas, no leading zeros, no
 * unescaped control characters, only the escapes of the RFC, \u escapes
 * with correctly paired surrogates, valid UTF-8 in strings, nothing but
 * whitespace after the top-level value.  Nesting is limited to
 * CLI_JSON_MAX_DEPTH so that hostile input cannot exhaust the C stack.
 */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** Deepest nesting of arrays/objects accepted. */
#define CLI_JSON_MAX_DEPTH 512

typedef enum cli_json_type {
  CLI_JSON_NULL,
  CLI_JSON_BOOL,
  CLI_JSON_NUMBER,
  CLI_JSON_STRING,
  CLI_JSON_ARRAY,
  CLI_JSON_OBJECT
} cli_json_type;

typedef struct cli_json cli_json;

/* One node.  Strings are NUL-terminated copies and may contain NUL bytes
   (from \u0000), so use len.  Numbers keep their source text so that
   integers beyond double precision can still be read exactly. */
struct cli_json {
  cli_json_type type;
  bool boolean;     /* CLI_JSON_BOOL */
  char *str;        /* CLI_JSON_STRING: the decoded string;
                       CLI_JSON_NUMBER: the number's source text */
  size_t len;       /* length of str in bytes */
  double number;    /* CLI_JSON_NUMBER: value as a double (may be +-inf) */
  size_t count;     /* CLI_JSON_ARRAY / CLI_JSON_OBJECT: number of items */
  cli_json **items; /* the items (values of an object) */
  char **keys;      /* CLI_JSON_OBJECT: the keys, NUL-terminated */
  size_t *key_lens; /* CLI_JSON_OBJECT: the keys' lengths */
  size_t cap;       /* allocated slots in items/keys */
};

/* Parses text[0..len).  Returns the root, or NULL with a message such as
   "line 3, column 7: unterminated string" (or "out of memory") in
   err[0..errlen). */
cli_json *cli_json_parse(const char *text, size_t len, char *err,
                         size_t errlen);

/* Frees a tree returned by cli_json_parse (NULL is fine). */
void cli_json_free(cli_json *node);

/* The value of key in object obj (the first if the key repeats), or NULL
   if obj is NULL, not an object or has no such key. */
const cli_json *cli_json_get(const cli_json *obj, const char *key);

/* obj[key] if it is a string, else NULL. */
const char *cli_json_get_str(const cli_json *obj, const char *key);

/* Reads a number node holding a non-negative integer that fits in
   uint64_t exactly (no fraction or exponent).  False otherwise. */
bool cli_json_u64(const cli_json *node, uint64_t *out);

/* Parses a decimal string of digits only (no sign) into *out; false if
   it is empty, has other characters or overflows uint64_t. */
bool cli_json_parse_u64(const char *s, size_t len, uint64_t *out);

/* Writes s[0..len) to out as a JSON string literal (quotes included),
   escaping control characters and replacing invalid UTF-8 by U+FFFD. */
void cli_json_write_string(FILE *out, const char *s, size_t len);

#endif /* CLI_JSON_H */
