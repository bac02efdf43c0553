"""Plain data objects used by the ledger."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Item:
    """A stock-keeping unit."""

    sku: str
    name: str
    unit_cost: float
    reorder_point: int = 5
    reorder_quantity: int = 20


@dataclass
class Movement:
    """One change of the quantity on hand (positive = received)."""

    sku: str
    quantity: int
    reason: str
    day: date = field(default_factory=date.today)
