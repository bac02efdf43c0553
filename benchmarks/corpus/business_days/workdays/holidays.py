"""Fixed-date public holidays (a simplified calendar)."""

from datetime import date

FIXED = [(1, 1), (5, 1), (10, 3), (12, 25), (12, 26)]


def holidays(year):
    return {date(year, month, day) for month, day in FIXED}


def is_business_day(day, extra=()):
    return day.weekday() < 5 and day not in holidays(day.year) and day not in extra
