/*
 * bench/kernels/strsearch.c - Boyer-Moore-Horspool substring search over
 * generated text.
 *
 * Exercises byte loads, a 256-entry skip table, inner compare loops with
 * early exits and unpredictable branches.  The 256 KiB text uses a skewed
 * 16-letter alphabet plus spaces (so patterns match partially often).
 * Patterns are 3-34 bytes long; every other one is cut out of the text so
 * it matches at least once, the rest are random.  n = number of patterns
 * searched.  The checksum folds each pattern's match count and positions.
 */
#include "kernel.h"

#define TEXT_LEN 262144u
#define PAT_MAX 34u

static uint8_t text[TEXT_LEN];
static uint32_t skip[256];

static uint8_t gen_char(uint32_t *seed) {
  uint32_t r = k_rand(seed);
  if ((r & 7u) == 0) return ' ';
  /* min of two draws favours the first letters */
  uint32_t a = (r >> 8) & 15u, b = (r >> 16) & 15u;
  return (uint8_t)('a' + (a < b ? a : b));
}

static uint64_t bmh_search(const uint8_t *pat, uint32_t m, uint64_t h) {
  for (uint32_t c = 0; c < 256; c++)
    skip[c] = m;
  for (uint32_t i = 0; i + 1 < m; i++)
    skip[pat[i]] = m - 1 - i;
  uint32_t count = 0;
  uint32_t pos = 0;
  const uint8_t last = pat[m - 1];
  while (pos <= TEXT_LEN - m) {
    uint8_t c = text[pos + m - 1];
    if (c == last) {
      uint32_t j = 0;
      while (j + 1 < m && text[pos + j] == pat[j])
        j++;
      if (j + 1 == m) {
        count++;
        h = k_mix64(h, pos);
      }
    }
    pos += skip[c];
  }
  return k_mix64(h, count);
}

uint64_t bench_strsearch(uint32_t n) {
  uint32_t seed = 0x9e3779b9u;
  for (uint32_t i = 0; i < TEXT_LEN; i++)
    text[i] = gen_char(&seed);
  uint8_t pat[PAT_MAX];
  uint64_t h = 0;
  for (uint32_t p = 0; p < n; p++) {
    uint32_t m = 3u + k_rand(&seed) % (PAT_MAX - 2u);
    if (p & 1u) {
      for (uint32_t i = 0; i < m; i++)
        pat[i] = gen_char(&seed);
    } else {
      uint32_t at = k_rand(&seed) % (TEXT_LEN - m);
      for (uint32_t i = 0; i < m; i++)
        pat[i] = text[at + i];
    }
    h = bmh_search(pat, m, h);
  }
  return h;
}
