#!/usr/bin/env bash
# Builds the N-API prebuilds that ship in the package: prebuilds/<platform>-<arch>/lstm-lrp.<libc>.node.
# One binary per platform and architecture serves every Node version from 18 on (N-API 8).
#
#   scripts/prebuild.sh            the host's architecture
#   scripts/prebuild.sh x64 arm64  linux-x64 and linux-arm64 (cross-compiled with Debian's
#                                  g++-aarch64-linux-gnu; installed with apt-get where missing)
#
# prebuildify runs node-gyp on binding.gyp in a staging copy of the sources, so the repository's
# own build/ is left alone. Node's headers come from npm_config_nodedir (/usr where Debian's
# headers are in /usr/include/node), never from a download.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

host_arch=$(node -p process.arch)
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=("$host_arch")
platform=$(node -p process.platform)

if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r binding.gyp package.json native bindings "$stage/"
ln -s "$root/node_modules" "$stage/node_modules"
node_version=$(node -p process.versions.node)

for arch in "${archs[@]}"; do
  echo "== prebuild: $platform-$arch"
  rm -rf "$stage/build"
  env_args=()
  strip_bin=strip
  if [ "$arch" != "$host_arch" ]; then
    if [ "$platform" != linux ] || [ "$arch" != arm64 ]; then
      echo "cannot cross-compile $platform-$arch here (only linux-arm64 from linux)" >&2
      exit 1
    fi
    if ! command -v aarch64-linux-gnu-g++ >/dev/null; then
      apt-get update
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++-aarch64-linux-gnu
    fi
    env_args=(CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar)
    strip_bin=aarch64-linux-gnu-strip
  fi
  env "${env_args[@]}" PATH="$root/node_modules/.bin:$PATH" \
    prebuildify --napi --strip --strip-bin "$strip_bin" --tag-libc --arch "$arch" --target "node@$node_version" --cwd "$stage" \
    >"$stage/build-$arch.log" 2>&1 || { tail -40 "$stage/build-$arch.log" >&2; exit 1; }
  mkdir -p "prebuilds/$platform-$arch"
  rm -f "prebuilds/$platform-$arch"/*.node
  cp "$stage/prebuilds/$platform-$arch"/*.node "prebuilds/$platform-$arch/"
  ls -l "prebuilds/$platform-$arch"
done
