"""Line suspiciousness: the context engine's Ochiai scores, raised on the failing tests' traceback frames."""

from __future__ import annotations

from collections.abc import Sequence

from untilgreen.context.paths import is_test_path
from untilgreen.context.sbfl import ochiai_lines
from untilgreen.sandbox.results import Failure, TestReport

FRAME_BONUS = 0.3  # for the deepest non-test frame; each frame further out gets a fifth less
_DECAY = 0.8


def suspiciousness(
    report: TestReport, targets: Sequence[str], failures: Sequence[Failure]
) -> dict[tuple[str, int], float]:
    """(file, line) -> score for project (non-test) Python lines; higher is more suspicious."""
    scores = dict(ochiai_lines(report, targets))
    for failure in failures:
        frames = [f for f in failure.project_frames if not is_test_path(f.file)]
        for depth, frame in enumerate(reversed(frames)):
            key = (frame.file, frame.line)
            scores[key] = scores.get(key, 0.0) + FRAME_BONUS * _DECAY**depth
    return {
        key: score
        for key, score in scores.items()
        if key[0].endswith(".py") and not is_test_path(key[0]) and score > 0
    }
