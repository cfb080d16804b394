#!/usr/bin/env bash
# run.sh [BUILD_DIR] - the hostile-guest suite: compiles tests/hostile/*.wat
# and the files tests/hostile/gen.sh writes with wat2wasm into
# BUILD_DIR/tests/hostile/wasm, then runs BUILD_DIR/tests/hostile/aw-hostile
# on them (it also runs the cases it builds in C).  Last line:
# "N passed, N failed".  A .wat that wat2wasm rejects counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
BUILD=${1:-build}
BIN="$BUILD/tests/hostile/aw-hostile"
OUT="$BUILD/tests/hostile/wasm"
if [ ! -x "$BIN" ]; then
  echo "run.sh: $BIN not built"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! command -v wat2wasm >/dev/null 2>&1; then
  echo "run.sh: wat2wasm not found (scripts/deps.sh installs wabt)"
  echo "0 passed, 1 failed"
  exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT/gen"
bash tests/hostile/gen.sh "$OUT/gen" || exit 1
bad=0
wats=()
for w in tests/hostile/*.wat "$OUT"/gen/*.wat; do
  b=$(basename "$w" .wat)
  if wat2wasm "$w" -o "$OUT/$b.wasm" 2>"$OUT/$b.err"; then
    wats+=("$w")
  else
    echo "FAIL $b: wat2wasm: $(head -n 3 "$OUT/$b.err")"
    bad=$((bad + 1))
  fi
done
"$BIN" --wasm-dir "$OUT" "${wats[@]}" | tee "$OUT/aw-hostile.log" | sed '$d'
rc=${PIPESTATUS[0]}
line=$(tail -n 1 "$OUT/aw-hostile.log")
if ! echo "$line" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
  echo "run.sh: aw-hostile ended without its summary (exit $rc)"
  line="0 passed, 1 failed"
  rc=1
fi
p=$(echo "$line" | awk '{print $1}')
f=$(echo "$line" | awk '{print $3}')
echo "$p passed, $((f + bad)) failed"
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]
