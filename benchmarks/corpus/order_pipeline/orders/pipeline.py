"""The steps an order goes through."""

from .models import Receipt
from .pricing import price


class Rejected(Exception):
    pass


def validate(order):
    if not order.lines:
        raise Rejected("empty order")
    for line in order.lines:
        if line.quantity <= 0:
            raise Rejected(f"bad quantity for {line.sku}")


def reserve(order, stock):
    wanted = {}
    for line in order.lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    short = [sku for sku, qty in wanted.items() if stock.get(sku, 0) < qty]
    if short:
        raise Rejected("out of stock: " + ", ".join(sorted(short)))
    for sku, qty in wanted.items():
        stock[sku] -= qty
    return wanted


def process(order, stock):
    validate(order)
    sub, off, ship, total = price(order)
    reserved = reserve(order, stock)
    return Receipt(order, sub, off, ship, total, reserved)
