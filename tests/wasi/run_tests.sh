#!/usr/bin/env bash
# run_tests.sh - WASI preview 1 end-to-end tests: ordinary C programs run
# natively and under `airssys-wasm run` must behave byte-identically, and
# guests trying to leave their sandbox must fail in exactly the expected way.
#
#   tests/wasi/run_tests.sh [BUILD_DIR]     (default: build)
#
# Environment: AW_CLI (default BUILD_DIR/airssys-wasm), CC (native compiler,
# default gcc), WASM_CC (default clang), VERBOSE=1 (show diffs in full).
#
# 1. Comparison tests: each tests/wasi/progs/NAME.c is built twice,
#    `gcc -O2` and `clang --target=wasm32-wasi --sysroot=/usr -O2 -c` linked
#    without -O (Debian's clang would otherwise run binaryen's wasm-opt).
#    Both run with the same arguments, environment (native under `env -i`)
#    and stdin (always a pipe), each in a fresh copy of the same scratch
#    directory "jail": native with it as the current directory, wasm with
#    it granted as "." (`--dir JAIL::.`; wasi-libc resolves relative paths
#    against a "." preopen; a preopen named e.g. "/sandbox" would need
#    absolute guest paths, since wasi-libc's initial cwd is "/").  Compared:
#    stdout, stderr, the exit status, and the jail's content afterwards
#    (types, sizes, contents, link targets; not permissions or times).
#    argv[0] differs between the two runs and is never printed.
# 2. Sandbox tests: progs/escape_*.c and progs/*.wat run under wasm only,
#    with symlinks to the outside planted in the jail by this script; their
#    stdout must equal progs/NAME.expected, their status 0, and nothing
#    outside the jail (a sentinel file and directory next to it) may change,
#    and every symlink the guest left in the jail (made, moved or hard-linked;
#    also in the comparison tests) must resolve inside it (links_outside).
#    A read-only grant is given through a Component.toml (mode = "ro");
#    preopens.c gets the jail as "/data" and its sub/ as "/sub".
# See tests/wasi/README.md for the list of programs.
#
# Every test case counts once; the last line is "N passed, N failed" and
# the exit status is non-zero if anything failed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
CLI=${AW_CLI:-$BUILD/airssys-wasm}
CC=${CC:-gcc}
WASM_CC=${WASM_CC:-clang}
PROGS="$HERE/progs"
WORK="$BUILD/wasi-tests"
# Generous limits: the point here is WASI, not the limits.
LIMITS=(--max-memory 64MiB --fuel 50000000000 --timeout-ms 120000)

PASSED=0
FAILED=0
FAILURES=()

pass() {
  PASSED=$((PASSED + 1))
  echo "ok   $1"
}
fail() {
  FAILED=$((FAILED + 1))
  FAILURES+=("$1")
  echo "FAIL $1: $2"
}

# show_diff A B: the first lines of a diff (all of it with VERBOSE=1).
show_diff() {
  if [ "${VERBOSE:-0}" = 1 ]; then
    diff -a "$1" "$2"
  else
    diff -a "$1" "$2" | head -n 15
  fi
}

if [ ! -x "$CLI" ]; then
  echo "$CLI not built"
  echo "0 passed, 1 failed"
  exit 1
fi
for t in "$CC" "$WASM_CC" wat2wasm; do
  if ! command -v "$t" >/dev/null 2>&1; then
    echo "missing tool: $t (scripts/deps.sh installs it)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done
mkdir -p "$WORK/native" "$WORK/wasm" "$WORK/run"

# ---- building ----

# newer OUT SRC...: true if OUT is missing or older than a SRC.
newer() {
  local out=$1 s
  shift
  [ -e "$out" ] || return 0
  for s in "$@"; do [ "$s" -nt "$out" ] && return 0; done
  return 1
}

