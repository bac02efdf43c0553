"""Fixture builders for sandbox tests: small projects on disk, git repos, an editable install of a project."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest


class Projects:
    """Builds projects under a test's temporary folder."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def tree(self, name: str, files: Mapping[str, str | bytes]) -> Path:
        """Write `files` (relative path -> text or bytes) into the folder `name` (created if needed)."""
        root = self.base / name
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return root

    def repo(self, name: str, files: Mapping[str, str | bytes]) -> Path:
        """A git repository with `files` committed (a `.gitignore` among them applies to later files)."""
        root = self.tree(name, files)
        self.git(root, "init", "-q", "-b", "main")
        self.git(root, "add", "-A")
        self.git(root, "commit", "-q", "-m", "initial")
        return root

    @staticmethod
    def git(root: Path, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def editable_venv(self, import_dir: Path) -> Path:
        """A throwaway venv with a project installed editable as `pip install -e` does it: a .pth file naming
        `import_dir` (the project root, or its `src/`). Returns the venv's python.
        """
        venv = self.base / "editable-venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        python = venv / "bin" / "python"
        purelib = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (Path(purelib) / "__editable__fixture_project.pth").write_text(f"{import_dir}\n", encoding="utf-8")
        return python


@pytest.fixture
def projects(tmp_path: Path) -> Projects:
    return Projects(tmp_path)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """A private base-shadow cache, so tests never share state with each other or with the user's cache."""
    return tmp_path / "cache"
