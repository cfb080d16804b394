#!/usr/bin/env bash
# tests/install/run.sh BUILD_DIR - install smoke test: installs the build in
# BUILD_DIR into a temporary prefix, then checks that
#   - the CLI, both libraries, the headers, the .pc files, the CMake
#     package and the man page are there, and neither library defines a
#     global symbol but aw_*/wasm_* (scripts/check-symbols.sh);
#   - each installed header compiles alone as C17 and as C++;
#   - api_tour.c (the README's C API tour, which must match README.md)
#     compiles and links against the installed shared library through
#     `pkg-config --cflags --libs airssys-wasm`, and against the static one,
#     and both programs run and succeed; the same through
#     airssys-wasm-static.pc and through find_package(airssys-wasm);
#   - collide.c, which defines toml_parse, rt_*, vm_*..., links statically;
#   - every function <wasm.h> declares is exported and named by a unit test,
#     and capi_examples.c, a host using only <wasm.h>, builds (shared,
#     static, CMake) and runs over the modules of tests/install/capi/.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:?usage: tests/install/run.sh BUILD_DIR}
case "$build" in /*) ;; *) build="$root/$build" ;; esac

for t in cmake pkg-config cc c++ nm wat2wasm; do
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
check "installed man page" test -f "$prefix/share/man/man1/airssys-wasm.1"
check "installed CMake package" \
  test -f "$libdir/cmake/airssys-wasm/airssys-wasm-config.cmake"
# Only the public API (aw_*, wasm_*) may be defined by either library.
check "shared and static libraries define only aw_*/wasm_* symbols (nm)" \
  bash "$root/scripts/check-symbols.sh" "$libdir"
check "pkg-config names the installed prefix" \
  test "$(pkg-config --variable=prefix airssys-wasm)" = "$prefix"
check "pkg-config version matches AW_VERSION" \
  grep -q "AW_VERSION \"$(pkg-config --modversion airssys-wasm)\"" \
  "$prefix/include/airssys/wasm.h"

# Every function <wasm.h> declares is exported by the shared library, and
# named by the unit tests of the C API (tests/unit/test_capi*.c).
declared_capi() {
  tr '\n' ' ' <"$prefix/include/wasm.h" | sed 's/;/;\n/g' |
    grep 'WASM_API_EXTERN' | grep -o 'wasm_[a-z0-9_]*(' | tr -d '(' | sort -u
}
capi_exported() {
  local missing
  missing=$(comm -23 <(declared_capi) \
    <(nm -D --defined-only "$(readlink -f "$libdir/libairssys-wasm.so")" |
      awk '{ print $3 }' | sort -u))
  [ "$(declared_capi | wc -l)" -gt 250 ] || { echo "too few declarations"; return 1; }
  [ -z "$missing" ] || { echo "declared, not exported: $missing"; return 1; }
}
capi_tested() {
  local missing
  missing=$(comm -23 <(declared_capi) \
    <(cat "$root"/tests/unit/test_capi*.c | grep -o 'wasm_[a-z0-9_]*' | sort -u))
  [ -z "$missing" ] || { echo "declared, never named by a test: $missing"; return 1; }
}
check "every function of <wasm.h> is exported" capi_exported
check "every function of <wasm.h> is named by tests/unit/test_capi*.c" capi_tested

warn=(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror)
cflags=$(pkg-config --cflags airssys-wasm)
check "installed include/wasm.h (the standard C API)" \
  test -f "$prefix/include/wasm.h"
for h in "$prefix"/include/airssys/*.h "$prefix"/include/wasm.h; do
  name=${h#"$prefix"/include/}
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
# The static story: airssys-wasm-static.pc names the archive itself, so the
# program has no dynamic dependency on the library even beside the .so.
# shellcheck disable=SC2086
check "api_tour.c links with pkg-config airssys-wasm-static" \
  cc -std=c17 "${warn[@]}" "$here/api_tour.c" -o "$tmp/tour-pcstatic" \
  $(pkg-config --cflags --libs airssys-wasm-static)
check "api_tour (airssys-wasm-static.pc) needs no libairssys-wasm.so" \
  bash -c "! ldd '$tmp/tour-pcstatic' | grep -q libairssys-wasm"
check "api_tour (airssys-wasm-static.pc) runs" "$tmp/tour-pcstatic"
check "pkg-config --static airssys-wasm adds -lpthread -lm" \
  bash -c "pkg-config --static --libs airssys-wasm | grep -q -- '-lpthread -lm'"
# An application defining the engine's internal names links statically.
# shellcheck disable=SC2086
check "an application defining toml_parse, rt_*, vm_* links the archive" \
  cc -std=c17 "${warn[@]}" "$here/collide.c" -o "$tmp/collide" \
  $(pkg-config --cflags --libs airssys-wasm-static)
check "collide runs (each side calls its own functions)" "$tmp/collide"

# The standard C API: capi_examples.c (a host using <wasm.h> only) over
# the modules of tests/install/capi/, shared and static.
mkdir -p "$tmp/wasm"
for w in "$here"/capi/*.wat; do
  check "wat2wasm $(basename "$w")" \
    wat2wasm "$w" -o "$tmp/wasm/$(basename "${w%.wat}").wasm"
done
# shellcheck disable=SC2086
check "capi_examples.c (<wasm.h>) links with pkg-config (shared)" \
  cc -std=c17 "${warn[@]}" "$here/capi_examples.c" -o "$tmp/capi-shared" \
  $(pkg-config --cflags --libs airssys-wasm) -lpthread
check "capi_examples (shared) runs: every part ok" \
  env LD_LIBRARY_PATH="$libdir" "$tmp/capi-shared" "$tmp/wasm"
# shellcheck disable=SC2086
check "capi_examples.c links with pkg-config airssys-wasm-static" \
  cc -std=c17 "${warn[@]}" "$here/capi_examples.c" -o "$tmp/capi-static" \
  $(pkg-config --cflags --libs airssys-wasm-static)
check "capi_examples (static) runs: every part ok" \
  "$tmp/capi-static" "$tmp/wasm"

# The CMake package: find_package(airssys-wasm) with the imported targets.
check "CMake consumer configures (find_package(airssys-wasm))" \
  cmake -S "$here/cmake-consumer" -B "$tmp/consumer" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
check "CMake consumer builds against ::airssys-wasm and ::static" \
  cmake --build "$tmp/consumer"
check "CMake consumer (shared) runs" \
  env LD_LIBRARY_PATH="$libdir" "$tmp/consumer/tour-shared"
check "CMake consumer (static) runs" "$tmp/consumer/tour-static"
check "CMake consumer (static) needs no libairssys-wasm.so" \
  bash -c "! ldd '$tmp/consumer/tour-static' | grep -q libairssys-wasm"
check "CMake consumer: capi_examples (static) runs" \
  "$tmp/consumer/capi-static" "$tmp/wasm"

if [ $fail -ne 0 ]; then
  echo "install smoke test: FAILED"
  exit 1
fi
echo "install smoke test: passed"
