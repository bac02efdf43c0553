"""The per-project index: files are content-hashed and only changed ones re-chunked; unsaved buffers
(overlays) are indexed in place of the file on disk; everything persists so the next run starts warm."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import platformdirs

from untilgreen.context.batch import chunk_all
from untilgreen.context.languages import EXTENSIONS
from untilgreen.context.localize import rank
from untilgreen.context.model import Chunk, Context, Hint
from untilgreen.context.pack import pack
from untilgreen.context.store import Store
from untilgreen.context.tokens import approx_tokens
from untilgreen.sandbox.results import TestReport

_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "build", "dist"})
MAX_FILE_BYTES = 1_000_000  # larger files are generated or vendored bundles, not code to fix
_OVERLAY_MTIME = -1  # marks a file indexed from an overlay, so the disk version is read again next time


def default_cache_dir(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("untilgreen")) / "index" / key


class Index:
    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self.stats = {"chunked": 0, "unchanged": 0, "removed": 0}
        self.overlays: dict[str, str] = {}

    @classmethod
    def for_root(
        cls, root: Path, *, overlays: Mapping[str, str] | None = None, cache_dir: Path | None = None
    ) -> Index:
        """Open (or build) the index of `root` and bring it up to date with the disk and the overlays.

        Overlay keys are paths relative to the root or absolute paths inside it.
        """
        root = Path(root).resolve()
        index = cls(root, Store((cache_dir or default_cache_dir(root)) / "index.sqlite3"))
        index.refresh(overlays)
        return index

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def refresh(self, overlays: Mapping[str, str] | None = None) -> None:
        """Re-chunk what changed since the last refresh (by mtime and size, then by content hash)."""
        texts = {rel: t for p, t in (overlays or {}).items() if (rel := self._relative(p)) is not None}
        self.overlays = texts
        on_disk = self._scan()
        known = self.store.files()
        self.stats = {"chunked": 0, "unchanged": 0, "removed": 0}
        with self.store.db:
            for path in known.keys() - on_disk.keys() - texts.keys():
                self.store.remove_file(path)
                self.stats["removed"] += 1
            changed = [
                item
                for path in on_disk.keys() | texts.keys()
                if (item := self._changed(path, on_disk.get(path, (0, 0)), known.get(path), texts.get(path)))
            ]
            sources = [(path, source) for path, _, _, source in changed]
            for (path, stat, digest, _), chunked in zip(changed, chunk_all(sources)):
                self.store.replace_file(path, *stat, digest, chunked.chunks, chunked.fts)
                self.stats["chunked"] += 1

    def _changed(
        self, path: str, stat: tuple[int, int], known: tuple[int, int, str] | None, text: str | None
    ) -> tuple[str, tuple[int, int], str, str] | None:
        """(path, (mtime_ns, size), hash, source) of a file to re-chunk; None when it is unchanged."""
        mtime_ns, size = (_OVERLAY_MTIME, len(text)) if text is not None else stat
        if known is not None and text is None and known[:2] == stat:
            self.stats["unchanged"] += 1
            return None
        if text is None:
            try:
                data = (self.root / path).read_bytes()
            except OSError:
                return None
        else:
            data = text.encode("utf-8", errors="surrogatepass")
        digest = hashlib.sha256(data).hexdigest()
        if known is not None and known[2] == digest:
            self.store.touch(path, mtime_ns, size)
            self.stats["unchanged"] += 1
            return None
        source = data.decode("utf-8", errors="replace") if text is None else text
        return path, (mtime_ns, size), digest, source

    def _relative(self, path: str) -> str | None:
        candidate = Path(path)
        if not candidate.is_absolute():
            return candidate.as_posix()
        try:
            return candidate.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def _scan(self) -> dict[str, tuple[int, int]]:
        """Source files under the root: relative posix path -> (mtime_ns, size)."""
        found: dict[str, tuple[int, int]] = {}
        stack = [self.root]
        while stack:
            directory = stack.pop()
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIP_DIRS and not entry.name.endswith(".egg-info"):
                        stack.append(Path(entry.path))
                elif os.path.splitext(entry.name)[1].lower() in EXTENSIONS and entry.is_file():
                    stat = entry.stat()
                    if stat.st_size <= MAX_FILE_BYTES:
                        found[Path(entry.path).relative_to(self.root).as_posix()] = (
                            stat.st_mtime_ns,
                            stat.st_size,
                        )
        return found

    def chunks(self, path: str | None = None) -> list[Chunk]:
        return self.store.chunks(path)

    def chunk(self, id: str) -> Chunk | None:  # noqa: A002 - the documented interface name
        return self.store.chunks_by_id([id]).get(id)

    def localize(
        self,
        report: TestReport,
        *,
        targets: Sequence[str] | None = None,
        hints: Sequence[Hint] = (),
        budget_tokens: int = 6000,
        tokenizer: Callable[[str], int] | None = None,
    ) -> Context:
        """Rank the chunks most likely to hold the bug behind `report`'s failures (or `targets`) and pack them."""
        ranked, tests = rank(self.store, report, targets, hints)
        return pack(ranked, tests, self.store.chunks, self._text, budget_tokens, tokenizer or approx_tokens)

    def _text(self, path: str) -> str | None:
        """A file's text as indexed: its overlay, else the disk."""
        if path in self.overlays:
            return self.overlays[path]
        try:
            return (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
