import pytest

from typeset.layout import boxed, justify, paragraph
from typeset.wrap import wrap

TEXT = "The quick brown fox jumps over the lazy dog near the riverbank"


def test_wrap_width():
    assert wrap(TEXT, 20) == ["The quick brown fox", "jumps over the lazy", "dog near the", "riverbank"]


def test_wrap_bad_width():
    with pytest.raises(ValueError):
        wrap("x", 0)


def test_justify():
    assert justify("a bb c", 10) == "a   bb   c"


def test_paragraph_last_line_ragged():
    assert paragraph(TEXT, 20)[-1] == "riverbank"
    assert all(len(line) == 20 for line in paragraph(TEXT, 20)[:-1])


def test_boxed():
    assert boxed("hello world", width=12, title="hi").splitlines() == [
        "+- hi -----+", "| hello    |", "| world    |", "+----------+"]


def test_long_url_is_hard_broken():
    assert wrap("see https://example.org/a/very/long/path", 12) == [
        "see https://", "example.org/", "a/very/long/", "path"]
