"""Money conversion with banker-safe rounding."""

from decimal import ROUND_HALF_EVEN, Decimal

MINOR_UNITS = {"JPY": 0, "KWD": 3}


def quantum(currency):
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def convert(amount, source, target, table):
    """Convert `amount` of `source` into `target`, rounded to the target's minor unit."""
    if source == target:
        return Decimal(amount).quantize(quantum(target))
    rate = table.rate(target, source)
    return (Decimal(amount) * rate).quantize(quantum(target), rounding=ROUND_HALF_EVEN)
