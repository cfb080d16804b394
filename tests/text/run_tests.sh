#!/usr/bin/env bash
# run_tests.sh - the text format through the CLI: `run` of a .wat and of a
# Component.toml naming one, `validate` / `inspect` of .wat files and their
# FILE:LINE:COL errors, and `wast` on tests/text/*.wast (every command
# type; broken.wast must fail with its line).  No wat2wasm involved.
#
#   tests/text/run_tests.sh [BUILD_DIR]    (default: build)
#
# The last line is "N passed, N failed"; exit status 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
CLI=${AW_CLI:-$ROOT/${1:-build}/airssys-wasm}
HERE=$ROOT/tests/text
PASSED=0 FAILED=0
T=$(mktemp -d "${TMPDIR:-/tmp}/aw-text-tests.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
ok() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL $1: $2"; }
# check NAME WANT_STATUS PATTERN COMMAND...: status and output (grep -E)
check() {
  local name=$1 want=$2 pat=$3 out rc
  shift 3
  out=$("$@" 2>&1 </dev/null)
  rc=$?
  if [ "$rc" != "$want" ]; then
    bad "$name" "exit $rc, wanted $want: $(echo "$out" | head -n 3)"
  elif ! echo "$out" | grep -Eq -- "$pat"; then
    bad "$name" "output lacks /$pat/: $(echo "$out" | head -n 3)"
  else
    ok "$name"
  fi
}
[ -x "$CLI" ] || { echo "run_tests.sh: $CLI not built"; echo "0 passed, 1 failed"; exit 1; }

check run-wat 0 '^hello from wat$' "$CLI" run --max-memory 1M "$HERE/hello.wat"
mkdir -p "$T/comp"
cp "$HERE/hello.wat" "$T/comp/"
cat >"$T/comp/Component.toml" <<'TOML'
[component]
name = "hello-wat"
version = "0.1.0"
module = "hello.wat"

[resources.memory]
max_bytes = 1048576

[resources.cpu]
max_fuel = 100000
timeout_ms = 1000
TOML
check run-component-wat 0 '^hello from wat$' "$CLI" run "$T/comp"
check validate-wat 0 'valid' "$CLI" validate "$HERE/hello.wat"
check inspect-wat 0 'fd_write' "$CLI" inspect "$HERE/hello.wat"
printf '(module\n  (func (result i32)\n    (i32.const 0x1_0000_0000)))\n' >"$T/range.wat"
check validate-range-error 1 'range.wat:3:16: constant out of range' "$CLI" validate "$T/range.wat"
printf '(module (func $f) (func $f))' >"$T/dup.wat"
check validate-duplicate 1 'dup.wat:1:25: duplicate function \$f' "$CLI" validate "$T/dup.wat"
printf '(module (func (i32.add (i32.const 1))))' >"$T/inv.wat"
check validate-invalid-text 1 'type mismatch|invalid' "$CLI" validate "$T/inv.wat"
printf '(module (func' >"$T/open.wat"
check validate-unclosed 1 'open.wat:1:9: unclosed' "$CLI" validate "$T/open.wat"
check wast-commands 0 '^[1-9][0-9]* passed, 0 failed, 0 skipped$' "$CLI" wast "$HERE/commands.wast"
check wast-broken 1 'broken.wast:4: assert_return: expected \(i32:2\), got \(i32:1\)' "$CLI" wast "$HERE/broken.wast"
check wast-two-files 1 '^[1-9][0-9]* passed, 1 failed, 0 skipped$' "$CLI" wast "$HERE/commands.wast" "$HERE/broken.wast"
printf '(module)\n(assert_return (invoke "f")' >"$T/cut.wast"
check wast-script-error 1 'cut.wast:2:1: unclosed' "$CLI" wast "$T/cut.wast"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
