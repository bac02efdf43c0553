"""Fix runs through the real server: the applied edit must make plain pytest green."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from lsprotocol import types

from tests.e2e.editor import BUGGY, TARGET, Editor, plain_pytest
from tests.support.scripted_llm import HANG, MODEL, Reply, ScriptedLLM
from untilgreen.memory import Store

RUN_TIMEOUT = 240.0


async def _finished(editor: Editor, run_id: str) -> str:
    await editor.wait_until(
        lambda: editor.final_state(run_id), timeout=RUN_TIMEOUT, what=f"run {run_id} to end"
    )
    return editor.final_state(run_id) or ""


async def test_builtin_repairer_fix_is_applied_and_makes_the_tests_green(client, editor: Editor):
    assert plain_pytest(editor.root).returncode == 1
    answer = await editor.command("untilgreen.fix", uri=editor.uri("tests/test_grading.py"), targets=[TARGET])
    run_id = answer["runId"]
    assert await _finished(editor, run_id) == "green"
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    done = plain_pytest(editor.root)
    assert done.returncode == 0, done.stdout

    attempts = editor.of("attempt")
    assert [a["attempt"] for a in attempts] == sorted(a["attempt"] for a in attempts) and attempts[-1][
        "outcome"
    ] == "green"
    assert attempts[-1]["runId"] == run_id and "+++ b/calc/grading.py" in attempts[-1]["diff"]
    [ranges] = attempts[-1]["ranges"].values()
    assert ranges and all(start <= end for start, end in ranges)
    states = [n["state"] for n in editor.of("run") if n["runId"] == run_id]
    assert states[0] == "running" and states[-1] == "green" and states.count("green") == 1

    shown = await editor.command("untilgreen.showRun", runId=run_id)
    assert shown["state"] == "green" and shown["attempts"][-1]["outcome"] == "green"
    assert shown["diff"] == attempts[-1]["diff"] and shown["durationS"] > 0
    summary = [
        d for d in editor.diagnostics("calc/grading.py") if d.severity == types.DiagnosticSeverity.Information
    ]
    assert summary and summary[0].message.startswith("untilgreen: green after")
    progress = client.progress_reports[next(iter(client.progress_reports))]
    assert progress[0].kind == "begin" and progress[0].cancellable and progress[-1].kind == "end"
    await editor.wait_until(lambda: card_status(editor) == "accepted", what="the verdict in memory")


def card_status(editor: Editor) -> str | None:
    """The status of the newest fix card in the memory file of the session's e2e tests (None if it has none)."""
    with Store.open(editor.root.parent / "memory.sqlite3") as store:
        rows = store.db.execute("SELECT status FROM fix_cards ORDER BY num DESC LIMIT 1").fetchall()
    return rows[0][0] if rows else None


async def test_a_declined_fix_counts_against_its_card(client, editor: Editor):
    editor.refuse_edits = True
    answer = await editor.command("untilgreen.fix", uri=editor.uri("tests/test_grading.py"), targets=[TARGET])
    run_id = answer["runId"]
    assert await _finished(editor, run_id) == "green"
    await editor.wait_until(lambda: card_status(editor) == "rejected", what="the verdict in memory")
    assert plain_pytest(editor.root).returncode == 1  # nothing was written


async def _green_with_model(client, editor: Editor, llm: ScriptedLLM, **settings: object) -> None:
    """Configure the scripted model (with `settings`), fix the shop project's tests, wait for green."""
    memory = {"path": str(editor.root.parent / "m.sqlite3")}
    client.set_configuration(
        {"model": MODEL, "apiBase": llm.url, "strategy": "model-only", "memory": memory, **settings},
        section="untilgreen",
    )
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await asyncio.sleep(0.5)
    answer = await editor.command("untilgreen.fix", uri=editor.uri("tests/test_pricing.py"), targets=[])
    assert await _finished(editor, answer["runId"]) == "green"


