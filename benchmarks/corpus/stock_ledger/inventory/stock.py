"""The ledger itself."""

from collections import defaultdict

from .models import Item, Movement


class InsufficientStock(Exception):
    """Raised when a shipment asks for more than is on hand."""


class Stock:
    """Quantities on hand per SKU, with a movement history."""

    def __init__(self):
        self._items = {}
        self._on_hand = defaultdict(int)
        self.history = []

    def register(self, item):
        """Make an item known to the ledger."""
        self._items[item.sku] = item

    def item(self, sku):
        try:
            return self._items[sku]
        except KeyError:
            raise KeyError(f"unknown SKU {sku!r}") from None

    def on_hand(self, sku):
        return self._on_hand[sku]

    def receive(self, sku, quantity, reason="purchase"):
        """Add received goods."""
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.item(sku)
        self._on_hand[sku] += quantity
        self.history.append(Movement(sku, quantity, reason))

    def ship(self, sku, quantity, reason="sale"):
        """Remove shipped goods; refuses to go below zero."""
        if quantity > self._on_hand[sku]:
            raise InsufficientStock(f"{sku}: {self._on_hand[sku]} on hand, {quantity} requested")
        self._on_hand[sku] -= quantity
        self.history.append(Movement(sku, -quantity, reason))

    def reorder_needed(self, sku):
        """True when the quantity on hand has fallen to the reorder point or below."""
        item = self.item(sku)
        return self._on_hand[sku] < item.reorder_point

    def reorder_list(self):
        """(sku, quantity to order) for every item that needs reordering."""
        return [
            (sku, self._items[sku].reorder_quantity)
            for sku in sorted(self._items)
            if self.reorder_needed(sku)
        ]

    def valuation(self):
        """Total value of the stock at unit cost."""
        return round(sum(self._on_hand[s] * i.unit_cost for s, i in self._items.items()), 2)
