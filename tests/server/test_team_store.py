"""The language server keeps a project's team store open between checks (a real PostgreSQL: the `pg` fixture)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.memory.memory_pairs import make_failure

from untilgreen.memory import FixCard, Store, signature
from untilgreen.server import stores
from untilgreen.server.diagnostics import FailureInfo
from untilgreen.server.remembered import find_fixes
from untilgreen.settings import MemorySettings, Settings

DIFF = "--- a/calc.py\n+++ b/calc.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MemorySettings]]:
    """The memory settings of every store opened (the real `Store.configured` opens each one)."""
    calls: list[MemorySettings] = []
    configured = Store.configured

    def counted(memory: MemorySettings, root: Path | None = None) -> Store:
        calls.append(memory)
        return configured(memory, root)

    monkeypatch.setattr(Store, "configured", counted)
    yield calls
    stores.close_all()


def test_two_checks_in_a_row_open_the_team_store_once(
    team_url: str, tmp_path: Path, opened: list[MemorySettings]
) -> None:
    (tmp_path / "calc.py").write_text("x = 1\n")
    sig = signature(make_failure("tests/test_calc.py::test_x", "AssertionError", "assert 1 == 2", "test_x"))
    with Store.open(url=team_url, root=tmp_path) as store:
        store.add_fix_card(FixCard(sig, DIFF, store.project, summary="x is 2"))
    settings = Settings(memory=MemorySettings(url=team_url))
    failure = FailureInfo("tests/test_calc.py::test_x", "failed", "assert 1 == 2", sig.text)

    def check(settings: Settings) -> list[str]:
        fixes = find_fixes(tmp_path, settings, [failure], lambda rel: (tmp_path / rel).read_text())
        return [fix.summary for fix in fixes.values()]

    assert check(settings) == check(settings) == ["x is 2"]
    assert len(opened) == 1
    first = stores._open[tmp_path][1]
    relabelled = dataclasses.replace(settings, memory=MemorySettings(url=team_url, label="bo"))
    assert check(relabelled) == ["x is 2"] and len(opened) == 2  # other settings: the store opened afresh
    assert first.db.pool.closed  # type: ignore[attr-defined]
    stores.close_all()
    assert check(relabelled) == ["x is 2"] and len(opened) == 3
