"""Timed events."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Event:
    title: str
    start: datetime
    end: datetime
    organizer: str = ""

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError(f"{self.title!r} ends before it starts")

    @property
    def duration(self):
        return self.end - self.start

    @classmethod
    def lasting(cls, title, start, minutes, organizer=""):
        return cls(title, start, start + timedelta(minutes=minutes), organizer)
