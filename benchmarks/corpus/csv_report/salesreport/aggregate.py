"""Group and sum sales."""

from collections import defaultdict
from decimal import Decimal

from .reader import read_sales


def by_region(sales):
    totals = defaultdict(lambda: Decimal("0"))
    for sale in sales:
        totals[sale.region] += sale.revenue
    return dict(sorted(totals.items()))


def best_sellers(sales, n=3):
    units = defaultdict(int)
    for sale in sales:
        units[sale.product] += sale.units
    return sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def month_summary(csv_text):
    sales = read_sales(csv_text)
    return {
        "orders": len(sales),
        "units": sum(s.units for s in sales),
        "revenue": sum((s.revenue for s in sales), Decimal("0")),
        "regions": by_region(sales),
        "top": best_sellers(sales),
    }
