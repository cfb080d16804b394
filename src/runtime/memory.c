/*
 * memory.c - linear memories: creation, growth under the declared maximum,
 * the 65536-page limit and the host's cap, and the public memory API.
 *
 * Two layouts, chosen by the initial size:
 *
 * - Small memories (initial size <= RT_HEAP_MAX_BYTES, 1 MiB) start as a
 *   zeroed block from the malloc heap.  Most plugins instantiate small
 *   memories, often once per execution, and the heap makes that ~40x
 *   cheaper than a mapping (below).  Their first grow moves them to the
 *   mapped layout (one copy of at most 1 MiB); data moves then, which the
 *   API allows (aw_memory_data) and the interpreter handles (it reloads the
 *   base and size after memory.grow, calls and returns).
 *
 * - Mapped memories reserve address space for the largest size they may
 *   ever reach (min(declared max or 4 GiB, host cap)) with mmap(PROT_NONE)
 *   and make the current pages accessible with mprotect.  A grow is one
 *   mprotect of the new pages: nothing is copied, the kernel hands out
 *   zeroed pages lazily, and the base does not move.  PROT_NONE
 *   reservations cost no memory and are not charged against the commit
 *   limit; mprotect charges only the accessible part, so a grow the host
 *   cannot back fails cleanly (-1) instead of crashing later.  If the
 *   reservation cannot be made (e.g. RLIMIT_AS is tight), or the cap is
 *   raised past it, the memory maps exactly what it needs and moves (map
 *   new, copy, unmap old) on a grow beyond it.
 *
 * Measured (x86-64 Linux, 2 shared cores, gcc -O2), create + touch + free:
 *   pages   calloc    mmap 4 GiB reservation + mprotect
 *     1     0.4 us    17 us   (page faults, kernel zeroing, munmap's TLB
 *     4     1.6 us    17 us    flush dominate the mapping)
 *    16     6.2 us    17 us
 *    64    31.6 us    17 us   (calloc must zero every byte eagerly)
 * so the heap wins up to 16 pages.  store + instantiate (1-page memory,
 * 11-byte data segment, 3 table elements) + call + free: 26 us mapped,
 * ~1 us on the heap.  Growing one page at a time to 1000 pages costs
 * ~2.8 us per grow with mprotect against ~30 us with realloc + zeroing
 * (copies), hence the mapped layout for anything that grows.
 *
 * The interpreter checks every access explicitly (addr + offset + size <=
 * size in 64-bit arithmetic), so no guard region is needed.
 *
 * Budget: a memory costs RT_OBJ_BYTES of overhead plus its size (whole
 * pages), charged to its store's budget before the pages are made
 * accessible (calloc, mprotect or remap); PROT_NONE reservations cost
 * nothing and are not charged.  The number of live memories of a store
 * is capped at RT_MAX_MEMORIES.
 */
#include "airssys/limits.h"
#include "runtime/rt_internal.h"
#include <sys/mman.h>

#define RT_PAGE 65536u
#define RT_MAX_PAGES 65536u

/* Largest initial size served from the malloc heap (see above). */
#define RT_HEAP_MAX_BYTES (16u * RT_PAGE)

/* Base of memories of size 0 without a mapping: never dereferenced (every
   access to a 0-byte memory is out of bounds), but not NULL, so that
   memcpy/memset with length 0 get a valid pointer. */
static uint8_t empty_mem[16];

/* Largest size in bytes m may ever reach under its type and cap. */
static uint64_t reachable_bytes(wm_limits lim, uint64_t cap) {
  uint64_t pages = lim.has_max ? lim.max : RT_MAX_PAGES;
  if (pages > RT_MAX_PAGES) pages = RT_MAX_PAGES;
  uint64_t bytes = pages * RT_PAGE;
  if (cap && cap < bytes) bytes = cap / RT_PAGE * RT_PAGE;
  return bytes;
}

/* Maps reserve bytes of address space with the first size bytes
   accessible. NULL on failure. */
