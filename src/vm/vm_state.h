/*
 * vm_state.h - the interpreter's per-store state (aw_store.vm): the value
 * stack, the frame stack and fuel.  Private to src/vm.
 */
#ifndef AW_VM_STATE_H
#define AW_VM_STATE_H

#include "runtime.h"
#include <stdatomic.h>

struct cg_code;

/* Defaults when the store sets no limit: 1 Mi slots (8 MiB, reserved
   lazily by the OS) and 64 Ki frames; deep enough for real programs,
   small enough that runaway recursion traps in milliseconds. */
#define VM_DEFAULT_SLOTS (1u << 20)
#define VM_DEFAULT_FRAMES (1u << 16)
/* Host -> wasm -> host ... re-entries nest C frames; bound them. */
#define VM_MAX_NESTING 256u

/* One activation record of a wasm call. */
typedef struct vm_frame {
  const uint32_t *ret_ip;     /* where the caller continues */
  aw_slot *fp;                /* caller's frame */
  aw_instance *inst;          /* caller's instance */
  aw_memory *mem;             /* caller's memory 0 */
  const struct cg_code *code; /* caller's code (NULL for the entry) */
} vm_frame;

typedef struct vm_state {
  aw_slot *slots, *slots_end;
  aw_slot *top; /* first slot free for a new (nested) execution */
  vm_frame *frames, *frames_end;
  vm_frame *ftop; /* first free frame */
  uint32_t max_slots, max_frames;
  uint32_t depth; /* nested vm_call executions */
  int64_t fuel;   /* remaining fuel (INT64_MAX: unlimited) */
  /* The interrupt flag is the store's (aw_store.interrupt). */
  uint32_t exit_code[2]; /* the EXIT instruction, threaded */
  /* The interpreter's hot state, saved around C calls so that none of it
     is live across a call (see VM_CALLOUT in interp.c). */
  const uint32_t *hot_ip;
  aw_slot *hot_fp;
  aw_instance *hot_inst;
  aw_memory *hot_memobj;
  const struct cg_code *hot_code;
  /* The last basic block, when fuel cannot pay for all of it: a copy of
     the instructions it can pay for, then OUT_OF_FUEL. */
  uint32_t *scratch;
  uint32_t scratch_cap;
  uint32_t scratch_from; /* cell of code the copy starts at */
  uint32_t scratch_paid; /* operators paid for */
  const struct cg_code *scratch_code;
} vm_state;

/* The store's state, created or resized (when idle) to its limits.  NULL
   with err on OOM. */
vm_state *vm_state_get(aw_store *s, aw_error *err);

#endif /* AW_VM_STATE_H */
