"""Operator priors: the base prior, raised for the operators that fixed past failures (fix cards in memory).

A fix card names the operator in the text the loop stores with it (`builtin:<operator>`, the candidate's
source, in its summary, root cause or verification). A card whose failure has the same exception type as the
current one counts double: recurring kinds of bugs are tried with the operator that fixed them before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from untilgreen.memory.records import FixCard
from untilgreen.models.builtin.operators import BASE_PRIOR

SOURCE_PREFIX = "builtin:"
_OPERATOR = re.compile(re.escape(SOURCE_PREFIX) + r"([a-z][a-z-]*)")
LEARNING_RATE = 3.0  # an operator that fixed every remembered failure gets up to (1 + rate) times its prior


def operator_of(source: str) -> str | None:
    """The operator a candidate source or card text names (`builtin:comparison` -> `comparison`)."""
    match = _OPERATOR.search(source)
    return match.group(1) if match and match.group(1) in BASE_PRIOR else None


def prior_from_cards(cards: Iterable[FixCard], exc_type: str = "",
                     base: dict[str, float] | None = None) -> dict[str, float]:
    """Operator -> weight: `base` (default BASE_PRIOR) scaled up by the share of cards each operator fixed."""
    base = dict(BASE_PRIOR if base is None else base)
    counts: Counter[str] = Counter()
    for card in cards:
        operator = operator_of(" ".join((card.summary, card.root_cause, card.verification)))
        if operator is not None:
            counts[operator] += 2 if exc_type and card.signature.exc_type == exc_type else 1
    total = sum(counts.values())
    if not total:
        return base
    return {op: weight * (1 + LEARNING_RATE * counts[op] / total) for op, weight in base.items()}