@pytest.mark.project("shop")
async def test_scripted_model_fix_is_applied_and_makes_the_tests_green(client, editor: Editor, monkeypatch):
    from tests.support.projects import FailingProject

    project = FailingProject(editor.root, {})
    with ScriptedLLM(project.wrong_fix, project.judge(after_attempt=True)) as llm:
        await _green_with_model(client, editor, llm, modelRetries=1)
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    assert plain_pytest(editor.root).returncode == 0
    assert [a["outcome"] for a in editor.of("attempt")] == ["still-failing", "green"]
    assert "percent / 100" in (editor.root / "shop/pricing.py").read_text()


@pytest.mark.project("shop")
async def test_an_attempt_is_shown_before_and_after_and_can_be_applied_or_refused(client, editor: Editor):
    """Attempt 1 (the wrong fix): its files as the run started and with it applied; Apply This Attempt offers it
    as the final fix is offered (the final one declined here), and refuses it over a conflicting edit."""
    from tests.support.projects import FailingProject

    project = FailingProject(editor.root, {})
    start = (editor.root / "shop/pricing.py").read_text()
    editor.refuse_edits = True
    with ScriptedLLM(project.wrong_fix, project.judge(after_attempt=True)) as llm:
        await _green_with_model(client, editor, llm, modelRetries=1)
    await editor.wait_until(
        lambda: any("the fix was not applied" in m.message for m in client.messages), what="the declined fix"
    )
    run_id = editor.of("run")[-1]["runId"]
    wrong = start.replace("percent / 10\n", "percent / 1000\n")
    assert wrong != start

    answer = await editor.command("untilgreen.attemptFiles", runId=run_id, attempt=1)
    assert answer == {"files": [{"path": "shop/pricing.py", "before": start, "after": wrong}]}
    assert await editor.command("untilgreen.attemptFiles", runId=run_id, attempt=9) is None
    assert await editor.command("untilgreen.applyAttempt", runId="run-nope", attempt=1) == {"applied": False}
    assert any("attempt 1 of run run-nope is unknown" in m.message for m in client.messages)

    editor.refuse_edits = False
    assert await editor.command("untilgreen.applyAttempt", runId=run_id, attempt=1) == {"applied": True}
    [edit] = editor.applied
    assert edit.change_annotations and "attempt 1" in edit.change_annotations["untilgreen.fix"].label
    assert (editor.root / "shop/pricing.py").read_text() == wrong
    answer = await editor.command("untilgreen.attemptFiles", runId=run_id, attempt=2)
    assert answer["files"][0]["before"] == start  # still what the run started from

    mine = start.replace("percent / 10\n", "percent / 10.0\n")
    editor.open("shop/pricing.py", mine)
    assert await editor.command("untilgreen.applyAttempt", runId=run_id, attempt=1) == {"applied": False}
    assert any("nothing you typed is lost" in m.message for m in client.messages)
    assert len(editor.applied) == 1 and editor.buffers[editor.uri("shop/pricing.py")][1] == mine


@pytest.mark.project("shop")
async def test_a_fix_with_security_findings_is_offered_with_them_as_warnings(client, editor: Editor):
    """The security review reaches the editor: the attempt's and the fix's lines get Warning diagnostics, a
    warning message names the finding before the preview, and the preview's change annotation describes it."""
    from tests.support.projects import FailingProject, block

    project = FailingProject(editor.root, {})
    insecure = (
        project.right_fix
        + "\n"
        + block(
            "shop/pricing.py",
            "def total(prices):\n",
            "def load_prices(data):\n    import pickle\n\n    return pickle.loads(data)\n\n\ndef total(prices):\n",
        )
    )
    with ScriptedLLM(project.judge(then=insecure)) as llm:
        await _green_with_model(client, editor, llm, modelRetries=1)
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    text = (editor.root / "shop/pricing.py").read_text()
    assert "pickle.loads(data)" in text  # a finding is shown, not refused (review.refuseSecurity is off)
    line = text.splitlines().index("    return pickle.loads(data)")
    [edit] = editor.applied
    [annotation] = (edit.change_annotations or {}).values()
    assert annotation.needs_confirmation and "security findings" in annotation.label
    assert f"shop/pricing.py:{line + 1}: S301 `pickle`" in (annotation.description or "")
    warned = [
        m.message
        for m in client.messages
        if m.type == types.MessageType.Warning and "security review" in m.message
    ]
    assert warned and "S301" in warned[0], [m.message for m in client.messages]
    flagged = [
        d
        for d in editor.diagnostics("shop/pricing.py")
        if d.severity == types.DiagnosticSeverity.Warning and d.code == "S301"
    ]
    assert flagged and all(d.range.start.line == line for d in flagged), flagged
    assert any(d.message.startswith("untilgreen's fix: security review") for d in flagged)
    shown = await editor.command("untilgreen.showRun", runId=editor.of("run")[-1]["runId"])
    assert [f["code"] for f in shown["security"]] == ["S301"]


