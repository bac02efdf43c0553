from __future__ import annotations

import math

import pytest

from untilgreen.context import Hint, ochiai_lines
from untilgreen.sandbox.results import Failure, Frame, TestReport

T = "tests/test_stock.py::"
REORDER = T + "test_reorder_needed_at_threshold"


def report(**extra) -> TestReport:
    failure = Failure(
        REORDER,
        "failed",
        "AssertionError",
        "assert False\n +  where False = <bound method Stock.reorder_needed>()",
        [Frame("tests/test_stock.py", 12, "test_reorder_needed_at_threshold")],
    )
    return TestReport(passed=[T + "test_remove", T + "test_total"], failures=[failure], **extra)


COVERAGE = {
    REORDER: {"inventory/stock.py": [15], "tests/test_stock.py": [8, 12]},
    T + "test_remove": {"inventory/stock.py": [18, 20]},
    T + "test_total": {"inventory/stock.py": [24]},
}


def test_ochiai_per_line():
    cov = {
        "f1": {"a.py": [1, 2, 3]},
        "f2": {"a.py": [1, 3]},
        "p1": {"a.py": [1, 2]},
        "p2": {"a.py": [4]},
    }
    rep = TestReport(
        passed=["p1", "p2"],
        failures=[Failure("f1", "failed", "E", ""), Failure("f2", "failed", "E", "")],
        coverage=cov,
    )
    scores = ochiai_lines(rep)
    assert scores[("a.py", 3)] == pytest.approx(1.0)
    assert scores[("a.py", 1)] == pytest.approx(2 / math.sqrt(2 * 3))
    assert scores[("a.py", 2)] == pytest.approx(1 / math.sqrt(2 * 2))
    assert ("a.py", 4) not in scores
    only_f2 = ochiai_lines(rep, ["f2"])  # narrowed to one failing test
    assert ("a.py", 2) not in only_f2 and only_f2[("a.py", 1)] == pytest.approx(1 / math.sqrt(2))
    assert ochiai_lines(TestReport()) == {}


def test_sbfl_references_and_lexical_agree_on_the_buggy_method(index):
    context = index.localize(report(coverage=COVERAGE))
    top = context.ranked[0]
    assert top.symbol == "Stock.reorder_needed"
    assert "Ochiai 1.00 at line 15" in top.why
    assert "`reorder_needed` is used by test_reorder_needed_at_threshold" in top.why
    assert "message match (needed, reorder, reorder_needed, stock)" in top.why
    assert all(not c.path.startswith("tests/") for c in context.ranked)
    assert [t.symbol for t in context.tests] == ["test_reorder_needed_at_threshold"]


def test_without_coverage_the_deepest_project_frame_leads(index):
    failure = Failure(
        T + "test_remove",
        "failed",
        "ValueError",
        "not enough stock",
        [
            Frame("tests/test_stock.py", 17, "test_remove"),
            Frame("inventory/stock.py", 19, "remove"),
            Frame("/usr/lib/python3/x.py", 3, "lib", in_project=False),
        ],
    )
    context = index.localize(TestReport(failures=[failure]))
    assert context.ranked[0].symbol == "Stock.remove"
    assert "deepest project frame" in context.ranked[0].why


def test_fixtures_lead_to_what_they_use(index):
    context = index.localize(report())
    reasons = {c.symbol: c.why for c in context.ranked}
    assert "`Stock` is used by low" in reasons["Stock"]


def test_memory_hints_by_id_or_symbol(index):
    hints = [
        Hint("total", 1.0, "fixed for a similar signature"),
        Hint("inventory/stock.py::Stock.remove", 0.5, "seen"),
    ]
    context = index.localize(
        TestReport(failures=[Failure(T + "test_total", "failed", "AssertionError", "")]), hints=hints
    )
    assert context.ranked[0].symbol == "total"
    assert "memory: fixed for a similar signature" in context.ranked[0].why
    assert any(c.symbol == "Stock.remove" and "memory: seen" in c.why for c in context.ranked)


def test_targets_narrow_the_failures(index):
    rep = report(coverage=COVERAGE)
    rep.failures.append(Failure(T + "test_total", "failed", "AssertionError", "", []))
    context = index.localize(rep, targets=[T + "test_total"])
    assert [t.symbol for t in context.tests] == ["test_total"]
    assert context.ranked[0].symbol == "total"


def test_packing_respects_the_budget_and_always_keeps_the_test(padded_index):
    index = padded_index
    full = index.localize(report(coverage=COVERAGE), budget_tokens=6000)
    assert full.rendered.startswith(
        f"### {T.replace('::', '')}::test_reorder_needed_at_threshold (failing test"
    )
    assert "class Stock:\n    ...\n    def reorder_needed" in full.rendered  # method with its class header
    assert full.chunks[0].symbol == "Stock.reorder_needed"
    assert full.tokens <= 6000

    tiny = index.localize(report(coverage=COVERAGE), budget_tokens=10)
    assert tiny.chunks == [] and "def test_reorder_needed_at_threshold" in tiny.rendered
    assert len(tiny.ranked) == len(full.ranked)


