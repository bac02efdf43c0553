"""`fix-all`'s unit of work: one `fix` run per project, the same whether it runs here or as a Ray task."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from untilgreen.agent.request import RunRequest
from untilgreen.agent.result import RunResult
from untilgreen.agent.run import run
from untilgreen.errors import UserError
from untilgreen.settings import Settings


@dataclass
class ProjectFix:
    """The run of one project, or why there is none (a UserError's sentence, or a Ray task that never ended)."""

    root: Path
    result: RunResult | None
    error: str = ""

    @property
    def green(self) -> bool:
        return self.result is not None and self.result.green

    def to_json(self) -> dict[str, Any]:
        """`fix --json` of the project (`{"error"}` when it had no run), with its `path`."""
        body = self.result.summary_json() if self.result else {"error": self.error}
        return {"path": str(self.root), **body}


def fix_project(root: Path, settings: Settings, cancel: threading.Event) -> ProjectFix:
    """`fix` for every test failing in `root`."""
    try:
        return ProjectFix(root, run(RunRequest(root, settings=settings), None, cancel))
    except UserError as err:
        return ProjectFix(root, None, str(err))
