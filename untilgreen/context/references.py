"""References: the definitions the failing test names (directly, or through the fixtures and helpers it
names in test files), and one hop further, what those definitions call.

A definition the test calls is where a wrong result shows, not necessarily where it is made: when coverage
says which code the failing run executed, the callees it executed share the caller's credit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.paths import is_test_path
from untilgreen.context.store import Store
from untilgreen.context.terms import STOPWORDS, identifiers

HELPER_WEIGHT = 0.5  # a name reached through a fixture or helper is weaker evidence than one in the test
CONTAINERS = frozenset({"class", "type"})
CONSTRUCTORS = ("__init__", "__post_init__", "constructor")

Found = dict[str, tuple[float, str]]


def referenced(store: Store, tests: Sequence[Chunk], executed: Collection[str] | None = None) -> Found:
    """Non-test chunk id -> (strength 0..1, the reason). `executed`: chunk ids the failing tests ran, if known."""
    found: Found = {}
    helpers: dict[str, Chunk] = {}
    test_ids = {t.id for t in tests}
    for test in tests:
        for name in _names(test.text):
            targets = store.chunks_named(name)
            helpers.update((c.id, c) for c in targets if is_test_path(c.path) and c.id not in test_ids)
            _credit(found, _sources(store, targets), f"`{name}` is used by {test.symbol}", 1.0, split=True)
    for helper in helpers.values():
        for name in _names(helper.text):
            targets = _sources(store, store.chunks_named(name))
            _credit(found, targets, f"`{name}` is used by {helper.symbol}", HELPER_WEIGHT, split=True)
    if executed is not None:
        for cid, (strength, _) in list(found.items()):
            caller = store.chunks_by_id([cid])[cid]
            for name in _names(caller.text):
                callees = [
                    c for c in _sources(store, store.chunks_named(name)) if c.id in executed and c.id != cid
                ]
                _credit(found, callees, f"called by {caller.symbol}, which the failing test uses", strength)
    return found


def _sources(store: Store, chunks: list[Chunk]) -> list[Chunk]:
    """Non-test chunks; a class stands for its constructor, the code that runs when the test names it."""
    out: list[Chunk] = []
    for chunk in chunks:
        if is_test_path(chunk.path):
            continue
        if chunk.kind in CONTAINERS:
            ids = [f"{chunk.id}.{name}" for name in CONSTRUCTORS]
            constructors = store.chunks_by_id(ids)
            out.extend(list(constructors.values()) or [chunk])
        else:
            out.append(chunk)
    return out


def _names(text: str) -> list[str]:
    return [n for n in dict.fromkeys(identifiers(text)) if n.lower() not in STOPWORDS]


def _credit(found: Found, targets: list[Chunk], reason: str, weight: float, *, split: bool = False) -> None:
    """Keep the strongest reason per chunk; `split`: the targets share one name, so they share the weight."""
    for chunk in targets:
        score = weight / len(targets) if split else weight
        if score > found.get(chunk.id, (0.0, ""))[0]:
            found[chunk.id] = (score, reason)
