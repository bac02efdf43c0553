"""Continue run through the real server: a run stopped by its budget is offered as a code action and continued by
`untilgreen.continueRun`, which starts the worker with the stopped run to resume."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from tests.e2e.editor import Editor, plain_pytest
from tests.support.projects import FailingProject
from tests.support.scripted_llm import MODEL, ScriptedLLM

RUN_TIMEOUT = 240.0


async def _finished(editor: Editor, run_id: str) -> str:
    await editor.wait_until(
        lambda: editor.final_state(run_id), timeout=RUN_TIMEOUT, what=f"run {run_id} to end"
    )
    return editor.final_state(run_id) or ""


async def _configure(client, editor: Editor, llm: ScriptedLLM, attempts: int) -> None:
    memory = {"path": str(editor.root.parent / "continue.sqlite3")}
    client.set_configuration(
        {
            "model": MODEL,
            "apiBase": llm.url,
            "strategy": "model-only",
            "modelRetries": 0,
            "attempts": attempts,
            "runOnSave": "file",
            "memory": memory,
        },
        section="untilgreen",
    )
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await asyncio.sleep(0.5)


@pytest.mark.project("shop")
async def test_a_run_stopped_by_its_budget_is_continued_from_a_code_action(client, editor: Editor):
    project = FailingProject(editor.root, {})
    # the stopped run's wrong patch, the same wrong patch again (skipped as tried), then the right one
    with ScriptedLLM(project.wrong_fix, project.wrong_fix, project.right_fix) as llm:
        await _configure(client, editor, llm, attempts=1)
        editor.open("tests/test_pricing.py")
        await editor.wait_until(lambda: editor.diagnostics("tests/test_pricing.py"), what="test diagnostics")
        first = await editor.command("untilgreen.fix", uri=editor.uri("tests/test_pricing.py"), targets=[])
        assert await _finished(editor, first["runId"]) == "failed"
        stopped = await editor.command("untilgreen.showRun", runId=first["runId"])
        assert stopped["stopReason"] == "budget" and stopped["resumable"] is True
        assert [a["outcome"] for a in stopped["attempts"]] == ["still-failing"]

        ours = [d for d in editor.diagnostics("tests/test_pricing.py") if d.source == "untilgreen"]
        found = await editor.actions("tests/test_pricing.py", ours[0].range.start.line, ours)
        (action,) = [a for a in found if a.title == "Continue run"]
        assert "untilgreen.continueRun" in str(action.command) and first["runId"] in str(action.command)

        await _configure(client, editor, llm, attempts=2)  # the editor's settings are this run's budget
        second = await editor.command("untilgreen.continueRun", runId=first["runId"])
        assert second["runId"] and second["runId"] != first["runId"]
        assert await _finished(editor, second["runId"]) == "green"
    continued = await editor.command("untilgreen.showRun", runId=second["runId"])
    assert [(a["number"], a["outcome"]) for a in continued["attempts"]] == [(2, "duplicate"), (3, "green")]
    assert continued["resumedFrom"] and continued["resumable"] is False
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    assert plain_pytest(editor.root).returncode == 0


async def test_continue_without_a_stopped_run_says_what_to_do(client, editor: Editor):
    assert await editor.command("untilgreen.continueRun") == {"runId": None, "error": "no such run"}
    await editor.wait_until(
        lambda: any("there is no stopped run to continue" in m.message for m in client.messages),
        what="the refusal",
    )
