"""workspace/executeCommand: `untilgreen.fix`, `untilgreen.goal`, `untilgreen.cancel`, `untilgreen.showRun`,
`untilgreen.continueRun`, `untilgreen.attemptFiles`, `untilgreen.applyAttempt`.

Each takes one object argument (none: every field's default), converted to its attrs class with pygls's converter,
as pygls converts parameters; a malformed one is told to the user in one sentence and the command answers null.
fix, goal and continueRun answer `{"runId"}` at once and the run goes on in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override
from lsprotocol import types
from pygls.protocol import default_converter

from untilgreen.errors import ConfigError
from untilgreen.protocol import NO_MODEL, JudgedAttempt, needs_model
from untilgreen.server.cursor import enclosing_test
from untilgreen.server.driver import RunDriver
from untilgreen.server.language_server import UntilgreenServer
from untilgreen.server.project import Project
from untilgreen.server.runs import RunRecord
from untilgreen.server.snapshot import Refused, Snapshot, before_after

CONFIGURATION_WAIT_S = 10.0  # for the editor's answer to the first `workspace/configuration`
OUTSIDE = "untilgreen: the file is outside the workspace folders; open its project folder first."
NO_TEST = "untilgreen: put the cursor inside a test function first."
NO_RUN = "there is no stopped run to continue; run Fix until green first."


@attrs.define
class FixArguments:
    """`targets`: test ids to make pass (empty: every failing test); `uri`: a file of the project to fix;
    `position`: the cursor in `uri`, whose test is then the one target (`targets` is not read); `node`: a test
    inside the file or folder `uri` as a test explorer names it (`TestCart::test_total[1]`, "" for all of
    them), then the one target (the editor need not know where the project's root is)."""

    uri: str | None = None
    targets: list[str] = attrs.Factory(list)
    position: types.Position | None = None
    node: str | None = None


@attrs.define
class GoalArguments:
    """`uri`, when it names a Python file of the project, is the file the goal is about."""

    goal: str = ""
    uri: str | None = None


@attrs.define
class RunArguments:
    """`runId` (`run_id` here): the run to cancel (none: the one in progress), to show, or to continue (none: the
    last run that stopped)."""

    run_id: str | None = None


@attrs.define
class AttemptArguments:
    """One judged candidate of a run: `runId`, `attempt` (from 1), `candidate` (from 0)."""

    run_id: str = ""
    attempt: int = 0
    candidate: int = 0


# The converter pygls's LanguageServer converts parameters with (pygls leaves the factory unannotated).
CONVERTER: cattrs.Converter = default_converter()  # type: ignore[no-untyped-call]
CONVERTER.register_structure_hook(
    RunArguments, make_dict_structure_fn(RunArguments, CONVERTER, run_id=override(rename="runId"))
)
CONVERTER.register_structure_hook(
    AttemptArguments, make_dict_structure_fn(AttemptArguments, CONVERTER, run_id=override(rename="runId"))
)

T = TypeVar("T")


class BadArgument(ValueError):
    """A command's argument does not have the shape its class says."""


def argument(command: str, kind: type[T], args: tuple[object, ...]) -> T:
    if len(args) > 1 or (args and not isinstance(args[0], dict)):
        raise BadArgument(f"{command} takes one JSON object as its argument")
    try:
        structured: T = CONVERTER.structure(args[0] if args else {}, kind)
        return structured
    except cattrs.BaseValidationError as exc:
        raise BadArgument(
            f"{command} got a malformed argument: {'; '.join(cattrs.transform_error(exc))}"
        ) from None


def fix(ls: UntilgreenServer, arg: FixArguments) -> dict[str, Any]:
    project = ls.project_for(arg.uri)
    if project is None:
        ls.error(OUTSIDE)
        return {"runId": None, "error": "outside the workspace"}
    targets = arg.targets
    if arg.position is not None:
        test = _test_at(ls, project, arg.uri, arg.position.line)
        if test is None:
            ls.show(types.MessageType.Warning, NO_TEST)
            return {"runId": None, "error": "no test at the cursor"}
        targets = [test]
    elif arg.node is not None:
        rel = project.rel(arg.uri) if arg.uri else None
        if rel is None:
            ls.error(OUTSIDE)
            return {"runId": None, "error": "outside the workspace"}
        targets = [f"{rel}::{arg.node}" if arg.node else rel] if rel not in ("", ".") else []
    return ls.start_run(project, targets)


def _test_at(ls: UntilgreenServer, project: Project, uri: str | None, line: int) -> str | None:
    """The id of the test around `line` of `uri` as the editor has it (open, else saved)."""
    rel = project.rel(uri) if uri else None
    if uri is None or rel is None:
        return None
    try:
        lines = ls.workspace.get_text_document(uri).lines
    except (OSError, ValueError):  # no such file, or not text
        return None
    name = enclosing_test(lines, line)
    return f"{rel}::{name}" if name else None


def goal(ls: UntilgreenServer, arg: GoalArguments) -> dict[str, Any]:
    project = ls.project_for(arg.uri)
    if project is None:
        ls.error(OUTSIDE)
        return {"runId": None, "error": "outside the workspace"}
    text = arg.goal.strip()
    if not text:
        ls.show(types.MessageType.Info, 'untilgreen: describe the goal, e.g. "add a slugify() that ...".')
        return {"runId": None, "error": "no goal"}
    try:
        refused = needs_model(ls.settings_for(project))
    except ConfigError:
        refused = False  # start_run says what is wrong with the settings
    if refused:
        ls.show(types.MessageType.Warning, f"untilgreen: {NO_MODEL}")
        return {"runId": None, "error": NO_MODEL}
    rel = project.rel(arg.uri) if arg.uri else None
    focus = rel if rel and rel.endswith(".py") and (project.root / rel).is_file() else ""
    return ls.start_run(project, [], mode="goal", goal=text, file=focus)


async def cancel(ls: UntilgreenServer, arg: RunArguments) -> dict[str, Any]:
    for project in list(ls.projects.values()):
        if (
            project.run
            and (arg.run_id is None or project.run.run_id == arg.run_id)
            and await project.cancel_run()
        ):
            return {"cancelled": True}
    return {"cancelled": False}


def show_run(ls: UntilgreenServer, arg: RunArguments) -> dict[str, Any] | None:
    record = ls.runs.get(arg.run_id or "")
    return record.show() if record else None


def continue_run(ls: UntilgreenServer, arg: RunArguments) -> dict[str, Any]:
    """A new run that takes on where a run stopped by its budget or cancelled left off (the worker's `--resume`):
    its targets, the patches it tried skipped, a fresh budget. The worker refuses, in one sentence, a run whose
    files changed since."""
    if arg.run_id:
        record = ls.runs.get(arg.run_id)
    else:
        record = next((r for r in reversed(ls.runs.values()) if r.state != "running"), None)
    if record is None:
        ls.show(types.MessageType.Warning, f"untilgreen: {NO_RUN}")
        return {"runId": None, "error": "no such run"}
    if not record.resumable:
        why = (
            "it is still running"
            if record.state == "running"
            else "it is green"
            if record.state == "green"
            else "its run record is not in memory"
            if not record.memory_run_id
            else f"it stopped with {record.stop_reason or record.state}, not on its budget or by a cancel"
        )
        ls.show(
            types.MessageType.Warning,
            f"untilgreen: run {record.run_id} cannot be continued because {why}; run Fix until green instead.",
        )
        return {"runId": None, "error": "not resumable"}
    project = _project_of(ls, record)
    if project is None:
        return {"runId": None, "error": "outside the workspace"}
    return ls.start_run(project, record.targets, resume=record.memory_run_id)


def _attempt(ls: UntilgreenServer, arg: AttemptArguments) -> tuple[RunRecord, JudgedAttempt, Snapshot] | None:
    """The run and its judged attempt `arg` names, or None after telling the user in one sentence why not."""
    record = ls.runs.get(arg.run_id)
    judged = record.judged(arg.attempt, arg.candidate) if record else None
    if record is None or judged is None or record.snapshot is None:
        which = f"attempt {arg.attempt}" + (f" (candidate {arg.candidate + 1})" if arg.candidate else "")
        ls.show(
            types.MessageType.Warning, f"untilgreen: {which} of run {arg.run_id} is unknown to this server."
        )
        return None
    if not judged.diff.strip():
        ls.show(types.MessageType.Info, f"untilgreen: attempt {judged.number} changed nothing.")
        return None
    return record, judged, record.snapshot


def attempt_files(ls: UntilgreenServer, arg: AttemptArguments) -> dict[str, Any] | None:
    """`{files: [{path, before, after}]}`: each file an attempt changed, as the run started and with the
    attempt applied (for a side-by-side diff); null, after one sentence, when that is not known."""
    found = _attempt(ls, arg)
    project = found and _project_of(ls, found[0])
    if found is None or project is None:
        return None
    try:
        files = before_after(found[2], found[1].diff, project.current)
    except Refused as exc:
        ls.show(types.MessageType.Warning, f"untilgreen: {exc}")
        return None
    return {"files": [{"path": rel, "before": before, "after": after} for rel, before, after in files]}


async def apply_attempt(ls: UntilgreenServer, arg: AttemptArguments) -> dict[str, Any]:
    """Offer one attempt's diff as the final diff is offered (merged with the user's edits or refused,
    versioned, confirmed); refused while the project's run is still running."""
    found = _attempt(ls, arg)
    project = found and _project_of(ls, found[0])
    if found is None or project is None:
        return {"applied": False}
    record, judged, snapshot = found
    if project.running:
        ls.show(
            types.MessageType.Warning,
            f"untilgreen: a run is in progress ({project.run.run_id if project.run else ''}); "
            "apply an attempt once it has stopped.",
        )
        return {"applied": False}
    driver = RunDriver(ls, project, record, dict(ls.overrides))
    return {"applied": await driver.offer(snapshot, judged.diff, judged.security, judged)}


def _project_of(ls: UntilgreenServer, record: RunRecord) -> Project | None:
    project = next((p for p in ls.projects.values() if p.root == record.root), None)
    if project is None:
        ls.error(OUTSIDE)
    return project


COMMANDS: dict[str, tuple[Callable[[UntilgreenServer, Any], Any], type]] = {
    "untilgreen.fix": (fix, FixArguments),
    "untilgreen.goal": (goal, GoalArguments),
    "untilgreen.cancel": (cancel, RunArguments),
    "untilgreen.showRun": (show_run, RunArguments),
    "untilgreen.continueRun": (continue_run, RunArguments),
    "untilgreen.attemptFiles": (attempt_files, AttemptArguments),
    "untilgreen.applyAttempt": (apply_attempt, AttemptArguments),
}


def register(server: UntilgreenServer) -> None:
    for name, (handler, kind) in COMMANDS.items():
        server.command(name)(_typed(name, handler, kind))


def _typed(
    name: str, handler: Callable[[UntilgreenServer, Any], Any], kind: type
) -> Callable[..., Awaitable[Any]]:
    async def execute(ls: UntilgreenServer, *args: object) -> Any:  # the raw JSON arguments, converted here
        try:
            arg: Any = argument(name, kind, args)
        except BadArgument as exc:
            ls.error(f"untilgreen: {exc}.")
            return None
        # a command sent right after `initialized` runs with the editor's settings, not before they arrive
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(ls.configured.wait(), CONFIGURATION_WAIT_S)
        answer = handler(ls, arg)
        return await answer if inspect.isawaitable(answer) else answer

    return execute
