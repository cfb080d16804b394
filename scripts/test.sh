#!/usr/bin/env bash
# test.sh - THE test command of airssys-wasm (README, .ci/run).
#
#   scripts/test.sh           every step below
#   scripts/test.sh --quick   steps 1-3 only (gcc build, unit tests, spec suite)
#
# Steps:
#   1. build-gcc     configure + build with gcc, -Werror (build/)
#   2. unit-gcc      build/tests/aw-unit
#   3. spec-gcc      scripts/spectest.sh with that build
#   3b. wast-gcc     scripts/wast.sh 2.0: the 2.0 suite from its .wast
#                    sources (`airssys-wasm wast`, our text front end)
#   3c. wast3-gcc    scripts/wast.sh 3.0: the 3.0 suite from .wast and
#                    from its JSON form, compared command by command
#   3d. text-gcc     tests/text/run_tests.sh: run/validate/inspect of .wat
#                    files, their errors, `wast` on small scripts
#   4. cli-gcc       tests/cli/run_tests.sh: `airssys-wasm run` and its report
#   5. wasi-gcc      tests/wasi/run_tests.sh: C programs run natively and
#                    under `airssys-wasm run` must match; sandbox escapes
#   6. build-clang   build with clang, -Werror (build-clang/, build only)
#   7. build-asan    clang with -DAW_SANITIZE=ON: ASan + UBSan (build-asan/)
#   8. unit-asan     the unit tests again, ASAN_OPTIONS=detect_leaks=1
#   9. spec-asan     the spec suite again, with the sanitized build
#   9b. wast-asan    scripts/wast.sh --asan 2.0, with the sanitized build
#  10. cli-asan      the CLI tests again, with the sanitized build
#  11. wasi-asan     the WASI tests again, with the sanitized build
#  12. cppcheck      static analysis of src/ and cli/ (scripts/lint.sh)
#  13. format        clang-format check (scripts/lint.sh)
#  14. docs          doxygen over include/, warnings are errors
#  15. install       tests/install/run.sh: install into a temporary prefix,
#                    nm check of both libraries (scripts/check-symbols.sh),
#                    compile and run tests/install/ programs via pkg-config
#                    (shared and static) and find_package(airssys-wasm)
#  16. hostile-gcc   tests/hostile/run.sh with the gcc build (hardening)
#  17. hostile-asan  the hostile-guest suite again with the sanitized build
#  18. fuzz          each libFuzzer target (fuzz/run.sh, build-fuzz/) for
#                    AW_FUZZ_SECONDS seconds (default 60; 0 skips the step);
#                    any finding fails
#  19. unit-tsan      the threaded unit tests (executor pool and concurrency,
#                    watchdog, deadlines) built with clang -fsanitize=thread
#                    (build-tsan/, aw-unit only); any race report fails
#
# The last line is "N passed, N failed": every unit test, spec-suite command,
# CLI test and WASI test (of both runs) counts, and every other step counts
# as one test.
# Exit status is non-zero if anything failed. A step whose tool is missing
# fails (scripts/deps.sh installs everything).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h | --help)
      sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "test.sh: unknown option '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

JOBS=${AW_JOBS:-$(nproc 2>/dev/null || echo 2)}
LOGDIR="$ROOT/build-logs"
mkdir -p "$LOGDIR"

PASSED=0
FAILED=0
SUMMARY=()
ANY_STEP_FAILED=0

# Fields set by the step functions.
STEP_PASSED=0
STEP_FAILED=0
STEP_NOTE=""

now() { date +%s.%N; }

# step NAME FUNCTION: runs FUNCTION, which returns 0 on success and may set
# STEP_PASSED / STEP_FAILED / STEP_NOTE; a step that sets no counts is one
# test (passed if it returned 0).
step() {
  local name=$1 fn=$2 t0 t1 rc secs status
  printf '\n======== [%s] ========\n' "$name"
  STEP_PASSED=0 STEP_FAILED=0 STEP_NOTE=""
  t0=$(now)
  "$fn"
  rc=$?
  t1=$(now)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  if [ "$STEP_PASSED" -eq 0 ] && [ "$STEP_FAILED" -eq 0 ]; then
    if [ "$rc" -eq 0 ]; then STEP_PASSED=1; else STEP_FAILED=1; fi
  fi
  # A step that failed counts at least one failure.
  if [ "$rc" -ne 0 ] && [ "$STEP_FAILED" -eq 0 ]; then STEP_FAILED=1; fi
  if [ "$rc" -eq 0 ]; then
    status="ok"
  else
    status="FAIL"
    ANY_STEP_FAILED=1
  fi
  PASSED=$((PASSED + STEP_PASSED))
  FAILED=$((FAILED + STEP_FAILED))
  echo "---- [$name] $status in ${secs}s: $STEP_PASSED passed, $STEP_FAILED failed${STEP_NOTE:+ ($STEP_NOTE)}"
  SUMMARY+=("$(printf '%-12s %-4s %7ss  %5d passed %5d failed  %s' \
    "$name" "$status" "$secs" "$STEP_PASSED" "$STEP_FAILED" "$STEP_NOTE")")
}

