"""Goal mode with the real LLM repairer (litellm) against a scripted OpenAI-compatible server, the real sandbox
and the real loop: tests first (red), then code until green, then the mutation check."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.agent.conftest import Events, leftovers
from tests.support.goal_project import (
    ALREADY_MET,
    CODE_IN_TESTS_STEP,
    EDIT_FROZEN,
    FAILURE,
    GOAL,
    INVALID,
    PLAN,
    VACUOUS,
    write_code,
    write_tests,
    write_project,
)
from tests.support.scripted_llm import HANG, ScriptedLLM
from untilgreen.agent import RunRequest, goal_mutation, run
from untilgreen.agent.goal import GoalResult
from untilgreen.errors import UserError
from untilgreen.protocol import NO_MODEL, AttemptValidated, Notice, PhaseChanged, RunFinished, RunStarted
from untilgreen.settings import build


@pytest.fixture(autouse=True)
def no_provider_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture(autouse=True)
def few_mutants(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """One mutant is enough where the mutation check is not what the test is about (each costs a test run)."""
    if "mutation_score" not in request.node.name:
        monkeypatch.setattr(goal_mutation, "MAX_MUTANTS", 1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_project(tmp_path / "textkit")


def goal_request(root: Path, url: str, tmp_path: Path, **values: object) -> RunRequest:
    base: dict[str, object] = {
        "model": "openai/scripted",
        "api_base": url,
        "strategy": "model-only",
        "model_timeout": 10.0,
        "model_retries": 1,
        "attempts": 4,
        "memory.path": str(tmp_path / "memory.sqlite3"),
        "sandbox.test_timeout": 3.0,
    }
    base.update(values)
    return RunRequest(root, mode="goal", goal=GOAL, file="textkit/strings.py", settings=build(base))


def outcomes(events: Events) -> list[str]:
    return [e.outcome for e in events.of(AttemptValidated)]


def test_tests_first_then_code_until_green_with_a_mutation_score(root: Path, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(write_tests(also=("def shout(text)",)), write_code()) as llm:
        result = run(goal_request(root, llm.url, tmp_path), events)
    assert isinstance(result, GoalResult)
    assert result.green, (result.message, outcomes(events), [r.notes for r in llm.requests])
    assert outcomes(events) == ["red", "green"]
    assert "+++ b/tests/test_slugify.py" in result.diff and "+++ b/textkit/strings.py" in result.diff
    assert sorted(f.path for f in result.files) == ["tests/test_slugify.py", "textkit/strings.py"]
    assert result.tests == [
        "tests/test_slugify.py::test_lowercases_and_joins_words",
        "tests/test_slugify.py::test_collapses_and_trims_separators",
    ]
    assert result.plan.startswith(PLAN)
    score = result.mutation_score
    assert score is not None and 0 < score.caught <= score.total <= 10
    summary = result.summary_json()
    assert summary["mode"] == "goal" and summary["mutation_score"] == {
        "caught": score.caught,
        "total": score.total,
    }
    assert events.of(RunStarted)[0].mode == "goal"
    phases = [e.phase for e in events.of(PhaseChanged)]
    for phase in (
        "baseline",
        "plan",
        "tests",
        "red-check",
        "propose",
        "validate",
        "final-check",
        "mutation-check",
    ):
        assert phase in phases
    assert phases.index("red-check") < phases.index("propose")
    assert any(PLAN in n.message for n in events.of(Notice))
    assert any("mutation check" in n.message for n in events.of(Notice))
    assert "edits to other files are refused" in llm.requests[0].text
    assert "frozen" in llm.requests[1].text and FAILURE in llm.requests[1].text
    assert (root / "textkit/strings.py").read_text().count("slugify") == 0  # nothing written without --apply


def test_a_project_without_tests_gets_its_first_ones(root: Path, tmp_path: Path) -> None:
    (root / "tests/test_strings.py").unlink()
    events = Events()
    with ScriptedLLM(write_tests(also=("(none yet",)), write_code()) as llm:
        result = run(goal_request(root, llm.url, tmp_path), events)
    assert result.green, (result.message, outcomes(events), [r.notes for r in llm.requests])
    assert outcomes(events) == ["red", "green"] and "+++ b/tests/test_slugify.py" in result.diff


def test_tests_that_already_pass_stop_with_goal_met_and_no_diff(root: Path, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(write_tests(ALREADY_MET)) as llm:
        result = run(goal_request(root, llm.url, tmp_path), events)
    assert (result.green, result.stop_reason, result.diff, result.files) == (True, "goal-met", "", [])
    assert "goal seems met already" in result.message
    assert outcomes(events) == ["goal-met"] and len(llm.requests) == 1
    assert events.of(RunFinished)[0].stop_reason == "goal-met"


def test_a_vacuous_test_is_rejected_and_the_model_told(root: Path, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(write_tests(VACUOUS), write_tests(also=("has no assertion",)), write_code()) as llm:
        result = run(goal_request(root, llm.url, tmp_path), events)
    assert result.green, (result.message, outcomes(events), [r.notes for r in llm.requests])
    assert outcomes(events) == ["vacuous", "red", "green"]
    assert "tests/test_slugify.py::test_runs" in llm.requests[1].text
    assert "def test_runs" not in result.diff


def test_tests_that_never_become_usable_spend_the_budget(root: Path, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(VACUOUS, INVALID) as llm:
        result = run(goal_request(root, llm.url, tmp_path, attempts=2), events)
    assert (result.green, result.stop_reason, result.diff) == (False, "budget", "")
    assert result.message.startswith("no failing tests that encode the goal") and len(llm.requests) == 2
    assert outcomes(events) == ["vacuous", "invalid-tests"] and result.mutation_score is None


def test_invalid_test_code_and_code_in_the_tests_step_are_told_and_retried(
    root: Path, tmp_path: Path
) -> None:
    events = Events()
    script = [
        write_tests(INVALID),
        write_tests(CODE_IN_TESTS_STEP, also=("not valid Python", "line 4")),
        write_tests(also=("is not a test file",)),
        write_code(),
    ]
    with ScriptedLLM(*script) as llm:
        result = run(goal_request(root, llm.url, tmp_path, attempts=5), events)
    assert result.green, (result.message, outcomes(events), [r.notes for r in llm.requests])
    assert outcomes(events) == ["invalid-tests", "refused", "red", "green"]


def test_an_edit_of_a_frozen_new_test_is_refused(root: Path, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(write_tests(), EDIT_FROZEN, write_code("frozen now")) as llm:
        result = run(goal_request(root, llm.url, tmp_path), events)
    assert result.green, (result.message, outcomes(events), [r.notes for r in llm.requests])
    assert outcomes(events) == ["red", "refused", "green"]
    assert "is None" not in result.diff


def test_cancel_while_waiting_for_the_model_leaves_nothing_behind(
    root: Path, tmp_path: Path, private_dirs: Path
) -> None:
    cancel = threading.Event()
    with ScriptedLLM(HANG) as llm:
        threading.Thread(target=lambda: (llm.wait_for_requests(1, 60), cancel.set()), daemon=True).start()
        result = run(goal_request(root, llm.url, tmp_path), Events(), cancel)
    assert (result.green, result.stop_reason, result.diff) == (False, "cancelled", "")
    assert leftovers(private_dirs) == []


@pytest.mark.parametrize("model", ["", "builtin"])
def test_no_model_is_one_sentence(root: Path, tmp_path: Path, model: str) -> None:
    request = RunRequest(
        root, mode="goal", goal=GOAL, settings=build({"model": model, "memory.path": str(tmp_path / "m.db")})
    )
    with pytest.raises(UserError) as caught:
        run(request, Events())
    assert str(caught.value) == NO_MODEL and caught.value.exit_code == 2
