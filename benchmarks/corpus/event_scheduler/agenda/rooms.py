"""Meeting rooms: a calendar that refuses double bookings."""

from .calendar import Calendar


class DoubleBooking(Exception):
    pass


class RoomCalendar(Calendar):
    def __init__(self, name, capacity):
        super().__init__(name)
        self.capacity = capacity

    def add(self, event, attendees=1):
        if attendees > self.capacity:
            raise ValueError(f"{self.name} seats {self.capacity}, not {attendees}")
        clashes = self.conflicts(event)
        if clashes:
            raise DoubleBooking(f"{event.title!r} clashes with {clashes[0].title!r}")
        return super().add(event)
