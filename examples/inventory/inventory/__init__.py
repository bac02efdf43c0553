"""Stock keeping for a small shop: items, stock levels, reorders."""

from inventory.stock import Item, Stock
from inventory.orders import PurchaseOrder, plan_reorders

__all__ = ["Item", "Stock", "PurchaseOrder", "plan_reorders"]
