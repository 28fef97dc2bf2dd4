#!/usr/bin/env bash
# Property-based tests of `lstm-lrp serve` against its own /openapi.json with schemathesis (PyPI, in
# the virtualenv of scripts/ci-python.sh): generated valid and invalid requests for every route, with
# all of schemathesis's checks (its default: no 5xx; status codes, content types, headers and bodies
# as the schema says; invalid data rejected, valid data accepted; 405 for undeclared methods; ...),
# except where scripts/schemathesis.toml says a check does not apply. Runs on the toy model and on
# the shipped SST model, each bounded in examples and time. Prints TAP ('ok - ...' / 'not ok - ...'),
# one line per operation and model, with schemathesis's account of each failure; exits 1 if any.
# SCHEMATHESIS_SEED changes the seed (default 1, so CI runs the same cases every time);
# SCHEMATHESIS_EXAMPLES the examples per operation (default 40).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
failed=0
server_pid=

source "$root/scripts/service-checks.sh"
cleanup() {
  if [ -n "$server_pid" ] && alive "$server_pid"; then kill -KILL "$server_pid"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! bin=$(bash "$root/scripts/ci-python.sh" schemathesis schemathesis==4.32.5 2>"$tmp/pip.err"); then
  not_ok "schemathesis 4.32.5 installs (scripts/ci-python.sh)" "$(tail -20 "$tmp/pip.err")"
  exit 1
fi

# Starts `serve` with the given flags, runs schemathesis against it, stops it with SIGTERM.
fuzz() {
  local name=$1 line=
  shift
  node "$root/dist/cli/main.js" serve --port 0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  server_pid=$!
  for _ in $(seq 600); do
    line=$(grep -m1 '^listening on http://' "$tmp/$name.out")
    [ -z "$line" ] && alive "$server_pid" && sleep 0.1 && continue
    break
  done
  if [ -z "$line" ]; then
    not_ok "$name: lstm-lrp serve $* prints 'listening on'" "$(cat "$tmp/$name.err")"
    return
  fi
  local url=${line#listening on } report="$tmp/$name.xml"
  # From $tmp: schemathesis keeps a .schemathesis folder in its working directory.
  # One worker: with two, Hypothesis sometimes failed in its own lambda-description cache (a KeyError
  # it then reported as "Inconsistent results", not a finding about the server).
  (cd "$tmp" && timeout 80 "$bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$url/openapi.json" --max-examples "${SCHEMATHESIS_EXAMPLES:-40}" \
    --seed "${SCHEMATHESIS_SEED:-1}" --generation-database none --request-timeout 30 --workers 1 --no-color \
    --report junit --report-junit-path "$report") >"$tmp/$name.log" 2>&1
  local code=$?
  if [ "$code" -eq 124 ]; then not_ok "$name: schemathesis finished within 80 s" "$(tail -30 "$tmp/$name.log")"; fi
  if [ -f "$report" ]; then
    # One TAP line per tested operation, with schemathesis's own account of each failure.
    "$bin/python" - "$report" "$name" >"$tmp/$name.tap" <<'EOF'
import sys
import xml.etree.ElementTree as ElementTree
report, name = sys.argv[1], sys.argv[2]
for case in ElementTree.parse(report).getroot().iter('testcase'):
    problems = case.findall('failure') + case.findall('error')
    skipped = case.find('skipped') is not None
    label = f"{name}: {case.get('name')}"
    if problems:
        print(f"not ok - {label}")
        for problem in problems:
            for line in (problem.text or problem.get('message') or '').strip().splitlines()[:40]:
                print(f"#   {line}")
    else:
        print(f"ok - {label}{' (skipped by schemathesis)' if skipped else ''}")
EOF
    cat "$tmp/$name.tap"
    failed=$((failed + $(grep -c '^not ok' "$tmp/$name.tap")))
  elif [ "$code" -ne 124 ]; then
    not_ok "$name: schemathesis ran and wrote its report" "$(tail -30 "$tmp/$name.log")"
  fi
  if ! alive "$server_pid"; then
    not_ok "$name: the server is still running after schemathesis" "$(cat "$tmp/$name.err")"
  else
    kill -TERM "$server_pid"
    wait "$server_pid"
    local exit_code=$?
    if [ "$exit_code" -eq 0 ]; then ok "$name: the server survived and exited 0 on SIGTERM"; else not_ok "$name: the server exited 0 on SIGTERM" "exit code $exit_code; $(tail -20 "$tmp/$name.err")"; fi
  fi
  server_pid=
}

fuzz toy --model "$root/examples/toy-addition.safetensors"
fuzz sst
echo "# schemathesis: $failed failed"
[ "$failed" -eq 0 ]
