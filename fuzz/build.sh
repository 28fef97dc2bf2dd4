#!/usr/bin/env bash
# Builds the libFuzzer target over the C ABI with ASan and UBSan (Debian: apt-get install clang
# libclang-rt-14-dev, which has libFuzzer, its headers and the sanitizer runtimes). Kernel sources come from
# native/sources.json, the same list node-gyp, cmake-js and Emscripten build.
# Usage: fuzz/build.sh [out-dir]   (default build-fuzz/); prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-fuzz}
mkdir -p "$out"
cxx=${CXX_FUZZ:-$(command -v clang++ || ls /usr/bin/clang++-* 2>/dev/null | sort -V | tail -1)}
[ -n "$cxx" ] || { echo "fuzz/build.sh: clang++ not found (apt-get install clang)" >&2; exit 1; }
mapfile -t sources < <(node -p "require('./native/sources.json').join('\n')")
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined -Inative/include -Inative)
source scripts/compile-objects.sh
compile_objects "$out" "$cxx" flags "${sources[@]}" fuzz/explain_fuzzer.cc
"$cxx" "${flags[@]}" "${objects[@]}" -o "$out/explain_fuzzer"
echo "$out/explain_fuzzer"