static uint8_t *map_region(uint64_t reserve, uint64_t size) {
  if (reserve > SIZE_MAX) return NULL;
  void *p = mmap(NULL, (size_t)reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
  if (p == MAP_FAILED) return NULL;
  if (size && mprotect(p, (size_t)size, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, (size_t)reserve);
    return NULL;
  }
  return p;
}

/* Releases m's bytes: a mapping, a heap block, or nothing (empty_mem). */
static void release(aw_memory *m) {
  if (m->reserved)
    munmap(m->data, (size_t)m->reserved);
  else if (m->data != empty_mem)
    free(m->data);
}

/* Gives m a mapping of at least size bytes, preferring a reservation of
   want bytes. Copies the current contents. false on failure. */
static bool remap(aw_memory *m, uint64_t size, uint64_t want) {
  uint64_t reserve = want > size ? want : size;
  uint8_t *p = map_region(reserve, size);
  if (!p && reserve > size) p = map_region(reserve = size, size);
  if (!p) return false;
  if (m->size) memcpy(p, m->data, (size_t)m->size);
  release(m);
  m->data = p;
  m->reserved = reserve;
  return true;
}

_Static_assert(sizeof(aw_memory) + sizeof(rt_object) <= RT_OBJ_BYTES,
               "RT_OBJ_BYTES must cover a memory's bookkeeping");

/* Returns what m charged to its store's budget. */
static void uncharge(aw_memory *m) {
  if (!m->store) return;
  rt_budget_give(m->store, RT_BUDGET_LINEAR, m->charged);
  rt_budget_give(m->store, RT_BUDGET_HOST, RT_OBJ_BYTES);
  m->store->budget.nmems--;
}

aw_memory *rt_memory_new(aw_store *s, wm_limits lim, uint64_t cap_bytes,
                         aw_error *err) {
  if (lim.min > RT_MAX_PAGES || (lim.has_max && lim.max < lim.min)) {
    aw_fail(err, AW_ERR_LIMIT_EXCEEDED, UINT64_MAX,
            "memory size must be at most 65536 pages (4GiB)");
    return NULL;
  }
  uint64_t size = (uint64_t)lim.min * RT_PAGE;
  if (cap_bytes && size > cap_bytes) {
    aw_error_limit_exceeded(err, AW_RESOURCE_MEMORY, cap_bytes, size);
    return NULL;
  }
  if (s && s->budget.nmems >= RT_MAX_MEMORIES) {
    aw_error_limit_exceeded(err, AW_RESOURCE_MEMORIES, RT_MAX_MEMORIES,
                            (uint64_t)s->budget.nmems + 1);
    return NULL;
  }
  /* Charged before anything is allocated. */
  if (!rt_budget_fits(s, RT_OBJ_BYTES + size)) {
    rt_budget_take(s, RT_BUDGET_LINEAR, RT_OBJ_BYTES + size, err); /* fails */
    return NULL;
  }
  aw_memory *m = calloc(1, sizeof *m);
  if (!m) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  if (s) {
    rt_budget_take(s, RT_BUDGET_HOST, RT_OBJ_BYTES, NULL);
    rt_budget_take(s, RT_BUDGET_LINEAR, size, NULL);
    s->budget.nmems++;
    m->store = s;
    m->charged = size;
  }
  m->type = lim;
  m->cap_bytes = cap_bytes;
  m->data = empty_mem;
  uint64_t reach = reachable_bytes(lim, cap_bytes);
  uint8_t *heap = size && size <= RT_HEAP_MAX_BYTES ? calloc(1, size) : NULL;
  if (heap)
    m->data = heap;
  else if (reach && !remap(m, size, reach)) {
    uncharge(m);
    free(m);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
            "out of memory allocating a memory of %u pages", lim.min);
    return NULL;
  }
  m->size = size;
  m->peak_bytes = size;
  return m;
}

void rt_memory_free(aw_memory *m) {
  if (!m) return;
  uncharge(m);
  release(m);
  free(m);
}

/* Grows m by delta pages, or returns false when the type, the cap, the
   budget or the host refuses. */
static bool grow(aw_memory *m, uint32_t delta) {
  uint64_t pages = m->size / RT_PAGE + delta;
  if (pages > RT_MAX_PAGES || (m->type.has_max && pages > m->type.max))
    return false;
  uint64_t bytes = pages * RT_PAGE;
  if (m->cap_bytes && bytes > m->cap_bytes) return false;
  uint64_t more = bytes - m->size;
  if (!rt_budget_take(m->store, RT_BUDGET_LINEAR, more, NULL)) return false;
  bool ok = bytes <= m->reserved
                ? mprotect(m->data + m->size, (size_t)more,
                           PROT_READ | PROT_WRITE) == 0
                : remap(m, bytes, reachable_bytes(m->type, m->cap_bytes));
  if (!ok) {
    rt_budget_give(m->store, RT_BUDGET_LINEAR, more);
    return false;
  }
  if (m->store) m->charged += more;
  m->size = bytes;
  m->type.min = (uint32_t)pages; /* pages <= 65536 here */
  if (bytes > m->peak_bytes) m->peak_bytes = bytes;
  return true;
}

int64_t rt_memory_grow(aw_memory *m, uint32_t delta) {
  uint64_t old_pages = m->size / RT_PAGE;
  if (delta == 0) return (int64_t)old_pages;
  if (!grow(m, delta)) {
    m->failed_grows++; /* every refusal: type, cap, budget or host memory */
    if (m->store) m->store->budget.failed_grows++;
    return -1;
  }
  return (int64_t)old_pages;
}

aw_memory *aw_memory_new(aw_store *s, aw_limits limits, aw_error *err) {
  aw_error_clear(err);
  if (!s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "aw_memory_new: store is NULL");
    return NULL;
  }
  if (limits.min > RT_MAX_PAGES ||
      (limits.has_max &&
       (limits.max > RT_MAX_PAGES || limits.max < limits.min))) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "invalid memory limits (min %u, max %u): at most 65536 pages "
            "and min <= max",
            limits.min, limits.max);
    return NULL;
  }
  wm_limits lim = {limits.min, limits.has_max ? limits.max : 0, limits.has_max};
  aw_memory *m = rt_memory_new(s, lim, s->mem_cap_bytes, err);
  if (!m) return NULL;
  if (!rt_store_own(s, AW_EXTERN_MEMORY, m)) {
    rt_memory_free(m);
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory");
    return NULL;
  }
  return m;
}

uint8_t *aw_memory_data(aw_memory *m) {
  return m ? m->data : NULL;
}

uint64_t aw_memory_size(const aw_memory *m) {
  return m ? m->size : 0;
}

int64_t aw_memory_grow(aw_memory *m, uint32_t delta) {
  return m ? rt_memory_grow(m, delta) : -1;
}

void aw_memory_set_cap(aw_memory *m, uint64_t max_bytes) {
  if (m) m->cap_bytes = max_bytes;
}
