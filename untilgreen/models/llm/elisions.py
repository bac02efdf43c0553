"""Finding elisions in replacement code: `...`, `# ... rest unchanged`, `// ...`, `# existing code`.

A model writes them to mean "the old lines stay here", but a replacement is written into the file as it is, so
applying one would delete code. A line that the replaced text already holds is real code, not an elision.
"""

from __future__ import annotations

import re

_DOTS = r"(?:\.{3}|…)"
_COMMENT = re.compile(
    rf"^(?:#|//|/\*|<!--)\s*\(?\s*(?:{_DOTS}"
    r"|(?:keep |the )?(?:existing|previous|original|other|remaining) (?:code|lines|methods|functions)\b"
    r"|rest of (?:the )?\w+"
    r"|rest unchanged|(?:code )?unchanged\W*$|same as before)",
    re.IGNORECASE,
)
_BARE = re.compile(rf"^{_DOTS}$")


def elision(replacement: str, replaced: str = "") -> str:
    """The first line of `replacement` that stands for left-out code, or "" when there is none. A bare `...`
    directly under a line ending in `:` is a stub body (Python's Ellipsis), not an elision."""
    kept = {line.strip() for line in replaced.splitlines()}
    previous = ""
    for line in replacement.splitlines():
        text = line.strip()
        if text and text not in kept:
            if _COMMENT.match(text) or (_BARE.match(text) and not previous.endswith(":")):
                return text
        previous = text or previous
    return ""
