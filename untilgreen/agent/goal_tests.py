"""Goal mode's first step: ask the model for a short plan and the tests that encode the goal, check them (test files
only, valid Python that collects, every new test asserts), and run them on the current code, where they must fail.
Each reply is one attempt of the run's budget; what was wrong with it is told to the model on the next one."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from untilgreen.agent.apply import Patched, Refusal, apply_candidate
from untilgreen.agent.changes import new_ranges
from untilgreen.protocol import AttemptValidated, Outcome
from untilgreen.agent.goal_checks import MISSING, GoalPolicy, NewTest, new_tests, syntax_errors, vacuous
from untilgreen.agent.session import RunSession, RunStopped
from untilgreen.agent.validate import describe, target_failures
from untilgreen.errors import UserError
from untilgreen.models.base import AttemptSummary, Candidate, Repairer, RepairRequest
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from untilgreen.context import Context


@dataclass
class Red:
    """Tests that encode the goal and fail on the current code. `patched` is the shadow fork holding them."""

    patched: Patched
    tests: list[str]  # the new test ids (parametrized ones expanded)
    targets: list[str]  # what must pass: the failing new tests (a file id when its collection fails)
    report: TestReport  # the red check, with coverage
    plan: str


@dataclass
class _Checked:
    outcome: Outcome
    detail: str = ""
    diff: str = ""
    red: Red | None = None


class TestWriter:
    __test__ = False  # not a pytest test class

    def __init__(
        self,
        session: RunSession,
        repairer: Repairer,
        base: Workspace,
        context: Context,
        baseline: TestReport,
        config: RunnerConfig,
    ) -> None:
        self.session, self.repairer, self.base, self.context = session, repairer, base, context
        self.baseline, self.config = baseline, config
        self.history: list[AttemptSummary] = []

    def until_red(self) -> Red | None:
        """The red tests, or None when the model's tests pass on the current code (the goal seems met).
        Raises RunStopped for a spent budget or a model error, and Cancelled."""
        while True:
            number = self.session.next_attempt("no failing tests that encode the goal")
            candidate = self._ask(number)
            started = time.monotonic()
            checked = self._check(number, candidate)
            self._record(number, candidate, checked, time.monotonic() - started)
            if checked.outcome == "goal-met":
                return None
            if checked.red is not None:
                return checked.red

    def _ask(self, number: int) -> Candidate:
        session = self.session
        session.phase("plan", number)
        request = RepairRequest(
            mode="goal",
            phase="tests",
            workspace=self.base,
            report=self.baseline,
            targets=[],
            failures=[],
            context=self.context,
            attempts=list(self.history),
            goal=session.request.goal,
            candidates=1,
            temperature=session.settings.temperature,
            time_budget_s=session.budget.remaining_seconds(),
            cancel=session.cancel,
            progress=session.model_progress(number),
        )
        candidates = session.ask(self.repairer, request, number)
        if not candidates:
            raise RunStopped(
                "no-progress", f"the {self.repairer.name} repairer proposed no tests for the goal"
            )
        candidate = candidates[0]
        if candidate.explanation.strip():
            session.notify(candidate.explanation.strip())
        return candidate

    def _check(self, number: int, candidate: Candidate) -> _Checked:
        self.session.phase("tests", number)
        try:
            patched = apply_candidate(self.base, candidate, GoalPolicy(mode="goal", phase="tests"))
        except Refusal as err:
            return _Checked("refused", f"Refused: {err}")
        except ValueError as err:
            return _Checked("not-applied", str(err))
        try:
            checked = self._judge(number, candidate, patched)
        except BaseException:
            patched.workspace.close()
            raise
        if checked.red is None:
            patched.workspace.close()
        return checked

    def _judge(self, number: int, candidate: Candidate, patched: Patched) -> _Checked:
        errors = syntax_errors(patched.changes)
        if errors:
            return _Checked(
                "invalid-tests", "The test code is not valid Python: " + "; ".join(errors), patched.diff
            )
        tests = new_tests(patched.changes)
        if not tests:
            return _Checked(
                "invalid-tests",
                "The edits add no test function; write functions named test_... that check the goal.",
                patched.diff,
            )
        rejection = vacuous(tests)
        if rejection:
            return _Checked("vacuous", rejection, patched.diff)
        self.session.phase("red-check", number)
        files = sorted({t.path for t in tests})
        try:
            report = run_tests(
                patched.workspace, files, config=self.config, coverage=True, cancel=self.session.cancel
            )
        except UserError as err:
            return _Checked("invalid-tests", f"The new tests could not run: {err}", patched.diff)
        self.session.on_tests("red-check", number, 0, report)
        broken = [f for f in report.failures if f.test_id in files and f.exc_type not in MISSING]
        if broken:
            return _Checked(
                "invalid-tests", "The new tests do not collect: " + describe(broken), patched.diff
            )
        ids = _expand(tests, report)
        targets = _targets(tests, ids, report)
        if not targets:
            return _Checked(
                "goal-met",
                "The new tests pass on the current code, so the goal seems met already.",
                patched.diff,
            )
        report = _per_test(report, targets)
        failing = target_failures(report, targets)
        detail = (
            f"{len(targets)} of {len(ids)} new test(s) fail on the current code, as they should: "
            + describe(failing, 2)
        )
        return _Checked(
            "red", detail, patched.diff, Red(patched, ids, targets, report, candidate.explanation.strip())
        )

    def _record(self, number: int, candidate: Candidate, checked: _Checked, duration_s: float) -> None:
        session = self.session
        ranges = new_ranges(checked.red.patched.changes) if checked.red else {}
        session.emit(
            AttemptValidated(
                session.run_id,
                number,
                0,
                candidate.source,
                checked.outcome,
                checked.detail,
                diff=checked.diff,
                ranges=ranges,
            )
        )
        self.history.append(
            AttemptSummary(number, candidate.source, checked.outcome, checked.diff, checked.detail)
        )
        session.record(
            number,
            0,
            candidate,
            outcome=checked.outcome,
            detail=checked.detail,
            diff=checked.diff,
            duration_s=duration_s,
        )


def _expand(tests: list[NewTest], report: TestReport) -> list[str]:
    """The new tests' ids as the red check saw them (parametrized ones expanded)."""
    known = report.passed + report.failed_ids + report.skipped
    ids: list[str] = []
    for test in tests:
        under = [k for k in known if k == test.id or k.startswith(test.id + "[")]
        ids += [i for i in under or [test.id] if i not in ids]
    return ids


def _targets(tests: list[NewTest], ids: list[str], report: TestReport) -> list[str]:
    """The new tests that do not pass. In a file whose collection fails (what the goal adds is missing) a test
    stands for itself, except a parametrized one, whose ids are unknown until it collects: its file stands for it."""
    passed = set(report.passed)
    broken = {f.test_id for f in report.failures if "::" not in f.test_id}
    whole = {t.path for t in tests if t.parametrized and t.path in broken}
    targets: list[str] = []
    for test_id in ids:
        path = test_id.split("::", 1)[0]
        target = path if path in whole else test_id
        if test_id not in passed and target not in targets:
            targets.append(target)
    return targets


def _per_test(report: TestReport, targets: list[str]) -> TestReport:
    """The red check with a file's collection error repeated for each target test in it, so the code step sees
    (and localizes from) each failing new test."""
    copies = [
        replace(failure, test_id=target)
        for target in targets
        if "::" in target
        for failure in report.failures
        if failure.test_id == target.split("::", 1)[0]
    ]
    return replace(report, failures=report.failures + copies)
