"""Signature embeddings in PostgreSQL: float vectors (pgvector) for the exact cosine, and their binary-quantized
codes (PostgreSQL bit strings) for a project's coarse KNN.

Recall is scoped to one project almost always. An HNSW graph over every project cannot answer that: its walk
returns the nearest signatures of all projects and the scope then keeps one or two. So, as in the SQLite store, a
project's candidates come from the Hamming distance of `bit(dim)` codes in a narrow table (`sig_bits`, about 50
bytes a row, so a project's rows are a few pages), and are re-ranked on the float vectors. pgvector 0.6 has no
binary quantization of its own (0.7 added it), so the codes are computed here, with sqlite-vec's rule (x > 0).
Recall across projects, and free-text search, use the HNSW index (cosine, partial on `has_fix`).

A team store keeps the embedder that first wrote it: a member configured with another one uses the store's
(re-embedding everyone's signatures because one member changed a setting would be surprising), and is told so.
Without `prefilter`, every vector in scope is scanned exactly (the benchmark's reference).
"""

from __future__ import annotations

from dataclasses import dataclass

from untilgreen.memory.embed import Embedder, embedder_for
from untilgreen.memory.postgres import MIGRATION_LOCK, PgDb

EF_SEARCH_MIN = 40
PREFILTER_FACTOR = 4
PREFILTER_MIN = 20
# ef_construction 32 instead of 64: inserts about five times faster, and the graph serves only cross-project
# recall and search, whose candidates are re-scored anyway.
HNSW = (
    "CREATE INDEX sig_emb_hnsw ON sig_emb USING hnsw (embedding vector_cosine_ops) "
    "WITH (m = 16, ef_construction = 32) WHERE has_fix"
)


@dataclass(frozen=True)
class Query:
    vector: str  # pgvector's text form
    code: str  # the binary-quantized code, as a bit string literal


class PgVectors:
    def __init__(self, db: PgDb, embedder: Embedder) -> None:
        self.db = db
        self.embedder = embedder
        self.notice = ""  # set when the configured embedder is not the store's

    def adopt(self) -> None:
        """Use the embedder the store was written with, if it has one (a notice says so when it differs)."""
        rows = self.db.execute("SELECT key, value FROM meta WHERE key IN ('embedder_id', 'embedder_dim')")
        stored = dict(rows.fetchall())
        if stored.get("embedder_id") and stored["embedder_id"] != self.embedder.id:
            self.notice = (
                f"The team memory uses the embedder {stored['embedder_id']}; memory.embedder "
                f"{self.embedder.id} is not used with it."
            )
            self.embedder = embedder_for(stored["embedder_id"])

    def ensure(self) -> bool:
        """Create the vector tables for the store's embedder (or the current one, in a new store); never re-embeds."""
        if self._exists():
            self.adopt()
            return False
        with self.db.transaction():
            # queued like migrations: CREATE ... IF NOT EXISTS is not safe against a member doing it at once
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            self.adopt()
            if self._exists():
                return False
            dim = self.embedder.dim
            for statement in (
                "CREATE TABLE sig_emb(sig_id bigint PRIMARY KEY REFERENCES signatures(id) ON DELETE CASCADE, "
                f"project text NOT NULL, has_fix boolean NOT NULL, embedding vector({dim}) NOT NULL)",
                HNSW,
                "CREATE TABLE sig_bits(sig_id bigint PRIMARY KEY REFERENCES signatures(id) ON DELETE CASCADE, "
                f"project text NOT NULL, has_fix boolean NOT NULL, code bit({dim}) NOT NULL)",
                "CREATE INDEX sig_bits_project ON sig_bits(project) WHERE has_fix",
            ):
                self.db.execute(statement)
            for key, value in (("embedder_id", self.embedder.id), ("embedder_dim", str(dim))):
                self.db.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, value)
                )
        return False

    def _exists(self) -> bool:
        """Whether the tables are there (checked without a lock: DDL would wait for every open write)."""
        return bool(self.db.execute("SELECT to_regclass('sig_bits') IS NOT NULL").fetchone()[0])

    def add(self, sig_id: int, project: str, text: str, has_fix: bool = False) -> None:
        """Embed a new signature (inside the caller's transaction)."""
        query = self.query(text)
        self.db.execute(
            "INSERT INTO sig_emb(sig_id, project, has_fix, embedding) VALUES (?, ?, ?, ?::vector)",
            (sig_id, project, has_fix, query.vector),
        )
        self.db.execute(
            f"INSERT INTO sig_bits(sig_id, project, has_fix, code) VALUES (?, ?, ?, ?::bit({self.embedder.dim}))",
            (sig_id, project, has_fix, query.code),
        )

    def set_has_fix(self, sig_id: int, has_fix: bool) -> None:
        """Only rows that change are written: each update of `sig_emb` is a new entry in the HNSW graph."""
        for table in ("sig_emb", "sig_bits"):
            self.db.execute(
                f"UPDATE {table} SET has_fix = ? WHERE sig_id = ? AND has_fix <> ?",
                (has_fix, sig_id, has_fix),
            )

    def query(self, text: str) -> Query:
        vector = self.embedder.embed([text])[0]
        return Query(literal(vector), "".join("1" if x > 0 else "0" for x in vector))

    def knn(self, query: Query, k: int, project: str | None, *, prefilter: bool = True) -> dict[int, float]:
        """Cosine similarity of the `k` nearest signatures that have a fix, by signature id.

        With `prefilter`: in a project, a Hamming KNN over the codes picks `max(4k, 20)` candidates that are
        re-ranked on the float vectors; across projects, the HNSW index answers. Without it, every float vector
        in scope is scanned.
        """
        if prefilter and project:
            coarse = self.db.execute(
                f"SELECT sig_id FROM sig_bits WHERE project = ? AND has_fix "
                f"ORDER BY bit_count(code # ?::bit({self.embedder.dim})) LIMIT ?",
                (project, query.code, max(PREFILTER_FACTOR * k, PREFILTER_MIN)),
            ).fetchall()
            ranked = sorted(self.similarity(query, [r[0] for r in coarse]).items(), key=lambda kv: -kv[1])
            return dict(ranked[:k])
        scope, args = ("AND project = ?", (project,)) if project else ("", ())
        if prefilter:
            with self.db.transaction():
                self.db.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH_MIN, 4 * k)}")
                rows = self.db.execute(
                    "SELECT sig_id, embedding <=> ?::vector AS d FROM sig_emb WHERE has_fix ORDER BY d LIMIT ?",
                    (query.vector, k),
                ).fetchall()
        else:
            rows = self.db.execute(  # "+ 0" keeps the planner off the HNSW index: an exact scan
                f"SELECT sig_id, (embedding <=> ?::vector) + 0 AS d FROM sig_emb WHERE has_fix {scope} "
                "ORDER BY d LIMIT ?",
                (query.vector, *args, k),
            ).fetchall()
        return {sig_id: 1.0 - d for sig_id, d in rows}

    def similarity(self, query: Query, sig_ids: list[int]) -> dict[int, float]:
        if not sig_ids:
            return {}
        rows = self.db.execute(
            "SELECT sig_id, embedding <=> ?::vector FROM sig_emb WHERE sig_id = ANY(?)",
            (query.vector, sig_ids),
        ).fetchall()
        return {sig_id: 1.0 - d for sig_id, d in rows}


def literal(vector: list[float]) -> str:
    """pgvector's text form of a vector."""
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"
