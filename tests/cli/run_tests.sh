#!/usr/bin/env bash
# run_tests.sh - tests of `airssys-wasm run`: every outcome and its exit
# status, the JSON report (validated with python3's json), the one-line
# messages, options overriding the manifest, --invoke with every number
# type, --dir / --env / argv reaching the guest, stdin/stdout passthrough,
# and strict validation of the options.
#
#   tests/cli/run_tests.sh [BUILD_DIR]     (default: build)
#
# Builds the examples (examples/build.sh) and the test guests of
# tests/cli/guests/ (C with wasi-libc, WAT with wat2wasm) into a temporary
# directory.  The last line is "N passed, N failed"; the exit status is 1
# if anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
BUILD=${1:-build}
CLI=${AW_CLI:-$ROOT/$BUILD/airssys-wasm}
GUESTS=$ROOT/tests/cli/guests
PASSED=0
FAILED=0

if [ ! -x "$CLI" ]; then
  echo "run_tests.sh: $CLI not built"
  echo "0 passed, 1 failed"
  exit 1
fi
for tool in clang wat2wasm python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "run_tests.sh: $tool not found (scripts/deps.sh installs it)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/aw-run-tests.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# ---------------------------------------------------------------- build
if ! bash examples/build.sh "$T/ex" >"$T/build.log" 2>&1; then
  cat "$T/build.log"
  echo "run_tests.sh: examples/build.sh failed"
  echo "0 passed, 1 failed"
  exit 1
