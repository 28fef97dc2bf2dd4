#!/usr/bin/env bash
# Runs Node for linux-arm64 under qemu-user, to check the cross-compiled arm64 prebuild:
#   scripts/qemu-arm64-node.sh [node arguments...]
# The arm64 Node is Debian's (bookworm: Node 18) with its libraries, unpacked once into
# ${LSTM_LRP_ARM64_ROOT:-~/.cache/lstm-lrp/arm64-root}; the package lists and .debs come from
# Debian's arm64 archive through a private apt state, so the machine's own apt setup (its
# architectures, its package lists) is left as it was. qemu-user-static is installed with
# apt-get when missing. `scripts/qemu-arm64-node.sh --prepare` only sets things up.
set -euo pipefail
sysroot=${LSTM_LRP_ARM64_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/lstm-lrp/arm64-root}

if ! command -v qemu-aarch64-static >/dev/null && ! command -v qemu-aarch64 >/dev/null; then
  apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-user-static >/dev/null
fi
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)

if [ ! -x "$sysroot/usr/bin/node" ]; then
  state=$(mktemp -d)
  trap 'rm -rf "$state"' EXIT
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs"
  touch "$state/status"
  apt_opts=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$state/lists"
    -o "Dir::Cache=$state/cache" -o "Dir::State::status=$state/status" -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd "$state/debs" && apt-get "${apt_opts[@]}" download nodejs libnode108 libbrotli1 libc-ares2 libc6 libicu72 \
    libnghttp2-14 libssl3 libstdc++6 libgcc-s1 libuv1 zlib1g node-acorn node-cjs-module-lexer node-undici >/dev/null)
  mkdir -p "$sysroot.tmp"
  for deb in "$state"/debs/*.deb; do dpkg -x "$deb" "$sysroot.tmp"; done
  rm -rf "$sysroot"
  mv "$sysroot.tmp" "$sysroot"
fi

[ "${1:-}" = --prepare ] && exit 0
exec "$qemu" -L "$sysroot" "$sysroot/usr/bin/node" "$@"
