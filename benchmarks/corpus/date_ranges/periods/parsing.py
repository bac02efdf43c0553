"""Parse ranges written as `YYYY-MM-DD..YYYY-MM-DD` or a single day."""

from datetime import date

from .ranges import DateRange


def parse_range(text):
    text = text.strip()
    if ".." in text:
        left, right = (part.strip() for part in text.split("..", 1))
        return DateRange(date.fromisoformat(left), date.fromisoformat(right))
    day = date.fromisoformat(text)
    return DateRange(day, day)
