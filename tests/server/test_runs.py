"""The worker's stream as the server reads it: typed events, and a line that is not one logged and skipped."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import pytest

from untilgreen.protocol import Notice, RunFinished
from untilgreen.server.runs import RunRecord, Worker

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
