"""Invoice totals."""

from dataclasses import dataclass, field
from decimal import Decimal

from .tax import tax_amount


@dataclass
class Invoice:
    number: str
    customer: str
    tax_category: str = "standard"
    lines: list = field(default_factory=list)

    def add(self, line):
        self.lines.append(line)
        return self

    @property
    def subtotal(self):
        return sum((line.net for line in self.lines), Decimal("0"))

    @property
    def taxable_base(self):
        return sum((line.net for line in self.lines if line.taxable), Decimal("0"))

    @property
    def tax(self):
        return tax_amount(self.taxable_base, self.tax_category)

    @property
    def total(self):
        return self.subtotal + self.tax
