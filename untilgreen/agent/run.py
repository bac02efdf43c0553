"""The one entry point of a run: a session, the run the mode asks for (`FixRun` or `GoalRun`), and the run's
start and end around it.

Stop reasons: green, already-green, budget, no-progress, cancelled, model-error, environment, nothing-to-fix
(and goal-met in goal mode, see untilgreen.agent.goal).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any, Protocol

from untilgreen.agent.fix import FixRun
from untilgreen.agent.goal import GoalRun
from untilgreen.agent.repairers import Chain
from untilgreen.agent.request import RunRequest
from untilgreen.agent.result import RunResult, StopReason
from untilgreen.agent.session import OnEvent, RunSession, RunStopped
from untilgreen.errors import Cancelled, UserError
from untilgreen.models.base import Repairer
from untilgreen.telemetry.spans import run_spans


class ModeRun(Protocol):
    """What a mode's run provides the entry point."""

    def chain(self) -> Chain:
        """The repairers the settings choose for this mode."""
        ...

    def execute(self, stack: ExitStack, chain: Chain) -> RunResult:
        """The run to its result; what it opens is closed by `stack`. Raises RunStopped, Cancelled, UserError."""
        ...

    def result(self, green: bool, reason: StopReason, message: str, **fields: Any) -> RunResult: ...


def run(
    request: RunRequest,
    on_event: OnEvent | None = None,
    cancel: threading.Event | None = None,
    *,
    repairers: Sequence[Repairer] | None = None,
) -> RunResult:
    """Run `request`. `repairers` replaces the chain the settings choose (tests, the eval harness).

    Raises UserError for problems the user must fix (no tests collected, bad settings); every other end is a
    RunResult with its stop reason. A cancelled run leaves no process and no shadow directory.
    """
    with run_spans(request.settings, on_event) as told:
        session = RunSession(request, told, cancel or threading.Event())
        mode: ModeRun = GoalRun(session) if request.mode == "goal" else FixRun(session)
        try:
            session.open()
        except UserError as err:  # a resume refused
            session.refused(err)
            raise
        stack = ExitStack()
        try:
            chain = Chain(list(repairers)) if repairers is not None else mode.chain()
            session.started(chain)
            result = mode.execute(stack, chain)
        except Cancelled:
            result = mode.result(False, "cancelled", "the run was cancelled; nothing was changed")
        except RunStopped as stop:
            result = mode.result(False, stop.reason, str(stop))
        except BaseException as err:
            stack.close()
            session.failed(err)
            raise
        stack.close()
        session.finished(result)
        return result
