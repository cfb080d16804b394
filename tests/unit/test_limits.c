/*
 * test_limits.c - unit tests of the resource-limit builder, fuel and
 * memory metrics, and the texts and figures of limit errors.
 */
#include "airssys/limits.h"
#include "runtime.h"
#include "test.h"

#include <math.h>

/* Doubles computed from exact ratios are compared with a small tolerance
   only where the ratio is not exactly representable. */
#define CHECK_NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-9)

TEST(limits_builder_without_memory_is_invalid) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_fuel(&b, 5000);
  aw_limits_builder_timeout_ms(&b, 50);
  aw_resource_limits out;
  memset(&out, 0xAB, sizeof out);
  aw_resource_limits before = out;
  aw_error err;
  aw_error_clear(&err);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &out, &err), AW_ERR_INVALID_CONFIG);
  CHECK_EQ_INT(err.kind, AW_ERR_INVALID_CONFIG);
  CHECK_STR(err.message,
            "Invalid configuration: max_memory_bytes is required but was not "
            "set");
  CHECK(strstr(err.message, "max_memory_bytes") != NULL);
  CHECK(memcmp(&out, &before, sizeof out) == 0); /* untouched */
  /* A NULL error pointer is allowed: the kind is still returned. */
  CHECK_EQ_INT(aw_limits_builder_build(&b, &out, NULL), AW_ERR_INVALID_CONFIG);
}

TEST(limits_builder_defaults) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 1048576);
  aw_resource_limits l;
  aw_error err;
  aw_error_clear(&err);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK_EQ_INT(err.kind, AW_OK);
  CHECK(aw_resource_limits_max_memory_bytes(&l) == 1048576);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 16);
  CHECK(aw_resource_limits_max_fuel(&l) == AW_DEFAULT_MAX_FUEL);
  CHECK(aw_resource_limits_max_fuel(&l) == 1000000);
  CHECK(aw_resource_limits_timeout_ms(&l) == AW_DEFAULT_TIMEOUT_MS);
  CHECK(aw_resource_limits_timeout_ms(&l) == 100);
  CHECK_EQ_INT(aw_resource_limits_max_table_elements(&l),
               AW_DEFAULT_MAX_TABLE_ELEMENTS);
  CHECK_EQ_INT(aw_resource_limits_max_call_depth(&l),
               AW_DEFAULT_MAX_CALL_DEPTH);
  CHECK_EQ_INT(aw_resource_limits_max_value_stack_slots(&l),
               AW_DEFAULT_MAX_VALUE_STACK_SLOTS);
  CHECK(aw_resource_limits_max_call_depth(&l) >= 1);
  CHECK(aw_resource_limits_max_value_stack_slots(&l) >= 1);
}

TEST(limits_builder_zero_initialised_and_reset) {
  /* A zero-initialised builder behaves like a new one. */
  aw_limits_builder b = {0};
  aw_limits_builder_max_memory_bytes(&b, 65536);
  aw_resource_limits l;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  CHECK(l.max_fuel == AW_DEFAULT_MAX_FUEL);
  CHECK(l.timeout_ms == AW_DEFAULT_TIMEOUT_MS);
  /* init forgets everything, including the memory limit. */
  aw_limits_builder_init(&b);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_ERR_INVALID_CONFIG);
}

TEST(limits_builder_custom) {
  aw_limits_builder b;
  aw_limits_builder_init(&b);
  aw_limits_builder_max_memory_bytes(&b, 2 * 1048576);
  aw_limits_builder_max_fuel(&b, 123456789);
  aw_limits_builder_timeout_ms(&b, 2500);
  aw_limits_builder_max_table_elements(&b, 777);
  aw_limits_builder_max_call_depth(&b, 321);
  aw_limits_builder_max_value_stack_slots(&b, 4096);
  aw_resource_limits l;
  aw_error err;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK(aw_resource_limits_max_memory_bytes(&l) == 2 * 1048576);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 32);
  CHECK(aw_resource_limits_max_fuel(&l) == 123456789);
  CHECK(aw_resource_limits_timeout_ms(&l) == 2500);
  CHECK_EQ_INT(aw_resource_limits_max_table_elements(&l), 777);
  CHECK_EQ_INT(aw_resource_limits_max_call_depth(&l), 321);
  CHECK_EQ_INT(aw_resource_limits_max_value_stack_slots(&l), 4096);
  /* The last value given for a field wins. */
  aw_limits_builder_max_fuel(&b, 9);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK(l.max_fuel == 9);
  /* Only whole pages count. */
  aw_limits_builder_max_memory_bytes(&b, 65535);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 0);
  aw_limits_builder_max_memory_bytes(&b, 65536 * 3 + 1);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 3);
}

