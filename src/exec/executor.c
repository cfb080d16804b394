/*
 * executor.c - one execution under resource limits (aw_execute), and the
 * store-level controls it is built from: limits applied to a store, the
 * public fuel API and the store's interrupt eventfd.
 *
 * An execution is: a fresh store capped by the limits, fuel set, a
 * deadline armed on the process-wide watchdog (src/limits/watchdog.c:
 * it sets the interpreter's interrupt flag, checked at loop back-edges and
 * function entries, and writes the store's eventfd, which wakes blocking
 * WASI calls), instantiation and the call, then one outcome with its
 * figures.  Everything mutable is in the store, so any number of threads
 * may run executions of one compiled module at once.
 */
#include "airssys/executor.h"
#include "exec/exec_int.h"
#include "limits/watchdog.h"
#include "runtime/rt_internal.h"
#include "util/util.h"
#include "vm/vm.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Store controls                                                       */
/* ------------------------------------------------------------------ */

static uint64_t clamp_fuel(uint64_t f) {
  return f > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : f;
}

bool aw_store_set_fuel(aw_store *s, uint64_t fuel) {
  if (!s) return false;
  fuel = clamp_fuel(fuel);
  if (!vm_set_fuel(s, fuel)) return false;
  s->fuel_added = fuel;
  s->fuel_set = true;
  return true;
}

bool aw_store_add_fuel(aw_store *s, uint64_t fuel) {
  if (!s) return false;
  if (!s->fuel_set) return aw_store_set_fuel(s, fuel);
  uint64_t left = vm_get_fuel(s);
  uint64_t room = (uint64_t)INT64_MAX - left;
  uint64_t add = fuel < room ? fuel : room;
  if (!vm_set_fuel(s, left + add)) return false;
  s->fuel_added += add;
  return true;
}

uint64_t aw_store_fuel_remaining(const aw_store *s) {
  if (!s || !s->fuel_set) return AW_NO_LIMIT;
  return vm_get_fuel((aw_store *)s);
}

uint64_t aw_store_fuel_consumed(const aw_store *s) {
  if (!s || !s->fuel_set) return 0;
  uint64_t left = vm_get_fuel((aw_store *)s);
  return s->fuel_added > left ? s->fuel_added - left : 0;
}

/* Makes fd readable (an eventfd: adds 1). */
static void wake(int fd) {
  uint64_t one = 1;
  ssize_t w = write(fd, &one, sizeof one);
  (void)w; /* EAGAIN: the counter is already nonzero, i.e. readable */
}

int aw_store_interrupt_fd(aw_store *s) {
  if (!s) return -1;
  int fd = atomic_load(&s->wake_fd);
  if (fd >= 0) return fd;
  int nfd = wd_eventfd_new();
  if (nfd < 0) return -1;
  int expected = -1;
  if (!atomic_compare_exchange_strong(&s->wake_fd, &expected, nfd)) {
    close(nfd); /* another thread created it first */
    return expected;
  }
  /* An interrupt that came before the fd existed wrote nowhere. */
  if (atomic_load(&s->interrupt)) wake(nfd);
  return nfd;
}

uint64_t aw_monotonic_ns(void) {
  return wd_now_ns();
}

/* Replaces s's deadline by deadline_ns (WD_NEVER: none), set at set_ns:
   clears the interrupt flag, drains the fd and arms the watchdog. */
static aw_errkind store_arm(aw_store *s, uint64_t set_ns, uint64_t deadline_ns,
                            aw_error *err) {
  if (s->deadline_h) wd_disarm(s->deadline_h, NULL);
  s->deadline_h = 0;
  atomic_store(&s->interrupt, 0);
  int fd = atomic_load(&s->wake_fd);
  if (fd >= 0) wd_eventfd_drain(fd);
  /* 0 stands for "none" in the store; a deadline at 0 has passed too. */
  s->deadline_ns = deadline_ns == WD_NEVER ? 0 : deadline_ns ? deadline_ns : 1;
  s->deadline_set_ns = set_ns;
  if (deadline_ns == WD_NEVER) return AW_OK;
  fd = aw_store_interrupt_fd(s);
  if (fd < 0) {
    aw_fail(err, AW_ERR_IO, UINT64_MAX,
            "cannot create the interrupt eventfd of the store");
    return AW_ERR_IO;
  }
  wd_handle h = wd_arm(deadline_ns, &s->interrupt, fd);
  if (!h) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "cannot arm the store's deadline");
    return AW_ERR_NOMEM;
  }
  s->deadline_h = h;
  return AW_OK;
}

