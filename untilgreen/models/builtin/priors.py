"""Operator priors: the base prior, updated by the operators that fixed similar past failures.

The cards are the ones memory recalls for the current failure's signature, so the prior depends on the kind of
failure: recurring kinds of bugs are tried with the operator that fixed them before. The update is a posterior
mean: the base prior counts as `PSEUDO_CARDS` cards, each recalled card as one card weighted by its similarity,
so a few cards move the prior without swamping it.

A fix card names its operator in the text the loop stores with it (`builtin:<operator>`, the candidate's
source, in its summary, root cause or verification). Cards recalled from another project keep only their
signature and diff, so when the text names no operator it is read from the diff: the operator whose mutation of
the hunk's old lines gives its new lines.
"""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable

from untilgreen.memory.records import FixCard, Recollection
from untilgreen.models.builtin.mutate import mutants
from untilgreen.models.builtin.operators import BASE_PRIOR

SOURCE_PREFIX = "builtin:"
_OPERATOR = re.compile(re.escape(SOURCE_PREFIX) + r"([a-z][a-z-]*)")
_HUNK = re.compile(r"^@@ .* @@", re.MULTILINE)
# One recalled card of weight 1 gives a top operator ~1.8x its base weight, three ~3.2x. Chosen on the corpus
# with the benchmark's halves swapped: no value helped there, and smaller ones cost more candidates.
PSEUDO_CARDS = 16.0


def operator_of(source: str) -> str | None:
    """The operator a candidate source or card text names (`builtin:comparison` -> `comparison`)."""
    match = _OPERATOR.search(source)
    return match.group(1) if match and match.group(1) in BASE_PRIOR else None


def operator_of_diff(diff: str) -> str | None:
    """The operator that turns the old side of a one-hunk diff into its new side, if one does. The hunk's
    context can cut a block (it starts or ends at any depth), so the piece read is the changed lines with the
    context around them that is indented at least as deep, else the changed lines alone."""
    hunks = _HUNK.split(diff)
    if len(hunks) != 2:
        return None
    lines = hunks[1].splitlines()
    changed = [i for i, line in enumerate(lines) if line[:1] in "+-"]
    if not changed:
        return None
    return _operator_of_lines(_block(lines, changed)) or _operator_of_lines([lines[i] for i in changed])


def _block(lines: list[str], changed: list[int]) -> list[str]:
    depth = min((_indent(lines[i][1:]) for i in changed if lines[i][1:].strip()), default=0)

    def inside(line: str) -> bool:
        return not line[1:].strip() or _indent(line[1:]) >= depth

    start, end = changed[0], changed[-1] + 1
    while start > 0 and inside(lines[start - 1]):
        start -= 1
    while end < len(lines) and inside(lines[end]):
        end += 1
    return lines[start:end]


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _operator_of_lines(tagged: list[str]) -> str | None:
    old, new, changed = [], [], []
    for line in tagged:
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
    return operator_of(" ".join((card.summary, card.root_cause, card.verification))) or operator_of_diff(
        card.diff
    )


def prior_from_recollections(
    recollections: Iterable[Recollection], base: dict[str, float] | None = None
) -> dict[str, float]:
    """Operator -> weight: the posterior mean of which operator fixes this kind of failure, on `base`'s scale
    (default BASE_PRIOR); `base` itself when no recalled card names an operator."""
    base = dict(BASE_PRIOR if base is None else base)
    counts: defaultdict[str, float] = defaultdict(float)
    for recollection in recollections:
        operator = card_operator(recollection.card)
        if operator in base:
            counts[operator] += recollection.score
    cards = sum(counts.values())
    if not cards:
        return base
    total = sum(base.values())
    return {
        op: total * (PSEUDO_CARDS * weight / total + counts[op]) / (PSEUDO_CARDS + cards)
        for op, weight in base.items()
    }
