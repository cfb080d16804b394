/*
 * limits.c - resource limits: the builder that checks and completes an
 * aw_resource_limits, its accessors, and the errors reported when a limit
 * is hit (out of fuel, timeout, limit exceeded, invalid configuration).
 */
#include "airssys/limits.h"
#include "util/util.h"

#include <inttypes.h>

/* Bits of aw_limits_builder.set: which fields the caller gave. */
enum {
  LIM_MEMORY = 1u << 0,
  LIM_FUEL = 1u << 1,
  LIM_TIMEOUT = 1u << 2,
  LIM_TABLE = 1u << 3,
  LIM_DEPTH = 1u << 4,
  LIM_SLOTS = 1u << 5
};

void aw_limits_builder_init(aw_limits_builder *b) {
  if (b) memset(b, 0, sizeof *b);
}

aw_limits_builder aw_limits_builder_new(void) {
  aw_limits_builder b;
  aw_limits_builder_init(&b);
  return b;
}

void aw_limits_builder_max_memory_bytes(aw_limits_builder *b, uint64_t bytes) {
  if (!b) return;
  b->limits.max_memory_bytes = bytes;
  b->set |= LIM_MEMORY;
}

void aw_limits_builder_max_fuel(aw_limits_builder *b, uint64_t fuel) {
  if (!b) return;
  b->limits.max_fuel = fuel;
  b->set |= LIM_FUEL;
}

void aw_limits_builder_timeout_ms(aw_limits_builder *b, uint64_t timeout_ms) {
  if (!b) return;
  b->limits.timeout_ms = timeout_ms;
  b->set |= LIM_TIMEOUT;
}

void aw_limits_builder_max_table_elements(aw_limits_builder *b,
                                          uint32_t elements) {
  if (!b) return;
  b->limits.max_table_elements = elements;
  b->set |= LIM_TABLE;
}

void aw_limits_builder_max_call_depth(aw_limits_builder *b, uint32_t depth) {
  if (!b) return;
  b->limits.max_call_depth = depth;
  b->set |= LIM_DEPTH;
}

void aw_limits_builder_max_value_stack_slots(aw_limits_builder *b,
                                             uint32_t slots) {
  if (!b) return;
  b->limits.max_value_stack_slots = slots;
  b->set |= LIM_SLOTS;
}

aw_errkind aw_limits_builder_build(const aw_limits_builder *b,
                                   aw_resource_limits *out, aw_error *err) {
  if (!b || !out) {
    aw_fail(err, AW_ERR_ARGUMENT, UINT64_MAX,
            "aw_limits_builder_build: %s is NULL", !b ? "builder" : "out");
    return AW_ERR_ARGUMENT;
  }
  /* The memory limit has no safe default: a sandbox must say how much
     memory it grants, so its absence is a configuration error. */
  if (!(b->set & LIM_MEMORY))
    return aw_error_invalid_config(err, "max_memory_bytes",
                                   "is required but was not set");
  /* A call depth or value stack of 0 could run nothing at all; the store
     API also reads 0 as "keep the current value", so refuse it here. */
  if ((b->set & LIM_DEPTH) && b->limits.max_call_depth == 0)
    return aw_error_invalid_config(err, "max_call_depth", "must be at least 1");
  if ((b->set & LIM_SLOTS) && b->limits.max_value_stack_slots == 0)
    return aw_error_invalid_config(err, "max_value_stack_slots",
                                   "must be at least 1");
  aw_resource_limits l = b->limits;
  l.fuel_default = !(b->set & LIM_FUEL);
  if (l.fuel_default) l.max_fuel = AW_DEFAULT_MAX_FUEL;
  if (!(b->set & LIM_TIMEOUT)) l.timeout_ms = AW_DEFAULT_TIMEOUT_MS;
  if (!(b->set & LIM_TABLE))
    l.max_table_elements = AW_DEFAULT_MAX_TABLE_ELEMENTS;
  if (!(b->set & LIM_DEPTH)) l.max_call_depth = AW_DEFAULT_MAX_CALL_DEPTH;
  if (!(b->set & LIM_SLOTS))
    l.max_value_stack_slots = AW_DEFAULT_MAX_VALUE_STACK_SLOTS;
  *out = l;
  aw_error_clear(err);
  return AW_OK;
}

uint64_t aw_resource_limits_max_memory_bytes(const aw_resource_limits *l) {
  return l ? l->max_memory_bytes : 0;
}

uint32_t aw_resource_limits_max_memory_pages(const aw_resource_limits *l) {
  if (!l) return 0;
  uint64_t pages = l->max_memory_bytes / AW_WASM_PAGE_SIZE;
  return pages > 65536 ? 65536 : (uint32_t)pages;
}

uint64_t aw_resource_limits_max_fuel(const aw_resource_limits *l) {
  return l ? l->max_fuel : 0;
}

