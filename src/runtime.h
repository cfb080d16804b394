/*
 * runtime.h - runtime objects: engine, module wrapper, store, function,
 * memory, table, global and instance instances.
 *
 * Owned by src/runtime (engine.c, store.c, instance.c, linker.c, ...).
 * The interpreter (src/vm) reads these structures directly on its hot
 * paths, so their layout is part of the runtime <-> vm contract.
 */
#ifndef AW_RUNTIME_H
#define AW_RUNTIME_H

#include "airssys/wasm.h"
#include "module.h"
#include <pthread.h>
#include <stdatomic.h>

/* One 64-bit value slot: the unit of the value stack, locals and globals.
   References are stored as pointers (aw_func* for funcref). */
typedef union aw_slot {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  void *ref;
} aw_slot;

struct aw_engine {
  aw_engine_config cfg;
  pthread_mutex_t lock; /* guards the type registry */
  /* Canonical function types: equal signatures get equal ids, so that
     call_indirect checks one integer. */
  uint32_t ntypes, captypes;
  wm_functype *types;
  /* Open-addressing index over types (UINT32_MAX = empty slot), so that
     interning is O(1) however many signatures the engine has seen. */
  uint32_t *type_index;
  uint32_t index_cap; /* power of two */
};

/* Interns a signature; returns its canonical id or UINT32_MAX on OOM. */
uint32_t rt_engine_intern_type(aw_engine *e, const wm_functype *t);

struct aw_module {
  aw_engine *engine;
  wm_module m;
  uint32_t *type_ids; /* canonical id of each of m.types */
  /* Public views (aw_functype) of each of m.types; their aw_valkind arrays
     point into kinds. */
  aw_functype *ftypes;
  aw_valkind *kinds;
  uint64_t compile_units; /* compile units aw_module_new spent */
};

struct aw_func {
  uint32_t type_id;        /* canonical id, compared by call_indirect */
  const wm_functype *type; /* signature */
  aw_instance *inst;       /* defining instance; NULL for host funcs */
  const wm_func *def;      /* definition (with compiled code); wasm only */
  aw_host_fn host;         /* host functions only */
  void *env;
  void (*finalizer)(void *env);
  wm_functype own_type; /* host functions own their signature */
  aw_functype ftype;    /* public view of type (aw_func_type) */
  aw_store *store;      /* owning store */
  void *own_mem;        /* host funcs: one block holding own_type's
                           and ftype's arrays */
};

struct aw_memory {
  uint8_t *data;         /* base; may move on grow */
  uint64_t size;         /* current size in bytes (pages * 65536) */
  wm_limits type;        /* declared limits, min updated to current pages */
  uint64_t cap_bytes;    /* host-imposed cap, 0 = none */
  uint64_t peak_bytes;   /* largest size reached */
  uint32_t failed_grows; /* grows refused (type max, cap, budget or host) */
  /* Bytes of address space reserved at data (see memory.c): growing within
     the reservation never moves data. 0 when data is not mapped. */
  uint64_t reserved;
  aw_store *store;  /* whose budget pays for it; NULL = none (unit tests) */
  uint64_t charged; /* bytes charged to store's budget, released on free */
};

/* Grows by delta pages honouring type max and cap; returns old pages or -1. */
int64_t rt_memory_grow(aw_memory *m, uint32_t delta);

struct aw_table {
  uint8_t elem; /* WM_FUNCREF or WM_EXTERNREF */
  uint32_t size;
  wm_limits type;
  uint32_t cap;      /* host-imposed element cap, 0 = none */
  void **elems;      /* size entries; NULL is the null reference */
  uint32_t capacity; /* allocated entries (>= size); elems may move on grow */
  aw_store *store;   /* whose budget pays for it; NULL = none */
  uint64_t charged;  /* bytes charged to store's budget, released on free */
};

/* Grows by delta elements set to init; returns old size or -1. */
int64_t rt_table_grow(aw_table *t, uint32_t delta, void *init);

/* rt_table_grow that tests s's interrupt flag every RT_CHUNK_ELEMS
   elements it initialises (s NULL: never): RT_TABLE_GROW_INTERRUPTED
   when interrupted, the table's size then unchanged. */
int64_t rt_table_grow_checked(aw_table *t, uint32_t delta, void *init,
                              aw_store *s);
