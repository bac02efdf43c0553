"""The run's memory bridge on a file that turns out to be damaged after a clean open."""

from __future__ import annotations

from pathlib import Path

from untilgreen.agent.memory_bridge import MemoryBridge
from untilgreen.memory import FixCard, Store, signature
from untilgreen.sandbox.results import Failure, Frame

PAGE = 4096


def _failure(i: int) -> Failure:
    frames = [Frame(f"tests/test_{i}.py", 3, f"test_{i}"), Frame("app/mod.py", 10, f"compute_total_{i}")]
    return Failure(f"tests/test_{i}.py::test_{i}", "failed", "KeyError", f"'item_{i}'", frames)


def test_damage_found_mid_run_moves_the_file_aside(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with Store.open(path, project="p") as store:
        for i in range(300):
            store.add_fix_card(FixCard(signature(_failure(i)), diff="--- a/app/mod.py\n+++ b/app/mod.py\n", project="p"))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    for page in range(pages * 6 // 10, pages - 1):  # the tables written last; the schema pages stay readable
        data[page * PAGE : (page + 1) * PAGE] = b"\xff" * PAGE
    path.write_bytes(bytes(data))

    store = Store.open(path, project="p")
    assert store.notice == ""  # the damage is not visible when opening
    told: list[str] = []
    bridge = MemoryBridge(store, cross_project=False)
    bridge.on_problem = told.append

    assert bridge.recall([signature(_failure(5))]) == []
    assert bridge.store is None
    assert told == [bridge.problem]
    assert "is damaged" in bridge.problem and "the next run starts a fresh one" in bridge.problem
    assert not path.exists() and len(list(tmp_path.glob("m.sqlite3.corrupt-*"))) == 1
    bridge.finish("failed", "budget", "")  # later writes are skipped, not raised

    with Store.open(path, project="p") as fresh:
        assert fresh.notice == "" and fresh.stats()["signatures"] == 0
