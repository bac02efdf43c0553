"""Cash holdings in several currencies."""

from collections import defaultdict
from decimal import Decimal

from .convert import convert


class Portfolio:
    def __init__(self):
        self._cash = defaultdict(Decimal)

    def deposit(self, currency, amount):
        self._cash[currency] += Decimal(str(amount))

    def holdings(self):
        return {c: a for c, a in sorted(self._cash.items()) if a}

    def value_in(self, currency, table):
        return sum((convert(a, c, currency, table) for c, a in self.holdings().items()), Decimal("0"))
