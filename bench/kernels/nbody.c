/*
 * bench/kernels/nbody.c - gravitational n-body simulation (16 bodies,
 * softened forces, symplectic Euler steps).
 *
 * Exercises f64 arithmetic with division and sqrt, struct-of-arrays
 * access and a doubly nested pair loop.  Initial positions, velocities
 * and masses come from our PRNG.  n = number of time steps.  The checksum
 * hashes the exact bits of the final energy and every body's position.
 */
#include "kernel.h"

#define NB 16

static double px[NB], py[NB], pz[NB];
static double vx[NB], vy[NB], vz[NB];
static double mass[NB];

static double energy(void) {
  double e = 0.0;
  for (int i = 0; i < NB; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < NB; j++) {
      double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
      e -= mass[i] * mass[j] /
           __builtin_sqrt(dx * dx + dy * dy + dz * dz + 0.01);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < NB; i++) {
    for (int j = i + 1; j < NB; j++) {
      double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
      double d2 = dx * dx + dy * dy + dz * dz + 0.01;
      double mag = dt / (d2 * __builtin_sqrt(d2));
      double mi = mass[i] * mag, mj = mass[j] * mag;
      vx[i] -= dx * mj;
      vy[i] -= dy * mj;
      vz[i] -= dz * mj;
      vx[j] += dx * mi;
      vy[j] += dy * mi;
      vz[j] += dz * mi;
    }
  }
  for (int i = 0; i < NB; i++) {
    px[i] += dt * vx[i];
    py[i] += dt * vy[i];
    pz[i] += dt * vz[i];
  }
}

uint64_t bench_nbody(uint32_t n) {
  uint32_t seed = 0xbb67ae85u;
  for (int i = 0; i < NB; i++) {
    px[i] = 10.0 * k_rand_f64(&seed);
    py[i] = 10.0 * k_rand_f64(&seed);
    pz[i] = 10.0 * k_rand_f64(&seed);
    vx[i] = 0.1 * k_rand_f64(&seed);
    vy[i] = 0.1 * k_rand_f64(&seed);
    vz[i] = 0.1 * k_rand_f64(&seed);
    mass[i] = 1.0 + k_rand_f64(&seed);
  }
  uint64_t h = k_f64_bits(energy());
  for (uint32_t s = 0; s < n; s++)
    advance(0.001);
  h = k_mix64(h, k_f64_bits(energy()));
  for (int i = 0; i < NB; i++) {
    h = k_mix64(h, k_f64_bits(px[i]));
    h = k_mix64(h, k_f64_bits(py[i]));
    h = k_mix64(h, k_f64_bits(pz[i]));
  }
  return h;
}
