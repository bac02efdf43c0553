"""Stable project keys.

A project is keyed by its git `origin` remote when it has one (normalised: scheme, credentials and `.git`
dropped, so an SSH and an HTTPS clone of the same repository share memory), else by its resolved root path.
The key is `"p"` + 15 hex chars of sha256 over that basis: stable across runs, no path stored in it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_REMOTE_SECTION = re.compile(r'^\s*\[remote\s+"(?P<name>[^"]+)"\]\s*$')
_URL = re.compile(r"^\s*url\s*=\s*(?P<url>\S+)\s*$")


def project_key(root: Path) -> str:
    remote = git_remote(root)
    basis = f"git:{normalise_remote(remote)}" if remote else f"path:{root.resolve()}"
    return "p" + hashlib.sha256(basis.encode()).hexdigest()[:15]


def git_remote(root: Path) -> str | None:
    """The `origin` remote URL (else the first remote) read from the repository config, without running git."""
    config = _git_dir(root.resolve())
    if config is None:
        return None
    try:
        text = (config / "config").read_text(errors="replace")
    except OSError:
        return None
    remotes: dict[str, str] = {}
    section: str | None = None
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            m = _REMOTE_SECTION.match(line)
            section = m.group("name") if m else None
        elif section and (u := _URL.match(line)):
            remotes.setdefault(section, u.group("url"))
    return remotes.get("origin") or next(iter(remotes.values()), None)


def _git_dir(root: Path) -> Path | None:
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            target = dot_git.read_text(errors="replace").partition("gitdir:")[2].strip()
            git_dir = (folder / target).resolve()
            common = git_dir / "commondir"
            return (git_dir / common.read_text().strip()).resolve() if common.exists() else git_dir
    return None


def normalise_remote(url: str) -> str:
    """`git@github.com:o/r.git`, `https://user:tok@github.com/o/r` -> `github.com/o/r`."""
    url = re.sub(r"^[a-z+]+://", "", url.strip())
    url = re.sub(r"^[^@/]+@", "", url)
    url = re.sub(r"^([^/:]+):(?!\d+/)", r"\1/", url)  # scp-like syntax; keep host:port
    url = re.sub(r"\.git/?$", "", url).rstrip("/")
    host, _, rest = url.partition("/")
    return f"{host.lower()}/{rest}"
