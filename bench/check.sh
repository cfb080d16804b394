#!/bin/sh
# bench/check.sh - verifies the wasm builds of the kernels against their
# native builds with an independent engine (wabt's wasm-interp), at the
# small sizes from bench/registry.c (or --n N).  Exit status 0 only if
# every kernel gives the same checksum in both.
#
#   bench/check.sh [--n N] [OUTDIR]       (default OUTDIR: build/bench)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
n_opt=""
if [ "${1:-}" = "--n" ]; then
  n_opt="--n ${2:?--n needs a value}"
  shift 2
fi
out=${1:-$here/../build/bench}
CC_WASM=${CC_WASM:-clang}
WASM_LD=${WASM_LD:-wasm-ld}
INTERP=${WASM_INTERP:-wasm-interp}

command -v "$INTERP" >/dev/null 2>&1 || {
  echo "bench/check.sh: '$INTERP' (wabt) not found" >&2
  exit 1
}
"$here/build.sh" "$out" >/dev/null

fail=0
# shellcheck disable=SC2086
"$out/aw-bench-native" $n_opt --small >"$out/native-small.txt"
while read -r name n want _ms; do
  bits=$(sed -n "s/.*K\\(32\\|64\\)($name,.*/\\1/p" "$here/registry.c")
  # A SIMD kernel's -msimd128 build (KSIMD) has its scalar twin's width.
  [ -n "$bits" ] || bits=$(sed -n "s/.*K\\(32\\|64\\)(${name%_simd},.*/\\1/p" "$here/registry.c")
  [ -n "$bits" ] || { echo "check: $name missing from registry.c" >&2; exit 1; }
  # shellcheck disable=SC2086
  $CC_WASM --target=wasm32 -O2 -std=c17 -nostdlib -ffreestanding \
    -DCHECK_FN="bench_$name" -DCHECK_N="$n" -DCHECK_T="uint${bits}_t" \
    "-Dbench_${name%_simd}=bench_$name" \
    -c "$here/kernels/check_main.c" -o "$out/obj/check_$name.o"
  $WASM_LD --no-entry --stack-first -z stack-size=65536 --export=check \
    -o "$out/obj/check_$name.wasm" "$out/obj/check_$name.o" \
    "$out/obj/$name.o" "$out/obj/kmem.o"
  line=$("$INTERP" "$out/obj/check_$name.wasm" --run-all-exports 2>&1 || true)
  got=$(echo "$line" | sed -n 's/^check() => i[0-9]*:\(-\{0,1\}[0-9]*\)$/\1/p')
  if [ -z "$got" ]; then
    echo "FAIL $name n=$n: wasm-interp said: $line"
    fail=1
    continue
  fi
  # wasm-interp may print the value as signed; normalise to unsigned.
  if [ "$bits" = 32 ]; then
    got=$(( (got + 4294967296) % 4294967296 ))
  else
    got=$(printf '%u' "$got")
  fi
  if [ "$got" = "$want" ]; then
    echo "ok   $name n=$n checksum=$want"
  else
    echo "FAIL $name n=$n native=$want wasm-interp=$got"
    fail=1
  fi
done <"$out/native-small.txt"
if [ $fail -ne 0 ]; then
  echo "bench/check.sh: MISMATCH between native and wasm kernels" >&2
  exit 1
fi
echo "bench/check.sh: all kernels agree (native gcc vs wasm32 under $INTERP)"
