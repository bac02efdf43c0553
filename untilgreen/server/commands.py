"""workspace/executeCommand: `untilgreen.fix`, `untilgreen.goal`, `untilgreen.cancel`, `untilgreen.showRun`.

Each takes one object argument; fix and goal answer `{"runId"}` at once and the run goes on in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from untilgreen.server.server import UntilgreenServer

GOAL_AVAILABLE = False  # the engine has no goal mode yet: the command says so instead of pretending
OUTSIDE = "untilgreen: the file is outside the workspace folders; open its project folder first."


def argument(args: tuple[Any, ...]) -> dict[str, Any]:
    return args[0] if args and isinstance(args[0], dict) else {}


def fix(ls: UntilgreenServer, arg: dict[str, Any]) -> dict[str, Any]:
    project = ls.project_for(arg.get("uri"))
    if project is None:
        ls.error(OUTSIDE)
        return {"runId": None, "error": "outside the workspace"}
    return ls.start_run(project, [str(t) for t in arg.get("targets") or []])


def goal(ls: UntilgreenServer, arg: dict[str, Any]) -> dict[str, Any]:
    if not GOAL_AVAILABLE:
        ls.show(types.MessageType.Info, "untilgreen: goal mode is not available yet; use Fix until green on "
                                        "failing tests for now.")
        return {"runId": None, "error": "goal mode is not available yet"}
    project = ls.project_for(arg.get("uri"))
    if project is None:
        ls.error(OUTSIDE)
        return {"runId": None, "error": "outside the workspace"}
    return ls.start_run(project, [], mode="goal", goal=str(arg.get("goal", "")))


async def cancel(ls: UntilgreenServer, arg: dict[str, Any]) -> dict[str, Any]:
    run_id = arg.get("runId")
    for project in list(ls.projects.values()):
        if project.run and (run_id is None or project.run.run_id == run_id) and await project.cancel_run():
            return {"cancelled": True}
    return {"cancelled": False}


def show_run(ls: UntilgreenServer, arg: dict[str, Any]) -> dict[str, Any] | None:
    record = ls.runs.get(str(arg.get("runId")))
    return record.show() if record else None
