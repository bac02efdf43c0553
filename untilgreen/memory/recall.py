"""Hybrid recall (vector + lexical) of fix cards, and the known-fix check that lets the loop replay one first.

Score of a stored signature against the query, in [0, 1] (1.0 for an identical signature): half embedding
cosine, a quarter shared identifiers (Jaccard), a quarter location (same deepest project function, else the
overlap of the function names). The location weighs this much because the same exception in another
function is another bug.
Candidates come from the quantized KNN (re-ranked on floats) and from an FTS5 AND-query over the query's
identifiers (exception type, function names), so an exact lexical match is found even if the coarse
prefilter missed it. `THRESHOLD` was set on the realistic pairs in tests/memory/test_recall.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from untilgreen.memory.embed import words
from untilgreen.memory.patch import PatchError, apply_diff
from untilgreen.memory.records import FixCard, Recollection
from untilgreen.memory.signature import Signature, query_signature
from untilgreen.memory.backend import Database, VectorIndex

THRESHOLD = 0.6
COSINE_WEIGHT = 0.5
LEXICAL_LIMIT = 32
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
_STOP = {"assert", "where", "and", "object", "the", "not", "for", "with", "error"}

CARD_COLUMNS = (
    "c.id, c.project, c.run_id, c.summary, c.root_cause, c.diff, c.files, c.symbols, c.verification, "
    "c.status, c.created, c.uses, c.origin, c.digest, s.text, s.exc_type, s.message, s.functions, s.digest"
)


def card_from_row(row: tuple[Any, ...]) -> FixCard:
    (cid, project, run_id, summary, root_cause, diff, files, symbols, verification, status, created, uses) = (
        row[:12]
    )
    origin, card_digest, text, exc_type, message, functions, digest = row[12:]
    sig = Signature(text, exc_type, message, tuple(json.loads(functions)), digest)
    return FixCard(
        signature=sig,
        diff=diff,
        project=project,
        summary=summary,
        root_cause=root_cause,
        files=tuple(json.loads(files)),
        symbols=tuple(json.loads(symbols)),
        verification=verification,
        status=status,
        run_id=run_id,
        id=cid,
        created=created,
        uses=uses,
        origin=origin,
        digest=card_digest,
    )


def lexical_terms(terms: list[str]) -> list[str]:
    """The identifier-like `terms` worth a lexical match (no stop words, no repeats)."""
    return [t for t in dict.fromkeys(terms) if _IDENT.fullmatch(t) and t.lower() not in _STOP]


def signature_terms(sig: Signature) -> list[str]:
    """The identifiers that pin a signature down: exception type and function names, else message words."""
    return (
        [sig.exc_type, *sig.functions] if sig.functions else [sig.exc_type, *_IDENT.findall(sig.message)[:6]]
    )


def score_candidates(
    db: Database, vectors: VectorIndex, sig: Signature, project: str | None, k: int, *, prefilter: bool = True
) -> dict[int, float]:
    """Hybrid score of the candidate signatures (by id) that have a fix card in scope."""
    query = vectors.query(sig.text)
    cosine = vectors.knn(query, k, project, prefilter=prefilter)
    lexical = db.lexical_hits(lexical_terms(signature_terms(sig)), project, True, LEXICAL_LIMIT)
    cosine.update(vectors.similarity(query, [i for i in lexical if i not in cosine]))
    if not cosine:
        return {}
    marks = ",".join("?" * len(cosine))
    rows = db.execute(
        f"SELECT id, text, functions FROM signatures WHERE id IN ({marks})", list(cosine)
    ).fetchall()
    return {
        sid: 1.0 if text == sig.text else similarity(sig, text, json.loads(fns), cosine[sid])
        for sid, text, fns in rows
    }


def similarity(query: Signature, text: str, functions: list[str], cosine: float) -> float:
    """Hybrid score: embedding cosine, shared identifiers, and the failure location (deepest function)."""
    query_idents, idents = identifiers(query.text), identifiers(text)
    lexical = _jaccard(query_idents, idents)
    if query.functions and functions:
        location = (
            1.0 if query.functions[-1] == functions[-1] else _jaccard(set(query.functions), set(functions))
        )
    else:
        location = lexical if not (query.functions or functions) else 0.0
    return COSINE_WEIGHT * max(cosine, 0.0) + (1 - COSINE_WEIGHT) / 2 * (lexical + location)


def identifiers(text: str) -> set[str]:
    return {w for w in words(text) if _IDENT.fullmatch(w) and w not in _STOP}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def recollect(
    db: Database,
    scores: dict[int, float],
    project: str | None,
    k: int,
    threshold: float,
    *,
    full: bool = False,
) -> list[Recollection]:
    """Fix cards of the signatures scoring at least `threshold`, best first.

    Cards from another project than `project` are reduced to their signature and diff unless `full`.
    """
    kept = {sig_id: s for sig_id, s in scores.items() if s >= threshold}
    if not kept:
        return []
    marks = ",".join("?" * len(kept))
    rows = db.execute(
        f"SELECT {CARD_COLUMNS}, c.signature_id FROM fix_cards c JOIN signatures s ON s.id = c.signature_id "
        f"WHERE c.signature_id IN ({marks}) AND c.status != 'rejected'",
        list(kept),
    ).fetchall()
    found: list[Recollection] = []
    for row in rows:
        card = card_from_row(row[:-1])
        same = project is None or card.project == project
        if not same and not full:
            card = FixCard(
                card.signature, card.diff, project="", files=card.files, id=card.id, created=card.created
            )
        where = f"this project (run {card.run_id})" if same and card.run_id else "this project"
        found.append(Recollection(card, round(kept[row[-1]], 4), same, where if same else "another project"))
    found.sort(key=lambda r: (-r.score, r.card.status != "accepted", -r.card.uses, -r.card.created))
    return found[:k]


def search_scores(db: Database, vectors: VectorIndex, text: str, k: int) -> dict[int, float]:
    """Free-text search, the query masked as signatures are: signatures like it; signatures whose message
    contains it (0.5, up to 0.9 as it covers the whole message); cards containing all its words (0.5)."""
    query = query_signature(text)
    scores = score_candidates(db, vectors, query, None, k)
    if re.search(r"\w", re.sub(r"<[A-Z]+>", "", query.message)):  # words, not only masked data
        pattern = "%" + re.sub(r"([%_\\])", r"\\\1", query.message) + "%"
        rows = db.execute(
            "SELECT id, message FROM signatures WHERE message LIKE ? ESCAPE '\\' ORDER BY length(message) LIMIT ?",
            (pattern, LEXICAL_LIMIT),
        ).fetchall()
        for sig_id, message in rows:
            covered = 0.5 + 0.4 * len(query.message) / max(len(message), 1)  # below a whole signature's 1.0
            scores[sig_id] = max(scores.get(sig_id, 0.0), covered)
    for sig_id in db.lexical_hits(lexical_terms(_IDENT.findall(text)), None, False, k):
        scores[sig_id] = max(scores.get(sig_id, 0.0), 0.5)
    return scores


def known_fix(
    recollections: list[Recollection], read_file: Callable[[str], str | None]
) -> list[tuple[Recollection, dict[str, str]]]:
    """The recollections whose diff applies cleanly to the current code, with the patched file texts."""
    applicable: list[tuple[Recollection, dict[str, str]]] = []
    for rec in recollections:
        try:
            applicable.append((rec, apply_diff(rec.card.diff, read_file)))
        except PatchError:
            continue
    return applicable
