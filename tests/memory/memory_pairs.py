"""Building realistic failures for the memory tests."""

from __future__ import annotations

from untilgreen.sandbox.results import Failure, Frame


def make_failure(
    test_id: str, exc_type: str, message: str, *functions: str, file: str = "app/core.py"
) -> Failure:
    """A failure whose traceback runs from the test through `functions` (outermost first) in `file`."""
    test_file, _, rest = test_id.partition("::")
    frames = [Frame(test_file, 10, rest.split("::")[-1].split("[")[0])]
    frames += [Frame(file, 20 + i, fn) for i, fn in enumerate(functions)]
    return Failure(test_id=test_id, kind="failed", exc_type=exc_type, message=message, frames=frames)
