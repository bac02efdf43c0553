"""The search's grace after the first plausible patch: the smallest of the first few wins."""

from __future__ import annotations

import sys
import threading
import time
import textwrap
from pathlib import Path

import pytest

from untilgreen.models.base import FileWrite, RepairRequest
from untilgreen.models.builtin import BuiltinRepairer
from untilgreen.models.builtin.operators import BASE_PRIOR
from untilgreen.models.builtin.mutate import Mutant
from untilgreen.models.builtin.search import GRACE_CANDIDATES, Search, patch_size
from untilgreen.models.builtin.source import Mutation, TextEdit
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

CONFIG = RunnerConfig(python=sys.executable, test_timeout_s=5)


def test_patch_size_counts_touched_lines_then_characters() -> None:
    before = "a = 1\nif x >= 0:\n    y()\n"
    assert patch_size(before, before.replace(">=", ">")) == (1, 1)
    assert patch_size(before, "a = 1\n") == (2, 19)
    assert patch_size(before, before.replace("a = 1\n", "")) == (1, 6)
    assert patch_size(before, before) == (0, 0)


def _gate(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "gate.py").write_text("def is_open(level):\n    return level >= 0\n")
    (root / "tests" / "test_gate.py").write_text(
        textwrap.dedent("""\
        from gate import is_open

        def test_closed_at_zero():
            assert is_open(0) is False

        def test_closed_below_zero():
            assert is_open(-1) is False
        """)
    )
    return root


def test_the_smaller_plausible_patch_found_second_wins(tmp_path) -> None:
    # With `return` ranked first, `return False` is the first plausible patch; `level > 0` comes two
    # candidates later and is smaller.
    root = _gate(tmp_path / "project")
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace:
        report = run_tests(workspace, config=CONFIG, coverage=True)
        repairer = BuiltinRepairer(CONFIG, workers=1, prior={**BASE_PRIOR, "return": 5.0})
        candidates = repairer.propose(
            RepairRequest(
                mode="fix",
                workspace=workspace,
                report=report,
                targets=report.failed_ids,
                failures=report.failures,
                context=None,
                time_budget_s=60,
            )
        )  # type: ignore[arg-type]
    stats = repairer.stats
    assert stats is not None and stats.found[0].text == "def is_open(level):\n    return False\n"
    assert [c.edits for c in candidates] == [
        [FileWrite("gate.py", "def is_open(level):\n    return level > 0\n")]
    ]
    assert stats.tried <= stats.found[0].tried + GRACE_CANDIDATES


@pytest.mark.parametrize("command", ["", f"{sys.executable} -m pytest -q"], ids=["warm", "cold-command"])
def test_the_time_budget_stops_a_candidate_that_hangs(tmp_path, command: str) -> None:
    # `return False` passes the target, then hangs the slow test in the whole-suite run; that run's own timeout
    # (ten times the slow test's baseline, or the configured limit for a custom command) is far longer than the
    # budget, which ends the search first.
    root = _gate(tmp_path / "project")
    (root / "tests" / "test_wait.py").write_text(
        textwrap.dedent("""\
        import time
        from gate import is_open

        def test_opens_eventually():
            time.sleep(3)
            while not is_open(5):
                pass
        """)
    )
    original = (root / "gate.py").read_text()
    start = original.index("level >= 0")
    hangs = Mutant(
        "gate.py", Mutation("return", 2, (TextEdit(start, start + len("level >= 0"), "False"),)), 1.0
    )
    config = RunnerConfig(python=sys.executable, command=command, test_timeout_s=60)
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace:
        report = run_tests(workspace, config=config)
        started = time.monotonic()
        search = Search(
            workspace,
            config,
            report,
            report.failed_ids or ["tests/test_gate.py"],
            workers=1,
            deadline=started + 6,
            cancel=threading.Event(),
        )
        assert search.run([hangs], {"gate.py": original}) == []
        elapsed = time.monotonic() - started
    assert search.stats.tried == 1
    assert elapsed < 6 + 4, f"the search took {elapsed:.1f} s on a 6 s budget"
