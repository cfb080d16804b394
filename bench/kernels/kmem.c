/*
 * bench/kernels/kmem.c - memset/memcpy/memmove for the wasm builds of the
 * kernels (there is no libc in those modules; clang may turn loops into
 * calls to these).  Compiled with -fno-builtin so the loops below are not
 * themselves turned back into calls.  Not used natively (libc's are).
 */
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t len);
void *memcpy(void *restrict dst, const void *restrict src, size_t len);
void *memmove(void *dst, const void *src, size_t len);

void *memset(void *dst, int c, size_t len) {
  uint8_t *d = dst;
  uint32_t word = (uint8_t)c * 0x01010101u;
  while (len > 0 && ((uintptr_t)d & 3u)) {
    *d++ = (uint8_t)c;
    len--;
  }
  for (; len >= 4; len -= 4, d += 4)
    *(uint32_t *)(void *)d = word;
  while (len-- > 0)
    *d++ = (uint8_t)c;
  return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t len) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (len-- > 0)
    *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t len) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s) {
    while (len-- > 0)
      *d++ = *s++;
  } else {
    while (len-- > 0)
      d[len] = s[len];
  }
  return dst;
}
