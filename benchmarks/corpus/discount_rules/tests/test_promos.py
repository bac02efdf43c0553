from decimal import Decimal

import pytest

from promos.config import load_rules
from promos.engine import apply_promotions, best_rule
from promos.rules import Line

RULES = load_rules([
    {"name": "paper-5", "category": "paper", "percent": 5},
    {"name": "paper-bulk", "category": "paper", "percent": 12, "min_qty": 50},
    {"name": "ink-any", "category": "ink", "percent": 8, "min_qty": 1},
])


def line(sku, category, qty, price):
    return Line(sku, category, qty, Decimal(price))


def test_single_item_gets_min_qty_one_rule():
    _, total = apply_promotions([line("INK-K", "ink", 1, "20.00")], RULES)
    assert total == Decimal("18.40")


def test_bulk_rule_wins_for_big_orders():
    assert best_rule(line("A4", "paper", 60, "4.00"), RULES).name == "paper-bulk"


def test_small_paper_order_gets_the_basic_rule():
    rows, total = apply_promotions([line("A4", "paper", 10, "4.00")], RULES)
    assert rows[0][3] == "paper-5"
    assert total == Decimal("38.00")


def test_no_rule_for_other_categories():
    rows, total = apply_promotions([line("PEN", "pens", 3, "1.50")], RULES)
    assert rows == [("PEN", Decimal("4.50"), Decimal("0.00"), None)]


def test_invalid_rule():
    with pytest.raises(ValueError):
        load_rules([{"name": "crazy", "category": "x", "percent": 80}])


def test_savings_report():
    from promos.report import savings_by_rule, savings_share

    rows = [("A4", Decimal("240.00"), Decimal("28.80"), "paper-bulk"),
            ("INK-K", Decimal("20.00"), Decimal("1.60"), "ink-any"),
            ("PEN", Decimal("4.50"), Decimal("0.00"), None)]
    assert savings_by_rule(rows) == {"paper-bulk": Decimal("28.80"), "ink-any": Decimal("1.60")}
    assert savings_share(rows) == Decimal("11.5")
