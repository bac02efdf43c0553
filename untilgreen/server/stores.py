"""The team memory stores the server keeps open between checks: one per project, for its memory settings.

Opening a team store connects and checks the schema (a few round trips, more on a remote server); a check's
remembered-fix lookup would pay that after every check. The store of a project is kept open while the project's
memory settings stay the same: the first check that finds them changed closes it and opens one for the new
settings (nothing is closed on the event loop when the settings change). It is also closed when using it fails
(the next check opens it afresh) and on shutdown. The memory file is opened per check, as before: that costs little, and a file moved aside or
replaced is then seen at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from untilgreen.settings import MemorySettings

if TYPE_CHECKING:
    from untilgreen.memory import Store

_lock = threading.Lock()
_open: dict[Path, tuple[MemorySettings, Store]] = {}  # project root -> the settings it was opened with, store


@contextmanager
def team_store(root: Path, memory: MemorySettings) -> Iterator[Store]:
    """The open team store of `root` (`memory.url` set), opened on first use; closed if using it fails."""
    from untilgreen.memory import Store

    with _lock:
        kept = _open.get(root)
        if kept is not None and kept[0] != memory:
            del _open[root]
            kept[1].close()
            kept = None
        if kept is None:
            kept = (memory, Store.configured(memory, root))
            _open[root] = kept
    store = kept[1]
    try:
        yield store
    except BaseException:
        with _lock:
            if _open.get(root) is kept:
                del _open[root]
        store.close()
        raise


def close_all() -> None:
    """Close every kept store (settings changed, or the server shuts down)."""
    with _lock:
        stores = [store for _, store in _open.values()]
        _open.clear()
    for store in stores:
        store.close()
