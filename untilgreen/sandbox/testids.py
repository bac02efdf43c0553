"""Expanding the test ids a user gives into the tests of a run, by pytest's rule (`untilgreen.nodeids`).

`fix`, `context` and the language server's runs use this one rule; `check` hands the ids to pytest, which
applies the same one.
"""

from __future__ import annotations

from collections.abc import Sequence

from untilgreen.errors import UserError
from untilgreen.nodeids import matches
from untilgreen.sandbox.results import TestReport


def expand_test_ids(asked: Sequence[str], report: TestReport) -> list[str]:
    """The ids of the tests in `report` that `asked` names, in the report's order; UserError for an id that
    names none."""
    known = report.test_ids
    expanded: list[str] = []
    for target in asked:
        target = target.strip().rstrip("/")
        under = [t for t in known if matches(t, target)]
        if not under:
            raise UserError(
                f"no test matches {target}; `untilgreen check` lists the failing tests (pass an id such "
                "as path::test_name, path::Class or a file)."
            )
        expanded += [t for t in under if t not in expanded]
    return expanded
