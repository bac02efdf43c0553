from datetime import datetime

import pytest

from cronlite import CronError, next_run, parse, upcoming


def test_parse_lists_ranges_and_steps():
    spec = parse("*/15 9-17 1,15 * mon-fri")
    assert spec.minutes == {0, 15, 30, 45}
    assert spec.hours == set(range(9, 18))
    assert spec.days == {1, 15}
    assert spec.weekdays == {1, 2, 3, 4, 5}


def test_names_and_sunday_as_seven():
    spec = parse("0 0 * jan,jul 7")
    assert spec.months == {1, 7}
    assert spec.weekdays == {0}


def test_step_from_a_start_value():
    assert parse("5/20 * * * *").minutes == {5, 25, 45}


@pytest.mark.parametrize("expression", ["* * * *", "60 * * * *", "0 0 32 * *", "5-1 * * * *", "*/0 * * * *",
                                        "0 0 * foo *"])
def test_invalid_expressions(expression):
    with pytest.raises(CronError):
        parse(expression)


def test_next_run_same_day():
    assert next_run("30 14 * * *", datetime(2025, 3, 10, 9, 5)) == datetime(2025, 3, 10, 14, 30)


def test_next_run_is_strictly_after():
    assert next_run("30 14 * * *", datetime(2025, 3, 10, 14, 30, 10)) == datetime(2025, 3, 11, 14, 30)


def test_hourly_alias_rolls_over_midnight():
    assert next_run("@hourly", datetime(2025, 12, 31, 23, 20)) == datetime(2026, 1, 1, 0, 0)


def test_weekdays_only():
    friday_evening = datetime(2025, 3, 14, 18, 0)
    assert next_run("0 9 * * mon-fri", friday_evening) == datetime(2025, 3, 17, 9, 0)


def test_day_of_month_or_weekday():
    # fires on the 13th and on every Friday
    runs = upcoming("0 12 13 * 5", datetime(2025, 6, 1), 3)
    assert runs == [datetime(2025, 6, 6, 12), datetime(2025, 6, 13, 12), datetime(2025, 6, 20, 12)]


def test_leap_day():
    assert next_run("0 0 29 2 *", datetime(2025, 3, 1)) == datetime(2028, 2, 29)


def test_upcoming_every_ten_minutes():
    runs = upcoming("*/10 8 * * *", datetime(2025, 5, 5, 8, 41), 3)
    assert runs == [datetime(2025, 5, 5, 8, 50), datetime(2025, 5, 6, 8, 0), datetime(2025, 5, 6, 8, 10)]
