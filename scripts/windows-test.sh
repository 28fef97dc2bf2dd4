#!/usr/bin/env bash
# Windows tests: the win32-x64 prebuild (scripts/prebuild-win32.sh) as a Windows user gets it,
# run by the Windows build of Node under Wine (scripts/wine-node.sh), with no compiler anywhere.
#
#   scripts/windows-test.sh [PACKAGE.tgz]
#
# Without an argument it packs this repository (`npm pack`, scripts off: run `npm run build:ts`
# and `npm run build:prebuilds:win32` first). Checks, one 'ok N - ...' / 'not ok N - ...' line each:
#   - the kernel tests (every ISA against scalar) cross-compiled with mingw-w64, run under Wine;
#   - Windows npm installs the tarball into an empty project (dependencies from the npm cache,
#     which an install on this machine fills first) and the install step keeps the prebuild;
#   - require and import: backendInfo() says native with a SIMD level, the known explanation;
#   - the CLI from the installed package;
#   - a part of the suite (reference comparisons, errors, batch = single, threads, API), compiled
#     to JavaScript with tsc and run by ava under Windows Node against the prebuild.
# Closes with 'windows: N passed, N failed' and a '#' line with the time of one explanation
# under Wine and natively (information, not a check). LSTM_LRP_WINDOWS_KEEP=1 keeps the folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/tarball
wine_node=$root/scripts/wine-node.sh
suite=windows
keep_variable=LSTM_LRP_WINDOWS_KEEP
# shellcheck source=scripts/package-checks.sh
source "$root/scripts/package-checks.sh"
# A path on this machine as Windows programs under Wine see it (drive Z: is /).
windows_path() { local path=$1; echo "Z:${path//\//\\}"; }

