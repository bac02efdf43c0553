"""Spectrum-based fault localization: Ochiai suspiciousness from per-test coverage.

This is the project's only SBFL; the built-in repairer uses `ochiai_lines` from here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from untilgreen.sandbox.results import TestReport


def ochiai_lines(report: TestReport, failing: Iterable[str] | None = None) -> dict[tuple[str, int], float]:
    """Ochiai score of every line executed by a failing test: ef / sqrt(F * (ef + ep)).

    `failing` narrows the failing tests (default: every failure in the report); tests without coverage are
    ignored. Lines executed only by passing tests score 0 and are left out.
    """
    coverage = report.coverage or {}
    failed_ids = [t for t in (failing if failing is not None else report.failed_ids) if t in coverage]
    if not failed_ids:
        return {}
    executed_failing = _line_counts(coverage[t] for t in failed_ids)
    executed_passing = _line_counts(coverage[t] for t in report.passed if t in coverage)
    total_failed = len(failed_ids)
    return {
        line: ef / math.sqrt(total_failed * (ef + executed_passing.get(line, 0)))
        for line, ef in executed_failing.items()
    }


def _line_counts(spectra: Iterable[dict[str, list[int]]]) -> Counter[tuple[str, int]]:
    counts: Counter[tuple[str, int]] = Counter()
    for files in spectra:
        counts.update((path, line) for path, lines in files.items() for line in set(lines))
    return counts