TEST(limits_builder_zero_limits) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 0);
  aw_limits_builder_max_fuel(&b, 0);
  aw_limits_builder_timeout_ms(&b, 0);
  aw_limits_builder_max_table_elements(&b, 0);
  aw_resource_limits l;
  aw_error err;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK(l.max_memory_bytes == 0);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 0);
  CHECK(l.max_fuel == 0); /* explicit 0 is kept, not replaced by default */
  CHECK(l.timeout_ms == 0);
  CHECK_EQ_INT(l.max_table_elements, 0);

  /* Call depth and value stack must be at least 1. */
  aw_limits_builder_max_call_depth(&b, 0);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_ERR_INVALID_CONFIG);
  CHECK_STR(err.message,
            "Invalid configuration: max_call_depth must be at least 1");
  aw_limits_builder_max_call_depth(&b, 1);
  aw_limits_builder_max_value_stack_slots(&b, 0);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_ERR_INVALID_CONFIG);
  CHECK_STR(err.message,
            "Invalid configuration: max_value_stack_slots must be at least 1");
  aw_limits_builder_max_value_stack_slots(&b, 1);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, &err), AW_OK);
  CHECK_EQ_INT(l.max_call_depth, 1);
  CHECK_EQ_INT(l.max_value_stack_slots, 1);
}

TEST(limits_builder_maximal_limits) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, AW_NO_LIMIT);
  aw_limits_builder_max_fuel(&b, AW_NO_LIMIT);
  aw_limits_builder_timeout_ms(&b, AW_NO_LIMIT);
  aw_limits_builder_max_table_elements(&b, UINT32_MAX);
  aw_limits_builder_max_call_depth(&b, UINT32_MAX);
  aw_limits_builder_max_value_stack_slots(&b, UINT32_MAX);
  aw_resource_limits l;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  CHECK(aw_resource_limits_max_memory_bytes(&l) == UINT64_MAX);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 65536);
  CHECK(aw_resource_limits_max_fuel(&l) == UINT64_MAX);
  CHECK(aw_resource_limits_timeout_ms(&l) == UINT64_MAX);
  CHECK(aw_resource_limits_max_table_elements(&l) == UINT32_MAX);
  CHECK(aw_resource_limits_max_call_depth(&l) == UINT32_MAX);
  CHECK(aw_resource_limits_max_value_stack_slots(&l) == UINT32_MAX);
  /* Exactly 4 GiB is 65536 pages; one page less is 65535. */
  aw_limits_builder_max_memory_bytes(&b, UINT64_C(65536) * 65536);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 65536);
  aw_limits_builder_max_memory_bytes(&b, UINT64_C(65536) * 65535);
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(&l), 65535);
}