@pytest.mark.project("shop")
async def test_a_streaming_model_shows_its_tokens_in_the_progress(client, editor: Editor):
    from tests.support.projects import FailingProject

    project = FailingProject(editor.root, {})
    with ScriptedLLM(project.judge(then=Reply(project.right_fix, stream_s=1.5))) as llm:
        await _green_with_model(client, editor, llm, stream=True)
    [reports] = client.progress_reports.values()
    writing = [r.message for r in reports if r.kind == "report" and "model writing" in (r.message or "")]
    assert len(writing) >= 3 and all(
        re.match(r"attempt 1/\d+: .* \d+ tokens, \d+\.\d s$", m) for m in writing
    )
    assert all(r.percentage is not None for r in reports if r.kind == "report")


async def test_a_second_run_is_refused_and_cancel_stops_the_first_within_a_second(client, editor: Editor):
    with ScriptedLLM(default=HANG) as llm:
        client.set_configuration(
            {"model": MODEL, "apiBase": llm.url, "strategy": "model-only"}, section="untilgreen"
        )
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await asyncio.sleep(0.5)
        first = await editor.command("untilgreen.fix", targets=[TARGET])
        second = await editor.command("untilgreen.fix", targets=[TARGET])
        assert first["runId"] and second["runId"] is None
        assert any("a run is in progress" in m.message for m in client.messages)
        await asyncio.to_thread(llm.wait_for_requests, 1, RUN_TIMEOUT)  # the run is waiting on the model
        started = time.monotonic()
        assert await editor.command("untilgreen.cancel", runId=first["runId"]) == {"cancelled": True}
        assert time.monotonic() - started < 1.0
        assert await _finished(editor, first["runId"]) == "cancelled"
    assert not editor.applied and plain_pytest(editor.root).returncode == 1


async def test_progress_cancel_stops_the_run(client, editor: Editor):
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    await editor.wait_until(
        lambda: client.progress_reports and next(iter(client.progress_reports.values())),
        what="progress to begin",
    )
    token = next(iter(client.progress_reports))
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    assert await _finished(editor, answer["runId"]) == "cancelled"
    assert client.progress_reports[token][-1].kind == "end"
    assert not editor.applied


async def test_cancel_right_after_the_start_ends_the_run(client, editor: Editor):
    """A cancel that lands while the run is still starting (progress, snapshot) ends it, not leaves it running."""
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    assert await editor.command("untilgreen.cancel", runId=answer["runId"]) == {"cancelled": True}
    assert await _finished(editor, answer["runId"]) == "cancelled"
    assert not editor.applied


async def test_document_edited_during_the_run_is_merged_or_refused(client, editor: Editor):
    """A user's edit away from the fix is kept (merged and re-validated); one on the fixed line refuses."""
    editor.open("calc/grading.py")
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    await editor.wait_until(lambda: editor.of("run"), what="the run to start")
    editor.change("calc/grading.py", BUGGY["calc/grading.py"] + "\n\nLIMIT = 3\n")
    assert await _finished(editor, answer["runId"]) == "green"
    await editor.wait_until(lambda: editor.applied, what="the merged edit")
    text = editor.buffers[editor.uri("calc/grading.py")][1]
    assert "return score > threshold" not in text and text.endswith(
        "LIMIT = 3\n"
    )  # the fix and the user's line
    assert plain_pytest(editor.root).returncode == 0


