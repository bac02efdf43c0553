"""One-hop references: the definitions the failing test names (directly, or through the fixtures and
helpers it names in test files)."""

from __future__ import annotations

from collections.abc import Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.paths import is_test_path
from untilgreen.context.store import Store
from untilgreen.context.terms import STOPWORDS, identifiers

HELPER_WEIGHT = 0.5  # a name reached through a fixture or helper is weaker evidence than one in the test


def referenced(store: Store, tests: Sequence[Chunk]) -> dict[str, tuple[float, str]]:
    """Non-test chunk id -> (1 / number of definitions sharing the name, the name and where it was used)."""
    found: dict[str, tuple[float, str]] = {}
    helpers: list[Chunk] = []
    test_ids = {t.id for t in tests}
    for test in tests:
        for name in _names(test.text):
            targets = store.chunks_named(name)
            helpers += [c for c in targets if is_test_path(c.path) and c.id not in test_ids]
            _credit(found, [c for c in targets if not is_test_path(c.path)], name, test.symbol, 1.0)
    for helper in {h.id: h for h in helpers}.values():
        for name in _names(helper.text):
            targets = [c for c in store.chunks_named(name) if not is_test_path(c.path)]
            _credit(found, targets, name, helper.symbol, HELPER_WEIGHT)
    return found


def _names(text: str) -> list[str]:
    return [n for n in dict.fromkeys(identifiers(text)) if n.lower() not in STOPWORDS]


def _credit(
    found: dict[str, tuple[float, str]], targets: list[Chunk], name: str, user: str, weight: float
) -> None:
    for chunk in targets:
        score = weight / len(targets)
        if score > found.get(chunk.id, (0.0, ""))[0]:
            found[chunk.id] = (score, f"`{name}` is used by {user}")
