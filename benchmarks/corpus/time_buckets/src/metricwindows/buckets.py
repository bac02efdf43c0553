"""Fixed windows aligned to an offset (e.g. hourly windows starting at :30)."""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, order=True)
class Window:
    start: datetime
    end: datetime

    def __contains__(self, moment):
        return self.start <= moment < self.end

    def label(self):
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_size(text):
    """'90s', '5m', '1h' -> timedelta."""
    units = {"s": "seconds", "m": "minutes", "h": "hours"}
    number, unit = text[:-1], text[-1]
    if unit not in units or not number.isdigit() or int(number) == 0:
        raise ValueError(f"bad window size {text!r}")
    return timedelta(**{units[unit]: int(number)})


def bucket_of(moment, size, offset=timedelta(0)):
    """The window of length `size` containing `moment`; windows start at EPOCH + offset + k * size."""
    since = moment - EPOCH - offset
    k = since // size
    start = EPOCH + k * size
    end = start + size + offset
    return Window(start, end)
