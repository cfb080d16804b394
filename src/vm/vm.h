/*
 * vm.h - the interpreter: executes compiled code (src/compile) on a store.
 *
 * Calls between wasm functions never recurse on the C stack: frames and
 * values live in the store's preallocated stack, bounded by the store's
 * limits, and exhausting it is the trap "call stack exhausted".
 */
#ifndef AW_VM_H
#define AW_VM_H

#include "runtime.h"

/* Calls f with args (one slot per parameter, in order) and writes its
   results to results.  Host functions are called directly.  Returns AW_OK
   or the error kind with err filled (traps carry their aw_trapkind). */
aw_errkind vm_call(aw_store *s, aw_func *f, const aw_slot *args,
                   aw_slot *results, aw_error *err);

/* Fuel available to the store's executions.  Code compiled with fuel
   (cg_options.fuel) charges each basic block the cost of its operators;
   an operator the remaining fuel cannot pay for does not run and the
   execution stops with AW_ERR_OUT_OF_FUEL (so fuel left ends at 0).  A
   trap refunds the operators of its block after the trapping one.  Values
   above INT64_MAX mean unlimited (the default).  false on OOM. */
bool vm_set_fuel(aw_store *s, uint64_t fuel);

/* Fuel left: the last vm_set_fuel minus what ran since. */
uint64_t vm_get_fuel(aw_store *s);

/* The store's interrupt flag (aw_store.interrupt, for the watchdog):
   while nonzero, a running execution stops at its next loop header,
   function entry or bulk-operation chunk with AW_ERR_TIMEOUT, and a host
   function or call that returns while it is set ends with AW_ERR_TIMEOUT.
   Only its owner clears it.  NULL for a NULL store. */
_Atomic uint32_t *vm_interrupt_flag(aw_store *s);

/* Releases the store's interpreter state (s->vm). */
void vm_store_free(aw_store *s);

#endif /* AW_VM_H */
