"""Fiscal years that start on the first day of a configurable month."""

from datetime import date, timedelta


def fiscal_year(day, start_month=1):
    """The fiscal year a date belongs to, named after the calendar year in which it ends.

    With start_month=4, 2024-04-01 .. 2025-03-31 is fiscal year 2025.
    """
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month > start_month else day.year


def fiscal_bounds(year, start_month=1):
    """First and last day of a fiscal year."""
    if start_month == 1:
        return date(year, 1, 1), date(year, 12, 31)
    start = date(year - 1, start_month, 1)
    end = date(year, start_month, 1) - timedelta(days=1)
    return start, end