#define RT_TABLE_GROW_INTERRUPTED (-2)

/* Whether growing t by delta stays within its declared max, its cap,
   RT_TABLE_MAX_ELEMS and its store's memory budget (the interpreter
   charges per-element fuel only for a grow that can succeed). */
bool rt_table_can_grow(const aw_table *t, uint32_t delta);

struct aw_global {
  wm_globaltype type;
  union {
    aw_slot s;
    uint8_t v128[16];
  } val;
};

struct aw_instance {
  const aw_module *module;
  aw_store *store;
  aw_func **funcs; /* whole function index space */
  aw_table **tables;
  aw_memory **mems;
  aw_global **globals;
  bool *elem_dropped; /* per element segment */
  bool *data_dropped; /* per data segment */
  /* Objects defined by the module (not imported): owned by the instance. */
  aw_func *own_funcs;
  aw_global *own_globals;
  uint64_t charged; /* host bytes charged to store's budget (overhead) */
};

/* The memory budget of a store: one limit in bytes over everything a
   guest can make the host allocate for it (linear memories, table
   storage, per-object overhead, WASI host state).  Charged before the
   allocation, released when it is freed; see rt_budget_charge. */
typedef enum rt_budget_kind {
  RT_BUDGET_LINEAR, /* linear-memory bytes (whole pages) */
  RT_BUDGET_TABLES, /* table elements (RT_TABLE_ELEM_BYTES each) */
  RT_BUDGET_HOST,   /* object overhead and host-side state */
  RT_BUDGET_NKINDS
} rt_budget_kind;

typedef struct rt_budget {
  uint64_t limit;                  /* bytes; UINT64_MAX = none */
  uint64_t used;                   /* bytes charged now */
  uint64_t peak;                   /* largest used reached */
  uint64_t now[RT_BUDGET_NKINDS];  /* used, by kind */
  uint64_t high[RT_BUDGET_NKINDS]; /* each kind's own largest value */
  uint32_t failed_grows;   /* memory.grow / table.grow refused, any cause */
  uint32_t ntables, nmems; /* live table / memory objects (hard caps) */
} rt_budget;

/* Charges bytes of kind to s's budget before the caller allocates them.
   true when they fit (or s is NULL); otherwise nothing is charged and,
   if err is not NULL, it is AW_ERR_LIMIT_EXCEEDED (resource memory,
   limit = the budget, requested = what would be in use). */
bool rt_budget_take(aw_store *s, rt_budget_kind kind, uint64_t bytes,
                    aw_error *err);
/* Returns bytes of kind charged earlier (s may be NULL). */
void rt_budget_give(aw_store *s, rt_budget_kind kind, uint64_t bytes);
/* Whether bytes more would fit in s's budget (nothing is charged). */
bool rt_budget_fits(const aw_store *s, uint64_t bytes);

/* The API for other subsystems (WASI, host state): host-side bytes. */
static inline bool rt_budget_charge(aw_store *s, uint64_t bytes,
                                    aw_error *err) {
  return rt_budget_take(s, RT_BUDGET_HOST, bytes, err);
}
static inline void rt_budget_release(aw_store *s, uint64_t bytes) {
  rt_budget_give(s, RT_BUDGET_HOST, bytes);
}

/* Per-object overhead charged to the budget for each
   table and memory (the object, its bookkeeping and allocator headers),
   each host-created global, and each instance (plus its index arrays and
   the records of its functions and globals, charged at their size). */
#define RT_OBJ_BYTES 128u
#define RT_GLOBAL_BYTES 64u
#define RT_TABLE_ELEM_BYTES 8u /* one element: a pointer */

/* Hard caps on live objects of one store, whatever the budget. */
#define RT_MAX_TABLES 10000u
#define RT_MAX_MEMORIES 10000u

/* Objects owned by a store, freed with it. */
typedef struct rt_object {
  struct rt_object *next;
  aw_externkind kind; /* or -1 for an instance */
  void *obj;
} rt_object;

