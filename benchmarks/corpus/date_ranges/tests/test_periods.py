from datetime import date

import pytest

from periods import BookingCalendar, Conflict, DateRange, parse_range


def d(text):
    return date.fromisoformat(text)


def test_length_is_inclusive():
    assert len(parse_range("2024-03-01..2024-03-07")) == 7
    assert len(parse_range("2024-03-01")) == 1


def test_reversed_range_rejected():
    with pytest.raises(ValueError):
        DateRange(d("2024-03-05"), d("2024-03-01"))


def test_disjoint_ranges():
    a = parse_range("2024-03-01..2024-03-04")
    b = parse_range("2024-03-05..2024-03-09")
    assert not a.overlaps(b)
    assert a.intersection(b) is None


def test_intersection_inside():
    a = parse_range("2024-03-01..2024-03-10")
    b = parse_range("2024-03-03..2024-03-05")
    assert a.intersection(b) == b


def test_guest_lookup():
    cal = BookingCalendar("room 12")
    cal.book(parse_range("2024-07-01..2024-07-03"), "Okafor")
    cal.book(parse_range("2024-07-10..2024-07-12"), "Lindqvist")
    assert cal.guest_on(d("2024-07-11")) == "Lindqvist"
    assert cal.guest_on(d("2024-07-05")) is None


def test_checkout_day_cannot_be_double_booked():
    cal = BookingCalendar("room 12")
    cal.book(parse_range("2024-07-01..2024-07-03"), "Okafor")
    with pytest.raises(Conflict):
        cal.book(parse_range("2024-07-03..2024-07-06"), "Lindqvist")


def test_occupancy():
    cal = BookingCalendar("room 3")
    cal.book(parse_range("2024-05-02..2024-05-04"), "Ng")
    assert cal.occupancy(parse_range("2024-05-01..2024-05-10")) == 0.3
