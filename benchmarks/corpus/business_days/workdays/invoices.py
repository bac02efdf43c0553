"""Due dates for invoices."""

from .calendar import add_business_days, roll_forward

TERMS = {"net10": 10, "net30": 30, "immediate": 0}


def due_date(issued, terms="net30", extra=()):
    """Calendar-day terms; a due date falling on a non-business day moves to the next one."""
    try:
        days = TERMS[terms]
    except KeyError:
        raise ValueError(f"unknown payment terms {terms!r}") from None
    from datetime import timedelta

    return roll_forward(issued + timedelta(days=days), extra)


def reminder_date(due, grace_business_days=3, extra=()):
    return add_business_days(due, grace_business_days, extra)
