"""Split a sequence into numbered pages."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    number: int
    items: list
    total_pages: int

    @property
    def has_next(self):
        return self.number < self.total_pages

    @property
    def has_previous(self):
        return self.number > 1


class Paginator:
    """Pages are numbered from 1, `per_page` items each, the last one possibly shorter."""

    def __init__(self, items, per_page=10):
        if per_page < 1:
            raise ValueError("per_page must be at least 1")
        self._items = list(items)
        self.per_page = per_page

    @property
    def count(self):
        return len(self._items)

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.per_page))

    def validate(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise ValueError(f"page number must be an integer, not {number!r}") from None
        if number < 1 or number > self.num_pages:
            raise ValueError(f"page {number} out of range 1..{self.num_pages}")
        return number

    def page(self, number):
        number = self.validate(number)
        start = (number - 1) * self.per_page
        end = start + self.per_page - 1
        return Page(number, self._items[start:end], self.num_pages)

    def __iter__(self):
        for n in range(1, self.num_pages + 1):
            yield self.page(n)
