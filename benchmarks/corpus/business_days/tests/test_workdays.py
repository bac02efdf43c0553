from datetime import date

import pytest

from workdays.calendar import business_days_between, roll_forward
from workdays.holidays import is_business_day
from workdays.invoices import due_date


def test_weekday_is_business_day():
    assert is_business_day(date(2024, 3, 13))
    assert not is_business_day(date(2024, 12, 25))


def test_roll_forward_keeps_business_day():
    assert roll_forward(date(2024, 3, 13)) == date(2024, 3, 13)


def test_count_between():
    assert business_days_between(date(2024, 3, 11), date(2024, 3, 25)) == 10


def test_unknown_terms():
    with pytest.raises(ValueError):
        due_date(date(2024, 3, 1), "net999")


def test_due_date_on_a_weekday():
    assert due_date(date(2024, 3, 1), "net10") == date(2024, 3, 11)


def test_due_date_on_saturday_moves_to_monday():
    assert due_date(date(2024, 3, 6), "net10") == date(2024, 3, 18)


def test_format_overdue():
    from workdays.report import format_overdue

    assert format_overdue([]) == "Nothing overdue."
    assert format_overdue([("INV-7", 3), ("INV-2", 1)]) == "INV-7: 3 business days overdue\nINV-2: 1 business day overdue"