async def test_overlapping_edit_during_the_run_is_refused(client, editor: Editor):
    editor.open("calc/grading.py")
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    await editor.wait_until(lambda: editor.of("run"), what="the run to start")
    mine = BUGGY["calc/grading.py"].replace("score > threshold", "score > threshold - 0")
    editor.change("calc/grading.py", mine)
    assert await _finished(editor, answer["runId"]) == "green"
    await editor.wait_until(
        lambda: any("nothing you typed is lost" in m.message for m in client.messages), what="the refusal"
    )
    assert not editor.applied and editor.buffers[editor.uri("calc/grading.py")][1] == mine


async def test_unreachable_model_is_one_clear_message(client, editor: Editor):
    # Keep the test's own memory file: the default one is shared by the whole session, and a fix remembered
    # there by another test would be tried before the (unreachable) model.
    client.set_configuration(
        {
            "model": MODEL,
            "apiBase": "http://127.0.0.1:9/v1",
            "strategy": "model-only",
            "modelRetries": 0,
            "memory": {"path": str(editor.root.parent / "memory.sqlite3")},
        },
        section="untilgreen",
    )
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await asyncio.sleep(0.5)
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    assert await _finished(editor, answer["runId"]) == "failed"
    await editor.wait_until(
        lambda: any(m.type in (types.MessageType.Warning, types.MessageType.Error) for m in client.messages),
        what="the message",
    )
    said = [
        m.message for m in client.messages if m.type in (types.MessageType.Warning, types.MessageType.Error)
    ]
    assert "Traceback" not in said[-1] and not editor.applied


async def test_a_settings_change_during_a_run_is_read_at_once_and_the_run_goes_on(client, editor: Editor):
    """What the VS Code client sends for any setting but the interpreter: the server reads its settings again at
    once (here a bad value, reported in one sentence), and the run in progress goes on with those it started with."""
    answer = await editor.command("untilgreen.fix", targets=[TARGET])
    client.set_configuration({"attempts": "many"}, section="untilgreen")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await editor.wait_until(
        lambda: any("`attempts`" in m.message for m in client.messages), what="the bad setting"
    )
    assert editor.final_state(answer["runId"]) is None  # read while the run was still going
    assert await _finished(editor, answer["runId"]) == "green"
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    assert plain_pytest(editor.root).returncode == 0


async def test_fix_at_the_cursor_fixes_the_test_around_it_in_the_open_buffer(client, editor: Editor):
    uri = editor.open(
        "tests/test_grading.py", "\n\n" + BUGGY["tests/test_grading.py"]
    )  # unsaved: two lines down
    assert (await editor.command("untilgreen.fix", uri=uri, position={"line": 4, "character": 0}))[
        "runId"
    ] is None
    assert [m.message for m in client.messages if isinstance(m, types.ShowMessageParams)] == [
        "untilgreen: put the cursor inside a test function first."
    ]  # in the buffer: the blank line above the test
    answer = await editor.command("untilgreen.fix", uri=uri, position={"line": 5, "character": 4})
    assert await _finished(editor, answer["runId"]) == "green"
    await editor.wait_until(lambda: editor.applied, what="the applied edit")
    assert plain_pytest(editor.root).returncode == 0


@pytest.mark.parametrize(
    ("node", "targets"),
    [("test_exactly_the_threshold_passes", [TARGET]), ("", ["tests/test_grading.py"])],
    ids=["a-test", "its-file"],
)
async def test_a_test_explorer_item_is_the_run_s_target(
    client, editor: Editor, node: str, targets: list[str]
) -> None:
    """What the VS Code client sends for a Testing view item: its file, and its node as the explorer names it."""
    answer = await editor.command("untilgreen.fix", uri=editor.uri("tests/test_grading.py"), node=node)
    assert await _finished(editor, answer["runId"]) == "green"
    shown = await editor.command("untilgreen.showRun", runId=answer["runId"])
    assert shown["targets"] == targets
