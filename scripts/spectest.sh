#!/usr/bin/env bash
# spectest.sh - runs the official WebAssembly spec test suite against
# airssys-wasm: converts every .wast (or the ones named) with wast2json into
# $BUILD/spectest/, runs `airssys-wasm spectest --counts` on each, prints a
# per-file table (SIMD files in their own section), totals per command type
# and ends with "N passed, N failed, N skipped".  Exits non-zero iff a
# command failed, a run crashed/timed out, or a file could not be converted.
#
# usage: scripts/spectest.sh [--asan] [FILE...]
#   FILE: a suite name (i32, i32.wast) or a path to a .wast file.
# environment:
#   AW_SPECTEST_DIR     the suite (default: ../shared/wasm-spec-testsuite
#                       relative to the repository root)
#   AW_BUILD_DIR        build directory (default: build; build-asan with --asan)
#   AW_CLI              the airssys-wasm binary to run (default: built in
#                       AW_BUILD_DIR by this script)
#   AW_SPECTEST_TIMEOUT seconds per file (default 300, 1200 with --asan)
#   AW_SPECTEST_SHOW    failure lines shown per file (default 10)
set -u

asan=0
files=()
for arg in "$@"; do
  case "$arg" in
    --asan) asan=1 ;;
    -h|--help)
      sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0 ;;
    -*) echo "spectest.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 2

# Where the suite is: env, else ../shared next to the repository, else next
# to the main checkout when this is a git worktree.
suite="${AW_SPECTEST_DIR:-}"
if [ -z "$suite" ]; then
  suite="$(dirname "$repo")/shared/wasm-spec-testsuite"
  if [ ! -d "$suite" ]; then
    common="$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
    if [ -n "$common" ]; then
      alt="$(dirname "$(dirname "$common")")/shared/wasm-spec-testsuite"
      [ -d "$alt" ] && suite="$alt"
    fi
  fi
fi
if [ ! -d "$suite" ]; then
  echo "spectest.sh: spec test suite not found at $suite (set AW_SPECTEST_DIR)" >&2
  exit 2
fi
fallback="$suite/wabt-1.0.32-fallback"

if ! command -v wast2json >/dev/null 2>&1; then
  echo "spectest.sh: wast2json not found (Debian package wabt)" >&2
  exit 2
fi

if [ "$asan" = 1 ]; then
  build="${AW_BUILD_DIR:-build-asan}"
  timeout_s="${AW_SPECTEST_TIMEOUT:-1200}"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=87}"
  cmake_extra=(-DAW_SANITIZE=ON)
else
  build="${AW_BUILD_DIR:-build}"
  timeout_s="${AW_SPECTEST_TIMEOUT:-300}"
  cmake_extra=()
fi
show="${AW_SPECTEST_SHOW:-10}"

# Build (incrementally) the CLI, unless AW_CLI names the binary to use.
if [ -n "${AW_CLI:-}" ]; then
  :
