#!/bin/bash
# bench/limits/run.sh - measures what resource control costs and how
# precisely a timeout stops a guest; prints Markdown tables (and writes
# them to --out FILE if given).
#
#   bench/limits/run.sh [--out FILE] [--build-dir DIR] [-r REPS] [-n RUNS]
#
# 1. Overhead: the bench kernels (bench/kernels, built to wasm by
#    bench/build.sh) run through aw_execute with fuel metering and an armed
#    deadline vs with both off (target: geometric mean <= 10%).
# 2. Overshoot: RUNS (default 100) executions with a 100 ms timeout of a
#    spinning guest and of a guest sleeping in WASI poll_oneoff (target:
#    p99 < 5 ms).
# Builds the library (Release, gcc) in DIR (default build-limits). The
# overshoot table compares the default (thread timer + watchdog) with the
# watchdog alone, interleaved, and shows how long the guest thread waited
# for a CPU (the machine's contention, which no mechanism can remove).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bdir=$root/build-limits
out=
reps=5
runs=100
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a file}; shift 2 ;;
    --build-dir) bdir=${2:?--build-dir needs a directory}; shift 2 ;;
    -r) reps=${2:?-r needs a number}; shift 2 ;;
    -n) runs=${2:?-n needs a number}; shift 2 ;;
    *) echo "usage: $0 [--out FILE] [--build-dir DIR] [-r REPS] [-n RUNS]" >&2; exit 2 ;;
  esac
done

cmake -S "$root" -B "$bdir" -G Ninja -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_BUILD_TYPE=Release -DAW_TESTS=OFF -DAW_EXAMPLES=OFF >/dev/null
ninja -C "$bdir" airssys-wasm-static >/dev/null
sh "$root/bench/build.sh" "$bdir/bench" >/dev/null
mkdir -p "$bdir/limits"
wat2wasm "$here/spin.wat" -o "$bdir/limits/spin.wasm"
wat2wasm "$here/sleep.wat" -o "$bdir/limits/sleep.wasm"
kernels=$(sed -n 's/^KERNELS="\(.*\)"/\1/p' "$root/bench/build.sh")
srcs=""
for k in $kernels; do srcs="$srcs $root/bench/kernels/$k.c"; done
# shellcheck disable=SC2086
gcc -O2 -std=c17 -ffp-contract=off -Wall -Wextra -Werror -I"$root/include" \
  -o "$bdir/limits/aw-bench-limits" "$here/limits_bench.c" \
  "$root/bench/registry.c" $srcs "$bdir/libairssys-wasm.a" -lpthread -lm

bin=$bdir/limits/aw-bench-limits
report=$(mktemp)
trap 'rm -f "$report"' EXIT
{
  echo "### Overhead of fuel metering + deadline"
  echo
  "$bin" overhead "$bdir/bench/wasm" -r "$reps"
  echo
  echo "### Timeout overshoot"
  echo
  "$bin" overshoot "$bdir/limits/spin.wasm" "$bdir/limits/sleep.wasm" -n "$runs" -t 100
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) online CPUs (shared), $(uname -sr); $(gcc --version | head -1), Release; commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'); $(date -u '+%Y-%m-%d %H:%M UTC')."
} >"$report"
cat "$report"
if [ -n "$out" ]; then cp "$report" "$out"; fi
