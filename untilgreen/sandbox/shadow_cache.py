"""The base shadow: one synced copy of each project in the user cache, from which workspaces are hard-linked.

Workspaces link their unchanged files to inodes of the base (never of the user's tree), so a base file is
never rewritten in place: a changed file is written to a new inode and renamed over the old one. A test run in
a workspace may still write through such a link; the manifest records each base file's stat after it was
written, and a base file whose stat no longer matches is copied again from the project.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import platformdirs

from untilgreen.errors import UserError
from untilgreen.sandbox.file_listing import link_target_inside

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1
STALE_RUN_S = 24 * 3600
# A source file modified this recently may change again within one timestamp tick: hash it again next time.
RACY_NS = 2_000_000_000

StatKey = list[int]  # [size, mtime_ns, mode]; a list so that it compares equal after a JSON round trip


@dataclass
class SyncResult:
    files: list[str]  # what the base now holds, sorted
    copied: list[str]  # copied (or re-linked) from the project in this sync
    removed: list[str]  # gone from the project, removed from the base


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("untilgreen")) / "shadows"


def atomic_write(path: str | Path, data: bytes, mode: int) -> os.stat_result:
    """Replace `path` by a new inode holding `data`, so no hard link to the old inode sees the change.

    Returns the new file's stat (renaming does not change its size or mtime).
    """
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".untilgreen-")
    try:
        written = _write_and_close(fd, data, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return written


def _write_and_close(fd: int, data: bytes, mode: int) -> os.stat_result:
    with open(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fchmod(fd, mode)
        return os.fstat(fd)


def clone_tree(src: Path, dest: Path, files: Iterable[str], copy: Collection[str] = ()) -> list[str]:
    """Fill `dest` with `files` from `src`: hard links (symlinks linked as symlinks), real copies for `copy`.

    Files missing from `src` are left out; returns the ones cloned.
    """
    cloned: list[str] = []
    made = _Folders(str(dest))
    source, target = f"{src}/", f"{dest}/"
    for rel in files:
        made.ensure_parent(rel)
        try:
            if rel in copy:
                shutil.copy2(source + rel, target + rel, follow_symlinks=False)
            else:
                os.link(source + rel, target + rel, follow_symlinks=False)
        except FileNotFoundError:
            continue
        cloned.append(rel)
    return cloned


class _Folders:
    """Creates the parent folders of relative paths below `top`, each once."""

    def __init__(self, top: str) -> None:
        self.top = top
        self.made: set[str] = set()

    def ensure_parent(self, rel: str) -> None:
        parent = rel.rpartition("/")[0]
        if parent not in self.made:
            os.makedirs(f"{self.top}/{parent}", exist_ok=True)
            self.made.add(parent)


def remove_tree(path: Path) -> None:
    """Remove `path`, also when a test run left read-only folders in it; warn if something stays."""
    top = str(path)

    def make_writable_and_retry(func: object, failed: str, _: object) -> None:
        with suppress(OSError):
            if failed != top:  # never touch anything outside `path`
                os.chmod(os.path.dirname(failed), 0o700)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, 0o700)
                shutil.rmtree(failed, ignore_errors=True)
            else:
                os.unlink(failed)

    if not os.path.lexists(path):
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=make_writable_and_retry)
    else:
        shutil.rmtree(path, onerror=make_writable_and_retry)
    if os.path.lexists(path):
        logger.warning("Could not remove the shadow directory %s completely.", path)


class BaseShadow:
    """The base copy of one project (keyed by its resolved path) under `cache_dir`, with manifest and lock."""

    def __init__(self, cache_dir: Path, root: Path) -> None:
        self.root = root.resolve()
        digest = hashlib.sha256(os.fsencode(self.root)).hexdigest()[:16]
        self.dir = cache_dir / f"{self.root.name or 'root'}-{digest}"
        self.base = self.dir / "base"
        self._root, self._base = f"{self.root}/", f"{self.base}/"
        self._manifest = self.dir / "manifest.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the project's lock (fcntl), so two runs never sync or clone the same base at once."""
        try:
            self.base.mkdir(parents=True, exist_ok=True)
            lock = open(self.dir / "lock", "ab")  # noqa: SIM115 - closed below, which also releases the lock
        except OSError as err:
            raise UserError(
                f"Cannot use the shadow cache {self.dir} ({err.strerror}); make it writable."
            ) from err
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def workspace_parent(self) -> Path:
        """Where workspaces go: the temp folder, or the cache when hard links cannot reach the temp folder."""
        temp = Path(tempfile.gettempdir())
        if os.stat(temp).st_dev == os.stat(self.base).st_dev:
            return temp
        runs = self.dir / "runs"
        runs.mkdir(exist_ok=True)
        for left in runs.iterdir():  # left behind by a killed run
            with suppress(FileNotFoundError):
                if left.stat().st_mtime < time.time() - STALE_RUN_S:
                    remove_tree(left)
        return runs

    def sync(self, files: Iterable[str]) -> SyncResult:
        """Bring the base in line with the project's `files`; call it while holding `locked()`."""
        old = self._load()
        files = list(files)
        # Removed first: a path that changes kind (file, folder, symlink) must be free before it is written.
        removed = sorted((old.files.keys() | old.links.keys()) - set(files))
        for rel in removed:
            with suppress(FileNotFoundError):
                os.unlink(self._base + rel)
        new = _Manifest()
        copied: list[str] = []
        folders = _Folders(str(self.base))
        started_ns = time.time_ns()
        for rel in files:
            try:
                src = os.lstat(self._root + rel)
            except FileNotFoundError:
                continue
            if stat.S_ISREG(src.st_mode):
                new.files[rel], changed = self._sync_file(rel, src, old.files.get(rel), started_ns, folders)
            elif stat.S_ISLNK(src.st_mode) and (target := link_target_inside(self.root, rel)) is not None:
                new.links[rel], changed = target, self._sync_link(rel, target, folders)
            else:
                continue
            if changed:
                copied.append(rel)
        self._save(new)
        return SyncResult(sorted(new.files.keys() | new.links.keys()), copied, removed)

    def _sync_file(
        self, rel: str, src: os.stat_result, entry: _Entry | None, started_ns: int, folders: _Folders
    ) -> tuple[_Entry, bool]:
        """The manifest entry for a regular file, and whether it had to be copied."""
        target = self._base + rel
        base = _lstat(target)
        base_intact = entry is not None and base is not None and entry.base == _key(base)
        if entry is not None and base_intact and entry.source == _key(src):
            return entry, False
        try:
            with open(self._root + rel, "rb") as fh:
                data = fh.read()
        except OSError as err:
            raise UserError(
                f"Cannot read {rel} in the project ({err.strerror}); fix its permissions and retry."
            ) from err
        digest = hashlib.sha256(data).hexdigest()
        source_key = None if src.st_mtime_ns > started_ns - RACY_NS else _key(src)
        if entry is not None and base_intact and entry.sha256 == digest and entry.source_mode == src.st_mode:
            return _Entry(source_key, entry.base, digest), False
        mode = stat.S_IMODE(src.st_mode)
        if base is None:  # a free path: no inode to protect, so write it in place
            folders.ensure_parent(rel)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            written = _write_and_close(fd, data, mode)
        else:
            if stat.S_ISDIR(base.st_mode):  # it was a folder before
                shutil.rmtree(target)
            written = atomic_write(target, data, mode)
        return _Entry(source_key, _key(written), digest), True

    def _sync_link(self, rel: str, target: str, folders: _Folders) -> bool:
        """Make the base's `rel` a symlink to `target`; True when it was not one already."""
        link = self._base + rel
        with suppress(OSError):
            if os.readlink(link) == target:
                return False
        folders.ensure_parent(rel)
        if os.path.isdir(link) and not os.path.islink(link):  # it was a folder before
            shutil.rmtree(link)
        with suppress(FileNotFoundError):
            os.unlink(link)
        os.symlink(target, link)
        return True

    def _load(self) -> _Manifest:
        try:
            data = json.loads(self._manifest.read_bytes())
            if data["version"] != MANIFEST_VERSION:
                return _Manifest()
            return _Manifest({rel: _Entry(*item) for rel, item in data["files"].items()}, data["links"])
        except (OSError, ValueError, KeyError, TypeError):
            return _Manifest()

    def _save(self, manifest: _Manifest) -> None:
        payload = {
            "version": MANIFEST_VERSION,
            "root": str(self.root),
            "files": manifest.files,
            "links": manifest.links,
        }
        atomic_write(self._manifest, json.dumps(payload, separators=(",", ":")).encode(), 0o644)


class _Entry(NamedTuple):
    """A regular file in the manifest (a JSON list on disk)."""

    source: StatKey | None  # the project file's stat when copied; None: hash it again next time
    base: StatKey  # the base file's stat right after it was written
    sha256: str

    @property
    def source_mode(self) -> int:
        return self.base[2]  # the base copy is written with the source's mode


@dataclass
class _Manifest:
    files: dict[str, _Entry] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # rel -> relative target


def _key(st: os.stat_result) -> StatKey:
    return [st.st_size, st.st_mtime_ns, st.st_mode]


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
