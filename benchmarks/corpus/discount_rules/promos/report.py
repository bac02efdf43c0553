"""Savings per rule, for the monthly promotion review."""

from collections import defaultdict
from decimal import Decimal


def savings_by_rule(rows):
    """rows as returned by apply_promotions -> {rule name: total discount}, biggest first."""
    totals = defaultdict(lambda: Decimal("0"))
    for _sku, _amount, discount, name in rows:
        if name is not None:
            totals[name] += discount
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def savings_share(rows):
    """Discounts as a share of the undiscounted amount, in percent with one decimal."""
    gross = sum((amount for _, amount, _, _ in rows), Decimal("0"))
    saved = sum((discount for _, _, discount, _ in rows), Decimal("0"))
    if not gross:
        return Decimal("0.0")
    return (saved / gross * 100).quantize(Decimal("0.1"))
