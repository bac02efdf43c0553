"""Parse interval lists written by people: '9-12, 13:30-17' (hours, minutes allowed)."""

import re

_PART = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$")


def _minutes(hours, minutes):
    value = int(hours) * 60 + int(minutes or 0)
    if value > 24 * 60:
        raise ValueError(f"time out of range: {hours}:{minutes or '00'}")
    return value


def parse_intervals(text):
    """Return (start, end) pairs in minutes since midnight, in the order written."""
    result = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _PART.match(part)
        if not match:
            raise ValueError(f"cannot read interval {part!r}")
        h1, m1, h2, m2 = match.groups()
        result.append((_minutes(h1, m1), _minutes(h2, m2)))
    return result
