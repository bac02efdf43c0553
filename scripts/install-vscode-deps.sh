#!/usr/bin/env bash
# Installs the VS Code client's npm dependencies exactly as their package-lock.json files say:
#   client-vscode/      the extension's build and unit-test tools (esbuild, TypeScript, vsce, ...)
#   client-vscode/e2e/  code-server (VS Code in a browser, from the npm registry) and playwright-core
# A folder is skipped when its installed tree matches its lock. Nothing is downloaded at run time: the ripgrep
# binary VS Code's search wants (its postinstall would fetch it from GitHub) comes from the system's `rg`, placed
# in the cache that postinstall reads first. Needs node 20, npm, rg, a C++ compiler and libkrb5-dev
# (scripts/install-system-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/../client-vscode"

for tool in node npm rg; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-vscode-deps: \`$tool\` is missing; run scripts/install-system-deps.sh." >&2; exit 1; }
done

# True when node_modules in $1 does not match its package-lock.json.
stale() {
    [ "$(cat "$1/node_modules/.untilgreen-lock.sha256" 2>/dev/null)" != "$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)" ]
}

# npm ci in $1; the other arguments are environment assignments for npm.
npm_ci() {
    local dir=$1
    shift
    echo "install-vscode-deps: npm ci in client-vscode/$dir" >&2
    (cd "$dir" && env "$@" npm ci --no-audit --no-fund --loglevel=error)
    sha256sum "$dir/package-lock.json" | cut -d' ' -f1 > "$dir/node_modules/.untilgreen-lock.sha256"
}

if stale .; then
    npm_ci .
fi

if stale e2e; then
    # @vscode/ripgrep's postinstall (inside code-server) looks for this tarball in os.tmpdir() before downloading.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cache="$tmp/vscode-ripgrep-cache-1.15.11"
    mkdir -p "$cache"
    cp "$(command -v rg)" "$tmp/rg"
    for target in x86_64-unknown-linux-musl aarch64-unknown-linux-musl aarch64-unknown-linux-gnu; do
        tar -czf "$cache/ripgrep-v13.0.0-10-$target.tar.gz" -C "$tmp" rg
    done
    npm_ci e2e TMPDIR="$tmp" npm_config_yes=true npm_config_nodedir=/usr npm_config_unsafe_perm=true
    test -x e2e/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
fi
