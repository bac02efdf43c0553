from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from untilgreen.memory import Store


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The store on each backend: every test that takes it runs on the SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        opened = Store.open(tmp_path / "memory.sqlite3", project="p-this")
    else:
        opened = Store.open(url=request.getfixturevalue("team_url"), project="p-this")
    with opened as s:
        yield s
