#!/usr/bin/env bash
# Builds wasm/lstm_lrp.wasm (plain) and wasm/lstm_lrp.simd.wasm (SIMD128) through CMakeLists.txt
# with Emscripten (emcmake), no JS glue. OUT_DIR overrides where the modules are copied.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=${OUT_DIR:-wasm}
# Debian's emcc runs its JS tools with the system's Node modules (acorn).
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build/wasm -j 2
mkdir -p "$out_dir"
cp build/wasm/lstm_lrp.wasm build/wasm/lstm_lrp.simd.wasm "$out_dir/"
ls -l "$out_dir"/lstm_lrp*.wasm
