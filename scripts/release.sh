#!/usr/bin/env bash
# Builds everything the package ships, tests it, and packs the release tarball (docs/RELEASING.md):
#   1. checks: the version has a CHANGELOG.md section; the work tree is clean (a warning)
#   2. WASM modules from source (npm run build:wasm, Debian's or an activated Emscripten)
#   3. dist/ from scratch (npm run build:ts: tsc, the CommonJS bundle, dist/index.d.cts)
#   4. prebuilds for linux-x64 and linux-arm64 (npm run build:prebuilds -- x64 arm64) and win32-x64
#      (cross-compiled with mingw-w64: npm run build:prebuilds:win32); prebuilds of other platforms
#      already in prebuilds/ (see docs/RELEASING.md) are kept
#   5. the test suite (npm test; LSTM_LRP_RELEASE_SKIP_TESTS=1 skips it)
#   6. npm pack into release/, then the tarball tests and the Windows tests under Wine
#      (scripts/windows-test.sh) on that very tarball
# It publishes nothing: it ends by printing the `npm publish` command for the tarball.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi

version=$(node -p "require('./package.json').version")
echo "== release lstm-lrp $version"
grep -q "^## \[$version\]" CHANGELOG.md || { echo "CHANGELOG.md has no '## [$version]' section" >&2; exit 1; }
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then echo "warning: the work tree has uncommitted changes" >&2; fi
[ -d node_modules ] || npm ci

echo "== WASM modules"
npm run build:wasm

echo "== dist/"
rm -rf dist
npm run build:ts

echo "== prebuilds"
if [ "$(node -p process.platform)-$(node -p process.arch)" = linux-x64 ]; then
  npm run build:prebuilds -- x64 arm64
  npm run build:prebuilds:win32
else
  npm run build:prebuilds
fi
for expected in ${LSTM_LRP_RELEASE_PLATFORMS:-linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64}; do
  compgen -G "prebuilds/$expected/*.node" >/dev/null || echo "warning: no prebuild for $expected (those users compile or run on WASM)" >&2
done

if [ "${LSTM_LRP_RELEASE_SKIP_TESTS:-}" != 1 ]; then
  echo "== test suite"
  npm test
fi

echo "== pack"
mkdir -p release
rm -f "release/lstm-lrp-$version.tgz"
npm pack --ignore-scripts --pack-destination release >/dev/null
tarball=release/lstm-lrp-$version.tgz

echo "== tarball tests"
bash scripts/tarball-test.sh "$tarball"
if compgen -G "prebuilds/win32-x64/*.node" >/dev/null; then
  echo "== Windows tests under Wine"
  bash scripts/windows-test.sh "$tarball"
fi

echo "== done"
ls -l "$tarball"
tar -tzf "$tarball" | sed -n 's#^package/prebuilds/##p'
echo "sha512: $(openssl dgst -sha512 -binary "$tarball" | base64 -w0 2>/dev/null || true)"
echo "publish with: npm publish $tarball   (then: git tag v$version && git push --tags)"
