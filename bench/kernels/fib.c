/*
 * bench/kernels/fib.c - doubly recursive Fibonacci.
 *
 * Exercises function calls and returns: roughly 2 * fib(n) calls with
 * almost no work in each, so the cost is the engine's call path (frame
 * setup, argument passing, return).  n = the Fibonacci index.
 *
 * fib is marked noinline: gcc -O2 otherwise inlines the recursion into
 * itself several levels deep, which removes most of the calls this kernel
 * exists to measure (clang does not do that for wasm).  Both builds then
 * make the same ~2 * fib(n) calls.
 */
#include "kernel.h"

__attribute__((noinline)) static uint64_t fib(uint32_t k) {
  if (k < 2) return k;
  return fib(k - 1) + fib(k - 2);
}

uint64_t bench_fib(uint32_t n) {
  return fib(n);
}
