"""Read the CSV export of the shop system."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Sale:
    day: date
    region: str
    product: str
    units: int
    revenue: Decimal


def parse_rows(rows):
    """Rows are lists of strings; the first one is the header."""
    header = [h.strip().lower() for h in rows[0]]
    index = {name: header.index(name) for name in ("date", "region", "product", "units", "revenue")}
    sales = []
    for row in rows[2:]:
        if not any(cell.strip() for cell in row):
            continue
        sales.append(Sale(
            day=date.fromisoformat(row[index["date"]].strip()),
            region=row[index["region"]].strip(),
            product=row[index["product"]].strip(),
            units=int(row[index["units"]]),
            revenue=Decimal(row[index["revenue"]].strip()),
        ))
    return sales


def read_sales(text):
    return parse_rows(list(csv.reader(io.StringIO(text))))
