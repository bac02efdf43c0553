from __future__ import annotations

from untilgreen.context import Index
from untilgreen.sandbox.results import Failure, TestReport

from .conftest import write

RING = """\
class Ring:
    def __init__(self, size):
        self.slots = [None] * size
        self.count = 0

    def push(self, value):
        self.slots[self.count % len(self.slots)] = value
        self.count += 1

    def newest(self):
        return self.slot(self.count)

    def slot(self, i):
        return self.slots[i % len(self.slots)]
"""

WINDOW = """\
from metrics.ring import Ring


class Window:
    def __init__(self, size):
        self.ring = Ring(size)

    def add(self, value):
        self.ring.push(value)

    def last(self):
        if not self.ring.count:
            return None
        return round(self.ring.newest(), 2)
"""

TESTS = """\
from metrics.window import Window


def test_last_window_value():
    window = Window(3)
    window.add(1)
    window.add(2)
    assert window.last() == 2


def test_empty_window_has_no_last():
    assert Window(3).last() is None
"""

T = "tests/test_window.py::"
FAILING = T + "test_last_window_value"


def ranked(tmp_path, window_lines: list[int]) -> list[tuple[str, str]]:
    """(symbol, why) best first, the failing test having run `window_lines` of metrics/window.py."""
    root = tmp_path / "proj"
    files = {"metrics/__init__.py": "", "metrics/ring.py": RING, "metrics/window.py": WINDOW}
    write(root, {**files, "tests/test_window.py": TESTS})
    coverage = {
        FAILING: {"metrics/ring.py": [3, 4, 7, 8, 11, 14], "metrics/window.py": window_lines},
        T + "test_empty_window_has_no_last": {"metrics/ring.py": [3, 4], "metrics/window.py": [6, 12, 13]},
    }
    report = TestReport(
        passed=[T + "test_empty_window_has_no_last"],
        failures=[Failure(FAILING, "failed", "AssertionError", "assert 1 == 2")],
        coverage=coverage,
    )
    with Index.for_root(root, cache_dir=tmp_path / "cache") as index:
        return [(c.symbol, c.why) for c in index.localize(report).ranked]


def test_the_callee_whose_result_the_tested_method_returns_ranks_first(tmp_path):
    """The test observes `last`, which returns what `newest` returns, which returns what `slot` returns: both
    count as used by the test, and their suspicion (same Ochiai, deeper) puts them first."""
    ranking = ranked(tmp_path, [6, 9, 12, 14])
    assert [symbol for symbol, _ in ranking[:2]] == ["Ring.slot", "Ring.newest"]
    assert "its result is returned by `Ring.newest` to the failing test" in ranking[0][1]
    assert "its result is returned by `Window.last` to the failing test" in ranking[1][1]
    assert "returned by" not in dict(ranking)["Ring.push"]  # called by `add`, whose result nobody returns


def test_only_return_statements_the_failing_test_ran_count(tmp_path):
    """Coverage says `last` took its early return: the later return statement's call is not credited."""
    ranking = dict(ranked(tmp_path, [6, 9, 12, 13]))
    assert "returned by" not in ranking["Ring.newest"]