aw_errkind aw_store_set_deadline_at(aw_store *s, uint64_t deadline_ns,
                                    aw_error *err) {
  aw_error_clear(err);
  if (!s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "no store given");
    return AW_ERR_ARGUMENT;
  }
  return store_arm(s, wd_now_ns(), deadline_ns, err);
}

aw_errkind aw_store_set_deadline(aw_store *s, uint64_t timeout_ms,
                                 aw_error *err) {
  aw_error_clear(err);
  if (!s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "no store given");
    return AW_ERR_ARGUMENT;
  }
  uint64_t now = wd_now_ns();
  return store_arm(s, now, wd_deadline_after_ms(now, timeout_ms), err);
}

void aw_store_interrupt(aw_store *s) {
  if (!s) return;
  atomic_fetch_or(&s->interrupt, RT_INTERRUPT_HOST);
  int fd = atomic_load(&s->wake_fd);
  if (fd >= 0) wake(fd);
}

int aw_caller_interrupt_fd(aw_caller *caller) {
  return caller ? aw_store_interrupt_fd(caller->store) : -1;
}

uint64_t aw_caller_remaining_ns(aw_caller *caller) {
  if (!caller || !caller->store) return AW_NO_LIMIT;
  aw_store *s = caller->store;
  if (atomic_load(&s->interrupt)) return 0;
  if (s->deadline_ns == 0) return AW_NO_LIMIT;
  uint64_t now = wd_now_ns();
  return now < s->deadline_ns ? s->deadline_ns - now : 0;
}

aw_wait_result aw_caller_wait_fd(aw_caller *caller, int fd, short events,
                                 int64_t timeout_ns, short *revents) {
  if (revents) *revents = 0;
  if (!caller || !caller->store) return AW_WAIT_ERROR;
  /* The fd first, then the flag: an interrupt that came before the fd
     existed is seen here (aw_store_interrupt_fd also writes it). */
  int ifd = aw_caller_interrupt_fd(caller);
  uint64_t left = aw_caller_remaining_ns(caller);
  if (left == 0) return AW_WAIT_DEADLINE;
  bool own_first = timeout_ns >= 0 && (uint64_t)timeout_ns < left;
  int64_t wait_ns = own_first          ? timeout_ns
                    : left > INT64_MAX ? -1
                                       : (int64_t)left;
  struct pollfd p = {.fd = fd, .events = events, .revents = 0};
  wd_wait_result r = wd_poll(&p, fd >= 0 ? 1 : 0, wait_ns, ifd);
  switch (r) {
  case WD_WAIT_READY:
    if (revents) *revents = p.revents;
    return AW_WAIT_READY;
  case WD_WAIT_INTERRUPTED: return AW_WAIT_DEADLINE;
  case WD_WAIT_TIMEOUT:
    return own_first && aw_caller_remaining_ns(caller) ? AW_WAIT_TIMEOUT
                                                       : AW_WAIT_DEADLINE;
  case WD_WAIT_ERROR: break;
  }
  return AW_WAIT_ERROR;
}

/* Checks the fields the builder checks, for limits filled by hand. */
static aw_errkind check_limits(const aw_resource_limits *l, aw_error *err) {
  if (!l) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "no limits given");
    return AW_ERR_ARGUMENT;
  }
  if (l->max_call_depth == 0)
    return aw_error_invalid_config(err, "max_call_depth", "must be at least 1");
  if (l->max_value_stack_slots == 0)
    return aw_error_invalid_config(err, "max_value_stack_slots",
                                   "must be at least 1");
  return AW_OK;
}

