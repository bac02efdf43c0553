"""The persisted chunk index: one SQLite database per project (files, chunks, and an FTS5 table for BM25), and
an in-memory layer of unsaved buffers (overlays) that only this connection sees."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import sqlean as sqlite3  # the stdlib module here cannot load extensions; sqlean has FTS5 built in

from untilgreen.context import bm25
from untilgreen.context.batch import Chunked
from untilgreen.context.model import Chunk

_SCHEMA_VERSION = "1"
_COLUMNS = "id, path, symbol, kind, start, end, text, header, skeleton"
_FTS_WEIGHTS = (3.0, 1.0)  # BM25 column weights: symbol, body
_BM25 = f"bm25(chunks_fts, {', '.join(map(str, _FTS_WEIGHTS))})"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
                                  hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL,
                                   symbol TEXT NOT NULL, kind TEXT NOT NULL, start INTEGER NOT NULL,
                                   end INTEGER NOT NULL, text TEXT NOT NULL, header TEXT NOT NULL,
                                   skeleton TEXT NOT NULL, name TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_id ON chunks(id);
CREATE INDEX IF NOT EXISTS chunks_path ON chunks(path);
CREATE INDEX IF NOT EXISTS chunks_name ON chunks(name);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(symbol, body);
"""


def _fingerprint() -> str:
    """Changes when the schema or a query file changes, so an old index is rebuilt, never misread."""
    digest = hashlib.sha256(_SCHEMA_VERSION.encode())
    for query in sorted(resources.files("untilgreen.context").joinpath("queries").iterdir(), key=str):
        digest.update(query.read_bytes())
    return digest.hexdigest()[:16]