if [ $# -ge 1 ]; then
  tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  [ -f "$root/prebuilds/win32-x64/lstm-lrp.node" ] && [ -f "$root/dist/index.js" ] ||
    fail_now "pack: missing prebuilds/win32-x64 (npm run build:prebuilds:win32) or dist/ (npm run build:ts)"
  pack_repository
fi
echo "# tarball: $(basename "$tarball"), Windows Node $("$wine_node" -p process.version 2>/dev/null)"

check "kernel tests cross-compiled with mingw-w64 pass under Wine (every ISA against scalar)" \
  bash -c "cd '$root' && bash scripts/kernel-tests.sh win32"

# --- install by Windows npm ------------------------------------------------------------------
mkdir -p "$work/warm" "$work/project"
for dir in warm project; do echo "{\"name\": \"windows-test-$dir\", \"version\": \"1.0.0\", \"private\": true}" >"$work/$dir/package.json"; done
cp "$root/examples/toy-addition.safetensors" "$here/expected.json" "$here/verify.cjs" "$here/check.cjs" "$here/check.mjs" "$work/project/"
npm_cli=$(windows_path "$(npm root -g)/npm/bin/npm-cli.js")
cache=$(windows_path "$(npm config get cache)")
install() {
  # Fills the npm cache with the dependencies' metadata, so Windows npm can install offline.
  (cd "$work/warm" && npm install --ignore-scripts --prefer-offline --no-audit --no-fund "$tarball") || return 1
  (cd "$work/project" && "$wine_node" "$npm_cli" install --offline --cache "$cache" --no-audit --no-fund --no-progress \
    --foreground-scripts "$(windows_path "$tarball")") >"$work/logs/install.txt" 2>&1
  local status=$?
  grep -v '^npm warn cleanup' "$work/logs/install.txt"
  [ $status -eq 0 ] || return 1
  grep -q '^> node scripts/install.cjs' "$work/logs/install.txt" || { echo "the install step did not run"; return 1; }
  ! grep -q '^lstm-lrp: ' "$work/logs/install.txt" || { echo "warned although the prebuild loads"; return 1; }
  [ ! -e "$work/project/node_modules/lstm-lrp/build" ] || { echo "compiled although the prebuild loads"; return 1; }
}
check "Windows npm installs the tarball (no compiler), the install step keeps the prebuild and warns nothing" install

in_project() { (cd "$work/project" && "$wine_node" "$@"); }
simd_level() {
  in_project -e "const info = require('lstm-lrp').backendInfo(); console.log(JSON.stringify(info)); if (info.backend !== 'native' || !['avx512', 'avx2', 'sse2'].includes(info.simd)) process.exit(1)"
}
check "require('lstm-lrp') under Wine: backendInfo() says native with a SIMD level" simd_level
check "require('lstm-lrp') under Wine: the explanation and explainBatch equal the known values" in_project check.cjs native
check "import 'lstm-lrp' under Wine: the explanation equals the known value" in_project check.mjs native
cli() {
  printf '%s\n' "{\"x\": $(node -p "JSON.stringify(require('$here/expected.json').input)")}" >"$work/project/input.jsonl"
  in_project node_modules/lstm-lrp/dist/cli/main.js explain --model toy-addition.safetensors --input input.jsonl --eps 0.001 \
    --output output.jsonl || return 1
  node -e "
    const line = JSON.parse(require('fs').readFileSync('$work/project/output.jsonl', 'utf8').trim().split('\n')[0])
    const want = require('$here/expected.json').perStep
    if (!want.every((v, k) => Math.abs(line.perStep[k] - v) <= 1e-4)) { console.error('perStep', line.perStep); process.exit(1) }"
}
check "the lstm-lrp CLI of the installed package explains the example under Wine" cli

# --- part of the suite under Windows Node ----------------------------------------------------
suite_files=(test/kernel-vs-reference.test.js test/errors.test.js test/threads.test.js test/api.test.js)
stage=$work/stage
stage_suite() {
  (cd "$root" && npx --no-install tsc -p tsconfig.test.json --noEmit false --outDir "$stage" --declaration false --sourceMap false) || return 1
  (cd "$root" && git ls-files test fixtures examples | grep -v '\.ts$' | while read -r file; do
    mkdir -p "$stage/$(dirname "$file")" && cp "$file" "$stage/$file"; done)
  cp -r "$root/wasm" "$root/models" "$stage/"
  mkdir -p "$stage/prebuilds"
  tar -xzf "$tarball" -C "$work" package/prebuilds/win32-x64 && mv "$work/package/prebuilds/win32-x64" "$stage/prebuilds/"
  ln -s "$root/node_modules" "$stage/node_modules"
  node -e "
    const pkg = require('$root/package.json')
    pkg.ava = { files: ['test/**/*.test.js'], timeout: '10m', workerThreads: false }
    require('fs').writeFileSync('$stage/package.json', JSON.stringify(pkg, null, 2))"
}
if check "the suite compiles to JavaScript for Windows Node (tsc), with the tarball's win32 prebuild" stage_suite; then
  echo "# ava under Wine: ${suite_files[*]}"
  (cd "$stage" && LSTM_LRP_BACKEND=native "$wine_node" node_modules/ava/entrypoints/cli.mjs --tap "${suite_files[@]}") >"$work/logs/suite.tap" 2>&1
  grep -E '^(not )?ok ' "$work/logs/suite.tap" | while read -r line; do
    count=$((count + 1))
    echo "${line%% *} $count - windows suite: ${line#* - }"
  done
  suite_passed=$(grep -c '^ok ' "$work/logs/suite.tap")
  suite_failed=$(grep -c '^not ok ' "$work/logs/suite.tap")
  grep -A30 '^not ok ' "$work/logs/suite.tap" | sed 's/^/    # /' | head -120
  if [ "$suite_passed" -eq 0 ]; then suite_failed=$((suite_failed + 1)); echo "not ok - windows suite: no test ran"; tail -20 "$work/logs/suite.tap"; fi
  count=$((count + suite_passed + suite_failed))
  passed=$((passed + suite_passed))
  failed=$((failed + suite_failed))
fi

# --- one explanation under Wine and natively (information) -----------------------------------
timing='const { loadModel, defaultModelPath, tokenizeText } = require("lstm-lrp")
loadModel(defaultModelPath(), { threads: 1 }).then((model) => {
  const { ids } = tokenizeText("a gorgeous , witty , seductive movie that never loses its sense of humour .", model.config)
  for (let i = 0; i < 500; i++) model.explain({ tokens: ids })
  const start = process.hrtime.bigint()
  for (let i = 0; i < 3000; i++) model.explain({ tokens: ids })
  console.log(`${(Number(process.hrtime.bigint() - start) / 3000 / 1000).toFixed(1)} µs (${model.backend.backend})`)
})'
under_wine=$(in_project -e "$timing" 2>/dev/null || echo '?')
native=$(cd "$work/warm" && node -e "$timing" 2>/dev/null || echo '?')
echo "# one explanation (SST model, 16 tokens, 1 thread, mean of 3000): ${under_wine} Windows Node under Wine, ${native} Linux"
finish