/* A fuel limit chosen for an engine that does not meter fuel would be
   silently ignored: refused (the builder's default and "unlimited" are
   not limits). */
static aw_errkind check_fuel_applies(const aw_engine *e,
                                     const aw_resource_limits *l,
                                     aw_error *err) {
  if (e->cfg.consume_fuel || l->fuel_default || l->max_fuel == AW_NO_LIMIT)
    return AW_OK;
  return aw_error_invalid_config(
      err, "max_fuel",
      "is set but the engine does not meter fuel (aw_engine_config."
      "consume_fuel is false): leave it unset or use AW_NO_LIMIT");
}

aw_errkind aw_store_apply_limits(aw_store *s, const aw_resource_limits *l,
                                 aw_error *err) {
  aw_errkind k = check_limits(l, err);
  if (k != AW_OK) return k;
  if (!s) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX, "no store given");
    return AW_ERR_ARGUMENT;
  }
  k = check_fuel_applies(s->engine, l, err);
  if (k != AW_OK) return k;
  if (l->max_memory_bytes == AW_NO_LIMIT) {
    s->mem_cap_bytes = 0;
  } else {
    uint64_t pages = aw_resource_limits_max_memory_pages(l);
    /* A cap below one page allows only empty memories (0 means none). */
    s->mem_cap_bytes = pages ? pages * AW_WASM_PAGE_SIZE : 1;
  }
  /* The budget covers linear memory, tables, overhead and host state. */
  s->budget.limit =
      l->max_memory_bytes == AW_NO_LIMIT ? UINT64_MAX : l->max_memory_bytes;
  s->table_cap = l->max_table_elements == AW_NO_TABLE_LIMIT ? 0
                 : l->max_table_elements ? l->max_table_elements
                                         : RT_TABLE_CAP_ZERO;
  aw_store_set_stack_limits(s, l->max_call_depth, l->max_value_stack_slots);
  if (!aw_store_set_fuel(s, l->max_fuel)) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX,
            "out of memory allocating the interpreter state");
    return AW_ERR_NOMEM;
  }
  return AW_OK;
}

/* ------------------------------------------------------------------ */
/* One execution                                                        */
/* ------------------------------------------------------------------ */

/* The largest memory, in bytes, the limits allow (whole pages). */
static uint64_t mem_limit_bytes(const aw_resource_limits *l) {
  if (l->max_memory_bytes == AW_NO_LIMIT)
    return UINT64_C(65536) * AW_WASM_PAGE_SIZE;
  return (uint64_t)aw_resource_limits_max_memory_pages(l) * AW_WASM_PAGE_SIZE;
}

/* The memory budget of l, in bytes (UINT64_MAX: none). */
static uint64_t budget_bytes(const aw_resource_limits *l) {
  return l->max_memory_bytes == AW_NO_LIMIT ? UINT64_MAX : l->max_memory_bytes;
}

/* Memories and tables the module defines that are already too large or
   too many, alone or together: refused before anything is allocated (the
   charges at creation enforce the same budget; this only answers early,
   without allocating the first tables of a module whose sum does not
   fit). */
