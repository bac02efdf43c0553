"""Clock faces traditionally write four as IIII."""

from .roman import to_roman


def clock_numeral(hour, watchmaker_four=True):
    if not 1 <= hour <= 12:
        raise ValueError("clock hours run from 1 to 12")
    if hour == 4 and watchmaker_four:
        return "IIII"
    return to_roman(hour)


def clock_face(watchmaker_four=True):
    """The twelve numerals starting from XII at the top, clockwise."""
    hours = [12] + list(range(1, 12))
    return [clock_numeral(h, watchmaker_four) for h in hours]
