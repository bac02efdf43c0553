import pytest

from bisect_builds.builds import parse_builds
from bisect_builds.search import NoFailure, culprit_range, first_bad, first_failing_build

ROWS = ["104 c0ffee1 passed", "101 aaa0001 passed", "102 bbb0002 skipped", "103 ccc0003 passed",
        "105 ddd0004 failed", "106 eee0005 failed"]


def test_parse_sorts():
    assert [b.number for b in parse_builds(ROWS)] == [101, 102, 103, 104, 105, 106]


def test_first_bad_when_first_is_bad():
    assert first_bad([5, 6, 7], lambda x: True) == 0


def test_first_bad_empty():
    assert first_bad([], lambda x: True) == 0


def test_all_passed():
    with pytest.raises(NoFailure):
        first_failing_build(parse_builds(["1 a passed"]))


def test_first_failing_build():
    assert first_failing_build(parse_builds(ROWS)).number == 105


def test_culprit_range():
    assert culprit_range(parse_builds(ROWS)) == ("c0ffee1", "ddd0004")


def test_compare_url():
    from bisect_builds.report import compare_url

    assert compare_url("https://git.example/app", "a1", "b2") == "https://git.example/app/compare/a1...b2"
    assert compare_url("https://git.example/app", None, "b2") == "https://git.example/app/commit/b2"