static aw_errkind check_initial_sizes(const wm_module *m,
                                      const aw_resource_limits *l,
                                      aw_error *err) {
  uint64_t cap = mem_limit_bytes(l);
  uint64_t total = 0;
  for (uint32_t i = m->nmems_imported; i < m->nmems; i++) {
    uint64_t want = (uint64_t)m->mems[i].min * AW_WASM_PAGE_SIZE;
    if (want > cap) {
      aw_error_limit_exceeded(err, AW_RESOURCE_MEMORY, cap, want);
      /* Only whole pages count: say so rather than "limit 0 bytes" for a
         cap of 1000 bytes (the figures keep the effective cap). */
      if (cap != l->max_memory_bytes)
        aw_fail(err, AW_ERR_LIMIT_EXCEEDED, UINT64_MAX,
                "Resource limit exceeded: memory limit %" PRIu64
                " bytes (%" PRIu64 " usable: whole 64 KiB pages only), "
                "requested %" PRIu64 " bytes",
                l->max_memory_bytes, cap, want);
      return AW_ERR_LIMIT_EXCEEDED;
    }
    total += RT_OBJ_BYTES + want;
  }
  if (m->ntables - m->ntables_imported > RT_MAX_TABLES)
    return aw_error_limit_exceeded(err, AW_RESOURCE_TABLES, RT_MAX_TABLES,
                                   m->ntables - m->ntables_imported);
  for (uint32_t i = m->ntables_imported; i < m->ntables; i++) {
    uint32_t want = m->tables[i].lim.min;
    if (l->max_table_elements != AW_NO_TABLE_LIMIT &&
        want > l->max_table_elements)
      return aw_error_limit_exceeded(err, AW_RESOURCE_TABLE_ELEMENTS,
                                     l->max_table_elements, want);
    total += RT_OBJ_BYTES + (uint64_t)want * RT_TABLE_ELEM_BYTES;
  }
  if (total > budget_bytes(l))
    return aw_error_limit_exceeded(err, AW_RESOURCE_MEMORY, budget_bytes(l),
                                   total);
  return AW_OK;
}

static double ms_between(uint64_t from_ns, uint64_t to_ns) {
  return to_ns > from_ns ? (double)(to_ns - from_ns) / 1e6 : 0.0;
}

/* Whether an execution that ended with k after its deadline passed (or
   after a cancel) is reported as a timeout: everything it did, success
   included, except running out of fuel (reported first when both
   happened) and errors decided before anything ran. */
static bool late_is_timeout(aw_errkind k) {
  switch (k) {
  case AW_OK:
  case AW_ERR_TRAP:
  case AW_ERR_EXIT:
  case AW_ERR_TIMEOUT:
  case AW_ERR_LIMIT_EXCEEDED:
  case AW_ERR_IO:
  case AW_ERR_NOMEM: return true;
  default: return false;
  }
}

/* Turns the raw error of the run into the reported outcome; cancelled:
   the host interrupted it (aw_executor_cancel) before its deadline. */
static aw_errkind classify(aw_exec_result *res, aw_errkind k,
                           const aw_resource_limits *l, uint64_t left,
                           bool cancelled) {
  aw_error *e = &res->error;
  uint64_t consumed = res->fuel.consumed;
  bool fuel_out = res->fuel_metered && left == 0 && l->max_fuel != AW_NO_LIMIT;
  switch (k) {
  case AW_ERR_OUT_OF_FUEL:
    return aw_error_out_of_fuel(e, l->max_fuel, consumed);
  case AW_ERR_TIMEOUT:
    if (fuel_out) return aw_error_out_of_fuel(e, l->max_fuel, consumed);
    aw_error_timeout(e, l->timeout_ms, (uint64_t)res->elapsed_ms,
                     res->fuel_metered, consumed);
    if (cancelled) {
      e->figures.timeout.interrupted = true;
      if (res->fuel_metered)
        snprintf(e->message, sizeof e->message,
                 "Component execution cancelled after %" PRIu64
                 " ms (fuel consumed: %" PRIu64 ")",
                 (uint64_t)res->elapsed_ms, consumed);
      else
        snprintf(e->message, sizeof e->message,
                 "Component execution cancelled after %" PRIu64
                 " ms (fuel consumed: unknown)",
                 (uint64_t)res->elapsed_ms);
    }
    return AW_ERR_TIMEOUT;
  case AW_ERR_EXIT:
    res->exit_code = e->exit_code;
    res->exited = true;
    if (e->exit_code == 0) {
      aw_error_clear(e);
      return AW_OK;
    }
    return AW_ERR_EXIT;
  default: return k;
  }
}

