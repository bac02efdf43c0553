"""Purchase orders for items that need restocking."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.stock import Stock


@dataclass(frozen=True)
class PurchaseOrder:
    sku: str
    quantity: int
    cost: float


def plan_reorders(stock: Stock) -> list[PurchaseOrder]:
    """One purchase order per item that needs reordering, largest cost first."""
    orders = []
    for sku, item in stock.items.items():
        if stock.needs_reorder(sku):
            orders.append(PurchaseOrder(sku, item.reorder_quantity, item.reorder_quantity * item.unit_cost))
    return sorted(orders, key=lambda order: order.cost, reverse=True)
