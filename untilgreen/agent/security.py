"""The security review: ruff's flake8-bandit rules (`S`) on a patch, compared with the baseline as the lint guard
compares, by (code, message) counts, so findings the code already had and shifted lines never count.

A finding is not a verdict: by default the patch still wins and its findings are shown with the attempt, the final
diff, `fix --json` and the editor's confirmation. With `review.refuse_security` the attempt refuses such a candidate
and the run goes on to the others.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from untilgreen.agent.lint import new_problems, ruff
from untilgreen.protocol import Finding

SECURITY_RULES = "S"
# S101 (`assert` used): how pytest tests check, and goal mode writes tests; in a patch it is no security finding.
NOT_REVIEWED = frozenset({"S101"})


def new_findings(changes: Mapping[str, tuple[str | None, str | None]]) -> list[Finding]:
    """The security findings of the patched Python files that their baseline text did not have."""
    return new_problems(changes, findings)


@functools.lru_cache(maxsize=256)
def findings(path: str, text: str) -> tuple[Finding, ...]:
    """The `S` findings of one text (a text ruff cannot parse has none: the lint guard refuses it)."""
    return tuple(
        f
        for f in ruff(path, text, SECURITY_RULES)
        if f.code.startswith("S") and f.code[1:].isdigit() and f.code not in NOT_REVIEWED
    )


def refusal(found: list[Finding]) -> str:
    """The detail of a candidate refused for its findings (the repairer reads it)."""
    shown = "; ".join(map(str, found[:5])) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
    return (
        "Refused: the patch adds security findings (review.refuse_security is on): "
        f"{shown}. Fix the tests without them."
    )
