"""How far below the failing tests each chunk ran: a static call graph (the names a chunk's text uses and the
special methods its operators call, resolved to the chunks of that name) walked from the failing tests through
the chunks they executed.

With a handful of tests, Ochiai gives the same suspicion to a whole call chain; where a wrong value is made
is more often the callee doing the work than the caller passing the value on, so depth breaks those ties.
Helpers and fixtures in test files are walked through without counting as a call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.paths import is_test_path
from untilgreen.context.references import sources, uses
from untilgreen.context.store import Store

Depths = dict[str, tuple[int, str]]


def call_depths(store: Store, tests: Sequence[Chunk], executed: Collection[str]) -> Depths:
    """Executed non-test chunk id -> (calls below the failing test, the caller's symbol), shortest path."""
    depths: Depths = {}
    seen = {t.id for t in tests}
    queue: deque[tuple[Chunk, int]] = deque((t, 0) for t in tests)
    while queue:
        caller, depth = queue.popleft()
        for name, _ in uses(caller):
            for callee in sources(store, store.chunks_named(name), keep_tests=True):
                if callee.id in seen or callee.id not in executed:
                    continue
                seen.add(callee.id)
                if is_test_path(callee.path):  # a fixture or helper: the test's own code, no call deeper
                    queue.appendleft((callee, depth))
                else:
                    depths[callee.id] = (depth + 1, caller.symbol)
                    queue.append((callee, depth + 1))
    return depths
