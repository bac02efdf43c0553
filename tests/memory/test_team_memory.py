"""The team store on a real PostgreSQL with pgvector: migrations, many writers, failures in one sentence,
redaction as the server stores it, read-only members, push and pull, and recall as the SQLite store recalls."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from tests.memory.memory_pairs import make_failure
from tests.memory.test_recall import SAME_CAUSE, card_for
from tests.support.pg import PgServer, server_without_pgvector

from untilgreen.cli import main
from untilgreen.errors import UserError
from untilgreen.memory import AttemptRecord, FixCard, RunRecord, Signature, Store, pgvectors, signature
from untilgreen.memory.transfer import copy_cards
from untilgreen.memory.postgres import MIGRATIONS, SCHEMA_VERSION, PgDb, ServerError, migrate

DIFF = (
    "--- a/app/core.py\n+++ b/app/core.py\n@@ -1 +1 @@\n-    return a / b\n+    return a / b if b else 0.0\n"
)
SIG = signature(make_failure("tests/t.py::test_a", "ZeroDivisionError", "division by zero", "ratio"))


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {r[0] for r in rows}


def test_migrations_from_empty_and_again(team_url: str) -> None:
    with Store.open(url=team_url, project="p1") as store:
        assert store.stats()["schema_version"] == SCHEMA_VERSION == len(MIGRATIONS)
    assert {"runs", "attempts", "signatures", "fix_cards", "card_reviews", "sig_emb", "schema_version"} <= (
        tables(team_url)
    )
    with psycopg.connect(team_url) as conn:
        (index,) = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'sig_emb_hnsw'").fetchone()
        assert "hnsw" in index and "vector_cosine_ops" in index
    with Store.open(url=team_url, project="p1") as store:  # a second open changes nothing
        assert store.stats()["fix_cards"] == {"accepted": 0, "pending": 0, "rejected": 0}
    with psycopg.connect(team_url) as conn:
        assert conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)
        ]


def test_migration_from_the_previous_version_keeps_cards_and_verdicts(team_url: str) -> None:
    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION vector")
        migrate(conn, "test", target=1)
        sig_id = conn.execute(
            "INSERT INTO signatures(project, digest, text, exc_type, message, functions, seen, first_seen, "
            "last_seen) VALUES ('p1', %s, %s, 'ZeroDivisionError', 'division by zero', %s, 1, 0, 0) RETURNING id",
            (SIG.digest, SIG.text, json.dumps(SIG.functions)),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO fix_cards(id, project, signature_id, summary, root_cause, diff, files, symbols, "
            "verification, created, status) VALUES ('f-old', 'p1', %s, 'guard', '', %s, '[]', '[]', '', 0, "
            "'accepted')",
            (sig_id, DIFF),
        )
    with Store.open(url=team_url, project="p1") as store:
        card = store.card("f-old")
        assert card is not None and card.status == "accepted" and len(card.digest) == 32
        assert store.reviews("f-old") == [("", True, 0.0)]
        # the vector table is built for signatures stored before it existed... on their next recall they are
        # found lexically; a new card of the same signature is found by vector too
        assert store.stats()["schema_version"] == SCHEMA_VERSION


def project_scan_plan(url: str) -> str:
    """The plan of a project's Hamming scan, with the planner kept off the table itself (a test's few rows)."""
    with psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        rows = conn.execute(
            "EXPLAIN SELECT sig_id FROM sig_bits WHERE project = 'p1' AND has_fix "
            "ORDER BY bit_count(code # code) LIMIT 20"
        ).fetchall()
    return "\n".join(r[0] for r in rows)


def test_the_migration_to_v4_makes_the_project_scan_read_the_codes_index_only(team_url: str) -> None:
    with Store.open(url=team_url, project="p1") as store:
        store.add_fix_card(FixCard(SIG, DIFF, "p1"))
    # the store as version 3 left it: the codes' index without them
    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute("DROP INDEX sig_bits_codes")
        conn.execute("CREATE INDEX sig_bits_project ON sig_bits(project) WHERE has_fix")
        conn.execute("DELETE FROM schema_version WHERE version = 4")
    assert "Index Only Scan" not in project_scan_plan(team_url)
    with Store.open(url=team_url, project="p1") as store:
        assert store.stats()["schema_version"] == 4
        assert store.recall(SIG)[0].card.diff == DIFF
    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute("VACUUM sig_bits")  # index-only scans need the visibility map
        names = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'sig_bits'")}
    assert names == {"sig_bits_pkey", "sig_bits_codes"}
    assert "Index Only Scan using sig_bits_codes" in project_scan_plan(team_url)


def _writer(url: str, worker: int, cards: int) -> None:
    with Store.open(url=url, project="p-shared", label=f"member-{worker}") as store:
        run_id = store.record_run(RunRecord("p-shared", goal=f"worker {worker}"))
        for i in range(cards):
            # half the signatures are the same for every writer: they race to store the same row
            shared = i % 2 == 0
            failure = make_failure(
                f"tests/t.py::test_{i}",
                "KeyError",
                f"'key_{i if shared else f'{worker}_{i}'}'",
                f"lookup_{i}" if shared else f"lookup_{worker}_{i}",
            )
            sig = signature(failure)
            store.record_signatures(run_id, [sig])
            store.record_attempt(run_id, AttemptRecord(n=i + 1, tokens_in=10, outcome="green"))
            store.add_fix_card(FixCard(sig, DIFF.replace("0.0", f"{worker}.{i}"), "p-shared", run_id=run_id))
        store.finish_run(run_id, "green")


def _reader(url: str, rounds: int) -> int:
    found = 0
    with Store.open(url=url, project="p-shared") as store:
        for i in range(rounds):
            sig = signature(
                make_failure(f"tests/t.py::test_{i % 8}", "KeyError", f"'key_{i % 8}'", f"lookup_{i % 8}")
            )
            found += len(store.recall(sig, k=3))
    return found


def test_members_opening_an_empty_database_at_once_all_open_it(team_url: str) -> None:
    """Each one may create the extension and migrate; they queue instead of one failing on the others' work."""
    members = 12
    start = threading.Barrier(members)

    def open_store(_: int) -> int:
        start.wait()
        db = PgDb(team_url)
        try:
            return schema_version_of(team_url)
        finally:
            db.close()

    with ThreadPoolExecutor(members) as pool:
        assert list(pool.map(open_store, range(members))) == [SCHEMA_VERSION] * members


