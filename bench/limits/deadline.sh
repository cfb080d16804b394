#!/bin/bash
# bench/limits/deadline.sh - how far past its deadline the longest single
# operations of a hostile guest run (issue 10: the deadline is absolute);
# prints a Markdown table.
#
#   bench/limits/deadline.sh [BUILD_DIR] [RUNS]
#
# Uses BUILD_DIR/airssys-wasm (default build) and wat2wasm.  Each case runs
# RUNS times (default 10) through `airssys-wasm run --report`: outcome,
# elapsed ms (median and max) against the limit, and the largest peak RSS
# of the process (/usr/bin/time).  Cases: one memory.fill of 4 GiB, one
# memory.copy of 2 GiB up and down, a loop of 4 GiB fills
# (tests/hostile/deadline.wat; fuel 10^12 so that the per-byte fuel does
# not stop them first), and the instantiation of 20,000 tables of 10,000
# elements (an 80 KB module, generated here).  The chunk size (64 KiB /
# 4,096 elements, src/runtime.h) bounds the overshoot to one chunk plus
# the watchdog's latency.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
runs=${2:-10}
case "$build" in /*) cli=$build/airssys-wasm ;; *) cli=$root/$build/airssys-wasm ;; esac
[ -x "$cli" ] || { echo "deadline.sh: $cli not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wat2wasm "$root/tests/hostile/deadline.wat" -o "$tmp/deadline.wasm"
python3 - "$tmp/tables.wasm" <<'EOF'
import sys
def leb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)
def sec(i, b):
    return bytes([i]) + leb(len(b)) + b
m = b"\0asm\1\0\0\0" + sec(1, bytes([1, 0x60, 0, 0])) + sec(3, bytes([1, 0]))
m += sec(4, leb(20000) + (bytes([0x70, 0]) + leb(10000)) * 20000)
m += sec(7, bytes([1, 1]) + b"f" + bytes([0, 0])) + sec(10, bytes([1, 2, 0, 0x0B]))
open(sys.argv[1], "wb").write(m)
EOF

# case NAME TIMEOUT_MS MODULE FUNC CLI-OPTIONS...
row() {
  local name=$1 limit=$2 mod=$3 func=$4 i out el rss outcomes="" els=() maxrss=0
  shift 4
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f %M -o "$tmp/rss" "$cli" run --timeout-ms "$limit" \
      --invoke "$func" --report "$tmp/r.json" "$@" "$mod" \
      >/dev/null 2>&1 || true
    out=$(grep -o '"outcome": "[a-z_]*"' "$tmp/r.json" | cut -d'"' -f4)
    el=$(grep -o '"elapsed_ms": [0-9.]*' "$tmp/r.json" | awk '{print $2}')
    rss=$(tail -n 1 "$tmp/rss")
    [ "$rss" -gt "$maxrss" ] && maxrss=$rss
    case " $outcomes " in *" $out "*) ;; *) outcomes="$outcomes $out" ;; esac
    els+=("$el")
  done
  printf '%s\n' "${els[@]}" | sort -g | awk -v n="$name" -v l="$limit" \
    -v o="${outcomes# }" -v r="$runs" -v rss="$maxrss" '
    { v[NR] = $1 }
    END {
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "| %s | %s | %d | %s | %.3f | %.3f | %.3f | %.0f MB |\n",
        n, o, r, l, med, v[NR], v[NR] - l, rss / 1024
    }'
}

echo "| case | outcome | runs | limit ms | median elapsed ms | max elapsed ms | max overshoot ms | peak RSS |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
big=(--max-memory 4GiB --fuel 1000000000000)
row "one memory.fill of 4 GiB" 100 "$tmp/deadline.wasm" fill_4g "${big[@]}"
row "one memory.copy of 2 GiB, up" 100 "$tmp/deadline.wasm" copy_up_2g "${big[@]}"
row "one memory.copy of 2 GiB, down" 100 "$tmp/deadline.wasm" copy_down_2g "${big[@]}"
row "loop of 4 GiB memory.fill" 100 "$tmp/deadline.wasm" fill_loop_4g "${big[@]}"
row "instantiate 20,000 tables x 10,000 elements" 100 "$tmp/tables.wasm" f \
  --max-memory 64KiB
echo
echo "Machine: $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg); $(git -C "$root" rev-parse --short HEAD); $(date -u '+%Y-%m-%d %H:%M UTC')."
