/*
 * test.h - the unit-test framework: TEST(name) defines a test that is
 * registered automatically; CHECK* macros record failures and go on.
 * tests/unit/main.c runs every test and ends with "N passed, N failed".
 */
#ifndef AW_TEST_H
#define AW_TEST_H

#include <stdio.h>
#include <string.h>

#include <stddef.h>
#include <stdint.h>

typedef void (*test_fn)(int *failed);

/* Compiles WebAssembly text to a binary with wabt's wat2wasm (in a fresh
   temporary directory). Returns a malloc'd buffer or NULL (test_wat.c). */
uint8_t *test_wat2bin(const char *text, size_t *len);
void test_register(const char *name, const char *file, test_fn fn);

#define TEST(name)                                                             \
  static void test_##name(int *test_failed_);                                  \
  __attribute__((constructor)) static void test_reg_##name(void) {             \
    test_register(#name, __FILE__, test_##name);                               \
  }                                                                            \
  static void test_##name(int *test_failed_)

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,       \
              #cond);                                                          \
      *test_failed_ = 1;                                                       \
    }                                                                          \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                     \
  do {                                                                         \
    long long a_ = (long long)(a), b_ = (long long)(b);                        \
    if (a_ != b_) {                                                            \
      fprintf(stderr, "  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__,  \
              __LINE__, #a, a_, #b, b_);                                       \
      *test_failed_ = 1;                                                       \
    }                                                                          \
  } while (0)

#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *a_ = (a), *b_ = (b);                                           \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                   \
      fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,       \
              a_ ? a_ : "(null)", b_ ? b_ : "(null)");                         \
      *test_failed_ = 1;                                                       \
    }                                                                          \
  } while (0)

#endif /* AW_TEST_H */
