"""The worker's stream as the server reads it: typed events, and a line that is not one logged and skipped."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import pytest

from lsprotocol import types

from untilgreen.protocol import AttemptValidated, Finding, Notice, RunFinished, RunStarted
from untilgreen.server.diagnostics import security_diagnostics
from untilgreen.server.runs import RunRecord, Worker, security_warning

STREAM = "\n".join(
    [
        Notice("r", message="hello").to_line(),
        "Traceback? no: a stray print",
        '{"event": "from_the_future", "run_id": "r"}',
        RunFinished("r", green=True, stop_reason="green", message="done").to_line(),
    ]
)


async def test_the_server_reads_typed_events_and_logs_what_it_cannot_read(caplog: pytest.LogCaptureFixture):
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        f"print({STREAM!r})",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    worker = Worker(proc)
    with caplog.at_level(logging.WARNING, logger="untilgreen.server.runs"):
        events = [event async for event in worker.events()]
    assert await worker.wait() == (0, "")
    assert events == [
        Notice("r", message="hello"),
        RunFinished("r", green=True, stop_reason="green", message="done"),
    ]
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "skipped a line of the worker's output"
    ] * 2
    assert all(r.exc_info is None for r in caplog.records)

    record = RunRecord("r", Path("."), [], "token")
    for event in events:
        record.apply(event)
    assert (record.state, record.message, record.stop_reason) == ("green", "done", "green")


def test_security_findings_of_an_attempt_and_of_the_fix_reach_the_record_as_warnings(tmp_path: Path) -> None:
    found = Finding("a.py", 3, "S307", "Use of possibly insecure function")
    record = RunRecord("r", tmp_path, [], "token")
    judged = record.apply(
        AttemptValidated("r", 1, 0, "m", "green", "", "", "diff", {"a.py": [[3, 3]]}, security=[found])
    )
    assert judged is not None and judged.security == [found] and "security" not in judged.fields()
    record.apply(RunFinished("r", green=True, stop_reason="green", diff="diff", security=[found]))
    assert record.security == [found] and record.show()["security"] == [
        {"path": "a.py", "line": 3, "code": "S307", "message": "Use of possibly insecure function"}
    ]
    [diagnostic] = security_diagnostics(record.security, "attempt 1: security review")["a.py"]
    assert (diagnostic.severity, diagnostic.code, diagnostic.range.start.line) == (
        types.DiagnosticSeverity.Warning,
        "S307",
        2,
    )
    assert diagnostic.message == "attempt 1: security review: Use of possibly insecure function"
    assert security_warning([found]) == (
        "untilgreen: security review: the fix adds 1 finding (ruff's flake8-bandit rules): "
        "a.py:3: S307 Use of possibly insecure function"
    )


@pytest.mark.parametrize(
    ("events", "resumable"),
    [
        ([RunFinished("r-m", green=False, stop_reason="budget", message="all 4 attempts were used")], True),
        ([RunFinished("r-m", green=False, stop_reason="cancelled", message="cancelled")], True),
        ([RunFinished("r-m", green=False, stop_reason="no-progress", message="nothing more")], False),
        ([RunFinished("r-m", green=True, stop_reason="green", message="done")], False),
        ([], False),  # still running
    ],
)
def test_a_run_stopped_on_its_budget_or_cancelled_can_be_continued(events, resumable: bool) -> None:
    record = RunRecord("run-1", Path("/p"), [], "token")
    record.apply(RunStarted("r-m", "/p", "fix", resumed_from="r-old"))
    for event in events:
        record.apply(event)
    assert record.resumable is resumable
    assert record.status()["resumable"] is resumable and record.show()["resumedFrom"] == "r-old"


def test_a_run_without_its_memory_record_or_in_goal_mode_cannot_be_continued() -> None:
    record = RunRecord("run-1", Path("/p"), [], "token")
    record.finish("cancelled", "cancelled")  # cancelled before the worker said which run it is
    assert not record.resumable
    goal = RunRecord("run-2", Path("/p"), [], "token")
    goal.apply(RunStarted("r-g", "/p", "goal"))
    goal.apply(RunFinished("r-g", green=False, stop_reason="budget"))
    assert not goal.resumable
