"""Redaction, two writer processes, bad files moved aside, migrations, re-embedding on an embedder switch."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from tests.memory.memory_pairs import make_failure

from untilgreen.memory import AttemptRecord, FixCard, RunRecord, Store, redact, signature
from untilgreen.memory.db import MIGRATIONS, SCHEMA_VERSION, connect, migrate, schema_version

KEY = "sk-proj-Q7vX2mN9pL4kR8sT1wY6zB3cD5fH0jK"
ENV_VALUE = "hunter2-correct-horse-battery"
SIG = signature(make_failure("tests/test_a.py::test_a", "ZeroDivisionError", "division by zero", "ratio"))


def test_redact_patterns() -> None:
    text = (
        f"OPENAI_API_KEY={KEY}\nAuthorization: Bearer abcdefghijklmnop1234\n"
        "aws AKIAIOSFODNN7EXAMPLE gh ghp_0123456789abcdefghijklmnopqrstuvwxyz01\n"
        'password = "swordfish99"\nurl = "postgres://app:s3cretpass@db:5432/x"\n'
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n"
        "api_token: 9fQ2xL7vR4mK8sN1pT6wY3zB5cD0hJ2g\n"
    )
    out = redact(text)
    for secret in (
        KEY,
        "abcdefghijklmnop1234",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_0123",
        "swordfish99",
        "s3cretpass",
        "eyJhbGci",
        "9fQ2xL7vR4mK8sN1pT6wY3zB5cD0hJ2g",
    ):
        assert secret not in out, secret
    assert "OPENAI_API_KEY=" in out and "password = " in out


def test_redact_leaves_code_alone() -> None:
    code = "api_key = settings.api_key\ntoken_count = tokens_in + tokens_out\nsecret_name = name\n"
    assert redact(code) == code
    assert redact("x = 'private value'", extra_secrets=["private value", "abc"]) == "x = '[REDACTED]'"


def test_planted_secrets_never_reach_the_file(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".env").write_text(f"DB_PASSWORD={ENV_VALUE}\nDEBUG=1\n")
    path = tmp_path / "m.sqlite3"
    with Store.open(path, root=root) as store:
        run = store.record_run(RunRecord(project=store.project or "", goal=f"use {KEY}", command="pytest"))
        store.record_attempt(
            run,
            AttemptRecord(
                n=1, prompt=f"key {KEY} env {ENV_VALUE}", response=ENV_VALUE, diff=f"+API_KEY = '{KEY}'"
            ),
        )
        store.add_fix_card(
            FixCard(
                SIG,
                diff=f"--- a/c.py\n+++ b/c.py\n@@ -1 +1 @@\n-x\n+k = '{KEY}'\n",
                project=store.project or "",
                summary=f"rotated {ENV_VALUE}",
            )
        )
        store.finish_run(run, "green", final_diff=KEY)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = b"".join(p.read_bytes() for p in tmp_path.glob("m.sqlite3*"))
    assert KEY.encode() not in data and ENV_VALUE.encode() not in data
    assert b"[REDACTED]" in data


def _writer(path: str, tag: str, n: int) -> None:
    with Store.open(Path(path), project="p-shared") as store:
        for i in range(n):
            run = store.record_run(RunRecord(project="p-shared", goal=f"{tag}-{i}"))
            store.record_attempt(run, AttemptRecord(n=1, prompt="p", outcome="green"))
            failure = make_failure(
                f"tests/test_{tag}.py::test_{i}", "ValueError", f"bad {tag}", f"fn_{tag}_{i}"
            )
            store.record_signatures(run, [signature(failure)])
            store.finish_run(run, "green")


def test_two_writer_processes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), tag, 40)) for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    with Store.open(path, project="p-shared") as store:
        stats = store.stats()
        assert (stats["runs"], stats["attempts"], stats["signatures"]) == (80, 80, 80)
        assert store.vectors.conn.execute("SELECT count(*) FROM sig_vec").fetchone()[0] == 80


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database at all\n" * 100),
        lambda p: p.write_bytes(p.read_bytes()[: 4096 + 100]),
        lambda p: _set_version(p, SCHEMA_VERSION + 1),
    ],
    ids=["garbage", "truncated", "newer-schema"],
)
def test_bad_file_is_moved_aside(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.sqlite3"
    with Store.open(path, project="p") as store:
        store.add_fix_card(FixCard(SIG, diff="", project="p"))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(path)
    with Store.open(path, project="p") as store:
        assert "moved to m.sqlite3.corrupt-" in store.notice and "fresh one was created" in store.notice
        assert store.stats()["fix_cards"]["pending"] == 0
        store.add_fix_card(FixCard(SIG, diff="", project="p"))
    assert len(list(tmp_path.glob("m.sqlite3.corrupt-*"))) == 1
    with Store.open(path, project="p") as store:
        assert store.notice == ""


def _set_version(path: Path, version: int) -> None:
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def test_v1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = connect(path)
    migrate(conn, target=1)
    assert schema_version(conn) == 1
    conn.execute(
        "INSERT INTO signatures(project, digest, text, exc_type, message, functions, first_seen, last_seen) "
        "VALUES ('p', ?, ?, 'ZeroDivisionError', 'division by zero', '[\"ratio\"]', 0, 0)",
        (SIG.digest, SIG.text),
    )
    conn.execute(
        "INSERT INTO fix_cards(id, project, signature_id, summary, root_cause, diff, files, symbols, verification, "
        "created) VALUES ('f-old', 'p', 1, 'guard the divisor', '', '', '[]', '[]', '', 0)"
    )
    conn.close()
    with Store.open(path, project="p") as store:
        assert schema_version(store.db.conn) == SCHEMA_VERSION == len(MIGRATIONS)
        (rec,) = store.recall(SIG)
        assert rec.card.id == "f-old" and rec.card.status == "pending" and rec.score == 1.0
        assert store.search("guard divisor")[0].card.id == "f-old"


def test_switching_embedder_re_embeds(tmp_path: Path) -> None:
    """A real litellm model cannot run here; a second local embedder (another dimension) exercises the switch."""
    path = tmp_path / "m.sqlite3"
    with Store.open(path, project="p") as store:
        store.add_fix_card(FixCard(SIG, diff="", project="p"))
    with Store.open(path, project="p", embedder="hash-ngram-256") as store:
        assert store.stats()["dimension"] == 256
        assert (
            store.db.execute("SELECT value FROM meta WHERE key = 'embedder_id'").fetchone()[0]
            == "hash-ngram-256"
        )
        assert len(store.db.execute("SELECT embedding FROM sig_emb").fetchone()[0]) == 256 * 4
        assert store.recall(SIG)[0].score == 1.0


def test_stdlib_or_sqlean_driver() -> None:
    from untilgreen.memory.db import driver

    assert driver() is sqlite3 or driver().__name__ == "sqlean"


def test_reopening_without_an_embedder_keeps_the_files(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    Store.open(path, project="p", embedder="hash-ngram-256").close()
    with Store.open(path, project="p") as store:
        assert store.vectors.embedder.id == "hash-ngram-256"
