#!/usr/bin/env bash
# Builds wasm/lstm_lrp.wasm (plain) and wasm/lstm_lrp.simd.wasm (SIMD128) from the
# kernel sources with Debian's Emscripten, no JS glue. OUT_DIR overrides the target folder.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=${OUT_DIR:-wasm}
mkdir -p "$out_dir"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
mapfile -t sources < <(node -p "require('./native/sources.json').join('\n')")
exports='["_lstm_lrp_wasm_model_create","_lstm_lrp_wasm_predict","_lstm_lrp_wasm_explain","_lstm_lrp_wasm_simd","_lstm_lrp_model_destroy","_lstm_lrp_last_error","_malloc","_free"]'
flags=(-std=c++17 -O3 -fno-exceptions -Inative/include
  -sSTANDALONE_WASM --no-entry -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16777216 -sTOTAL_STACK=1048576 -sMAXIMUM_MEMORY=2147483648
  -sEXPORTED_FUNCTIONS="$exports")
emcc "${flags[@]}" bindings/wasm/abi.cc "${sources[@]}" -o "$out_dir/lstm_lrp.wasm"
emcc "${flags[@]}" -msimd128 bindings/wasm/abi.cc "${sources[@]}" -o "$out_dir/lstm_lrp.simd.wasm"
ls -l "$out_dir"/lstm_lrp*.wasm
