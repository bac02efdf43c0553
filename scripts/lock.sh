#!/usr/bin/env bash
# Regenerate the hash-locked requirement files from pyproject.toml (maintainers only; needs `uv`).
# Both locks also carry the build backend, so `pip install --no-build-isolation -e .` needs nothing unhashed.
set -euo pipefail
cd "$(dirname "$0")/.."
build_in=$(mktemp --suffix=.in)
trap 'rm -f "$build_in"' EXIT
python3 - "$build_in" <<'PY'
import sys, tomllib
requires = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]
open(sys.argv[1], "w").write("\n".join(requires) + "\n")
PY
common=(--universal --generate-hashes --python-version 3.10 --no-header -q)
uv pip compile "${common[@]}" pyproject.toml "$build_in" -o requirements.lock
uv pip compile "${common[@]}" pyproject.toml "$build_in" --extra dev -o requirements-dev.lock
