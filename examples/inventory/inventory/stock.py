"""Items and their stock levels."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    unit_cost: float
    reorder_point: int
    reorder_quantity: int


@dataclass
class Stock:
    """On-hand quantities per SKU."""

    items: dict[str, Item] = field(default_factory=dict)
    on_hand: dict[str, int] = field(default_factory=dict)

    def add_item(self, item: Item, quantity: int = 0) -> None:
        self.items[item.sku] = item
        self.on_hand[item.sku] = quantity

    def receive(self, sku: str, quantity: int) -> None:
        if quantity <= 0:
            raise ValueError("received quantity must be positive")
        self.on_hand[sku] = self.on_hand.get(sku, 0) + quantity

    def ship(self, sku: str, quantity: int) -> None:
        available = self.on_hand.get(sku, 0)
        if quantity > available:
            raise ValueError(f"cannot ship {quantity} of {sku}: only {available} on hand")
        self.on_hand[sku] = available - quantity

    def needs_reorder(self, sku: str) -> bool:
        """An item is reordered once its stock is at or below its reorder point."""
        return self.on_hand.get(sku, 0) < self.items[sku].reorder_point

    def value(self) -> float:
        return sum(self.items[sku].unit_cost * qty for sku, qty in self.on_hand.items())
