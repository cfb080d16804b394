#!/usr/bin/env bash
# example.sh - builds airssys-wasm (gcc, in build/) and the example component
# examples/hello/hello.wasm (from hello.wat, with wat2wasm), then shows what
# the CLI says about it: `airssys-wasm inspect` and `airssys-wasm validate`.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${AW_JOBS:-$(nproc 2>/dev/null || echo 2)}

cmake -S . -B build -G Ninja -DCMAKE_C_COMPILER=gcc >/dev/null
ninja -C build -j "$jobs" airssys-wasm example-hello >/dev/null

wasm=build/examples/hello/hello.wasm
echo "\$ build/airssys-wasm inspect $wasm"
build/airssys-wasm inspect "$wasm"
echo
echo "\$ build/airssys-wasm validate $wasm"
build/airssys-wasm validate "$wasm"
