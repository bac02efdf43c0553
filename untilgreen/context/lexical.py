"""Lexical match: the failure's words (exception, message, test name, the test's identifiers) against the
index with BM25."""

from __future__ import annotations

from collections.abc import Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.paths import is_test_path
from untilgreen.context.store import Store
from untilgreen.context.terms import words
from untilgreen.sandbox.results import Failure

MAX_TERMS = 64


def failure_terms(failures: Sequence[Failure], tests: Sequence[Chunk]) -> list[str]:
    """Most specific first: the message and exception, the test's name, then identifiers in its source."""
    texts = [f"{f.exc_type} {f.message}" for f in failures]
    texts += [t.symbol for t in tests] + [t.text for t in tests]
    return list(dict.fromkeys(w for text in texts for w in words(text)))[:MAX_TERMS]


def lexical_scores(store: Store, terms: Sequence[str]) -> dict[str, tuple[float, list[str]]]:
    """Non-test chunk id -> (BM25 normalised to 0..1, matched terms)."""
    hits = [
        (cid, score, matched)
        for cid, score, matched in store.search(terms, limit=100)
        if not is_test_path(cid.partition("::")[0])
    ]
    if not hits:
        return {}
    best = max(score for _, score, _ in hits)
    return {cid: (score / best, matched) for cid, score, matched in hits if score > 0}