/* Looks up and checks the function to call. */
static aw_func *find_func(const aw_exec_request *req, aw_instance *inst,
                          aw_error *err) {
  aw_extern ext;
  if (!req->func) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "no function to call: aw_exec_request.func is NULL");
    return NULL;
  }
  const char *name = req->func;
  if (!aw_instance_export(inst, name, strlen(name), &ext) ||
      ext.kind != AW_EXTERN_FUNC) {
    aw_fail(err, AW_ERR_LINK, UINT64_MAX, "no exported function named \"%s\"",
            name);
    return NULL;
  }
  aw_functype t = aw_func_type(ext.of.func);
  if (t.nparams != req->nargs || (req->nargs && !req->args)) {
    aw_fail(err, AW_ERR_LINK, UINT64_MAX,
            "function \"%s\" takes %u arguments, %u given", name, t.nparams,
            req->nargs);
    return NULL;
  }
  for (uint32_t i = 0; i < t.nparams; i++)
    if (req->args[i].kind != t.params[i]) {
      aw_fail(err, AW_ERR_LINK, UINT64_MAX,
              "argument %u of function \"%s\" has the wrong type", i, name);
      return NULL;
    }
  if (t.nresults > AW_EXEC_MAX_RESULTS) {
    aw_fail(err, AW_ERR_LINK, UINT64_MAX,
            "function \"%s\" returns %u values, at most %u supported", name,
            t.nresults, (unsigned)AW_EXEC_MAX_RESULTS);
    return NULL;
  }
  return ext.of.func;
}

/* Instantiates and calls under the armed limits; returns the raw error
   kind.  *instp receives the instance (NULL if instantiation failed). */
static aw_errkind run(const aw_exec_request *req, const aw_module *module,
                      aw_store *s, aw_exec_result *res, aw_instance **instp) {
  aw_error *err = &res->error;
  *instp = NULL;
  aw_linker *linker = aw_linker_new(s);
  if (!linker) {
    aw_fail(err, AW_ERR_NOMEM, UINT64_MAX, "out of memory creating a linker");
    return AW_ERR_NOMEM;
  }
  if (req->link && !req->link(req->link_ctx, linker, s, err)) {
    aw_linker_free(linker);
    if (err->kind == AW_OK)
      aw_fail(err, AW_ERR_LINK, UINT64_MAX, "the link callback failed");
    return err->kind;
  }
  aw_instance *inst = aw_linker_instantiate(linker, module, err);
  aw_linker_free(linker);
  if (!inst) return err->kind != AW_OK ? err->kind : AW_ERR_LINK;
  *instp = inst;
  aw_func *f = find_func(req, inst, err);
  if (!f) return err->kind;
  /* A deadline already passed (e.g. timeout 0) stops the call even when
     the function would never reach an interrupt check. */
  if (rt_interrupted(s)) {
    aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX, "deadline exceeded");
    return AW_ERR_TIMEOUT;
  }
  aw_functype t = aw_func_type(f);
  aw_errkind k =
      aw_func_call(s, f, req->args, req->nargs, res->results, t.nresults, err);
  if (k == AW_OK) res->nresults = t.nresults;
  return k;
}

/* Publishes s to the pool's cancel record c (NULL: none), or withdraws
   it (s NULL: the execution is finishing; a later cancel changes
   nothing). */
static void publish_store(ex_cancel *c, aw_store *s) {
  if (!c) return;
  pthread_mutex_lock(&c->lock);
  c->store = s;
  if (s && c->cancelled) aw_store_interrupt(s);
  if (!s) c->finished = true;
  pthread_mutex_unlock(&c->lock);
}

aw_errkind aw_execute(const aw_exec_request *req, aw_exec_result *res) {
  return ex_execute(req, res, NULL);
}

