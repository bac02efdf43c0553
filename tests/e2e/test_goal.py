"""Goal mode through the real server: the palette's `untilgreen.goal` runs tests-first in the worker, the attempts
show the red check and the green code, and the one applied edit (new test file and code) makes plain pytest green."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from tests.e2e.editor import Editor, plain_pytest
from tests.support.goal_project import ALREADY_MET, GOAL, write_code, write_tests
from tests.support.scripted_llm import MODEL, ScriptedLLM

RUN_TIMEOUT = 300.0


async def _goal(client, editor: Editor, llm: ScriptedLLM) -> str:
    """Configure the scripted model, run `untilgreen.goal` on textkit/strings.py, wait for the end; the run id."""
    client.set_configuration(
        {
            "model": MODEL,
            "apiBase": llm.url,
            "strategy": "model-only",
            "modelRetries": 1,
            "memory": {"path": str(editor.root.parent / "m.sqlite3")},
        },
        section="untilgreen",
    )
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await asyncio.sleep(0.5)
    answer = await editor.command("untilgreen.goal", goal=GOAL, uri=editor.uri("textkit/strings.py"))
    run_id = answer["runId"]
    await editor.wait_until(lambda: editor.final_state(run_id), timeout=RUN_TIMEOUT, what=f"run {run_id}")
    return run_id


@pytest.mark.project("goal")
async def test_goal_writes_tests_then_code_and_the_applied_edit_is_green(client, editor: Editor):
    assert plain_pytest(editor.root).returncode == 0
    with ScriptedLLM(write_tests(also=("def shout(text)",)), write_code()) as llm:
        run_id = await _goal(client, editor, llm)
        assert editor.final_state(run_id) == "green", [r.notes for r in llm.requests]
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    assert [a["outcome"] for a in editor.of("attempt")] == ["red", "green"]
    assert "def slugify" in (editor.root / "textkit/strings.py").read_text()
    assert "def test_lowercases_and_joins_words" in (editor.root / "tests/test_slugify.py").read_text()
    done = plain_pytest(editor.root)
    assert done.returncode == 0 and "3 passed" in done.stdout, done.stdout
    shown = await editor.command("untilgreen.showRun", runId=run_id)
    assert "+++ b/tests/test_slugify.py" in shown["diff"] and "+++ b/textkit/strings.py" in shown["diff"]
    assert "mutation check" in shown["message"]


@pytest.mark.project("goal")
async def test_a_goal_met_already_is_said_and_nothing_is_applied(client, editor: Editor):
    with ScriptedLLM(write_tests(ALREADY_MET)) as llm:
        run_id = await _goal(client, editor, llm)
    assert editor.final_state(run_id) == "green" and not editor.applied
    await editor.wait_until(
        lambda: any("goal seems met already" in getattr(m, "message", "") for m in client.messages),
        what="the goal-met message",
    )
    assert [a["outcome"] for a in editor.of("attempt")] == ["goal-met"]
    assert not (editor.root / "tests/test_shout_more.py").exists()
