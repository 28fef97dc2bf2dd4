#!/usr/bin/env bash
# Bounded fuzz run for CI: builds fuzz/explain_fuzzer (ASan + UBSan + libFuzzer), replays the
# seed corpus, fuzzes for FUZZ_SECONDS (default 60) and prints executions and coverage.
# Exits non-zero on any crash, sanitizer report or contract violation; the reproducer is left
# in build-fuzz/ (crash-*, leak-*, timeout-*) — add it to fuzz/corpus/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
binary=$(fuzz/build.sh build-fuzz | tail -1)
work=$(mktemp -d)
cp fuzz/corpus/* "$work/"
set +e
"$binary" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix=build-fuzz/ "$work" > build-fuzz/fuzz.log 2>&1
status=$?
set -e
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' build-fuzz/fuzz.log | grep -o '[0-9]*$' || echo 0)
coverage=$(grep -o 'cov: [0-9]*' build-fuzz/fuzz.log | tail -1 | grep -o '[0-9]*' || echo 0)
features=$(grep -o 'ft: [0-9]*' build-fuzz/fuzz.log | tail -1 | grep -o '[0-9]*' || echo 0)
echo "fuzz: $runs executions in ${seconds}s, coverage $coverage edges, $features features, corpus $(ls "$work" | wc -l) inputs"
rm -rf "$work"
if [ "$status" -ne 0 ]; then
  grep -A40 'ERROR\|contract violated\|runtime error' build-fuzz/fuzz.log | head -80
  exit 1
fi
