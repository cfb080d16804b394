#!/bin/bash
# bench/wabt.sh - a reference point for the results table: runs every
# kernel once at its default size under wabt's wasm-interp (a plain
# stack-machine interpreter) and compares with the native build.  Prints a
# Markdown table; exit status 1 if a checksum differs.
#
#   bench/wabt.sh [OUTDIR]        (default OUTDIR: build/bench)
#
# Times are user+system CPU time of the whole wasm-interp process (module
# load included, negligible next to seconds of run time) and of one native
# run (aw-bench-native), so slow-downs are comparable with aw-bench's
# thread-CPU-time figures.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/bench}
CC_WASM=${CC_WASM:-clang}
WASM_LD=${WASM_LD:-wasm-ld}
INTERP=${WASM_INTERP:-wasm-interp}
command -v "$INTERP" >/dev/null 2>&1 || {
  echo "bench/wabt.sh: '$INTERP' (wabt) not found" >&2
  exit 1
}
"$here/build.sh" "$out" >/dev/null
"$out/aw-bench-native" >"$out/native-default.txt"

echo "| kernel | n | native ms | wasm-interp ms | slowdown |"
echo "|---|--:|--:|--:|--:|"
fail=0
logsum=0
count=0
TIMEFORMAT='%3U %3S'
while read -r name n want native_ms; do
  bits=$(sed -n "s/.*K\\(32\\|64\\)($name,.*/\\1/p" "$here/registry.c")
  "$CC_WASM" --target=wasm32 -O2 -std=c17 -nostdlib -ffreestanding \
    -DCHECK_FN="bench_$name" -DCHECK_N="$n" -DCHECK_T="uint${bits}_t" \
    -c "$here/kernels/check_main.c" -o "$out/obj/ref_$name.o"
  "$WASM_LD" --no-entry --stack-first -z stack-size=65536 --export=check \
    -o "$out/obj/ref_$name.wasm" "$out/obj/ref_$name.o" "$out/obj/$name.o" \
    "$out/obj/kmem.o"
  # bash's time keyword reports the child's user and system CPU seconds.
  times=$( { time "$INTERP" "$out/obj/ref_$name.wasm" --run-all-exports \
    >"$out/obj/ref_$name.txt" 2>&1; } 2>&1 ) || true
  got=$(sed -n 's/^check() => i[0-9]*:\(-\{0,1\}[0-9]*\)$/\1/p' \
    "$out/obj/ref_$name.txt")
  if [ -n "$got" ]; then
    if [ "$bits" = 32 ]; then got=$(( (got + 4294967296) % 4294967296 )); else got=$(printf '%u' "$got"); fi
  fi
  if [ "$got" != "$want" ]; then
    echo "bench/wabt.sh: $name: native $want, wasm-interp: $(head -c 200 "$out/obj/ref_$name.txt")" >&2
    fail=1
    echo "| $name | $n | $native_ms | mismatch | n/a |"
    continue
  fi
  read -r user sys <<<"$times"
  line=$(awk -v u="$user" -v s="$sys" -v nat="$native_ms" \
    'BEGIN { ms = (u + s) * 1000; printf "%.0f %.2f %.6f", ms, ms / nat, log(ms / nat) }')
  read -r ms ratio lg <<<"$line"
  printf '| %s | %s | %.2f | %s | %sx |\n' "$name" "$n" "$native_ms" "$ms" "$ratio"
  logsum=$(awk -v a="$logsum" -v b="$lg" 'BEGIN { printf "%.6f", a + b }')
  count=$((count + 1))
done <"$out/native-default.txt"
if [ $count -gt 0 ]; then
  echo "| **geometric mean** | | | | **$(awk -v a="$logsum" -v c="$count" 'BEGIN { printf "%.2f", exp(a / c) }')x** |"
fi
exit $fail
