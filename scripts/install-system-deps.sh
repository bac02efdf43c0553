#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the test suite needs, skipping those already present.
# Needs root (or sudo). Elsewhere it prints what is missing and carries on: the tests that need a missing
# tool then fail with a message naming it.
set -euo pipefail

# command -> package
declare -A wanted=(
    [bwrap]=bubblewrap
    [git]=git
    [nvim]=neovim  # the LSP smoke test with a second real client (tests/e2e/test_neovim.py)
    # The VS Code client's tests: node/npm build the extension; code-server's native modules need a compiler
    # and Kerberos headers; its search uses the system's ripgrep; Chromium drives it.
    [node]=nodejs
    [npm]=npm
    [g++]=g++
    [make]=make
    [krb5-config]=libkrb5-dev
    [rg]=ripgrep
    [chromium]=chromium
)

missing=()
for cmd in "${!wanted[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "install-system-deps: missing ${missing[*]} and not root; install them with your package manager." >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: missing ${missing[*]}; install them with your package manager." >&2
    exit 0
fi
echo "install-system-deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
