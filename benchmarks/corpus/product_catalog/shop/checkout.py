"""Turning a cart into a quote."""

from decimal import Decimal

from .catalog import PriceList


class UnknownProduct(LookupError):
    pass


BULK_THRESHOLD = 10
BULK_DISCOUNT = Decimal("0.05")


def line_total(price, quantity):
    total = price * quantity
    if quantity >= BULK_THRESHOLD:
        total -= total * BULK_DISCOUNT
    return total.quantize(Decimal("0.01"))


def quote(cart, prices: PriceList):
    """cart: {sku: quantity}. Returns (lines, total) with lines sorted by SKU."""
    lines = []
    for sku, quantity in sorted(cart.items()):
        if quantity <= 0:
            raise ValueError(f"bad quantity for {sku}: {quantity}")
        price = prices.price_of(sku)
        if price is None:
            raise UnknownProduct(sku)
        lines.append((sku, quantity, line_total(price, quantity)))
    return lines, sum((amount for *_, amount in lines), Decimal("0.00"))


def receipt(cart, prices):
    lines, total = quote(cart, prices)
    rows = [f"{sku:<10}{qty:>4}{amount:>10}" for sku, qty, amount in lines]
    rows.append(f"{'TOTAL':<14}{total:>10}")
    return "\n".join(rows)