TEST(limits_builder_null_arguments) {
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 1);
  aw_resource_limits l;
  aw_error err;
  CHECK_EQ_INT(aw_limits_builder_build(NULL, &l, &err), AW_ERR_ARGUMENT);
  CHECK_EQ_INT(err.kind, AW_ERR_ARGUMENT);
  CHECK_EQ_INT(aw_limits_builder_build(&b, NULL, &err), AW_ERR_ARGUMENT);
  CHECK(strstr(err.message, "out") != NULL);
  /* Setters and accessors tolerate NULL. */
  aw_limits_builder_init(NULL);
  aw_limits_builder_max_memory_bytes(NULL, 1);
  aw_limits_builder_max_fuel(NULL, 1);
  aw_limits_builder_timeout_ms(NULL, 1);
  aw_limits_builder_max_table_elements(NULL, 1);
  aw_limits_builder_max_call_depth(NULL, 1);
  aw_limits_builder_max_value_stack_slots(NULL, 1);
  CHECK(aw_resource_limits_max_memory_bytes(NULL) == 0);
  CHECK_EQ_INT(aw_resource_limits_max_memory_pages(NULL), 0);
  CHECK(aw_resource_limits_max_fuel(NULL) == 0);
  CHECK(aw_resource_limits_timeout_ms(NULL) == 0);
  CHECK_EQ_INT(aw_resource_limits_max_table_elements(NULL), 0);
  CHECK_EQ_INT(aw_resource_limits_max_call_depth(NULL), 0);
  CHECK_EQ_INT(aw_resource_limits_max_value_stack_slots(NULL), 0);
}

TEST(limits_fuel_config) {
  aw_fuel_config c = aw_fuel_config_default();
  CHECK(c.max_fuel == AW_DEFAULT_MAX_FUEL);
  aw_limits_builder b = aw_limits_builder_new();
  aw_limits_builder_max_memory_bytes(&b, 1);
  aw_limits_builder_max_fuel(&b, 42);
  aw_resource_limits l;
  CHECK_EQ_INT(aw_limits_builder_build(&b, &l, NULL), AW_OK);
  CHECK(aw_fuel_config_from_limits(&l).max_fuel == 42);
  CHECK(aw_fuel_config_from_limits(NULL).max_fuel == 0);
}

TEST(limits_fuel_metrics_levels) {
  /* 0%, 25%, 50%, 75%, 100% of a 1,000,000 budget. */
  const uint64_t max = 1000000;
  const uint64_t consumed[] = {0, 250000, 500000, 750000, 1000000};
  const double pct[] = {0.0, 25.0, 50.0, 75.0, 100.0};
  for (int i = 0; i < 5; i++) {
    aw_fuel_metrics m = {max, consumed[i]};
    CHECK(aw_fuel_metrics_usage_percent(m) == pct[i]);
    CHECK(aw_fuel_metrics_remaining(m) == max - consumed[i]);
    CHECK(aw_fuel_metrics_is_exhausted(m) == (i == 4));
  }
  aw_fuel_metrics one_short = {max, max - 1};
  CHECK(!aw_fuel_metrics_is_exhausted(one_short));
  CHECK(aw_fuel_metrics_remaining(one_short) == 1);
  /* Multiply-first percentages are exact where the true value is. */
  aw_fuel_metrics m29 = {100, 29};
  CHECK(aw_fuel_metrics_usage_percent(m29) == 29.0);
  aw_fuel_metrics third = {3, 1};
  CHECK_NEAR(aw_fuel_metrics_usage_percent(third), 100.0 / 3.0);
}

TEST(limits_fuel_metrics_past_100_percent) {
  aw_fuel_metrics m = {1000, 1500};
  CHECK(aw_fuel_metrics_remaining(m) == 0);
  CHECK(aw_fuel_metrics_usage_percent(m) == 150.0);
  CHECK(aw_fuel_metrics_is_exhausted(m));
  CHECK(aw_fuel_metrics_exceeds_threshold(m, 100.0));
  CHECK(aw_fuel_metrics_exceeds_threshold(m, 149.9));
  CHECK(!aw_fuel_metrics_exceeds_threshold(m, 150.0));
}

