#!/usr/bin/env bash
# Installs everything the test suite needs (system packages, the locked Python environment, the VS Code client's
# npm packages and code-server), checks the style (ruff) and the types (mypy),
# then runs the test suite (last, so its summary is the closing line). Extra arguments go to pytest. CI runs
# exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh
scripts/install-vscode-deps.sh

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# A complete lock, installed as it is: nothing is re-resolved against what the index serves today.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-dev.lock
.venv/bin/python -m pip check
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .

# Hash-pinned old pytests (3.10, 4.6, 5.4) for the fidelity tests on Python 3.7–3.9, fetched once.
.venv/bin/python -m tests.support.old_pytest
# schemathesis for the HTTP API tests, in a venv of its own: hypothesis's pytest plugin stays out of .venv.
.venv/bin/python -m tests.support.schemathesis_env
# The real packages whose own test suites tests/ecosystem compares with plain pytest (hash-checked sdists).
benchmarks/ecosystem/prepare.sh
.venv/bin/python -m tests.models.real_packages  # and those whose mutants the warm worker is checked on

.venv/bin/ruff format --check .  # the style is the formatter's ([tool.ruff] in pyproject.toml)
.venv/bin/ruff check .
.venv/bin/python -m mypy  # strict, on untilgreen/ ([tool.mypy] in pyproject.toml)
.venv/bin/python -m pytest --durations=25 "$@"  # the slowest tests listed, to keep the run within its time
