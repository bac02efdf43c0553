import math

import pytest

from telemetry import RingBuffer, RollingStats


def test_ring_keeps_newest():
    ring = RingBuffer(3)
    for v in range(5):
        ring.append(v)
    assert list(ring) == [2, 3, 4]


def test_ring_empty_latest():
    with pytest.raises(IndexError):
        RingBuffer(2).latest()


def test_mean_over_window():
    stats = RollingStats(3)
    for v in (10, 20, 30, 40):
        stats.add(v)
    assert stats.mean() == 30


def test_stdev():
    stats = RollingStats(4)
    for v in (2, 4, 4, 6):
        stats.add(v)
    assert stats.stdev() == pytest.approx(math.sqrt(8 / 3))


def test_trend_of_full_window():
    stats = RollingStats(3)
    for v in (5, 6, 9, 12):
        stats.add(v)
    assert stats.last() == 12
    assert stats.trend() == 1
