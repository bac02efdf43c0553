"""Products and the price list."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str


class PriceList:
    """Current prices by SKU; a price of 0 is legitimate (free samples)."""

    def __init__(self, prices=None):
        self._prices = {sku: Decimal(str(p)) for sku, p in (prices or {}).items()}

    def set_price(self, sku, price):
        price = Decimal(str(price))
        if price < 0:
            raise ValueError("prices cannot be negative")
        self._prices[sku] = price

    def price_of(self, sku):
        """The price, or None when the SKU has no price."""
        return self._prices.get(sku, 0)

    def priced_skus(self):
        return sorted(self._prices)