need() {
  local t missing=0
  for t in "$@"; do
    if ! command -v "$t" >/dev/null 2>&1; then
      echo "missing tool: $t (scripts/deps.sh installs it)"
      missing=1
    fi
  done
  return $missing
}

# build DIR LOGNAME CMAKE-ARGS...: configure and build, log to a file; on
# failure print the log's end.
build() {
  local dir=$1 log="$LOGDIR/$2.log"
  shift 2
  need cmake ninja || return 1
  echo "cmake -S . -B $dir -G Ninja $*"
  if ! { cmake -S . -B "$dir" -G Ninja "$@" && ninja -C "$dir" -j "$JOBS"; } \
    >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "build failed; full log: $log"
    return 1
  fi
  grep -E 'warning:' "$log" | head -n 20
  echo "built $dir (log: $log)"
}

# run_counted LOGNAME LABEL COMMAND...: runs COMMAND (no stdin, output to
# the log) and counts from its last "N passed, N failed" line; a run without
# that line, or one that exits non-zero without failures, counts a failure.
run_counted() {
  local log="$LOGDIR/$1.log" label=$2 rc line
  shift 2
  "$@" </dev/null >"$log" 2>&1
  rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  grep -E '^FAIL|CHECK|ERROR|runtime error|Sanitizer' "$log" | head -n 40
  if [ -z "$line" ]; then
    tail -n 20 "$log"
    echo "$label ended without its summary line (exit $rc): counted as 1 failure"
    STEP_FAILED=1
    return 1
  fi
  STEP_PASSED=$(echo "$line" | awk '{print $1}')
  STEP_FAILED=$(echo "$line" | awk '{print $3}')
  echo "$label: $line (exit $rc; log: $log)"
  if [ "$rc" -ne 0 ] && [ "$STEP_FAILED" -eq 0 ]; then STEP_FAILED=1; fi
  [ "$rc" -eq 0 ] && [ "$STEP_FAILED" -eq 0 ]
}

# run_unit DIR LOGNAME: DIR/tests/aw-unit.
run_unit() {
  if [ ! -x "$1/tests/aw-unit" ]; then
    echo "$1/tests/aw-unit not built"
    return 1
  fi
  run_counted "$2" aw-unit "$1/tests/aw-unit"
}

# run_cli DIR LOGNAME: tests/cli/run_tests.sh with DIR/airssys-wasm.
run_cli() {
  run_counted "$2" "cli tests" bash tests/cli/run_tests.sh "$1"
}

# run_wasi DIR LOGNAME: tests/wasi/run_tests.sh with the CLI of DIR.
run_wasi() {
  run_counted "$2" "wasi tests" \
    env AW_CLI="$ROOT/$1/airssys-wasm" bash tests/wasi/run_tests.sh "$1"
}

# run_spec DIR LOGNAME [ARGS]: scripts/spectest.sh [ARGS] with the build in DIR; counts
# from its last "N passed, N failed, N skipped" line.
run_spec() {
  local dir=$1 log="$LOGDIR/$2.log" rc line skipped
  shift 2
  if [ ! -f scripts/spectest.sh ]; then
    echo "scripts/spectest.sh is missing"
    return 1
  fi
  if [ ! -x "$dir/airssys-wasm" ]; then
    echo "$dir/airssys-wasm not built"
    return 1
  fi
  AW_BUILD_DIR="$ROOT/$dir" AW_CLI="$ROOT/$dir/airssys-wasm" \
    bash scripts/spectest.sh "$@" </dev/null >"$log" 2>&1
  rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -n 1)
  grep -E 'runtime error|Sanitizer' "$log" | head -n 20
  if [ -z "$line" ]; then
    tail -n 20 "$log"
    echo "spectest.sh ended without its summary line (exit $rc): counted as 1 failure"
    STEP_FAILED=1
    return 1
  fi
  STEP_PASSED=$(echo "$line" | awk '{print $1}')
  STEP_FAILED=$(echo "$line" | awk '{print $3}')
  skipped=$(echo "$line" | awk '{print $5}')
  STEP_NOTE="$skipped skipped"
  # Its per-command-type table and problems, not the per-file tables.
  sed -n '/^== per command type ==/,$p' "$log" | head -n 60
  echo "spectest: $line (exit $rc; log: $log)"
  if [ "$rc" -ne 0 ] && [ "$STEP_FAILED" -eq 0 ]; then STEP_FAILED=1; fi
  [ "$rc" -eq 0 ] && [ "$STEP_FAILED" -eq 0 ]
}


