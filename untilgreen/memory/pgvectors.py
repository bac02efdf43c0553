"""Signature embeddings in PostgreSQL: a pgvector column with an HNSW index (cosine) over the signatures that
have a usable fix card.

A team store keeps the embedder that first wrote it: a member configured with another one uses the store's
(re-embedding everyone's signatures because one member changed a setting would be surprising), and is told so.
Without `prefilter`, every vector in scope is scanned exactly (the benchmark's reference). pgvector 0.6 has no
binary quantization (that came in 0.7), so the HNSW graph is the coarse step here, and the exact distances come
with it.
"""

from __future__ import annotations

from untilgreen.memory.embed import Embedder, embedder_for
from untilgreen.memory.postgres import MIGRATION_LOCK, PgDb

EF_SEARCH_MIN = 40
HNSW = "CREATE INDEX IF NOT EXISTS sig_emb_hnsw ON sig_emb USING hnsw (embedding vector_cosine_ops) WHERE has_fix"


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
        """Create the vector table for the store's embedder (or the current one, in a new store); never re-embeds."""
        with self.db.transaction():
            # queued like migrations: CREATE ... IF NOT EXISTS is not safe against a member doing it at once
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            self.adopt()
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS sig_emb(sig_id bigint PRIMARY KEY REFERENCES signatures(id) "
                f"ON DELETE CASCADE, project text NOT NULL, has_fix boolean NOT NULL, "
                f"embedding vector({self.embedder.dim}) NOT NULL)"
            )
            self.db.execute(HNSW)
            self.db.execute("CREATE INDEX IF NOT EXISTS sig_emb_project ON sig_emb(project) WHERE has_fix")
            for key, value in (("embedder_id", self.embedder.id), ("embedder_dim", str(self.embedder.dim))):
                self.db.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, value)
                )
        return False

    def add(self, sig_id: int, project: str, text: str) -> None:
        """Embed a new signature (inside the caller's transaction)."""
        self.db.execute(
            "INSERT INTO sig_emb(sig_id, project, has_fix, embedding) VALUES (?, ?, false, ?::vector)",
            (sig_id, project, literal(self.embedder.embed([text])[0])),
        )

    def set_has_fix(self, sig_id: int, has_fix: bool) -> None:
        self.db.execute("UPDATE sig_emb SET has_fix = ? WHERE sig_id = ?", (has_fix, sig_id))

    def query(self, text: str) -> str:
        return literal(self.embedder.embed([text])[0])

    def knn(self, query: str, k: int, project: str | None, *, prefilter: bool = True) -> dict[int, float]:
        """Cosine similarity of the `k` nearest signatures that have a fix, by signature id.

        With `prefilter`, the HNSW index answers; when a project scope leaves fewer than `k` of its candidates
        (the graph walk does not know the scope), the project's own vectors are scanned exactly instead.
        """
        scope, args = ("AND project = ?", (project,)) if project else ("", ())
        if prefilter:
            with self.db.transaction():
                self.db.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH_MIN, 4 * k)}")
                rows = self.db.execute(
                    f"SELECT sig_id, embedding <=> ?::vector AS d FROM sig_emb WHERE has_fix {scope} "
                    "ORDER BY d LIMIT ?",
                    (query, *args, k),
                ).fetchall()
            if len(rows) >= k or not project:
                return {sig_id: 1.0 - d for sig_id, d in rows}
        rows = self.db.execute(  # "+ 0" keeps the planner off the HNSW index: an exact scan
            f"SELECT sig_id, (embedding <=> ?::vector) + 0 AS d FROM sig_emb WHERE has_fix {scope} "
            "ORDER BY d LIMIT ?",
            (query, *args, k),
        ).fetchall()
        return {sig_id: 1.0 - d for sig_id, d in rows}

    def similarity(self, query: str, sig_ids: list[int]) -> dict[int, float]:
        if not sig_ids:
            return {}
        rows = self.db.execute(
            "SELECT sig_id, embedding <=> ?::vector FROM sig_emb WHERE sig_id = ANY(?)", (query, sig_ids)
        ).fetchall()
        return {sig_id: 1.0 - d for sig_id, d in rows}


def literal(vector: list[float]) -> str:
    """pgvector's text form of a vector."""
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"
