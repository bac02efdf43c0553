"""Code actions from stored state only: no test run, no model, no file read inside `textDocument/codeAction`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from untilgreen.server.cursor import enclosing_test
from untilgreen.server.diagnostics import SOURCE

FIX = "untilgreen.fix"
CONTINUE = "untilgreen.continueRun"
FIX_ALL_KIND = "source.fixAll.untilgreen"


@dataclass(frozen=True)
class Remembered:
    """A remembered fix ready to offer: its edit was built when the document had `versions`."""

    test_id: str
    title: str
    edit: types.WorkspaceEdit
    versions: Mapping[str, int | None]  # uri -> document version (None: not open) the edit applies to


def _command_action(
    title: str,
    kind: str,
    args: dict[str, Any],
    diagnostics: list[types.Diagnostic] | None = None,
    preferred: bool = False,
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=kind,
        diagnostics=diagnostics,
        is_preferred=preferred or None,
        command=types.Command(title=title, command=FIX, arguments=[args]),
    )


def _test_id(diagnostic: types.Diagnostic) -> str:
    """The failing test an untilgreen diagnostic is about ("" for anybody else's diagnostic)."""
    data = diagnostic.data
    if diagnostic.source != SOURCE or not isinstance(data, dict):
        return ""
    test_id = data.get("testId")
    return test_id if isinstance(test_id, str) else ""


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def code_actions(
    uri: str,
    rel: str,
    lines: Sequence[str],
    params: types.CodeActionParams,
    *,
    is_test_file: bool,
    failing: bool,
    remembered: Sequence[Remembered],
    versions: Mapping[str, int | None],
    stopped: str = "",
) -> list[types.CodeAction]:
    """`failing`: some test of the project is known to fail; `versions`: the open documents' versions now;
    `stopped`: the project's last run, when it stopped on its budget or was cancelled (Continue run)."""
    only = params.context.only
    actions: list[types.CodeAction] = []
    ours = [(d, test_id) for d in params.context.diagnostics if (test_id := _test_id(d))]
    if _wanted(types.CodeActionKind.QuickFix, only):
        for diag, test_id in ours:
            actions.append(
                _command_action(
                    "Fix until green",
                    types.CodeActionKind.QuickFix,
                    {"uri": uri, "targets": [test_id]},
                    [diag],
                    preferred=True,
                )
            )
        tests = {test_id for _, test_id in ours}
        for fix in remembered:
            if fix.test_id in tests and all(versions.get(u) == v for u, v in fix.versions.items()):
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        edit=fix.edit,
                        diagnostics=[d for d, test_id in ours if test_id == fix.test_id],
                    )
                )
    ours_at_all = [d for d in params.context.diagnostics if d.source == SOURCE]
    if stopped and ours_at_all and _wanted(types.CodeActionKind.QuickFix, only):
        title = "Continue run"
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=ours_at_all,
                command=types.Command(title=title, command=CONTINUE, arguments=[{"runId": stopped}]),
            )
        )
    if is_test_file and lines and _wanted(types.CodeActionKind.RefactorRewrite, only):
        name = enclosing_test(lines, params.range.start.line)
        if name:
            actions.append(
                _command_action(
                    f"Fix until green: {name.split('::')[-1]}",
                    types.CodeActionKind.RefactorRewrite,
                    {"uri": uri, "targets": [f"{rel}::{name}"]},
                )
            )
    if failing and _wanted(FIX_ALL_KIND, only):
        actions.append(_command_action("Fix all failing tests", FIX_ALL_KIND, {"uri": uri, "targets": []}))
    return actions
