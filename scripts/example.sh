#!/usr/bin/env bash
# example.sh - the README's first command: builds airssys-wasm (gcc, in
# build/) and the example components (examples/build.sh: C with wasi-libc,
# built in place as examples/NAME/NAME.wasm), then runs the hello component
# with `airssys-wasm run examples/hello` and shows its JSON report, and the
# cpu-bound component, which runs out of fuel.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${AW_JOBS:-$(nproc 2>/dev/null || echo 2)}

cmake -S . -B build -G Ninja -DCMAKE_C_COMPILER=gcc >/dev/null
ninja -C build -j "$jobs" airssys-wasm >/dev/null
bash examples/build.sh >/dev/null

report=build/hello-report.json
echo "\$ build/airssys-wasm run --report $report examples/hello"
build/airssys-wasm run --report "$report" examples/hello
echo "(exit status $?)"
echo
echo "\$ cat $report"
cat "$report"
echo
echo "\$ build/airssys-wasm run examples/cpu-bound"
status=0
build/airssys-wasm run examples/cpu-bound || status=$?
echo "(exit status $status: out_of_fuel)"
