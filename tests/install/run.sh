#!/usr/bin/env bash
# tests/install/run.sh BUILD_DIR - install smoke test: installs the build in
# BUILD_DIR into a temporary prefix, then checks that
#   - the CLI, both libraries, the headers and airssys-wasm.pc are there,
#     and the shared library exports nothing but aw_* symbols;
#   - each installed header compiles alone as C17 and as C++;
#   - api_tour.c (the README's C API tour, which must match README.md)
#     compiles and links against the installed shared library through
#     `pkg-config --cflags --libs airssys-wasm`, and against the static one,
#     and both programs run and succeed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:?usage: tests/install/run.sh BUILD_DIR}
case "$build" in /*) ;; *) build="$root/$build" ;; esac

for t in cmake pkg-config cc c++ nm; do
  command -v "$t" >/dev/null 2>&1 || { echo "install: missing $t"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aw-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
fail=0
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok   $what"
  else
    echo "FAIL $what"
    sed 's/^/     /' "$tmp/out" | tail -n 30
    fail=1
  fi
}

check "cmake --install into a temporary prefix" \
  cmake --install "$build" --prefix "$prefix"

# GNUInstallDirs may pick lib/ or lib/<multiarch>/: find the .pc file.
pc=$(find "$prefix" -name airssys-wasm.pc | head -n 1)
if [ -z "$pc" ]; then
  echo "FAIL no airssys-wasm.pc installed under $prefix"
  exit 1
fi
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH="$(dirname "$pc")"

check "installed bin/airssys-wasm" test -x "$prefix/bin/airssys-wasm"
check "installed include/airssys/wasm.h" test -f "$prefix/include/airssys/wasm.h"
check "installed static library" test -f "$libdir/libairssys-wasm.a"
check "installed shared library" test -e "$libdir/libairssys-wasm.so"
# Only the public API (aw_*) may be exported by the shared library.
exported_non_api() {
  local so syms
  so=$(readlink -f "$libdir/libairssys-wasm.so")
  syms=$(nm -D --defined-only "$so" | awk '{ print $3 }') || return 1
  echo "$syms" | grep -q '^aw_' || return 1
  ! echo "$syms" | grep -v '^aw_'
}
check "shared library exports only aw_* symbols" exported_non_api
check "pkg-config names the installed prefix" \
  test "$(pkg-config --variable=prefix airssys-wasm)" = "$prefix"
check "pkg-config version matches AW_VERSION" \
  grep -q "AW_VERSION \"$(pkg-config --modversion airssys-wasm)\"" \
  "$prefix/include/airssys/wasm.h"

warn=(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror)
cflags=$(pkg-config --cflags airssys-wasm)
for h in "$prefix"/include/airssys/*.h; do
  name="airssys/$(basename "$h")"
  printf '#include <%s>\n' "$name" >"$tmp/h.c"
  # shellcheck disable=SC2086
  check "$name compiles alone (C17, -pedantic)" \
    cc -std=c17 -pedantic "${warn[@]}" $cflags -c "$tmp/h.c" -o "$tmp/h.o"
  # shellcheck disable=SC2086
  check "$name compiles as C++" \
    c++ -x c++ -Wall -Wextra -Werror $cflags -c "$tmp/h.c" -o "$tmp/hpp.o"
done

# The README's C block must be api_tour.c verbatim, so the README's example
# is the one compiled here.
awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' \
  "$root/README.md" >"$tmp/readme.c"
check "README.md's C example is tests/install/api_tour.c" \
  diff -u "$here/api_tour.c" "$tmp/readme.c"

# shellcheck disable=SC2086
check "api_tour.c links with pkg-config (shared)" \
  cc -std=c17 "${warn[@]}" "$here/api_tour.c" -o "$tmp/tour-shared" \
  $(pkg-config --cflags --libs airssys-wasm)
check "api_tour (shared) runs: run(20) = 41" \
  env LD_LIBRARY_PATH="$libdir" "$tmp/tour-shared"
# shellcheck disable=SC2086
check "api_tour.c links with the static library" \
  cc -std=c17 "${warn[@]}" "$here/api_tour.c" -o "$tmp/tour-static" \
  $cflags "$libdir/libairssys-wasm.a" $(pkg-config --static --libs-only-l airssys-wasm | sed 's/-lairssys-wasm//')
check "api_tour (static) runs: run(20) = 41" "$tmp/tour-static"

if [ $fail -ne 0 ]; then
  echo "install smoke test: FAILED"
  exit 1
fi
echo "install smoke test: passed"
