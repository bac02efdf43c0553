"""Operator priors: the base prior, raised for the operators that fixed past failures (fix cards in memory).

A fix card names its operator in the text the loop stores with it (`builtin:<operator>`, the candidate's
source, in its summary, root cause or verification). Cards recalled from another project keep only their
signature and diff, so when the text names no operator it is read from the diff: the operator whose mutation of
the hunk's old lines gives its new lines. A card whose failure has the same exception type as the current one
counts double: recurring kinds of bugs are tried with the operator that fixed them before.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Iterable

from untilgreen.memory.records import FixCard
from untilgreen.models.builtin.mutate import mutants
from untilgreen.models.builtin.operators import BASE_PRIOR

SOURCE_PREFIX = "builtin:"
_OPERATOR = re.compile(re.escape(SOURCE_PREFIX) + r"([a-z][a-z-]*)")
_HUNK = re.compile(r"^@@ .* @@", re.MULTILINE)
LEARNING_RATE = 3.0  # an operator that fixed every remembered failure gets up to (1 + rate) times its prior


def operator_of(source: str) -> str | None:
    """The operator a candidate source or card text names (`builtin:comparison` -> `comparison`)."""
    match = _OPERATOR.search(source)
    return match.group(1) if match and match.group(1) in BASE_PRIOR else None


def operator_of_diff(diff: str) -> str | None:
    """The operator that turns the old side of a one-hunk diff into its new side, if one does."""
    hunks = _HUNK.split(diff)
    if len(hunks) != 2:
        return None
    old, new, changed = [], [], []
    for line in hunks[1].splitlines():
        tag, text = line[:1], line[1:]
        if tag in (" ", "-"):
            old.append(text)
            if tag == "-":
                changed.append(len(old))
        if tag in (" ", "+"):
            new.append(text)
    before, after = textwrap.dedent("\n".join(old) + "\n"), textwrap.dedent("\n".join(new) + "\n")
    lines = {("hunk.py", line): 1.0 for line in changed or range(1, len(old) + 1)}
    for mutant in mutants({"hunk.py": before}, lines):
        if mutant.mutation.apply(before).strip() == after.strip():
            return mutant.operator
    return None


def card_operator(card: FixCard) -> str | None:
    """The operator that made a card's fix: named in its text, else read from its diff."""
    return operator_of(" ".join((card.summary, card.root_cause, card.verification))) or operator_of_diff(card.diff)


def prior_from_cards(cards: Iterable[FixCard], exc_type: str = "",
                     base: dict[str, float] | None = None) -> dict[str, float]:
    """Operator -> weight: `base` (default BASE_PRIOR) scaled up by the share of cards each operator fixed."""
    base = dict(BASE_PRIOR if base is None else base)
    counts: Counter[str] = Counter()
    for card in cards:
        operator = card_operator(card)
        if operator is not None:
            counts[operator] += 2 if exc_type and card.signature.exc_type == exc_type else 1
    total = sum(counts.values())
    if not total:
        return base
    return {op: weight * (1 + LEARNING_RATE * counts[op] / total) for op, weight in base.items()}
