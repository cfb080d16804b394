/*
 * fz_gen.h - structure-aware generator for fuzz_gen: turns arbitrary fuzz
 * bytes into a module that is valid by construction (loops, branches,
 * br_table, direct/indirect/host calls, memory, table, bulk-memory, i64 and
 * float ops), so that the fuzzer spends its time in the interpreter
 * instead of being rejected by the decoder.
 */
#ifndef FZ_GEN_H
#define FZ_GEN_H

#include <stddef.h>
#include <stdint.h>

/* Builds a module from data[0..size); returns a malloc'd buffer of *len
   bytes, or NULL on out-of-memory.  Deterministic in its input. */
uint8_t *fz_gen_module(const uint8_t *data, size_t size, size_t *len);

#endif /* FZ_GEN_H */
