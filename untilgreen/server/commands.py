"""workspace/executeCommand: `untilgreen.fix`, `untilgreen.goal`, `untilgreen.cancel`, `untilgreen.showRun`.

Each takes one object argument; fix and goal answer `{"runId"}` at once and the run goes on in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from untilgreen.server.server import UntilgreenServer

GOAL_AVAILABLE = False  # the engine has no goal mode yet: the command says so instead of pretending


def _arg(args: tuple[Any, ...]) -> dict[str, Any]:
    return args[0] if args and isinstance(args[0], dict) else {}


def register_commands(server: UntilgreenServer) -> None:
    @server.command("untilgreen.fix")
    def fix(ls: UntilgreenServer, *args: Any) -> dict[str, Any]:
        arg = _arg(args)
        project = ls.project_for(arg.get("uri"))
        if project is None:
            ls.error("untilgreen: the file is outside the workspace folders; open its project folder first.")
            return {"runId": None, "error": "outside the workspace"}
        return ls.start_run(project, [str(t) for t in arg.get("targets") or []])

    @server.command("untilgreen.goal")
    def goal(ls: UntilgreenServer, *args: Any) -> dict[str, Any]:
        arg = _arg(args)
        project = ls.project_for(arg.get("uri"))
        if not GOAL_AVAILABLE or project is None:
            ls.show(types.MessageType.Info, "untilgreen: goal mode is not available yet; use Fix until green on "
                                            "failing tests for now.")
            return {"runId": None, "error": "goal mode is not available yet"}
        return ls.start_run(project, [], mode="goal", goal=str(arg.get("goal", "")))

    @server.command("untilgreen.cancel")
    async def cancel(ls: UntilgreenServer, *args: Any) -> dict[str, Any]:
        run_id = _arg(args).get("runId")
        for project in list(ls.projects.values()):
            if project.run and (run_id is None or project.run.run_id == run_id) and await project.cancel_run():
                return {"cancelled": True}
        return {"cancelled": False}

    @server.command("untilgreen.showRun")
    def show_run(ls: UntilgreenServer, *args: Any) -> dict[str, Any] | None:
        record = ls.runs.get(str(_arg(args).get("runId")))
        return record.show() if record else None