aw_errkind ex_execute(const aw_exec_request *req, aw_exec_result *res,
                      ex_cancel *c) {
  if (!res) return AW_ERR_ARGUMENT;
  memset(res, 0, sizeof *res);
  aw_error_clear(&res->error);
  uint64_t t0 = wd_now_ns();
  if (!req) {
    aw_fail(&res->error, AW_ERR_ARGUMENT, UINT64_MAX, "no request given");
    return res->outcome = AW_ERR_ARGUMENT;
  }
  const aw_resource_limits *l = &req->limits;
  res->timeout_ms = l->timeout_ms;
  res->fuel.max = l->max_fuel;
  aw_errkind k = check_limits(l, &res->error);
  if (k != AW_OK) return res->outcome = k;

  /* The module: shared, or compiled for this execution. */
  aw_module *own = NULL;
  const aw_module *module = req->module;
  if (!module) {
    if (!req->engine || (!req->wasm && req->wasm_len)) {
      aw_fail(&res->error, AW_ERR_ARGUMENT, UINT64_MAX,
              "no module, or no engine and binary, given");
      return res->outcome = AW_ERR_ARGUMENT;
    }
    own = aw_module_new(req->engine, req->wasm, req->wasm_len, &res->error);
    if (!own) {
      res->elapsed_ms = ms_between(t0, wd_now_ns());
      return res->outcome = res->error.kind;
    }
    module = own;
  }
  res->fuel_metered = module->engine->cfg.consume_fuel;
  res->memory.limit =
      budget_bytes(l) == UINT64_MAX ? AW_NO_LIMIT : budget_bytes(l);

  k = check_fuel_applies(module->engine, l, &res->error);
  if (k == AW_OK) k = check_initial_sizes(&module->m, l, &res->error);
  aw_store *s = NULL;
  if (k == AW_OK) {
    s = aw_store_new(module->engine);
    if (!s) {
      aw_fail(&res->error, AW_ERR_NOMEM, UINT64_MAX,
              "out of memory creating a store");
      k = AW_ERR_NOMEM;
    }
  }
  if (k == AW_OK) k = aw_store_apply_limits(s, l, &res->error);
  /* The deadline covers instantiation (allocation, segments, start) and
     the call: the store's interrupt flag stops all of them. */
  uint64_t deadline = wd_deadline_after_ms(t0, l->timeout_ms);
  ex_timer tm = {.armed = false};
  if (k == AW_OK) k = store_arm(s, t0, deadline, &res->error);
  if (k == AW_OK && !rt_interrupted(s) && module->engine->cfg.thread_timer)
    /* Opt-in: precise on a busy machine; the watchdog stays armed. */
    ex_timer_arm(&tm, deadline, &s->interrupt, atomic_load(&s->wake_fd));

  aw_instance *inst = NULL;
  uint64_t left = 0;
  bool cancelled = false;
  if (k == AW_OK) {
    publish_store(c, s);
    k = run(req, module, s, res, &inst);
    ex_timer_disarm(&tm);
    publish_store(c, NULL);
    /* An execution whose deadline passed before it ended (a late host
       return, a deadline noticed by nobody yet) or that was cancelled is
       a timeout, whatever it returned. */
    uint32_t bits = atomic_load(&s->interrupt);
    bool late = bits || wd_now_ns() >= deadline;
    if (late && late_is_timeout(k)) {
      cancelled = (bits & RT_INTERRUPT_HOST) &&
                  !(bits & RT_INTERRUPT_DEADLINE) && wd_now_ns() < deadline;
      k = AW_ERR_TIMEOUT;
    }
    wd_disarm(s->deadline_h, NULL);
    s->deadline_h = 0;
    left = vm_get_fuel(s);
    if (res->fuel_metered) res->fuel.consumed = aw_store_fuel_consumed(s);
    res->memory = aw_store_memory_metrics(s);
    res->memory_parts = aw_store_memory_breakdown(s);
  }
  res->elapsed_ms = ms_between(t0, wd_now_ns());
  if (k != AW_OK) res->nresults = 0;
  k = classify(res, k, l, left, cancelled);
  if (k != AW_OK) res->nresults = 0;
  if (c && !c->finished) publish_store(c, NULL); /* only we write it */
  aw_store_free(s);
  aw_module_free(own);
  return res->outcome = k;
}