BUILD_FAILED=()
build_c() { # NAME [native]: builds progs/NAME.c to wasm (and natively)
  local name=$1 src="$PROGS/$1.c" log="$WORK/$1.build.log"
  if newer "$WORK/wasm/$name.wasm" "$src" "$PROGS/common.h"; then
    if ! { "$WASM_CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror \
      -c "$src" -o "$WORK/wasm/$name.o" &&
      "$WASM_CC" --target=wasm32-wasi --sysroot=/usr "$WORK/wasm/$name.o" \
        -o "$WORK/wasm/$name.wasm"; } >"$log" 2>&1; then
      rm -f "$WORK/wasm/$name.wasm"
      BUILD_FAILED+=("$name.wasm")
      cat "$log"
      return 1
    fi
  fi
  if [ "${2:-}" = native ] && newer "$WORK/native/$name" "$src" "$PROGS/common.h"; then
    if ! "$CC" -O2 -Wall -Werror -o "$WORK/native/$name" "$src" -lm >"$log" 2>&1; then
      rm -f "$WORK/native/$name"
      BUILD_FAILED+=("$name (native)")
      cat "$log"
      return 1
    fi
  fi
}
build_wat() {
  local name=$1
  if newer "$WORK/wasm/$name.wasm" "$PROGS/$name.wat"; then
    if ! wat2wasm "$PROGS/$name.wat" -o "$WORK/wasm/$name.wasm" \
      >"$WORK/$name.build.log" 2>&1; then
      rm -f "$WORK/wasm/$name.wasm"
      BUILD_FAILED+=("$name.wat")
      cat "$WORK/$name.build.log"
    fi
  fi
}

# ---- scratch directories ----

# make_box DIR: DIR/jail (granted) with a few files, and next to it the
# sentinels the guest must never reach: DIR/outside.txt, DIR/outside_dir/.
make_box() {
  local d=$1
  rm -rf "$d"
  mkdir -p "$d/jail/sub/deeper" "$d/outside_dir"
  printf 'first line\nsecond line\nthird line\n' >"$d/jail/input.txt"
  printf 'nested\n' >"$d/jail/sub/nested.txt"
  printf 'secret outside\n' >"$d/outside.txt"
  printf 'also outside\n' >"$d/outside_dir/file.txt"
}

