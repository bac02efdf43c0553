"""The per-project index: files are content-hashed and only changed ones re-chunked, and persist so the next run
starts warm. Unsaved buffers (overlays) are chunked in memory for this Index only and shown in place of their
file's stored chunks; the database only ever holds the files as they are on disk."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import platformdirs

from untilgreen.context.batch import Chunked, chunk_all
from untilgreen.context.languages import EXTENSIONS
from untilgreen.context.localize import rank
from untilgreen.context.model import Chunk, Context, Hint
from untilgreen.context.pack import pack
from untilgreen.context.store import Store
from untilgreen.context.tokens import approx_tokens
from untilgreen.sandbox.results import TestReport

_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "build", "dist"})
MAX_FILE_BYTES = 1_000_000  # larger files are generated or vendored bundles, not code to fix


def default_cache_dir(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("untilgreen")) / "index" / key


class Index:
    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self.stats = {"chunked": 0, "unchanged": 0, "removed": 0}
        self.overlays: dict[str, str] = {}
        self._overlaid: dict[str, tuple[str, Chunked]] = {}  # path -> (hash, chunks) of the buffers shown

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
        """Re-chunk and store what changed on disk since the last refresh (by mtime and size, then by content
        hash), then chunk `overlays` in memory and show them in place of their files (replacing earlier ones)."""
        texts = {rel: t for p, t in (overlays or {}).items() if (rel := self._relative(p)) is not None}
        on_disk = self._scan()
        known = self.store.files()
        self.stats = {"chunked": 0, "unchanged": 0, "removed": 0}
        with self.store.db:
            for path in known.keys() - on_disk.keys():
                self.store.remove_file(path)
                self.stats["removed"] += 1
            changed = [
                item for path, stat in on_disk.items() if (item := self._changed(path, stat, known.get(path)))
            ]
            sources = [(path, source) for path, _, _, source in changed]
            for (path, stat, digest, _), chunked in zip(changed, chunk_all(sources)):
                self.store.replace_file(path, *stat, digest, chunked.chunks, chunked.fts)
                self.stats["chunked"] += 1
        self._overlay(texts)

    def _overlay(self, texts: dict[str, str]) -> None:
        """Chunk the buffers that differ from the stored file (a saved buffer needs no overlay); a buffer
        unchanged since the last refresh keeps its chunks."""
        stored = self.store.files() if texts else {}
        previous, self._overlaid = self._overlaid, {}
        todo: list[tuple[str, str]] = []
        for path, text in texts.items():
            digest = _digest(text.encode("utf-8", errors="surrogatepass"))
            if path in stored and stored[path][2] == digest:
                continue
            if path in previous and previous[path][0] == digest:
                self._overlaid[path] = previous[path]
            else:
                todo.append((path, digest))
        for (path, digest), chunked in zip(todo, chunk_all([(path, texts[path]) for path, _ in todo])):
            self._overlaid[path] = (digest, chunked)
        self.overlays = texts
        self.store.set_overlays({path: chunked for path, (_, chunked) in self._overlaid.items()})

    def _changed(
        self, path: str, stat: tuple[int, int], known: tuple[int, int, str] | None
    ) -> tuple[str, tuple[int, int], str, str] | None:
        """(path, (mtime_ns, size), hash, source) of a file to re-chunk; None when it is unchanged."""
        if known is not None and known[:2] == stat:
            self.stats["unchanged"] += 1
            return None
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            return None
        digest = _digest(data)
        if known is not None and known[2] == digest:
            self.store.touch(path, *stat)
            self.stats["unchanged"] += 1
            return None
        return path, stat, digest, data.decode("utf-8", errors="replace")

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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
