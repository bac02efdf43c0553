"""Lexical match: the failure's words (exception, message, test name, the test's identifiers) against the
index with BM25."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from untilgreen.context.model import Chunk
from untilgreen.context.paths import is_test_path
from untilgreen.context.store import Store
from untilgreen.context.terms import words
from untilgreen.sandbox.results import Failure

MAX_TERMS = 64


def message_terms(failures: Sequence[Failure]) -> list[str]:
    """Words of the exceptions and messages: what went wrong, in the program's own names."""
    return _terms(f"{f.exc_type} {f.message}" for f in failures)


def test_terms(tests: Sequence[Chunk]) -> list[str]:
    """Words of the failing tests' names, then of their source."""
    return _terms([t.symbol for t in tests] + [t.text for t in tests])


def _terms(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(w for text in texts for w in words(text)))[:MAX_TERMS]


def lexical_scores(store: Store, terms: Sequence[str]) -> dict[str, tuple[float, list[str], str]]:
    """Non-test chunk id -> (BM25 normalised to 0..1, matched terms, chunk kind)."""
    hits = [hit for hit in store.search(terms, limit=100) if not is_test_path(hit[0].partition("::")[0])]
    if not hits:
        return {}
    best = max(hit[1] for hit in hits)
    return {cid: (score / best, matched, kind) for cid, score, matched, kind in hits if score > 0}
