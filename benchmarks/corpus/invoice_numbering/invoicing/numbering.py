"""Formatting and parsing of invoice numbers such as INV-2025-00042 or CN-2025-00003."""

import re

from .fiscal import fiscal_year
from .sequence import SequenceStore

_NUMBER = re.compile(r"^([A-Z]{2,4})-(\d{4})-(\d+)$")


class InvoiceNumberer:
    def __init__(self, fiscal_start_month=1, width=5, store=None):
        if not 1 <= fiscal_start_month <= 12:
            raise ValueError("fiscal_start_month must be 1..12")
        self.fiscal_start_month = fiscal_start_month
        self.width = width
        self.store = store or SequenceStore()

    def _key(self, series, issued_on):
        return (series, fiscal_year(issued_on, self.fiscal_start_month))

    def format(self, series, year, seq):
        return f"{series}-{year}-{seq:0{self.width}d}"

    def issue(self, series, issued_on):
        key = self._key(series, issued_on)
        return self.format(series, key[1], self.store.next(key))

    def preview(self, series, issued_on):
        key = self._key(series, issued_on)
        return self.format(series, key[1], self.store.peek(key))

    def void(self, number):
        series, year, seq = parse_number(number)
        self.store.void((series, year), seq)

    def issued(self, series, year):
        return [self.format(series, year, n) for n in self.store.issued((series, year))]


def parse_number(number):
    match = _NUMBER.match(number)
    if not match:
        raise ValueError(f"not an invoice number: {number!r}")
    series, year, seq = match.groups()
    return series, int(year), int(seq)
