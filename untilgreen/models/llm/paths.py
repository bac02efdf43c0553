"""Resolving the file paths a model writes to the project's files.

Models drop or add leading folders (`pkg/x.py` for `src/pkg/x.py`, `shop/shop/x.py` with the project folder's
name, `./x.py`) or give a bare file name. Such a path is resolved only when exactly one project file matches it;
several matches are refused with the candidates named, so the model can pick one.
"""

from __future__ import annotations

from collections.abc import Collection

MAX_NAMED = 5  # candidates named in a refusal


def normalise(path: str) -> str:
    """Forward slashes, no `./` or empty parts."""
    return "/".join(p for p in path.replace("\\", "/").split("/") if p not in ("", "."))


def resolve_path(path: str, files: Collection[str]) -> tuple[str, str]:
    """(the project file `path` means, "") or (`path` normalised, why not); a path nothing matches is returned
    as is, for the caller to treat as a new file."""
    rel = normalise(path)
    if rel in files:
        return rel, ""
    matches = sorted(f for f in files if f.endswith("/" + rel) or rel.endswith("/" + f))
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        return rel, ""
    named = ", ".join(matches[:MAX_NAMED]) + (" ..." if len(matches) > MAX_NAMED else "")
    return rel, (
        f"the path {path} matches {len(matches)} project files ({named}); "
        "write the path relative to the project root."
    )
