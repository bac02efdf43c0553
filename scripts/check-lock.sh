#!/usr/bin/env bash
# Checks that hash-locked requirement files install as complete locks: in a brand-new virtualenv made by PYTHON
# (with the pip that PYTHON's own venv module brings), `pip install --no-deps --require-hashes` of the locks
# together (no bytecode compiled: the check is about what installs), then `pip check`. Nothing is re-resolved
# against the package index, so a lock that passes here installs the same files on any later day. Usage: scripts/check-lock.sh PYTHON LOCK [LOCK ...]
set -euo pipefail
python=$1
shift
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
"$python" -m venv "$venv"
requirements=()
for lock in "$@"; do
    requirements+=(-r "$lock")
done
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-compile --no-deps --require-hashes "${requirements[@]}"
"$venv/bin/python" -m pip check
echo "check-lock: $* install as complete locks with $("$venv/bin/python" -m pip --version | cut -d' ' -f1,2) on Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
