#!/bin/bash
# bench/startup/run.sh - CLI start-up time: the same hello-world C program
# (examples/hello) run natively and under `airssys-wasm run`, side by side,
# plus /bin/true for the cost of fork+exec alone.  Prints a Markdown table
# and writes it to docs/bench-startup.md (or --out FILE).
#
#   bench/startup/run.sh [--out FILE] [-n RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/docs/bench-startup.md
runs=200
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?}; shift 2 ;;
    -n) runs=${2:?}; shift 2 ;;
    *) echo "usage: $0 [--out FILE] [-n RUNS]" >&2; exit 2 ;;
  esac
done
bdir=$root/build-bench
cmake -S "$root" -B "$bdir" -G Ninja -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_BUILD_TYPE=Release -DAW_TESTS=OFF >/dev/null
ninja -C "$bdir" airssys-wasm >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/aw-startup" "$here/startup.c"
gcc -O2 -o "$tmp/hello-native" "$root/examples/hello/hello.c"
"$root/examples/build.sh" "$tmp/ex" >/dev/null
wasm=$tmp/ex/hello/hello.wasm
table=$("$tmp/aw-startup" -n "$runs" "native hello=$tmp/hello-native" \
  "/bin/true=/bin/true" \
  "airssys-wasm run hello.wasm=$bdir/airssys-wasm run --max-memory 16MiB $wasm")
{
  echo "# CLI start-up time"
  echo
  echo "A hello-world C program (examples/hello) built natively (gcc -O2) and"
  echo "for wasm32-wasi (clang -O2, wasi-libc), each run $runs times"
  echo "interleaved, fork+exec to exit (bench/startup/run.sh). The engine run"
  echo "includes reading, decoding, validating and compiling the module, WASI"
  echo "setup, instantiation and the run; target: under 2 ms."
  echo
  echo "$table"
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs;"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $(gcc --version | head -1);"
  echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC')."
} >"$out"
cat "$out"
