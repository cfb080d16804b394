#!/usr/bin/env bash
# build.sh - builds the example components: each examples/NAME/ holds a
# Component.toml and NAME.c (C with wasi-libc) or NAME.wat, compiled to
# NAME.wasm next to its manifest, so `airssys-wasm run examples/NAME` works.
#
#   examples/build.sh            build in place (examples/NAME/NAME.wasm)
#   examples/build.sh OUTDIR     build into OUTDIR/NAME/ (manifests copied)
#
# C: clang --target=wasm32-wasi --sysroot=/usr (Debian's wasi-libc), compiled
# with -O2 -c, then linked in a separate step without -O (Debian's clang
# would otherwise run wasm-opt at link time if binaryen is installed).
# WAT: wat2wasm (wabt).  A module is rebuilt only when its source is newer.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src}
mkdir -p "$out"
out=$(cd "$out" && pwd)
CLANG=${AW_WASM_CLANG:-clang}
SYSROOT=${AW_WASI_SYSROOT:-/usr}

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "examples/build.sh: $1 not found (scripts/deps.sh installs it)" >&2
    exit 1
  }
}

built=0
for dir in "$src"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/Component.toml" ] || continue
  dest="$out/$name"
  mkdir -p "$dest"
  if [ "$dest" != "${dir%/}" ]; then
    cp "$dir/Component.toml" "$dest/Component.toml"
  fi
  wasm="$dest/$name.wasm"
  if [ -f "$dir/$name.c" ]; then
    if [ ! -f "$wasm" ] || [ "$dir/$name.c" -nt "$wasm" ]; then
      need "$CLANG"
      "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wextra \
        -Werror -c "$dir/$name.c" -o "$dest/$name.o"
      "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" "$dest/$name.o" \
        -o "$wasm.tmp"
      rm -f "$dest/$name.o"
      mv "$wasm.tmp" "$wasm"
      built=$((built + 1))
    fi
  elif [ -f "$dir/$name.wat" ]; then
    if [ ! -f "$wasm" ] || [ "$dir/$name.wat" -nt "$wasm" ]; then
      need wat2wasm
      wat2wasm "$dir/$name.wat" -o "$wasm.tmp"
      mv "$wasm.tmp" "$wasm"
      built=$((built + 1))
    fi
  else
    echo "examples/build.sh: $name has neither $name.c nor $name.wat" >&2
    exit 1
  fi
done
# file-writer's granted directory (Component.toml: host = "out").
mkdir -p "$out/file-writer/out"
echo "examples: $built module(s) rebuilt in $out"