class Store:
    """The database holds the files as they are on disk, keyed by content hash, and nothing else.

    Unsaved buffers are an overlay layer of this object (`set_overlays`): chunked in memory, never written. Every
    read method shows an overlaid file's chunks in place of its stored ones; other connections to the same
    database (another process indexing the same project with other buffers) and the next open see the disk only.
    """

    def __init__(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(db_path), timeout=10.0)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        with self.db:
            self.db.executescript(_SCHEMA)
            fingerprint = _fingerprint()
            row = self.db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:
                self.db.executescript("DELETE FROM files; DELETE FROM chunks; DELETE FROM chunks_fts;")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        self._overlays: dict[str, list[Chunk]] = {}
        self._overlay_ids: dict[str, Chunk] = {}
        self._overlay_fts: list[tuple[Chunk, bm25.Document, set[str]]] = []

    def set_overlays(self, files: Mapping[str, Chunked]) -> None:
        """Show these files (path -> chunks of an unsaved buffer) in place of their stored chunks."""
        self._overlays = {path: sorted(c.chunks, key=lambda c: c.start) for path, c in files.items()}
        self._overlay_ids = {c.id: c for chunks in self._overlays.values() for c in chunks}
        self._overlay_fts = [
            (chunk, bm25.Document.of(symbol, body), {*symbol.split(), *body.split()})
            for chunked in files.values()
            for chunk, (symbol, body) in zip(chunked.chunks, chunked.fts)
        ]

    def close(self) -> None:
        self.db.close()

    def files(self) -> dict[str, tuple[int, int, str]]:
        """The stored files (overlays aside): path -> (mtime_ns, size, hash)."""
        return {
            p: (m, s, h) for p, m, s, h in self.db.execute("SELECT path, mtime_ns, size, hash FROM files")
        }

    def paths(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT path FROM files")} | self._overlays.keys()

    def replace_file(
        self,
        path: str,
        mtime_ns: int,
        size: int,
        digest: str,
        chunks: Sequence[Chunk],
        fts: Sequence[tuple[str, str]],
    ) -> None:
        """Replace a file's chunks; `fts` holds each chunk's (symbol words, body words) for BM25."""
        self._delete_chunks(path)
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (path, mtime_ns, size, digest))
        (first,) = self.db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM chunks").fetchone()
        self.db.executemany(
            f"INSERT INTO chunks (rowid, {_COLUMNS}, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    first + i,
                    c.id,
                    c.path,
                    c.symbol,
                    c.kind,
                    c.start,
                    c.end,
                    c.text,
                    c.header,
                    c.skeleton,
                    c.name,
                )
                for i, c in enumerate(chunks)
            ],
        )
        self.db.executemany(
            "INSERT INTO chunks_fts (rowid, symbol, body) VALUES (?, ?, ?)",
            [(first + i, symbol, body) for i, (symbol, body) in enumerate(fts)],
        )

    def touch(self, path: str, mtime_ns: int, size: int) -> None:
        self.db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?", (mtime_ns, size, path))

    def remove_file(self, path: str) -> None:
        self._delete_chunks(path)
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))

    def _delete_chunks(self, path: str) -> None:
        self.db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE path = ?)", (path,)
        )
        self.db.execute("DELETE FROM chunks WHERE path = ?", (path,))

    def chunks(self, path: str | None = None) -> list[Chunk]:
        if path in self._overlays:
            return list(self._overlays[path])
        if path is None:
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM chunks ORDER BY path, start")
        else:
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM chunks WHERE path = ? ORDER BY start", (path,))
        if path is not None or not self._overlays:
            return [_chunk(row) for row in rows]
        return sorted(self._shown(rows) + list(self._overlay_ids.values()), key=lambda c: (c.path, c.start))

    def chunks_by_id(self, ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(ids)
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join("?" * len(batch))
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM chunks WHERE id IN ({marks})", batch)
            found.update((c.id, c) for c in self._shown(rows))
        found.update((i, self._overlay_ids[i]) for i in ids if i in self._overlay_ids)
        return found

    def chunks_named(self, name: str) -> list[Chunk]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM chunks WHERE name = ?", (name,))
        return self._shown(rows) + [c for c in self._overlay_ids.values() if c.name == name]

    def chunk_ids_for_symbol(self, symbol: str) -> list[str]:
        rows = self.db.execute("SELECT id, path FROM chunks WHERE symbol = ?", (symbol,))
        stored = [cid for cid, path in rows if path not in self._overlays]
        return stored + [c.id for c in self._overlay_ids.values() if c.symbol == symbol]

    def _shown(self, rows: Iterable[tuple[Any, ...]]) -> list[Chunk]:
        """Stored chunk rows, less those of overlaid files."""
        return [_chunk(row) for row in rows if row[1] not in self._overlays]

    def search(self, terms: Sequence[str], limit: int = 50) -> list[tuple[str, float, list[str], str]]:
        """BM25 over chunk symbols (weighted 3x) and bodies: (chunk id, score > 0, terms it matched, kind).

        Overlay chunks take part in the ranking: the stored chunks of overlaid files are left out of the FTS5
        query, and the overlay chunks are scored in Python on the same scale (see `bm25`).
        """
        terms = [t for t in dict.fromkeys(terms) if t.isidentifier()]
        if not terms:
            return []
        shadowed = list(self._overlays)
        marks = ", ".join("?" * len(shadowed))
        rows = self.db.execute(
            f"SELECT c.id, -{_BM25}, chunks_fts.symbol || ' ' || chunks_fts.body, c.kind "
            "FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            f"WHERE chunks_fts MATCH ? {f'AND c.path NOT IN ({marks})' if shadowed else ''} "
            f"ORDER BY {_BM25} LIMIT ?",
            (_query(terms), *shadowed, limit),
        ).fetchall()
        wanted = set(terms)
        hits = [(cid, score, sorted(wanted & set(text.split())), kind) for cid, score, text, kind in rows]
        if self._overlay_fts:
            hits = sorted(hits + self._overlay_hits(terms), key=lambda hit: -hit[1])[:limit]
        return hits

    def _overlay_hits(self, terms: list[str]) -> list[tuple[str, float, list[str], str]]:
        phrases = [bm25.tokens(t) for t in terms]
        matches = [
            (chunk, document, words, freqs)
            for chunk, document, words in self._overlay_fts
            if any(freqs := [document.frequency(p, _FTS_WEIGHTS) for p in phrases])
        ]
        if not matches:
            return []
        rows, length = self._fts_totals()
        average = length / rows if rows else 0.0
        idfs = [
            bm25.idf(rows, self._fts_rows_matching(term)) if any(m[3][i] for m in matches) else 0.0
            for i, term in enumerate(terms)
        ]
        wanted = set(terms)
        return [
            (chunk.id, bm25.score(freqs, idfs, document.length, average), sorted(wanted & words), chunk.kind)
            for chunk, document, words, freqs in matches
        ]

    def _fts_totals(self) -> tuple[int, int]:
        """(rows, tokens in all columns) of the FTS5 table: its "averages" record (id 1 of its data table),
        a varint row count then each column's token total, which is what bm25() reads."""
        row = self.db.execute("SELECT block FROM chunks_fts_data WHERE id = 1").fetchone()
        values = bm25.varints(row[0]) if row and row[0] else [0]
        return values[0], sum(values[1:])

    def _fts_rows_matching(self, term: str) -> int:
        query = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
        count: int = self.db.execute(query, (_query([term]),)).fetchone()[0]
        return count


def _query(terms: Sequence[str]) -> str:
    """An FTS5 query for any of `terms`, each a phrase of its tokens."""
    return " OR ".join(f'"{t}"' for t in terms)


def _chunk(row: tuple[Any, ...]) -> Chunk:
    cid, path, symbol, kind, start, end, text, header, skeleton = row
    return Chunk(
        id=cid,
        path=path,
        symbol=symbol,
        kind=kind,
        start=int(start),
        end=int(end),
        text=text,
        header=header,
        skeleton=skeleton,
    )
