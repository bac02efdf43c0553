"""Goal mode's pieces without a model: which files each step may touch, the checks on new tests, the first
step's prompt, and the mutation score's sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.goal_project import GOAL, STRINGS, write_project
from untilgreen.agent.apply import Refusal
from untilgreen.agent.goal_checks import GoalPolicy, new_tests, syntax_errors, vacuous
from untilgreen.agent.goal_mutation import MutationScore
from untilgreen.context import Context
from untilgreen.models.base import RepairRequest
from untilgreen.models.llm.prompt import render_prompt
from untilgreen.sandbox import TestReport, Workspace

OLD = "def test_a():\n    assert 1\n"


def test_the_tests_step_writes_tests_only_and_the_code_step_never_touches_them() -> None:
    tests_step = GoalPolicy(mode="goal", phase="tests")
    assert tests_step.check_path("tests/test_new.py") == "tests/test_new.py"
    with pytest.raises(Refusal, match="is not a test file"):
        tests_step.check_path("textkit/strings.py")
    code_step = GoalPolicy(mode="goal", phase="code", frozen=frozenset({"tests/test_new.py"}))
    assert code_step.check_path("textkit/strings.py") == "textkit/strings.py"
    with pytest.raises(Refusal, match="frozen now"):
        code_step.check_path("tests/test_new.py")
    with pytest.raises(Refusal, match="is a test file"):
        code_step.check_path("tests/test_strings.py")
    with pytest.raises(Refusal, match="outside the project"):
        code_step.check_path("../elsewhere.py")


def test_new_and_changed_test_functions_and_their_assertions() -> None:
    after = (
        OLD
        + """

class TestSlug:
    def test_method(self):
        self.assertEqual(1, 1)


@pytest.mark.parametrize("x", [1, 2])
def test_raises(x):
    with pytest.raises(ValueError):
        int("x")


def test_nothing():
    print("hello")


def helper():
    pass
"""
    )
    found = new_tests({"tests/test_x.py": (OLD, after)})
    assert [(t.id, t.asserts, t.parametrized) for t in found] == [
        ("tests/test_x.py::TestSlug::test_method", True, False),
        ("tests/test_x.py::test_raises", True, True),
        ("tests/test_x.py::test_nothing", False, False),
    ]
    assert "tests/test_x.py::test_nothing has no assertion" in vacuous(found)
    assert vacuous(found[:2]) == ""
    changed = new_tests({"tests/test_x.py": (OLD, OLD.replace("1", "2"))})
    assert [t.id for t in changed] == ["tests/test_x.py::test_a"]
    assert syntax_errors(
        {"tests/test_x.py": (None, "def test_(:\n    pass\n"), "notes.txt": (None, "(:")}
    ) == ["tests/test_x.py line 1: invalid syntax"]


def test_the_tests_step_prompt_holds_the_goal_the_code_and_asks_for_search_replace(tmp_path: Path) -> None:
    root = write_project(tmp_path / "textkit")
    rendered = f"### textkit/strings.py (whole file)\n```python\n{STRINGS}\n```"
    with Workspace.create(root) as shadow:
        request = RepairRequest(
            mode="goal",
            phase="tests",
            workspace=shadow,
            report=TestReport(),
            targets=[],
            failures=[],
            context=Context([], 10, rendered),
            goal=GOAL,
        )
        system, *users = (m["content"] for m in render_prompt(request, "symbol"))
        user = "\n\n".join(users)
    assert "Write tests only" in system and "<<<<<<< SEARCH" in system and "REPLACE SYMBOL" not in system
    assert user.startswith(f"# Goal\n\n{GOAL}\n") and "- tests/test_strings.py" in user
    assert "def shout(text):" in user and "Write the plan, then the tests as SEARCH/REPLACE blocks." in user


def test_the_mutation_sentence_warns_when_nothing_was_caught() -> None:
    assert "may be weak" in MutationScore(0, 4, ["comparison at a.py:3"]).sentence()
    assert MutationScore(3, 4, ["comparison at a.py:3"]).sentence() == (
        "mutation check: the new tests caught 3 of 4 mutants of the new code (missed: comparison at a.py:3)"
    )
    assert MutationScore(2, 3).to_json() == {"caught": 2, "total": 3}
    assert "no mutation" in MutationScore(0, 0).sentence()
