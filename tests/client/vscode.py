"""Running the VS Code client's npm scripts from pytest, so one pytest run covers the extension too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CLIENT = Path(__file__).resolve().parents[2] / "client-vscode"
INSTALL = "scripts/install-vscode-deps.sh"


def npm(script: str, cwd: Path = CLIENT, timeout: float = 300) -> str:
    """`npm run <script>` in `cwd`; fails the test with npm's output when it fails or a tool is missing."""
    if shutil.which("npm") is None:
        raise AssertionError("npm is not installed: run scripts/install-system-deps.sh")
    if not (cwd / "node_modules").is_dir():
        raise AssertionError(f"{cwd.relative_to(CLIENT.parent)}/node_modules is missing: run {INSTALL}")
    # The tests' Python (with untilgreen installed) reads the server's settings and runs the extension's server.
    env = {**os.environ, "UNTILGREEN_PYTHON": sys.executable}
    done = subprocess.run(
        ["npm", "run", "--silent", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, (
        f"npm run {script} failed in {cwd.name}/ (exit {done.returncode}):\n{output[-6000:]}"
    )
    return output
