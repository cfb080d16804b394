#!/usr/bin/env bash
# lint.sh - static checks of airssys-wasm:
#   scripts/lint.sh cppcheck   cppcheck over src/ and cli/ (warnings are errors)
#   scripts/lint.sh format     clang-format --dry-run -Werror over every .c/.h
#                              in src cli include tests bench examples
#   scripts/lint.sh            both
# Exit status non-zero on any finding or when a tool is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "lint: $1 not found (scripts/deps.sh installs it)" >&2
    return 1
  fi
}

run_cppcheck() {
  need cppcheck || return 1
  # Checks: real bugs, performance and portability (not 'style': opinions).
  # One configuration (the build's defines), so each file is analysed once.
  # AW_VM_SWITCH: the interpreter's switch dispatch, same handlers as the
  # threaded one, whose labels-as-values (&&label) cppcheck cannot parse.
  # Project-wide exceptions, each with its reason: scripts/cppcheck/ (a
  # library file correcting stock rules, suppressions.xml). Single known-
  # false findings are suppressed at the line with `// cppcheck-suppress
  # <id>` (--inline-suppr), with a reason beside it.
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cppcheck --quiet --error-exitcode=1 --inline-suppr \
    --enable=warning,performance,portability --std=c11 --language=c \
    --library=posix --library=scripts/cppcheck/airssys-wasm.cfg -j "$jobs" \
    -D_GNU_SOURCE -D__GNUC__=12 -D__linux__ -D__x86_64__ -DAW_VM_SWITCH \
    -I include -I src -I cli \
    --suppress-xml=scripts/cppcheck/suppressions.xml \
    --template='{file}:{line}: {severity}: {message} [{id}]' \
    src cli || return 1
  echo "cppcheck: src/ and cli/ clean ($(find src cli -name '*.c' | wc -l) files)"
}

run_format() {
  need clang-format || return 1
  local files
  mapfile -t files < <(find src cli include tests bench examples \
    -name '*.[ch]' -type f 2>/dev/null | sort)
  if [ ${#files[@]} -eq 0 ]; then
    echo "lint: no C files found" >&2
    return 1
  fi
  local bad
  bad=$(clang-format --dry-run -Werror "${files[@]}" 2>&1 |
    sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' |
    sort | uniq -c)
  if [ -n "$bad" ]; then
    echo "clang-format: these files differ from .clang-format (count of spots):"
    echo "$bad"
    echo "fix with: clang-format -i FILE"
    return 1
  fi
  # Any other clang-format error (unreadable file, bad config) fails too.
  clang-format --dry-run -Werror "${files[@]}" >/dev/null 2>&1 || return 1
  echo "clang-format: ${#files[@]} files clean"
}

case "${1:-all}" in
  cppcheck) run_cppcheck ;;
  format) run_format ;;
  all)
    rc=0
    run_cppcheck || rc=1
    run_format || rc=1
    exit $rc
    ;;
  *)
    echo "usage: scripts/lint.sh [cppcheck|format|all]" >&2
    exit 2
    ;;
esac
