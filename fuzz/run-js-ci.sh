#!/usr/bin/env bash
# Bounded run of the JavaScript fuzzer for CI: the importers and the CLI input parsers under seeded
# mutations of the fixtures, for FUZZ_SECONDS (default 60) from FUZZ_SEED (default 1, so a run can be
# repeated; the cases run depend on the time given). Prints "ok" / "not ok" lines per target and
# exits non-zero on a finding; the reproducer is left in build-fuzz-js/.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}
export FUZZ_SEED=${FUZZ_SEED:-1}
npm run build:ts > /dev/null
node --import tsx fuzz/js/run.ts
