"""workspace/executeCommand: `untilgreen.fix`, `untilgreen.goal`, `untilgreen.cancel`, `untilgreen.showRun`.

Each takes one object argument; fix and goal answer `{"runId"}` at once and the run goes on in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from untilgreen.errors import ConfigError
from untilgreen.protocol import NO_MODEL, needs_model

if TYPE_CHECKING:
    from untilgreen.server.server import UntilgreenServer

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
    """Goal mode; `uri`, when it names a Python file of the project, is the file the goal is about."""
    uri = arg.get("uri")
    project = ls.project_for(uri)
    if project is None:
        ls.error(OUTSIDE)
        return {"runId": None, "error": "outside the workspace"}
    text = str(arg.get("goal", "")).strip()
    if not text:
        ls.show(types.MessageType.Info, "untilgreen: describe the goal, e.g. \"add a slugify() that ...\".")
        return {"runId": None, "error": "no goal"}
    try:
        refused = needs_model(ls.settings_for(project))
    except ConfigError:
        refused = False  # start_run says what is wrong with the settings
    if refused:
        ls.show(types.MessageType.Warning, f"untilgreen: {NO_MODEL}")
        return {"runId": None, "error": NO_MODEL}
    rel = project.rel(uri) if uri else None
    focus = rel if rel and rel.endswith(".py") and (project.root / rel).is_file() else ""
    return ls.start_run(project, [], mode="goal", goal=text, file=focus)


async def cancel(ls: UntilgreenServer, arg: dict[str, Any]) -> dict[str, Any]:
    run_id = arg.get("runId")
    for project in list(ls.projects.values()):
        if project.run and (run_id is None or project.run.run_id == run_id) and await project.cancel_run():
            return {"cancelled": True}
    return {"cancelled": False}


def show_run(ls: UntilgreenServer, arg: dict[str, Any]) -> dict[str, Any] | None:
    record = ls.runs.get(str(arg.get("runId")))
    return record.show() if record else None
