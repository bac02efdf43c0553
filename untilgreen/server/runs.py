"""Runs: the worker process (`untilgreen worker`: a JSON RunRequest on stdin, one JSON event per line on stdout)
and the record of what a run did, kept for `untilgreen.showRun` and the `untilgreen/run` notification."""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from untilgreen.protocol import (
    AttemptProposed,
    AttemptValidated,
    Event,
    Finding,
    JudgedAttempt,
    Notice,
    Outcome,
    PhaseChanged,
    Ranges,
    RunFailed,
    RunFinished,
    RunStarted,
)
from untilgreen.server.process import last_sentence, spawn, stop, untilgreen_argv
from untilgreen.server.snapshot import Snapshot

log = logging.getLogger(__name__)
RESUMABLE = ("budget", "cancelled")  # the stop reasons a run can be continued after (`fix --resume`)

OUTCOME_WORDS: dict[Outcome, str] = {
    "green": "green",
    "still-failing": "still failing",
    "regression": "broke other tests",
    "not-applied": "edit did not apply",
    "refused": "refused",
    "lint": "did not lint",
    "duplicate": "repeats an earlier attempt",
    "error": "error",
    "timeout": "timed out",
    # goal mode's test phase
    "red": "new tests fail as they should",
    "goal-met": "the goal seems met already",
    "vacuous": "a new test asserts nothing",
    "invalid-tests": "the new tests do not run",
}


class Worker:
    """One engine run in a child process of its own session."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self._stderr: collections.deque[bytes] = collections.deque(maxlen=50)
        self._drain = asyncio.ensure_future(self._read_stderr())

    @classmethod
    async def start(cls, request: dict[str, Any], root: Path) -> Worker:
        proc = await spawn(untilgreen_argv("worker"), root)
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(request).encode() + b"\n")
        await proc.stdin.drain()
        proc.stdin.close()
        return cls(proc)

    async def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        async for line in self.proc.stderr:
            self._stderr.append(line)

    async def events(self) -> AsyncIterator[Event]:
        """The worker's events as they come; a line that is not one is logged and skipped."""
        assert self.proc.stdout is not None
        async for line in self.proc.stdout:
            try:
                yield Event.from_json(line)
            except ValueError as exc:
                log.warning("skipped a line of the worker's output: %s: %.200r", exc, line)

    async def wait(self) -> tuple[int, str]:
        """The exit status and the one-sentence error the worker printed, if any."""
        code = await self.proc.wait()
        await self._drain
        return code, last_sentence(b"".join(self._stderr))

    async def stop(self) -> None:
        await stop(self.proc)
        self._drain.cancel()


