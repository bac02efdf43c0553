"""`BuiltinRepairer`: offline repair by spectrum-based localization and a fast, sandboxed mutation search."""

from __future__ import annotations

import difflib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from untilgreen.context.paths import is_test_path
from untilgreen.models.base import Candidate, FileWrite, RepairRequest, Usage
from untilgreen.models.builtin.explain import search_json, search_sentence
from untilgreen.models.builtin.localize import suspiciousness
from untilgreen.models.builtin.mutate import Mutant, mutants
from untilgreen.models.builtin.priors import SOURCE_PREFIX, prior_from_recollections
from untilgreen.models.builtin.search import Found, Search, SearchStats
from untilgreen.sandbox.testrun import RunnerConfig

if TYPE_CHECKING:
    from untilgreen.settings import Settings

MAX_FILES = 400  # project files read for the attribute vocabulary
_UNKNOWN_PRIOR = 0.1


def rank(found: Sequence[Mutant], prior: dict[str, float]) -> list[Mutant]:
    """Most promising first: line suspiciousness x operator prior x the operator's own weight (stable)."""
    return sorted(
        found, key=lambda m: -m.suspiciousness * prior.get(m.operator, _UNKNOWN_PRIOR) * m.mutation.weight
    )


@dataclass
class BuiltinRepairer:
    """The `builtin` repairer. The fix cards memory recalled for the failure (the request's recollections) shape
    the operator prior. `stats` describes the last search."""

    config: RunnerConfig
    workers: int = 0  # 0: one per CPU, at most 4
    prior: dict[str, float] | None = None  # fixed prior (benchmarks); None: learned from the recollections
    name: str = "builtin"
    stats: SearchStats | None = None
    cold_reason: str = ""  # why warm workers gave no verdict on this project: later searches run cold at once

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> BuiltinRepairer:
        return cls(RunnerConfig.from_settings(settings), **options)

    def propose(self, request: RepairRequest) -> list[Candidate]:
        started = time.monotonic()
        self.stats = SearchStats()
        if not request.targets:
            return []  # nothing fails: a goal without tests gives the search nothing to aim at
        workspace = request.workspace
        scores = suspiciousness(request.report, request.targets, request.failures)
        originals = {path: workspace.read(path) for path in _project_files(workspace.files())}
        prior = self.prior or prior_from_recollections(request.recollections)
        tried = {_changed_lines(attempt.diff) for attempt in request.attempts}
        ranked = rank(mutants(originals, scores), prior)
        with workspace.fork() as shadow:
            search = Search(
                shadow,
                self.config,
                request.report,
                request.targets,
                workers=self._workers(),
                deadline=started + request.time_budget_s,
                cancel=request.cancel,
                cold_reason=self.cold_reason,
                notify=request.notify,
            )
            self.stats = search.stats
            try:
                found = search.run(ranked, originals, wanted=max(1, request.candidates) + len(tried))
            finally:
                self.cold_reason = search.cold_reason
        fresh = [f for f in found if _changed_lines(text_diff(originals[f.mutant.path], f.text)) not in tried]
        return [self._candidate(f, originals, started) for f in fresh[: max(1, request.candidates)]]

    def summary(self, next_repairer: str = "") -> tuple[str, dict[str, Any]] | None:
        """What the last search did, as a sentence and as JSON (see `explain`), or None before any search;
        `next_repairer`: the repairer the run asks next (the sentence says so instead of what to try)."""
        if self.stats is None:
            return None
        numbers = search_json(self.stats, self.cold_reason)
        return search_sentence(numbers, next_repairer), numbers

    def _workers(self) -> int:
        return self.workers or max(1, min(4, os.cpu_count() or 1))

    @staticmethod
    def _candidate(found: Found, originals: dict[str, str], started: float) -> Candidate:
        mutant = found.mutant
        line = originals[mutant.path].splitlines()[mutant.mutation.line - 1].strip()
        explanation = (
            f"{SOURCE_PREFIX}{mutant.operator} at {mutant.path}:{mutant.mutation.line} (`{line}`), "
            f"found after {found.tried} candidates"
        )
        return Candidate(
            edits=[FileWrite(mutant.path, found.text)],
            source=f"{SOURCE_PREFIX}{mutant.operator}",
            explanation=explanation,
            usage=Usage(duration_s=time.monotonic() - started),
        )


def _project_files(files: Sequence[str]) -> list[str]:
    return [f for f in files if f.endswith(".py") and not is_test_path(f)][:MAX_FILES]


def text_diff(before: str, after: str) -> str:
    """A unified diff of one file's two texts (no file names), as the loop stores it in fix cards."""
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True)))


def _changed_lines(diff: str) -> tuple[str, ...]:
    """What a diff removes and adds, without headers and context: earlier attempts are compared on this."""
    return tuple(
        line.rstrip("\n")
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )
