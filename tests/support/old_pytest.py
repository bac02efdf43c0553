"""Throwaway virtualenvs with an old pytest, for the tests that compare untilgreen with plain pytest there.

Each pairing of a Python and a pytest has a hash-pinned lock file in `tests/fixtures/old_pytest/`. `venv` builds
one under a given folder; `python -m tests.support.old_pytest` (run by the test setup) downloads every pinned
file into a wheelhouse in the git-ignored `.venv`, so the tests' own installs do not need the index.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCKS = REPO / "tests" / "fixtures" / "old_pytest"
WHEELHOUSE = REPO / ".venv" / "old-pytest-wheels"


@dataclass(frozen=True)
class OldPytest:
    python: str  # major.minor
    pytest: str
    lock: Path

    @property
    def interpreter(self) -> Path | None:
        """This machine's Python of this version (scripts/find-python.sh), or None when it has none."""
        found = subprocess.run(
            [str(REPO / "scripts" / "find-python.sh"), self.python], capture_output=True, text=True
        )
        return Path(found.stdout.strip()) if found.returncode == 0 else None

    def venv(self, base: Path) -> Path:
        """A fresh venv under `base` with this pytest installed from the lock; returns its python."""
        interpreter = self.interpreter
        if interpreter is None:
            raise FileNotFoundError(f"no Python {self.python} on this machine")
        venv = base / f"py{self.python}-pytest{self.pytest}"
        subprocess.run([str(interpreter), "-m", "venv", str(venv)], check=True, capture_output=True)
        python = venv / "bin" / "python"
        offline = ["--no-index", "--find-links", str(self.wheelhouse)] if self.wheelhouse.is_dir() else []
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *offline,
                "--require-hashes",
                "--no-deps",
                "-r",
                str(self.lock),
            ],
            check=True,
            capture_output=True,
        )
        return python

    @property
    def wheelhouse(self) -> Path:
        return WHEELHOUSE / self.lock.stem


MATRIX = [
    OldPytest("3.7", "3.10.1", LOCKS / "pytest-3.10.1-py37.lock"),
    OldPytest("3.8", "4.6.11", LOCKS / "pytest-4.6.11-py38.lock"),
    OldPytest("3.9", "5.4.3", LOCKS / "pytest-5.4.3-py39.lock"),
]


def prefetch() -> None:
    """Download every pinned file into the wheelhouse, with the interpreter each lock is for."""
    for entry in MATRIX:
        if entry.interpreter is None:
            print(f"skipped pytest {entry.pytest}: no Python {entry.python} here", file=sys.stderr)
            continue
        subprocess.run(
            [
                str(entry.interpreter),
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--require-hashes",
                "--no-deps",
                "-r",
                str(entry.lock),
                "-d",
                str(entry.wheelhouse),
            ],
            check=True,
        )


if __name__ == "__main__":
    prefetch()
