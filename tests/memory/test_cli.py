"""The memory and runs subcommands, through their own parsers and handlers."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest
from tests.memory.memory_pairs import make_failure
from tests.support.damaged_memory import write_damaged_store

from untilgreen.cli import main
from untilgreen.cli import memory as memory_cli
from untilgreen.cli import runs as runs_cli
from untilgreen.memory import AttemptRecord, FixCard, RunRecord, Store, signature

DIFF = (
    "--- a/app/core.py\n+++ b/app/core.py\n@@ -1 +1 @@\n-    return a / b\n+    return a / b if b else 0.0\n"
)


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="untilgreen")
    sub = parser.add_subparsers(dest="command")
    memory_cli.register(sub)
    runs_cli.register(sub)
    args = parser.parse_args(argv)
    return int(args.handler(args))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A store with one run and one card, for the commands to read. On PostgreSQL, `memory.url` names it and
    `--memory ""` (no file given) leaves the commands on it."""
    path = tmp_path / "m.sqlite3"
    sig = signature(make_failure("tests/t.py::test_a", "ZeroDivisionError", "division by zero", "ratio"))
    if request.param == "postgresql":
        url = request.getfixturevalue("team_url")
        monkeypatch.setenv("UNTILGREEN_MEMORY_URL", url)
        opened, shown = Store.open(url=url, project="p1"), ""
    else:
        opened, shown, url = Store.open(path, project="p1"), str(path), ""
    with opened as store:
        run = store.record_run(RunRecord(project="p1", goal="make test_a pass", model="openai/x"))
        store.record_signatures(run, [sig])
        store.record_attempt(
            run,
            AttemptRecord(
                n=1,
                model="openai/x",
                tokens_in=900,
                tokens_out=100,
                cost=0.002,
                tests="1 passed",
                diff=DIFF,
                outcome="green",
            ),
        )
        store.finish_run(run, "green", stop_reason="green", final_diff=DIFF)
        card = store.add_fix_card(FixCard(sig, DIFF, "p1", summary="guard the zero divisor", run_id=run))
    return {"path": shown, "run": run, "card": card, "url": url}


