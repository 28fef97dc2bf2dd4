# Sourced by fuzz/build.sh, scripts/asan-tests.sh and scripts/prebuild-win32.sh, from the repository root.
# compile_objects OUT COMPILER FLAGS SOURCE...: compiles each SOURCE into OUT/ with the flags in the
# array named FLAGS, again only when the source or any header under native/ is newer than its object;
# at most as many compiles in flight as cores, and a failed one fails the caller (set -e). Sets the
# array `objects` to the objects, in order.
compile_objects() {
  local out=$1 compiler=$2
  local -n compile_flags=$3
  shift 3
  objects=()
  local source object
  for source in "$@"; do
    object="$out/$(echo "$source" | tr / _).o"
    if [ ! -f "$object" ] || [ "$source" -nt "$object" ] || [ -n "$(find native -name '*.h' -newer "$object" | head -1)" ]; then
      "$compiler" "${compile_flags[@]}" -c "$source" -o "$object" &
    fi
    objects+=("$object")
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
  done
  while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n; done
}
