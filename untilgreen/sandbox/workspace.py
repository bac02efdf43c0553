"""Shadow workspaces: a throwaway copy of the project (with the editor's unsaved buffers) that runs may edit.

The user's files are only ever read. A workspace is cloned from the project's base shadow (`shadow_cache`):
unchanged files are hard links into the base, and every file written here is first replaced by a real copy.
"""

from __future__ import annotations

import difflib
import glob
import os
import stat
import tempfile
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from untilgreen.errors import UserError
from untilgreen.sandbox.file_listing import list_project_files
from untilgreen.sandbox.shadow_cache import (
    BaseShadow,
    atomic_write,
    clone_tree,
    default_cache_dir,
    remove_tree,
)

MODULE_SUFFIXES = (".py", ".so", ".pyd")


@dataclass(frozen=True)
class _Snap:
    """A file's content and git mode (0o100644, 0o100755, or 0o120000 with the link target as content)."""

    data: bytes
    mode: int


class Workspace:
    """A shadow copy of a project. Context manager; always removes its directory on exit."""

    def __init__(self, root: Path, path: Path, files: set[str], start: dict[str, _Snap | None]) -> None:
        self.root = root
        self.path = path
        self._files = files
        # The starting state of every file touched so far (overlays included); None: it did not exist.
        self._start = start
        self._remove = weakref.finalize(self, remove_tree, path)

    @classmethod
    def create(
        cls, root: Path, overlays: Mapping[str, str] | None = None, *, cache_dir: Path | None = None
    ) -> Workspace:
        """Shadow `root` with `overlays` (relative path -> text of an unsaved buffer, possibly a new file)."""
        root = Path(root).resolve()
        if not root.is_dir():
            raise UserError(f"The project folder {root} does not exist; open an existing project folder.")
        shadow = BaseShadow(cache_dir or default_cache_dir(), root)
        listing = list_project_files(root)
        with shadow.locked():
            synced = shadow.sync(listing)
            path = Path(tempfile.mkdtemp(prefix="untilgreen-", dir=shadow.workspace_parent())).resolve()
            workspace = cls(root, path, set(synced.files), {})
            try:
                clone_tree(shadow.base, path, synced.files)
                workspace._apply_overlays(overlays or {})
            except BaseException:
                workspace.close()
                raise
        return workspace

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._remove()

    def read(self, rel: str) -> str:
        name, path = self._resolve(rel)
        return _decode(name, path.read_bytes())

    def read_or_none(self, rel: str) -> str | None:
        """The file's text, or None when it cannot be read as text (absent, a folder, not UTF-8, outside)."""
        try:
            return self.read(rel)
        except (OSError, UserError):
            return None

    def write(self, rel: str, text: str) -> None:
        """Write inside the shadow only; refuses paths that escape it (`..`, absolute, symlinks out)."""
        name, path = self._resolve(rel)
        self._remember_start(name, path)
        self._put(path, text.encode())
        self._files.add(name)

    def delete(self, rel: str) -> None:
        name, path = self._resolve(rel, follow=False)
        if not os.path.lexists(path):
            raise UserError(f"Cannot delete {rel}: there is no such file in the project.")
        self._remember_start(name, path)
        path.unlink()
        self._files.discard(name)

    def fork(self) -> Workspace:
        """A cheap copy of the current state: touched files are real copies, the rest hard links."""
        path = Path(tempfile.mkdtemp(prefix="untilgreen-", dir=self.path.parent)).resolve()
        child = type(self)(self.root, path, set(), dict(self._start))
        try:
            child._files = set(clone_tree(self.path, path, sorted(self._files), copy=self._start.keys()))
        except BaseException:
            child.close()
            raise
        return child

    def changed_files(self) -> list[str]:
        return [rel for rel, _, _ in self._changes()]

    def diff(self) -> str:
        """Git-style unified diff of the current state against the start (originals with overlays)."""
        return "".join(_render(rel, old, new) for rel, old, new in self._changes())

    def start_text(self, rel: str) -> str | None:
        """The text at the starting state (overlay or original); None if the file did not exist."""
        name, path = self._resolve(rel)
        if name in self._start:
            snap = self._start[name]
            return None if snap is None else _decode(name, snap.data)
        return _decode(name, path.read_bytes()) if name in self._files else None

    def files(self) -> list[str]:
        return sorted(self._files)

    def python_path_entries(self) -> list[str]:
        """What the test runner prepends to PYTHONPATH so the project's imports resolve to the shadow."""
        return [str(self.path)] + ([str(self.path / "src")] if _is_src_layout(self._files) else [])

    def foreign_import_roots(self) -> list[str]:
        """Resolved paths of the original project's top-level modules and packages (`pkg`, `src/pkg`, `a.py`).

        A module whose real `__file__` is one of these or lies below one was imported from the user's tree
        instead of the shadow. Narrower than the whole root on purpose: a virtualenv inside the project holds
        third-party code, which is not foreign.
        """
        src = _is_src_layout(self._files)
        tops = set()
        for rel in self._files:
            if rel.endswith(MODULE_SUFFIXES):
                parts = rel.split("/")
                tops.add("/".join(parts[:2]) if src and parts[0] == "src" and len(parts) > 1 else parts[0])
        return sorted(str(self.root / top) for top in tops)

    def _resolve(self, rel: str, *, follow: bool = True) -> tuple[str, Path]:
        """Normalise `rel` and check that it stays inside the shadow; returns (normalised rel, real path)."""
        parts = [part for part in rel.split("/") if part not in ("", ".")]
        if os.path.isabs(rel) or ".." in parts or not parts:
            raise UserError(f"Refusing the path {rel!r}: use a path relative to the project, without '..'.")
        path = self.path.joinpath(*parts)
        try:
            real = path.resolve() if follow else path.parent.resolve() / path.name
        except (OSError, RuntimeError) as err:  # a symlink loop
            raise UserError(f"Refusing the path {rel!r}: it cannot be resolved ({err}).") from err
        if self.path not in real.parents:
            raise UserError(f"Refusing the path {rel!r}: a symlink leads it outside the project.")
        return real.relative_to(self.path).as_posix(), real

    def _apply_overlays(self, overlays: Mapping[str, str]) -> None:
        """Unsaved buffers are part of the starting state: the diff is against what the editor shows."""
        for rel, text in overlays.items():
            name, path = self._resolve(rel)
            data = text.encode()
            mode = self._put(path, data)
            self._files.add(name)
            self._start[name] = _Snap(data, _git_mode(mode))

    def _remember_start(self, name: str, path: Path) -> None:
        if name not in self._start:
            self._start[name] = _snapshot(path) if name in self._files else None

    @staticmethod
    def _put(path: Path, data: bytes) -> int:
        """Replace the file by a new inode (the old one may be shared with the base); returns its mode."""
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o644
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, mode)
        if (
            path.suffix == ".py"
        ):  # a same-size edit within the same second would otherwise reuse the old bytecode
            for cached in glob.glob(
                os.path.join(path.parent, "__pycache__", glob.escape(path.stem) + ".*.pyc")
            ):
                os.unlink(cached)
        return mode

    def _changes(self) -> list[tuple[str, _Snap | None, _Snap | None]]:
        changes = []
        for rel in sorted(self._start):
            now = _snapshot(self.path / rel)
            if now != self._start[rel]:
                changes.append((rel, self._start[rel], now))
        return changes


