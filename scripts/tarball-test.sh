#!/usr/bin/env bash
# Tarball tests: what a user gets from `npm install lstm-lrp`, checked on the packed tarball in
# temporary projects outside the repository, with failing cc/c++/make/python3 first on PATH.
#
#   scripts/tarball-test.sh [PACKAGE.tgz]
#
# Without an argument it packs this repository (`npm pack`, scripts off: run `npm run build:ts`
# and `npm run build:prebuilds` first). Prints one 'ok N - ...' / 'not ok N - ...' line per check
# and closes with 'tarball: N passed, N failed'; exits 1 if any check failed.
# Dependencies install from the local npm cache (--prefer-offline); the registry is asked only
# for what the cache lacks.
#
# Environment: LSTM_LRP_TARBALL_COMPILE=0 skips the install that compiles the addon with node-gyp;
# LSTM_LRP_TARBALL_ARM64=0 skips the linux-arm64 prebuild under qemu (run when the tarball has
# one); LSTM_LRP_TARBALL_KEEP=1 keeps the temporary folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/tarball
suite=tarball
keep_variable=LSTM_LRP_TARBALL_KEEP
# shellcheck source=scripts/package-checks.sh
source "$root/scripts/package-checks.sh"

platform=$(node -p process.platform)
arch=$(node -p process.arch)
host=$platform-$arch

