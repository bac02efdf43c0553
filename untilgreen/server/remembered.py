"""Remembered fixes: after a check, ask memory for a fix card that applies cleanly to the current code.

Runs in the server's thread pool (sqlite, no model); the result is kept so `codeAction` only looks it up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untilgreen.server.diagnostics import FailureInfo
from untilgreen.server.stores import team_store
from untilgreen.settings import Settings

if TYPE_CHECKING:
    from untilgreen.memory import Signature  # imported when used: sqlite and the embedder stay off startup


@dataclass(frozen=True)
class RememberedFix:
    test_id: str
    card_id: str
    summary: str
    texts: dict[str, str]  # rel -> patched text
    bases: dict[str, str | None]  # rel -> the text it was computed from (None: a new file)


def signature_from_text(text: str) -> Signature:
    """Rebuild a Signature from its normalised text (`Exc: message | f > g`), as `check --json` prints it."""
    from untilgreen.memory import Signature

    head, _, functions = text.partition(" | ")
    exc_type, _, message = head.partition(": ")
    return Signature(
        text=text,
        exc_type=exc_type,
        message=message,
        functions=tuple(f for f in functions.split(" > ") if f) if functions else (),
        digest=hashlib.sha256(text.encode()).hexdigest()[:12],
    )


def find_fixes(
    root: Path, settings: Settings, failures: Iterable[FailureInfo], read: Callable[[str], str | None]
) -> dict[str, RememberedFix]:
    """Test id -> a remembered fix that applies to what `read` returns now (blocking)."""
    if settings.memory.embedder.startswith("litellm:"):
        return {}  # recall would call a model from the server process
    from untilgreen.memory import Store, default_path, known_fix

    path = Path(settings.memory.path).expanduser() if settings.memory.path else default_path()
    if not settings.memory.url and not path.is_file():
        return {}
    found: dict[str, RememberedFix] = {}
    opened = (
        team_store(root, settings.memory) if settings.memory.url else Store.configured(settings.memory, root)
    )
    with opened as store:
        for failure in failures:
            if not failure.signature:
                continue
            recalled = store.recall(
                signature_from_text(failure.signature), cross_project=settings.memory.cross_project
            )
            for rec, texts in known_fix(recalled, read)[:1]:
                found[failure.test_id] = RememberedFix(
                    failure.test_id, rec.card.id, rec.card.summary, texts, {rel: read(rel) for rel in texts}
                )
    return found