TEST(limits_fuel_metrics_zero_and_maximal) {
  aw_fuel_metrics zero = {0, 0};
  CHECK(aw_fuel_metrics_usage_percent(zero) == 0.0);
  CHECK(aw_fuel_metrics_remaining(zero) == 0);
  CHECK(aw_fuel_metrics_is_exhausted(zero)); /* a budget of 0 is spent */
  CHECK(!aw_fuel_metrics_exceeds_threshold(zero, 0.0));
  aw_fuel_metrics zero_max_used = {0, 10};
  CHECK(aw_fuel_metrics_usage_percent(zero_max_used) == 0.0);
  CHECK(aw_fuel_metrics_remaining(zero_max_used) == 0);
  CHECK(aw_fuel_metrics_is_exhausted(zero_max_used));

  aw_fuel_metrics full = {UINT64_MAX, UINT64_MAX};
  CHECK(aw_fuel_metrics_remaining(full) == 0);
  CHECK(aw_fuel_metrics_usage_percent(full) == 100.0);
  CHECK(aw_fuel_metrics_is_exhausted(full));
  aw_fuel_metrics fresh = {UINT64_MAX, 0};
  CHECK(aw_fuel_metrics_remaining(fresh) == UINT64_MAX);
  CHECK(aw_fuel_metrics_usage_percent(fresh) == 0.0);
  CHECK(!aw_fuel_metrics_is_exhausted(fresh));
  aw_fuel_metrics almost = {UINT64_MAX, UINT64_MAX - 1};
  CHECK(aw_fuel_metrics_remaining(almost) == 1);
  CHECK(!aw_fuel_metrics_is_exhausted(almost));
  aw_fuel_metrics half = {UINT64_MAX, UINT64_MAX / 2};
  CHECK_NEAR(aw_fuel_metrics_usage_percent(half), 50.0);
  aw_fuel_metrics over = {1, UINT64_MAX};
  CHECK(aw_fuel_metrics_remaining(over) == 0);
  CHECK(aw_fuel_metrics_usage_percent(over) > 1e20);
  CHECK(isfinite(aw_fuel_metrics_usage_percent(over)));
}