def _snapshot(path: Path) -> _Snap | None:
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            return _Snap(os.fsencode(os.readlink(path)), 0o120000)
        return _Snap(path.read_bytes(), _git_mode(st.st_mode))
    except FileNotFoundError:
        return None


def _git_mode(mode: int) -> int:
    return 0o100755 if mode & stat.S_IXUSR else 0o100644


def _decode(rel: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{rel} is not UTF-8 text, so it cannot be read or edited as text.") from None


def _is_src_layout(files: set[str]) -> bool:
    return "src/__init__.py" not in files and any(f.startswith("src/") and f.endswith(".py") for f in files)


def _render(rel: str, old: _Snap | None, new: _Snap | None) -> str:
    """One file's section of a git-style diff, which `git apply` accepts."""
    a, b = _quote(f"a/{rel}"), _quote(f"b/{rel}")
    lines = [f"diff --git {a} {b}\n"]
    if old is None and new is not None:
        lines.append(f"new file mode {new.mode:o}\n")
    elif new is None and old is not None:
        lines.append(f"deleted file mode {old.mode:o}\n")
    elif old is not None and new is not None and old.mode != new.mode:
        lines += [f"old mode {old.mode:o}\n", f"new mode {new.mode:o}\n"]
    before, after = _text(old), _text(new)
    if before is None or after is None:
        return (
            "".join(lines)
            + f"Binary files {a if old else '/dev/null'} and {b if new else '/dev/null'} differ\n"
        )
    hunks = difflib.unified_diff(
        _split_lines(before), _split_lines(after), a if old else "/dev/null", b if new else "/dev/null", n=3
    )
    for line in hunks:
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def _text(snap: _Snap | None) -> str | None:
    """The snapshot as text ("" when absent); None when it is binary."""
    if snap is None:
        return ""
    if b"\0" in snap.data[:8000]:
        return None
    try:
        return snap.data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _split_lines(text: str) -> list[str]:
    """Lines split on "\\n" only (str.splitlines also splits on form feeds and separators git ignores)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _quote(name: str) -> str:
    """Quote a path the way git does when it holds a quote, a backslash, a tab or a newline."""
    if not any(char in name for char in '"\\\t\n'):
        return name
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'
