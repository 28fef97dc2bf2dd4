#!/usr/bin/env bash
# Makes (once) a Python virtualenv outside the repository with the given PyPI packages and prints
# its bin folder: the checks that need Python tools (PySpark, schemathesis) install them here, so
# neither the repository nor the system Python changes. Usage: scripts/ci-python.sh NAME PACKAGE==VERSION...
set -euo pipefail
name=$1
shift
venv="${LSTM_LRP_PYTHON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lstm-lrp/python}/$name"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv" >&2; fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
echo "$venv/bin"
