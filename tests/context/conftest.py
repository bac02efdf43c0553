from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from untilgreen.context import Index

STOCK = '''\
"""Stock keeping."""
from dataclasses import dataclass

REORDER_MARGIN = 2


@dataclass
class Stock:
    sku: str
    quantity: int
    threshold: int

    def reorder_needed(self) -> bool:
        """True when stock is at or below the threshold."""
        return self.quantity < self.threshold

    def remove(self, amount: int) -> None:
        if amount > self.quantity:
            raise ValueError("not enough stock")
        self.quantity -= amount


def total(stocks):
    return sum(s.quantity for s in stocks)
'''

TESTS = """\
import pytest

from inventory.stock import Stock, total


@pytest.fixture
def low():
    return Stock("a", 5, 5)


def test_reorder_needed_at_threshold(low):
    assert low.reorder_needed()


def test_remove():
    stock = Stock("a", 5, 5)
    stock.remove(2)
    assert stock.quantity == 3


def test_total():
    assert total([Stock("a", 1, 0), Stock("b", 2, 0)]) == 3
"""


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, {"inventory/__init__.py": "", "inventory/stock.py": STOCK, "tests/test_stock.py": TESTS})
    return root


@pytest.fixture
def index(project: Path, tmp_path: Path):
    with Index.for_root(project, cache_dir=tmp_path / "cache") as idx:
        yield idx


# Enough unrelated code that sending stock.py whole costs more than its ranked chunks and an outline.
PADDING = "\n\ndef audit(stocks):\n" + "".join(
    f"    line_{i} = [s.sku for s in stocks if s.quantity > {i}]\n" for i in range(60)
)


@pytest.fixture
def padded_index(project: Path, tmp_path: Path):
    stock = project / "inventory" / "stock.py"
    stock.write_text(stock.read_text() + PADDING, encoding="utf-8")
    with Index.for_root(project, cache_dir=tmp_path / "padded") as idx:
        yield idx
