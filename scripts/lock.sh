#!/usr/bin/env bash
# Regenerates the hash-locked requirement files from pyproject.toml, checks them, and only then replaces them:
#   requirements.lock        the runtime dependencies (the Quick start and the VS Code client install these)
#   requirements-build.lock  the build backend, for `pip install --no-build-isolation -e .` and the client's wheel
#   requirements-dev.lock    runtime, test tools and build backend together (what scripts/test.sh installs)
# Every lock is universal (the Pythons pyproject.toml claims, every platform) and carries the hash of every file
# pip may install, so `pip install --no-deps --require-hashes -r LOCK` installs it without asking the index to
# resolve anything. Versions already in a lock are kept unless pyproject.toml asks otherwise (uv reads the old
# lock as its preferences): to move a pin, change it in pyproject.toml and run this script.
# The new locks replace the old ones only once each installs as a complete lock (scripts/check-lock.sh: a
# brand-new virtualenv, --no-deps --require-hashes, then pip check) on the oldest and the newest Python of
# pyproject.toml's classifiers that this machine has; otherwise the old locks stay and the script exits 1.
# Needs the package index. Uses `uv` from PATH, or the pinned uv below installed into a throwaway virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
work=$(mktemp -d)
build_in=build-system.in  # written next to pyproject.toml so the locks' "# via" notes name it, not a temp path
trap 'rm -rf "$work" "$build_in"' EXIT

uv=$(command -v uv || true)
if [ -z "$uv" ]; then
    python3 -m venv "$work/uv"
    "$work/uv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    uv="$work/uv/bin/uv"
fi

read -r oldest newest < <(python3 scripts/claimed-pythons.py)
python3 - "$build_in" <<'PY'
import sys, tomllib
requires = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]
open(sys.argv[1], "w").write("\n".join(requires) + "\n")
PY

cp requirements*.lock "$work/"
common=(--universal --generate-hashes --python-version "$oldest" --no-header -q)
"$uv" pip compile "${common[@]}" pyproject.toml -o "$work/requirements.lock"
"$uv" pip compile "${common[@]}" "$build_in" -o "$work/requirements-build.lock"
"$uv" pip compile "${common[@]}" pyproject.toml "$build_in" --extra dev -o "$work/requirements-dev.lock"

checked=0
for version in "$oldest" "$newest"; do
    if ! python=$(scripts/find-python.sh "$version"); then
        echo "lock: no Python $version here; its check is skipped" >&2
        continue
    fi
    scripts/check-lock.sh "$python" "$work/requirements.lock" "$work/requirements-build.lock"
    scripts/check-lock.sh "$python" "$work/requirements-dev.lock"
    checked=$((checked + 1))
done
if [ "$checked" -eq 0 ]; then
    echo "lock: neither Python $oldest nor $newest is on this machine; the locks were not replaced" >&2
    exit 1
fi
cp "$work"/requirements.lock "$work"/requirements-build.lock "$work"/requirements-dev.lock .
echo "lock: requirements.lock, requirements-build.lock and requirements-dev.lock written and checked"
