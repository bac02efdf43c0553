"""Identifiers and the words inside them, shared by the lexical index and the reference finder."""

from __future__ import annotations

import keyword
import re
from functools import lru_cache

_IDENTIFIER = re.compile(r"[^\W\d]\w*")
_SUBWORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Words that match everywhere and so say nothing about where a bug is.
STOPWORDS = frozenset(keyword.kwlist) | {
    "self",
    "cls",
    "assert",
    "test",
    "tests",
    "none",
    "true",
    "false",
    "int",
    "str",
    "float",
    "bool",
    "list",
    "dict",
    "set",
    "tuple",
    "len",
    "range",
    "print",
    "isinstance",
    "return",
    "error",
    "the",
    "and",
    "not",
    "for",
    "with",
    "from",
    "import",
    "function",
    "const",
    "let",
    "var",
    "this",
    "new",
    "def",
    "class",
    "at",
    "to",
    "of",
    "on",
    "by",
    "be",
    "it",
    "an",
    "where",
    "but",
    "got",
    "expected",
}


def identifiers(text: str) -> list[str]:
    """Identifiers in order of appearance (repeats kept)."""
    return _IDENTIFIER.findall(text)


def subwords(identifier: str) -> list[str]:
    """`reorderNeeded` / `reorder_needed` -> [`reorder`, `needed`], lowercased."""
    return [w.lower() for w in _SUBWORD.findall(identifier)]


@lru_cache(maxsize=1 << 16)
def identifier_words(identifier: str) -> tuple[str, ...]:
    """The identifier lowercased, then its subwords when it has several; stopwords and single letters dropped."""
    if identifier.isalpha() and (
        identifier[1:].islower() or identifier.isupper()
    ):  # one word: the common case
        lower = identifier.lower()
        return (lower,) if len(lower) > 1 and lower not in STOPWORDS else ()
    parts = subwords(identifier)
    candidates = [identifier.lower(), *parts] if len(parts) > 1 else [identifier.lower()]
    return tuple(w for w in candidates if len(w) > 1 and w not in STOPWORDS)


def words(text: str) -> list[str]:
    """Lowercased identifiers and their subwords (for full-text indexing), stopwords dropped."""
    return [word for ident in _IDENTIFIER.findall(text) for word in identifier_words(ident)]
