"""The real-code corpus (benchmarks/realbugs): every descriptor is well formed, and three bugs reproduce.

Running every bug is `benchmarks/corpus/check.py --realbugs`'s job; here three bugs of packages of the ecosystem
check's CI subset (six, toolz, markupsafe: `ci = true`, prepared by benchmarks/ecosystem/prepare.sh before the
session, nothing is downloaded here) are validated in the sandbox against their pristine packages.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

REALBUGS = Path(__file__).resolve().parents[2] / "benchmarks" / "realbugs"
sys.path.insert(0, str(REALBUGS))

from descriptors import RealBug, bugs, reverse_diff  # noqa: E402
from validate import check_realbug  # noqa: E402

from benchmarks.corpus.check import CLASSES  # noqa: E402
from benchmarks.ecosystem.fetch import packages, prepare  # noqa: E402

BUGS = bugs()


def test_corpus_spreads_over_packages_and_classes() -> None:
    assert len(BUGS) >= 40
    assert len({b.package for b in BUGS}) >= 8
    classes = Counter(b.bug_class for b in BUGS)
    assert {c: classes[c] for c in CLASSES if classes[c] < 3} == {}
    assert sum("call-argument" in b.tags for b in BUGS) >= 3


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.name)
def test_descriptor_is_well_formed(bug: RealBug) -> None:
    assert bug.package in packages()
    assert bug.bug_class in CLASSES
    assert bug.failing and bug.draw.startswith("slot ")
    assert bug.diff.startswith(f"--- a/{bug.file}\n+++ b/{bug.file}\n")
    assert reverse_diff(bug.fix) == bug.diff != bug.fix


def test_reverse_diff_swaps_sides_and_ranges() -> None:
    diff = "--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,2 @@\n x = 1\n--- y\n z = 2\n"
    assert reverse_diff(diff) == "--- b/m.py\n+++ a/m.py\n@@ -1,2 +1,3 @@\n x = 1\n+-- y\n z = 2\n"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["six-unicode-compatible", "toolz-valfilter", "markupsafe-format-map"])
def test_bug_reproduces_in_the_sandbox(name: str) -> None:
    (bug,) = bugs([name])
    assert packages()[bug.package].ci
    prepare(bug.package, download=False)  # raises when the install step did not prepare it
    result = check_realbug(bug, timeout_s=5.0)
    assert result.problems == []
    assert (result.buggy, result.fixed) == ("ok", "ok")
