#!/usr/bin/env bash
# Prints the path of a Python X.Y interpreter: `pythonX.Y` on PATH when it runs, else pyenv's newest X.Y.*.
# Exits 1, printing nothing, when this machine has none. Usage: scripts/find-python.sh 3.10
set -euo pipefail
version=$1
if command -v "python$version" >/dev/null 2>&1 && "python$version" -c '' >/dev/null 2>&1; then
    command -v "python$version"
    exit 0
fi
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
found=$(ls -d "$root/versions/$version".*/bin/"python$version" 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$found" ] && [ -x "$found" ] || exit 1
echo "$found"
