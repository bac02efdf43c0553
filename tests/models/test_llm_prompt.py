"""What the prompt holds, and what it never holds: secret files, `.env` values, key-shaped strings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.support.projects import PLANTED_SECRET, TOKEN_LOOKING, FailingProject
from untilgreen.context.model import Chunk, Context
from untilgreen.memory.records import FixCard, Recollection
from untilgreen.memory.signature import signature
from untilgreen.models.base import AttemptSummary
from untilgreen.models.llm.prompt import clip, render_prompt
from untilgreen.sandbox import Workspace, run_tests


def texts(messages: list[dict[str, str]]) -> tuple[str, str]:
    """The system text and the user texts joined (fix mode sends the stable part and the attempts apart)."""
    assert [m["role"] for m in messages] in (["system", "user"], ["system", "user", "user"])
    return messages[0]["content"], "\n\n".join(m["content"] for m in messages[1:])


def test_the_prompt_holds_the_task_the_test_the_failure_and_the_code(
    project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    system, user = texts(render_prompt(project.request(shadow, index_dir), "search-replace"))
    assert "Do not edit the test files" in system and "<<<<<<< SEARCH" in system
    assert "make these failing tests pass without breaking the other tests" in user.lower()
    assert f"- {project.target}" in user
    assert f"AssertionError: {project.failure_message}" in user
    assert "tests/test_pricing.py:7 in test_ten_percent_off" in user
    assert "def test_ten_percent_off():" in user and project.test_source_marker in user
    # The buggy code, as a chunk or (when cheaper, for a small file) the whole file.
    assert "### shop/pricing.py::apply_discount" in user or "### shop/pricing.py (whole file)" in user
    assert "def apply_discount(" in user and "percent / 10\n" in user
    assert "Earlier attempts" not in user and "Fixes that worked" not in user


def test_no_secret_leaves_the_machine(project: FailingProject, shadow: Workspace, index_dir: Path) -> None:
    request = project.request(shadow, index_dir)
    # The failure output shows the planted secret and a key, as a test printing its config would.
    leaky = dataclasses.replace(
        request.failures[0],
        output=f"token={PLANTED_SECRET}\nheaders={{'Authorization': 'Bearer abcdefghijklmnop1234'}}\n"
        "connecting with nested-secret-value\n",
    )
    secret_context = Context(
        chunks=[],
        tokens=0,
        rendered="\n\n".join(
            [
                "### .env (outline of the rest of the file)\n```\nSHOP_API_TOKEN=whatever-is-here\n```",
                "### shop/secrets.py::SIGNING (lines 1-1)\n```python\nSIGNING = 'do-not-send-this'\n```",
                "### keys/server.pem (outline)\n```\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n```",
                request.context.rendered,
            ]
        ),
        tests=request.context.tests,
    )
    attempt = AttemptSummary(
        1,
        "openai/x",
        "refused",
        "diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-A=old-env-line\n+A=new-env-line\n"
        "diff --git a/shop/pricing.py b/shop/pricing.py\n--- a/shop/pricing.py\n+++ b/shop/pricing.py\n"
        "@@ -6 +6 @@\n-    return price - price * percent / 10\n+    return price\n",
        "edits to .env are refused",
    )
    request = dataclasses.replace(request, failures=[leaky], context=secret_context, attempts=[attempt])
    shadow.write("services/.env.local", "DB_PASSWORD=nested-secret-value\n")

    prompt = "\n".join(texts(render_prompt(request, "search-replace")))
    for secret in (PLANTED_SECRET, TOKEN_LOOKING, "abcdefghijklmnop1234", "nested-secret-value"):
        assert secret not in prompt
    for content in ("whatever-is-here", "do-not-send-this", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "env-line"):
        assert content not in prompt
    assert "token=[REDACTED]" in prompt and "Bearer [REDACTED]" in prompt
    assert "+    return price\n" in prompt  # the rest of the attempt's diff is kept


def test_attempts_grouped_by_outcome_most_recent_first_and_memory(
    project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    attempts = [
        AttemptSummary(1, "openai/x", "still-failing", "diff one", "AssertionError: assert 198.0 == 180"),
        AttemptSummary(2, "builtin:swap", "lint", "diff two", "SyntaxError: invalid syntax"),
        AttemptSummary(3, "openai/x", "still-failing", "diff three", "AssertionError: assert 20.0 == 180"),
    ]
    card = FixCard(
        signature=signature(project.failure()),
        diff="-    return a / 10\n+    return a / 100\n",
        project="p",
        summary="percent divided by 10",
        root_cause="wrong scale",
    )
    request = project.request(
        shadow, index_dir, attempts=attempts, recollections=[Recollection(card, 0.91, True, "this project")]
    )
    _, user = texts(render_prompt(request, "search-replace"))
    history = user[user.index("# Earlier attempts") : user.index("# Fixes that worked")]
    assert history.index("## Applied, but the failing tests still fail (attempt 3, 1)") < history.index(
        "## Broke the code (syntax or lint error) (attempt 2)"
    )
    assert history.index("### Attempt 3") < history.index("### Attempt 1") and "diff three" in history
    assert "What happened: SyntaxError: invalid syntax" in history
    memory = user[user.index("# Fixes that worked") : user.index("# Your answer")]
    assert (
        "## percent divided by 10 (this project; similarity 0.91)" in memory
        and "Root cause: wrong scale" in memory
    )
    assert "+    return a / 100" in memory
    assert user.endswith("Do not repeat an earlier attempt.")


def test_goal_mode_symbol_format_and_edit_tests(
    project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    request = project.request(shadow, index_dir, mode="goal", goal="Discounts above 50% are capped at 50%.")
    system, user = texts(render_prompt(request, "symbol"))
    assert user.startswith("# Task\n\nDiscounts above 50% are capped at 50%.\n")
    assert "### REPLACE SYMBOL path/to/file.py::Class.method" in system and "<<<<<<< SEARCH" not in system
    assert "the tests written for the goal are frozen now" in system
    system, _ = texts(render_prompt(project.request(shadow, index_dir), "search-replace", edit_tests=True))
    assert "Edit a test only if the test itself is clearly wrong" in system


def test_a_failing_test_left_out_of_the_packed_context_is_still_shown(
    project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    test = Chunk(
        "tests/test_x.py::test_x",
        "tests/test_x.py",
        "test_x",
        "function",
        3,
        4,
        "def test_x():\n    assert f()",
    )
    request = project.request(shadow, index_dir)
    request.context = Context(chunks=[], tokens=0, rendered="", tests=[test])
    _, user = texts(render_prompt(request, "search-replace"))
    assert (
        "### tests/test_x.py::test_x (failing test, lines 3-4)\n```\ndef test_x():\n    assert f()\n```"
        in user
    )


def test_clip_keeps_head_and_tail() -> None:
    text = "\n".join(f"line {i}" for i in range(100))
    clipped = clip(text, 3, 2, 10_000)
    assert clipped.splitlines() == [
        "line 0",
        "line 1",
        "line 2",
        "... (95 lines left out) ...",
        "line 98",
        "line 99",
    ]
    assert clip("x" * 100, 10, 10, 40) == "x" * 20 + "\n... (60 characters left out) ...\n" + "x" * 20


@pytest.mark.slow
def test_the_projects_failure_is_what_run_tests_reports(project: FailingProject, shadow: Workspace) -> None:
    """The scripted judge checks prompts for `failure_message`: the real test run must report it as the fixture
    says, or loop tests built on the fixture would check for the wrong text."""
    report = run_tests(shadow)
    [failure] = report.failures
    expected = project.failure()
    assert (failure.test_id, failure.exc_type, failure.message, failure.frames) == (
        expected.test_id,
        expected.exc_type,
        expected.message,
        expected.frames,
    )
    assert len(report.passed) == 2
