"""untilgreen check gives each test of real packages the outcome plain pytest gives it (the fast subset).

The packages (`ci = true` in benchmarks/ecosystem/packages.toml) are their own sdists' test suites, prepared by
benchmarks/ecosystem/prepare.sh before the test session: nothing is downloaded here. Both sides run live.
"""

from __future__ import annotations

import pytest

from benchmarks.ecosystem.compare import compare
from benchmarks.ecosystem.fetch import packages, prepare

CI_SUBSET = [name for name, package in packages().items() if package.ci]


def test_the_subset_is_small_and_varied() -> None:
    assert 4 <= len(CI_SUBSET) <= 6


@pytest.mark.slow
@pytest.mark.parametrize("name", CI_SUBSET)
def test_untilgreen_check_gives_the_outcomes_of_plain_pytest(name: str) -> None:
    comparison = compare(prepare(name, download=False))

    assert not comparison.error
    assert comparison.tests > 0
    assert [d for d in comparison.unexplained] == []
    assert comparison.identical + len(comparison.environmental) == comparison.tests
