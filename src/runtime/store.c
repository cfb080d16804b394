/*
 * store.c - stores: ownership of every runtime object (host functions,
 * memories, tables, globals, instances), stack limits, and what a host
 * function sees of its caller.
 *
 * Objects are kept on a singly linked list and released together by
 * aw_store_free; nothing is freed earlier, because references to functions
 * and tables can spread between instances of one store in ways the store
 * does not track (tables, globals, imports).
 */
#include "airssys/executor.h"
#include "airssys/limits.h"
#include "limits/watchdog.h"
#include "runtime/rt_internal.h"
#include "vm/vm.h"
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

aw_store *aw_store_new(aw_engine *engine) {
  if (!engine) return NULL;
  aw_store *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->engine = engine;
  s->budget.limit = UINT64_MAX; /* no budget until limits are applied */
  atomic_init(&s->wake_fd, -1);
  atomic_init(&s->interrupt, 0);
  /* max_frames / max_slots stay 0: "the interpreter's default". */
  return s;
}

/* ---- the memory budget ---- */

bool rt_budget_fits(const aw_store *s, uint64_t bytes) {
  if (!s) return true;
  const rt_budget *b = &s->budget;
  return b->used <= b->limit && bytes <= b->limit - b->used;
}

bool rt_budget_take(aw_store *s, rt_budget_kind kind, uint64_t bytes,
                    aw_error *err) {
  if (!s) return true;
  rt_budget *b = &s->budget;
  if (!rt_budget_fits(s, bytes)) {
    uint64_t want = bytes > UINT64_MAX - b->used ? UINT64_MAX : b->used + bytes;
    if (err) aw_error_limit_exceeded(err, AW_RESOURCE_MEMORY, b->limit, want);
    return false;
  }
  b->used += bytes;
  b->now[kind] += bytes;
  if (b->used > b->peak) b->peak = b->used;
  if (b->now[kind] > b->high[kind]) b->high[kind] = b->now[kind];
  return true;
}

void rt_budget_give(aw_store *s, rt_budget_kind kind, uint64_t bytes) {
  if (!s) return;
  rt_budget *b = &s->budget;
  if (bytes > b->now[kind]) bytes = b->now[kind]; /* never below zero */
  b->now[kind] -= bytes;
  b->used -= bytes;
}

bool rt_store_own(aw_store *s, int kind, void *obj) {
  rt_object *o = malloc(sizeof *o);
  if (!o) return false;
  o->next = s->objects;
  o->kind = (aw_externkind)kind;
  o->obj = obj;
  s->objects = o;
  return true;
}

static void free_object(rt_object *o) {
  switch ((int)o->kind) {
  case AW_EXTERN_FUNC:
    rt_func_release(o->obj);
    free(o->obj);
    break;
  case AW_EXTERN_TABLE: rt_table_free(o->obj); break;
  case AW_EXTERN_MEMORY: rt_memory_free(o->obj); break;
  case AW_EXTERN_GLOBAL: free(o->obj); break;
  case RT_OBJ_INSTANCE: rt_instance_free(o->obj); break;
  }
}

void aw_store_free(aw_store *s) {
  if (!s) return;
  /* The interpreter state first: it may point at objects of the store. */
  vm_store_free(s);
  /* After the disarm the watchdog never touches the flag or the fd. */
  if (s->deadline_h) wd_disarm(s->deadline_h, NULL);
  int fd = atomic_load(&s->wake_fd);
  if (fd >= 0) close(fd);
  rt_object *o = s->objects;
  while (o) {
    rt_object *next = o->next;
    free_object(o);
    free(o);
    o = next;
  }
  free(s);
}

void aw_store_set_stack_limits(aw_store *s, uint32_t max_frames,
                               uint32_t max_slots) {
  if (!s) return;
  if (max_frames) s->max_frames = max_frames;
  if (max_slots) s->max_slots = max_slots;
}

aw_memory *aw_caller_memory(aw_caller *caller) {
  if (!caller || !caller->inst) return NULL;
  const aw_instance *inst = caller->inst;
  return inst->module->m.nmems ? inst->mems[0] : NULL;
}

aw_store *aw_caller_store(aw_caller *caller) {
  return caller ? caller->store : NULL;
}

aw_errkind rt_store_timeout(aw_store *s, aw_error *err, uint64_t start_ns) {
  uint64_t now = wd_now_ns();
  uint32_t bits = atomic_load(&s->interrupt);
  bool has_deadline = s->deadline_ns != 0;
  /* A host function's own AW_ERR_TIMEOUT, with neither the deadline
     passed nor an interrupt: its error stands. */
  if (!bits && !(has_deadline && now >= s->deadline_ns)) return AW_ERR_TIMEOUT;
  uint64_t from = has_deadline ? s->deadline_set_ns : start_ns;
  uint64_t elapsed_ms = now > from ? (now - from) / 1000000u : 0;
  uint64_t limit_ms =
      has_deadline
          ? (s->deadline_ns > from ? s->deadline_ns - from : 0) / 1000000u
          : AW_NO_LIMIT;
  bool metered = s->fuel_set && s->engine->cfg.consume_fuel;
  uint64_t consumed = metered ? aw_store_fuel_consumed(s) : 0;
  bool host =
      (bits & RT_INTERRUPT_HOST) && !((bits & RT_INTERRUPT_DEADLINE) ||
                                      (has_deadline && now >= s->deadline_ns));
  aw_error_timeout(err, limit_ms, elapsed_ms, metered, consumed);
  if (err && host) {
    err->figures.timeout.interrupted = true;
    if (metered)
      snprintf(err->message, sizeof err->message,
               "Component execution cancelled after %" PRIu64
               " ms (fuel consumed: %" PRIu64 ")",
               elapsed_ms, consumed);
    else
      snprintf(err->message, sizeof err->message,
               "Component execution cancelled after %" PRIu64
               " ms (fuel consumed: unknown)",
               elapsed_ms);
  }
  return AW_ERR_TIMEOUT;
}

aw_errkind rt_store_out_of_fuel(aw_store *s, aw_error *err) {
  uint64_t max = s->fuel_set ? s->fuel_added : 0;
  return aw_error_out_of_fuel(err, max, aw_store_fuel_consumed(s));
}
