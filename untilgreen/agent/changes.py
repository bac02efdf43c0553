"""Which lines a patch changes: old-side ranges select the tests to re-run, new-side ranges are shown in the editor."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

Changes = Mapping[str, "tuple[str | None, str | None]"]


def _opcodes(before: str | None, after: str | None) -> list[tuple[str, int, int, int, int]]:
    old, new = (before or "").splitlines(), (after or "").splitlines()
    return [
        op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"
    ]


def changed_line_count(before: str | None, after: str | None) -> int:
    return sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in _opcodes(before, after))


def old_lines(before: str | None, after: str | None) -> set[int]:
    """1-based lines of `before` that the change replaces or deletes; a pure insertion counts its neighbours."""
    lines: set[int] = set()
    for _, i1, i2, _, _ in _opcodes(before, after):
        lines.update(range(i1 + 1, i2 + 1) if i2 > i1 else (i1, i1 + 1))
    return lines


def new_ranges(changes: Changes) -> dict[str, list[list[int]]]:
    """Per file, 1-based inclusive ranges of the new text that differ (a pure deletion marks the line after it)."""
    ranges: dict[str, list[list[int]]] = {}
    for path, (before, after) in sorted(changes.items()):
        if after is None:
            continue
        spans = [[j1 + 1, max(j2, j1 + 1)] for _, _, _, j1, j2 in _opcodes(before, after)]
        if spans:
            ranges[path] = spans
    return ranges
