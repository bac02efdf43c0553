"""The built-in repairer: localization, ranking, learned priors, and a whole search on a small project."""

from __future__ import annotations

import sys
import textwrap
import threading
from pathlib import Path

import pytest

from untilgreen.errors import Cancelled
from untilgreen.agent.memory_bridge import MemoryBridge
from untilgreen.memory import Store
from untilgreen.memory.records import FixCard, Recollection
from untilgreen.memory.signature import Signature
from untilgreen.models.base import Candidate, FileWrite, RepairRequest
from untilgreen.models.builtin import BuiltinRepairer, operator_of, prior_from_recollections
from untilgreen.models.builtin.priors import card_operator, operator_of_diff
from untilgreen.models.builtin.repairer import text_diff
from untilgreen.models.builtin.localize import suspiciousness
from untilgreen.models.builtin.mutate import Mutant, mutants
from untilgreen.models.builtin.operators import BASE_PRIOR
from untilgreen.models.builtin.repairer import rank
from untilgreen.models.builtin.source import Mutation
from untilgreen.sandbox.results import Failure, Frame, TestReport
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

CONFIG = RunnerConfig(python=sys.executable, test_timeout_s=5)


def _recalled(summary: str, score: float = 1.0) -> Recollection:
    card = FixCard(
        signature=Signature("x", "AssertionError", "", (), "d"), diff="", project="p", summary=summary
    )
    return Recollection(card, score, True, "this project")


def test_operator_of_reads_sources_and_card_text() -> None:
    assert operator_of("builtin:swap-arguments") == "swap-arguments"
    assert operator_of("fixed by builtin:comparison at a.py:3") == "comparison"
    assert operator_of("builtin:nonsense") is None and operator_of("gpt-4o") is None


def test_the_recalled_cards_raise_their_operators_with_the_base_prior_as_pseudo_cards() -> None:
    assert prior_from_recollections([]) == BASE_PRIOR
    assert prior_from_recollections([_recalled("by hand")]) == BASE_PRIOR
    one = prior_from_recollections([_recalled("builtin:swap-arguments")])
    assert 1.5 < one["swap-arguments"] / BASE_PRIOR["swap-arguments"] < 2.5
    assert one["comparison"] < BASE_PRIOR["comparison"]
    three = prior_from_recollections([_recalled("builtin:swap-arguments")] * 3)
    assert three["swap-arguments"] > one["swap-arguments"]
    assert three["comparison"] / BASE_PRIOR["comparison"] == pytest.approx(
        three["delete"] / BASE_PRIOR["delete"]
    )
    weak = prior_from_recollections([_recalled("builtin:swap-arguments", score=0.6)])
    assert BASE_PRIOR["swap-arguments"] < weak["swap-arguments"] < one["swap-arguments"]


def test_a_card_without_text_gives_its_operator_through_its_diff() -> None:
    before = (
        "def last(items, n):\n    out = []\n    for i in range(n):\n        if i > len(items):\n"
        "            break\n        out.append(items[i])\n    return out\n"
    )
    after = before.replace("if i > len(items)", "if i >= len(items)")
    card = FixCard(
        signature=Signature("x", "IndexError", "", (), "d"), diff=text_diff(before, after), project=""
    )
    assert card_operator(card) == "comparison"
    recalled = Recollection(card, 0.8, False, "another project")
    assert prior_from_recollections([recalled])["comparison"] > BASE_PRIOR["comparison"]
    assert card_operator(FixCard(card.signature, diff="", project="")) is None


def test_a_hunk_whose_context_leaves_its_block_still_gives_its_operator() -> None:
    diff = (
        "--- a/m.py\n+++ b/m.py\n@@ -2,6 +2,6 @@\n"
        "             for k in range(m):\n"
        "-                acc += a[i, k] + b[k, j]\n"
        "+                acc += a[i, k] * b[k, j]\n"
        "             row.append(acc)\n"
        "         return out\n"
        " \n"
    )
    assert operator_of_diff(diff) == "arithmetic"


def test_rank_multiplies_suspiciousness_prior_and_weight() -> None:
    def mutant(op: str, score: float, weight: float = 1.0) -> Mutant:
        return Mutant("a.py", Mutation(op, 1, (), weight), score)

    ranked = rank(
        [mutant("delete", 1.0), mutant("comparison", 0.5), mutant("comparison", 1.0, 0.6)], BASE_PRIOR
    )
    assert [(m.operator, m.suspiciousness) for m in ranked] == [
        ("comparison", 1.0),
        ("comparison", 0.5),
        ("delete", 1.0),
    ]


