#!/bin/sh
# bench/build.sh - builds the benchmark kernels to wasm32, one module per
# kernel, plus the library-free native checker aw-bench-native.
#
#   bench/build.sh [OUTDIR]        (default: build/bench)
#
# Produces OUTDIR/wasm/<kernel>.wasm exporting bench_<kernel> (and the
# linear memory as "memory") and OUTDIR/aw-bench-native.  Compile and link
# are separate steps and wasm-ld is called directly, so clang never runs
# wasm-opt (Debian's binaryen) behind our back: the modules are exactly
# what clang -O2 emits.  Environment overrides: CC_WASM, WASM_LD, CC.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/bench}
CC_WASM=${CC_WASM:-clang}
WASM_LD=${WASM_LD:-wasm-ld}
CC=${CC:-gcc}

# Every kernel: the names must match bench/registry.c.
KERNELS="sort hash crc32 matmul vm strsearch mandel nbody fib sieve"
# SIMD kernels: built as <k>.wasm (scalar) and, from the same source with
# -msimd128 (clang's auto-vectorizer emits v128 code), <k>_simd.wasm
# exporting bench_<k>_simd.
SIMD_KERNELS="saxpy dot16 blend"

# Same -O level and fp contraction rule as the native build.
WASM_CFLAGS="--target=wasm32 -O2 -std=c17 -nostdlib -ffreestanding \
  -ffp-contract=off -Wall -Wextra -Werror"
# 64 KiB shadow stack placed first, so an overflow traps instead of
# silently overwriting static data; the initial memory is sized by wasm-ld
# to hold the stack and each kernel's static arrays; no maximum.
WASM_LDFLAGS="--no-entry --stack-first -z stack-size=65536 --strip-debug"

for tool in "$CC_WASM" "$WASM_LD" "$CC"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench/build.sh: '$tool' not found" >&2
    exit 1
  fi
done

mkdir -p "$out/wasm" "$out/obj"
# shellcheck disable=SC2086
$CC_WASM $WASM_CFLAGS -fno-builtin -c "$here/kernels/kmem.c" \
  -o "$out/obj/kmem.o"
for k in $KERNELS; do
  # shellcheck disable=SC2086
  $CC_WASM $WASM_CFLAGS -c "$here/kernels/$k.c" -o "$out/obj/$k.o"
  # shellcheck disable=SC2086
  $WASM_LD $WASM_LDFLAGS --export="bench_$k" -o "$out/wasm/$k.wasm" \
    "$out/obj/$k.o" "$out/obj/kmem.o"
done
for k in $SIMD_KERNELS; do
  # shellcheck disable=SC2086
  $CC_WASM $WASM_CFLAGS -c "$here/kernels/$k.c" -o "$out/obj/$k.o"
  # shellcheck disable=SC2086
  $WASM_LD $WASM_LDFLAGS --export="bench_$k" -o "$out/wasm/$k.wasm" \
    "$out/obj/$k.o" "$out/obj/kmem.o"
  # shellcheck disable=SC2086
  $CC_WASM $WASM_CFLAGS -msimd128 "-Dbench_$k=bench_${k}_simd" \
    -c "$here/kernels/$k.c" -o "$out/obj/${k}_simd.o"
  # shellcheck disable=SC2086
  $WASM_LD $WASM_LDFLAGS --export="bench_${k}_simd" \
    -o "$out/wasm/${k}_simd.wasm" "$out/obj/${k}_simd.o" "$out/obj/kmem.o"
done

# The native side for check.sh: same flags as the aw-bench native kernels.
NATIVE_CFLAGS="-O2 -std=c17 -ffp-contract=off -Wall -Wextra -Wshadow \
  -Wstrict-prototypes -Wmissing-prototypes -Werror"
natsrc="$here/native.c $here/registry.c"
for k in $KERNELS $SIMD_KERNELS; do natsrc="$natsrc $here/kernels/$k.c"; done
# shellcheck disable=SC2086
$CC $NATIVE_CFLAGS $natsrc -lm -o "$out/aw-bench-native"

echo "bench/build.sh: built $(echo "$KERNELS" | wc -w) kernels and $(echo "$SIMD_KERNELS" | wc -w) SIMD kernels (scalar and -msimd128) in $out/wasm"