@dataclass
class RunRecord:
    run_id: str
    root: Path
    targets: list[str]
    token: str  # the work-done progress token
    state: str = "running"  # running | green | failed | cancelled
    phase: str = "starting"
    attempt: int = 0
    of: int = 0
    message: str = ""
    attempts: list[JudgedAttempt] = field(default_factory=list)
    diff: str = ""
    ranges: Ranges = field(default_factory=dict)
    security: list[Finding] = field(default_factory=list)  # the security review of `diff`
    stop_reason: str = ""
    tokens: int = 0
    cost_usd: float | None = None
    started: float = field(default_factory=time.monotonic)
    duration_s: float = 0.0
    memory_run_id: str = ""  # the run's id in memory (the worker's), for the user's verdict on its fix cards
    mode: str = "fix"
    resumed_from: str = ""  # the memory run id this run continues
    snapshot: Snapshot | None = None  # what the run started from: attempts are shown and applied against it

    def apply(self, event: Event) -> JudgedAttempt | None:
        """Update from one worker event; returns the judged attempt when the event completed one."""
        if isinstance(event, RunStarted):
            self.memory_run_id = event.run_id
            self.mode = event.mode or self.mode
            self.resumed_from = event.resumed_from
            self.of = event.attempts
            self.targets = event.targets or self.targets
        elif isinstance(event, PhaseChanged):
            self.phase = event.phase or self.phase
            self.attempt, self.of = event.attempt or self.attempt, event.of or self.of
            self._usage(event.tokens, event.cost_usd)
        elif isinstance(event, AttemptProposed):
            self.of = event.of or self.of
            self._usage(event.run_tokens, event.run_cost_usd)
        elif isinstance(event, Notice):
            self.message = event.message
        elif isinstance(event, AttemptValidated):
            judged = JudgedAttempt.of_event(event, self.of)
            self.attempts.append(judged)
            return judged
        elif isinstance(event, RunFinished):
            self.finish("green" if event.green else "failed", event.message)
            self.stop_reason = event.stop_reason
            self.diff, self.ranges, self.security = event.diff, event.ranges, list(event.security)
            self._usage(event.tokens, event.cost_usd)
        elif isinstance(event, RunFailed):
            self.finish("failed", event.message)
            self.stop_reason = "error"
        return None

    def judged(self, number: int, candidate: int = 0) -> JudgedAttempt | None:
        return next((a for a in self.attempts if a.number == number and a.candidate == candidate), None)

    def _usage(self, tokens: int, cost: float | None) -> None:
        if tokens:
            self.tokens = tokens
        if cost is not None:
            self.cost_usd = cost

    def finish(self, state: str, message: str) -> None:
        if self.state == "running":
            self.state, self.message = state, message or self.message
            self.duration_s = round(time.monotonic() - self.started, 3)

    @property
    def resumable(self) -> bool:
        """Stopped by its budget or cancelled, with its record in memory: Continue run can take it on."""
        stopped = self.state == "cancelled" or (self.state == "failed" and self.stop_reason in RESUMABLE)
        return stopped and self.mode == "fix" and bool(self.memory_run_id)

    def status(self) -> dict[str, Any]:
        """The `untilgreen/run` notification's params."""
        return {
            "runId": self.run_id,
            "state": self.state,
            "phase": self.phase,
            "attempt": self.attempt,
            "of": self.of,
            "message": self.message,
            "tokens": self.tokens,
            "costUsd": self.cost_usd,
            "resumable": self.resumable,
        }

    def show(self) -> dict[str, Any]:
        """The `untilgreen.showRun` answer."""
        attempts = [{"number": a.number, **a.fields()} for a in self.attempts]
        duration = self.duration_s if self.state != "running" else round(time.monotonic() - self.started, 3)
        return {
            "runId": self.run_id,
            "state": self.state,
            "targets": self.targets,
            "attempts": attempts,
            "diff": self.diff,
            "security": [dataclasses.asdict(f) for f in self.security],
            "stopReason": self.stop_reason,
            "tokens": self.tokens,
            "costUsd": self.cost_usd,
            "durationS": duration,
            "message": self.message,
            "resumable": self.resumable,
            "resumedFrom": self.resumed_from,
        }

    def summary(self) -> str:
        """One line for the Problems panel at the end of the run."""
        if self.state == "green":
            cost = f", ${self.cost_usd:.4f}" if self.cost_usd else ""
            n = len(self.attempts)
            return (
                f"untilgreen: green after {n} attempt{'s' if n != 1 else ''} in {self.duration_s:.1f} s, "
                f"{self.tokens} tokens{cost}"
            )
        if self.state == "cancelled":
            return "untilgreen: run cancelled"
        return f"untilgreen: not green ({self.stop_reason or 'stopped'}): {self.message}".rstrip(": ")

    def attempt_message(self, judged: JudgedAttempt) -> str:
        words = OUTCOME_WORDS.get(judged.outcome, judged.outcome)
        detail = judged.detail.strip().splitlines()
        return f"attempt {judged.number}/{judged.of or '?'}: {words}" + (f" - {detail[0]}" if detail else "")


def security_warning(findings: list[Finding]) -> str:
    """What the user reads before confirming a final edit with security findings: one line per finding."""
    n = len(findings)
    head = f"untilgreen: security review: the fix adds {n} finding{'s' if n != 1 else ''} (ruff's flake8-bandit rules)"
    return head + ": " + "; ".join(f"{f.path}:{f.line}: {f.code} {f.message}" for f in findings)
