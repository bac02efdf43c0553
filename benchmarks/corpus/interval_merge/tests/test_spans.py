import pytest

from spans import coverage, gaps, merge, total_length
from spans.gaps import format_span


def test_merge_nothing():
    assert merge([]) == []


def test_merge_overlapping_and_touching():
    assert merge([(5, 8), (1, 3), (2, 4), (8, 9)]) == [(1, 4), (5, 9)]


def test_reversed_interval():
    with pytest.raises(ValueError):
        merge([(3, 1)])


def test_total_length():
    assert total_length([(0, 10), (5, 15), (20, 25)]) == 20


def test_gaps():
    assert gaps([(2, 4), (6, 7)], 0, 10) == [(0, 2), (4, 6), (7, 10)]


def test_coverage():
    assert coverage([(0, 5), (8, 20)], 0, 10) == 0.7


def test_format():
    assert format_span((1, 2)) == "[1, 2)"


def test_parse_intervals():
    from spans.parse import parse_intervals

    assert parse_intervals("9-12, 13:30-17") == [(540, 720), (810, 1020)]
    with pytest.raises(ValueError):
        parse_intervals("noon-ish")
