"""Sales tax computation."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

RATES = {
    "standard": Decimal("8.25"),
    "reduced": Decimal("2.5"),
    "exempt": Decimal("0"),
}


def rate_for(category):
    try:
        return RATES[category]
    except KeyError:
        raise ValueError(f"unknown tax category {category!r}") from None


def tax_amount(net, category="standard"):
    """Tax owed on `net` for the given category, rounded half-up to cents."""
    raw = net * rate_for(category) // 100
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)
