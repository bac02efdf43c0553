"""An attempt's files before and after, kept from the run's start, and the refusals of Apply This Attempt."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from untilgreen.protocol import AttemptValidated
from untilgreen.server.commands import AttemptArguments, apply_attempt, argument, attempt_files
from untilgreen.server.runs import RunRecord
from untilgreen.server.snapshot import Refused, Snapshot, before_after

DIFF = "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+z = 0\n"


def _current(files: dict[str, str]) -> Any:
    return lambda rel: (None, files.get(rel))


def test_an_attempt_shows_its_files_as_the_run_started_even_after_they_changed(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\ny = 2\n")
    snapshot = Snapshot.take(tmp_path, {})
    on_disk = {"a.py": "x = 1\ny = 2\n"}
    snapshot.remember(DIFF, _current(on_disk))  # as the attempt arrives
    on_disk["a.py"] = "x = 1\ny = 100\n"  # the final fix applied, say
    assert before_after(snapshot, DIFF, _current(on_disk)) == [
        ("a.py", "x = 1\ny = 2\n", "x = 1\ny = 3\n"),
        ("new.py", "", "z = 0\n"),
    ]
    forgotten = Snapshot.take(tmp_path, {})
    with pytest.raises(Refused, match="a.py changed on disk since the run started"):
        before_after(forgotten, DIFF, _current(on_disk))


def _server(tmp_path: Path, running: bool) -> tuple[Any, list[str]]:
    said: list[str] = []
    record = RunRecord("run-1", tmp_path, [], "token", state="running" if running else "failed")
    record.snapshot = Snapshot(tmp_path, {"a.py": (1, "x = 1\ny = 2\n")})
    record.apply(AttemptValidated("r", 1, 0, "m", "still-failing", "", "", DIFF, {}))
    project = SimpleNamespace(
        root=tmp_path, running=running, run=record, current=_current({"a.py": "x = 1\ny = 2\n"})
    )
    ls = SimpleNamespace(
        runs={"run-1": record},
        projects={"p": project},
        show=lambda kind, message: said.append(message),
        error=said.append,
    )
    return ls, said


def test_apply_attempt_is_refused_while_the_run_goes_on_and_for_an_unknown_attempt(tmp_path: Path) -> None:
    ls, said = _server(tmp_path, running=True)
    arg = argument("untilgreen.applyAttempt", AttemptArguments, ({"runId": "run-1", "attempt": 1},))
    assert arg == AttemptArguments("run-1", 1, 0)
    assert asyncio.run(apply_attempt(ls, arg)) == {"applied": False}
    assert said == ["untilgreen: a run is in progress (run-1); apply an attempt once it has stopped."]
    assert asyncio.run(apply_attempt(ls, AttemptArguments("run-1", 1, 1))) == {"applied": False}
    assert said[-1] == "untilgreen: attempt 1 (candidate 2) of run run-1 is unknown to this server."
    assert attempt_files(ls, arg) == {
        "files": [
            {"path": "a.py", "before": "x = 1\ny = 2\n", "after": "x = 1\ny = 3\n"},
            {"path": "new.py", "before": "", "after": "z = 0\n"},
        ]
    }
