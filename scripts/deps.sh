#!/usr/bin/env bash
# deps.sh - installs (with apt-get, only what is missing) every Debian 12
# package needed to build, test, lint and document airssys-wasm.
# Idempotent, non-interactive and quiet; needs root (or sudo) only when
# something is actually missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  clang lld clang-format clang-tidy
  libclang-rt-14-dev        # ASan/UBSan/libFuzzer runtimes for clang 14
  libclang-rt-14-dev-wasm32 # compiler builtins for wasm32-wasi C programs
  wasi-libc                 # libc for C programs compiled to wasm32-wasi
  wabt                      # wat2wasm, wast2json, wasm-objdump
  doxygen cppcheck valgrind
  python3                   # tests/cli/run_tests.sh checks the JSON reports
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
  </dev/null >/dev/null
echo "deps: done"
