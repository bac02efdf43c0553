from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from untilgreen.memory import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "memory.sqlite3", project="p-this") as s:
        yield s
