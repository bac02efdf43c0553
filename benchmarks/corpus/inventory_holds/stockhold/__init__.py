"""Time-limited stock reservations for a checkout flow."""

from .errors import HoldNotFound, OutOfStock
from .warehouse import Warehouse

__all__ = ["HoldNotFound", "OutOfStock", "Warehouse"]
