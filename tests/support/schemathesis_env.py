"""A virtualenv of its own for schemathesis, which the API tests run as a command against a served app.

Not in the dev lock: schemathesis brings hypothesis, whose pytest plugin would then be in the interpreter every
sandboxed test run uses, and the warm worker rightly gives every fork to pytest when a plugin acts on running
tests (its direct-runner tests would no longer test the direct runner). `python -m tests.support.schemathesis_env`
(run by scripts/test.sh) installs `tests/fixtures/schemathesis.lock` (made with `uv pip compile --universal
--generate-hashes --python-version 3.10` from `schemathesis==4.30.1`) as a complete lock into `.venv/schemathesis`,
again only when the lock changed.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "tests" / "fixtures" / "schemathesis.lock"
VENV = REPO / ".venv" / "schemathesis"
STAMP = VENV / "lock.sha256"


def _digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def st_command() -> Path | None:
    """The `st` command of the installed environment, or None when it is missing or older than the lock."""
    st = VENV / "bin" / "st"
    current = STAMP.is_file() and STAMP.read_text().strip() == _digest()
    return st if current and st.is_file() else None


def install() -> Path:
    if (st := st_command()) is not None:
        return st
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--no-deps", "--require-hashes", "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "check"], check=True, capture_output=True)
    STAMP.write_text(_digest() + "\n")
    return VENV / "bin" / "st"


if __name__ == "__main__":
    print(f"schemathesis: {install()}")
