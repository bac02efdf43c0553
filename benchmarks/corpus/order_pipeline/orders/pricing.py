"""Prices, coupons and shipping."""

COUPONS = {"SPRING10": 0.10, "LOYAL5": 0.05}
FREE_SHIPPING_FROM = 60.0
SHIPPING = {"DE": 4.95, "AT": 6.90, "NL": 6.90}


def subtotal(order):
    return round(sum(l.quantity * l.unit_price for l in order.lines), 2)


def discount(order, amount):
    return round(amount * COUPONS.get(order.coupon.upper(), 0.0), 2)


def shipping(order, discounted):
    if discounted >= FREE_SHIPPING_FROM:
        return 0.0
    try:
        return SHIPPING[order.country]
    except KeyError:
        raise ValueError(f"we do not ship to {order.country}") from None


def price(order):
    """(subtotal, discount, shipping, total)."""
    sub = subtotal(order)
    off = discount(order, sub)
    total = sub - off
    ship = shipping(order, total)
    return sub, off, ship, round(total, 2)