TEST(limits_fuel_thresholds) {
  const double thresholds[] = {50.0, 75.0, 90.0, 95.0};
  /* usage in percent (of 1000) -> which thresholds it exceeds */
  const struct {
    uint64_t consumed;
    int exceeds[4];
  } cases[] = {
      {0, {0, 0, 0, 0}},   {499, {0, 0, 0, 0}},  {500, {0, 0, 0, 0}},
      {501, {1, 0, 0, 0}}, {750, {1, 0, 0, 0}},  {751, {1, 1, 0, 0}},
      {900, {1, 1, 0, 0}}, {901, {1, 1, 1, 0}},  {950, {1, 1, 1, 0}},
      {951, {1, 1, 1, 1}}, {1000, {1, 1, 1, 1}}, {2000, {1, 1, 1, 1}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    aw_fuel_metrics m = {1000, cases[i].consumed};
    for (int t = 0; t < 4; t++) {
      bool got = aw_fuel_metrics_exceeds_threshold(m, thresholds[t]);
      if (got != (cases[i].exceeds[t] != 0)) {
        fprintf(stderr, "  consumed %llu threshold %.0f: got %d\n",
                (unsigned long long)cases[i].consumed, thresholds[t], got);
        CHECK(0);
      }
    }
  }
  /* 75% usage does not exceed 75.0, but does exceed 74.99. */
  aw_fuel_metrics m75 = {1000000, 750000};
  CHECK(!aw_fuel_metrics_exceeds_threshold(m75, 75.0));
  CHECK(aw_fuel_metrics_exceeds_threshold(m75, 74.99));
  CHECK(!aw_fuel_metrics_exceeds_threshold(m75, NAN));
  CHECK(aw_fuel_metrics_exceeds_threshold(m75, -1.0));
}

TEST(limits_memory_metrics) {
  aw_memory_metrics m = {1048576, 262144, 524288, 3};
  CHECK(aw_memory_metrics_usage_percent(m) == 25.0);
  CHECK(aw_memory_metrics_peak_percent(m) == 50.0);
  CHECK(aw_memory_metrics_exceeds_threshold(m, 24.9));
  CHECK(!aw_memory_metrics_exceeds_threshold(m, 25.0));
  CHECK(!aw_memory_metrics_exceeds_threshold(m, NAN));
  aw_memory_metrics zero = {0, 0, 0, 0};
  CHECK(aw_memory_metrics_usage_percent(zero) == 0.0);
  CHECK(aw_memory_metrics_peak_percent(zero) == 0.0);
  aw_memory_metrics full = {65536, 65536, 65536, 0};
  CHECK(aw_memory_metrics_usage_percent(full) == 100.0);
  CHECK(aw_memory_metrics_exceeds_threshold(full, 95.0));
  aw_memory_metrics over = {65536, 131072, 131072, 0};
  CHECK(aw_memory_metrics_usage_percent(over) == 200.0);
  aw_memory_metrics huge = {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT32_MAX};
  CHECK(aw_memory_metrics_usage_percent(huge) == 100.0);
}

TEST(limits_memory_metrics_of_memory) {
  aw_memory mem;
  memset(&mem, 0, sizeof mem);
  mem.size = 2 * 65536;
  mem.peak_bytes = 3 * 65536;
  mem.failed_grows = 2;
  /* No declared max, no cap: 4 GiB. */
  aw_memory_metrics m = aw_memory_get_metrics(&mem);
  CHECK(m.limit == UINT64_C(65536) * 65536);
  CHECK(m.current == 2 * 65536);
  CHECK(m.peak == 3 * 65536);
  CHECK_EQ_INT(m.failed_grows, 2);
  /* Declared max of 10 pages. */
  mem.type.has_max = true;
  mem.type.max = 10;
  CHECK(aw_memory_get_metrics(&mem).limit == 10 * 65536);
  /* A smaller host cap wins; a larger one does not. */
  mem.cap_bytes = 4 * 65536;
  CHECK(aw_memory_get_metrics(&mem).limit == 4 * 65536);
  CHECK(aw_memory_metrics_usage_percent(aw_memory_get_metrics(&mem)) == 50.0);
  mem.cap_bytes = 100 * 65536;
  CHECK(aw_memory_get_metrics(&mem).limit == 10 * 65536);
  /* The peak is never reported below the current size. */
  mem.peak_bytes = 0;
  CHECK(aw_memory_get_metrics(&mem).peak == 2 * 65536);
  aw_memory_metrics none = aw_memory_get_metrics(NULL);
  CHECK(none.limit == 0 && none.current == 0 && none.peak == 0 &&
        none.failed_grows == 0);
}

TEST(limits_error_out_of_fuel) {
  aw_error err;
  aw_error_clear(&err);
  CHECK_EQ_INT(aw_error_out_of_fuel(&err, 1000000, 1000000),
               AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(err.kind, AW_ERR_OUT_OF_FUEL);
  CHECK_EQ_INT(err.trap, AW_TRAP_NONE);
  CHECK_STR(err.message, "Component ran out of fuel: 1000000/1000000 fuel "
                         "units consumed (100.0%)");
  CHECK(err.figures.fuel.max == 1000000);
  CHECK(err.figures.fuel.consumed == 1000000);
  CHECK(err.figures.fuel.usage_percent == 100.0);

  aw_error_out_of_fuel(&err, 0, 0);
  CHECK_STR(err.message,
            "Component ran out of fuel: 0/0 fuel units consumed (0.0%)");
  aw_error_out_of_fuel(&err, 1000, 999);
  CHECK_STR(err.message,
            "Component ran out of fuel: 999/1000 fuel units consumed (99.9%)");
  aw_error_out_of_fuel(&err, UINT64_MAX, UINT64_MAX);
  CHECK_STR(err.message, "Component ran out of fuel: 18446744073709551615/"
                         "18446744073709551615 fuel units consumed (100.0%)");
  CHECK_EQ_INT(aw_error_out_of_fuel(NULL, 1, 1), AW_ERR_OUT_OF_FUEL);
}

TEST(limits_error_timeout) {
  aw_error err;
  aw_error_clear(&err);
  CHECK_EQ_INT(aw_error_timeout(&err, 100, 101, true, 53211), AW_ERR_TIMEOUT);
  CHECK_EQ_INT(err.kind, AW_ERR_TIMEOUT);
  CHECK_STR(err.message, "Component execution timeout: exceeded 100ms limit "
                         "(fuel consumed: 53211)");
  CHECK(err.figures.timeout.timeout_ms == 100);
  CHECK(err.figures.timeout.elapsed_ms == 101);
  CHECK(err.figures.timeout.fuel_known);
  CHECK(err.figures.timeout.fuel_consumed == 53211);

  CHECK_EQ_INT(aw_error_timeout(&err, 100, 150, false, 999), AW_ERR_TIMEOUT);
  CHECK_STR(err.message, "Component execution timeout: exceeded 100ms limit "
                         "(fuel consumed: unknown)");
  CHECK(!err.figures.timeout.fuel_known);
  CHECK(err.figures.timeout.fuel_consumed == 0);
  CHECK(err.figures.timeout.elapsed_ms == 150);

  aw_error_timeout(&err, 0, 0, true, 0);
  CHECK_STR(err.message, "Component execution timeout: exceeded 0ms limit "
                         "(fuel consumed: 0)");
  CHECK_EQ_INT(aw_error_timeout(NULL, 1, 1, true, 1), AW_ERR_TIMEOUT);
}

TEST(limits_error_limit_exceeded) {
  aw_error err;
  aw_error_clear(&err);
  CHECK_EQ_INT(
      aw_error_limit_exceeded(&err, AW_RESOURCE_MEMORY, 1048576, 2097152),
      AW_ERR_LIMIT_EXCEEDED);
  CHECK_EQ_INT(err.kind, AW_ERR_LIMIT_EXCEEDED);
  CHECK_STR(err.message, "Resource limit exceeded: memory limit 1048576 "
                         "bytes, requested 2097152 bytes");
  CHECK_EQ_INT(err.figures.limit.resource, AW_RESOURCE_MEMORY);
  CHECK(err.figures.limit.limit == 1048576);
  CHECK(err.figures.limit.requested == 2097152);

  aw_error_limit_exceeded(&err, AW_RESOURCE_TABLE_ELEMENTS, 10000, 10001);
  CHECK_STR(err.message, "Resource limit exceeded: table limit 10000 "
                         "elements, requested 10001 elements");
  aw_error_limit_exceeded(&err, AW_RESOURCE_CALL_DEPTH, 5, 6);
  CHECK_STR(err.message, "Resource limit exceeded: call depth limit 5 "
                         "frames, requested 6 frames");
  aw_error_limit_exceeded(&err, AW_RESOURCE_VALUE_STACK, 1, UINT64_MAX);
  CHECK_STR(err.message, "Resource limit exceeded: value stack limit 1 "
                         "slots, requested 18446744073709551615 slots");
  aw_error_limit_exceeded(&err, AW_RESOURCE_NONE, 1, 2);
  CHECK_STR(err.message,
            "Resource limit exceeded: unknown limit 1 units, requested 2 "
            "units");
  CHECK_STR(aw_resource_name((aw_resource)99), "unknown");
  CHECK_STR(aw_resource_unit((aw_resource)99), "units");
  CHECK_EQ_INT(aw_error_limit_exceeded(NULL, AW_RESOURCE_MEMORY, 1, 2),
               AW_ERR_LIMIT_EXCEEDED);
}

TEST(limits_error_invalid_config) {
  aw_error err;
  aw_error_clear(&err);
  CHECK_EQ_INT(aw_error_invalid_config(&err, "timeout_ms", "is too large"),
               AW_ERR_INVALID_CONFIG);
  CHECK_EQ_INT(err.kind, AW_ERR_INVALID_CONFIG);
  CHECK_STR(err.message, "Invalid configuration: timeout_ms is too large");
  aw_error_invalid_config(&err, NULL, NULL);
  CHECK_STR(err.message, "Invalid configuration: (unnamed field) is invalid");
  CHECK_EQ_INT(aw_error_invalid_config(NULL, "x", "y"), AW_ERR_INVALID_CONFIG);
  /* The kind has a stable name. */
  CHECK_STR(aw_errkind_name(AW_ERR_INVALID_CONFIG), "invalid_configuration");
}
