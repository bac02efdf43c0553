"""The run's memory bridge on a file that turns out to be damaged after a clean open."""

from __future__ import annotations

from pathlib import Path

from tests.support.damaged_memory import failure, write_damaged_store

from untilgreen.agent.memory_bridge import MemoryBridge
from untilgreen.memory import Store, signature


def test_damage_found_mid_run_moves_the_file_aside(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    write_damaged_store(path)
    store = Store.open(path, project="p")
    assert store.notice == ""  # the damage is not visible when opening
    told: list[str] = []
    bridge = MemoryBridge(store, cross_project=False)
    bridge.on_problem = told.append

    assert bridge.recall([signature(failure(5))]) == []
    assert bridge.store is None
    assert told == [bridge.problem]
    assert "is damaged" in bridge.problem and "the next use starts a fresh one" in bridge.problem
    assert not path.exists() and len(list(tmp_path.glob("m.sqlite3.corrupt-*"))) == 1
    bridge.finish("failed", "budget", "")  # later writes are skipped, not raised

    with Store.open(path, project="p") as fresh:
        assert fresh.notice == "" and fresh.stats()["signatures"] == 0