def test_suspiciousness_adds_traceback_frames_and_drops_tests() -> None:
    failure = Failure(
        "tests/test_a.py::t",
        "failed",
        "ValueError",
        "",
        frames=[
            Frame("tests/test_a.py", 3, "t"),
            Frame("pkg/a.py", 10, "outer"),
            Frame("pkg/b.py", 4, "inner"),
        ],
    )
    report = TestReport(failures=[failure], coverage={"tests/test_a.py::t": {"pkg/a.py": [10, 11]}})
    scores = suspiciousness(report, ["tests/test_a.py::t"], [failure])
    assert set(scores) == {("pkg/a.py", 10), ("pkg/a.py", 11), ("pkg/b.py", 4)}
    assert scores[("pkg/a.py", 10)] > scores[("pkg/a.py", 11)]


def test_syntax_errors_get_token_level_candidates() -> None:
    found = mutants({"m.py": "def f(d):\n    if d = 3:\n        return 1\n"}, {("m.py", 2): 1.0})
    assert [
        (m.operator, m.mutation.apply("def f(d):\n    if d = 3:\n        return 1\n").splitlines()[1])
        for m in found
    ] == [("syntax", "    if d == 3:")]


def _buggy(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "shop.py").write_text(
        "def total(prices, tax):\n    # keep this comment\n    return sum(prices) - tax\n"
    )
    (root / "tests" / "test_shop.py").write_text(
        textwrap.dedent("""\
        from shop import total

        def test_total_adds_tax():
            assert total([1, 2], 1) == 4

        def test_empty():
            assert total([], 0) == 0
        """)
    )
    return root


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    root = _buggy(tmp_path_factory.mktemp("repair") / "project")
    with Workspace.create(root, cache_dir=root.parent / "cache") as workspace:
        yield workspace, run_tests(workspace, config=CONFIG, coverage=True)


def _request(workspace: Workspace, report: TestReport, **kwargs) -> RepairRequest:
    return RepairRequest(
        mode="fix",
        workspace=workspace,
        report=report,
        targets=report.failed_ids,
        failures=report.failures,
        context=None,
        time_budget_s=60,
        **kwargs,
    )  # type: ignore[arg-type]


def test_the_repairer_finds_a_plausible_patch_that_keeps_formatting(baseline) -> None:
    workspace, report = baseline
    repairer = BuiltinRepairer(CONFIG, workers=1)
    candidates = repairer.propose(_request(workspace, report))
    assert [c.source for c in candidates] == ["builtin:arithmetic"]
    edit = candidates[0].edits[0]
    assert isinstance(edit, FileWrite) and edit.path == "shop.py"
    assert edit.text == "def total(prices, tax):\n    # keep this comment\n    return sum(prices) + tax\n"
    assert "builtin:arithmetic at shop.py:3" in candidates[0].explanation
    assert workspace.read("shop.py").endswith("- tax\n")  # the request's workspace is left alone


def test_the_repairer_honours_cancel(baseline) -> None:
    workspace, report = baseline
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        BuiltinRepairer(CONFIG, workers=1).propose(_request(workspace, report, cancel=cancel))


def test_a_fix_card_recalled_from_memory_puts_its_operator_first(tmp_path) -> None:
    # The base prior tries six arithmetic mutants before `hi - lo`; an earlier run stored the fix of the same
    # failure, and the card memory recalls for it moves swap-operands to the front.
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    (root / "span.py").write_text("def span(lo, hi):\n    return lo - hi\n")
    (root / "tests" / "test_span.py").write_text(
        "from span import span\n\n\ndef test_span():\n    assert span(1, 4) == 3\n"
    )
    fixed = "def span(lo, hi):\n    return hi - lo\n"
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace:
        report = run_tests(workspace, config=CONFIG, coverage=True)
        assert [
            m.operator
            for m in rank(
                mutants(
                    {"span.py": workspace.read("span.py")},
                    suspiciousness(report, report.failed_ids, report.failures),
                ),
                BASE_PRIOR,
            )
        ].index("swap-operands") > 4
        with workspace.fork() as patched:
            patched.write("span.py", fixed)
            diff = patched.diff()
        bridge = MemoryBridge(Store.open(tmp_path / "memory.sqlite3", root=root), cross_project=False)
        bridge.start("fix", "", "builtin", "untilgreen fix")
        signatures = bridge.signatures(report.failures)
        bridge.fix_cards(
            signatures,
            Candidate(
                [FileWrite("span.py", fixed)], "builtin:swap-operands", "builtin:swap-operands at span.py:2"
            ),
            diff,
            (),
            "green",
        )
        recollections = bridge.recall(signatures)
        bridge.close()
        repairer = BuiltinRepairer(CONFIG, workers=1)
        candidates = repairer.propose(_request(workspace, report, recollections=recollections))
    assert [c.source for c in candidates] == ["builtin:swap-operands"]
    assert repairer.stats is not None and repairer.stats.found[0].tried == 1
