"""The memory store: one SQLite file of runs, attempts, error signatures and fix cards.

Everything text is redacted (`redact.redact` plus the project's `.env` values) before it is written.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

import platformdirs

from untilgreen.memory import transfer
from untilgreen.memory.db import SCHEMA_VERSION, driver, open_database, transaction
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
        self, conn: Any, path: Path, project: str | None, secrets: list[str], embedder: Embedder
    ) -> None:
        self.conn = conn
        self.path = path
        self.project = project
        self.secrets = secrets
        self.notice = ""  # set when a bad file was moved aside
        self.vectors = Vectors(conn, embedder)
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        project: str | None = None,
        root: Path | None = None,
        embedder: Embedder | str | None = None,
    ) -> Store:
        """Open or create the store.

        `root` (the project folder) gives the default project key and the `.env` values to redact. `embedder`
        (an id or an instance) re-embeds every signature if it differs from the file's; None keeps the file's
        (tools that only read, like the CLI, must not switch it).
        """
        path = path or default_path()
        conn, notice = open_database(path)
        if project is None and root is not None:
            project = project_key(root)
        if embedder is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'embedder_id'").fetchone()
            embedder = row[0] if row else DEFAULT_EMBEDDER
        store = cls(conn, path, project, env_secrets(root) if root else [], _embedder(embedder))
        store.notice = notice
        store.vectors.ensure()
        return store

    def close(self) -> None:
        self.conn.close()

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
        with self._lock, transaction(self.conn):
            self.conn.execute(
                "INSERT INTO runs(id, project, mode, goal, command, model, started) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    run.project,
                    run.mode,
                    self.clean(run.goal),
                    self.clean(run.command),
                    run.model,
                    run.started,
                ),
            )
        return run_id

    def record_attempt(self, run_id: str, attempt: AttemptRecord) -> None:
        values = {name: getattr(attempt, name) for name in _ATTEMPT_FIELDS}
        for name in ("prompt", "response", "tests", "diff"):
            values[name] = self.clean(values[name])
        marks = ", ".join("?" * (len(values) + 2))
        with self._lock, transaction(self.conn):
            self.conn.execute(
                f"INSERT INTO attempts(run_id, created, {', '.join(values)}) VALUES ({marks})",
                (run_id, time.time(), *values.values()),
            )
            if attempt.fix_card:
                self.conn.execute("UPDATE fix_cards SET uses = uses + 1 WHERE id = ?", (attempt.fix_card,))

    def record_signatures(
        self, run_id: str, signatures: Iterable[Signature], project: str | None = None
    ) -> None:
        """Remember the failures a run saw (each distinct signature is embedded once per project)."""
        project = self._project(project)
        with self._lock, transaction(self.conn):
            for sig in signatures:
                sig_id = self.signature_id(sig, project, seen=True)
                self.conn.execute("INSERT OR IGNORE INTO run_signatures VALUES (?, ?)", (run_id, sig_id))

    def finish_run(self, run_id: str, outcome: str, *, stop_reason: str = "", final_diff: str = "") -> None:
        with self._lock, transaction(self.conn):
            self.conn.execute(
                "UPDATE runs SET finished = ?, outcome = ?, stop_reason = ?, final_diff = ? WHERE id = ?",
                (time.time(), outcome, stop_reason, self.clean(final_diff), run_id),
            )

    def add_fix_card(self, card: FixCard) -> str:
        card_id = card.id or "f-" + uuid.uuid4().hex[:10]
        diff = self.clean(card.diff)
        try:
            files = card.files or changed_files(diff)
        except PatchError:
            files = ()
        with self._lock, transaction(self.conn):
            sig_id = self.signature_id(card.signature, card.project, seen=False)
            cur = self.conn.execute(
                "INSERT INTO fix_cards(id, project, signature_id, run_id, summary, root_cause, diff, files, symbols, "
                "verification, status, uses, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )
            self.conn.execute(
                "INSERT INTO card_fts(rowid, project, sig, summary) VALUES (?, ?, ?, ?)",
                (
                    cur.lastrowid,
                    card.project,
                    self.clean(card.signature.text),
                    self.clean(f"{card.summary} {card.root_cause}"),
                ),
            )
            self._refresh_has_fix(sig_id)
        return card_id

    def review(self, card_id: str, accepted: bool) -> None:
        """Record the user's verdict on a fix card; rejected cards are never recalled."""
        with self._lock, transaction(self.conn):
            row = self.conn.execute("SELECT signature_id FROM fix_cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise KeyError(card_id)
            status = "accepted" if accepted else "rejected"
            self.conn.execute("UPDATE fix_cards SET status = ? WHERE id = ?", (status, card_id))
            self._refresh_has_fix(row[0])

    def _project(self, project: str | None) -> str:
        project = project or self.project
        if not project:
            raise ValueError("No project given: pass project= here or to Store.open.")
        return project

    def signature_id(self, sig: Signature, project: str, *, seen: bool) -> int:
        """The id of `sig` in `project`, stored and embedded if new (inside the caller's transaction)."""
        now = time.time()
        row = self.conn.execute(
            "SELECT id FROM signatures WHERE project = ? AND digest = ?", (project, sig.digest)
        ).fetchone()
        if row:
            if seen:
                self.conn.execute(
                    "UPDATE signatures SET seen = seen + 1, last_seen = ? WHERE id = ?", (now, row[0])
                )
            return int(row[0])
        text = self.clean(sig.text)
        cur = self.conn.execute(
            "INSERT INTO signatures(project, digest, text, exc_type, message, functions, seen, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                project,
                sig.digest,
                text,
                sig.exc_type,
                self.clean(sig.message),
                json.dumps(sig.functions),
                int(seen),
                now,
                now,
            ),
        )
        sig_id = int(cur.lastrowid)
        self.vectors.add(sig_id, project, text)
        return sig_id

    def _refresh_has_fix(self, sig_id: int) -> None:
        has = self.conn.execute(
            "SELECT EXISTS(SELECT 1 FROM fix_cards WHERE signature_id = ? AND status != 'rejected')",
            (sig_id,),
        ).fetchone()[0]
        self.vectors.set_has_fix(sig_id, bool(has))

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
            scores = score_candidates(self.conn, self.vectors, signature, scope, k, prefilter=prefilter)
            return recollect(self.conn, scores, project, k, threshold)

    def search(self, text: str, *, k: int = 10, threshold: float = 0.2) -> list[Recollection]:
        """Fix cards in every project of this file whose signature resembles `text` (for the user; not redacted)."""
        with self._lock:
            scores = search_scores(self.conn, self.vectors, text, k)
            return recollect(self.conn, scores, None, k, threshold, full=True)

    # -- history and housekeeping ----------------------------------------------------------------------------

    def runs(self, project: str | None = None, limit: int = 20) -> list[RunSummary]:
        where, args = ("WHERE r.project = ?", [project]) if project else ("", [])
        sql = f"{_RUN_SUMMARY_SQL} {where} GROUP BY r.id ORDER BY r.started DESC LIMIT ?"
        with self._lock:
            return [RunSummary(*row) for row in self.conn.execute(sql, (*args, limit)).fetchall()]

    def run(self, run_id: str) -> RunDetail | None:
        with self._lock:
            row = self.conn.execute(f"{_RUN_SUMMARY_SQL} WHERE r.id = ? GROUP BY r.id", (run_id,)).fetchone()
            if row is None:
                return None
            command, final_diff = self.conn.execute(
                "SELECT command, coalesce(final_diff, '') FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            cols = ", ".join(_ATTEMPT_FIELDS)
            attempts = [
                Attempt(*a)
                for a in self.conn.execute(
                    f"SELECT {cols}, created FROM attempts WHERE run_id = ? ORDER BY n, id", (run_id,)
                ).fetchall()
            ]
            sigs = [
                r[0]
                for r in self.conn.execute(
                    "SELECT s.text FROM run_signatures rs JOIN signatures s ON s.id = rs.signature_id "
                    "WHERE rs.run_id = ? ORDER BY s.id",
                    (run_id,),
                ).fetchall()
            ]
        return RunDetail(RunSummary(*row), command, final_diff, attempts, sigs)

    def card(self, card_id: str) -> FixCard | None:
        with self._lock:
            row = self.conn.execute(
                f"SELECT {CARD_COLUMNS} FROM fix_cards c JOIN signatures s ON s.id = c.signature_id WHERE c.id = ?",
                (card_id,),
            ).fetchone()
        return card_from_row(row) if row else None

    def forget(self, item_id: str) -> str:
        """Delete a run (with its attempts) or a fix card; returns "run" or "fix card"; KeyError if unknown."""
        with self._lock, transaction(self.conn):
            if self.conn.execute("DELETE FROM runs WHERE id = ?", (item_id,)).rowcount:
                return "run"
            row = self.conn.execute(
                "SELECT num, signature_id FROM fix_cards WHERE id = ?", (item_id,)
            ).fetchone()
            if row is None:
                raise KeyError(item_id)
            self.conn.execute("DELETE FROM fix_cards WHERE num = ?", (row[0],))
            self.conn.execute("DELETE FROM card_fts WHERE rowid = ?", (row[0],))
            self._refresh_has_fix(row[1])
            return "fix card"

    def spent_since(self, since: float) -> float:
        """US dollars the attempts recorded since `since` (a Unix time) cost, in every project."""
        with self._lock:
            row = self.conn.execute(
                "SELECT coalesce(sum(cost), 0.0) FROM attempts WHERE created >= ?", (since,)
            ).fetchone()
            return float(row[0])

    def stats(self) -> dict[str, Any]:
        def one(sql: str) -> Any:
            return self.conn.execute(sql).fetchone()[0]

        with self._lock:
            cards = dict(
                self.conn.execute("SELECT status, count(*) FROM fix_cards GROUP BY status").fetchall()
            )
            tokens_in, tokens_out, cost = self.conn.execute(
                "SELECT coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0), coalesce(sum(cost), 0.0) "
                "FROM attempts"
            ).fetchone()
            return {
                "path": str(self.path),
                "size_bytes": sum(p.stat().st_size for p in _db_files(self.path)),
                "schema_version": SCHEMA_VERSION,
                "sqlite": f"{driver().__name__} {one('SELECT sqlite_version()')}",
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
            return transfer.export(self.conn, path)

    def import_(self, path: Path) -> dict[str, int]:
        """Merge an exported file (existing ids are kept; text is redacted again; vectors re-embedded)."""
        with self._lock, transaction(self.conn):
            return transfer.import_(self, path)


def _embedder(embedder: Embedder | str) -> Embedder:
    return embedder_for(embedder) if isinstance(embedder, str) else embedder


def _db_files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