def test_stats_search_show(db: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("memory", "stats", "--memory", db["path"], "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["runs"] == 1 and stats["fix_cards"]["pending"] == 1 and stats["tokens_in"] == 900
    assert cli("memory", "search", "ZeroDivisionError in ratio", "--memory", db["path"], "--json") == 0
    (hit,) = json.loads(capsys.readouterr().out)["results"]
    assert hit["card"]["id"] == db["card"]
    assert cli("memory", "show", db["card"], "--memory", db["path"], "--json") == 0
    assert json.loads(capsys.readouterr().out)["fix_card"]["summary"] == "guard the zero divisor"
    assert cli("memory", "show", db["card"], "--memory", db["path"]) == 0
    assert "guard the zero divisor" in capsys.readouterr().out
    assert cli("memory", "stats", "--memory", db["path"]) == 0
    assert "hash-ngram-384" in capsys.readouterr().out


def test_search_masks_the_query_and_matches_the_message(
    db: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Users paste what they saw (`assert 10.0 == 9.0`) or a short message; signatures hold `assert <N> == <N>`."""
    failures = {
        "total": (
            "AssertionError",
            "assert 9.0 == 10.0\n +  where 9.0 = <bound method Cart.total>()",
            "total",
        ),
        "slug": ("AssertionError", "assert 'abc' == 'abd'", "slugify"),
        "list": ("AssertionError", "assert [1, 2] == [1, 2, 3]", "items"),
        "types": ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'", "add_all"),
    }
    opened = (
        Store.open(Path(db["path"]), project="p1") if db["path"] else Store.open(url=db["url"], project="p1")
    )
    with opened as store:
        ids = {
            name: store.add_fix_card(
                FixCard(
                    signature(make_failure(f"tests/t.py::test_{name}", *failure)), DIFF, "p1", summary=name
                )
            )
            for name, failure in failures.items()
        }
    for query, card in [
        ("assert 10.0 == 9.0", ids["total"]),
        ("AssertionError: assert 10.5 == 11", ids["total"]),
        ("division by zero", db["card"]),
        ("unsupported operand type(s) for +", ids["types"]),
        ("100% of a_b", None),  # LIKE's wildcards are the user's characters
    ]:
        assert cli("memory", "search", query, "--memory", db["path"], "--json") == 0
        results = json.loads(capsys.readouterr().out)["results"]
        assert (results[0]["card"]["id"] if results else None) == card, (query, results)


def test_runs_list_and_show(db: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("runs", "--memory", db["path"], "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    (run,) = listed["runs"]
    assert (run["id"], run["attempts"], run["tokens_out"], run["outcome"]) == (db["run"], 1, 100, "green")
    assert listed["totals"] == {"runs": 1, "green": 1, "cost": 0.002, "cost_per_green": 0.002}
    assert cli("runs", "show", db["run"], "--memory", db["path"], "--json") == 0
    detail = json.loads(capsys.readouterr().out)["run"]
    assert detail["attempts"][0]["tests"] == "1 passed" and detail["signatures"]
    assert cli("runs", "show", db["run"], "--memory", db["path"]) == 0
    assert "openai/x" in capsys.readouterr().out
    assert cli("runs", "--memory", db["path"]) == 0
    out = capsys.readouterr().out
    assert db["run"] in out and "1 run(s), 1 green: $0.0020 spent, $0.0020 per green" in out


def test_tables_read_at_80_columns(
    db: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing cut short ("2026-1…", "attem…"), nothing wider than the terminal: headers wrap between words."""
    monkeypatch.setenv("COLUMNS", "80")
    for argv, words in [
        (["runs"], "id started mode outcome attempts tokens cost goal / stop reason"),
        (["runs", "show", db["run"]], "# source model outcome tests tokens cost seconds"),
        (["memory", "search", "division by zero"], "id score status failure files summary"),
    ]:
        assert cli(*argv, "--memory", db["path"]) == 0
        out = capsys.readouterr().out
        assert "…" not in out and max(map(len, out.splitlines())) <= 80, out
        assert set(words.split()) <= set(out.split()), out
        if argv == ["runs"]:
            assert re.search(r"r-\w+ +\d{4}-\d{2}-\d{2} \d{2}:\d{2} ", out), out


def test_unknown_ids_are_usage_errors(db: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("runs", "show", "r-nope", "--memory", db["path"]) == 2
    assert cli("memory", "show", "f-nope", "--memory", db["path"]) == 2
    assert cli("memory", "forget", "f-nope", "--memory", db["path"]) == 2
    assert cli("memory", "import", "/nonexistent.json", "--memory", db["path"]) == 2
    assert "no run" in capsys.readouterr().err


def test_damage_found_while_reading_is_one_sentence_and_the_file_is_moved_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.sqlite3"
    write_damaged_store(path)
    assert main(["memory", "stats", "--memory", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err and "Traceback" not in err
    assert len(list(tmp_path.glob("m.sqlite3.corrupt-*"))) == 1
    assert main(["memory", "stats", "--memory", str(path), "--json"]) == 0  # a fresh, empty store
    assert json.loads(capsys.readouterr().out)["signatures"] == 0


def test_export_forget_import_roundtrip(
    db: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "export.json"
    assert cli("memory", "export", str(out), "--memory", db["path"], "--json") == 0
    assert json.loads(capsys.readouterr().out)["fix_cards"] == 1
    assert cli("memory", "forget", db["card"], "--memory", db["path"], "--json") == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "fix card"
    assert cli("memory", "forget", db["run"], "--memory", db["path"]) == 0
    assert capsys.readouterr().out == f"Forgot run {db['run']}.\n"
    fresh = tmp_path / "other.sqlite3"
    for target in (db["path"], str(fresh)):
        assert cli("memory", "import", str(out), "--memory", target, "--json") == 0
        counts = json.loads(capsys.readouterr().out)
        assert (counts["runs"], counts["attempts"], counts["fix_cards"]) == (1, 1, 1)
    with Store.open(fresh, project="p1") as store:
        sig = signature(make_failure("tests/u.py::test_b", "ZeroDivisionError", "division by zero", "ratio"))
        (rec,) = store.recall(sig)
        assert rec.card.id == db["card"] and rec.card.run_id == db["run"]
    assert cli("memory", "import", str(out), "--memory", str(fresh), "--json") == 0
    assert json.loads(capsys.readouterr().out)["fix_cards"] == 0


def test_memory_path_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "env.sqlite3")
    monkeypatch.setenv("UNTILGREEN_MEMORY_PATH", path)
    assert cli("memory", "stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["path"] == path


def test_export_and_import_keep_what_resuming_a_run_needs(tmp_path: Path, team_url: str) -> None:
    out = tmp_path / "export.json"
    secret = "sk-abcdefghijklmnopqrstuvwx"
    resume = {
        "attempts": 2,
        "settings": {"model": "openai/x", "api_base": f"https://me:{secret}@llm.example"},
        "files": {"src/auth.py": "e3" * 32},  # a hash under a name that looks secret: kept as it is
    }
    with Store.open(tmp_path / "a.sqlite3", project="p1") as store:
        first = store.record_run(RunRecord(project="p1", goal="make it pass"))
        store.record_attempt(first, AttemptRecord(n=1, diff=DIFF, outcome="red", fingerprint="fp-1"))
        store.finish_run(first, "stopped", stop_reason="budget", resume=resume)
        second = store.record_run(RunRecord(project="p1", goal="make it pass", resumed_from=first))
        kept = store.run(first).resume  # type: ignore[union-attr]
        store.export(out)
    assert secret not in out.read_text() and kept["files"] == resume["files"] and kept["attempts"] == 2
    for target in (Store.open(tmp_path / "b.sqlite3", project="p1"), Store.open(url=team_url, project="p1")):
        with target as store:
            assert store.import_(out)["runs"] == 2
            run, resumed = store.run(first), store.run(second)
            assert run is not None and resumed is not None
            assert run.resume == kept and [a.fingerprint for a in run.attempts] == ["fp-1"]
            assert resumed.resumed_from == first
    # an export from before these were kept (format version 1) still imports, without them
    data = json.loads(out.read_text())
    data["version"] = 1
    for run_row in data["runs"]:
        del run_row["resume"], run_row["resumed_from"]
    for attempt in data["attempts"]:
        del attempt["fingerprint"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    with Store.open(tmp_path / "c.sqlite3", project="p1") as store:
        assert store.import_(old)["attempts"] == 1
        run = store.run(first)
        assert run is not None and run.resume == {} and run.attempts[0].fingerprint == ""
