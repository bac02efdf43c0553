import pytest

from semverlite import InvalidVersion, Range, Version, max_satisfying, satisfies


def test_parse_and_str_round_trip():
    v = Version.parse("v1.4.0-rc.2+build.77")
    assert (v.major, v.minor, v.patch, v.pre, v.build) == (1, 4, 0, ("rc", "2"), ("build", "77"))
    assert str(v) == "1.4.0-rc.2+build.77"


def test_invalid_versions_rejected():
    for text in ("1.2", "01.2.3", "1.2.3-", "one.two.three"):
        with pytest.raises(InvalidVersion):
            Version.parse(text)


def test_precedence_order():
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
               "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0"]
    shuffled = sorted(ordered, key=lambda s: s[::-1])
    assert [str(v) for v in sorted(Version.parse(s) for s in shuffled)] == ordered


def test_build_metadata_ignored_in_equality():
    assert Version.parse("2.0.0+a") == Version.parse("2.0.0+b")


def test_caret_ranges():
    assert satisfies("1.9.4", "^1.2.3")
    assert not satisfies("1.2.2", "^1.2.3")
    assert not satisfies("2.0.0", "^1.2.3")
    assert satisfies("0.2.9", "^0.2.3") and not satisfies("0.3.0", "^0.2.3")


def test_tilde_ranges():
    assert satisfies("2.1.9", "~2.1.3")
    assert not satisfies("2.2.1", "~2.1.3")
    assert satisfies("3.7.0", "~3")


def test_x_ranges_and_exact():
    assert satisfies("1.4.7", "1.4.x")
    assert not satisfies("1.5.0", "1.4.x")
    assert satisfies("1.4.7", "1.4.7") and not satisfies("1.4.8", "1.4.7")


def test_union_of_alternatives():
    rng = Range(">=1.0.0 <1.2.0 || >=2.1.0")
    assert [rng.contains(v) for v in ("1.1.5", "1.3.0", "2.1.0")] == [True, False, True]


def test_prereleases_only_match_their_own_release():
    assert satisfies("1.3.0-beta.2", ">=1.3.0-beta.1 <1.4.0")
    assert not satisfies("1.3.1-alpha", ">=1.3.0-beta.1 <1.4.0")
    assert not satisfies("2.0.0-rc.1", "^1.2.3")


def test_max_satisfying():
    releases = ["1.2.0", "1.8.3", "1.10.0", "2.0.0", "2.0.1-beta"]
    assert max_satisfying(releases, "^1.2.0") == "1.10.0"
    assert max_satisfying(releases, "~1.8.0") == "1.8.3"
    assert max_satisfying(releases, ">=3.0.0") is None


def test_bump():
    assert str(Version.parse("1.4.2").bump("minor")) == "1.5.0"
    assert str(Version.parse("1.5.0-rc.1").bump("patch")) == "1.5.0"
