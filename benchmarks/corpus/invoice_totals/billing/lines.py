"""Invoice line items."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: int
    unit_price: Decimal
    discount_percent: Decimal = Decimal("0")
    taxable: bool = True

    def __post_init__(self):
        if self.quantity <= 0:
            raise ValueError("quantity must be positive")
        if not Decimal("0") <= self.discount_percent <= Decimal("100"):
            raise ValueError("discount must be between 0 and 100")

    @property
    def gross(self):
        return self.unit_price * self.quantity

    @property
    def net(self):
        """Amount after the line discount, rounded to cents."""
        discount = self.gross * self.discount_percent / 100
        return (self.gross - discount).quantize(Decimal("0.01"))
