"""A tiny stock ledger: items, movements and reorder checks."""

from .models import Item, Movement
from .stock import Stock, InsufficientStock

__all__ = ["Item", "Movement", "Stock", "InsufficientStock"]
