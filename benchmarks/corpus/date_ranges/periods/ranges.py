"""An inclusive range of calendar days."""

from datetime import date, timedelta


class DateRange:
    """All days from `start` to `end`, both included."""

    __slots__ = ("start", "end")

    def __init__(self, start: date, end: date):
        if end < start:
            raise ValueError(f"range ends before it starts: {start} > {end}")
        self.start = start
        self.end = end

    def __repr__(self):
        return f"DateRange({self.start.isoformat()}, {self.end.isoformat()})"

    def __eq__(self, other):
        return isinstance(other, DateRange) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self):
        return hash((self.start, self.end))

    def __len__(self):
        return (self.end - self.start).days + 1

    def __contains__(self, day):
        return self.start <= day <= self.end

    def days(self):
        """Iterate over every day of the range."""
        for offset in range(len(self)):
            yield self.start + timedelta(days=offset)

    def overlaps(self, other):
        """True if at least one day belongs to both ranges."""
        return self.start < other.end and other.start < self.end

    def intersection(self, other):
        if not self.overlaps(other):
            return None
        return DateRange(max(self.start, other.start), min(self.end, other.end))
