"""The test at the cursor: one rule for the code actions and for `untilgreen.fix` with a position."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)\s*\(")
_CLASS = re.compile(r"^(\s*)class\s+(\w+)\b")


def enclosing_test(lines: Sequence[str], line: int) -> str | None:
    """The pytest name (`test_x`, `TestC::test_x`) of the test function around `line`, its decorators and the
    functions nested in it included; None when `line` is in no test function (a test function is a `test*` function
    at module level or in classes only)."""
    at = min(line, len(lines) - 1)
    while 0 <= at < len(lines) - 1 and lines[at].lstrip().startswith("@"):
        at += 1  # a decorator belongs to the definition below it
    limit = math.inf  # the enclosing block is indented less than this
    owners: list[tuple[bool, str]] = []  # (is a function, name), the outermost first
    for i in range(at, -1, -1):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        width = len(text) - len(text.lstrip())
        if i != at and width >= limit:
            continue
        match = _DEF.match(text) or _CLASS.match(text)
        if match:
            owners.insert(0, (match.re is _DEF, match.group(2)))
        limit = min(limit, width)
        if width == 0:
            break
    test = next((n for n, (is_def, name) in enumerate(owners) if is_def and name.startswith("test")), None)
    if test is None or any(is_def for is_def, _ in owners[:test]):
        return None
    return "::".join(name for _, name in owners[: test + 1])
