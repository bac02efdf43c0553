from datetime import datetime, timedelta, timezone

import pytest

from metricwindows import bucket_of, rollup
from metricwindows.buckets import parse_size
from metricwindows.rollup import fill_gaps, render


def t(h, m, s=0):
    return datetime(2024, 6, 1, h, m, s, tzinfo=timezone.utc)


def test_parse_size():
    assert parse_size("90s") == timedelta(seconds=90)
    with pytest.raises(ValueError):
        parse_size("0m")


def test_aligned_bucket():
    w = bucket_of(t(10, 7, 30), timedelta(minutes=5))
    assert (w.start, w.end) == (t(10, 5), t(10, 10))


def test_rollup_counts():
    samples = [(t(10, 1), 2.0), (t(10, 4), 4.0), (t(10, 6), 9.0)]
    rows = rollup(samples, "5m")
    assert [(r[0].label(), r[1], r[2], r[3]) for r in rows] == [("10:00-10:05", 2, 3.0, 4.0), ("10:05-10:10", 1, 9.0, 9.0)]


def test_offset_bucket_contains_moment():
    moment = t(10, 10)
    w = bucket_of(moment, timedelta(hours=1), offset=timedelta(minutes=30))
    assert moment in w
    assert w.label() == "09:30-10:30"


def test_render():
    rows = rollup([(t(8, 0), 1.0)], "1h")
    assert render(rows) == "08:00-09:00  n=1   mean=1.0      max=1.0"


def test_fill_gaps():
    rows = rollup([(t(9, 0), 1.0), (t(9, 16), 3.0)], "5m")
    assert [r[1] for r in fill_gaps(rows, "5m")] == [1, 0, 0, 1]
