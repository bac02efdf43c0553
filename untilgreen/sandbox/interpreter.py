"""Which interpreter runs a project's tests: the project's own, found the way a developer would expect."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Mapping

from untilgreen.errors import UserError


def find_python(root: Path, configured: str = "", environ: Mapping[str, str] | None = None) -> Path:
    """The setting `python`, else `.venv`, `venv`, `$VIRTUAL_ENV`, `python3` when it has pytest, else our own.

    The last step matters for the bundled example and for projects without a virtualenv: untilgreen's own
    interpreter always has pytest.
    """
    environ = os.environ if environ is None else environ
    if configured:
        path = Path(configured).expanduser()
        if not path.is_absolute():
            found = shutil.which(configured)
            path = Path(found) if found else root / path
        if not path.exists():
            raise UserError(
                f"the configured interpreter {configured} does not exist; fix the `python` setting."
            )
        return path
    for candidate in (
        root / ".venv",
        root / "venv",
        Path(environ["VIRTUAL_ENV"]) if environ.get("VIRTUAL_ENV") else None,
    ):
        if candidate is not None and (candidate / "bin" / "python").exists():
            return candidate / "bin" / "python"
    system = shutil.which("python3", path=environ.get("PATH"))
    real = real_interpreter_with_pytest(Path(system)) if system else None
    return real or Path(sys.executable)


@functools.lru_cache(maxsize=32)
def real_interpreter_with_pytest(python: Path) -> Path | None:
    """The interpreter behind `python` (a pyenv shim is a shell script) if it can import pytest, else None."""
    try:
        result = subprocess.run(
            [str(python), "-c", "import sys, pytest; print(sys.executable)"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    executable = result.stdout.strip()
    return Path(executable) if result.returncode == 0 and executable else None


# The pytest versions a structured run supports: the plugin keeps to what pytest 3.10 already offers.
OLDEST_PYTEST = (3, 10)


@functools.lru_cache(maxsize=32)
def pytest_version(python: Path) -> tuple[int, ...] | None:
    """The version of the pytest `python` imports (major, minor, ...), None when it has none; once per interpreter."""
    try:
        result = subprocess.run(
            [str(python), "-I", "-c", "import pytest; print(pytest.__version__)"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_version(result.stdout.strip()) if result.returncode == 0 else None


def parse_version(text: str) -> tuple[int, ...] | None:
    """`8.4.2` -> (8, 4, 2); leading numeric parts only (`6.0.0rc1` -> (6, 0)); None when it has none."""
    numbers = []
    for part in text.split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers) or None
