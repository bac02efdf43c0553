#!/usr/bin/env bash
# Install step of the ecosystem check: downloads (from PyPI, hash-checked) and builds the packages our test
# suite compares live (`ci = true` in packages.toml). Idempotent; pass --all to prepare every package.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--all" ]; then
    .venv/bin/python benchmarks/ecosystem/run.py --prepare-only
else
    .venv/bin/python benchmarks/ecosystem/run.py --prepare-only --ci
fi
