"""The baseline: run the whole suite on the unmodified shadow (with coverage), choose the targets, set aside
failures the environment causes, and re-run the failing targets once to quarantine flaky ones (a test that
timed out is not re-run)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from untilgreen.agent.environment import classify_all, explain
from untilgreen.agent.result import StopReason
from untilgreen.agent.validate import Baseline, OnTests, target_failures
from untilgreen.sandbox.results import Failure
from untilgreen.sandbox.testids import expand_test_ids
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace


@dataclass
class Start:
    """The baseline, or why there is nothing to repair (`stop` set, with `message`)."""

    baseline: Baseline
    failures: list[Failure] = field(default_factory=list)  # the targets' failures
    stop: StopReason | None = None
    message: str = ""


def establish(
    workspace: Workspace,
    asked: Sequence[str],
    config: RunnerConfig,
    cancel: threading.Event,
    on_tests: OnTests,
    notify: Callable[[str], None],
) -> Start:
    report = run_tests(workspace, None, config=config, coverage=True, cancel=cancel)
    on_tests("baseline", 0, 0, report)
    targets = expand_test_ids(asked, report) if asked else report.failed_ids
    failing = target_failures(report, targets)
    baseline = Baseline(report, [f.test_id for f in failing])
    if not failing:
        return Start(
            baseline,
            stop="already-green",
            message="the tests already pass" if not asked else "the chosen tests already pass",
        )
    needs = classify_all(failing, [str(workspace.path), str(workspace.root)])
    if needs:
        env_ids = {n.test_id for n in needs}
        failing = [f for f in failing if f.test_id not in env_ids]
        if not failing:
            return Start(baseline, stop="environment", message=explain(needs))
        notify(explain(needs, "those tests are left out of this run"))
    # A test that ran into its timeout is not re-run: a hang is rarely flaky and would cost the timeout again.
    recheck = [f.test_id for f in failing if f.kind != "timeout"]
    flaky: list[str] = []
    if recheck:
        again = run_tests(workspace, recheck, config=config, cancel=cancel)
        on_tests("flaky-check", 0, 0, again)
        still = {f.test_id for f in target_failures(again, recheck)}
        flaky = sorted(set(recheck) - still)
    if flaky:
        baseline.quarantined(flaky)
        notify(f"quarantined flaky test(s) (failed, then passed on a re-run): {', '.join(flaky)}")
    failing = [f for f in failing if f.test_id not in flaky]
    baseline.targets = [f.test_id for f in failing]
    if not failing:
        return Start(
            baseline,
            stop="nothing-to-fix",
            message="the failing tests are flaky (they passed on a "
            "re-run) and were quarantined; nothing was repaired",
        )
    return Start(baseline, failing)
