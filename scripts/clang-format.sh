#!/usr/bin/env bash
# clang-format over the C++ sources: `--check` reports files that differ from .clang-format (npm run lint), no argument rewrites them (npm run format).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find native bindings test/native -name '*.cc' -o -name '*.h'; ls bench/*.cc fuzz/*.cc)
if [ "${1:-}" = --check ]; then
  clang-format --dry-run --Werror $files
else
  clang-format -i $files
fi
