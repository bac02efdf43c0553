"""Validate a real-code bug against its pristine package (used by `benchmarks/corpus/check.py --realbugs`).

In the sandbox, with the package's own venv interpreter: the `failing` tests pass on the pristine package and fail
on the buggy one, every other test that passes on the pristine package still passes, and with the reference fix
(the bug's diff reversed) applied the outcome (passed, failed, skipped) equals the pristine one.
"""

from __future__ import annotations

import functools
import tempfile
import time
from pathlib import Path
from typing import Any

from descriptors import RealBug, file_lines, materialise, pristine_copy, test_paths

from benchmarks.corpus.check import ProjectResult, _covered, apply_patch, deepest_frame_verdict
from untilgreen.sandbox import Limits, RunnerConfig, Workspace, run_tests


def _config(python: Path, timeout_s: float) -> RunnerConfig:
    return RunnerConfig(python=str(python), test_timeout_s=timeout_s, limits=Limits(timeout_s=900.0))


@functools.lru_cache(maxsize=None)
def pristine_report(package: str, timeout_s: float) -> Any:
    """The package's pristine suite, run once per package."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / package
        prepared = pristine_copy(package, root)
        with Workspace.create(root, cache_dir=Path(tmp) / "shadows") as workspace:
            return run_tests(workspace, test_paths(prepared), config=_config(prepared.python, timeout_s))


def outcome(report: Any) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return frozenset(report.passed), frozenset(report.failed_ids), frozenset(report.skipped)


def judge(bug: RealBug, pristine: Any, buggy: Any, fixed: Any) -> list[str]:
    """Every way the three runs fall short of a valid bug."""
    failed = buggy.failed_ids
    problems = [f"pristine: {f} does not pass" for f in bug.failing if not _covered(f, pristine.passed)]
    problems += [f"buggy: {f} did not fail" for f in bug.failing if not _covered(f, failed)]
    problems += [
        f"buggy: {t} passes on the pristine package, not here"
        for t in pristine.passed
        if not _covered(t, bug.failing) and t not in buggy.passed
    ]
    if outcome(fixed) != outcome(pristine):
        passed, failures, skipped = (a ^ b for a, b in zip(outcome(fixed), outcome(pristine)))
        problems.append(
            f"fixed: outcome differs from the pristine one ({len(passed)} passed, {len(failures)} "
            f"failed, {len(skipped)} skipped differ, e.g. {sorted(passed | failures | skipped)[:3]})"
        )
    return problems


def check_realbug(bug: RealBug, timeout_s: float) -> ProjectResult:
    """Run the buggy and the fixed project and judge them against the pristine package."""
    start = time.monotonic()
    result = ProjectResult(name=bug.name, bug_class=bug.bug_class, tags=list(bug.tags))
    try:
        pristine = pristine_report(bug.package, timeout_s)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / bug.package
            prepared = materialise(bug, root)
            result.loc = file_lines(root, bug.file)
            config = _config(prepared.python, timeout_s)
            with Workspace.create(root, cache_dir=Path(tmp) / "shadows") as workspace:
                buggy = run_tests(workspace, test_paths(prepared), config=config)
                error = apply_patch(workspace.path, bug.diff, reverse=True)
                if error:
                    raise ValueError(f"the fix does not apply: {error}")
                fixed = run_tests(workspace, test_paths(prepared), config=config)
        problems = judge(bug, pristine, buggy, fixed)
        result.tests = len(pristine.passed)
        result.buggy = "INVALID" if any(p.startswith(("buggy", "pristine")) for p in problems) else "ok"
        result.fixed = "INVALID" if any(p.startswith("fixed") for p in problems) else "ok"
        result.problems += problems
        result.deepest_is_bug, result.deepest_frame = deepest_frame_verdict(bug, buggy)  # type: ignore[arg-type]
    except Exception as exc:  # a setup or sandbox failure makes this bug invalid, not the whole check
        result.problems.append(f"run failed: {type(exc).__name__}: {exc}")
    result.seconds = round(time.monotonic() - start, 1)
    return result
