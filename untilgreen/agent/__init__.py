"""The run: reproduce → localize → propose → apply → lint guard → validate → decide, emitting typed events."""

from __future__ import annotations

from untilgreen.protocol import Event
from untilgreen.agent.request import RunRequest
from untilgreen.agent.result import AttemptResult, FileChange, RunResult
from untilgreen.agent.run import run

__all__ = ["AttemptResult", "Event", "FileChange", "RunRequest", "RunResult", "run"]
