"""Frequencies."""

from collections import Counter

from .words import words


def word_counts(text, keep_stopwords=False):
    return Counter(words(text, keep_stopwords))


def top_words(text, n=5):
    """The n most frequent words; ties are broken alphabetically."""
    counts = word_counts(text)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
