"""The entry point the web shop calls."""

from .models import Order, OrderLine
from .pipeline import Rejected, process


def submit_order(payload, stock):
    """payload: {"customer", "country", "coupon"?, "lines": [[sku, qty, price], ...]} -> dict."""
    order = Order(payload["customer"], payload["country"],
                  [OrderLine(sku, int(qty), float(p)) for sku, qty, p in payload["lines"]],
                  payload.get("coupon", ""))
    try:
        receipt = process(order, stock)
    except Rejected as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "total": receipt.total, "shipping": receipt.shipping, "reserved": receipt.reserved}
