#!/usr/bin/env bash
# wast.sh - runs the spec test suites from their .wast sources with
# `airssys-wasm wast` (our own text front end: no wast2json).
#
#   scripts/wast.sh [--asan] 2.0   every top-level .wast of the 2.0 suite
#                                  (../shared/wasm-spec-testsuite); the
#                                  counts are the commands' outcomes
#   scripts/wast.sh [--asan] 3.0   every .wast of the 3.0 suite
#                                  (../shared/wasm-3.0-testsuite/wast/),
#                                  compared command by command with the
#                                  run of its JSON form (`spectest`): a
#                                  command passes when both runs give it
#                                  the same outcome (pass/fail/skip/not
#                                  run), fails when they disagree; text
#                                  assert_malformed commands, which the
#                                  JSON run skips, pass when ours passes;
#                                  scripts/wast-3.0-known.txt lists the
#                                  known differences of the two forms
#                                  (counted as skipped, reason shown)
#
# Prints the files with failures (first lines of each) and per-folder
# totals, and ends with "N passed, N failed, N skipped" (3.0: skipped =
# commands both runs skipped or could not run).  Exits non-zero iff a
# command failed or a run crashed / timed out.
# Environment: AW_CLI (default build/airssys-wasm, build-asan with --asan),
# AW_WAST_TIMEOUT seconds per file (default 300, 1200 with --asan),
# AW_SPECTEST_DIR / AW_SPEC3_DIR the suites.
set -u
asan=0
suite=""
for arg in "$@"; do
  case "$arg" in
    --asan) asan=1 ;;
    2.0 | 3.0) suite=$arg ;;
    -h | --help)
      sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "wast.sh: unknown argument '$arg'" >&2
      exit 2
      ;;
  esac
done
[ -n "$suite" ] || { echo "wast.sh: give 2.0 or 3.0" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 2
# The shared folder: next to the repository, else next to the main
# checkout of this worktree.
shared="$(dirname "$repo")/shared"
if [ ! -d "$shared" ]; then
  common="$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  [ -n "$common" ] && shared="$(dirname "$(dirname "$common")")/shared"
fi
if [ "$asan" = 1 ]; then
  bin="${AW_CLI:-build-asan/airssys-wasm}"
  tmo="${AW_WAST_TIMEOUT:-1200}"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:exitcode=86}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=87}"
else
  bin="${AW_CLI:-build/airssys-wasm}"
  tmo="${AW_WAST_TIMEOUT:-300}"
