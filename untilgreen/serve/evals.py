"""An eval the server started: `untilgreen eval CORPUS --json --html FILE` in a subprocess of its own session;
its answer is the `eval --json` object and its HTML report the eval's own page."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from untilgreen.serve.jobs import Job
from untilgreen.serve.requests import EvalSpec
from untilgreen.server.process import last_sentence, set_arguments, spawn, stop, untilgreen_argv


class ServedEval(Job):
    prefix = "eval"

    def __init__(self, spec: EvalSpec, reports: Path) -> None:
        super().__init__()
        self.spec = spec
        self.report_path = reports / f"{self.id}.html"
        self.report: dict[str, Any] | None = None  # the `eval --json` object, once finished

    async def execute(self) -> None:
        spec = self.spec
        argv = untilgreen_argv("eval", str(spec.root), "--json", "--html", str(self.report_path))
        argv += ["--runs", str(spec.runs), *(a for name in spec.only for a in ("--only", name))]
        proc = await spawn(argv + set_arguments(spec.settings), Path(tempfile.gettempdir()))
        try:
            out, err = await proc.communicate()
        except asyncio.CancelledError:
            await stop(proc)
            raise
        try:
            self.report = json.loads(out)
        except ValueError:
            self.report = None
        if self.report is None or "error" in self.report:
            self.finish("failed", last_sentence(err) or f"the eval stopped (exit status {proc.returncode}).")
        else:
            self.finish("finished", "")

    def html(self) -> str | None:
        try:
            return self.report_path.read_text(encoding="utf-8") if self.state == "finished" else None
        except OSError:
            return None

    def to_json(self) -> dict[str, Any]:
        """The `eval --json` object's keys (empty until finished), then the server's id, status and project."""
        return {
            **(self.report or {}),
            "id": self.id,
            "status": self.state,
            "project": self.spec.project,
            "message": self.message,
            "report": f"/evals/{self.id}/report" if self.state == "finished" else None,
        }
