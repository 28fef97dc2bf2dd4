# Sourced by the test scripts outside ava (tarball-test.sh, windows-test.sh, spark-test.sh): a temporary work
# folder, TAP-style checks and packing the repository. Before sourcing, set `suite` (the name on the closing line) and
# `keep_variable` (the environment variable that, when set, keeps the work folder).
work=$(mktemp -d "${TMPDIR:-/tmp}/lstm-lrp-$suite.XXXXXX")
mkdir -p "$work/logs"
cleanup() { if [ -n "${!keep_variable:-}" ]; then echo "# kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

passed=0
failed=0
count=0
# check LABEL COMMAND...: runs the command in a subshell, logs its output, prints one TAP line.
check() {
  local label=$1
  shift
  count=$((count + 1))
  local log="$work/logs/$count.log"
  if ("$@") >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok $count - $label"
  else
    failed=$((failed + 1))
    echo "not ok $count - $label"
    tail -n 40 "$log" | sed 's/^/    # /'
  fi
}
# fail_now LABEL: one failed check, then the closing line.
fail_now() {
  count=$((count + 1)); failed=$((failed + 1))
  echo "not ok $count - $1"
  finish
}
finish() {
  echo "$suite: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# pack_repository: `npm pack` of the repository (scripts off) into the work folder; sets `tarball`.
pack_repository() {
  (cd "$root" && npm pack --ignore-scripts --pack-destination "$work" --json >"$work/pack.json" 2>"$work/logs/pack.err") || {
    sed 's/^/    # /' "$work/logs/pack.err"
    fail_now "npm pack"
  }
  tarball=$work/$(node -p "require('$work/pack.json')[0].filename")
}
