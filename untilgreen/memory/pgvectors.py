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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from untilgreen.memory.backend import NewSignature, chunks
from untilgreen.memory.embed import Embedder, embedder_for
from untilgreen.memory.postgres import MIGRATION_LOCK, PgDb

EF_SEARCH_MIN = 40
PREFILTER_FACTOR = 4
PREFILTER_MIN = 20
# ef_construction 32 instead of 64: inserts about five times faster, and the graph serves only cross-project
# recall and search, whose candidates are re-scored anyway.
HNSW_NAME = "sig_emb_hnsw"
HNSW = (
    f"CREATE INDEX {{how}} {HNSW_NAME} ON sig_emb USING hnsw (embedding vector_cosine_ops) "
    "WITH (m = 16, ef_construction = 32) WHERE has_fix"
)
# A batch of at least BULK_MIN cards, with at most BULK_RATIO times as many signatures already stored, is loaded
# without the graph, which is built afterwards: a graph insert costs about six times a row's share of a build.
BULK_MIN = 2_000
BULK_RATIO = 4
BUILD_MEM = "1GB"  # the build's maintenance_work_mem: the graph of 100k signatures outgrows the default 64 MB
BUILD_LOCK = MIGRATION_LOCK + 1  # one member builds the index at a time; the others then find it built


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
                HNSW.format(how=""),
                "CREATE TABLE sig_bits(sig_id bigint PRIMARY KEY REFERENCES signatures(id) ON DELETE CASCADE, "
                f"project text NOT NULL, has_fix boolean NOT NULL, code bit({dim}) NOT NULL)",
                # covering: a project's scan reads the codes from the index alone (an index-only scan)
                "CREATE INDEX sig_bits_codes ON sig_bits(project) INCLUDE (sig_id, code) WHERE has_fix",
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

    def add(self, rows: Sequence[NewSignature]) -> None:
        """Embed new signatures (inside the caller's transaction), loaded with COPY."""
        for chunk in chunks(rows):
            vectors = self.embedder.embed([r[2] for r in chunk])
            emb, bits = [], []
            for (sig_id, project, _, has_fix), vector in zip(chunk, vectors):
                emb.append((sig_id, project, has_fix, literal(vector)))
                bits.append((sig_id, project, has_fix, code(vector)))
            self.db.copy("sig_emb", ("sig_id", "project", "has_fix", "embedding"), emb)
            self.db.copy("sig_bits", ("sig_id", "project", "has_fix", "code"), bits)

    def set_has_fix(self, sig_ids: Sequence[int], has_fix: bool) -> None:
        """Only rows that change are written: each update of `sig_emb` is a new entry in the HNSW graph."""
        if not sig_ids:
            return
        for table in ("sig_emb", "sig_bits"):
            self.db.execute(
                f"UPDATE {table} SET has_fix = ? WHERE sig_id = ANY(?) AND has_fix <> ?",
                (has_fix, list(sig_ids), has_fix),
            )

    @contextmanager
    def bulk(self, cards: int) -> Iterator[None]:
        """Around the transaction that adds `cards` fix cards: when the batch is large next to the store (a push
        into a new team store), the HNSW index is dropped first and built again once the cards are committed.

        Neither step blocks other members: the index is dropped and built CONCURRENTLY, and while it is missing
        or being built, the planner cannot use it and cross-project recall scans exactly (project recall does
        not use it). If this process dies before the build, the next bulk load or `untilgreen memory reindex` builds it
        (opening the store says so).
        """
        if cards < BULK_MIN or self.db.in_transaction or self._stored() > BULK_RATIO * cards:
            yield
            return
        self.db.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {HNSW_NAME}")
        try:
            yield
        finally:
            self.build_index()

    def _stored(self) -> float:
        """About how many signatures are stored (the planner's estimate: no scan)."""
        return float(
            self.db.execute("SELECT reltuples FROM pg_class WHERE oid = 'sig_emb'::regclass").fetchone()[0]
        )

    def missing_index(self, read_only: bool = False) -> str:
        """A sentence if the HNSW index is missing or invalid (a bulk load that died between dropping and building
        it, or one loading now), else "". A read-only member cannot build it: it is told to ask one who can."""
        row = self.db.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)", (HNSW_NAME,)
        ).fetchone()
        if row and row[0]:
            return ""
        who = "a member without memory.read_only running " if read_only else ""
        return (
            "The team memory's HNSW index is missing (a bulk load stopped before building it again, or one is "
            f"loading now), so cross-project recall and search scan every signature meanwhile: {who}"
            "`untilgreen memory reindex` builds it."
        )

    def build_index(self) -> bool:
        """Build the HNSW index if it is missing or was left invalid by a build that died; True if built.

        CREATE INDEX CONCURRENTLY (reads and writes go on), with `BUILD_MEM` of maintenance_work_mem so the
        graph stays in memory, and the server's parallel maintenance workers (pgvector 0.6 builds in parallel).
        """
        with self.db.session():
            self.db.execute("SET statement_timeout = 0")
            self.db.execute(f"SET maintenance_work_mem = '{BUILD_MEM}'")
            self.db.execute("SELECT pg_advisory_lock(?)", (BUILD_LOCK,))
            try:
                row = self.db.execute(
                    "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)", (HNSW_NAME,)
                ).fetchone()
                if row and row[0]:
                    return False
                if row:
                    self.db.execute(f"DROP INDEX CONCURRENTLY {HNSW_NAME}")
                self.db.execute(HNSW.format(how="CONCURRENTLY"))
                return True
            finally:
                self.db.execute("SELECT pg_advisory_unlock(?)", (BUILD_LOCK,))

    def query(self, text: str) -> Query:
        vector = self.embedder.embed([text])[0]
        return Query(literal(vector), code(vector))

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
    template = "[" + ",".join(["%.7g"] * len(vector)) + "]"
    return template % tuple(vector)  # one format call, not one per number: a bulk load's hot spot


def code(vector: list[float]) -> str:
    """The binary-quantized code of a vector, as a bit string (sqlite-vec's rule: x > 0)."""
    return "".join(map("01".__getitem__, map((0.0).__lt__, vector)))  # "1" where 0 < x
