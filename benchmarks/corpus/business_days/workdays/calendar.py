"""Rolling dates to business days and adding business days."""

from datetime import timedelta

from .holidays import is_business_day

ONE_DAY = timedelta(days=1)


def roll_forward(day, extra=()):
    """The first business day on or after `day`."""
    while not is_business_day(day, extra):
        day + ONE_DAY
    return day


def add_business_days(day, n, extra=()):
    """`n` business days after `day` (n >= 0); the result is always a business day."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = roll_forward(day, extra)
    while n:
        day += ONE_DAY
        if is_business_day(day, extra):
            n -= 1
    return day


def business_days_between(start, end, extra=()):
    """Business days in [start, end)."""
    count, day = 0, start
    while day < end:
        count += is_business_day(day, extra)
        day += ONE_DAY
    return count