uint64_t aw_resource_limits_timeout_ms(const aw_resource_limits *l) {
  return l ? l->timeout_ms : 0;
}

uint32_t aw_resource_limits_max_table_elements(const aw_resource_limits *l) {
  return l ? l->max_table_elements : 0;
}

uint32_t aw_resource_limits_max_call_depth(const aw_resource_limits *l) {
  return l ? l->max_call_depth : 0;
}

uint32_t aw_resource_limits_max_value_stack_slots(const aw_resource_limits *l) {
  return l ? l->max_value_stack_slots : 0;
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

const char *aw_resource_name(aw_resource r) {
  switch (r) {
  case AW_RESOURCE_MEMORY: return "memory";
  case AW_RESOURCE_TABLE_ELEMENTS: return "table";
  case AW_RESOURCE_CALL_DEPTH: return "call depth";
  case AW_RESOURCE_VALUE_STACK: return "value stack";
  case AW_RESOURCE_TABLES: return "table count";
  case AW_RESOURCE_MEMORIES: return "memory count";
  case AW_RESOURCE_COMPILE: return "compile";
  case AW_RESOURCE_NONE: break;
  }
  return "unknown";
}

const char *aw_resource_unit(aw_resource r) {
  switch (r) {
  case AW_RESOURCE_MEMORY: return "bytes";
  case AW_RESOURCE_TABLE_ELEMENTS: return "elements";
  case AW_RESOURCE_CALL_DEPTH: return "frames";
  case AW_RESOURCE_VALUE_STACK: return "slots";
  case AW_RESOURCE_TABLES: return "tables";
  case AW_RESOURCE_MEMORIES: return "memories";
  case AW_RESOURCE_COMPILE: return "units";
  case AW_RESOURCE_NONE: break;
  }
  return "units";
}

aw_errkind aw_error_out_of_fuel(aw_error *err, uint64_t max,
                                uint64_t consumed) {
  if (!err) return AW_ERR_OUT_OF_FUEL;
  aw_fuel_metrics m = {max, consumed};
  double pct = aw_fuel_metrics_usage_percent(m);
  aw_fail(err, AW_ERR_OUT_OF_FUEL, UINT64_MAX,
          "Component ran out of fuel: %" PRIu64 "/%" PRIu64
          " fuel units consumed (%.1f%%)",
          consumed, max, pct);
  memset(&err->figures, 0, sizeof err->figures);
  err->figures.fuel.max = max;
  err->figures.fuel.consumed = consumed;
  err->figures.fuel.usage_percent = pct;
  return AW_ERR_OUT_OF_FUEL;
}

aw_errkind aw_error_timeout(aw_error *err, uint64_t timeout_ms,
                            uint64_t elapsed_ms, bool fuel_known,
                            uint64_t fuel_consumed) {
  if (!err) return AW_ERR_TIMEOUT;
  if (fuel_known)
    aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
            "Component execution timeout: exceeded %" PRIu64
            "ms limit (fuel consumed: %" PRIu64 ")",
            timeout_ms, fuel_consumed);
  else
    aw_fail(err, AW_ERR_TIMEOUT, UINT64_MAX,
            "Component execution timeout: exceeded %" PRIu64
            "ms limit (fuel consumed: unknown)",
            timeout_ms);
  memset(&err->figures, 0, sizeof err->figures);
  err->figures.timeout.timeout_ms = timeout_ms;
  err->figures.timeout.elapsed_ms = elapsed_ms;
  err->figures.timeout.fuel_known = fuel_known;
  err->figures.timeout.fuel_consumed = fuel_known ? fuel_consumed : 0;
  return AW_ERR_TIMEOUT;
}

aw_errkind aw_error_limit_exceeded(aw_error *err, aw_resource resource,
                                   uint64_t limit, uint64_t requested) {
  if (!err) return AW_ERR_LIMIT_EXCEEDED;
  const char *unit = aw_resource_unit(resource);
  aw_fail(err, AW_ERR_LIMIT_EXCEEDED, UINT64_MAX,
          "Resource limit exceeded: %s limit %" PRIu64 " %s, requested %" PRIu64
          " %s",
          aw_resource_name(resource), limit, unit, requested, unit);
  memset(&err->figures, 0, sizeof err->figures);
  err->figures.limit.resource = resource;
  err->figures.limit.limit = limit;
  err->figures.limit.requested = requested;
  return AW_ERR_LIMIT_EXCEEDED;
}

aw_errkind aw_error_invalid_config(aw_error *err, const char *field,
                                   const char *reason) {
  if (!err) return AW_ERR_INVALID_CONFIG;
  aw_fail(err, AW_ERR_INVALID_CONFIG, UINT64_MAX,
          "Invalid configuration: %s %s", field ? field : "(unnamed field)",
          reason ? reason : "is invalid");
  memset(&err->figures, 0, sizeof err->figures);
  return AW_ERR_INVALID_CONFIG;
}