def test_packing_outlines_the_rest_of_touched_files(padded_index):
    index = padded_index
    counted: list[str] = []

    def counter(text: str) -> int:
        counted.append(text)
        return len(text.split())

    context = index.localize(report(coverage=COVERAGE), budget_tokens=160, tokenizer=counter)
    assert counted and context.tokens == counter(context.rendered) <= 160
    assert "outline of the rest of the file" in context.rendered
    assert "def total(stocks):\n    ..." in context.rendered


def test_executed_callees_rank_by_how_deep_they_ran(project, tmp_path):
    from untilgreen.context import Index

    (project / "inventory" / "report.py").write_text(
        "from inventory.stock import total\n\n\ndef summary(stocks):\n    return f'{total(stocks)} items'\n"
    )
    (project / "tests" / "test_report.py").write_text(
        "from inventory.report import summary\n\n\ndef test_summary():\n    assert summary([]) == '0 items'\n"
    )
    failing = "tests/test_report.py::test_summary"
    rep = TestReport(
        failures=[Failure(failing, "failed", "AssertionError", "")],
        coverage={failing: {"inventory/report.py": [5], "inventory/stock.py": [24]}},
    )
    with Index.for_root(project, cache_dir=tmp_path / "c2") as index:
        reasons = {c.symbol: c.why for c in index.localize(rep).ranked}
    assert "`summary` is used by test_summary" in reasons["summary"]
    assert "ran 2 calls below the failing test (called by summary)" in reasons["total"]


def test_a_class_named_by_the_test_stands_for_its_constructor(project, tmp_path):
    from untilgreen.context import Index

    (project / "inventory" / "box.py").write_text("class Box:\n    def __init__(self):\n        self.n = 0\n")
    (project / "tests" / "test_box.py").write_text(
        "from inventory.box import Box\n\n\ndef test_box():\n    Box()\n"
    )
    rep = TestReport(failures=[Failure("tests/test_box.py::test_box", "failed", "AssertionError", "")])
    with Index.for_root(project, cache_dir=tmp_path / "c3") as index:
        reasons = {c.symbol: c.why for c in index.localize(rep).ranked}
    assert "`Box` is used by test_box" in reasons["Box.__init__"]


def test_small_touched_files_go_whole_when_that_is_cheaper(index, project):
    context = index.localize(report(coverage=COVERAGE))
    assert context.chunks[0].symbol == "Stock.reorder_needed"  # the ranking is reported all the same
    assert "### inventory/stock.py (whole file)" in context.rendered
    assert "outline of the rest" not in context.rendered
    assert (project / "inventory" / "stock.py").read_text() in context.rendered
    assert context.rendered.count("### ") == 2  # the failing test, then the file


def test_fusion_ranks_each_signal_and_ties_share_a_rank():
    from untilgreen.context.localize import RRF_K, WEIGHTS, fuse

    fused = fuse({"sbfl": {"a": (0.5, "A"), "b": (0.5, "B"), "c": (0.2, "C")}, "depth": {"c": (3.0, "deep")}})
    assert fused["a"][0] == fused["b"][0] == pytest.approx(WEIGHTS["sbfl"] / (RRF_K + 1))
    assert fused["c"][0] == pytest.approx(WEIGHTS["sbfl"] / (RRF_K + 3) + WEIGHTS["depth"] / (RRF_K + 1))
    assert fused["c"][1] == "deep; C"  # the reason that counted most comes first


def test_equal_ochiai_goes_to_the_callee_and_timeouts_suspect_the_whole_stack(project, tmp_path, monkeypatch):
    """summary and total ran in the one failing test: equal Ochiai, but total ran deeper."""
    from untilgreen.context import Index

    (project / "inventory" / "report.py").write_text(
        "from inventory.stock import total\n\n\ndef summary(stocks):\n    return f'{total(stocks)} items'\n"
    )
    failing = "tests/test_report.py::test_summary"
    frames = [Frame("inventory/report.py", 5, "summary"), Frame("inventory/stock.py", 24, "total")]
    rep = TestReport(
        failures=[Failure(failing, "timeout", "TestTimeout", "", frames)],
        coverage={failing: {"inventory/report.py": [5], "inventory/stock.py": [24]}},
    )
    (project / "tests" / "test_report.py").write_text(
        "from inventory.report import summary\n\n\ndef test_summary():\n    assert summary([]) == '0 items'\n"
    )
    with Index.for_root(project, cache_dir=tmp_path / "c4") as index:
        ranked = index.localize(rep).ranked
    top = {c.symbol: c.why for c in ranked[:2]}
    assert set(top) == {"total", "summary"} and all("on the stack when" in why for why in top.values())
    from untilgreen.context import localize

    for signal in localize.WEIGHTS:
        monkeypatch.setitem(localize.WEIGHTS, signal, 1.0 if signal == "sbfl" else 0.0)
    with Index.for_root(project, cache_dir=tmp_path / "c4") as index:
        assert [c.symbol for c in index.localize(rep).ranked[:2]] == ["total", "summary"]
