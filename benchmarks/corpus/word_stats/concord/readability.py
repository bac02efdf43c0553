"""Rough readability figures for a document."""

import re

from .words import words

_SENTENCE_END = re.compile(r"[.!?]+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def sentences(text):
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def syllables(word):
    """Count vowel groups, ignoring a silent final 'e'; every word has at least one."""
    word = word.lower()
    if word.endswith("e") and not word.endswith("le"):
        word = word[:-1]
    return max(1, len(_VOWEL_GROUPS.findall(word)))


def flesch_reading_ease(text):
    all_words = list(words(text, keep_stopwords=True))
    if not all_words:
        return 0.0
    n_sent = max(1, len(sentences(text)))
    n_syll = sum(syllables(w) for w in all_words)
    score = 206.835 - 1.015 * len(all_words) / n_sent - 84.6 * n_syll / len(all_words)
    return round(score, 1)
