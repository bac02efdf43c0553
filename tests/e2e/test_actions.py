"""Code actions over the real server: where each is offered, where it is not, and a remembered fix applied."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from tests.e2e.editor import TARGET, Editor, plain_pytest
from untilgreen.memory import FixCard, Store
from untilgreen.server.remembered import signature_from_text

REMEMBERED_DIFF = """\
--- a/calc/grading.py
+++ b/calc/grading.py
@@ -5,2 +5,2 @@
     \"\"\"Whether `score` reaches the pass mark.\"\"\"
-    return score > threshold
+    return score >= threshold
"""


def titles(actions: list[types.CodeAction]) -> list[str]:
    return [a.title for a in actions]


async def test_no_actions_before_anything_is_known(client, editor: Editor):
    editor.open("calc/grading.py")
    assert await editor.actions("calc/grading.py", 5) == []
    editor.open("tests/test_grading.py")
    assert titles(await editor.actions("tests/test_grading.py", 4)) == [
        "Fix until green: test_exactly_the_threshold_passes"
    ]
    assert await editor.actions("tests/test_grading.py", 0) == []  # the import line is in no test


@pytest.mark.settings({"runOnSave": "file"})
async def test_actions_on_failures_and_a_remembered_fix(client, editor: Editor):
    editor.open("tests/test_grading.py")
    await editor.wait_until(lambda: editor.diagnostics("tests/test_grading.py"), what="test diagnostics")
    [diag] = editor.diagnostics("tests/test_grading.py")
    found = await editor.actions("tests/test_grading.py", 4, [diag])
    assert titles(found) == [
        "Fix until green",
        "Fix until green: test_exactly_the_threshold_passes",
        "Fix all failing tests",
    ]
    assert "untilgreen.fix" in str(found[0].command) and TARGET in str(found[0].command)  # decodes oddly here
    assert titles(await editor.actions("tests/test_grading.py", 8, only=[types.CodeActionKind.Source])) == [
        "Fix all failing tests"
    ]

    # Memory holds a fix for this signature: after the next check the action is offered and applies.
    await remembered_fix_applies(
        client, editor, diag, Store.open(editor.root.parent / "memory.sqlite3", root=editor.root)
    )


async def remembered_fix_applies(client, editor: Editor, diag: types.Diagnostic, store: Store) -> None:
    """With a fix card for `diag`'s signature in `store`, the next check offers it, and it applies."""
    with store:
        store.add_fix_card(
            FixCard(
                signature_from_text(diag.data["signature"]),
                REMEMBERED_DIFF,
                store.project or "",
                summary="pass at the threshold",
            )
        )
    editor.open("calc/grading.py")
    editor.save("tests/test_grading.py")
    wanted = "Apply remembered fix: pass at the threshold"

    async def offered() -> list[types.CodeAction]:
        [current] = editor.diagnostics("tests/test_grading.py") or [diag]
        return [a for a in await editor.actions("tests/test_grading.py", 4, [current]) if a.title == wanted]

    remembered: list[types.CodeAction] = []
    for _ in range(600):  # the check runs again, then memory is asked
        remembered = await offered()
        if remembered:
            break
        await asyncio.sleep(0.1)
    assert remembered, [m.message for m in client.messages]
    assert editor.apply(types.ApplyWorkspaceEditParams(edit=remembered[0].edit)).applied
    assert plain_pytest(editor.root).returncode == 0
    quick = await editor.actions("calc/grading.py", 5)
    assert "Fix until green" not in titles(quick)  # no diagnostic passed: no quick fix


@pytest.fixture
def team_memory(team_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The team store, named in the environment the language server starts with."""
    monkeypatch.setenv("UNTILGREEN_MEMORY_URL", team_url)
    return team_url


@pytest.mark.settings({"runOnSave": "file"})
async def test_a_remembered_fix_from_the_team_memory(team_memory: str, client, editor: Editor):
    editor.open("tests/test_grading.py")
    await editor.wait_until(lambda: editor.diagnostics("tests/test_grading.py"), what="test diagnostics")
    [diag] = editor.diagnostics("tests/test_grading.py")
    await remembered_fix_applies(
        client, editor, diag, Store.open(url=team_memory, root=editor.root, label="bo")
    )


@pytest.mark.capabilities("neovim")
async def test_client_without_change_annotations_is_asked_first(client, editor: Editor):
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    await editor.wait_until(lambda: editor.final_state(answer["runId"]), timeout=240, what="the run")
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    asked = [m for m in client.messages if isinstance(m, types.ShowMessageRequestParams)]
    assert asked and "Apply the fix?" in asked[0].message
    assert editor.applied[0].change_annotations is None
    assert plain_pytest(editor.root).returncode == 0


async def test_goal_mode_without_a_model_says_so_and_show_run_of_an_unknown_run_is_null(
    client, editor: Editor
):
    assert (await editor.command("untilgreen.goal", goal="add a --verbose flag"))["runId"] is None
    assert any("goal mode needs a model" in m.message for m in client.messages)
    assert await editor.command("untilgreen.showRun", runId="run-unknown") is None
    assert await editor.command("untilgreen.cancel") == {"cancelled": False}


async def test_a_malformed_command_argument_is_one_clear_message(client, editor: Editor):
    answer = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="untilgreen.fix", arguments=[{"targets": None}])
    )
    assert answer is None
    [shown] = [m for m in client.messages if isinstance(m, types.ShowMessageParams)]
    assert shown.type == types.MessageType.Error
    assert shown.message == (
        "untilgreen: untilgreen.fix got a malformed argument: invalid value for type, "
        "expected list @ $.targets."
    )
