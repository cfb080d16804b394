/*
 * bench/kernels/crc32.c - table-driven CRC-32 (the reflected IEEE 802.3
 * polynomial) over a generated buffer.
 *
 * Exercises byte loads, table lookups, shifts and xors: one dependent
 * table load per byte.  The 256-entry table is rebuilt on every call (part
 * of the work).  n = number of passes over the 64 KiB buffer; each pass's
 * CRC feeds the next as its initial value.
 */
#include "kernel.h"

#define CRC_BUF 65536u

static uint8_t crc_buf[CRC_BUF];
static uint32_t crc_table[256];

static void crc_make_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
      c = (c & 1u) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, uint32_t len) {
  crc = ~crc;
  for (uint32_t i = 0; i < len; i++)
    crc = crc_table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
  return ~crc;
}

uint32_t bench_crc32(uint32_t n) {
  uint32_t seed = 0x1badb002u;
  for (uint32_t i = 0; i < CRC_BUF; i++)
    crc_buf[i] = (uint8_t)(k_rand(&seed) >> 24);
  crc_make_table();
  uint32_t crc = 0;
  for (uint32_t pass = 0; pass < n; pass++)
    crc = crc_update(crc, crc_buf, CRC_BUF);
  return crc;
}
