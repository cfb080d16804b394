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

/* Releases the store's interpreter state (s->vm). */
void vm_store_free(aw_store *s);

#endif /* AW_VM_H */
