#!/usr/bin/env bash
# Installs everything the test suite needs (system packages, the locked Python environment, the VS Code client's
# npm packages and code-server) and runs it, then validates the benchmark corpus. Extra arguments go to pytest.
# CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh
scripts/install-vscode-deps.sh

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .

.venv/bin/python -m pytest "$@"
if [ -f benchmarks/corpus/check.py ]; then
    .venv/bin/python benchmarks/corpus/check.py --jobs 2
fi