fi
[ -x "$bin" ] || { echo "wast.sh: $bin not built" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

tp=0 tf=0 ts=0 bad=0
if [ "$suite" = 2.0 ]; then
  dir="${AW_SPECTEST_DIR:-$shared/wasm-spec-testsuite}"
  [ -d "$dir" ] || { echo "wast.sh: no suite at $dir" >&2; exit 2; }
  for w in "$dir"/*.wast; do
    { timeout -k 10 "$tmo" "$bin" wast "$w" >"$tmp/out" 2>"$tmp/err"; rc=$?; } 2>/dev/null
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$tmp/out" | tail -1)"
    if [ -z "$line" ] || [ "$rc" -gt 1 ]; then
      echo "FAIL $(basename "$w"): exit $rc (crash, timeout or sanitizer report)"
      tail -n 5 "$tmp/err"
      bad=$((bad + 1))
      tf=$((tf + 1))
      continue
    fi
    read -r p _ f _ s _ <<<"$line"
    tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
    if [ "$f" -gt 0 ]; then
      echo "FAIL $(basename "$w"): $line"
      grep -E '^[^ ]+:[0-9]+: ' "$tmp/out" | head -n 5 | sed 's/^/    /'
    fi
  done
  echo "2.0 suite from .wast: $tp passed, $tf failed, $ts skipped (skipped: commands the engine refuses as unsupported)"
else
  base="${AW_SPEC3_DIR:-$shared/wasm-3.0-testsuite}"
  [ -d "$base/wast" ] || { echo "wast.sh: no suite at $base/wast" >&2; exit 2; }
  declare -A fp ff fs
  folders=()
  while IFS= read -r w; do
    rel="${w#"$base"/wast/}"
    name="$(basename "$rel" .wast)"
    case "$rel" in */*) folder="${rel%%/*}" ;; *) folder=core ;; esac
    json="$base/$folder/$name.json"
    [ -n "${fp[$folder]+x}" ] || { folders+=("$folder"); fp[$folder]=0 ff[$folder]=0 fs[$folder]=0; }
    if [ ! -f "$json" ]; then
      echo "FAIL $rel: no JSON form at $json"
      tf=$((tf + 1)) ff[$folder]=$((ff[$folder] + 1))
      continue
    fi
    { timeout -k 10 "$tmo" "$bin" wast --trace "$w" >"$tmp/a" 2>"$tmp/ea"; ra=$?; } 2>/dev/null
    { timeout -k 10 "$tmo" "$bin" spectest --trace "$json" >"$tmp/b" 2>"$tmp/eb"; rb=$?; } 2>/dev/null
    if [ "$ra" -gt 1 ] || [ "$rb" -gt 1 ]; then
      echo "FAIL $rel: exit $ra (wast) / $rb (json): crash, timeout or sanitizer report"
      tail -n 3 "$tmp/ea" "$tmp/eb"
      bad=$((bad + 1)) tf=$((tf + 1)) ff[$folder]=$((ff[$folder] + 1))
      continue
    fi
    # Pair the commands by position; a command both runs skipped (or could
    # not run) counts as skipped, other equal outcomes as passed.
    known="$(awk -v f="$rel" '$1 == f { printf "%s ", $2 }' "$repo/scripts/wast-3.0-known.txt" 2>/dev/null)"
    read -r p f s < <(awk -v known="$known" '
      BEGIN { nk = split(known, kk, " "); for (i = 1; i <= nk; i++) isknown[kk[i]] = 1 }
      FNR == NR { if ($1 == "trace") { a[$2] = $5; la[$2] = $3 } next }
      $1 == "trace" { b[$2] = $5; lb[$2] = $3; if ($2 + 1 > nb) nb = $2 + 1 }
      END {
        for (i in a) if (i + 1 > na) na = i + 1
        n = na > nb ? na : nb; p = f = s = 0
        for (i = 0; i < n; i++) {
          x = a[i]; y = b[i]
          if (x == "" || y == "") { f++; continue }
          if (x != y && (i in isknown)) { s++; printf "    command %d (line %s): known disagreement (scripts/wast-3.0-known.txt)\n", i, la[i] > "/dev/stderr"; continue }
          if (x == y) { if (x == "skip" || x == "notrun") s++; else p++ }
          else if (x == "pass" && y == "skip") p++  # text-only: judged by our parser
          else { f++; if (shown++ < 5) printf "    command %d (line %s): wast %s, json %s\n", i, la[i], x, y > "/dev/stderr" }
        }
        print p, f, s
      }' "$tmp/a" "$tmp/b" 2>"$tmp/diff")
    tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
    fp[$folder]=$((fp[$folder] + p)) ff[$folder]=$((ff[$folder] + f)) fs[$folder]=$((fs[$folder] + s))
    if [ "$f" -gt 0 ]; then
      echo "FAIL $rel: $f commands disagree"
      cat "$tmp/diff"
    elif [ -s "$tmp/diff" ]; then
      echo "note $rel:"
      cat "$tmp/diff"
    fi
  done < <(find "$base/wast" -name '*.wast' | sort)
  printf '%-14s %8s %8s %8s\n' folder agree differ skipped
  for folder in "${folders[@]}"; do
    printf '%-14s %8d %8d %8d\n' "$folder" "${fp[$folder]}" "${ff[$folder]}" "${fs[$folder]}"
  done
  echo "3.0 suite, .wast vs JSON: $tp commands agree, $tf disagree, $ts skipped (by both runs, or known)"
fi
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ] && [ "$bad" -eq 0 ]
