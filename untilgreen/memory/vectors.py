"""Signature embeddings: a binary-quantized vec0 index for a coarse KNN, float vectors for the re-rank.

`sig_vec` (vec0) holds `bit[dim]` codes partitioned by project, with a `has_fix` metadata column so recall
only scans signatures that have a usable fix card. `sig_emb` holds the float vectors (re-rank, and the
float-only scan `knn(..., prefilter=False)` that the benchmark reports beside it). Both depend on the
embedder, so they live outside the migrations: when the stored embedder id or dimension differs from the
current one, they are rebuilt and every signature is embedded again.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from sqlite_vec import serialize_float32

from untilgreen.memory.backend import NewSignature
from untilgreen.memory.db import transaction
from untilgreen.memory.embed import Embedder

PREFILTER_FACTOR = 4
PREFILTER_MIN = 20
_REEMBED_BATCH = 256


class Vectors:
    def __init__(self, conn: Any, embedder: Embedder) -> None:
        self.conn = conn
        self.embedder = embedder

    def ensure(self) -> bool:
        """Create or rebuild the vector tables for the current embedder; True when it re-embedded."""
        meta = dict(self.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'embedder_%'").fetchall())
        wanted = {"embedder_id": self.embedder.id, "embedder_dim": str(self.embedder.dim)}
        if meta == wanted:
            return False
        with transaction(self.conn):
            self.conn.execute("DROP TABLE IF EXISTS sig_vec")
            self.conn.execute("DROP TABLE IF EXISTS sig_emb")
            self.conn.execute(
                "CREATE VIRTUAL TABLE sig_vec USING vec0(sig_id INTEGER PRIMARY KEY, "
                f"project TEXT PARTITION KEY, has_fix INTEGER, code BIT[{self.embedder.dim}])"
            )
            self.conn.execute(
                "CREATE TABLE sig_emb(sig_id INTEGER PRIMARY KEY, project TEXT NOT NULL, "
                "has_fix INTEGER NOT NULL, embedding BLOB NOT NULL)"
            )
            rows = self.conn.execute(
                "SELECT s.id, s.project, s.text, EXISTS(SELECT 1 FROM fix_cards c WHERE c.signature_id = s.id "
                "AND c.status != 'rejected') FROM signatures s"
            ).fetchall()
            for start in range(0, len(rows), _REEMBED_BATCH):
                batch = rows[start : start + _REEMBED_BATCH]
                vectors = self.embedder.embed([r[2] for r in batch])
                for (sig_id, project, _, has_fix), vec in zip(batch, vectors):
                    self._insert(sig_id, project, bool(has_fix), vec)
            for key, value in wanted.items():
                self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        return bool(meta)

    def add(self, rows: Sequence[NewSignature]) -> None:
        """Embed new signatures (inside the caller's transaction)."""
        if not rows:
            return
        for (sig_id, project, _, has_fix), vec in zip(rows, self.embedder.embed([r[2] for r in rows])):
            self._insert(sig_id, project, has_fix, vec)

    def _insert(self, sig_id: int, project: str, has_fix: bool, vec: list[float]) -> None:
        blob = serialize_float32(vec)
        self.conn.execute(
            "INSERT INTO sig_vec(sig_id, project, has_fix, code) VALUES (?, ?, ?, vec_quantize_binary(vec_f32(?)))",
            (sig_id, project, int(has_fix), blob),
        )
        self.conn.execute(
            "INSERT INTO sig_emb(sig_id, project, has_fix, embedding) VALUES (?, ?, ?, ?)",
            (sig_id, project, int(has_fix), blob),
        )

    def set_has_fix(self, sig_ids: Sequence[int], has_fix: bool) -> None:
        for sig_id in sig_ids:
            self.conn.execute("UPDATE sig_vec SET has_fix = ? WHERE sig_id = ?", (int(has_fix), sig_id))
            self.conn.execute("UPDATE sig_emb SET has_fix = ? WHERE sig_id = ?", (int(has_fix), sig_id))

    def bulk(self, cards: int) -> nullcontext[None]:
        """Nothing to do: a vec0 table has no graph to rebuild."""
        return nullcontext()

    def build_index(self) -> bool:
        """Nothing to build: vec0 tables are scanned."""
        return False

    def remove(self, sig_id: int) -> None:
        self.conn.execute("DELETE FROM sig_vec WHERE sig_id = ?", (sig_id,))
        self.conn.execute("DELETE FROM sig_emb WHERE sig_id = ?", (sig_id,))

    def query(self, text: str) -> bytes:
        blob: bytes = serialize_float32(self.embedder.embed([text])[0])
        return blob

    def knn(self, query: bytes, k: int, project: str | None, *, prefilter: bool = True) -> dict[int, float]:
        """Cosine similarity of the `k` nearest signatures that have a fix, by signature id.

        With `prefilter`, a Hamming KNN over the bit codes picks `max(4k, 20)` candidates that are re-ranked on
        the float vectors; without it, every float vector in scope is scanned.
        """
        scope, args = ("AND project = ?", (project,)) if project else ("", ())
        if not prefilter:
            rows = self.conn.execute(
                "SELECT sig_id, vec_distance_cosine(embedding, ?) AS d FROM sig_emb "
                f"WHERE has_fix = 1 {scope} ORDER BY d LIMIT ?",
                (query, *args, k),
            ).fetchall()
            return {sig_id: 1.0 - d for sig_id, d in rows}
        coarse = self.conn.execute(
            "SELECT sig_id FROM sig_vec WHERE code MATCH vec_quantize_binary(vec_f32(?)) AND k = ? "
            f"AND has_fix = 1 {scope}",
            (query, max(PREFILTER_FACTOR * k, PREFILTER_MIN), *args),
        ).fetchall()
        ranked = sorted(self.similarity(query, [r[0] for r in coarse]).items(), key=lambda kv: -kv[1])
        return dict(ranked[:k])

    def similarity(self, query: bytes, sig_ids: list[int]) -> dict[int, float]:
        if not sig_ids:
            return {}
        marks = ",".join("?" * len(sig_ids))
        rows = self.conn.execute(
            f"SELECT sig_id, vec_distance_cosine(embedding, ?) FROM sig_emb WHERE sig_id IN ({marks})",
            (query, *sig_ids),
        ).fetchall()
        return {sig_id: 1.0 - d for sig_id, d in rows}
