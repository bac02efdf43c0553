"""The memory store of runs, attempts, error signatures and fix cards: one SQLite file, or a team's PostgreSQL.

Everything text is redacted (`redact.redact` plus the project's `.env` values) before it is written. The SQL is
written once for both databases (`backend.Database`); a read-only store (a CI agent's) recalls and writes
nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from untilgreen.errors import UserError
from untilgreen.memory import transfer
from untilgreen.memory.backend import Database, VectorIndex, chunks, rows_marks
from untilgreen.memory.db import SqliteDb, open_database
from untilgreen.memory.embed import DEFAULT_EMBEDDER, Embedder, embedder_for
from untilgreen.memory.patch import PatchError, changed_files
from untilgreen.memory.project import project_key
from untilgreen.memory.recall import (
    CARD_COLUMNS,
    THRESHOLD,
    card_from_row,
    recollect,
    score_candidates,
    search_scores,
)
from untilgreen.memory.records import (
    CARD_CALL,
    Attempt,
    AttemptRecord,
    FixCard,
    Recollection,
    RunDetail,
    RunRecord,
    RunSummary,
)
from untilgreen.memory.redact import env_secrets, redact
from untilgreen.memory.signature import Signature
from untilgreen.memory.vectors import Vectors

if TYPE_CHECKING:
    from untilgreen.settings import MemorySettings

ENV_PATH = "UNTILGREEN_MEMORY_PATH"
_ATTEMPT_FIELDS = [f.name for f in fields(AttemptRecord)]
_RUN_SUMMARY_SQL = (
    "SELECT r.id, r.project, r.mode, r.goal, r.model, r.started, r.finished, r.outcome, r.stop_reason, "
    f"count(CASE WHEN a.outcome <> '{CARD_CALL}' THEN 1 END), "  # the card call counts in tokens and cost only
    "coalesce(sum(a.tokens_in), 0), coalesce(sum(a.tokens_out), 0), coalesce(sum(a.cost), 0.0) "
    "FROM runs r LEFT JOIN attempts a ON a.run_id = r.id"
)


def default_path() -> Path:
    """`$UNTILGREEN_MEMORY_PATH`, else `<user data dir>/untilgreen/memory.sqlite3`."""
    if os.environ.get(ENV_PATH):
        return Path(os.environ[ENV_PATH]).expanduser()
    return Path(platformdirs.user_data_dir("untilgreen", appauthor=False)) / "memory.sqlite3"


def project_path(root: Path) -> Path:
    """The per-project file option: `<root>/.untilgreen/memory.sqlite3`."""
    return root / ".untilgreen" / "memory.sqlite3"


class Store:
    """Open with `Store.open`; usable as a context manager. Safe to share between threads of one process."""

    def __init__(
        self,
        db: Database,
        vectors: VectorIndex,
        project: str | None,
        secrets: list[str],
        *,
        label: str = "",
        read_only: bool = False,
    ) -> None:
        self.db = db
        self.vectors = vectors
        self.project = project
        self.secrets = secrets
        self.label = label  # who this member is in a team store's cards and reviews ("" if not set)
        self.read_only = read_only
        self.notice = ""  # set when a bad file was moved aside, or the configured embedder is not the store's
        self._lock = threading.RLock()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a team store)."""
        return self.db.path if isinstance(self.db, SqliteDb) else None

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        url: str = "",
        password_env: str = "",
        project: str | None = None,
        root: Path | None = None,
        embedder: Embedder | str | None = None,
        label: str = "",
        read_only: bool = False,
    ) -> Store:
        """Open or create the store: the team database at `url` if given, else the SQLite file at `path`.

        `root` (the project folder) gives the default project key and the `.env` values to redact. `embedder`
        (an id or an instance) re-embeds every signature of a SQLite file if it differs from the file's; None
        keeps the file's (tools that only read, like the CLI, must not switch it). A team store keeps its own.
        """
        if project is None and root is not None:
            project = project_key(root)
        secrets = env_secrets(root) if root else []
        chosen = _embedder(embedder or DEFAULT_EMBEDDER)
        if url:
            from untilgreen.memory.pgvectors import PgVectors
            from untilgreen.memory.postgres import PgDb

            pg = PgDb(url, password_env=password_env, read_only=read_only)
            team_vectors = PgVectors(pg, chosen)
            store = cls(pg, team_vectors, project, secrets, label=label, read_only=read_only)
            if read_only:
                team_vectors.adopt()
            else:
                team_vectors.ensure()
                store._fill_digests()
            notices = (
                team_vectors.notice if embedder is not None else "",
                team_vectors.missing_index(read_only),
            )
            store.notice = " ".join(n for n in notices if n)
            return store
        path = path or default_path()
        conn, notice = open_database(path)
        if embedder is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'embedder_id'").fetchone()
            chosen = _embedder(row[0] if row else DEFAULT_EMBEDDER)
        vectors = Vectors(conn, chosen)
        store = cls(SqliteDb(conn, path), vectors, project, secrets, label=label, read_only=read_only)
        store.notice = notice
        vectors.ensure()
        store._fill_digests()
        return store

    @classmethod
    def configured(
        cls, memory: MemorySettings, root: Path | None = None, *, embedder: Embedder | str | None = None
    ) -> Store:
        """The store the `memory.*` settings name: the team database (`memory.url`) or the file."""
        path = Path(memory.path).expanduser() if memory.path else None
        return cls.open(
            path,
            url=memory.url,
            password_env=memory.password_env,
            root=root,
            embedder=embedder,
            label=memory.label,
            read_only=memory.read_only,
        )

    @property
    def location(self) -> str:
        """The file, or the team database (without a password), for messages."""
        return self.db.location

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clean(self, text: str) -> str:
        """`text` with secrets redacted (known token shapes and this project's `.env` values)."""
        return redact(text, self.secrets)

    # -- recording -------------------------------------------------------------------------------------------

    def record_run(self, run: RunRecord) -> str:
        run_id = "r-" + uuid.uuid4().hex[:10]
        if self.read_only:
            return run_id
        with self._lock, self.db.transaction():
            self.db.execute(
                "INSERT INTO runs(id, project, mode, goal, command, model, started, resumed_from) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    run.project,
                    run.mode,
                    self.clean(run.goal),
                    self.clean(run.command),
                    run.model,
                    run.started,
                    run.resumed_from,
                ),
            )
        return run_id

    def record_attempt(self, run_id: str, attempt: AttemptRecord) -> None:
        if self.read_only:
            return
        values = {name: getattr(attempt, name) for name in _ATTEMPT_FIELDS}
        for name in ("prompt", "response", "tests", "diff"):
            values[name] = self.clean(values[name])
        marks = ", ".join("?" * (len(values) + 2))
        with self._lock, self.db.transaction():
            self.db.execute(
                f"INSERT INTO attempts(run_id, created, {', '.join(values)}) VALUES ({marks})",
                (run_id, time.time(), *values.values()),
            )
            if attempt.fix_card:
                self.db.execute("UPDATE fix_cards SET uses = uses + 1 WHERE id = ?", (attempt.fix_card,))

    def record_signatures(
        self, run_id: str, signatures: Iterable[Signature], project: str | None = None
    ) -> None:
        """Remember the failures a run saw (each distinct signature is embedded once per project)."""
        if self.read_only:
            return
        project = self._project(project)
        with self._lock, self.db.transaction():
            for sig in signatures:
                sig_id = self.signature_id(sig, project, seen=True)
                self.db.execute(
                    "INSERT INTO run_signatures(run_id, signature_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    (run_id, sig_id),
                )

    def finish_run(
        self,
        run_id: str,
        outcome: str,
        *,
        stop_reason: str = "",
        final_diff: str = "",
        resume: dict[str, Any] | None = None,
    ) -> None:
        """`resume`: what resuming the run needs (see `RunDetail.resume`); its settings are redacted."""
        if self.read_only:
            return
        kept = transfer.resume_text(resume or {}, self.clean)
        with self._lock, self.db.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, outcome = ?, stop_reason = ?, final_diff = ?, resume = ? "
                "WHERE id = ?",
                (time.time(), outcome, stop_reason, self.clean(final_diff), kept, run_id),
            )

    def add_fix_card(self, card: FixCard) -> str:
        """Store a fix card (its id, or "" in a read-only store)."""
        return self.add_fix_cards([card])[0]

    def add_fix_cards(self, cards: Iterable[FixCard]) -> list[str]:
        """Store fix cards in one transaction; their ids, in order.

        A batch is written a few hundred rows per statement; a large one (a push or an import) also lets the
        vector index defer its work to the end (`VectorIndex.bulk`).
        """
        cards = list(cards)
        if self.read_only:
            return ["" for _ in cards]
        with self._lock, self.vectors.bulk(len(cards)), self.db.transaction():
            return [card_id for chunk in chunks(cards) for card_id in self._insert_cards(chunk)]

    def _insert_cards(self, cards: Sequence[FixCard]) -> list[str]:
        usable = [card.status != "rejected" for card in cards]
        sig_ids = self.signature_ids([(c.signature, c.project, u) for c, u in zip(cards, usable)], seen=False)
        rows, terms = [], []
        for card, sig_id in zip(cards, sig_ids):
            card_id = card.id or "f-" + uuid.uuid4().hex[:16]  # 10 hex digits collide at about 1M cards
            diff = self.clean(card.diff)
            try:
                files = card.files or changed_files(diff)
            except PatchError:
                files = ()
            rows.append(
                (
                    card_id,
                    card.project,
                    sig_id,
                    card.run_id,
                    self.clean(card.summary),
                    self.clean(card.root_cause),
                    diff,
                    json.dumps(list(files)),
                    json.dumps(list(card.symbols)),
                    self.clean(card.verification),
                    card.status,
                    card.uses,
                    card.created,
                    card.origin or self.label,
                    card_digest(card.project, card.signature.digest, diff),
                )
            )
            terms.append(
                (
                    card.project,
                    self.clean(card.signature.text),
                    self.clean(f"{card.summary} {card.root_cause}"),
                )
            )
        nums = dict(
            self.db.execute(
                "INSERT INTO fix_cards(id, project, signature_id, run_id, summary, root_cause, diff, files, symbols, "
                f"verification, status, uses, created, origin, digest) VALUES {rows_marks(len(rows), 15)} "
                "RETURNING id, num",
                [value for row in rows for value in row],
            ).fetchall()
        )
        self.db.index_cards([(nums[row[0]], *t) for row, t in zip(rows, terms)])
        # signatures stored before these cards (or with a rejected one only) now have a fix
        self.vectors.set_has_fix(sorted({sig_id for sig_id, u in zip(sig_ids, usable) if u}), True)
        return [row[0] for row in rows]

    def review(
        self, card_id: str, accepted: bool, *, reviewer: str | None = None, at: float | None = None
    ) -> None:
        """Record a member's verdict on a fix card (their latest counts once).

        A card's status is the majority of its verdicts ("pending" on a tie); rejected cards are never recalled.
        """
        self._writable("the verdict was not recorded")
        with self._lock, self.db.transaction():
            row = self.db.execute("SELECT signature_id FROM fix_cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise KeyError(card_id)
            self.db.execute(
                "INSERT INTO card_reviews(card_id, reviewer, accepted, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(card_id, reviewer) DO UPDATE SET accepted = excluded.accepted, at = excluded.at",
                (card_id, self.label if reviewer is None else reviewer, int(accepted), at or time.time()),
            )
            yes, no = self.db.execute(
                "SELECT coalesce(sum(accepted), 0), count(*) - coalesce(sum(accepted), 0) FROM card_reviews "
                "WHERE card_id = ?",
                (card_id,),
            ).fetchone()
            status = "accepted" if yes > no else "rejected" if no > yes else "pending"
            self.db.execute("UPDATE fix_cards SET status = ? WHERE id = ?", (status, card_id))
            self._refresh_has_fix(row[0])

    def review_run(self, run_id: str, accepted: bool) -> int:
        """The user's verdict on a run's final diff, for the cards it stored or the remembered one it replayed;
        how many cards it counted for."""
        with self._lock:
            rows = self.db.execute(
                "SELECT id FROM fix_cards WHERE run_id = ? UNION SELECT fix_card FROM attempts "
                "WHERE run_id = ? AND fix_card IS NOT NULL AND outcome = 'green'",
                (run_id, run_id),
            ).fetchall()
            for (card_id,) in rows:
                self.review(card_id, accepted)
        return len(rows)

    def reviews(self, card_id: str) -> list[tuple[str, bool, float]]:
        """Every member's verdict on a card: (reviewer, accepted, when)."""
        with self._lock:
            rows = self.db.execute(
                "SELECT reviewer, accepted, at FROM card_reviews WHERE card_id = ? ORDER BY at", (card_id,)
            ).fetchall()
        return [(r, bool(a), at) for r, a, at in rows]

    def cards_with_digests(self, digests: Sequence[str]) -> dict[str, str]:
        """The id of a card with each content digest the store has, by digest."""
        found: dict[str, str] = {}
        with self._lock:
            for chunk in chunks(digests):
                rows = self.db.execute(
                    f"SELECT digest, min(id) FROM fix_cards WHERE digest IN (VALUES {rows_marks(len(chunk), 1)}) "
                    "GROUP BY digest",
                    chunk,
                ).fetchall()
                found.update(rows)
        return found

    def _fill_digests(self) -> None:
        """Give the cards stored before digests existed theirs (once, after the migration that added them)."""
        rows = self.db.execute(
            "SELECT c.num, c.project, s.digest, c.diff FROM fix_cards c JOIN signatures s ON s.id = c.signature_id "
            "WHERE c.digest = ''"
        ).fetchall()
        with self._lock, self.db.transaction():
            for num, project, sig_digest, diff in rows:
                self.db.execute(
                    "UPDATE fix_cards SET digest = ? WHERE num = ?",
                    (card_digest(project, sig_digest, diff), num),
                )

    def _project(self, project: str | None) -> str:
        project = project or self.project
        if not project:
            raise ValueError("No project given: pass project= here or to Store.open.")
        return project

    def signature_id(self, sig: Signature, project: str, *, seen: bool, has_fix: bool = False) -> int:
        """The id of `sig` in `project`, stored and embedded if new (inside the caller's transaction)."""
        return self.signature_ids([(sig, project, has_fix)], seen=seen)[0]

    def signature_ids(self, sigs: Sequence[tuple[Signature, str, bool]], *, seen: bool) -> list[int]:
        """The ids of (signature, project, has a usable fix) items, stored and embedded if new, in the caller's
        transaction; with `seen`, each item counts as a sighting.

        Two members storing the same new signature at once both end with the one row (the second's insert
        waits for the first's commit, then does nothing, and finds it).
        """
        now = time.time()
        first: dict[tuple[str, str], tuple[Signature, bool]] = {}
        sightings: dict[tuple[str, str], int] = {}
        for sig, project, has_fix in sigs:
            key = (project, sig.digest)
            known = first.get(key)
            first[key] = (sig, has_fix or bool(known and known[1]))
            sightings[key] = sightings.get(key, 0) + 1
        ids = self._find_signatures(list(first))
        missing = sorted(key for key in first if key not in ids)  # one order for every member: no deadlock
        added: dict[tuple[str, str], int] = {}
        for chunk in chunks(missing):
            values: list[Any] = []
            for project, digest in chunk:
                sig = first[(project, digest)][0]
                count = sightings[(project, digest)] if seen else 0
                values += [project, digest, self.clean(sig.text), sig.exc_type, self.clean(sig.message)]
                values += [json.dumps(sig.functions), count, now, now]
            rows = self.db.execute(
                "INSERT INTO signatures(project, digest, text, exc_type, message, functions, seen, first_seen, "
                f"last_seen) VALUES {rows_marks(len(chunk), 9)} ON CONFLICT(project, digest) DO NOTHING "
                "RETURNING id, project, digest",
                values,
            ).fetchall()
            new = {(project, digest): int(sig_id) for sig_id, project, digest in rows}
            self.vectors.add(
                [
                    (sig_id, key[0], self.clean(first[key][0].text), first[key][1])
                    for key, sig_id in new.items()
                ]
            )
            added.update(new)
        ids.update(added)
        ids.update(self._find_signatures([key for key in missing if key not in added]))  # another member's
        if seen:
            for key in sorted(key for key in first if key not in added):
                self.db.execute(
                    "UPDATE signatures SET seen = seen + ?, last_seen = ? WHERE id = ?",
                    (sightings[key], now, ids[key]),
                )
        lost = [key for key in first if key not in ids]
        if lost:
            raise RuntimeError(f"signature {lost[0][1]} of {lost[0][0]} neither found nor stored")
        return [ids[(project, sig.digest)] for sig, project, _ in sigs]

    def _find_signatures(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The ids of the stored signatures among (project, digest) keys."""
        found: dict[tuple[str, str], int] = {}
        for chunk in chunks(keys):
            rows = self.db.execute(
                f"SELECT id, project, digest FROM signatures WHERE (project, digest) IN (VALUES {rows_marks(len(chunk), 2)})",
                [value for key in chunk for value in key],
            ).fetchall()
            found.update({(project, digest): int(sig_id) for sig_id, project, digest in rows})
        return found

    def _refresh_has_fix(self, sig_id: int) -> None:
        has = self.db.execute(
            "SELECT EXISTS(SELECT 1 FROM fix_cards WHERE signature_id = ? AND status != 'rejected')",
            (sig_id,),
        ).fetchone()[0]
        self.vectors.set_has_fix([sig_id], bool(has))

    # -- recall ------------------------------------------------------------------------------------------------

    def recall(
        self,
        signature: Signature,
        *,
        project: str | None = None,
        k: int = 5,
        cross_project: bool = False,
        threshold: float = THRESHOLD,
        prefilter: bool = True,
    ) -> list[Recollection]:
        """Fix cards of similar past failures, best first.

        Per project by default (`project` or the store's); with `cross_project`, other projects' cards are
        included but carry only their signature and diff.
        """
        project = self._project(project)
        with self._lock:
            scope = None if cross_project else project
            scores = score_candidates(self.db, self.vectors, signature, scope, k, prefilter=prefilter)
            return recollect(self.db, scores, project, k, threshold)

    def search(self, text: str, *, k: int = 10, threshold: float = 0.2) -> list[Recollection]:
        """Fix cards in every project of this file whose signature resembles `text` (for the user; not redacted)."""
        with self._lock:
            scores = search_scores(self.db, self.vectors, text, k)
            return recollect(self.db, scores, None, k, threshold, full=True)

    # -- history and housekeeping ----------------------------------------------------------------------------

    def runs(self, project: str | None = None, limit: int = 20) -> list[RunSummary]:
        where, args = ("WHERE r.project = ?", [project]) if project else ("", [])
        sql = f"{_RUN_SUMMARY_SQL} {where} GROUP BY r.id ORDER BY r.started DESC LIMIT ?"
        with self._lock:
            return [RunSummary(*row) for row in self.db.execute(sql, (*args, limit)).fetchall()]

    def run(self, run_id: str) -> RunDetail | None:
        with self._lock:
            row = self.db.execute(f"{_RUN_SUMMARY_SQL} WHERE r.id = ? GROUP BY r.id", (run_id,)).fetchone()
            if row is None:
                return None
            command, final_diff, resumed_from, resume = self.db.execute(
                "SELECT command, coalesce(final_diff, ''), resumed_from, resume FROM runs WHERE id = ?",
                (run_id,),
            ).fetchone()
            cols = ", ".join(_ATTEMPT_FIELDS)
            attempts = [
                Attempt(*a)
                for a in self.db.execute(
                    f"SELECT {cols}, created FROM attempts WHERE run_id = ? ORDER BY n, id", (run_id,)
                ).fetchall()
            ]
            sigs = [
                r[0]
                for r in self.db.execute(
                    "SELECT s.text FROM run_signatures rs JOIN signatures s ON s.id = rs.signature_id "
                    "WHERE rs.run_id = ? ORDER BY s.id",
                    (run_id,),
                ).fetchall()
            ]
        return RunDetail(
            RunSummary(*row), command, final_diff, attempts, sigs, resumed_from, transfer.json_object(resume)
        )

    def card(self, card_id: str) -> FixCard | None:
        with self._lock:
            row = self.db.execute(
                f"SELECT {CARD_COLUMNS} FROM fix_cards c JOIN signatures s ON s.id = c.signature_id WHERE c.id = ?",
                (card_id,),
            ).fetchone()
        return card_from_row(row) if row else None

    def forget(self, item_id: str) -> str:
        """Delete a run (with its attempts) or a fix card; returns "run" or "fix card"; KeyError if unknown."""
        self._writable("nothing was forgotten")
        with self._lock, self.db.transaction():
            if self.db.execute("DELETE FROM runs WHERE id = ?", (item_id,)).rowcount:
                return "run"
            row = self.db.execute(
                "SELECT num, signature_id FROM fix_cards WHERE id = ?", (item_id,)
            ).fetchone()
            if row is None:
                raise KeyError(item_id)
            self.db.execute("DELETE FROM fix_cards WHERE num = ?", (row[0],))
            self.db.unindex_card(row[0])
            self._refresh_has_fix(row[1])
            return "fix card"

    def spent_since(self, since: float) -> float:
        """US dollars the attempts recorded since `since` (a Unix time) cost, in every project."""
        with self._lock:
            row = self.db.execute(
                "SELECT coalesce(sum(cost), 0.0) FROM attempts WHERE created >= ?", (since,)
            ).fetchone()
            return float(row[0])

    def stats(self) -> dict[str, Any]:
        def one(sql: str) -> Any:
            return self.db.execute(sql).fetchone()[0]

        with self._lock:
            cards = dict(self.db.execute("SELECT status, count(*) FROM fix_cards GROUP BY status").fetchall())
            tokens_in, tokens_out, cost = self.db.execute(
                "SELECT coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0), coalesce(sum(cost), 0.0) "
                "FROM attempts"
            ).fetchone()
            return {
                **self.db.describe(),
                "read_only": self.read_only,
                "label": self.label,
                "embedder": self.vectors.embedder.id,
                "dimension": self.vectors.embedder.dim,
                "projects": one("SELECT count(DISTINCT project) FROM signatures"),
                "runs": one("SELECT count(*) FROM runs"),
                "attempts": one("SELECT count(*) FROM attempts"),
                "attempts_from_memory": one("SELECT count(*) FROM attempts WHERE source = 'memory'"),
                "signatures": one("SELECT count(*) FROM signatures"),
                "fix_cards": {s: cards.get(s, 0) for s in ("accepted", "pending", "rejected")},
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "cost": round(cost, 6),
            }

    def export(self, path: Path) -> dict[str, int]:
        """Write every run, attempt, signature and fix card to a JSON file; returns counts."""
        with self._lock:
            return transfer.export(self.db, path)

    def import_(self, path: Path) -> dict[str, int]:
        """Merge an exported file (existing ids are kept; text is redacted again; vectors re-embedded)."""
        self._writable("nothing was imported")
        data = transfer.load(path)
        with self._lock, self.vectors.bulk(len(data.get("fix_cards", []))), self.db.transaction():
            return transfer.import_(self, data)

    def reindex(self) -> bool:
        """Build the team store's HNSW index if it is missing or invalid; True if it was built."""
        self._writable("its index was not built")
        if self.db.backend != "postgresql":
            raise UserError(
                f"The memory {self.location} is a file, whose vectors need no index build: "
                "`memory reindex` is for the team memory (memory.url)."
            )
        return self.vectors.build_index()

    def _writable(self, consequence: str) -> None:
        if self.read_only:
            raise UserError(
                f"This memory is read-only (memory.read_only = true), so {consequence}: unset it to change it."
            )


def card_digest(project: str, signature_digest: str, diff: str) -> str:
    """What makes two fix cards the same card, wherever they were stored: push and pull compare this."""
    return hashlib.sha256(f"{project}\0{signature_digest}\0{diff}".encode()).hexdigest()[:32]


def _embedder(embedder: Embedder | str) -> Embedder:
    return embedder_for(embedder) if isinstance(embedder, str) else embedder
