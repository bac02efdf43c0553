"""A real PostgreSQL 16 with pgvector (the `pgserver` package) for the team memory tests: one server per test
session in a temporary folder, one fresh database per test."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_names = itertools.count()


class PgServer:
    def __init__(self, folder: Path) -> None:
        import pgserver

        self.folder = folder
        self.server = pgserver.get_server(folder, cleanup_mode="stop")

    @property
    def pgdata(self) -> Path:
        return self.folder

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo(self.server.get_uri(), dbname=database, user=user)

    def sql(self, statement: str, database: str = "postgres") -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cur = conn.execute(statement.encode())
            return cur.fetchall() if cur.description else []

    def fresh_database(self) -> str:
        """A new, empty database (no extensions); its name."""
        name = f"t{next(_names)}"
        self.sql(f"CREATE DATABASE {name}")
        return name

    def kill(self) -> None:
        """The server dies without a clean shutdown (SIGQUIT: every backend exits at once). A checkpoint just
        before keeps the crash recovery of `restart` short, whatever the session wrote before."""
        pid = self.server.get_pid()
        assert pid
        self.sql("CHECKPOINT")
        os.kill(pid, signal.SIGQUIT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise AssertionError("the server did not stop")

    def restart(self) -> None:
        """Start the server again; its crash recovery may outlast pgserver's own 10-second wait on a busy machine,
        so a timeout there is followed by waiting for the server to say it is ready."""
        try:
            self.server.ensure_postgres_running()
        except subprocess.TimeoutExpired:
            from pgserver.postgres_server import PostmasterInfo

            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                info = PostmasterInfo.read_from_pgdata(self.server.pgdata)
                if info is not None and info.is_running() and info.status == "ready":
                    break
                time.sleep(0.2)
            self.server.ensure_postgres_running()  # running now: it only takes the server's details

    def stop(self) -> None:
        self.server.cleanup()


@contextmanager
def server_without_pgvector() -> Iterator[PgServer]:
    """A second server, run from a copy of pgserver's PostgreSQL without pgvector's files: a server nobody
    installed pgvector on."""
    pytest.importorskip("pgserver", reason="pgserver has no wheel for this Python (none after 3.12)")
    import pgserver
    from pgserver import _commands, postgres_server

    install = Path(pgserver.__file__).parent / "pginstall"
    original = _commands.POSTGRES_BIN_PATH
    with tempfile.TemporaryDirectory(prefix="untilgreen-pg-") as folder:
        copy = Path(folder) / "site" / "pgserver" / "pginstall"
        shutil.copytree(install, copy, symlinks=True)
        libs = install.parent.parent / "pgserver.libs"  # where the binaries' RPATH looks, from their folder
        (copy.parent.parent / libs.name).symlink_to(libs)
        for path in (copy / "share" / "postgresql" / "extension").glob("vector*"):
            path.unlink()
        _commands.POSTGRES_BIN_PATH = postgres_server.POSTGRES_BIN_PATH = copy / "bin"
        try:
            server = PgServer(Path(folder) / "pgdata")
            try:
                yield server
            finally:
                server.stop()
        finally:
            _commands.POSTGRES_BIN_PATH = postgres_server.POSTGRES_BIN_PATH = original


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    pytest.importorskip("pgserver", reason="pgserver has no wheel for this Python (none after 3.12)")
    with tempfile.TemporaryDirectory(prefix="untilgreen-pg-") as folder:
        server = PgServer(Path(folder) / "pgdata")
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def team_url(pg: PgServer) -> str:
    """A libpq URL of a fresh, empty database of the session's server."""
    return pg.url(pg.fresh_database())
