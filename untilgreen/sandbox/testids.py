"""Which tests a test id names, by the rule pytest applies to the ids on its command line.

A file (`tests/test_a.py`) or folder (`tests`) names the tests under it, a class (`path::TestA`) its methods, and
a function (`path::test_f`) itself and, when parametrized, every `path::test_f[...]`. `fix`, `context` and the
language server's runs use this one rule; `check` hands the ids to pytest, which applies the same one.
"""

from __future__ import annotations

from collections.abc import Sequence

from untilgreen.errors import UserError
from untilgreen.sandbox.results import TestReport


def matches(test_id: str, asked: str) -> bool:
    """Whether the id `asked` names the test `test_id`."""
    return test_id == asked or test_id.startswith((asked + "::", asked + "[", asked + "/"))


def expand_test_ids(asked: Sequence[str], report: TestReport) -> list[str]:
    """The ids of the tests in `report` that `asked` names, in the report's order; UserError for an id that
    names none."""
    known = report.test_ids
    expanded: list[str] = []
    for target in asked:
        target = target.strip().rstrip("/")
        under = [t for t in known if matches(t, target)]
        if not under:
            raise UserError(f"no test matches {target}; `untilgreen check` lists the failing tests (pass an id such "
                            "as path::test_name, path::Class or a file).")
        expanded += [t for t in under if t not in expanded]
    return expanded
