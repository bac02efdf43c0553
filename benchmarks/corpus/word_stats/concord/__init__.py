"""Word frequencies and a line concordance for plain-text documents."""

from .counting import top_words, word_counts
from .index import concordance, lines_containing
from .readability import flesch_reading_ease

__all__ = ["concordance", "flesch_reading_ease", "lines_containing", "top_words", "word_counts"]
