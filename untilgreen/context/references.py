"""References: the definitions the failing test names, directly or through the fixtures and helpers it names
in test files, and the special methods its operators call. (What those definitions call in turn is
`callgraph`'s business.)"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.operators import operator_methods
from untilgreen.context.paths import is_test_path
from untilgreen.context.store import Store
from untilgreen.context.terms import STOPWORDS, identifiers

HELPER_WEIGHT = 0.5  # a name reached through a fixture or helper is weaker evidence than one in the test
CONTAINERS = frozenset({"class", "type"})
CONSTRUCTORS = ("__init__", "__post_init__", "constructor")
NAMED = "is used by"
OPERATOR = "is called through an operator by"

Found = dict[str, tuple[float, str]]


def referenced(store: Store, tests: Sequence[Chunk], executed: Collection[str] = ()) -> Found:
    """Non-test chunk id -> (strength 0..1, the reason). With coverage (`executed`, the chunk ids the failing
    tests ran), an operator's special method counts only where it ran: the operands' types are not known."""
    found: Found = {}
    helpers: dict[str, Chunk] = {}
    test_ids = {t.id for t in tests}
    for test in tests:
        for name, how in uses(test):
            targets = store.chunks_named(name)
            if how == OPERATOR and executed:
                targets = [c for c in targets if c.id in executed]
            helpers.update((c.id, c) for c in targets if is_test_path(c.path) and c.id not in test_ids)
            _credit(found, sources(store, targets), f"`{name}` {how} {test.symbol}", 1.0)
    for helper in helpers.values():
        for name, how in uses(helper):
            targets = sources(store, store.chunks_named(name))
            _credit(found, targets, f"`{name}` {how} {helper.symbol}", HELPER_WEIGHT)
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


def uses(chunk: Chunk) -> list[tuple[str, str]]:
    """(name, how): the identifiers a chunk uses, then the special methods its operators call."""
    return [(n, NAMED) for n in names(chunk.text)] + [
        (m, OPERATOR) for m in operator_methods(chunk.path, chunk.text)
    ]


def _credit(found: Found, targets: list[Chunk], reason: str, weight: float) -> None:
    """Keep the strongest reason per chunk; the targets share one name, so they share the weight."""
    for chunk in targets:
        score = weight / len(targets)
        if score > found.get(chunk.id, (0.0, ""))[0]:
            found[chunk.id] = (score, reason)
