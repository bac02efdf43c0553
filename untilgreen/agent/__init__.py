"""The run: reproduce → localize → propose → apply → lint guard → validate → decide, emitting typed events."""

from __future__ import annotations

from untilgreen.agent.events import Event
from untilgreen.agent.request import RunRequest
from untilgreen.agent.result import AttemptResult, FileChange, RunResult
from untilgreen.agent.run import run

__all__ = ["AttemptResult", "Event", "FileChange", "RunRequest", "RunResult", "run"]
