"""Project locations named in a failure's text, for failures whose frames do not reach project code
(collection errors: a SyntaxError or ImportError raised while pytest imports the test module)."""

from __future__ import annotations

import re
from collections.abc import Collection

# `File "/abs/pkg/mod.py", line 16` (Python tracebacks) and `pkg/mod.py:16: in f` (pytest's short style).
_LOCATION = re.compile(
    r'File "(?P<a>[^"]+)", line (?P<al>\d+)|^(?:E\s+)?(?P<b>[^\s:"]+):(?P<bl>\d+):', re.MULTILINE
)


def mentioned_locations(text: str, paths: Collection[str]) -> list[tuple[str, int]]:
    """(indexed path, line) in order of mention; absolute paths resolve to the indexed path they end with."""
    found: list[tuple[str, int]] = []
    for match in _LOCATION.finditer(text):
        raw = (match["a"] or match["b"]).replace("\\", "/")
        line = int(match["al"] or match["bl"])
        path = raw if raw in paths else _suffix_match(raw, paths)
        if path is not None and (path, line) not in found:
            found.append((path, line))
    return found


def _suffix_match(raw: str, paths: Collection[str]) -> str | None:
    matches = [p for p in paths if raw.endswith("/" + p)]
    return max(matches, key=len) if matches else None