# --- the tarball -----------------------------------------------------------------------------
if [ $# -ge 1 ]; then
  tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  missing=()
  for file in dist/index.js dist/index.cjs dist/index.d.ts dist/index.d.cts dist/browser.js; do
    [ -f "$root/$file" ] || missing+=("$file (npm run build:ts)")
  done
  compgen -G "$root/prebuilds/$host/*.node" >/dev/null || missing+=("prebuilds/$host (npm run build:prebuilds)")
  [ ${#missing[@]} -eq 0 ] || fail_now "pack: missing ${missing[*]}"
  pack_repository
fi
mkdir -p "$work/extracted"
tar -xzf "$tarball" -C "$work/extracted"
pkg=$work/extracted/package
echo "# tarball: $(basename "$tarball"), $(wc -c <"$tarball") bytes packed, $(du -sb "$pkg" | cut -f1) bytes unpacked, $(tar -tzf "$tarball" | wc -l) files"
cp "$root/examples/toy-addition.safetensors" "$here/expected.json" "$here/verify.cjs" "$work/"

# The tarball without its prebuilds: what a platform with no prebuild gets.
mkdir -p "$work/bare"
cp -r "$pkg" "$work/bare/"
rm -rf "$work/bare/package/prebuilds"
tar -czf "$work/lstm-lrp-no-prebuilds.tgz" -C "$work/bare" package

# --- the user's machine: no compiler, no make, no python -------------------------------------
fake=$work/no-toolchain
mkdir -p "$fake"
for tool in cc c++ gcc g++ clang clang++ make gmake python python3; do
  printf '#!/bin/sh\necho "%s: not installed (lstm-lrp tarball test)" >&2\nexit 127\n' "$tool" >"$fake/$tool"
  chmod +x "$fake/$tool"
done
user_path=$fake:$PATH
unset PYTHON npm_config_python LSTM_LRP_BACKEND npm_config_build_from_source LSTM_LRP_BUILD_FROM_SOURCE LSTM_LRP_SKIP_BUILD
nodedir=${npm_config_nodedir:-}
[ -z "$nodedir" ] && [ -f /usr/include/node/node_api.h ] && nodedir=/usr

# new_project NAME: an empty CommonJS project with the check scripts and the example model.
new_project() {
  local dir=$work/$1
  mkdir -p "$dir"
  echo "{\"name\": \"tarball-test-$1\", \"version\": \"1.0.0\", \"private\": true}" >"$dir/package.json"
  cp "$work/toy-addition.safetensors" "$work/expected.json" "$work/verify.cjs" "$here/check.cjs" "$here/check.mjs" "$dir/"
}

# npm_install DIR OUTPUT TARBALL [npm flags...]: installs with the failing toolchain first on PATH.
npm_install() {
  local dir=$1 output=$2 package=$3
  shift 3
  (cd "$dir" && PATH=$user_path npm install --prefer-offline --no-audit --no-fund "$@" "$package") >"$output" 2>&1
}

warnings() { grep -c '^lstm-lrp: ' "$1" || true; }

in_project() { local dir=$1; shift; (cd "$work/$dir" && PATH=$user_path "$@"); }

# --- checks on the tarball itself ------------------------------------------------------------
contents() {
  tar -tzf "$tarball" | sed 's#^package/##' | sort >"$work/files.txt"
  local ok=0 file
  for file in package.json README.md LICENSE CHANGELOG.md binding.gyp CMakeLists.txt scripts/install.cjs \
    dist/index.js dist/index.cjs dist/index.d.ts dist/index.d.cts dist/browser.js dist/browser.d.ts dist/model/default-model-url.js dist/reproduce/index.js dist/reproduce/index.d.ts dist/cli/main.js \
    wasm/lstm_lrp.wasm wasm/lstm_lrp.simd.wasm data/sst/test.txt.gz data/sst/README.md native/sources.json native/include/lstm_lrp.h bindings/napi/addon.cc \
    examples/toy-addition.safetensors examples/toy-addition.jsonl \
    $(node -p "require('$pkg/native/sources.json').join(' ')"); do
    grep -qxF "$file" "$work/files.txt" || { echo "missing: $file"; ok=1; }
  done
  grep -q "^prebuilds/$host/.*\.node$" "$work/files.txt" || { echo "missing: prebuilds/$host/*.node"; ok=1; }
  # The shipped model(s) (models/*.safetensors, e.g. the CLI's default model), when the repository has them.
  for file in "$root"/models/*.safetensors; do
    [ -e "$file" ] || continue
    grep -qxF "models/$(basename "$file")" "$work/files.txt" || { echo "missing: models/$(basename "$file")"; ok=1; }
  done
  # No tests, fixtures, sources of the facade, examples other than the toy model and its inputs
  # (exampleModelPath, exampleDataPath), docs, CI or build trees.
  if grep -vxE 'examples/toy-addition\.(safetensors|jsonl)' "$work/files.txt" | grep -E '^(test|fixtures|examples|lib|docs|build|build-cmake|node_modules|test-output|\.ci|\.github)/|^scripts/(tarball|release|prebuild)|\.tgz$|\.log$'; then
    echo "(files above should not ship)"; ok=1
  fi
  return $ok
}
check "the tarball holds dist, wasm, prebuilds/$host, the native sources and build files, and no tests, fixtures or build trees" contents
check "publint --strict finds no problem" bash -c "cd '$root' && npx --no-install publint run --strict '$tarball'"
check "attw: the main entry's types resolve for node10, node16 (CJS and ESM) and bundlers" \
  bash -c "cd '$work' && '$root/node_modules/.bin/attw' '$tarball' --entrypoints . ./package.json --no-color"
check "attw: the browser entry's, lstm-lrp/default-model's and lstm-lrp/reproduce's types resolve (ES modules)" \
  bash -c "cd '$work' && '$root/node_modules/.bin/attw' '$tarball' --entrypoints ./browser ./default-model ./reproduce --profile esm-only --no-color"

# --- install with scripts, prebuild present --------------------------------------------------
new_project with-scripts
install_with_scripts() {
  npm_install "$work/with-scripts" "$work/logs/install-with-scripts.txt" "$tarball" --foreground-scripts || { cat "$work/logs/install-with-scripts.txt"; return 1; }
  cat "$work/logs/install-with-scripts.txt"
  [ "$(warnings "$work/logs/install-with-scripts.txt")" -eq 0 ] || { echo "warned although the prebuild loads"; return 1; }
  [ ! -e "$work/with-scripts/node_modules/lstm-lrp/build" ] || { echo "compiled although the prebuild loads"; return 1; }
}
check "npm install (no compiler on PATH) exits 0, uses the prebuild as is and prints no warning" install_with_scripts
check "require('lstm-lrp'): backendInfo() says native and the explanation equals the known value" in_project with-scripts node check.cjs native
check "import 'lstm-lrp': backendInfo() says native and the explanation equals the known value" in_project with-scripts node check.mjs native
traced() {
  node -e "
    const { nodeFileTrace } = require('$root/node_modules/@vercel/nft')
    nodeFileTrace(['check.mjs'], { base: process.cwd() }).then(({ fileList }) => {
      const shipped = [...fileList].filter((file) => file.includes('lstm-lrp/prebuilds/$host/'))
      console.log(shipped)
      if (shipped.length === 0) process.exit(1)
    })"
}
check "a file tracer (@vercel/nft) sees the prebuild that import 'lstm-lrp' loads (a static path)" in_project with-scripts traced
cli() {
  printf '%s\n' "{\"x\": $(node -p "JSON.stringify(require('./expected.json').input)")}" >input.jsonl
  ./node_modules/.bin/lstm-lrp explain --model toy-addition.safetensors --input input.jsonl --eps 0.001 >output.jsonl || return 1
  cat output.jsonl
  node -e "
    const line = JSON.parse(require('fs').readFileSync('output.jsonl', 'utf8').trim().split('\n')[0])
    const want = require('./expected.json').perStep
    if (!want.every((v, k) => Math.abs(line.perStep[k] - v) <= 1e-4)) { console.error('perStep', line.perStep); process.exit(1) }"
}
check "the lstm-lrp CLI from the installed package explains the example" in_project with-scripts cli
reproduce_entry() {
  node --input-type=module -e "
    const { readSstTrees, defaultSstDir, sentences } = await import('lstm-lrp/reproduce')
    const test = sentences(await readSstTrees(defaultSstDir(), 'test'))
    console.log(test.length + ' SST test sentences from ' + defaultSstDir())
    if (test.length === 0) process.exit(1)"
}
check "import 'lstm-lrp/reproduce' from the installed package reads the shipped SST test split" in_project with-scripts reproduce_entry
types() {
  cp "$here/types.cts" "$here/types.mts" .
  node "$root/node_modules/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext \
    --target es2022 --typeRoots "$root/node_modules/@types" --types node types.cts types.mts
}
check "TypeScript (nodenext, no skipLibCheck) accepts the package from a .cts and a .mts file" in_project with-scripts types

# --- a tiny Vite app importing the package ---------------------------------------------------
vite_app() {
  cp "$here/vite-app/index.html" "$here/vite-app/main.js" "$work/with-scripts/"
  node "$here/vite-app.mjs" build "$work/with-scripts"
}
check "a Vite app importing 'lstm-lrp' bundles its browser entry: both .wasm modules, no Node built-ins, no addon" vite_app
check "the Vite-built app explains the example in headless Chromium on WASM" node "$here/vite-app.mjs" run "$work/with-scripts"

# --- install with scripts disabled (--ignore-scripts, as pnpm does by default) ----------------
new_project no-scripts
check "npm install --ignore-scripts exits 0" npm_install "$work/no-scripts" "$work/logs/install-no-scripts.txt" "$tarball" --ignore-scripts
check "scripts disabled: require and import load the prebuild at run time (native)" \
  in_project no-scripts bash -c 'node check.cjs native && node check.mjs native'
rm -rf "$work/no-scripts/node_modules/lstm-lrp/prebuilds"
check "prebuild deleted: require and import fall back to WASM, say why native was skipped, same explanation" \
  in_project no-scripts bash -c 'node check.cjs wasm && node check.mjs wasm'
rebuild_no_compiler() {
  (cd "$work/no-scripts" && PATH=$user_path npm rebuild lstm-lrp --foreground-scripts) >"$work/logs/rebuild.txt" 2>&1 || { cat "$work/logs/rebuild.txt"; return 1; }
  cat "$work/logs/rebuild.txt"
  [ "$(warnings "$work/logs/rebuild.txt")" -eq 1 ] || { echo "expected exactly one 'lstm-lrp:' warning line"; return 1; }
  (cd "$work/no-scripts" && PATH=$user_path node check.cjs wasm)
}
check "prebuild deleted: the install step (npm rebuild) without a compiler exits 0 with one warning line; WASM runs" rebuild_no_compiler

# --- no prebuild for this platform ------------------------------------------------------------
new_project no-prebuild
install_no_compiler() {
  npm_install "$work/no-prebuild" "$work/logs/install-no-prebuild.txt" "$work/lstm-lrp-no-prebuilds.tgz" --foreground-scripts || { cat "$work/logs/install-no-prebuild.txt"; return 1; }
  cat "$work/logs/install-no-prebuild.txt"
  [ "$(warnings "$work/logs/install-no-prebuild.txt")" -eq 1 ] || { echo "expected exactly one 'lstm-lrp:' warning line"; return 1; }
  (cd "$work/no-prebuild" && PATH=$user_path node check.cjs wasm && PATH=$user_path node check.mjs wasm)
}
check "no prebuild, no compiler: npm install exits 0 with one warning line, and the package runs on WASM" install_no_compiler

if [ "${LSTM_LRP_TARBALL_COMPILE:-1}" != 0 ]; then
  new_project compiled
  install_compiles() {
    (cd "$work/compiled" && npm_config_nodedir=$nodedir npm install --prefer-offline --no-audit --no-fund --foreground-scripts \
      "$work/lstm-lrp-no-prebuilds.tgz") >"$work/logs/install-compiled.txt" 2>&1 || { cat "$work/logs/install-compiled.txt"; return 1; }
    tail -n 5 "$work/logs/install-compiled.txt"
    [ "$(warnings "$work/logs/install-compiled.txt")" -eq 0 ] || { grep '^lstm-lrp: ' "$work/logs/install-compiled.txt"; return 1; }
    [ -f "$work/compiled/node_modules/lstm-lrp/build/Release/lstm_lrp.node" ] || { echo "no build/Release/lstm_lrp.node"; return 1; }
    (cd "$work/compiled" && node check.cjs native && node check.mjs native)
  }
  check "no prebuild, with a compiler: npm install builds the addon with node-gyp from the shipped sources; runs native" install_compiles
fi

# --- linux-arm64 prebuild under qemu-user -----------------------------------------------------
if [ "$host" = linux-x64 ] && [ "${LSTM_LRP_TARBALL_ARM64:-1}" != 0 ] && grep -q '^prebuilds/linux-arm64/.*\.node$' "$work/files.txt"; then
  arm64() {
    local node_arm64=("$root/scripts/qemu-arm64-node.sh")
    bash "${node_arm64[@]}" --prepare || return 1
    cd "$work/with-scripts" || return 1
    bash "${node_arm64[@]}" check.cjs native | tee "$work/logs/arm64.txt" && bash "${node_arm64[@]}" check.mjs native | tee -a "$work/logs/arm64.txt" || return 1
    [ "$(grep -c '"arch":"arm64"' "$work/logs/arm64.txt")" -eq 2 ] || { echo "not run as arm64"; return 1; }
  }
  check "linux-arm64 prebuild under qemu-user (Debian's arm64 Node 18): require and import run native with the known explanation" arm64
fi

finish
