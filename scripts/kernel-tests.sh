#!/usr/bin/env bash
# Builds and runs the kernel tests in test/native/ (every ISA against the scalar kernels and
# float64): on this machine; with `arm64` cross-compiled with Debian's aarch64 g++ and run under
# qemu-user, which covers the NEON kernels; with `win32` cross-compiled with mingw-w64 and run
# under Wine (scripts/wine-node.sh sets it up), which covers the Windows CPU dispatch.
# Prints their TAP-style lines.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
compiler=g++
flags=()
runner=()
suffix=""
if [ "${1:-}" = arm64 ]; then
  compiler=aarch64-linux-gnu-g++
  # AArch64 compilers fuse the scalar reference's multiply-adds, where the vector kernels round
  # each product on its own: unfused, the two must agree bit for bit.
  flags=(-ffp-contract=off)
  runner=(qemu-aarch64-static)
  suffix=_arm64
elif [ "${1:-}" = win32 ]; then
  compiler=x86_64-w64-mingw32-g++-posix
  runner=(scripts/wine-node.sh --run)
  suffix=.exe
fi
mapfile -t kernels < <(ls native/simd/dispatch.cc native/simd/*/activations_*.cc native/simd/*/accumulate_rows_*.cc native/simd/*/lrp_rules_*.cc native/simd/*/gradient_*.cc native/simd/*/elementwise_*.cc)
status=0
for test in activations_ulp accumulate_rows_vs_scalar lrp_rules_vs_scalar gradient_vs_scalar elementwise_vs_scalar; do
  binary="build/${test}${suffix}"
  "$compiler" -std=c++17 -O2 -Wall -Wextra -Wconversion -Wno-sign-conversion -Wshadow -Werror "${flags[@]}" -static -Inative/include "test/native/$test.cc" "${kernels[@]}" -o "$binary"
  "${runner[@]}" "$binary" || status=1
done
exit $status
