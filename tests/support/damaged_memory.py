"""A memory database whose damage only shows when a query reads it (opening it succeeds)."""

from __future__ import annotations

from pathlib import Path

from untilgreen.memory import FixCard, Store, signature
from untilgreen.sandbox.results import Failure, Frame

PAGE = 4096


def failure(i: int) -> Failure:
    frames = [Frame(f"tests/test_{i}.py", 3, f"test_{i}"), Frame("app/mod.py", 10, f"compute_total_{i}")]
    return Failure(f"tests/test_{i}.py::test_{i}", "failed", "KeyError", f"'item_{i}'", frames)


def write_damaged_store(path: Path, cards: int = 300) -> None:
    """A store of `cards` fix cards, then the pages written last overwritten (the schema pages stay readable)."""
    with Store.open(path, project="p") as store:
        for i in range(cards):
            store.add_fix_card(
                FixCard(signature(failure(i)), diff="--- a/app/mod.py\n+++ b/app/mod.py\n", project="p")
            )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    for page in range(pages * 6 // 10, pages - 1):
        data[page * PAGE : (page + 1) * PAGE] = b"\xff" * PAGE
    path.write_bytes(bytes(data))