def schema_version_of(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT max(version) FROM schema_version").fetchone()[0])


@pytest.mark.slow
def test_twenty_writer_processes_and_readers_lose_and_duplicate_nothing(team_url: str) -> None:
    writers, cards = 20, 8
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(writers + 4) as pool:
        # every writer opens an empty database: they race on the schema too, then on the same signatures
        jobs = [pool.apply_async(_writer, (team_url, w, cards)) for w in range(writers)]
        readers = [pool.apply_async(_reader, (team_url, 30)) for _ in range(4)]
        for job in jobs:
            job.get(timeout=240)
        assert all(r.get(timeout=240) >= 0 for r in readers)
    with Store.open(url=team_url, project="p-shared") as store:
        stats = store.stats()
        assert stats["runs"] == writers and stats["attempts"] == writers * cards
        assert stats["fix_cards"]["pending"] == writers * cards
        assert stats["signatures"] == cards // 2 + writers * cards // 2  # shared ones once each
        seen = dict(store.db.execute("SELECT digest, seen FROM signatures").fetchall())
        assert len(seen) == stats["signatures"]
        shared = [s for s in seen.values() if s == writers]
        assert len(shared) == cards // 2  # every writer's sighting of a shared signature counted
        assert store.db.execute("SELECT count(*) FROM sig_emb").fetchone()[0] == stats["signatures"]
        assert store.db.execute("SELECT count(DISTINCT origin) FROM fix_cards").fetchone()[0] == writers


def test_a_wrong_password_is_one_sentence(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    database = pg.fresh_database()
    pg.sql("DROP ROLE IF EXISTS alice")
    pg.sql("CREATE ROLE alice LOGIN PASSWORD 'right-one' SUPERUSER")
    hba = pg.pgdata / "pg_hba.conf"
    original = hba.read_text()
    hba.write_text("local all alice scram-sha-256\n" + original)
    pg.sql("SELECT pg_reload_conf()")
    try:
        monkeypatch.setenv("TEAM_DB_PASSWORD", "wrong-one")
        with pytest.raises(ServerError) as err:
            Store.open(url=pg.url(database, user="alice"), password_env="TEAM_DB_PASSWORD", project="p")
        message = str(err.value)
        assert "refused the password of alice" in message and "$TEAM_DB_PASSWORD" in message
        assert "wrong-one" not in message and "\n" not in message
        monkeypatch.setenv("TEAM_DB_PASSWORD", "right-one")
        Store.open(url=pg.url(database, user="alice"), password_env="TEAM_DB_PASSWORD", project="p").close()
        monkeypatch.delenv("TEAM_DB_PASSWORD")
        with pytest.raises(
            UserError, match=r"memory.password_env names \$TEAM_DB_PASSWORD, which is not set"
        ):
            Store.open(url=pg.url(database, user="alice"), password_env="TEAM_DB_PASSWORD", project="p")
    finally:
        hba.write_text(original)
        pg.sql("SELECT pg_reload_conf()")


def test_an_unreachable_host_is_one_sentence() -> None:
    with pytest.raises(ServerError) as err:
        Store.open(url="postgresql://team@127.0.0.1:1/memory", project="p")
    message = str(err.value)
    assert message.startswith("The team memory at 127.0.0.1:1/memory cannot be reached")
    assert "check memory.url and that the server is running" in message


def test_a_missing_vector_extension_says_who_can_add_it(pg: PgServer) -> None:
    database = pg.fresh_database()
    pg.sql("DROP ROLE IF EXISTS bob")
    pg.sql("CREATE ROLE bob LOGIN")
    pg.sql(f"GRANT ALL ON DATABASE {database} TO bob")
    pg.sql("GRANT ALL ON SCHEMA public TO bob", database)
    with pytest.raises(ServerError) as err:
        Store.open(url=pg.url(database, user="bob"), project="p")
    assert "has no `vector` extension and bob may not create it" in str(err.value)
    assert "ask its owner to run `CREATE EXTENSION vector;` in it" in str(err.value)
    pg.sql("CREATE EXTENSION vector", database)  # once the owner did, bob's store opens
    Store.open(url=pg.url(database, user="bob"), project="p").close()


def test_a_server_without_pgvector_says_to_install_it() -> None:
    with server_without_pgvector() as bare:
        with pytest.raises(ServerError) as err:
            Store.open(url=bare.url(bare.fresh_database()), project="p")
    assert str(err.value).endswith(
        "has no pgvector: install pgvector 0.5 or newer on it (on a managed service, enable the `vector` extension)."
    )


def _server_text(url: str) -> str:
    """Every row of every table as the server returns it."""
    with psycopg.connect(url) as conn:
        names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return "\n".join(
            str(row[0]) for name in names for row in conn.execute(f"SELECT t::text FROM {name} t").fetchall()
        )


def test_secrets_are_redacted_before_they_reach_the_server(team_url: str, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / ".env").write_text("PAYMENTS_TOKEN=hunter2-very-secret-value\n")
    key = "sk-proj-" + "A1b2C3d4E5f6G7h8J9k0L1m2"
    with Store.open(url=team_url, root=project) as store:
        run_id = store.record_run(RunRecord(store.project or "", goal=f"use {key}"))
        store.record_attempt(
            run_id, AttemptRecord(n=1, prompt=f"token hunter2-very-secret-value and {key}", response=key)
        )
        leaky = DIFF.replace("0.0", "'hunter2-very-secret-value'")
        store.add_fix_card(FixCard(SIG, leaky, store.project or "", summary=f"rotated {key}", run_id=run_id))
        store.finish_run(run_id, "green", final_diff=leaky)
    stored = _server_text(team_url)
    assert "hunter2-very-secret-value" not in stored and key not in stored
    assert "[REDACTED]" in stored and "ZeroDivisionError" in stored


def test_a_read_only_member_recalls_and_writes_nothing(team_url: str) -> None:
    with Store.open(url=team_url, project="p1") as store:
        card_id = store.add_fix_card(FixCard(SIG, DIFF, "p1", summary="guard"))
    before = _server_text(team_url)
    with Store.open(url=team_url, project="p1", read_only=True) as ci:
        assert [r.card.id for r in ci.recall(SIG)] == [card_id]
        run_id = ci.record_run(RunRecord("p1"))
        ci.record_signatures(run_id, [SIG])
        ci.record_attempt(run_id, AttemptRecord(n=1, fix_card=card_id))
        ci.add_fix_card(FixCard(SIG, DIFF.replace("0.0", "1.0"), "p1"))
        ci.finish_run(run_id, "green")
        with pytest.raises(UserError, match="read-only"):
            ci.forget(card_id)
        with pytest.raises(UserError, match="read-only"):
            ci.review(card_id, True)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):  # the server refuses too
            ci.db.execute("DELETE FROM fix_cards")
    assert _server_text(team_url) == before


def test_every_members_verdict_counts_once(team_url: str) -> None:
    with Store.open(url=team_url, project="p1", label="ana") as ana:
        card_id = ana.add_fix_card(FixCard(SIG, DIFF, "p1"))
        ana.review(card_id, False)
        assert ana.recall(SIG) == []  # rejected by the only verdict
    for member in ("bo", "cy"):
        with Store.open(url=team_url, project="p1", label=member) as store:
            store.review(card_id, True)
            store.review(card_id, True)  # a member's second verdict replaces the first
    with Store.open(url=team_url, project="p1") as store:
        (found,) = store.recall(SIG)
        assert found.card.status == "accepted" and found.card.origin == "ana"
        assert sorted((r, a) for r, a, _ in store.reviews(card_id)) == [
            ("ana", False),
            ("bo", True),
            ("cy", True),
        ]


def test_recall_matches_the_sqlite_store_on_the_memory_pairs(team_url: str, tmp_path: Path) -> None:
    with (
        Store.open(tmp_path / "m.sqlite3", project="p-this") as local,
        Store.open(url=team_url, project="p-this") as team,
    ):
        for stored, _ in SAME_CAUSE.values():
            card = card_for(stored)
            local.add_fix_card(card)
            team.add_fix_card(card)
        for stored, variants in SAME_CAUSE.values():
            for failure in [stored, *variants]:
                sig = signature(failure)
                ours, theirs = local.recall(sig), team.recall(sig)
                assert [r.card.digest for r in ours][:1] == [r.card.digest for r in theirs][:1]
                assert [round(r.score, 3) for r in ours][:1] == [round(r.score, 3) for r in theirs][:1]


def test_push_and_pull_move_cards_once(
    team_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine, theirs = tmp_path / "mine.sqlite3", tmp_path / "theirs.sqlite3"
    with Store.open(mine, project="p1", label="ana") as local:
        card_id = local.add_fix_card(FixCard(SIG, DIFF, "p1", summary="guard the zero divisor"))
        local.review(card_id, True)
    monkeypatch.setenv("UNTILGREEN_MEMORY_URL", team_url)
    monkeypatch.setenv("UNTILGREEN_MEMORY_LABEL", "ana")
    monkeypatch.chdir(tmp_path)
    assert main(["memory", "push", "--memory", str(mine), "--json"]) == 0
    pushed = json.loads(capsys.readouterr().out)
    assert (pushed["fix_cards"], pushed["already_there"], pushed["verdicts"]) == (1, 0, 1)
    assert main(["memory", "push", "--memory", str(mine), "--json"]) == 0  # again: nothing new
    again = json.loads(capsys.readouterr().out)
    assert (again["fix_cards"], again["already_there"], again["verdicts"]) == (0, 1, 0)
    assert main(["memory", "stats", "--json"]) == 0  # with memory.url set, the commands read the team store
    stats = json.loads(capsys.readouterr().out)
    assert stats["backend"] == "postgresql" and stats["fix_cards"]["accepted"] == 1
    monkeypatch.setenv("UNTILGREEN_MEMORY_LABEL", "bo")
    assert main(["memory", "pull", "--memory", str(theirs)]) == 0
    assert "Pulled 1 fix card(s)" in capsys.readouterr().out
    with Store.open(theirs, project="p1") as other:
        (found,) = other.recall(SIG)
        assert found.card.summary == "guard the zero divisor" and found.card.status == "accepted"
        assert found.card.origin == "ana"
    monkeypatch.delenv("UNTILGREEN_MEMORY_URL")
    assert main(["memory", "push", "--memory", str(mine)]) == 2
    assert "set memory.url" in capsys.readouterr().err


def test_doctor_says_whether_the_team_memory_opens(
    team_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("UNTILGREEN_MEMORY_URL", team_url)
    assert main(["doctor", str(tmp_path), "--json"]) == 0
    memory = json.loads(capsys.readouterr().out)["memory"]
    assert memory["ok"] and memory["backend"] == "postgresql" and "pgvector 0.6" in memory["server"]
    monkeypatch.setenv("UNTILGREEN_MEMORY_URL", "postgresql://team@127.0.0.1:1/memory")
    assert main(["doctor", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "memory       unusable: The team memory at 127.0.0.1:1/memory cannot be reached" in out


# -- bulk loads ------------------------------------------------------------------------------------------------

EXC = ["KeyError", "ValueError", "TypeError", "ZeroDivisionError", "IndexError", "AttributeError"]


def many_cards(n: int, projects: int = 3, offset: int = 0) -> list[FixCard]:
    """`n` cards with distinct signatures spread over `projects` projects."""
    cards = []
    for i in range(offset, offset + n):
        failure = make_failure(
            f"tests/test_{i % 7}.py::test_{i}",
            EXC[i % len(EXC)],
            f"'item_{i}' of batch {i // 50}",
            f"handle_{i}",
            f"step_{i % 11}_{i}",
        )
        cards.append(
            FixCard(signature(failure), DIFF.replace("0.0", f"{i}.0"), f"p{i % projects}", summary=f"fix {i}")
        )
    return cards


def near(card: FixCard, i: int) -> Signature:
    """The card's failure reached from another test, through a caller it did not have."""
    failure = make_failure(
        f"tests/other.py::test_again_{i}",
        EXC[i % len(EXC)],
        f"'item_{i}' of batch {i // 50}",
        f"view_{i}",
        f"handle_{i}",
        f"step_{i % 11}_{i}",
    )
    return signature(failure)


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A small bulk threshold (so a test batch takes the bulk path) and a record of the index builds."""
    monkeypatch.setattr(pgvectors, "BULK_MIN", 100)
    built: list[int] = []
    build = pgvectors.PgVectors.build_index

    def counted(self: pgvectors.PgVectors) -> bool:
        done = build(self)
        built.append(int(done))
        return done

    monkeypatch.setattr(pgvectors.PgVectors, "build_index", counted)
    return built


def index_valid(url: str) -> bool | None:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('sig_emb_hnsw')"
        ).fetchone()
    return None if row is None else bool(row[0])


def test_a_big_batch_is_loaded_then_indexed_and_recalls_as_row_by_row(
    pg: PgServer, team_url: str, bulk: list[int]
) -> None:
    cards = many_cards(200)
    with Store.open(url=team_url, project="p0") as batched:
        ids = batched.add_fix_cards(cards)
        assert bulk == [1] and index_valid(team_url)  # the graph was built once, after the load
        assert len(set(ids)) == 200 and batched.stats()["signatures"] == 200
        counts = batched.db.execute("SELECT (SELECT count(*) FROM sig_emb), (SELECT count(*) FROM sig_bits)")
        assert counts.fetchone() == (200, 200)
        assert batched.db.execute("SELECT count(*) FROM sig_emb WHERE has_fix").fetchone()[0] == 200
        one_by_one_url = pg.url(pg.fresh_database())
        with Store.open(url=one_by_one_url, project="p0") as single:
            for card in cards:
                single.add_fix_card(card)
            assert bulk == [1]  # one card at a time never drops the graph
            for i, card in enumerate(cards):
                for query in (card.signature, near(card, i)):
                    got = [r.card.summary for r in batched.recall(query, project=card.project)]
                    want = [r.card.summary for r in single.recall(query, project=card.project)]
                    assert got[:1] == want[:1] == [card.summary]
                    assert got == want
            words = [r.card.summary for r in batched.search("handle_17 step_6_17")][:1]
            assert words == [r.card.summary for r in single.search("handle_17 step_6_17")][:1] == ["fix 17"]
        # while the graph is missing (being rebuilt, or a loader died), cross-project recall scans exactly
        with psycopg.connect(team_url, autocommit=True) as conn:
            conn.execute("DROP INDEX sig_emb_hnsw")
        (found, *_) = batched.recall(near(cards[5], 5), project="p1", cross_project=True)
        assert found.card.id == ids[5]  # another project's card: its signature and diff only
        assert batched.vectors.build_index() and index_valid(team_url)  # type: ignore[attr-defined]


def test_a_batch_small_next_to_the_store_keeps_the_graph(team_url: str, bulk: list[int]) -> None:
    with Store.open(url=team_url, project="p0") as store:
        store.add_fix_cards(many_cards(450))
        store.add_fix_cards(many_cards(50, offset=450))  # below the threshold
        assert bulk == [1]
        store.db.execute("ANALYZE sig_emb")  # the store's size estimate
        store.add_fix_cards(
            many_cards(110, offset=500)
        )  # above it, but the store is more than 4 times larger
        assert bulk == [1] and index_valid(team_url)
        assert store.db.execute("SELECT count(*) FROM sig_emb WHERE has_fix").fetchone()[0] == 610


def test_duplicates_within_and_across_batches_are_stored_once(
    team_url: str, tmp_path: Path, bulk: list[int]
) -> None:
    cards = many_cards(300)
    repeated = cards + cards[:40]  # the same cards again in the same batch
    with Store.open(tmp_path / "mine.sqlite3", project="p0") as mine:
        mine.add_fix_cards(repeated)
        for card_id in mine.add_fix_cards(many_cards(20, offset=1000))[:3]:
            mine.review(card_id, True)
        with Store.open(url=team_url, project="p0") as team:
            first = copy_cards(mine, team)
            assert bulk == [1]
            assert (first["fix_cards"], first["already_there"], first["verdicts"]) == (320, 40, 3)
            again = copy_cards(mine, team)
            assert (again["fix_cards"], again["already_there"], again["verdicts"]) == (0, 360, 0)
            one = dict(team.db.execute("SELECT digest, count(*) FROM fix_cards GROUP BY digest").fetchall())
            assert len(one) == 320 and set(one.values()) == {1}
            # the same signatures in a new batch of cards: new cards, no new signature or vector
            team.add_fix_cards([dataclasses.replace(c, diff=c.diff + "+z\n") for c in cards[:150]])
            assert team.stats()["signatures"] == 320
            assert team.db.execute("SELECT count(*) FROM sig_emb").fetchone()[0] == 320
            assert team.stats()["fix_cards"]["pending"] == 320 - 3 + 150


def test_a_member_writing_during_a_bulk_load_loses_nothing(team_url: str, bulk: list[int]) -> None:
    with Store.open(url=team_url, project="p0"):
        pass  # the schema, before the two start
    loaded = threading.Event()
    written: list[str] = []

    def member() -> None:
        with Store.open(url=team_url, project="p9", label="bo") as store:
            i = 0
            while not loaded.is_set() or i < 20:
                card = many_cards(1, offset=10_000 + i)[0]
                written.append(store.add_fix_card(dataclasses.replace(card, project="p9")))
                assert store.recall(near(card, 10_000 + i), project="p9")[0].card.id == written[-1]
                i += 1

    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(member)
        with Store.open(url=team_url, project="p0", label="ana") as store:
            store.add_fix_cards(many_cards(1500))
            during = len(written)
            loaded.set()
        job.result(timeout=120)
    assert bulk == [1] and index_valid(team_url) and during > 0
    with Store.open(url=team_url, project="p0") as store:
        stats = store.stats()
        assert stats["fix_cards"]["pending"] == 1500 + len(written) == stats["signatures"]
        assert (
            store.db.execute("SELECT count(*) FROM sig_emb WHERE has_fix").fetchone()[0]
            == stats["signatures"]
        )
        for i in range(0, 1500, 97):
            card = many_cards(1, offset=i)[0]
            assert store.recall(near(card, i), project=card.project)[0].card.summary == f"fix {i}"
        for card_id in written:  # the member's cards, found through the rebuilt graph too
            card = store.card(card_id)
            assert card is not None and store.search(card.signature.text)[0].card.id == card_id


def test_a_missing_hnsw_index_is_announced_on_open_and_reindex_builds_it(
    team_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(url=team_url, project="p1") as store:
        store.add_fix_card(FixCard(SIG, DIFF, "p1"))
        assert store.notice == ""
    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute("DROP INDEX sig_emb_hnsw")  # what a bulk load that died before its build leaves
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UNTILGREEN_MEMORY_URL", team_url)
    assert main(["memory", "stats", "--json"]) == 0
    err = capsys.readouterr().err
    assert "HNSW index is missing" in err and "scan every signature" in err
    assert "`untilgreen memory reindex` builds it" in err
    with Store.open(url=team_url, project="p1", read_only=True) as ci:  # it cannot build: it is told who can
        assert "a member without memory.read_only running `untilgreen memory reindex`" in ci.notice
    assert main(["memory", "reindex"]) == 0
    assert capsys.readouterr().out == "Built the HNSW index.\n" and index_valid(team_url)
    assert main(["memory", "reindex"]) == 0
    out = capsys.readouterr()
    assert out.out == "The HNSW index is there; nothing to build.\n" and "missing" not in out.err
    with Store.open(tmp_path / "m.sqlite3") as store, pytest.raises(UserError, match="is a file"):
        store.reindex()
