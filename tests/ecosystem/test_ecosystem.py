"""untilgreen check gives each test of real packages the outcome plain pytest gives it (the fast subset).

The packages (`ci = true` in benchmarks/ecosystem/packages.toml) are their own sdists' test suites, prepared by
benchmarks/ecosystem/prepare.sh before the test session: nothing is downloaded here. Both sides run live.
"""

from __future__ import annotations

import pytest

from benchmarks.ecosystem.compare import compare, pair_volatile_ids
from benchmarks.ecosystem.fetch import packages, prepare

CI_SUBSET = [name for name, package in packages().items() if package.ci]


def test_the_subset_is_small_and_varied() -> None:
    assert 4 <= len(CI_SUBSET) <= 6


def test_ids_made_from_the_clock_are_paired_one_to_one() -> None:
    plain = {
        "t.py::a[04:03:06 2026-12-07]": "passed",
        "t.py::a[12-07-2026 04:03:06]": "passed",
        "t.py::b[1]": "passed",
        "t.py::b[2]": "passed",
        "t.py::c": "passed",
    }
    ours = {
        "t.py::a[04:03:34 2026-12-07]": "passed",
        "t.py::a[12-07-2026 04:03:34]": "failed",
        "t.py::b[3]": "passed",
        "t.py::b[4]": "passed",
        "t.py::d": "passed",
    }
    pair_volatile_ids(plain, ours)
    # Each clock id pairs with its one look-alike, keeping its outcome; ambiguous or unbracketed ids stay apart.
    assert ours == {
        "t.py::a[04:03:06 2026-12-07]": "passed",
        "t.py::a[12-07-2026 04:03:06]": "failed",
        "t.py::b[3]": "passed",
        "t.py::b[4]": "passed",
        "t.py::d": "passed",
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", CI_SUBSET)
def test_untilgreen_check_gives_the_outcomes_of_plain_pytest(name: str) -> None:
    comparison = compare(prepare(name, download=False))

    assert not comparison.error
    assert comparison.tests > 0
    assert [d for d in comparison.unexplained] == []
    assert comparison.identical + len(comparison.environmental) == comparison.tests
