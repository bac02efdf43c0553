"""Validation of a patched fork: targets first, then the tests whose baseline coverage touches the changed lines,
and the whole suite once on the winner. An apparent regression is re-run before it rejects a patch; a test that
passes on the re-run is flaky: quarantined and reported, never blamed on the patch.

Green means: every target passes and no test that passed at baseline fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from untilgreen.agent.changes import Changes, old_lines
from untilgreen.sandbox.results import Failure, TestReport
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace
from untilgreen.protocol import Outcome

# (phase, attempt, candidate, report) -> None; the run turns it into a TestsRan event.
OnTests = Callable[[str, int, int, TestReport], None]


@dataclass
class Baseline:
    """The unmodified shadow's results. `quarantine` grows as flaky tests are found (shared by parallel checks)."""

    report: TestReport
    targets: list[str]
    quarantine: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def passed(self) -> set[str]:
        return set(self.report.passed)

    def quarantined(self, tests: Sequence[str]) -> None:
        with self.lock:
            self.quarantine.update(tests)

    def affected(self, changes: Changes) -> list[str]:
        """Baseline-passing tests whose coverage touches a line the patch changes (targets excluded)."""
        coverage = self.report.coverage or {}
        touched = {path: old_lines(before, after) for path, (before, after) in changes.items()}
        chosen = []
        for test_id, files in coverage.items():
            if test_id in self.targets or test_id not in self.passed or test_id in self.quarantine:
                continue
            if any(touched[path].intersection(files.get(path, ())) for path in touched):
                chosen.append(test_id)
        return sorted(chosen)


@dataclass
class Verdict:
    outcome: Outcome  # green, still-failing, regression or timeout
    detail: str = ""
    failures: list[Failure] = field(default_factory=list)  # the targets' failures left, or the regressions'
    regressions: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)
    passed: int = 0


class Validator:
    def __init__(
        self, baseline: Baseline, config: RunnerConfig, cancel: threading.Event, on_tests: OnTests
    ) -> None:
        self.baseline = baseline
        self.config = config
        self.cancel = cancel
        self.on_tests = on_tests

    def _run(
        self, workspace: Workspace, tests: Sequence[str] | None, phase: str, attempt: int, candidate: int
    ) -> TestReport:
        report = run_tests(workspace, list(tests) if tests else None, config=self.config, cancel=self.cancel)
        self.on_tests(phase, attempt, candidate, report)
        return report

    def check(self, workspace: Workspace, changes: Changes, attempt: int, candidate: int) -> Verdict:
        """Targets, then the affected tests. A green verdict here still needs `full` before it is offered."""
        report = self._run(workspace, self.baseline.targets, "targets", attempt, candidate)
        left = target_failures(report, self.baseline.targets)
        if left:
            timeout = any(f.kind == "timeout" for f in left) or report.timed_out
            return Verdict(
                "timeout" if timeout else "still-failing", describe(left), left, passed=len(report.passed)
            )
        affected = self.baseline.affected(changes)
        if not affected:
            return Verdict("green", passed=len(report.passed))
        return self._regressions(
            workspace, self._run(workspace, affected, "affected", attempt, candidate), attempt, candidate
        )

    def full(self, workspace: Workspace, attempt: int, candidate: int) -> Verdict:
        """The whole suite, once, on the winning patch."""
        report = self._run(workspace, None, "final", attempt, candidate)
        left = target_failures(report, self.baseline.targets)
        if left:
            return Verdict("still-failing", describe(left), left, passed=len(report.passed))
        return self._regressions(workspace, report, attempt, candidate)

    def _regressions(self, workspace: Workspace, report: TestReport, attempt: int, candidate: int) -> Verdict:
        suspects = [
            f.test_id
            for f in report.failures
            if f.test_id in self.baseline.passed and f.test_id not in self.baseline.quarantine
        ]
        if not suspects:
            return Verdict("green", passed=len(report.passed))
        again = self._run(workspace, suspects, "recheck", attempt, candidate)
        still = [f for f in again.failures if f.test_id in suspects]
        flaky = sorted(set(suspects) - {f.test_id for f in still})
        self.baseline.quarantined(flaky)
        if not still:
            return Verdict("green", flaky=flaky, passed=len(report.passed))
        return Verdict(
            "regression",
            "the patch breaks tests that passed before: " + describe(still),
            still,
            regressions=[f.test_id for f in still],
            flaky=flaky,
            passed=len(report.passed),
        )


def target_failures(report: TestReport, targets: Sequence[str]) -> list[Failure]:
    """The targets that failed or did not run, each with its failure (a collection error of its file stands in).

    A target that pytest would not count as failing (skipped at run time, xfailed, xpassed) is not left: a fix
    after which the test skips itself is what plain pytest calls a success, and the loop agrees with it.
    """
    passed = report.not_failing
    left = []
    for target in targets:
        if target in passed or _file_passes(target, report):
            continue
        failure = report.failure(target) or report.failure(target.split("::", 1)[0])
        left.append(failure or Failure(target, "error", "NotRun", _not_run(report)))
    return left


def _file_passes(target: str, report: TestReport) -> bool:
    """A file id (a collection error at baseline) passes when its tests were collected and none failed."""
    if "::" in target or report.failure(target) is not None:
        return False
    under = [t for t in report.test_ids if t.startswith(target + "::")]
    return bool(under) and all(t in report.not_failing for t in under)


def _not_run(report: TestReport) -> str:
    if report.timed_out:
        return f"the test run was stopped after {report.duration_s:.0f} s before this test finished"
    tail = report.output.strip().splitlines()[-3:]
    return "the test did not run" + (": " + " / ".join(tail) if tail else "")


def describe(failures: Sequence[Failure], limit: int = 3) -> str:
    """A short text of failures for the repairer and the user."""
    parts = []
    for f in failures[:limit]:
        lines = f.message.strip().splitlines()
        parts.append(f"{f.test_id} ({f.exc_type or f.kind}): " + " ".join(lines[:6])[:600])
    more = f" (and {len(failures) - limit} more)" if len(failures) > limit else ""
    return "; ".join(parts) + more
