"""Reading a unified diff (`--- a/x`, `+++ b/x`, `@@` hunks) as SEARCH/REPLACE edits.

Some models answer with a diff whatever they were asked for. Each hunk becomes one edit: its context and `-`
lines are the SEARCH, its context and `+` lines the REPLACE. The line numbers in `@@` headers are ignored (models
get them wrong); the hunk is placed by its lines, like any SEARCH, so a hunk that does not match is refused.
"""

from __future__ import annotations

import re

from untilgreen.models.base import SearchReplace

_OLD = re.compile(r"^--- (?P<path>\S+)")
_NEW = re.compile(r"^\+\+\+ (?P<path>\S+)")
_HUNK = re.compile(r"^@@ .*@@")
NULL = "/dev/null"


def starts_diff(lines: list[str], i: int) -> bool:
    return bool(_OLD.match(lines[i]) and i + 1 < len(lines) and _NEW.match(lines[i + 1]))


def read_diff(lines: list[str], start: int) -> tuple[list[SearchReplace], int]:
    """The edits of the file diff starting at `lines[start]` (its `---` line) and the index after it; ValueError
    says what is wrong."""
    old, new = _path(_OLD, lines[start]), _path(_NEW, lines[start + 1])
    if new == NULL:
        raise ValueError(f"The diff deletes {old}; files are never deleted by a reply.")
    edits: list[SearchReplace] = []
    i = start + 2
    while i < len(lines) and _HUNK.match(lines[i]):
        search, replace, i = _hunk(lines, i + 1)
        if not search and old != NULL:
            raise ValueError(
                f"A hunk for {new} has no context or removed lines, so it cannot be placed; "
                "give each hunk three unchanged lines around the change."
            )
        edits.append(SearchReplace(new, _text(search), _text(replace)))
    if not edits:
        raise ValueError(f"The diff for {new} has no `@@` hunk.")
    return edits, i


def _path(pattern: re.Pattern[str], line: str) -> str:
    path = pattern.match(line)["path"]  # type: ignore[index]
    return path if path == NULL else re.sub(r"^[ab]/", "", path)


def _hunk(lines: list[str], i: int) -> tuple[list[str], list[str], int]:
    """A hunk's old and new lines. A blank line counts as blank context: models drop the leading space."""
    search: list[str] = []
    replace: list[str] = []
    while i < len(lines) and not _HUNK.match(lines[i]) and not starts_diff(lines, i):
        line = lines[i]
        mark, body = line[:1], line[1:]
        if mark == " " or not line:
            search.append(body)
            replace.append(body)
        elif mark == "-":
            search.append(body)
        elif mark == "+":
            replace.append(body)
        elif mark != "\\":  # `\ No newline at end of file`; anything else ends the hunk
            break
        i += 1
    while search and replace and not search[-1].strip() and not replace[-1].strip():
        search.pop()
        replace.pop()  # a blank line after the hunk is prose spacing, not context
    return search, replace, i


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""
