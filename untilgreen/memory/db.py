"""The SQLite file: driver choice, connection settings, versioned migrations, and recovery from a bad file.

The stdlib `sqlite3` is used when it can load extensions (sqlite-vec); many Python builds cannot, and then
`sqlean` (same DB-API, bundles a recent SQLite with FTS5) takes its place.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import sqlite_vec

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4
BUSY_TIMEOUT_S = 10.0
_HEADER = b"SQLite format 3\x00"
T = TypeVar("T")

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: list[str] = [
    # v1: runs, attempts, signatures, fix cards.
    """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs(
        id TEXT PRIMARY KEY, project TEXT NOT NULL, mode TEXT NOT NULL, goal TEXT NOT NULL,
        command TEXT NOT NULL, model TEXT NOT NULL, started REAL NOT NULL, finished REAL,
        outcome TEXT, stop_reason TEXT, final_diff TEXT);
    CREATE INDEX runs_project ON runs(project, started);
    CREATE TABLE attempts(
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        n INTEGER NOT NULL, source TEXT NOT NULL, model TEXT NOT NULL, prompt TEXT NOT NULL,
        response TEXT NOT NULL, tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, cost REAL NOT NULL,
        duration_s REAL NOT NULL, tests TEXT NOT NULL, diff TEXT NOT NULL, outcome TEXT NOT NULL,
        created REAL NOT NULL);
    CREATE INDEX attempts_run ON attempts(run_id, n);
    CREATE TABLE signatures(
        id INTEGER PRIMARY KEY, project TEXT NOT NULL, digest TEXT NOT NULL, text TEXT NOT NULL,
        exc_type TEXT NOT NULL, message TEXT NOT NULL, functions TEXT NOT NULL,
        seen INTEGER NOT NULL DEFAULT 1, first_seen REAL NOT NULL, last_seen REAL NOT NULL,
        UNIQUE(project, digest));
    CREATE TABLE run_signatures(
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        signature_id INTEGER NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
        PRIMARY KEY(run_id, signature_id));
    CREATE TABLE fix_cards(
        num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
        signature_id INTEGER NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
        run_id TEXT REFERENCES runs(id) ON DELETE SET NULL, summary TEXT NOT NULL, root_cause TEXT NOT NULL,
        diff TEXT NOT NULL, files TEXT NOT NULL, symbols TEXT NOT NULL, verification TEXT NOT NULL,
        created REAL NOT NULL);
    CREATE INDEX fix_cards_signature ON fix_cards(signature_id);
    """,
    # v2: review status and use count of fix cards; FTS5 lexical index over fix cards (backfilled).
    """
    ALTER TABLE fix_cards ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
    ALTER TABLE fix_cards ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE attempts ADD COLUMN fix_card TEXT;
    CREATE VIRTUAL TABLE card_fts USING fts5(project, sig, summary, tokenize = "unicode61 tokenchars '_'");
    INSERT INTO card_fts(rowid, project, sig, summary)
        SELECT c.num, c.project, s.text, c.summary || ' ' || c.root_cause
        FROM fix_cards c JOIN signatures s ON s.id = c.signature_id;
    """,
    # v3: team semantics: where a card came from, its content digest (filled in by the store), every member's
    # verdict (the verdicts given before become the unlabelled member's).
    """
    ALTER TABLE fix_cards ADD COLUMN origin TEXT NOT NULL DEFAULT '';
    ALTER TABLE fix_cards ADD COLUMN digest TEXT NOT NULL DEFAULT '';
    CREATE INDEX fix_cards_digest ON fix_cards(digest);
    CREATE TABLE card_reviews(
        card_id TEXT NOT NULL REFERENCES fix_cards(id) ON DELETE CASCADE, reviewer TEXT NOT NULL,
        accepted INTEGER NOT NULL, at REAL NOT NULL, PRIMARY KEY(card_id, reviewer));
    INSERT INTO card_reviews(card_id, reviewer, accepted, at)
        SELECT id, '', CASE status WHEN 'accepted' THEN 1 ELSE 0 END, created FROM fix_cards
        WHERE status != 'pending';
    """,
    # v4: resuming a stopped run: what it was asked and saw (`resume`, JSON), the run it resumed, and each
    # attempt's patch fingerprint.
    """
    ALTER TABLE runs ADD COLUMN resume TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN resumed_from TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempts ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
    """,
]


class SqliteDb:
    """The store's view of one SQLite file: statements, transactions, new-row ids and the FTS5 lexical index."""

    backend = "sqlite"

    def __init__(self, conn: Any, path: Path) -> None:
        self.conn = conn
        self.path = path

    @property
    def location(self) -> str:
        return str(self.path)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    def transaction(self) -> AbstractContextManager[Any]:
        return transaction(self.conn)

    def index_cards(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        self.conn.executemany("INSERT INTO card_fts(rowid, project, sig, summary) VALUES (?, ?, ?, ?)", rows)

    def unindex_card(self, num: int) -> None:
        self.conn.execute("DELETE FROM card_fts WHERE rowid = ?", (num,))

    def lexical_hits(
        self, terms: list[str], project: str | None, signature_only: bool, limit: int
    ) -> list[int]:
        """Signature ids of the newest non-rejected fix cards whose text has every one of `terms`."""
        if not terms:
            return []
        query = "(" + " AND ".join(f'"{t}"' for t in terms) + ")"
        query = f"sig : {query}" if signature_only else query
        query = f'project : "{project}" AND {query}' if project else query
        rows = self.conn.execute(
            "SELECT DISTINCT c.signature_id FROM card_fts f JOIN fix_cards c ON c.num = f.rowid "
            "WHERE card_fts MATCH ? AND c.status != 'rejected' ORDER BY f.rowid DESC LIMIT ?",
            (query, limit),
        ).fetchall()
        return [r[0] for r in rows]

    def describe(self) -> dict[str, Any]:
        """What `memory stats` shows of the database itself."""
        version = self.conn.execute("SELECT sqlite_version()").fetchone()[0]
        return {
            "backend": self.backend,
            "path": str(self.path),
            "size_bytes": sum(p.stat().st_size for p in _db_files(self.path)),
            "schema_version": SCHEMA_VERSION,
            "sqlite": f"{driver().__name__} {version}",
        }

    def close(self) -> None:
        self.conn.close()


def _db_files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def driver() -> ModuleType:
    """The DB-API module to use: stdlib sqlite3 if it can load extensions, else sqlean."""
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    import sqlean

    module: ModuleType = sqlean
    return module


def connect(path: Path) -> Any:
    """A connection in autocommit mode with sqlite-vec loaded, WAL, foreign keys and a busy timeout."""
    db = driver()
    conn = db.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.enable_load_extension(True)
    sqlite_vec.load(conn)
    conn.enable_load_extension(False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def is_busy(exc: BaseException) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def retry(op: Callable[[], T], attempts: int = 8) -> T:
    """Run `op`, retrying with jittered backoff while another process holds the write lock."""
    for i in range(attempts):
        try:
            return op()
        except Exception as exc:  # the driver's OperationalError: sqlite3 or sqlean
            if not is_busy(exc) or i == attempts - 1:
                raise
            time.sleep(0.02 * (2**i) * (0.5 + random.random()))
    raise AssertionError("unreachable")


@contextmanager
def transaction(conn: Any) -> Iterator[Any]:
    """BEGIN IMMEDIATE (so two writers queue instead of deadlocking) ... COMMIT, or ROLLBACK on error.

    Nested use joins the outer transaction.
    """
    if conn.in_transaction:
        yield conn
        return
    retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, target: int = SCHEMA_VERSION) -> None:
    """Apply the migrations between the file's version and `target`, each in its own transaction."""
    with transaction(conn):
        current = schema_version(conn)
    for version in range(current + 1, target + 1):
        with transaction(conn):
            if schema_version(conn) >= version:  # another process migrated meanwhile
                continue
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    return [s.strip() for s in script.split(";\n") if s.strip()]


class BadFile(Exception):
    """The file is not a usable memory database; the message says why."""


def check_file(path: Path) -> None:
    """Cheap checks before opening: the SQLite header and that the file is not shorter than it claims."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(_HEADER):
        raise BadFile("it is not an SQLite database")
    if len(header) < 100:
        raise BadFile("it is truncated")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size_valid = header[24:28] == header[92:96]
    if size_valid and path.stat().st_size < page_size * pages:
        raise BadFile("it is truncated")


def open_database(path: Path) -> tuple[Any, str]:
    """Open (creating or migrating) the database at `path`.

    A file that is not a database, is truncated or corrupt, or comes from a newer schema is moved aside to
    `<name>.corrupt-<timestamp>` and a fresh store is created; the returned notice says so (else "").
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open_valid(path), ""
    except BadFile as exc:
        reason = str(exc)
    except Exception as exc:  # DatabaseError from either driver: malformed, not a database, ...
        if is_busy(exc):
            raise
        reason = f"it could not be read ({exc})"
    aside = move_aside(path)
    notice = f"The memory database {path} was unusable because {reason}; it was moved to {aside.name} and a fresh one was created."
    log.warning(notice)
    return _open_valid(path), notice


def move_aside(path: Path) -> Path:
    """Rename the database and its WAL files to `<name>.corrupt-<timestamp>` (kept for inspection)."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    return aside


def set_aside_damaged(path: Path, err: BaseException) -> str:
    """Move aside a file found damaged after a clean open; one sentence saying so (or why it could not be)."""
    try:
        aside = move_aside(path)
    except OSError as exc:
        return f"{path} is damaged ({err}) and could not be moved aside ({exc})"
    return f"{path} is damaged ({err}); it was moved to {aside.name} and the next use starts a fresh one"


def is_corrupt(exc: BaseException) -> bool:
    """Whether a driver error says the file itself is damaged (found mid-query, after a clean open)."""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "disk image" in text


def _open_valid(path: Path) -> Any:
    check_file(path)
    conn = connect(path)
    try:
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            raise BadFile(
                f"it was written by a newer untilgreen (schema v{version}, this one reads v{SCHEMA_VERSION})"
            )
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        migrate(conn)
        conn.execute("SELECT count(*) FROM meta").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn
