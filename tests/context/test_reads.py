from __future__ import annotations

from untilgreen.context import Index
from untilgreen.sandbox.results import Failure, Frame, TestReport

from .conftest import write

RATES = '''\
"""Shipping rates."""
from dataclasses import dataclass

from shop.zones import ZONES

RATES = {"standard": 5, "express": 5}
LIMITS, CAPS = {"standard": 1}, {}


@dataclass
class Parcel:
    weight: int = 1
    service: str = "standard"
    SURCHARGE = 2

    def cost(self):
        base = RATES[self.service] * self.weight
        return base + Parcel.SURCHARGE

    def zone(self, name):
        return ZONES[name] + len(LIMITS)

    def describe(self):
        return f"{self.service} parcel"
'''

ZONES = """\
ZONES = {"north": 1}


def unrelated():
    return 0
"""

TESTS = """\
from shop.rates import Parcel


def test_express_costs_more():
    assert Parcel(service="express").cost() == 10


def test_zone():
    assert Parcel().zone("north") == 2


def test_describe():
    assert Parcel().describe() == "standard parcel"
"""

T = "tests/test_rates.py::"


def ranked(tmp_path, failing: str, coverage: dict, frames=()) -> dict[str, str]:
    root = tmp_path / "proj"
    write(
        root,
        {
            "shop/__init__.py": "",
            "shop/rates.py": RATES,
            "shop/zones.py": ZONES,
            "tests/test_rates.py": TESTS,
        },
    )
    rep = TestReport(
        passed=[t for t in coverage if t != failing],
        failures=[Failure(failing, "failed", "AssertionError", "", list(frames))],
        coverage=coverage,
    )
    with Index.for_root(root, cache_dir=tmp_path / "cache") as index:
        return {c.symbol: c.why for c in index.localize(rep).ranked}


def test_tables_and_class_attributes_read_by_suspicious_lines_are_credited(tmp_path):
    """cost's lines ran only in the failing test: the table they read and the class's own attributes (its
    dataclass fields and constants) are credited, the methods that also run are not data."""
    failing = T + "test_express_costs_more"
    coverage = {
        failing: {"shop/rates.py": [17, 18, 23]},
        T + "test_describe": {"shop/rates.py": [23]},
    }
    reasons = ranked(tmp_path, failing, coverage)
    assert "`RATES` read by `Parcel.cost` at line 17, Ochiai 1.00" in reasons["RATES"]
    assert "read by `Parcel.cost` at line 17, Ochiai 1.00" in reasons["Parcel"]
    assert "read by" not in reasons["Parcel.describe"]
    assert "ZONES" not in reasons and "<module>" not in reasons


def test_imported_names_module_blocks_and_class_names_resolve_to_their_data(tmp_path):
    failing = T + "test_zone"
    frames = [Frame("tests/test_rates.py", 9, "test_zone"), Frame("shop/rates.py", 21, "zone")]
    reasons = ranked(tmp_path, failing, {failing: {"shop/rates.py": [18, 21]}}, frames)
    assert "`ZONES` read by `Parcel.zone` at line 21, deepest project frame of" in reasons["ZONES"]
    assert "`LIMITS` read by `Parcel.zone` at line 21" in reasons["<module>#2"]
    assert "`Parcel.SURCHARGE` read by `Parcel.cost` at line 18" in reasons["Parcel"]
    assert "read by" not in reasons.get("unrelated", "")