# tree_state DIR: a listing of everything below DIR (type, path, size,
# link target, content hash), independent of times and permissions.
tree_state() {
  (cd "$1" && find . -mindepth 1 -printf '%y %p %s %l\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0 -r md5sum)
}

# outside_state DIR: the state of the box except the jail.
outside_state() {
  (cd "$1" && find . -mindepth 1 -path ./jail -prune -o \
    -printf '%y %p %s %l %m %T@\n' | sort &&
    find . -path ./jail -prune -o -type f -print0 | sort -z |
    xargs -0 -r md5sum)
}

# link_list DIR: the symlinks below DIR, one "path<TAB>target" a line.
link_list() {
  (cd "$1" && find . -mindepth 1 -type l -printf '%P\t%l\n' | sort)
}

# links_outside JAIL BEFORE: the sandbox invariant on disk.  Every symlink
# in JAIL that is not in the list BEFORE (link_list output: what the driver
# planted, at its place) must resolve inside JAIL for a host program that
# follows it (realpath -m: missing components are taken as they are;
# loops lead nowhere).  Prints each one that does not.
links_outside() {
  local jail=$1 before=$2 root p t r
  root=$(realpath "$jail")
  comm -23 <(link_list "$jail") <(printf '%s\n' "$before" | sed '/^$/d') |
    while IFS=$'\t' read -r p t; do
      r=$(realpath -m "$jail/$p" 2>/dev/null) || continue
      case "$r/" in
        "$root"/*) ;;
        *) echo "$p -> $t leads to $r" ;;
      esac
    done
}

# ---- comparison tests ----

# compare NAME PROG [--stdin FILE | --stdin-cmd CMD | --stdin-file FILE]
#         [--env K=V]... [--] ARGS...
# Stdin is a pipe fed by `cat FILE` (default /dev/null) or by `bash -c CMD`,
# or (--stdin-file) FILE itself, seekable.
compare() {
  local name=$1 prog=$2 feed=(cat /dev/null) redirect=/dev/stdin
  local envs=() wenv=()
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --stdin) feed=(cat "$2"); shift 2 ;;
      --stdin-cmd) feed=(bash -c "$2"); shift 2 ;;
      --stdin-file) feed=(:); redirect=$2; shift 2 ;;
      --env) envs+=("$2"); wenv+=(--env "$2"); shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  if [ ! -f "$WORK/wasm/$prog.wasm" ] || [ ! -x "$WORK/native/$prog" ]; then
    fail "$name" "not built"
    return
  fi
  local r="$WORK/run/$name"
  mkdir -p "$r"
  make_box "$r/n"
  make_box "$r/w"
  local ns ws before
  before=$(outside_state "$r/w")
  # The program's status, not cat's (SIGPIPE when stdin is not all read).
  (cd "$r/n/jail" && "${feed[@]}" | env -i "${envs[@]}" "$WORK/native/$prog" "$@" \
    <"$redirect" >"$r/native.out" 2>"$r/native.err"; exit "${PIPESTATUS[1]}")
  ns=$?
  "${feed[@]}" | "$CLI" run "${LIMITS[@]}" --dir "$r/w/jail::." "${wenv[@]}" \
    "$WORK/wasm/$prog.wasm" "$@" <"$redirect" >"$r/wasm.out" 2>"$r/wasm.err"
  ws=${PIPESTATUS[1]}
  tree_state "$r/n/jail" >"$r/native.tree"
  tree_state "$r/w/jail" >"$r/wasm.tree"
  local why=""
  [ "$ns" = "$ws" ] || why="exit status native $ns, wasm $ws; "
  cmp -s "$r/native.out" "$r/wasm.out" || why="${why}stdout differs; "
  cmp -s "$r/native.err" "$r/wasm.err" || why="${why}stderr differs; "
  cmp -s "$r/native.tree" "$r/wasm.tree" || why="${why}directory differs; "
  [ "$before" = "$(outside_state "$r/w")" ] || why="${why}OUTSIDE OF THE JAIL CHANGED; "
  local escaping
  escaping=$(links_outside "$r/w/jail" "")
  [ -z "$escaping" ] || why="${why}LINKS LEAD OUTSIDE: $(echo "$escaping" | head -n 5 | tr '\n' ' '); "
  if [ -s "$r/native.out" ] || [ -s "$r/native.err" ] || [ "$ns" != 0 ]; then :; else
    why="${why}native run printed nothing; "
  fi
  if [ -z "$why" ]; then
    pass "$name"
  else
    fail "$name" "${why%; }"
    cmp -s "$r/native.out" "$r/wasm.out" || show_diff "$r/native.out" "$r/wasm.out"
    cmp -s "$r/native.err" "$r/wasm.err" || show_diff "$r/native.err" "$r/wasm.err"
    cmp -s "$r/native.tree" "$r/wasm.tree" || show_diff "$r/native.tree" "$r/wasm.tree"
  fi
}

# ---- sandbox tests ----

# plant DIR: symlinks and files through which a guest might try to leave.
plant() {
  local j=$1/jail
  ln -s /etc "$j/etc_link"
  ln -s /etc/passwd "$j/passwd_link"
  ln -s .. "$j/up_link"
  ln -s ../outside.txt "$j/outside_link"
  ln -s "$1/outside.txt" "$j/abs_outside_link"
  ln -s sub/../../outside.txt "$j/sneaky_link"
  ln -s c2 "$j/c1"
  ln -s c3 "$j/c2"
  ln -s sub/../c4 "$j/c3"
  ln -s ../outside_dir "$j/c4"
  ln -s ../../outside_dir "$j/sub/up2_link"
  ln -s self_loop "$j/self_loop"
  ln -s ../../sub "$j/sub/deeper/back"
  ln -s ../../input.txt "$j/sub/deeper/ok_link"
}

# sandbox NAME MODULE [--manifest MODE | --absolute] [--] ARGS...: runs
# MODULE with the jail granted read-write as "." (--absolute: as "/data",
# and its sub/ as "/sub"; --manifest ro: through a Component.toml granting
# it read-only) and checks stdout against progs/NAME.expected.
sandbox() {
  local name=$1 mod=$2 mode=rw
  shift 2
  if [ "${1:-}" = --manifest ]; then
    mode=$2
    shift 2
  elif [ "${1:-}" = --absolute ]; then
    mode=absolute
    shift
  fi
  [ "${1:-}" = -- ] && shift
  local r="$WORK/run/$name"
  if [ ! -f "$WORK/wasm/$mod.wasm" ]; then
    fail "$name" "not built"
    return
  fi
  mkdir -p "$r"
  make_box "$r/box"
  plant "$r/box"
  local before after st planted escaping
  before=$(outside_state "$r/box")
  planted=$(link_list "$r/box/jail")
  if [ "$mode" = rw ] || [ "$mode" = absolute ]; then
    local dirs=(--dir "$r/box/jail::.")
    [ "$mode" = absolute ] &&
      dirs=(--dir "$r/box/jail::/data" --dir "$r/box/jail/sub::/sub")
    printf 'stdin data\n' | "$CLI" run "${LIMITS[@]}" "${dirs[@]}" \
      --env SANDBOX=1 "$WORK/wasm/$mod.wasm" "$@" >"$r/wasm.out" 2>"$r/wasm.err"
    st=${PIPESTATUS[1]}
  else
    mkdir -p "$r/component"
    cp "$WORK/wasm/$mod.wasm" "$r/component/$mod.wasm"
    cat >"$r/component/Component.toml" <<EOF
[component]
name = "$name"
version = "0.1.0"
module = "$mod.wasm"

[resources.memory]
max_bytes = 67108864

[resources.cpu]
max_fuel = 50000000000
timeout_ms = 120000

[capabilities]
env = { SANDBOX = "1" }

[[capabilities.dirs]]
host = "$r/box/jail"
guest = "."
mode = "$mode"
EOF
    tree_state "$r/box/jail" >"$r/jail.before"
    printf 'stdin data\n' | "$CLI" run "$r/component" "$@" >"$r/wasm.out" \
      2>"$r/wasm.err"
    st=${PIPESTATUS[1]}
    tree_state "$r/box/jail" >"$r/jail.after"
  fi
  after=$(outside_state "$r/box")
  local why=""
  [ "$st" = 0 ] || why="exit status $st ($(head -c 300 "$r/wasm.err")); "
  cmp -s "$PROGS/$name.expected" "$r/wasm.out" || why="${why}stdout differs from $name.expected; "
  [ "$before" = "$after" ] || why="${why}OUTSIDE OF THE JAIL CHANGED; "
  escaping=$(links_outside "$r/box/jail" "$planted")
  [ -z "$escaping" ] || why="${why}LINKS LEAD OUTSIDE: $(echo "$escaping" | head -n 5 | tr '\n' ' '); "
  if [ "$mode" = ro ] && ! cmp -s "$r/jail.before" "$r/jail.after"; then
    why="${why}read-only jail changed; "
  fi
  if [ -z "$why" ]; then
    pass "$name"
  else
    fail "$name" "${why%; }"
    cmp -s "$PROGS/$name.expected" "$r/wasm.out" ||
      show_diff "$PROGS/$name.expected" "$r/wasm.out"
    [ "$before" = "$after" ] || diff <(echo "$before") <(echo "$after")
    [ "$mode" = ro ] && ! cmp -s "$r/jail.before" "$r/jail.after" &&
      diff "$r/jail.before" "$r/jail.after"
  fi
}

# blocked NAME MODULE: a guest that blocks forever (on a FIFO planted in
# the jail, or on a stdout nobody reads) must be ended by a 500 ms timeout:
# status 124 within 5 s; its stdout, for the FIFO, must match
# progs/NAME.expected.
blocked() {
  local name=$1 mod=$2 r="$WORK/run/$1" st t0 t1 why=""
  if [ ! -f "$WORK/wasm/$mod.wasm" ]; then
    fail "$name" "not built"
    return
  fi
  mkdir -p "$r"
  make_box "$r/box"
  mkfifo "$r/box/jail/fifo"
  local run=("$CLI" run --max-memory 64MiB --fuel 50000000000 --timeout-ms 500
    --dir "$r/box/jail::." "$WORK/wasm/$mod.wasm")
  t0=$(date +%s%N)
  if [ "$name" = block_stdout ]; then
    # The reader sleeps, then drains; only the CLI's own time counts.
    { "${run[@]}" 2>"$r/wasm.err"; echo $? >"$r/status"; date +%s%N >"$r/t1"; } |
      { sleep 6; cat >/dev/null; }
  else
    "${run[@]}" >"$r/wasm.out" 2>"$r/wasm.err" </dev/null
    echo $? >"$r/status"
    date +%s%N >"$r/t1"
  fi
  st=$(cat "$r/status")
  t1=$(cat "$r/t1")
  local ms=$(((t1 - t0) / 1000000))
  [ "$st" = 124 ] || why="exit status $st, want 124 (timeout); "
  [ "$ms" -lt 5000 ] || why="${why}took ${ms} ms; "
  if [ -f "$PROGS/$name.expected" ] && ! cmp -s "$PROGS/$name.expected" "$r/wasm.out"; then
    why="${why}stdout differs from $name.expected; "
  fi
  if [ -z "$why" ]; then
    pass "$name"
  else
    fail "$name" "${why%; }"
  fi
}

# tty_test: progs/tty.c natively and in wasm on a pseudo-terminal
# (script(1)), stdin from /dev/null: terminals must be recognised
# (isatty, line-buffered stdout) in both.
tty_test() {
  local r="$WORK/run/tty" cmd
  mkdir -p "$r"
  if ! command -v script >/dev/null 2>&1; then
    fail tty "script(1) missing (util-linux)"
    return
  fi
  cmd="$(printf '%q ' "$WORK/native/tty") </dev/null"
  script -qec "$cmd" /dev/null >"$r/native.out" 2>&1 </dev/null
  cmd="$(printf '%q ' "$CLI" run "${LIMITS[@]}" "$WORK/wasm/tty.wasm") </dev/null"
  script -qec "$cmd" /dev/null >"$r/wasm.out" 2>&1 </dev/null
  if cmp -s "$r/native.out" "$r/wasm.out" && grep -q 'stdout 1 stderr 1' "$r/native.out"; then
    pass tty
  else
    fail tty "output on a terminal differs"
    show_diff "$r/native.out" "$r/wasm.out"
  fi
}

# nonblock_test: progs/nonblock.c with stdin a FIFO this script holds open
# read-write (a blocking read would never end) and stdout a file: its output
# must match, within 10 s, and the two descriptions, shared with this
# shell, must not be left O_NONBLOCK (octal 04000 in /proc fdinfo).
nonblock_test() {
  local r="$WORK/run/nonblock" in out st why="" fl
  mkdir -p "$r"
  rm -f "$r/fifo"
  mkfifo "$r/fifo"
  exec {in}<>"$r/fifo" {out}>"$r/wasm.out"
  "$CLI" run --max-memory 64MiB --fuel 50000000000 --timeout-ms 10000 \
    "$WORK/wasm/nonblock.wasm" <&"$in" >&"$out" 2>"$r/wasm.err"
  st=$?
  for fd in "$in" "$out"; do
    fl=$(awk '/^flags:/ {print $2}' "/proc/$$/fdinfo/$fd")
    if [ $((8#$fl & 8#4000)) -ne 0 ]; then why="${why}fd $fd left O_NONBLOCK; "; fi
  done
  exec {in}<&- {out}>&-
  [ "$st" = 0 ] || why="${why}exit status $st ($(head -c 200 "$r/wasm.err")); "
  cmp -s "$PROGS/nonblock.expected" "$r/wasm.out" || why="${why}stdout differs from nonblock.expected; "
  if [ -z "$why" ]; then
    pass nonblock
  else
    fail nonblock "${why%; }"
    show_diff "$PROGS/nonblock.expected" "$r/wasm.out"
  fi
}

# ---- the tests ----

COMPARED=(stdio stdin args env files fileio dirs links slashes errno time random poll
  exit_return exit_call abort tty)
ESCAPES=(escape_paths escape_links escape_fds escape_readonly escape_invariant
  escape_rights preopens
  block_fifo block_stdout nonblock)
WATS=(escape_oob escape_nomem)
for p in "${COMPARED[@]}"; do build_c "$p" native; done
for p in "${ESCAPES[@]}"; do build_c "$p"; done
for p in "${WATS[@]}"; do build_wat "$p"; done
for b in "${BUILD_FAILED[@]}"; do fail "build $b" "compilation failed"; done

INPUT="$WORK/stdin.txt"
{
  printf 'hello from stdin\n'
  printf 'a second line with \t tab\n'
  printf 'no newline at the end of the third line? no: it has one\n'
  for i in $(seq 1 3000); do printf 'payload %d %s\n' "$i" "$((i * i))"; done
  printf 'binary:\001\002\377\000end'
} >"$INPUT"
printf 'only one line without newline' >"$WORK/short.txt"

compare stdio stdio
compare stdin stdin --stdin "$INPUT"
compare stdin-short stdin --stdin "$WORK/short.txt"
compare stdin-empty stdin
compare stdin-file stdin --stdin-file "$INPUT"
compare errno-stdin-file errno --stdin-file "$INPUT"
compare args args -- one "two words" "" "ünïcødé" --flag=x '$HOME' "a'b\"c"
compare args-none args
compare env env --env HOME=/home/guest --env EMPTY= --env WITH_EQ=a=b=c \
  --env LANG=C --env "SPACES=a b  c"
compare env-none env
compare files files
compare fileio fileio
compare dirs dirs
compare links links
compare slashes slashes
compare errno errno --stdin "$INPUT"
compare time time
compare random random
compare poll poll --stdin-cmd "printf 'first piece\\n'; sleep 0.2; printf 'second '; \
  sleep 0.1; printf 'piece\\nthird\\n'"
compare exit-0 exit_return -- 0
compare exit-3 exit_return -- 3
compare exit-255 exit_return -- 255
compare exit-call exit_call -- normal 42
compare exit-call-1 exit_call -- normal 1
compare exit-quick exit_call -- quick 7

# abort(): natively SIGABRT (status 134 from the shell), in wasm a trap
# (`unreachable`), which `run` reports with status 121 and a "trap" line
# on stderr.  What was flushed before must be identical.
abort_test() {
  local r="$WORK/run/abort" ns ws
  mkdir -p "$r"
  # Through bash -c, whose "Aborted" notice goes to /dev/null.
  bash -c 'cd "$1" && "$2" >"$3" 2>"$4"; exit $?' _ "$r" "$WORK/native/abort" \
    "$r/native.out" "$r/native.err" 2>/dev/null
  ns=$?
  "$CLI" run "${LIMITS[@]}" "$WORK/wasm/abort.wasm" >"$r/wasm.out" 2>"$r/wasm.err"
  ws=$?
  if [ "$ns" = 134 ] && [ "$ws" = 121 ] && cmp -s "$r/native.out" "$r/wasm.out" &&
    grep -q '^airssys-wasm: trap: .*unreachable' "$r/wasm.err"; then
    pass abort
  else
    fail abort "native status $ns (want 134), wasm status $ws (want 121), stderr: $(head -c 200 "$r/wasm.err")"
    show_diff "$r/native.out" "$r/wasm.out"
  fi
}
[ -x "$WORK/native/abort" ] && [ -f "$WORK/wasm/abort.wasm" ] && abort_test
[ -x "$WORK/native/tty" ] && [ -f "$WORK/wasm/tty.wasm" ] && tty_test

sandbox escape_paths escape_paths
sandbox escape_links escape_links
sandbox escape_fds escape_fds
sandbox escape_readonly escape_readonly --manifest ro
sandbox escape_invariant escape_invariant
sandbox escape_rights escape_rights
sandbox preopens preopens --absolute
sandbox escape_oob escape_oob
sandbox escape_nomem escape_nomem
blocked block_fifo block_fifo
blocked block_stdout block_stdout
[ -f "$WORK/wasm/nonblock.wasm" ] && nonblock_test

echo
if [ "$FAILED" -ne 0 ]; then
  echo "failed: ${FAILURES[*]}"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
