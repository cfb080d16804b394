#!/usr/bin/env bash
# check-symbols.sh LIBDIR - the installed libraries define no global symbol
# but the public API: every dynamic symbol of libairssys-wasm.so and every
# global symbol defined by libairssys-wasm.a starts with aw_ or wasm_, and
# the archive's set equals the shared library's (cmake/static-object.cmake).
# Prints the offending symbols; exit status 1 if there is any.
set -uo pipefail
libdir=${1:?usage: scripts/check-symbols.sh LIBDIR}
so=$(readlink -f "$libdir/libairssys-wasm.so")
a="$libdir/libairssys-wasm.a"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-syms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bad=0
nm -D --defined-only "$so" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/so" || exit 1
# Global definitions are the upper-case types (T, D, B, R, W, V, ...).
nm -g --defined-only "$a" | awk 'NF == 3 && $2 ~ /^[A-Z]$/ { print $3 }' |
  sort -u >"$tmp/a" || exit 1
for lib in so a; do
  n=$(wc -l <"$tmp/$lib")
  if [ "$n" -eq 0 ]; then
    echo "$lib: defines no global symbol at all"
    bad=1
  fi
  if grep -vE '^(aw|wasm)_' "$tmp/$lib" >"$tmp/$lib.bad"; then
    echo "$lib: $(wc -l <"$tmp/$lib.bad") global symbols outside aw_*/wasm_*:"
    head -n 40 "$tmp/$lib.bad" | sed 's/^/  /'
    bad=1
  fi
  echo "$lib: $n global symbols"
done
if ! diff -u "$tmp/so" "$tmp/a" >"$tmp/diff"; then
  echo "the static and the shared library export different symbols:"
  head -n 40 "$tmp/diff"
  bad=1
fi
exit $bad