GCC_OK=0
ASAN_OK=0
gcc_ok() { [ $GCC_OK -eq 1 ] || { echo "not run: the gcc build failed"; return 1; }; }
asan_ok() {
  [ $ASAN_OK -eq 1 ] || { echo "not run: the sanitizer build failed"; return 1; }
  export "${SAN_ENV[@]}"
}
# Sanitizer options for the sanitized runs only (the gcc runs are over by then).
SAN_ENV=(
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1"
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
)

step_build_gcc() {
  need gcc || return 1
  build build build-gcc -DCMAKE_C_COMPILER=gcc \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAW_WERROR=ON -DAW_SANITIZE=OFF &&
    GCC_OK=1
}
step_unit_gcc() { gcc_ok && run_unit build unit-gcc; }
step_spec_gcc() { gcc_ok && run_spec build spec-gcc; }
# run_wast LOGNAME ARGS...: scripts/wast.sh ARGS, counted like run_spec.
run_wast() {
  local log="$LOGDIR/$1.log" rc line
  shift
  bash scripts/wast.sh "$@" </dev/null >"$log" 2>&1
  rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -n 1)
  grep -E '^FAIL|runtime error|Sanitizer' "$log" | head -n 20
  if [ -z "$line" ]; then
    tail -n 20 "$log"
    echo "wast.sh ended without its summary line (exit $rc): counted as 1 failure"
    STEP_FAILED=1
    return 1
  fi
  STEP_PASSED=$(echo "$line" | awk '{print $1}')
  STEP_FAILED=$(echo "$line" | awk '{print $3}')
  STEP_NOTE="$(echo "$line" | awk '{print $5}') skipped"
  grep -E 'suite' "$log" | tail -n 1
  if [ "$rc" -ne 0 ] && [ "$STEP_FAILED" -eq 0 ]; then STEP_FAILED=1; fi
  [ "$rc" -eq 0 ] && [ "$STEP_FAILED" -eq 0 ]
}
step_wast_gcc() { gcc_ok && run_wast wast-gcc 2.0; }
# The 3.0 comparison counts as one test: its "passed" are commands on
# which the .wast and JSON runs agree, which includes commands the engine
# fails in both (3.0 features it lacks), so they are not added to the
# total; any disagreement fails the step.
step_wast3_gcc() {
  gcc_ok || return 1
  run_wast wast3-gcc 3.0
  local rc=$?
  STEP_NOTE="$STEP_PASSED commands agree, $STEP_FAILED disagree, $STEP_NOTE"
  STEP_PASSED=0 STEP_FAILED=0
  return $rc
}
step_text_gcc() { gcc_ok && run_counted text-gcc "text tests" bash tests/text/run_tests.sh build; }
step_cli_gcc() { gcc_ok && run_cli build cli-gcc; }
step_wasi_gcc() { gcc_ok && run_wasi build wasi-gcc; }
step_build_clang() {
  need clang || return 1
  build build-clang build-clang -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAW_WERROR=ON -DAW_SANITIZE=OFF
}
step_build_asan() {
  need clang || return 1
  build build-asan build-asan -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=-O1 -DAW_WERROR=ON \
    -DAW_SANITIZE=ON &&
    ASAN_OK=1
}
step_unit_asan() { asan_ok && run_unit build-asan unit-asan; }
step_spec_asan() { asan_ok && run_spec build-asan spec-asan --asan; }
step_wast_asan() { asan_ok && AW_CLI="$ROOT/build-asan/airssys-wasm" run_wast wast-asan --asan 2.0; }
step_cli_asan() { asan_ok && run_cli build-asan cli-asan; }
step_wasi_asan() { asan_ok && run_wasi build-asan wasi-asan; }
step_cppcheck() { bash scripts/lint.sh cppcheck; }
step_format() { bash scripts/lint.sh format; }
step_docs() {
  need doxygen || return 1
  mkdir -p build/docs
  local log="$LOGDIR/docs.log"
  if ! doxygen docs/Doxyfile >"$log" 2>&1; then
    cat "$log"
    echo "doxygen failed (warnings are errors)"
    return 1
  fi
  if [ ! -f build/docs/html/index.html ]; then
    echo "doxygen produced no build/docs/html/index.html"
    return 1
  fi
  echo "API reference: build/docs/html/index.html"
}
# Hardening's steps (tests/hostile, fuzz/).
step_hostile_gcc() {
  [ $GCC_OK -eq 1 ] || { echo "not run: the gcc build failed"; return 1; }
  run_counted hostile-gcc "hostile suite" bash tests/hostile/run.sh build
}
step_hostile_asan() {
  [ $ASAN_OK -eq 1 ] || { echo "not run: the sanitizer build failed"; return 1; }
  export "${SAN_ENV[@]}"
  run_counted hostile-asan "hostile suite" bash tests/hostile/run.sh build-asan
}
# Each target of fuzz/ for AW_FUZZ_SECONDS; one test per target.
step_fuzz() {
  local secs=${AW_FUZZ_SECONDS:-60} t ok=0 bad=0
  if [ "$secs" = 0 ]; then
    echo "skipped (AW_FUZZ_SECONDS=0)"
    return 0
  fi
  need clang || return 1
  for t in fuzz_decode fuzz_exec fuzz_gen fuzz_manifest fuzz_wasi fuzz_wat; do
    if bash fuzz/run.sh "$t" "$secs" build-fuzz </dev/null \
      >"$LOGDIR/fuzz-$t.log" 2>&1; then
      ok=$((ok + 1))
    else
      bad=$((bad + 1))
    fi
    grep -E '^run.sh: .*(cov:|FAILED)|ERROR|FINDING' "$LOGDIR/fuzz-$t.log" | head -n 12
  done
  STEP_PASSED=$ok STEP_FAILED=$bad
  STEP_NOTE="${secs}s per target"
  [ "$bad" -eq 0 ]
}
# The unit tests built with ThreadSanitizer, run on the threaded ones.
step_unit_tsan() {
  need clang cmake ninja || return 1
  local log="$LOGDIR/build-tsan.log" f p=0 fl=0 rc=0
  echo "cmake -S . -B build-tsan (clang, -fsanitize=thread), target aw-unit"
  if ! { cmake -S . -B build-tsan -G Ninja -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAW_WERROR=ON -DAW_SANITIZE=OFF \
    -DAW_EXAMPLES=OFF -DCMAKE_C_FLAGS=-fsanitize=thread \
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread &&
    ninja -C build-tsan -j "$JOBS" aw-unit; } >"$log" 2>&1; then
    tail -n 30 "$log"
    echo "TSan build failed; full log: $log"
    return 1
  fi
  for f in exec_concurrent exec_pool watchdog deadline; do
    TSAN_OPTIONS="halt_on_error=1 exitcode=66 die_after_fork=0" \
      run_counted "unit-tsan-$f" "aw-unit $f (TSan)" \
      build-tsan/tests/aw-unit "$f" || rc=1
    p=$((p + STEP_PASSED))
    fl=$((fl + STEP_FAILED))
  done
  STEP_PASSED=$p STEP_FAILED=$fl
  return $rc
}
step_install() {
  [ $GCC_OK -eq 1 ] || { echo "not run: the gcc build failed"; return 1; }
  bash tests/install/run.sh build
}

step build-gcc step_build_gcc
step unit-gcc step_unit_gcc
step spec-gcc step_spec_gcc
if [ $QUICK -eq 0 ]; then
  step wast-gcc step_wast_gcc
  step wast3-gcc step_wast3_gcc
  step text-gcc step_text_gcc
  step cli-gcc step_cli_gcc
  step wasi-gcc step_wasi_gcc
  step build-clang step_build_clang
  step build-asan step_build_asan
  step unit-asan step_unit_asan
  step spec-asan step_spec_asan
  step wast-asan step_wast_asan
  step cli-asan step_cli_asan
  step wasi-asan step_wasi_asan
  step cppcheck step_cppcheck
  step format step_format
  step docs step_docs
  step install step_install
  step hostile-gcc step_hostile_gcc
  step hostile-asan step_hostile_asan
  step fuzz step_fuzz
  step unit-tsan step_unit_tsan
fi

printf '\n======== summary ========\n'
printf '%s\n' "${SUMMARY[@]}"
echo "$PASSED passed, $FAILED failed"
if [ "$FAILED" -ne 0 ] || [ "$ANY_STEP_FAILED" -ne 0 ]; then
  exit 1
fi
exit 0
