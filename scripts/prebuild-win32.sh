#!/usr/bin/env bash
# Cross-compiles the Windows x64 prebuild, prebuilds/win32-x64/lstm-lrp.node, on Linux with
# mingw-w64 (Debian's g++-mingw-w64-x86-64, installed with apt-get where missing).
#
# N-API needs no Node headers beyond node-api-headers; the napi_* symbols resolve against
# node.exe through an import library made from node-api-headers' .def files with dlltool.
# libstdc++, libgcc and winpthreads are linked statically, so the DLL imports nothing but
# KERNEL32, msvcrt and node.exe (checked below). The posix thread model gives std::thread.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cxx=x86_64-w64-mingw32-g++-posix
dlltool=x86_64-w64-mingw32-dlltool
objdump=x86_64-w64-mingw32-objdump
if ! command -v "$cxx" >/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++-mingw-w64-x86-64
fi

headers=$(node -p "require('path').dirname(require.resolve('node-api-headers/package.json'))")
addon_api=$(node -p "require('node-addon-api').include_dir")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# One import library for both .def files (the second one's NAME/EXPORTS header dropped).
{ cat "$headers/def/node_api.def"; tail -n +3 "$headers/def/js_native_api.def"; } >"$stage/node.def"
"$dlltool" -d "$stage/node.def" -l "$stage/libnode.a" -D node.exe

mapfile -t sources < <(node -p "require('./native/sources.json').join('\n')")
sources+=(bindings/napi/addon.cc)
flags=(-std=c++17 -O3 -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS
  -Wall -Wextra -Wconversion -Wno-sign-conversion -Werror
  -I"$headers/include" -I"$addon_api" -Inative/include)
source scripts/compile-objects.sh
compile_objects "$stage" "$cxx" flags "${sources[@]}"

out=prebuilds/win32-x64
mkdir -p "$out"
rm -f "$out"/*.node
"$cxx" -shared -static -s -o "$out/lstm-lrp.node" "${objects[@]}" -L"$stage" -lnode

imports=$("$objdump" -p "$out/lstm-lrp.node" | sed -n 's/^\s*DLL Name: //p' | sort | tr '\n' ' ')
if [ "$imports" != "KERNEL32.dll msvcrt.dll node.exe " ]; then
  echo "prebuild-win32: $out/lstm-lrp.node imports $imports(expected KERNEL32.dll msvcrt.dll node.exe only)" >&2
  exit 1
fi
ls -l "$out"