struct aw_store {
  aw_engine *engine;
  rt_object *objects;
  /* Stack limits (frames and 8-byte slots), see aw_store_set_stack_limits. */
  uint32_t max_frames;
  uint32_t max_slots;
  void *vm; /* interpreter state (value stack, frames); owned by src/vm */
  /* Host limits applied to every memory / table this store creates
     (0 = none): the memory's cap_bytes and the table's cap (an optional
     per-table element limit on top of the budget). */
  uint64_t mem_cap_bytes;
  uint32_t table_cap; /* RT_TABLE_CAP_ZERO: only empty tables */
  /* Fuel bookkeeping of the public store fuel API (src/exec): total fuel
     given with aw_store_set_fuel/aw_store_add_fuel (clamped like the
     remaining fuel, so consumed = fuel_added - remaining), and whether any
     was given (false: unmetered, the vm's default). */
  uint64_t fuel_added;
  bool fuel_set;
  /* Eventfd the watchdog writes on a deadline (aw_store_interrupt_fd);
     -1 when none.  Owned by the store (closed by aw_store_free).  Atomic:
     created lazily, and read by aw_store_interrupt from any thread. */
  _Atomic int wake_fd;
  /* Interruption (src/exec/executor.c): RT_INTERRUPT_* bits, set from any
     thread (watchdog, timer, aw_store_interrupt), cleared only by the
     owner (aw_store_set_deadline).  Checked by the interpreter at loop
     headers, function entries and between the chunks of bulk operations,
     and by instantiation between its steps (rt_interrupted). */
  _Atomic uint32_t interrupt;
  /* The store's deadline (wd_now_ns clock; 0: none), when it was
     set (the start of the timeout figures), and its watchdog handle (0:
     none armed by aw_store_set_deadline). */
  uint64_t deadline_ns;
  uint64_t deadline_set_ns;
  uint64_t deadline_h;
  rt_budget budget; /* memory budget, see rt_budget_take */
};

/* Bits of aw_store.interrupt: the deadline passed (the watchdog's
   WD_INTERRUPT_TIMEOUT), the host interrupted (aw_store_interrupt,
   aw_executor_cancel). */
#define RT_INTERRUPT_DEADLINE 1u
#define RT_INTERRUPT_HOST 2u

/* Bytes, and table elements, that bulk operations (memory.fill/copy/init,
   table.fill/copy/init/grow, segment initialisation) process between two
   interrupt checks: the worst-case deadline overshoot is one chunk's time
   (docs/hardening.md). */
#define RT_CHUNK_BYTES 65536u
#define RT_CHUNK_ELEMS 4096u

/* Whether s's execution must stop (deadline passed or host interrupt). */
static inline bool rt_interrupted(aw_store *s) {
  return atomic_load_explicit(&s->interrupt, memory_order_relaxed) != 0;
}

/* Fills err (may be NULL) for an execution of s stopped by its interrupt
   flag or its deadline: AW_ERR_TIMEOUT with the timeout figures, measured
   from when the deadline was set (or from start_ns, wd_now_ns clock, when
   the store has none), and figures.timeout.interrupted when the host
   interrupted (src/runtime/store.c).  Returns AW_ERR_TIMEOUT. */
aw_errkind rt_store_timeout(aw_store *s, aw_error *err, uint64_t start_ns);

/* Fills err (may be NULL) for an execution of s that ran out of fuel: the
   executor's message and figures (the fuel given to the store, and what
   it consumed).  Returns AW_ERR_OUT_OF_FUEL. */
aw_errkind rt_store_out_of_fuel(aw_store *s, aw_error *err);

/* A table_cap meaning "no element at all" (0 means "no cap"). */
#define RT_TABLE_CAP_ZERO UINT32_MAX

/* What a host function sees of its caller (see aw_caller_memory). */
struct aw_caller {
  aw_store *store;
  aw_instance *inst; /* calling wasm instance; NULL when called from C */
};

/* Records obj in the store so aw_store_free releases it. false on OOM. */
bool rt_store_own(aw_store *s, int kind, void *obj);

/* The reference held by item i of element segment seg of inst's module
   (ref.func -> the instance's aw_func*, ref.null -> NULL, global.get -> the
   global's reference).  The segment must have been validated. */
void *rt_elem_item(const aw_instance *inst, const wm_elem *seg, uint32_t i);

/* Largest number of elements a table may ever have (an implementation
   limit, as in other engines; the spec allows one): keeps a hostile module
   from making the host allocate gigabytes of table. */
#define RT_TABLE_MAX_ELEMS 10000000u

#endif /* AW_RUNTIME_H */
