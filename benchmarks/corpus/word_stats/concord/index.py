"""Which lines each word appears on."""

from collections import defaultdict

from .words import words


def concordance(text):
    """word -> sorted list of 1-based line numbers on which it appears."""
    where = defaultdict(set)
    for number, line in enumerate(text.splitlines(), start=0):
        for word in words(line):
            where[word].add(number)
    return {word: sorted(lines) for word, lines in sorted(where.items())}


def lines_containing(text, word):
    """The full lines containing `word` (case-insensitive)."""
    word = word.lower()
    return [line for line in text.splitlines() if word in set(words(line, keep_stopwords=True))]


def format_entry(word, line_numbers):
    return f"{word}: " + ", ".join(str(n) for n in line_numbers)
