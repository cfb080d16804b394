/*
 * bench/kernels/hash.c - a SHA-256-shaped compression function over a
 * generated buffer.
 *
 * Exercises 32-bit rotates, and/xor/not, additions and a small array (the
 * 64-word message schedule) in a tight loop with no calls.  The round
 * constants and the initial state come from our PRNG (this is not SHA-256
 * and is not meant to be a secure hash; it has the same shape and cost).
 * n = number of 64-byte blocks compressed; the 16 KiB buffer is reused
 * cyclically and the state is chained between blocks.
 */
#include "kernel.h"

#define HASH_BUF 16384u

static uint8_t hash_buf[HASH_BUF];
static uint32_t hash_k[64];

static uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
         ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void compress(uint32_t st[8], const uint8_t *block) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = load_be32(block + 4 * i);
  for (int i = 16; i < 64; i++) {
    uint32_t s0 =
        k_rotr32(w[i - 15], 7) ^ k_rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 =
        k_rotr32(w[i - 2], 17) ^ k_rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
  uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
  for (int i = 0; i < 64; i++) {
    uint32_t S1 = k_rotr32(e, 6) ^ k_rotr32(e, 11) ^ k_rotr32(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = h + S1 + ch + hash_k[i] + w[i];
    uint32_t S0 = k_rotr32(a, 2) ^ k_rotr32(a, 13) ^ k_rotr32(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = S0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  st[0] += a;
  st[1] += b;
  st[2] += c;
  st[3] += d;
  st[4] += e;
  st[5] += f;
  st[6] += g;
  st[7] += h;
}

uint32_t bench_hash(uint32_t n) {
  uint32_t seed = 0x6a09e667u;
  for (uint32_t i = 0; i < HASH_BUF; i++)
    hash_buf[i] = (uint8_t)(k_rand(&seed) >> 11);
  for (int i = 0; i < 64; i++)
    hash_k[i] = k_rand(&seed);
  uint32_t st[8];
  for (int i = 0; i < 8; i++)
    st[i] = k_rand(&seed);
  uint32_t off = 0;
  for (uint32_t blk = 0; blk < n; blk++) {
    compress(st, hash_buf + off);
    off = (off + 64u) % HASH_BUF;
  }
  uint32_t r = 0;
  for (int i = 0; i < 8; i++)
    r = k_rotl32(r, 5) ^ st[i];
  return r;
}
