"""Choosing among an attempt's candidates: targets pass, then fewest regressions, then the smallest diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from untilgreen.agent.changes import Changes, changed_line_count

_RANK = {"green": 0, "regression": 1}  # the targets pass; every other outcome ranks after these


class Judged(Protocol):
    @property
    def outcome(self) -> str: ...

    @property
    def regressions(self) -> list[str]: ...

    @property
    def changes(self) -> Changes: ...


J = TypeVar("J", bound=Judged)


def size(changes: Changes) -> int:
    return sum(changed_line_count(before, after) for before, after in changes.values())


def best(judged: Sequence[J]) -> J | None:
    """The best candidate whose targets pass (green or with regressions), None when no candidate's do."""
    ranked = sorted(
        (j for j in judged if j.outcome in _RANK),
        key=lambda j: (_RANK[j.outcome], len(j.regressions), size(j.changes)),
    )
    return ranked[0] if ranked else None
