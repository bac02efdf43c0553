import pytest

from numerals.chapters import heading, parse_heading, renumber
from numerals.roman import from_roman, to_roman


@pytest.mark.parametrize("n, text", [(1, "I"), (8, "VIII"), (14, "XIV"), (1994, "MCMXCIV"), (3999, "MMMCMXCIX")])
def test_to_roman(n, text):
    assert to_roman(n) == text


def test_from_roman_additive():
    assert from_roman("MMXXIII") == 2023
    assert from_roman(" viii ") == 8


def test_from_roman_subtractive():
    assert from_roman("XIV") == 14
    assert from_roman("MCMXCIV") == 1994


def test_invalid():
    with pytest.raises(ValueError):
        from_roman("IIII")


def test_heading():
    assert heading(12, "The Storm") == "Chapter XII: The Storm"


def test_renumber():
    lines = ["Chapter IV: Arrival", "text", "Chapter IX: Departure"]
    assert renumber(lines) == ["Chapter I: Arrival", "text", "Chapter II: Departure"]


def test_clock_face():
    from numerals.clock import clock_face

    face = clock_face()
    assert face[0] == "XII" and face[4] == "IIII"
    assert clock_face(watchmaker_four=False)[4] == "IV"
