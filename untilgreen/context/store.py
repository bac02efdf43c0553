"""The persisted chunk index: one SQLite database per project (files, chunks, and an FTS5 table for BM25)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import sqlean as sqlite3  # the stdlib module here cannot load extensions; sqlean has FTS5 built in

from untilgreen.context.model import Chunk

_SCHEMA_VERSION = "1"
_COLUMNS = "id, path, symbol, kind, start, end, text, header, skeleton"
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

    def close(self) -> None:
        self.db.close()

    def files(self) -> dict[str, tuple[int, int, str]]:
        """path -> (mtime_ns, size, hash); mtime_ns is -1 for a file last indexed from an overlay."""
        return {
            p: (m, s, h) for p, m, s, h in self.db.execute("SELECT path, mtime_ns, size, hash FROM files")
        }

    def paths(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT path FROM files")}

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
        if path is None:
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM chunks ORDER BY path, start")
        else:
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM chunks WHERE path = ? ORDER BY start", (path,))
        return [_chunk(row) for row in rows]

    def chunks_by_id(self, ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(ids)
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join("?" * len(batch))
            for row in self.db.execute(f"SELECT {_COLUMNS} FROM chunks WHERE id IN ({marks})", batch):
                found[row[0]] = _chunk(row)
        return found

    def chunks_named(self, name: str) -> list[Chunk]:
        return [
            _chunk(row) for row in self.db.execute(f"SELECT {_COLUMNS} FROM chunks WHERE name = ?", (name,))
        ]

    def chunk_ids_for_symbol(self, symbol: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM chunks WHERE symbol = ?", (symbol,))]

    def search(self, terms: Sequence[str], limit: int = 50) -> list[tuple[str, float, list[str], str]]:
        """BM25 over chunk symbols (weighted 3x) and bodies: (chunk id, score > 0, terms it matched, kind)."""
        terms = [t for t in dict.fromkeys(terms) if t.isidentifier()]
        if not terms:
            return []
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = self.db.execute(
            "SELECT c.id, -bm25(chunks_fts, 3.0, 1.0), chunks_fts.symbol || ' ' || chunks_fts.body, c.kind "
            "FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts, 3.0, 1.0) LIMIT ?",
            (query, limit),
        ).fetchall()
        wanted = set(terms)
        return [(cid, score, sorted(wanted & set(text.split())), kind) for cid, score, text, kind in rows]


def _chunk(row: tuple) -> Chunk:
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
