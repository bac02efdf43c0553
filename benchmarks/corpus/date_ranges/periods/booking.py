"""A calendar of non-overlapping bookings for one resource."""

from .ranges import DateRange


class Conflict(Exception):
    """The requested range overlaps an existing booking."""

    def __init__(self, requested, existing):
        super().__init__(f"{requested} overlaps booking {existing}")
        self.requested = requested
        self.existing = existing


class BookingCalendar:
    def __init__(self, resource):
        self.resource = resource
        self._bookings = []  # list of (DateRange, guest)

    def book(self, span: DateRange, guest: str):
        for existing, _ in self._bookings:
            if span.overlaps(existing):
                raise Conflict(span, existing)
        self._bookings.append((span, guest))
        self._bookings.sort(key=lambda b: b[0].start)

    def guest_on(self, day):
        for span, guest in self._bookings:
            if day in span:
                return guest
        return None

    def occupancy(self, window: DateRange):
        """Share of days in `window` that are booked, rounded to 2 places."""
        booked = 0
        for span, _ in self._bookings:
            common = span.intersection(window)
            if common is not None:
                booked += len(common)
        return round(booked / len(window), 2)
