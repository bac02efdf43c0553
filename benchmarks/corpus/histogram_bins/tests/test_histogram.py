import pytest

from binning import Histogram, linear_edges, quantile_edges

AGES = [23, 35, 41, 19, 52, 38, 44, 29, 61, 33]


def test_linear_edges():
    assert linear_edges(0, 10, 4) == [0, 2.5, 5.0, 7.5, 10]


def test_quantile_edges():
    assert quantile_edges(range(100), 4) == [0, 25, 50, 75, 99]


def test_bad_edges():
    with pytest.raises(ValueError):
        Histogram([3, 1, 2])


def test_outliers_only():
    h = Histogram([0, 10]).fill([-5, 11, 99])
    assert h.outliers == 3 and h.counts == [0]


def test_counts():
    h = Histogram(linear_edges(0, 80, 4)).fill(AGES)
    assert h.counts == [1, 5, 3, 1]
    assert h.mode_bin() == (20.0, 40.0)


def test_cumulative():
    h = Histogram([0, 50, 100]).fill([10, 60, 70, 100])
    assert h.cumulative() == [1, 4]
    assert h.total == 4
