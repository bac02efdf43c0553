"""References: the definitions the failing test names, directly or through the fixtures and helpers it names
in test files. (What those definitions call in turn is `callgraph`'s business.)"""

from __future__ import annotations

from collections.abc import Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.paths import is_test_path
from untilgreen.context.store import Store
from untilgreen.context.terms import STOPWORDS, identifiers

HELPER_WEIGHT = 0.5  # a name reached through a fixture or helper is weaker evidence than one in the test
CONTAINERS = frozenset({"class", "type"})
CONSTRUCTORS = ("__init__", "__post_init__", "constructor")

Found = dict[str, tuple[float, str]]


def referenced(store: Store, tests: Sequence[Chunk]) -> Found:
    """Non-test chunk id -> (strength 0..1, the reason)."""
    found: Found = {}
    helpers: dict[str, Chunk] = {}
    test_ids = {t.id for t in tests}
    for test in tests:
        for name in names(test.text):
            targets = store.chunks_named(name)
            helpers.update((c.id, c) for c in targets if is_test_path(c.path) and c.id not in test_ids)
            _credit(found, sources(store, targets), f"`{name}` is used by {test.symbol}", 1.0)
    for helper in helpers.values():
        for name in names(helper.text):
            targets = sources(store, store.chunks_named(name))
            _credit(found, targets, f"`{name}` is used by {helper.symbol}", HELPER_WEIGHT)
    return found


def sources(store: Store, chunks: list[Chunk], *, keep_tests: bool = False) -> list[Chunk]:
    """Non-test chunks (and test ones with `keep_tests`); a class stands for its constructor, the code that
    runs when it is called."""
    out: list[Chunk] = []
    for chunk in chunks:
        if is_test_path(chunk.path) and not keep_tests:
            continue
        if chunk.kind in CONTAINERS:
            ids = [f"{chunk.id}.{name}" for name in CONSTRUCTORS]
            constructors = store.chunks_by_id(ids)
            out.extend(list(constructors.values()) or [chunk])
        else:
            out.append(chunk)
    return out


def names(text: str) -> list[str]:
    return [n for n in dict.fromkeys(identifiers(text)) if n.lower() not in STOPWORDS]


def _credit(found: Found, targets: list[Chunk], reason: str, weight: float) -> None:
    """Keep the strongest reason per chunk; the targets share one name, so they share the weight."""
    for chunk in targets:
        score = weight / len(targets)
        if score > found.get(chunk.id, (0.0, ""))[0]:
            found[chunk.id] = (score, reason)
