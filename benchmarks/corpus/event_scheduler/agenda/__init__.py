"""Calendars of timed events, including bookable rooms."""
