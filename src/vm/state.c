/*
 * state.c - the interpreter's per-store state: allocation of the value and
 * frame stacks to the store's limits, fuel and interrupt accessors.
 */
#include "compile/code.h"
#include "util/util.h"
#include "vm/vm.h"
#include "vm/vm_state.h"

static bool vm_stacks_alloc(vm_state *st, uint32_t nslots, uint32_t nframes) {
  aw_slot *slots = malloc((size_t)nslots * sizeof *slots);
  vm_frame *frames = malloc((size_t)nframes * sizeof *frames);
  if (!slots || !frames) {
    free(slots);
    free(frames);
    return false;
  }
  free(st->slots);
  free(st->frames);
  st->slots = st->top = slots;
  st->slots_end = slots + nslots;
  st->frames = st->ftop = frames;
  st->frames_end = frames + nframes;
  st->max_slots = nslots;
  st->max_frames = nframes;
  return true;
}

vm_state *vm_state_get(aw_store *s, aw_error *err) {
  vm_state *st = s->vm;
  uint32_t nslots = s->max_slots ? s->max_slots : VM_DEFAULT_SLOTS;
  uint32_t nframes = s->max_frames ? s->max_frames : VM_DEFAULT_FRAMES;
  if (!st) {
    st = calloc(1, sizeof *st);
    if (!st) goto oom;
    st->fuel = INT64_MAX;
    cg_set_opcode(st->exit_code, CG_OP_EXIT);
    s->vm = st;
  }
  if (st->depth == 0 &&
      (!st->slots || st->max_slots != nslots || st->max_frames != nframes)) {
    if (!vm_stacks_alloc(st, nslots, nframes)) goto oom;
  }
  return st;
oom:
  aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
          "out of memory allocating the interpreter stacks");
  return NULL;
}

bool vm_set_fuel(aw_store *s, uint64_t fuel) {
  vm_state *st = vm_state_get(s, NULL);
  if (!st) return false;
  st->fuel = fuel > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fuel;
  return true;
}

uint64_t vm_get_fuel(aw_store *s) {
  vm_state *st = s->vm;
  if (!st) return (uint64_t)INT64_MAX;
  return st->fuel < 0 ? 0 : (uint64_t)st->fuel;
}

_Atomic uint32_t *vm_interrupt_flag(aw_store *s) {
  return s ? &s->interrupt : NULL;
}

void vm_store_free(aw_store *s) {
  vm_state *st = s ? s->vm : NULL;
  if (!st) return;
  free(st->slots);
  free(st->frames);
  free(st->scratch);
  free(st);
  s->vm = NULL;
}
