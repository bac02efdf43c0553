"""Which files make up a project: what git would commit, or a walk that skips envs, caches and builds."""

from __future__ import annotations

import glob
import os
import stat
import subprocess
from pathlib import Path

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        "build",
        "dist",
        ".untilgreen",
    }
)


def list_project_files(root: Path) -> list[str]:
    """Sorted POSIX paths, relative to `root`, of the project's regular files and symlinks pointing inside it.

    In a git work tree: the tracked files plus the untracked ones git does not ignore (untracked files in
    virtualenvs, caches and build outputs are left out as well), plus `*.egg-info` metadata in the folders
    the tests import from (the root, `src/`) even when ignored: a test run from the project sees the project's
    entry points through it, so the shadow must too. Elsewhere, or when git lists nothing: a walk.
    """
    root = root.resolve()
    listed = _git_listing(root)
    files = _walk(root, "") if not listed else _existing(root, listed) + _package_metadata(root)
    return sorted(set(files))


def link_target_inside(root: Path, rel: str) -> str | None:
    """For the symlink `root/rel`: its target relative to the link's folder if it stays inside `root`."""
    path = os.path.join(root, rel)
    real = os.path.realpath(path)
    if os.path.commonpath([real, str(root)]) != str(root) or real == str(root):
        return None
    return os.path.relpath(real, os.path.dirname(path))


def is_skipped_dir(path: str) -> bool:
    name = os.path.basename(path)
    return name in SKIPPED_DIRS or os.path.exists(os.path.join(path, "pyvenv.cfg"))


def _package_metadata(root: Path) -> list[str]:
    """The files of `*.egg-info` folders at the root and in `src/`."""
    return [
        rel
        for folder in ("", "src")
        for found in sorted(glob.glob("*.egg-info", root_dir=root / folder))
        for rel in _walk(root, os.path.join(folder, found))
    ]


def _git_listing(root: Path) -> list[str]:
    tracked = _git_ls_files(root, "--cached")
    if tracked is None:
        return []
    untracked = _git_ls_files(root, "--others", "--exclude-standard") or []
    skipped: dict[str, bool] = {}
    return list(dict.fromkeys(tracked)) + [rel for rel in untracked if not _under_skipped(root, rel, skipped)]


def _git_ls_files(root: Path, *options: str) -> list[str] | None:
    """Paths relative to `root` (git lists only below the folder it runs in); None when git cannot answer."""
    try:
        done = subprocess.run(["git", "ls-files", "-z", *options], cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return [rel.rstrip("/") for rel in os.fsdecode(done.stdout).split("\0") if rel]


def _under_skipped(root: Path, rel: str, memo: dict[str, bool]) -> bool:
    parts = rel.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if folder not in memo:
            memo[folder] = is_skipped_dir(os.path.join(root, folder))
        if memo[folder]:
            return True
    return False


def _existing(root: Path, listed: list[str]) -> list[str]:
    """What is on disk: listed-but-deleted files dropped, listed folders (submodules, nested repos) walked."""
    files: list[str] = []
    for rel in listed:
        try:
            mode = os.lstat(os.path.join(root, rel)).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            files.extend(_walk(root, rel))
        elif stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and link_target_inside(root, rel) is not None):
            files.append(rel)
    return files


def _walk(root: Path, start: str) -> list[str]:
    files: list[str] = []
    pending = [start]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(root, folder)))
        except OSError:
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            if entry.is_symlink():
                if link_target_inside(root, rel) is not None:
                    files.append(rel)
            elif entry.is_dir():
                if not is_skipped_dir(entry.path):
                    pending.append(rel)
            elif entry.is_file():
                files.append(rel)
    return files
