"""Overdue listing for the accounts team."""

from datetime import date

from .calendar import business_days_between
from .invoices import due_date


def overdue(invoices, today: date):
    """invoices: (number, issued, terms) -> [(number, business days overdue)], most overdue first."""
    rows = []
    for number, issued, terms in invoices:
        due = due_date(issued, terms)
        if due < today:
            rows.append((number, business_days_between(due, today)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def format_overdue(rows):
    if not rows:
        return "Nothing overdue."
    return "\n".join(f"{number}: {days} business day{'s' if days != 1 else ''} overdue" for number, days in rows)
