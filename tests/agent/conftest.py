"""Fixture projects, settings and scripted repairers for the loop's tests.

The scripted repairers stand in for the *repairer* only: the loop, the sandbox, memory and the context index are
the real ones.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Union

import pytest

from untilgreen.agent import RunRequest
from untilgreen.protocol import Event
from untilgreen.models.base import Candidate, RepairRequest, SearchReplace, Usage
from untilgreen.settings import Settings, build

PRICING = '''"""Discount rules."""


def discount_rate(total):
    """Orders of 100 or more get 10 % off."""
    if total > 100:
        return 0.1
    return 0.0


def apply_discount(total):
    return round(total * (1 - discount_rate(total)), 2)
'''

CART = '''"""A shopping cart."""

from shop.pricing import apply_discount


class Cart:
    def __init__(self):
        self.items = []

    def add(self, name, price, quantity=1):
        self.items.append((name, price, quantity))

    def subtotal(self):
        return sum(price * quantity for _, price, quantity in self.items)

    def total(self):
        return apply_discount(self.subtotal())
'''

TESTS = """from shop.cart import Cart


def test_small_order_has_no_discount():
    cart = Cart()
    cart.add("pen", 2.5, 4)
    assert cart.total() == 10.0


def test_discount_at_threshold():
    cart = Cart()
    cart.add("lamp", 50, 2)
    assert cart.total() == 90.0


def test_big_order_is_discounted():
    cart = Cart()
    cart.add("desk", 200)
    assert cart.total() == 180.0
"""

SHOP = {
    "shop/__init__.py": "",
    "shop/pricing.py": PRICING,
    "shop/cart.py": CART,
    "tests/test_cart.py": TESTS,
    "pyproject.toml": '[project]\nname = "shop"\nversion = "0"\n',
}
TARGET = "tests/test_cart.py::test_discount_at_threshold"
# The shop as a project of an eval corpus: its bug.toml.
SHOP_BUG = '''class = "comparison-operator"
file = "shop/pricing.py"
symbol = "discount_rate"
summary = "the discount starts above 100 instead of at 100"
failing = ["tests/test_cart.py::test_discount_at_threshold"]
fix = """
--- a/shop/pricing.py
+++ b/shop/pricing.py
@@ -4,3 +4,3 @@
     \\"\\"\\"Orders of 100 or more get 10 % off.\\"\\"\\"
-    if total > 100:
+    if total >= 100:
         return 0.1
"""
'''
RIGHT = SearchReplace("shop/pricing.py", "    if total > 100:", "    if total >= 100:")
WRONG = SearchReplace("shop/pricing.py", "        return 0.1", "        return 0.15")


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


Reply = Union[list[Candidate], Callable[[RepairRequest], list[Candidate]]]


class Scripted:
    """A repairer that answers from a script (one reply per call; then nothing); records each request."""

    def __init__(self, *replies: Reply, name: str = "scripted") -> None:
        self.name = name
        self.replies = list(replies)
        self.requests: list[RepairRequest] = []

    def propose(self, request: RepairRequest) -> list[Candidate]:
        self.requests.append(request)
        if not self.replies:
            return []
        reply = self.replies.pop(0)
        return reply(request) if callable(reply) else reply


def candidate(*edits: Any, source: str = "scripted", tokens: int = 100) -> Candidate:
    return Candidate(list(edits), source, explanation="scripted", usage=Usage(tokens - 10, 10, None, 0.0))


class Events(list):
    """Collects events (and checks each survives a JSON round trip)."""

    def __call__(self, event: Event) -> None:
        assert Event.from_json(event.to_line()) == event
        self.append(event)

    def of(self, kind: type) -> list:
        return [e for e in self if isinstance(e, kind)]


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Caches (shadows, index), memory and temp folders (where shadow workspaces go) under the test's own folder.
    Returns the temp folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("UNTILGREEN_MEMORY_PATH", str(tmp_path / "memory.sqlite3"))
    monkeypatch.setenv("UNTILGREEN_CONFIG", str(tmp_path / "no-config.toml"))
    return temp


def settings(tmp_path: Path, **values: Any) -> Settings:
    base = {
        "memory.path": str(tmp_path / "memory.sqlite3"),
        "sandbox.test_timeout": 5.0,
        "sandbox.timeout": 120.0,
        "attempts": 3,
    }
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return build(base)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "shop", SHOP)


def request_for(root: Path, tmp_path: Path, **values: Any) -> RunRequest:
    targets = values.pop("targets", [])
    overlays = values.pop("overlays", {})
    return RunRequest(root, targets=targets, overlays=overlays, settings=settings(tmp_path, **values))


def leftovers(temp: Path) -> list[str]:
    """Shadow workspaces still in the temp folder, and processes still running from one."""
    dirs = [str(p) for p in temp.glob("untilgreen-*") if p.is_dir()]
    procs = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(temp) in cmdline:
            procs.append(f"{pid}: {cmdline[:120]}")
    return dirs + procs


@pytest.fixture
def cancel() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()