fi
mkdir -p "$T/g"
for c in "$GUESTS"/*.c; do
  n=$(basename "$c" .c)
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -c "$c" \
    -o "$T/g/$n.o" && clang --target=wasm32-wasi --sysroot=/usr \
    "$T/g/$n.o" -o "$T/g/$n.wasm" || {
    echo "run_tests.sh: cannot build $c"
    echo "0 passed, 1 failed"
    exit 1
  }
done
for w in "$GUESTS"/*.wat; do
  wat2wasm "$w" -o "$T/g/$(basename "$w" .wat).wasm" || {
    echo "run_tests.sh: cannot build $w"
    echo "0 passed, 1 failed"
    exit 1
  }
done
G=$T/g
EX=$T/ex

# ---------------------------------------------------------------- helpers
REPORT=$T/report.json
# run ARGS...: runs `airssys-wasm run --report $REPORT ARGS...` with stdin
# from $STDIN (default /dev/null); stdout in $T/out, stderr in $T/err, exit
# status in $RC.
STDIN=/dev/null
run() {
  rm -f "$REPORT" "$T/flat"
  "$CLI" run --report "$REPORT" "$@" <"$STDIN" >"$T/out" 2>"$T/err"
  RC=$?
}

ok() {
  PASSED=$((PASSED + 1))
}
bad() {
  FAILED=$((FAILED + 1))
  echo "FAIL: $CASE: $*"
  echo "  stdout: $(head -c 300 "$T/out" 2>/dev/null)"
  echo "  stderr: $(head -c 300 "$T/err" 2>/dev/null)"
}

# rj PATH: the report's value at PATH (e.g. fuel.max, results.0) as JSON
# (strings unquoted); "INVALID" if the report is not valid JSON, "MISSING"
# if there is no such value.  The report is parsed once per run (python3's
# json) into $T/flat, one "PATH<TAB>VALUE" line per value.
flatten() {
  python3 - "$REPORT" >"$T/flat" <<'EOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        root = json.load(f)
except Exception:
    print("__invalid__\t1")
    sys.exit(0)
def walk(path, v):
    text = v if isinstance(v, str) else json.dumps(v)
    print(path + "\t" + text.replace("\n", "\\n"))
    if isinstance(v, dict):
        for k, x in v.items():
            walk(path + "." + k if path else k, x)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(path + "." + str(i) if path else str(i), x)
walk("", root)
EOF
}
rj() {
  [ -f "$T/flat" ] || flatten
  if grep -q '^__invalid__' "$T/flat"; then
    echo INVALID
    return
  fi
  awk -F '\t' -v p="$1" '$1 == p { print substr($0, length($1) + 2); f = 1; exit }
    END { if (!f) print "MISSING" }' "$T/flat"
}

# expect_rc N
expect_rc() {
  if [ "$RC" -eq "$1" ]; then ok; else bad "exit status $RC, expected $1"; fi
}
# expect_json PATH VALUE
expect_json() {
  local got
  got=$(rj "$1")
  if [ "$got" = "$2" ]; then ok; else bad "report $1 = '$got', expected '$2'"; fi
}
# expect_out TEXT: stdout is exactly TEXT (plus a final newline)
expect_out() {
  local want
  want=$(printf '%s\n' "$1")
  if [ "$(cat "$T/out")" = "$want" ]; then ok; else bad "stdout differs, expected '$1'"; fi
}
# expect_err_has TEXT: stderr contains TEXT
expect_err_has() {
  if grep -qF -- "$1" "$T/err"; then ok; else bad "stderr lacks '$1'"; fi
}
# expect_err_lines N: stderr has exactly N lines
expect_err_lines() {
  local n
  n=$(wc -l <"$T/err")
  if [ "$n" -eq "$1" ]; then ok; else bad "stderr has $n lines, expected $1"; fi
}
# expect_msg_has TEXT: the report's message contains TEXT
expect_msg_has() {
  if rj message | grep -qF -- "$1"; then ok; else bad "message lacks '$1': $(rj message)"; fi
}
# expect_valid_report: the report parses and has every documented field
expect_valid_report() {
  local k missing=""
  if [ "$(rj outcome)" = INVALID ] || [ ! -s "$REPORT" ]; then
    bad "report missing or not valid JSON"
    return
  fi
  for k in outcome exit_code trap message fuel elapsed_ms timeout_ms memory \
    results; do
    [ "$(rj "$k")" = MISSING ] && missing="$missing $k"
  done
  if [ -z "$missing" ]; then ok; else bad "report lacks:$missing"; fi
}
# failure OUTCOME STATUS: checks outcome, status, one stderr line naming it
failure() {
  expect_rc "$2"
  expect_valid_report
  expect_json outcome "$1"
  expect_json exit_code null
  expect_json exit_status "$2"
  expect_err_lines 1
  expect_err_has "airssys-wasm: $1: "
}

# ---------------------------------------------------------------- success
CASE="hello component"
run "$EX/hello"
expect_rc 0
expect_valid_report
expect_json outcome success
expect_json exit_code 0
expect_json trap null
expect_json results "[]"
expect_json component.name hello
expect_json function _start
expect_json timeout_ms 1000
expect_json fuel.max 10000000
expect_json memory.max_bytes 2097152
expect_out "Hello from airssys-wasm!
GREETING=hi from the manifest"
expect_err_lines 0
if python3 -c "import json,sys; r=json.load(open(sys.argv[1])); f=r['fuel']; \
  assert 0 < f['consumed'] <= f['max'] and f['remaining'] == f['max'] - f['consumed']; \
  assert abs(f['usage_percent'] - 100.0 * f['consumed'] / f['max']) < 0.01; \
  assert r['memory']['peak_bytes'] > 0 and r['elapsed_ms'] >= 0" "$REPORT" 2>/dev/null; then
  ok
else
  bad "fuel/memory figures inconsistent: $(rj fuel) $(rj memory)"
fi

CASE="hello via Component.toml, --verbose"
"$CLI" run -v "$EX/hello/Component.toml" </dev/null >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0
expect_err_lines 1
expect_err_has "airssys-wasm: success: "

CASE="proc_exit(3) is success with exit code 3"
run --max-memory 128KiB "$G/exit3.wasm"
expect_rc 3
expect_json outcome success
expect_json exit_code 3
expect_json exit_status 3
expect_out "bye"

CASE="stdin/stdout passthrough is byte-identical"
head -c 100000 /dev/urandom >"$T/random.bin"
STDIN=$T/random.bin run --max-memory 1MiB "$G/cat.wasm"
expect_rc 0
if cmp -s "$T/random.bin" "$T/out"; then ok; else bad "stdout differs from stdin"; fi
expect_out_err() { if [ "$(cat "$T/err")" = "$1" ]; then ok; else bad "stderr is not '$1'"; fi; }
expect_out_err "done"
STDIN=/dev/null

CASE="a closed stdout is EPIPE for the guest, the report is still written"
rm -f "$REPORT" "$T/flat"
"$CLI" run --report "$REPORT" --max-memory 1MiB "$G/cat.wasm" <"$T/random.bin" 2>"$T/err" | head -c 10 >"$T/out"
RC=${PIPESTATUS[0]}
expect_rc 3
expect_json outcome success
expect_json exit_code 3

CASE="a closed stdin is no fd 0 for the guest, not an error"
rm -f "$REPORT" "$T/flat"
"$CLI" run --report "$REPORT" --max-memory 1MiB "$G/cat.wasm" <&- >"$T/out" 2>"$T/err"
RC=$?
expect_rc 2
expect_json outcome success
expect_json exit_code 2

CASE="--report - follows the guest's output on stdout"
"$CLI" run --report - --max-memory 128KiB "$G/exit3.wasm" </dev/null >"$T/out" 2>"$T/err"
RC=$?
expect_rc 3
if [ "$(head -n 1 "$T/out")" = bye ] && tail -n +2 "$T/out" | python3 -c \
  'import json,sys; r=json.load(sys.stdin); assert r["outcome"] == "success" and r["exit_code"] == 3' 2>/dev/null; then
  ok
else
  bad "stdout is not the guest's output then the report"
fi

# ---------------------------------------------------------------- out of fuel
CASE="cpu-bound runs out of fuel"
run "$EX/cpu-bound"
failure out_of_fuel 123
expect_err_has "Component ran out of fuel: 1000000/1000000 fuel units consumed (100.0%)"
expect_json message "Component ran out of fuel: 1000000/1000000 fuel units consumed (100.0%)"
expect_json fuel.max 1000000
expect_json fuel.consumed 1000000
expect_json fuel.remaining 0
expect_json fuel.usage_percent 100.0
expect_json trap null

CASE="--fuel overrides the manifest"
run --fuel 5000 "$EX/cpu-bound"
failure out_of_fuel 123
expect_err_has "Component ran out of fuel: 5000/5000 fuel units consumed (100.0%)"
expect_json fuel.max 5000

CASE="--fuel 0"
run --fuel 0 --max-memory 64KiB "$G/spin.wasm"
failure out_of_fuel 123
expect_json fuel.consumed 0

CASE="spin without a manifest: default fuel"
run --max-memory 64KiB "$G/spin.wasm"
failure out_of_fuel 123
expect_json fuel.max 1000000
expect_json timeout_ms 100

# ---------------------------------------------------------------- timeout
CASE="sleeper times out in the host (poll_oneoff)"
start=$(date +%s%N)
run "$EX/sleeper"
elapsed=$((($(date +%s%N) - start) / 1000000))
failure timeout 124
expect_json timeout_ms 200
expect_err_has "Component execution timeout: exceeded 200ms limit"
expect_msg_has "Component execution timeout: exceeded 200ms limit (fuel consumed: "
if [ "$elapsed" -lt 3000 ]; then ok; else bad "took ${elapsed} ms"; fi
if grep -qx "sleeping 5 s" "$T/out"; then ok; else bad "guest output lost"; fi

CASE="a guest blocked reading stdin times out"
mkfifo "$T/fifo"
sleep 5 >"$T/fifo" &
writer=$!
start=$(date +%s%N)
STDIN=$T/fifo run --max-memory 1MiB --timeout-ms 150 "$G/cat.wasm"
elapsed=$((($(date +%s%N) - start) / 1000000))
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
failure timeout 124
expect_json timeout_ms 150
if [ "$elapsed" -lt 3000 ]; then ok; else bad "took ${elapsed} ms"; fi

CASE="--timeout-ms overrides the manifest"
run --timeout-ms 50 "$EX/sleeper"
failure timeout 124
expect_json timeout_ms 50
expect_err_has "exceeded 50ms limit"

CASE="busy loop with unlimited fuel times out"
run --max-memory 64KiB --fuel 18446744073709551615 --timeout-ms 100 "$G/spin.wasm"
failure timeout 124
expect_json timeout_ms 100

# ---------------------------------------------------------------- traps
trap_case() { # FUNC ARG KIND
  CASE="trap $3"
  run --max-memory 128KiB --invoke "$1" "$G/traps.wasm" ${2:+"$2"}
  failure trap 121
  expect_json trap "$3"
  expect_json results "[]"
}
trap_case unreachable "" unreachable
trap_case divzero 0 integer_divide_by_zero
trap_case recurse 0 call_stack_exhausted
trap_case oob "" out_of_bounds_memory_access
trap_case uninit "" uninitialized_element
trap_case conv nan invalid_conversion_to_integer
CASE="trap in _start"
run --max-memory 128KiB "$G/traps.wasm"
failure trap 121
expect_json trap unreachable

# ---------------------------------------------------------------- limits
CASE="memory larger than --max-memory"
run --max-memory 128KiB "$G/bigmem.wasm"
failure limit_exceeded 122
expect_json memory.max_bytes 131072
expect_msg_has "Resource limit exceeded: memory limit"
CASE="same module under a large enough limit (4 pages + the overhead)"
run --max-memory 260KiB "$G/bigmem.wasm"
expect_rc 0
expect_json outcome success
CASE="4 pages exactly leave no room for the overhead"
run --max-memory 256KiB "$G/bigmem.wasm"
failure limit_exceeded 122
expect_msg_has "Resource limit exceeded: memory limit 262144 bytes, requested 2622"
CASE="memory.grow past the cap fails in the guest, counted"
run --max-memory 260KiB --invoke grow "$G/bigmem.wasm" 1
expect_rc 0
expect_out "-1"
expect_json results.0 -1
expect_json memory.failed_grows 1
CASE="memory.grow within the cap"
run --max-memory 512KiB --invoke grow "$G/bigmem.wasm" 2
expect_rc 0
expect_out "4"
expect_json memory.linear_peak_bytes 393216
if python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['memory']; \
  assert 393216 < m['peak_bytes'] <= m['max_bytes'] and m['peak_bytes'] >= m['current_bytes']; \
  assert m['table_peak_bytes'] == 0 and 0 < m['host_peak_bytes'] < 4096" "$REPORT" 2>/dev/null; then
  ok
else
  bad "memory budget figures inconsistent: $(rj memory)"
fi

# ---------------------------------------------------------------- modules
CASE="garbage is an invalid module"
printf 'not a wasm module' >"$T/garbage.wasm"
run --max-memory 64KiB "$T/garbage.wasm"
failure invalid_module 119
expect_json executed false
CASE="a module that fails validation"
printf '\0asm\1\0\0\0\1\5\1\x60\0\1\x7f\3\2\1\0\n\4\1\2\0\x0b' >"$T/invalid.wasm"
run --max-memory 64KiB "$T/invalid.wasm"
failure invalid_module 119

CASE="unknown import is a link error naming it"
run --max-memory 64KiB "$G/link.wasm"
failure link_error 120
expect_err_has "missing_function"
expect_msg_has "missing_function"
CASE="no _start"
run --max-memory 64KiB "$G/values.wasm"
failure link_error 120
expect_msg_has "_start"
CASE="--invoke of a missing function"
run --max-memory 64KiB --invoke nosuch "$G/values.wasm"
failure link_error 120
expect_msg_has "nosuch"
CASE="--invoke of a global"
run --max-memory 64KiB --invoke g "$G/values.wasm"
failure link_error 120

# ---------------------------------------------------------------- config
CASE="no --max-memory without a manifest"
run "$G/spin.wasm"
failure invalid_configuration 118
expect_msg_has "max_memory_bytes"
expect_msg_has "--max-memory"
expect_json executed false

CASE="bad manifest names file, line and field"
mkdir -p "$T/badcomp"
cp "$G/spin.wasm" "$T/badcomp/spin.wasm"
cat >"$T/badcomp/Component.toml" <<'EOF'
[component]
name = "bad"
version = "0.1.0"
module = "spin.wasm"

[resources.memory]
max_bytes = "lots"
EOF
run "$T/badcomp"
failure invalid_configuration 118
expect_msg_has "Component.toml:7:"
expect_msg_has "max_bytes"

bad_opt() { # DESC TEXT-IN-MESSAGE ARGS...
  CASE="rejects $1"
  local text=$2
  shift 2
  run "$@"
  failure invalid_configuration 118
  expect_msg_has "$text"
}
bad_opt "negative memory" "not a size" --max-memory -5 "$G/spin.wasm"
bad_opt "garbage memory" "not a size" --max-memory abc "$G/spin.wasm"
bad_opt "memory unit" "unknown unit 'XB'" --max-memory 5XB "$G/spin.wasm"
bad_opt "fractional memory" "not a size" --max-memory 1.5MiB "$G/spin.wasm"
bad_opt "memory with a space" "not a size" --max-memory "5 MiB" "$G/spin.wasm"
bad_opt "memory overflow" "too large" --max-memory 99999999999999999999999 "$G/spin.wasm"
bad_opt "memory above 16GiB" "too large" --max-memory 17GiB "$G/spin.wasm"
bad_opt "memory 0" "at least 1 byte" --max-memory 0 "$G/spin.wasm"
bad_opt "empty memory" "not a size" --max-memory= "$G/spin.wasm"
bad_opt "negative fuel" "not a non-negative integer" --fuel -1 --max-memory 1M "$G/spin.wasm"
bad_opt "fractional fuel" "not a non-negative integer" --fuel 1.5 --max-memory 1M "$G/spin.wasm"
bad_opt "fuel overflow" "too large" --fuel 18446744073709551616 --max-memory 1M "$G/spin.wasm"
bad_opt "garbage timeout" "not a non-negative integer" --timeout-ms 10ms --max-memory 1M "$G/spin.wasm"
bad_opt "unknown option" "unknown option '--frobnicate'" --frobnicate "$G/spin.wasm"
bad_opt "missing value" "--fuel needs a value" --max-memory 1M --fuel
bad_opt "--env without =" "not NAME=VALUE" --env FOO --max-memory 1M "$G/spin.wasm"
bad_opt "--env without name" "not NAME=VALUE" --env =x --max-memory 1M "$G/spin.wasm"
bad_opt "--dir without host" "not HOST or HOST::GUEST" --dir ::/x --max-memory 1M "$G/spin.wasm"
bad_opt "no module" "no module given" --max-memory 1M
bad_opt "i32 parameter garbage" "'abc' is not an i32" --max-memory 64KiB --invoke add "$G/values.wasm" 1 abc
bad_opt "i32 parameter overflow" "'4294967296' is not an i32" --max-memory 64KiB --invoke add "$G/values.wasm" 1 4294967296
bad_opt "i64 parameter overflow" "is not an i64" --max-memory 64KiB --invoke mul64 "$G/values.wasm" 1 18446744073709551616
bad_opt "f32 parameter garbage" "'1.5x' is not a f32" --max-memory 64KiB --invoke addf32 "$G/values.wasm" 1.5x 1
bad_opt "f32 parameter out of range" "is not a f32" --max-memory 64KiB --invoke addf32 "$G/values.wasm" 1e39 1
bad_opt "parameter count" "takes 2 parameters (i32 i32), 1 given" --max-memory 64KiB --invoke add "$G/values.wasm" 1

CASE="invalid configuration still writes the report (--report last)"
rm -f "$REPORT" "$T/flat"
"$CLI" run --max-memory nope --report "$REPORT" "$G/spin.wasm" </dev/null >"$T/out" 2>"$T/err"
RC=$?
failure invalid_configuration 118

# ---------------------------------------------------------------- io
CASE="missing module file"
run --max-memory 64KiB "$T/nosuch.wasm"
failure io_error 117
expect_msg_has "nosuch.wasm"
expect_msg_has "No such file"
CASE="component directory without Component.toml"
mkdir -p "$T/empty"
run "$T/empty"
failure io_error 117
expect_msg_has "Component.toml"
CASE="manifest naming a missing module"
mkdir -p "$T/nomod"
sed 's/spin.wasm/gone.wasm/; s/"lots"/65536/' "$T/badcomp/Component.toml" >"$T/nomod/Component.toml"
run "$T/nomod"
failure io_error 117
expect_msg_has "gone.wasm"
CASE="--dir of a missing directory"
run --max-memory 1MiB --dir "$T/nosuchdir::/d" "$G/args.wasm"
failure io_error 117
expect_msg_has "nosuchdir"
CASE="report file that cannot be written"
"$CLI" run --report "$T/nosuchdir/r.json" --max-memory 128KiB "$G/exit3.wasm" </dev/null >"$T/out" 2>"$T/err"
RC=$?
expect_rc 117
expect_err_has "cannot write the report"

# ---------------------------------------------------------------- --invoke
inv() { # EXPECTED-STDOUT FUNC ARGS...
  CASE="--invoke $2 ${*:3}"
  local want=$1
  shift
  run --max-memory 64KiB --timeout-ms 10000 --invoke "$1" "$G/values.wasm" "${@:2}"
  expect_rc 0
  expect_json outcome success
  expect_out "$want"
}
inv "5" add 2 3
expect_json results "[5]"
expect_json result_types '["i32"]'
inv "-1" add 0xffffffff 0
inv "-2147483648" add -2147483648 0
inv "2147483647" add 4294967295 -2147483648
inv "-6" mul64 2 -3
expect_json results "[-6]"
expect_json result_types '["i64"]'
inv "9223372036854775807" mul64 9223372036854775807 1
inv "-9223372036854775808" mul64 0x8000000000000000 1
inv "4" addf32 1.5 2.5
inv "0.3333333" addf32 0.3333333 0
expect_json result_types '["f32"]'
inv "16777216" addf32 16777216 1
inv "0.3333333333333333" divf64 1 3
expect_json results "[0.3333333333333333]"
inv "1e+300" divf64 1e300 1
inv "5e-324" divf64 0x1p-1074 1
inv "inf" divf64 1 0
expect_json results '["inf"]'
inv "nan" divf64 nan 1
CASE="--invoke divf64 0 0"
run --max-memory 64KiB --invoke divf64 "$G/values.wasm" 0 0
if grep -qxE -- '-?nan' "$T/out"; then ok; else bad "0/0 is not printed as nan"; fi
if rj results.0 | grep -qxE -- '-?nan'; then ok; else bad "0/0 not nan in the report"; fi
inv "-0" divf64 -0.0 1
inv "2.5
1.5
-7
42" mixed 42 -7 1.5 2.5
expect_json results "[2.5, 1.5, -7, 42]"
expect_json result_types '["f64", "f32", "i64", "i32"]'
inv "" nothing
expect_json results "[]"
# v128 parameters and results (guests/simd.wat): hex (lane 0 lowest) or
# SHAPE:lanes in, hex out.
vinv() { # EXPECTED-STDOUT FUNC ARGS...
  CASE="--invoke (v128) $2 ${*:3}"
  local want=$1
  shift
  run --max-memory 64KiB --timeout-ms 10000 --invoke "$1" "$G/simd.wasm" "${@:2}"
  expect_rc 0
  expect_out "$want"
}
vinv "0xfffffffd000000040000000300000002" addi32x4 i32x4:1,2,3,-4 0x00000001000000010000000100000001
expect_json result_types '["v128"]'
vinv "0x00000000000000000000000000000003" addi32x4 0x1 0X2
vinv "2.5
0x7f8000007fc00000800000003fc00000
7" mixv 7 f32x4:1.5,-0,nan,inf 2.5
vinv "255
128" lanes i8x16:-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0x80
vinv "1
0" lanes i64x2:1,0
vinv "0
128" lanes f64x2:0,-0
bad_opt "v128 too few lanes" "'i32x4:1,2,3' is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" i32x4:1,2,3
bad_opt "v128 too many lanes" "is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" i64x2:1,2,3
bad_opt "v128 lane overflow" "is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" i8x16:256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
bad_opt "v128 33 hex digits" "is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" 0x100000000000000000000000000000000
bad_opt "v128 empty lane" "is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" i64x2:1,
bad_opt "v128 unknown shape" "is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" i128x1:1
bad_opt "v128 as a number" "is not a v128" --max-memory 64KiB --invoke lanes "$G/simd.wasm" 5
CASE="--invoke on a component: hello's add"
run --invoke add "$EX/hello" 40 2
expect_rc 0
expect_out "42"

# ---------------------------------------------------------------- argv, env, dirs
CASE="argv: file name, then ARGS (options after the module are ARGS)"
run --max-memory 1MiB "$G/args.wasm" one "two words" --fuel 5
expect_rc 0
expect_out "argv[0]=args.wasm
argv[1]=one
argv[2]=two words
argv[3]=--fuel
argv[4]=5"

CASE="argv: component name, manifest args, then ARGS; env from manifest and --env"
mkdir -p "$T/argscomp"
cp "$G/args.wasm" "$T/argscomp/"
cat >"$T/argscomp/Component.toml" <<'EOF'
[component]
name = "argsy"
version = "1.2.3"
module = "args.wasm"

[resources.memory]
max_bytes = 1048576

[capabilities]
args = ["--from-manifest", "m2"]
env = { A = "manifest", B = "kept" }
EOF
run --env A=option --env C=new --env C=newer "$T/argscomp" cli1
expect_rc 0
expect_out "argv[0]=argsy
argv[1]=--from-manifest
argv[2]=m2
argv[3]=cli1
env A=option
env B=kept
env C=newer"
expect_json component.name argsy
expect_json component.version 1.2.3

CASE="-- ends the options"
run --max-memory 1MiB -- "$G/args.wasm" x
expect_rc 0
expect_out "argv[0]=args.wasm
argv[1]=x"

CASE="no environment unless granted"
FOO=leak run --max-memory 1MiB "$G/args.wasm"
expect_out "argv[0]=args.wasm"

CASE="--dir grants a directory read-write"
mkdir -p "$T/data"
echo "host file" >"$T/data/in.txt"
run --max-memory 1MiB --dir "$T/data::/data" "$G/readfile.wasm" /data/in.txt /data/new.txt
expect_rc 0
expect_out "host file"
if [ "$(cat "$T/data/new.txt" 2>/dev/null)" = created ]; then ok; else bad "/data/new.txt not created on the host"; fi

CASE="--dir HOST alone: the guest sees it under the host path"
run --max-memory 1MiB --dir "$T/data" "$G/readfile.wasm" "$T/data/in.txt"
expect_rc 0
expect_out "host file"

CASE="no directory unless granted"
run --max-memory 1MiB "$G/readfile.wasm" /data/in.txt
expect_rc 1
expect_json outcome success
expect_json exit_code 1

CASE="read-only manifest dir stays read-only; --dir overrides it"
mkdir -p "$T/rocomp/ro"
echo "ro file" >"$T/rocomp/ro/in.txt"
cp "$G/readfile.wasm" "$T/rocomp/"
cat >"$T/rocomp/Component.toml" <<'EOF'
[component]
name = "ro"
version = "0.1.0"
module = "readfile.wasm"

[resources.memory]
max_bytes = 1048576

[[capabilities.dirs]]
host = "ro"
guest = "/ro"
EOF
run "$T/rocomp" /ro/in.txt /ro/new.txt
expect_rc 4
if [ ! -e "$T/rocomp/ro/new.txt" ]; then ok; else bad "created a file in a read-only grant"; fi
run --dir "$T/data::/ro" "$T/rocomp" /ro/in.txt /ro/new2.txt
expect_rc 0
expect_out "host file"
if [ -e "$T/data/new2.txt" ]; then ok; else bad "--dir did not replace the manifest's /ro"; fi

CASE="file-writer example writes in its granted directory"
run "$EX/file-writer" second
expect_rc 0
if [ "$(cat "$EX/file-writer/out/lines.txt" 2>/dev/null)" = "first line
second" ]; then ok; else bad "lines.txt wrong"; fi
if grep -qx "read back: written by file-writer" "$T/out"; then ok; else bad "no read back"; fi

CASE="--max-memory overrides the manifest"
run --max-memory 64KiB "$EX/hello"
expect_json memory.max_bytes 65536
expect_json outcome limit_exceeded
expect_rc 122

CASE="size units"
for pair in "65536:65536" "64K:65536" "64kib:65536" "1MiB:1048576" "1m:1048576" \
  "1GiB:1073741824" "4GiB:4294967296" "100000B:100000"; do
  run --max-memory "${pair%%:*}" --invoke nothing "$G/values.wasm"
  expect_json memory.max_bytes "${pair#*:}"
done

# ------------------------------------------- limits: words, hints, exits
CASE="--fuel unlimited and --timeout-ms none: no limit"
run --max-memory 128KiB --fuel unlimited --timeout-ms none "$G/exit3.wasm"
expect_rc 3
expect_json fuel.max 18446744073709551615
expect_json timeout_ms 18446744073709551615
run --max-memory 128KiB --fuel none --timeout-ms unlimited "$G/exit3.wasm"
expect_rc 3
expect_json fuel.max 18446744073709551615
expect_json timeout_ms 18446744073709551615
CASE="--fuel / --timeout-ms: other words and signs are refused"
for bad_arg in "--fuel Unlimited" "--fuel -1" "--fuel 1e9" "--timeout-ms infinity" \
  "--timeout-ms ''" "--fuel 18446744073709551616"; do
  eval run --max-memory 128KiB "$bad_arg" "$G/exit3.wasm"
  expect_rc 118
done
expect_err_has "'unlimited' or 'none'"
CASE="out of fuel names the option to raise"
run --max-memory 64KiB --fuel 1000 "$G/spin.wasm"
expect_rc 123
expect_err_has "(raise it with --fuel N, or --fuel unlimited)"
CASE="timeout names the option to raise"
run --max-memory 64KiB --fuel unlimited --timeout-ms 20 "$G/spin.wasm"
expect_rc 124
expect_err_has "(raise it with --timeout-ms N, or --timeout-ms none)"
CASE="a memory limit names the option to raise"
run --max-memory 64KiB "$G/bigmem.wasm"
expect_err_has "(raise it with --max-memory SIZE)"
CASE="proc_exit(0) is reported as a proc_exit, not as returning"
run --max-memory 128KiB -v "$G/exit0.wasm"
expect_rc 0
expect_json outcome success
expect_json exit_code 0
expect_json message "_start called proc_exit(0): exited with status 0"
expect_err_has "_start called proc_exit(0)"
CASE="proc_exit(3) says so too"
run --max-memory 128KiB "$G/exit3.wasm"
expect_json message "_start called proc_exit(3): exited with status 3"

# The memory budget (tables, host state): tests/cli/budget.sh.
. "$ROOT/tests/cli/budget.sh"

# ---------------------------------------------------------------- help
CASE="run --help"
"$CLI" run --help >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0
for s in 117 118 119 120 121 122 123 124 --max-memory --invoke --report \
  unlimited none; do
  if grep -qF -- "$s" "$T/out"; then ok; else bad "help lacks $s"; fi
done
CASE="help lists run"
"$CLI" help >"$T/out" 2>&1
if grep -q "^  run " "$T/out"; then ok; else bad "help lacks run"; fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
