#!/usr/bin/env bash
# Runs the kernel tests against an ASan + UBSan build of the N-API addon, with LeakSanitizer.
#
# The addon (bindings/napi/addon.cc + native/sources.json) is compiled with g++
# -fsanitize=address,undefined into build-asan/, and the tests run from a copy of the
# package whose build/Release/ holds that addon (so node-gyp-build picks it up and the
# regular build/ is left alone). Node itself is not instrumented, so libasan is loaded first
# with LD_PRELOAD.
#
# LeakSanitizer runs in ava's test workers, where the addon is loaded: a worker ends by draining
# its event loop, so Node tears V8 down and what is left unfreed is a real leak. ava's own process
# never loads the addon and ends with process.exit(), leaving V8's heap to the OS, so it runs
# with detect_leaks=0. Processes that tests spawn inherit the workers' settings. What Node and V8
# leave unfreed by design (heap metadata at process.exit(), Node-API's wrappers of external values)
# is suppressed by scripts/lsan-suppressions.txt, which also explains why broader patterns would
# hide the addon's own leaks. Sanitizer reports of the workers and their children go to files and
# are printed at the end.
# Usage: scripts/asan-tests.sh [test files...]   (default: the kernel, lifetime and property tests)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=build-asan
mkdir -p "$out"
node_include=$(node -p "process.execPath.replace(/bin\/node$/, 'include/node')")
[ -f "$node_include/node_api.h" ] || node_include=/usr/include/node
addon_api=$(node -p "require('node-addon-api').include_dir")
mapfile -t sources < <(node -p "require('./native/sources.json').join('\n')")
flags=(-std=c++17 -O1 -g -fPIC -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS -I"$node_include" -I"$addon_api" -Inative/include)
source scripts/compile-objects.sh
compile_objects "$out" g++ flags bindings/napi/addon.cc "${sources[@]}"
g++ -shared -fsanitize=address,undefined "${objects[@]}" -o "$out/lstm_lrp.node"

# A copy of the package whose build/Release/ is the sanitized addon.
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
for entry in lib dist test native wasm fixtures examples bin package.json tsconfig.json tsconfig.test.json; do
  [ -e "$entry" ] && cp -r "$entry" "$copy/"
done
ln -s "$root/node_modules" "$copy/node_modules"
mkdir -p "$copy/build/Release"
cp "$out/lstm_lrp.node" "$copy/build/Release/lstm_lrp.node"

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(test/kernel-vs-reference.test.ts test/errors.test.ts test/train.test.ts test/cd.test.ts test/hostile-inputs.test.ts test/lifetime.test.ts test/properties.test.ts test/property-errors.test.ts)
cd "$copy"
sanitizer_options=abort_on_error=1:allocator_may_return_null=1:detect_odr_violation=0
reports="$copy/sanitizer-reports"
mkdir -p "$reports"
# ava passes its environmentVariables to the test workers only.
WORKER_ASAN_OPTIONS="$sanitizer_options:detect_leaks=1:log_path=$reports/report" node -e '
  const fs = require("fs")
  const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"))
  manifest.ava.environmentVariables = { ...manifest.ava.environmentVariables, ASAN_OPTIONS: process.env.WORKER_ASAN_OPTIONS }
  fs.writeFileSync("package.json", JSON.stringify(manifest, null, 2))'
set +e
LD_PRELOAD=$(g++ -print-file-name=libasan.so) \
ASAN_OPTIONS=$sanitizer_options:detect_leaks=0 \
LSAN_OPTIONS=suppressions=$root/scripts/lsan-suppressions.txt:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
LSTM_LRP_BACKEND=native npx ava --timeout=10m --concurrency=2 "${tests[@]}"
status=$?
set -e
if compgen -G "$reports/report.*" > /dev/null; then
  cat "$reports"/report.* >&2
  echo "asan-tests: the sanitizer reports above came from test workers or their child processes" >&2
  status=1
fi
exit $status
