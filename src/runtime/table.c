/*
 * table.c - tables: creation, growth under the declared maximum, the
 * store's memory budget, the host's optional element cap and the engine's
 * element limit (RT_TABLE_MAX_ELEMS), and the public table API.
 *
 * Budget: a table costs RT_OBJ_BYTES of overhead plus RT_TABLE_ELEM_BYTES
 * per allocated element (its capacity), charged before the allocation;
 * geometric growth falls back to the exact size when the doubled capacity
 * would not fit.  The number of live tables of a store is capped at
 * RT_MAX_TABLES.
 *
 * Elements are a plain array of pointers (aw_func* for funcref, the host's
 * pointer for externref, NULL for null), grown geometrically; the array
 * may move on a grow, so the interpreter reloads t->elems after
 * table.grow.  A table never allocates more than its current size rounded
 * up, so a hostile declared maximum costs nothing until it is used, and a
 * declared minimum beyond the limits fails at creation.
 */
#include "airssys/limits.h"
#include "runtime/rt_internal.h"

/* Largest size t may reach: the declared max, the cap and the limit. */
static uint64_t table_reach(wm_limits lim, uint32_t cap) {
  uint64_t n = lim.has_max ? lim.max : UINT32_MAX;
  if (cap == RT_TABLE_CAP_ZERO)
    n = 0;
  else if (cap && cap < n)
    n = cap;
  if (n > RT_TABLE_MAX_ELEMS) n = RT_TABLE_MAX_ELEMS;
  return n;
}

_Static_assert(sizeof(aw_table) + sizeof(rt_object) <= RT_OBJ_BYTES,
               "RT_OBJ_BYTES must cover a table's bookkeeping");

aw_table *rt_table_new(aw_store *s, uint8_t elem, wm_limits lim, uint32_t cap,
                       void *init, aw_error *err) {
  if (lim.has_max && lim.max < lim.min) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "table minimum %u exceeds its maximum %u", lim.min, lim.max);
    return NULL;
  }
  uint64_t limit = table_reach((wm_limits){0, 0, false}, cap);
  if (lim.min > limit) {
    aw_error_limit_exceeded(err, AW_RESOURCE_TABLE_ELEMENTS, limit, lim.min);
    return NULL;
  }
  if (s && s->budget.ntables >= RT_MAX_TABLES) {
    aw_error_limit_exceeded(err, AW_RESOURCE_TABLES, RT_MAX_TABLES,
                            (uint64_t)s->budget.ntables + 1);
    return NULL;
  }
  /* Charged before anything is allocated: overhead, then the elements. */
  uint64_t bytes = (uint64_t)lim.min * RT_TABLE_ELEM_BYTES;
  if (!rt_budget_fits(s, RT_OBJ_BYTES + bytes)) {
    rt_budget_take(s, RT_BUDGET_TABLES, RT_OBJ_BYTES + bytes, err); /* fails */
    return NULL;
  }
  rt_budget_take(s, RT_BUDGET_HOST, RT_OBJ_BYTES, NULL);
  rt_budget_take(s, RT_BUDGET_TABLES, bytes, NULL);
  aw_table *t = calloc(1, sizeof *t);
  void **elems = aw_calloc(lim.min, sizeof *elems);
  if (!t || !elems) {
    free(t);
    free(elems);
    rt_budget_give(s, RT_BUDGET_TABLES, bytes);
    rt_budget_give(s, RT_BUDGET_HOST, RT_OBJ_BYTES);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
            "out of memory allocating a table of %u elements", lim.min);
    return NULL;
  }
  if (s) s->budget.ntables++;
  t->store = s;
  t->charged = bytes;
  if (init)
    for (uint32_t i = 0; i < lim.min; i++)
      elems[i] = init;
  t->elem = elem;
  t->size = lim.min;
  t->capacity = lim.min;
  t->type = lim;
  t->cap = cap;
  t->elems = elems;
  return t;
}

void rt_table_free(aw_table *t) {
  if (!t) return;
  if (t->store) {
    rt_budget_give(t->store, RT_BUDGET_TABLES, t->charged);
    rt_budget_give(t->store, RT_BUDGET_HOST, RT_OBJ_BYTES);
    t->store->budget.ntables--;
  }
  free(t->elems);
  free(t);
}

bool rt_table_can_grow(const aw_table *t, uint32_t delta) {
  uint64_t n = (uint64_t)t->size + delta;
  if (n > table_reach(t->type, t->cap)) return false;
  return n <= t->capacity ||
         rt_budget_fits(t->store, (n - t->capacity) * RT_TABLE_ELEM_BYTES);
}

/* The refused grow: counted in the store's figures. */
static int64_t grow_refused(aw_table *t) {
  if (t->store) t->store->budget.failed_grows++;
  return -1;
}

int64_t rt_table_grow(aw_table *t, uint32_t delta, void *init) {
  return rt_table_grow_checked(t, delta, init, NULL);
}

int64_t rt_table_grow_checked(aw_table *t, uint32_t delta, void *init,
                              aw_store *s) {
  uint32_t old = t->size;
  if (delta == 0) return old;
  uint64_t n = (uint64_t)old + delta;
  if (n > table_reach(t->type, t->cap)) return grow_refused(t);
  if (n > t->capacity) {
    /* Geometric growth, bounded by what the table may reach and by the
       budget (then exactly n): charged before the realloc. */
    uint64_t ncap = (uint64_t)t->capacity * 2;
    if (ncap < n) ncap = n;
    if (ncap < 16) ncap = 16;
    uint64_t reach = table_reach(t->type, t->cap);
    if (ncap > reach) ncap = reach;
    uint64_t more = (ncap - t->capacity) * RT_TABLE_ELEM_BYTES;
    if (!rt_budget_take(t->store, RT_BUDGET_TABLES, more, NULL)) {
      ncap = n;
      more = (ncap - t->capacity) * RT_TABLE_ELEM_BYTES;
      if (!rt_budget_take(t->store, RT_BUDGET_TABLES, more, NULL))
        return grow_refused(t);
    }
    void **p = realloc(t->elems, (size_t)ncap * sizeof *p);
    if (!p) {
      rt_budget_give(t->store, RT_BUDGET_TABLES, more);
      return grow_refused(t);
    }
    t->charged += more;
    t->elems = p;
    t->capacity = (uint32_t)ncap;
  }
  for (uint64_t i = old; i < n; i++) {
    t->elems[i] = init;
    if (s && (i + 1 - old) % RT_CHUNK_ELEMS == 0 && i + 1 < n &&
        rt_interrupted(s))
      return RT_TABLE_GROW_INTERRUPTED; /* size unchanged */
  }
  t->size = (uint32_t)n;
  t->type.min = (uint32_t)n;
  return old;
}

aw_table *aw_table_new(aw_store *s, aw_valkind elem, aw_limits limits,
                       void *init, aw_error *err) {
  aw_error_clear(err);
  if (!s || (elem != AW_FUNCREF && elem != AW_EXTERNREF)) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            s ? "table element type must be funcref or externref"
              : "aw_table_new: store is NULL");
    return NULL;
  }
  wm_limits lim = {limits.min, limits.has_max ? limits.max : 0, limits.has_max};
  aw_table *t = rt_table_new(s, (uint8_t)elem, lim, s->table_cap, init, err);
  if (!t) return NULL;
  if (!rt_store_own(s, AW_EXTERN_TABLE, t)) {
    rt_table_free(t);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  return t;
}

uint32_t aw_table_size(const aw_table *t) {
  return t ? t->size : 0;
}
