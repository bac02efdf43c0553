"""A run the server started: an `untilgreen worker` subprocess (the language server's Worker and RunRecord), its
typed events kept for the event stream, and its answer in the `fix --json` shape."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from untilgreen.agent.result import RunResult
from untilgreen.protocol import Event, RunFinished, RunStarted
from untilgreen.serve.jobs import Job
from untilgreen.serve.requests import RunSpec
from untilgreen.server.runs import RunRecord, Worker

# The `fix --json` keys, null until the run has finished (`run_id` is known once it has started).
FIX_KEYS = tuple(RunResult("", green=False, stop_reason="green").summary_json())


class ServedRun(Job):
    prefix = "run"

    def __init__(self, spec: RunSpec) -> None:
        super().__init__()
        self.spec = spec
        self.record = RunRecord(self.id, spec.root, list(spec.targets), token="")
        self.events: list[Event] = []
        self.summary: dict[str, Any] = {}  # the worker's `fix --json` object, once finished

    async def execute(self) -> None:
        spec, record = self.spec, self.record
        request = {
            "root": str(spec.root),
            "targets": spec.targets,
            "overlays": {},
            "mode": spec.mode,
            "goal": spec.goal,
            "file": "",
            "settings": spec.settings,
        }
        worker = await Worker.start(request, spec.root)
        try:
            async for event in worker.events():
                record.apply(event)
                if isinstance(event, RunFinished):
                    self.summary = event.summary
                self.events.append(event)
                await self.notify()
            code, error = await worker.wait()
        except asyncio.CancelledError:
            await worker.stop()
            raise
        record.finish("failed", error or f"the run stopped unexpectedly (exit status {code}).")
        self.finish(record.state, record.message)

    def finish(self, state: str, message: str) -> None:
        self.record.finish(state, message)  # cancelled too: the record then says so
        super().finish(self.record.state, self.record.message)

    def to_json(self) -> dict[str, Any]:
        """The `fix --json` keys, then what the server adds: its id, status, project and the judged attempts."""
        record = self.record
        started = next((e for e in self.events if isinstance(e, RunStarted)), None)
        fix = {key: self.summary.get(key) for key in FIX_KEYS}
        fix["run_id"] = fix["run_id"] or (started.run_id if started else None)
        return {
            **fix,
            **{k: v for k, v in self.summary.items() if k not in FIX_KEYS},  # goal mode's plan, tests, ...
            "id": self.id,
            "status": self.state,
            "project": self.spec.project,
            "mode": self.spec.mode,
            "targets": record.targets,
            "phase": record.phase,
            "message": self.message or record.message,
            "event_count": len(self.events),  # what this answer reflects: the events stream resumes after it
            "attempt_log": [
                {"number": a.number, **a.fields(), "security": [dataclasses.asdict(f) for f in a.security]}
                for a in record.attempts
            ],
        }
