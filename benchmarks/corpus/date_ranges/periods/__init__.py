"""Inclusive date ranges and a booking calendar built on them."""

from .ranges import DateRange
from .booking import BookingCalendar, Conflict
from .parsing import parse_range

__all__ = ["DateRange", "BookingCalendar", "Conflict", "parse_range"]
