#!/bin/bash
# bench/compile/run.sh - compile cost of hostile modules (issue 10): the
# cases of gen.py at arity 1 (baseline) and 1000, each about SIZE bytes,
# through `airssys-wasm validate` (decode + validate + compile, the work of
# aw_module_new), with the elapsed time and peak RSS of the process.
#
#   bench/compile/run.sh [BUILD_DIR] [SIZE]     (defaults: build, 1048576)
#
# Prints a Markdown table (docs/hardening.md, "Compile cost").  The code
# size and compile units per byte of the same cases are asserted by
# tests/unit/test_compile_cost.c.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bdir=${1:-build}
size=${2:-1048576}
cli=$root/$bdir/airssys-wasm
[ -x "$cli" ] || { echo "run.sh: $cli not built" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: needs /usr/bin/time (Debian: time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| case | arity | bytes | outcome | time (s) | peak RSS (MiB) |"
echo "|---|--:|--:|---|--:|--:|"
for c in brif brif_deep block brtable call; do
  for a in 1 1000; do
    f=$tmp/$c-$a.wasm
    python3 "$here/gen.py" "$c" "$a" "$size" "$f"
    /usr/bin/time -o "$tmp/time" -f '%e %M' "$cli" validate "$f" >"$tmp/out" 2>&1 || true
    read -r secs kb <<<"$(tail -n 1 "$tmp/time")"
    res=$(head -c 60 "$tmp/out" | tr '\n' ' ' | sed "s|$tmp/||")
    printf '| %s | %s | %s | %s | %s | %.1f |\n' "$c" "$a" "$(stat -c %s "$f")" \
      "$res" "$secs" "$(echo "$kb" | awk '{print $1 / 1024}')"
  done
done