elif [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja "${cmake_extra[@]}" >/dev/null || exit 2
elif [ "$asan" = 1 ] && ! grep -q '^AW_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "spectest.sh: $build is not a sanitizer build (AW_SANITIZE=OFF)" >&2
  exit 2
fi
if [ -n "${AW_CLI:-}" ]; then
  bin="$AW_CLI"
  [ -x "$bin" ] || { echo "spectest.sh: AW_CLI=$bin is not executable" >&2; exit 2; }
else
  ninja -C "$build" airssys-wasm >/dev/null || { ninja -C "$build" airssys-wasm; exit 2; }
  bin="$build/airssys-wasm"
fi
out="$build/spectest"
mkdir -p "$out" || exit 2

# The list of .wast files to run: every top-level one, with the fallback
# versions replacing those wast2json 1.0.32 cannot read.
resolve() { # name -> path of the .wast to use
  local a="$1" b
  if [ -f "$a" ]; then echo "$a"; return 0; fi
  b="$(basename "$a" .wast)"
  if [ -f "$fallback/$b.wast" ]; then echo "$fallback/$b.wast"; return 0; fi
  if [ -f "$suite/$b.wast" ]; then echo "$suite/$b.wast"; return 0; fi
  return 1
}
wasts=()
if [ "${#files[@]}" -eq 0 ]; then
  # By name, so that the fallback versions replace their originals.
  for f in "$suite"/*.wast; do wasts+=("$(resolve "$(basename "$f")")"); done
else
  for f in "${files[@]}"; do
    p="$(resolve "$f")" || { echo "spectest.sh: no such test: $f" >&2; exit 2; }
    wasts+=("$p")
  done
fi

declare -A cnt            # per command type: "p f s n"
types=()
nonsimd_rows=() simd_rows=() problems=()
tp=0 tf=0 ts=0 tn=0       # totals
bad_files=0

for w in "${wasts[@]}"; do
  name="$(basename "$w" .wast)"
  dir="$out/$name"
  rm -rf "$dir" && mkdir -p "$dir" || exit 2
  json="$dir/$name.json"
  if ! wast2json "$w" -o "$json" >"$dir/wast2json.log" 2>&1 || [ ! -f "$json" ]; then
    row="$name|0|1|0|conversion failed"
    problems+=("$name: wast2json failed, see $dir/wast2json.log")
    tf=$((tf + 1)); bad_files=$((bad_files + 1))
  else
    # (the braces keep bash's "Aborted"/"Killed" job notices off the report)
    { timeout -k 10 "$timeout_s" "$bin" spectest "$json" --counts >"$dir/out.txt" 2>"$dir/err.txt"; rc=$?; } 2>/dev/null
    summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$dir/out.txt" | tail -1)"
    commands="$(awk '$1 == "commands" { print $2; exit }' "$dir/out.txt")"
    note=""
    if [ -n "$summary" ]; then
      read -r p _ f _ s _ <<<"$summary"
      n="$(awk '/^not run: / { print $3 }' "$dir/out.txt" | tail -1)"
      n="${n:-0}"
      while read -r _ t cp cf cs cn; do
        [ -n "${cnt[$t]+x}" ] || types+=("$t")
        read -r op of os on <<<"${cnt[$t]:-0 0 0 0}"
        cnt[$t]="$((op + cp)) $((of + cf)) $((os + cs)) $((on + cn))"
      done < <(grep -E '^count ' "$dir/out.txt")
      if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        # Finished but exited abnormally: leak report, sanitizer error...
        note="exit status $rc"
        f=$((f + 1))
        problems+=("$name: $note, see $dir/err.txt")
      elif [ "$rc" -eq 1 ] && [ "$f" -eq 0 ]; then
        note="exit status 1 without failures"
        f=$((f + 1))
        problems+=("$name: $note")
      fi
      [ "$n" -gt 0 ] && note="${note:+$note; }$n not run"
    else
      # Crashed or timed out: nothing counts as passed; every command fails.
      p=0; s=0; n=0
      f="${commands:-1}"
      [ "$f" -gt 0 ] 2>/dev/null || f=1
      if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then note="TIMEOUT after ${timeout_s}s"
      elif [ "$rc" -gt 128 ]; then note="CRASH (signal $((rc - 128)))"
      else note="ERROR (exit status $rc)"; fi
      problems+=("$name: $note, see $dir/err.txt")
      bad_files=$((bad_files + 1))
    fi
    tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s)); tn=$((tn + n))
    case "$w" in "$fallback"/*) note="${note:+$note; }2022 fallback version" ;; esac
    row="$name|$p|$f|$s|$note"
    if [ "$f" -gt 0 ] && [ -s "$dir/out.txt" ]; then
      fl="$(grep -cE '^[^ ]+:[0-9]+: ' "$dir/out.txt")"
      if [ "$fl" -gt 0 ]; then
        problems+=("$name: $f failed (all in $dir/out.txt), first ones:")
        while IFS= read -r l; do problems+=("    $l"); done \
          < <(grep -E '^[^ ]+:[0-9]+: ' "$dir/out.txt" | head -n "$show")
      fi
    fi
  fi
  case "$name" in
    simd_*) simd_rows+=("$row") ;;
    *) nonsimd_rows+=("$row") ;;
  esac
done

print_section() { # title rows...
  local title="$1"; shift
  local sp=0 sf=0 ss=0
  printf '\n%s\n' "$title"
  printf '%-36s %8s %8s %8s  %s\n' "file" "passed" "failed" "skipped" "notes"
  local r name p f s note
  for r in "$@"; do
    IFS='|' read -r name p f s note <<<"$r"
    printf '%-36s %8d %8d %8d%s\n' "$name" "$p" "$f" "$s" "${note:+  $note}"
    sp=$((sp + p)); sf=$((sf + f)); ss=$((ss + s))
  done
  printf '%-36s %8d %8d %8d\n' "total ($# files)" "$sp" "$sf" "$ss"
}

[ "${#nonsimd_rows[@]}" -gt 0 ] && print_section "== core (non-SIMD) ==" "${nonsimd_rows[@]}"
[ "${#simd_rows[@]}" -gt 0 ] && print_section "== SIMD (simd_*) ==" "${simd_rows[@]}"

printf '\n== per command type ==\n'
printf '%-24s %8s %8s %8s %8s\n' "command" "passed" "failed" "skipped" "not-run"
for t in "${types[@]}"; do
  read -r op of os on <<<"${cnt[$t]}"
  [ $((op + of + os + on)) -eq 0 ] && continue
  printf '%-24s %8d %8d %8d %8d\n' "$t" "$op" "$of" "$os" "$on"
done

if [ "${#problems[@]}" -gt 0 ]; then
  printf '\n== problems ==\n'
  printf '%s\n' "${problems[@]}"
fi

printf '\nnot run: %d\n' "$tn"
# (the runner's "skipped" already includes its not-run commands)
printf '%d passed, %d failed, %d skipped\n' "$tp" "$tf" "$ts"
[ "$tf" -eq 0 ] && [ "$bad_files" -eq 0 ]
