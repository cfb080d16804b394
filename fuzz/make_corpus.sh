#!/usr/bin/env bash
# make_corpus.sh - builds the seed corpora of the fuzz targets in
# build-fuzz/corpus/<target>/ (not committed):
#   fuzz_decode, fuzz_exec  every binary module of the spec suite
#                           (/work/shared/wasm-spec-testsuite, converted with
#                           wast2json; the wabt-1.0.32-fallback copies replace
#                           their originals), the examples (wat2wasm) and
#                           fuzz/seeds/exec/*.wasm, deduplicated by content
#   fuzz_gen, fuzz_wasi     64 deterministic pseudo-random inputs each
#   fuzz_manifest           fuzz/seeds/manifest/*.toml
#   fuzz_wat                the suite's .wast scripts under 64 KiB and the
#                           repository's .wat files
# Usage: fuzz/make_corpus.sh [BUILD_DIR]   (default build-fuzz)
# Env: AW_SPECTEST_DIR overrides the suite's location.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:-build-fuzz}/corpus
# The suite: AW_SPECTEST_DIR, else ../shared next to the repository (or
# next to the main checkout of this worktree), as scripts/spectest.sh.
SUITE=${AW_SPECTEST_DIR:-$(dirname "$ROOT")/shared/wasm-spec-testsuite}
if [ ! -d "$SUITE" ]; then
  common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [ -n "$common" ] && SUITE="$(dirname "$(dirname "$common")")/shared/wasm-spec-testsuite"
fi
mkdir -p "$OUT"/{fuzz_decode,fuzz_exec,fuzz_gen,fuzz_manifest,fuzz_wasi,fuzz_wat}

add() { # add FILE DIR...: copies FILE under its content hash
  local f=$1 h d
  shift
  h=$(sha1sum "$f" | cut -c1-40)
  for d in "$@"; do cp "$f" "$OUT/$d/$h"; done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nspec=0
if [ -d "$SUITE" ] && command -v wast2json >/dev/null 2>&1; then
  for w in "$SUITE"/*.wast; do
    b=$(basename "$w" .wast)
    [ -f "$SUITE/wabt-1.0.32-fallback/$b.wast" ] &&
      w="$SUITE/wabt-1.0.32-fallback/$b.wast"
    mkdir -p "$tmp/$b"
    wast2json "$w" -o "$tmp/$b/$b.json" >/dev/null 2>&1 || continue
    for m in "$tmp/$b"/*.wasm; do
      [ -f "$m" ] || continue
      add "$m" fuzz_decode fuzz_exec
      nspec=$((nspec + 1))
    done
  done
else
  echo "make_corpus: spec suite or wast2json missing: no spec seeds" >&2
fi
if command -v wat2wasm >/dev/null 2>&1; then
  for w in "$ROOT"/examples/*/*.wat "$ROOT"/fuzz/seeds/exec/*.wat; do
    [ -f "$w" ] || continue
    wat2wasm "$w" -o "$tmp/ex.wasm" 2>/dev/null && add "$tmp/ex.wasm" fuzz_decode fuzz_exec
  done
fi
for i in $(seq 1 64); do
  : >"$tmp/gen"
  for j in $(seq 1 $((i % 8 + 1))); do
    hex=$(printf '%s' "$i.$j" | sha512sum | cut -c1-128)
    # shellcheck disable=SC2059
    printf "$(echo "$hex" | sed 's/../\\x&/g')" >>"$tmp/gen"
  done
  add "$tmp/gen" fuzz_gen fuzz_wasi
done
for t in "$ROOT"/fuzz/seeds/manifest/*.toml; do add "$t" fuzz_manifest; done
for w in "$SUITE"/*.wast $(git -C "$ROOT" ls-files '*.wat' | sed "s|^|$ROOT/|"); do
  [ -f "$w" ] && [ "$(stat -c %s "$w")" -le 65536 ] && add "$w" fuzz_wat
done
for d in fuzz_decode fuzz_exec fuzz_gen fuzz_manifest fuzz_wasi fuzz_wat; do
  echo "make_corpus: $d: $(find "$OUT/$d" -type f | wc -l) files" \
    "($(du -sh "$OUT/$d" | cut -f1))"
done
echo "make_corpus: $nspec spec-suite modules read"
