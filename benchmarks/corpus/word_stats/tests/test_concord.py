from concord import concordance, lines_containing, top_words, word_counts
from concord.index import format_entry
from concord.readability import flesch_reading_ease, sentences, syllables

POEM = """The fog comes
on little cat feet.
It sits looking
over harbor and city
on silent haunches
and then moves on."""


def test_counts_skip_stopwords():
    counts = word_counts(POEM)
    assert "the" not in counts and counts["fog"] == 1


def test_top_words():
    assert top_words("b a b c a b") == [("b", 3), ("c", 1)]


def test_lines_containing():
    assert lines_containing(POEM, "ON") == ["on little cat feet.", "on silent haunches", "and then moves on."]


def test_readability():
    assert syllables("little") == 2 and syllables("fog") == 1
    assert len(sentences("One. Two! Three?")) == 3
    assert flesch_reading_ease("The cat sat.") == 119.2


def test_format_entry():
    assert format_entry("cat", [2, 9]) == "cat: 2, 9"


def test_concordance_line_numbers():
    index = concordance(POEM)
    assert index["fog"] == [1]
    assert index["cat"] == [2]
    assert index["moves"] == [6]
