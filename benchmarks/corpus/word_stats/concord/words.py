"""Splitting text into normalised words."""

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
STOPWORDS = frozenset("a an and are as at be by for from in is it of on or that the to was with".split())


def words(text, keep_stopwords=False):
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if keep_stopwords or word not in STOPWORDS:
            yield word
