"""A generic calendar; subclasses decide what to do with conflicts."""

from .events import Event


class Calendar:
    def __init__(self, name):
        self.name = name
        self._events = []

    def __len__(self):
        return len(self._events)

    def events(self):
        return sorted(self._events, key=lambda e: e.start)

    def conflicts(self, event: Event):
        """Existing events that overlap `event` (touching end-to-start is fine)."""
        return [
            other for other in self._events
            if other.start < event.start and event.start < other.end
        ]

    def add(self, event: Event):
        self._events.append(event)
        return event

    def free_slots(self, day_start, day_end):
        """Gaps between events inside [day_start, day_end)."""
        slots, cursor = [], day_start
        for event in self.events():
            if event.end <= day_start or event.start >= day_end:
                continue
            if event.start > cursor:
                slots.append((cursor, event.start))
            cursor = max(cursor, event.end)
        if cursor < day_end:
            slots.append((cursor, day_end))
        return slots
