"""Discount rules."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    percent: Decimal
    min_qty: int = 1

    def applies_to(self, line):
        return line.category == self.category


@dataclass(frozen=True)
class Line:
    sku: str
    category: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self):
        return self.unit_price * self.quantity
