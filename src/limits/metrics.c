/*
 * metrics.c - fuel configuration, fuel metrics and memory metrics: the
 * figures an execution reports about its use of the limited resources.
 */
#include "airssys/limits.h"
#include "runtime.h"

#include <string.h>

/* part / whole in percent, 0.0 for an empty whole.  Multiplying before
   dividing keeps the result exact whenever the true percentage is a
   representable double (e.g. 29/100 gives 29.0, not 28.999...), so that
   threshold comparisons behave as a reader expects. */
static double lim_percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return 0.0;
  return (double)part * 100.0 / (double)whole;
}

aw_fuel_config aw_fuel_config_default(void) {
  return (aw_fuel_config){AW_DEFAULT_MAX_FUEL};
}

aw_fuel_config aw_fuel_config_from_limits(const aw_resource_limits *l) {
  return (aw_fuel_config){aw_resource_limits_max_fuel(l)};
}

uint64_t aw_fuel_metrics_remaining(aw_fuel_metrics m) {
  return m.consumed >= m.max ? 0 : m.max - m.consumed;
}

double aw_fuel_metrics_usage_percent(aw_fuel_metrics m) {
  return lim_percent(m.consumed, m.max);
}

bool aw_fuel_metrics_is_exhausted(aw_fuel_metrics m) {
  return m.consumed >= m.max;
}

bool aw_fuel_metrics_exceeds_threshold(aw_fuel_metrics m, double percent) {
  return aw_fuel_metrics_usage_percent(m) > percent;
}

double aw_memory_metrics_usage_percent(aw_memory_metrics m) {
  return lim_percent(m.current, m.limit);
}

double aw_memory_metrics_peak_percent(aw_memory_metrics m) {
  return lim_percent(m.peak, m.limit);
}

bool aw_memory_metrics_exceeds_threshold(aw_memory_metrics m, double percent) {
  return aw_memory_metrics_usage_percent(m) > percent;
}

aw_memory_metrics aw_memory_get_metrics(const aw_memory *mem) {
  aw_memory_metrics m;
  memset(&m, 0, sizeof m);
  if (!mem) return m;
  /* A 32-bit memory never exceeds 65536 pages (4 GiB). */
  uint64_t limit = UINT64_C(65536) * AW_WASM_PAGE_SIZE;
  if (mem->type.has_max && (uint64_t)mem->type.max * AW_WASM_PAGE_SIZE < limit)
    limit = (uint64_t)mem->type.max * AW_WASM_PAGE_SIZE;
  if (mem->cap_bytes != 0 && mem->cap_bytes < limit) limit = mem->cap_bytes;
  m.limit = limit;
  m.current = mem->size;
  m.peak = mem->peak_bytes > mem->size ? mem->peak_bytes : mem->size;
  m.failed_grows = mem->failed_grows;
  return m;
}

aw_memory_metrics aw_store_memory_metrics(const aw_store *store) {
  aw_memory_metrics m;
  memset(&m, 0, sizeof m);
  if (!store) return m;
  const rt_budget *b = &store->budget;
  m.limit = b->limit;
  m.current = b->used;
  m.peak = b->peak;
  m.failed_grows = b->failed_grows;
  return m;
}

aw_memory_breakdown aw_store_memory_breakdown(const aw_store *store) {
  aw_memory_breakdown d = {0, 0, 0};
  if (!store) return d;
  const rt_budget *b = &store->budget;
  d.peak_linear = b->high[RT_BUDGET_LINEAR];
  d.peak_tables = b->high[RT_BUDGET_TABLES];
  d.peak_host = b->high[RT_BUDGET_HOST];
  return d;
}
