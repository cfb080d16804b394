/*
 * engine.c - engines: configuration and the canonical function-type
 * registry.
 *
 * Every distinct signature seen by an engine gets one id, so that two
 * functions have the same type exactly when their ids are equal
 * (call_indirect and import matching compare one integer).  Modules are
 * compiled from many threads, so the registry is guarded by a mutex; it is
 * only touched when a module is created or a host function is defined,
 * never on a call.  Ids are never recycled: the registry only grows, by at
 * most the number of distinct signatures the host feeds the engine.
 */
#include "runtime/rt_internal.h"

void aw_engine_config_default(aw_engine_config *cfg) {
  if (!cfg) return;
  cfg->consume_fuel = true;
  cfg->simd = true;
  cfg->thread_timer = false;
  cfg->compile_units_per_byte = AW_DEFAULT_COMPILE_UNITS_PER_BYTE;
  cfg->compile_units_base = AW_DEFAULT_COMPILE_UNITS_BASE;
}

aw_engine *aw_engine_new(const aw_engine_config *cfg) {
  aw_engine *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  if (cfg)
    e->cfg = *cfg;
  else
    aw_engine_config_default(&e->cfg);
  if (pthread_mutex_init(&e->lock, NULL) != 0) {
    free(e);
    return NULL;
  }
  return e;
}

void aw_engine_free(aw_engine *e) {
  if (!e) return;
  for (uint32_t i = 0; i < e->ntypes; i++)
    free(e->types[i].params);
  free(e->types);
  free(e->type_index);
  pthread_mutex_destroy(&e->lock);
  free(e);
}

static uint32_t type_hash(const wm_functype *t) {
  uint32_t h = 2166136261u;
  h = (h ^ t->nparams) * 16777619u;
  h = (h ^ t->nresults) * 16777619u;
  for (uint32_t i = 0; i < t->nparams; i++)
    h = (h ^ t->params[i]) * 16777619u;
  for (uint32_t i = 0; i < t->nresults; i++)
    h = (h ^ t->results[i]) * 16777619u;
  return h ^ (h >> 15);
}

static bool type_equal(const wm_functype *a, const wm_functype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         (a->nparams == 0 || memcmp(a->params, b->params, a->nparams) == 0) &&
         (a->nresults == 0 || memcmp(a->results, b->results, a->nresults) == 0);
}

/* Rebuilds the index with room for at least 2 * need entries. */
static bool rehash(aw_engine *e, uint32_t need) {
  uint64_t cap = 64;
  while (cap < (uint64_t)need * 2)
    cap *= 2;
  if (cap > UINT32_MAX) return false;
  uint32_t *idx = malloc((size_t)cap * sizeof *idx);
  if (!idx) return false;
  memset(idx, 0xFF, (size_t)cap * sizeof *idx);
  uint32_t mask = (uint32_t)cap - 1;
  for (uint32_t id = 0; id < e->ntypes; id++) {
    uint32_t h = type_hash(&e->types[id]) & mask;
    while (idx[h] != UINT32_MAX)
      h = (h + 1) & mask;
    idx[h] = id;
  }
  free(e->type_index);
  e->type_index = idx;
  e->index_cap = (uint32_t)cap;
  return true;
}

uint32_t rt_engine_intern_type(aw_engine *e, const wm_functype *t) {
  uint32_t id = UINT32_MAX;
  pthread_mutex_lock(&e->lock);
  if (e->index_cap == 0 && !rehash(e, 32)) goto out;
  uint32_t mask = e->index_cap - 1;
  uint32_t h = type_hash(t) & mask;
  for (; e->type_index[h] != UINT32_MAX; h = (h + 1) & mask) {
    if (type_equal(&e->types[e->type_index[h]], t)) {
      id = e->type_index[h];
      goto out;
    }
  }
  /* New signature: copy it (one block for params and results). */
  if (e->ntypes == UINT32_MAX - 1) goto out;
  if (!aw_grow((void **)&e->types, sizeof *e->types, &e->captypes,
               e->ntypes + 1))
    goto out;
  size_t n = (size_t)t->nparams + t->nresults;
  uint8_t *block = malloc(n ? n : 1);
  if (!block) goto out;
  if (t->nparams) memcpy(block, t->params, t->nparams);
  if (t->nresults) memcpy(block + t->nparams, t->results, t->nresults);
  wm_functype *nt = &e->types[e->ntypes];
  nt->nparams = t->nparams;
  nt->nresults = t->nresults;
  nt->params = block;
  nt->results = block + t->nparams;
  uint32_t new_id = e->ntypes++;
  if ((uint64_t)e->ntypes * 2 > e->index_cap) {
    if (!rehash(e, e->ntypes)) {
      e->ntypes--;
      free(block);
      goto out;
    }
  } else {
    e->type_index[h] = new_id;
  }
  id = new_id;
out:
  pthread_mutex_unlock(&e->lock);
  return id;
}
