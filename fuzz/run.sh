#!/usr/bin/env bash
# run.sh - runs one fuzz target for a bounded time and fails on any finding.
#
#   fuzz/run.sh TARGET SECONDS [BUILD_DIR]
#
# TARGET is fuzz_decode, fuzz_exec, fuzz_gen, fuzz_manifest, fuzz_wasi or fuzz_wat.  Configures
# and builds BUILD_DIR (default build-fuzz: clang, -DAW_FUZZ=ON) if needed,
# creates the seed corpus with fuzz/make_corpus.sh when it is empty, then
# runs libFuzzer niced (-jobs=1, -rss_limit_mb=2048, -timeout=10) with the
# corpus in BUILD_DIR/corpus/TARGET (it grows with what the run finds).
# Findings (crash-, leak-, timeout-, oom- files) go to
# BUILD_DIR/artifacts/TARGET/; any finding makes the exit status 1.
# Prints the corpus size and the final coverage (libFuzzer's `cov:`).
# Env: AW_FUZZ_ARGS adds libFuzzer options.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
if [ $# -lt 2 ]; then
  sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 2
fi
TARGET=$1 SECS=$2 BUILD=${3:-build-fuzz}
case "$TARGET" in
  fuzz_decode | fuzz_exec | fuzz_gen | fuzz_manifest | fuzz_wasi | fuzz_wat) ;;
  *) echo "run.sh: unknown target '$TARGET'" >&2; exit 2 ;;
esac
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_C_COMPILER=clang -DAW_FUZZ=ON \
    -DAW_TESTS=OFF -DAW_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >/dev/null || exit 1
fi
nice -n 10 ninja -C "$BUILD" "$TARGET" >"$BUILD/build-$TARGET.log" 2>&1 || {
  tail -n 30 "$BUILD/build-$TARGET.log"
  exit 1
}
BIN="$BUILD/fuzz/$TARGET"
CORPUS="$BUILD/corpus/$TARGET"
ART="$BUILD/artifacts/$TARGET"
mkdir -p "$CORPUS" "$ART"
if [ -z "$(ls -A "$CORPUS")" ]; then
  bash fuzz/make_corpus.sh "$BUILD" >/dev/null || exit 1
fi
before=$(find "$CORPUS" -type f | wc -l)
LOG="$ART/fuzz-0.log"
rm -f "$LOG"
echo "run.sh: $TARGET for ${SECS}s, corpus $CORPUS ($before files)"
# -jobs=1: libFuzzer runs the fuzzing in a child (log in $ART/fuzz-0.log)
# and restarts it after a finding is written, so check artifacts as well.
# shellcheck disable=SC2086
(cd "$ART" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  nice -n 10 "$BIN" -jobs=1 -workers=1 -max_total_time="$SECS" \
    -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$ART/" ${AW_FUZZ_ARGS:-} "$CORPUS" >"$ART/driver.log" 2>&1)
rc=$?
after=$(find "$CORPUS" -type f | wc -l)
bytes=$(du -sb "$CORPUS" | cut -f1)
cov=$(grep -Eo 'cov: [0-9]+' "$LOG" 2>/dev/null | tail -n 1 | awk '{print $2}')
ft=$(grep -Eo 'ft: [0-9]+' "$LOG" 2>/dev/null | tail -n 1 | awk '{print $2}')
execs=$(grep -E 'stat::number_of_executed_units' "$LOG" 2>/dev/null | awk '{s+=$2} END {print s+0}')
findings=$(find "$ART" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
  -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
echo "run.sh: $TARGET: ${SECS}s, $execs executions, corpus $before -> $after files ($bytes bytes), cov: ${cov:-?} ft: ${ft:-?}"
if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then
  grep -E 'ERROR|FINDING|SUMMARY|Test unit written' "$LOG" 2>/dev/null | head -n 20
  echo "run.sh: $TARGET: FAILED (exit $rc, $findings finding(s) in $ART; log $LOG)"
  exit 1
fi
echo "run.sh: $TARGET: no finding"
