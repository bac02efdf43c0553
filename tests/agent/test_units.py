"""Unit tests of the loop's small modules: fingerprints, lint guard, environment, refusals, budget."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from untilgreen.agent.apply import MAX_CHANGED_LINES, Policy, Refusal, apply_candidate
from untilgreen.agent.budget import Budget
from untilgreen.agent.changes import changed_line_count, new_ranges, old_lines
from untilgreen.agent.environment import classify, explain
from untilgreen.agent.fingerprint import fingerprint
from untilgreen.agent.lint import new_problems
from untilgreen.agent.request import RunRequest
from untilgreen.agent.select import best
from untilgreen.models.base import Candidate, FileWrite, SearchReplace, Usage
from untilgreen.sandbox import Workspace
from untilgreen.sandbox.results import Failure, Frame
from untilgreen.settings import build

from tests.agent.conftest import SHOP, write_tree


def test_run_request_round_trips_with_overlays_and_settings(tmp_path: Path) -> None:
    request = RunRequest(
        tmp_path,
        ["t.py::x"],
        {"a.py": "x = 1\n"},
        "fix",
        "",
        build({"attempts": 7, "sandbox.env_passthrough": ["DB_URL"]}),
    )
    again = RunRequest.from_json(request.to_json())
    assert (again.root, again.targets, again.overlays) == (
        tmp_path.resolve(),
        ["t.py::x"],
        {"a.py": "x = 1\n"},
    )
    assert again.settings.attempts == 7 and again.settings.sandbox.env_passthrough == ["DB_URL"]


def test_fingerprint_ignores_formatting_comments_and_docstrings() -> None:
    before = "def f(x):\n    return x > 1\n"
    a = {"m.py": (before, "def f(x):\n    return x >= 1\n")}
    b = {"m.py": (before, 'def f(x):\n    """Doc."""\n    # at least one\n    return (x >=   1)\n')}
    c = {"m.py": (before, "def f(x):\n    return x >= 2\n")}
    assert fingerprint(a) == fingerprint(b) != fingerprint(c)
    assert fingerprint({"m.py": (before, "def f(x):  # same\n    return x > 1\n")}) == ""
    assert fingerprint({"m.txt": ("a  b", "a b\n")}) == ""


def test_lint_guard_reports_only_new_undefined_names_and_syntax_errors() -> None:
    before = "import os\n\ndef f():\n    return missing\n"
    assert new_problems({"m.py": (before, before.replace("return missing", "return  missing"))}) == []
    found = new_problems({"m.py": (before, before + "\ndef g():\n    return totl\n")})
    assert [(p.code, p.message) for p in found] == [("F821", "Undefined name `totl`")]
    broken = new_problems({"m.py": (before, "def f(:\n")})
    assert broken and broken[0].code == "syntax"
    assert new_problems({"notes.txt": ("a", "b(")}) == []


def _failure(exc: str, message: str, frames: list[Frame] | None = None, output: str = "") -> Failure:
    return Failure("tests/test_a.py::test_x", "failed", exc, message, frames or [], output)


def test_environment_failures_are_classified_and_code_bugs_are_not() -> None:
    os_frame = Frame("/usr/lib/python3.11/os.py", 679, "__getitem__", in_project=False)
    assert classify(_failure("KeyError", "'DATABASE_URL'", [os_frame])).need == "env-var"
    assert classify(_failure("KeyError", "'price'")) is None  # a plain dict lookup is a code problem
    assert classify(_failure("ConnectionRefusedError", "[Errno 111] Connection refused")).need == "network"
    service = classify(
        _failure(
            "psycopg2.OperationalError",
            "could not connect to server: Connection refused\n"
            '\tIs the server running on host "localhost" and accepting TCP/IP connections '
            "on port 5432?",
        )
    )
    assert service.need == "service"
    assert (
        classify(
            _failure("FileNotFoundError", "[Errno 2] No such file or directory: '/etc/app/app.conf'"),
            ["/tmp/shadow"],
        ).need
        == "file"
    )
    assert (
        classify(
            _failure("FileNotFoundError", "[Errno 2] No such file or directory: '/tmp/shadow/data.csv'"),
            ["/tmp/shadow"],
        )
        is None
    )
    assert classify(_failure("AssertionError", "assert 100.0 == 90.0")) is None
    need = classify(_failure("RuntimeError", "environment variable API_TOKEN is not set"))
    assert need.detail == "API_TOKEN"
    assert "sandbox.env_passthrough" in explain([need]) and "sandbox.network" in explain(
        [classify(_failure("socket.gaierror", "[Errno -3] Temporary failure in name resolution"))]
    )


@pytest.fixture
def shadow(tmp_path: Path):
    root = write_tree(tmp_path / "shop", {**SHOP, "data.bin": "\0\1\2", ".git/config": "[core]\n"})
    with Workspace.create(root) as workspace:
        yield workspace


@pytest.mark.parametrize(
    "edit, reason",
    [
        (FileWrite("../outside.py", "x = 1\n"), "outside the project"),
        (FileWrite("/etc/passwd", "x"), "outside the project"),
        (FileWrite(".git/config", "x"), ".git"),
        (SearchReplace("tests/test_cart.py", "assert cart.total() == 90.0", "assert True"), "test file"),
        (FileWrite("data.bin", "text"), "binary"),
        (FileWrite("shop/big.py", "x = 1\n" * (MAX_CHANGED_LINES + 1)), "changes"),
    ],
)
def test_refusals_name_the_reason(shadow: Workspace, edit, reason: str) -> None:
    with pytest.raises(Refusal, match=reason):
        apply_candidate(shadow, Candidate([edit], "m"), Policy())


def test_applying_forks_and_leaves_the_base_untouched(shadow: Workspace) -> None:
    edit = SearchReplace("shop/pricing.py", "if total > 100:", "if total >= 100:")
    patched = apply_candidate(shadow, Candidate([edit], "m"), Policy())
    try:
        assert list(patched.changes) == ["shop/pricing.py"]
        assert "if total >= 100" in patched.workspace.read("shop/pricing.py")
        assert "if total > 100" in shadow.read("shop/pricing.py") and shadow.diff() == ""
    finally:
        patched.workspace.close()
    tests_ok = Policy(mode="fix", edit_tests=True)
    test_edit = SearchReplace(
        "tests/test_cart.py", "    assert cart.total() == 10.0", "    assert cart.total() == 10"
    )
    apply_candidate(shadow, Candidate([test_edit], "m"), tests_ok).workspace.close()
    with pytest.raises(ValueError, match="Block 1"):
        apply_candidate(
            shadow, Candidate([SearchReplace("shop/cart.py", "nothing like this", "x")], "m"), Policy()
        )
    with pytest.raises(ValueError, match="no blocks here"):
        apply_candidate(shadow, Candidate([], "m", parse_error="no blocks here"), Policy())


def test_changed_lines() -> None:
    before, after = "a\nb\nc\nd\n", "a\nB\nc\nd\ne\n"
    assert changed_line_count(before, after) == 2
    assert old_lines(before, after) == {2, 4, 5}
    assert new_ranges({"f.py": (before, after)}) == {"f.py": [[2, 2], [5, 5]]}
    assert new_ranges({"f.py": (before, None)}) == {}


def test_budget_tracks_tokens_cost_and_unknown_prices() -> None:
    budget = Budget(attempts=2, max_seconds=60, max_tokens=1000, max_cost_usd=0.01)
    budget.charge(Usage(100, 50, 0.004), "openai/x")
    assert (budget.tokens, budget.cost, budget.exhausted()) == (150, 0.004, "")
    budget.charge(Usage(10, 10, None), "builtin:swap")
    assert budget.cost == 0.004
    budget.charge(Usage(800, 100, None), "openai/x")
    assert budget.cost is None and "token budget" in budget.exhausted()
    budget = Budget(attempts=1, max_seconds=60, max_tokens=10**6, max_cost_usd=0)
    budget.used_attempts = 1
    assert "attempts" in budget.exhausted()


def test_the_cost_budgets_that_more_spending_would_reach() -> None:
    budget = Budget(2, 60, 10**6, max_cost_usd=1.0, max_cost_usd_per_day=3.0, spent_today=2.5)
    budget.charge(Usage(100, 50, 0.25, cached_tokens=80), "anthropic/x")
    assert (budget.over_with(0.1), budget.over_with(0.3), budget.cached_tokens) == (
        "",
        "`max_cost_usd_per_day`",
        80,
    )
    budget.max_cost_usd_per_day = 0
    assert (budget.over_with(0.3), budget.over_with(0.8)) == ("", "`max_cost_usd`")


@dataclasses.dataclass
class _J:
    outcome: str
    regressions: list[str]
    changes: dict


def test_candidate_choice_targets_then_regressions_then_size() -> None:
    small, big = {"a.py": ("x\n", "y\n")}, {"a.py": ("x\ny\n", "a\nb\n")}
    assert best([_J("still-failing", [], small)]) is None
    options = [_J("regression", ["t"], small), _J("green", [], big), _J("green", [], small)]
    assert best(options) is options[2]
    assert best([_J("regression", ["t", "u"], small), _J("regression", ["t"], big)]).changes is big
