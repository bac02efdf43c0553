"""Validate ranked mutants in parallel workers: the failing targets first (most mutants stop there), then the
whole suite; a candidate is plausible when the targets pass and no test that passed at baseline fails.

The first plausible patch is not always the simplest (a statement rewrite can rank above a one-character fix
on the same line), so the search goes on for a short grace — at most `GRACE_CANDIDATES` more candidates and
`GRACE_S` seconds after the first plausible one, plus those already in flight — and returns the smallest patches
it found (fewest lines touched, then characters, then earliest).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from untilgreen.errors import Cancelled
from untilgreen.models.builtin.mutate import Mutant
from untilgreen.models.builtin.source import parses
from untilgreen.models.builtin.validate import FileVersion, Verdict, WarmWorker, cold_verdict
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.session import SessionClosed
from untilgreen.sandbox.testrun import RunnerConfig
from untilgreen.sandbox.workspace import Workspace

TIME_MULTIPLE = 10.0  # a candidate may take this many times the baseline time of the same tests
TARGET_FLOOR_S = 2.0
SUITE_FLOOR_S = 5.0
# The grace after the first plausible patch: its neighbours in rank (other operators on its lines), about what
# two warm workers validate in the time window; on the corpus a 1 s window added ~1 s (~10%) to each fix.
GRACE_CANDIDATES = 6
GRACE_S = 0.5


class Validator(Protocol):
    def run(self, candidate: FileVersion | None, tests: Sequence[str], *, timeout_s: float, test_timeout_s: float,
            cancel: threading.Event | None = None) -> Verdict: ...

    def close(self) -> None: ...


@dataclass
class ColdValidator:
    """A fresh `run_tests` per candidate: for a custom test command, where no warm worker can run pytest.

    A cold run includes the interpreter's start-up, so the baseline-based timeouts do not fit it: it keeps the
    configured limit, cut at the search's deadline."""

    workspace: Workspace
    config: RunnerConfig
    deadline: float

    def run(self, candidate: FileVersion | None, tests: Sequence[str], *, timeout_s: float, test_timeout_s: float,
            cancel: threading.Event | None = None) -> Verdict:
        limit = _until(self.deadline, self.config.limits.timeout_s)
        config = replace(self.config, limits=replace(self.config.limits, timeout_s=limit))
        return cold_verdict(self.workspace, candidate, tests, config, cancel)

    def close(self) -> None:
        pass


def _until(deadline: float, timeout_s: float) -> float:
    """`timeout_s`, cut at `deadline`: the time budget is a hard stop, even for a candidate that hangs."""
    return max(0.1, min(timeout_s, deadline - time.monotonic()))


@dataclass(frozen=True)
class Found:
    mutant: Mutant
    text: str
    seconds: float  # since the search started
    tried: int  # candidates validated before and including this one
    size: tuple[int, int]  # lines touched, characters changed (`patch_size`)


def patch_size(before: str, after: str) -> tuple[int, int]:
    """Lines touched (removed or replaced, or added), then characters removed plus added, between the common head
    and tail: a one-character fix is smaller than deleting the line."""
    old, new = _trim(before.splitlines(), after.splitlines())
    removed, added = _trim(before, after)
    return max(len(old), len(new)), len(removed) + len(added)


def _trim(a: Sequence[object], b: Sequence[object]) -> tuple[Sequence[object], Sequence[object]]:
    head = len(os.path.commonprefix([a, b]))
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    return a[head:len(a) - tail], b[head:len(b) - tail]


@dataclass
class SearchStats:
    generated: int = 0
    tried: int = 0
    full_runs: int = 0
    seconds: float = 0.0  # the whole search, grace included
    found: list[Found] = field(default_factory=list)  # in the order they were found
    worker_errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Timeouts:
    targets_s: float
    suite_s: float
    test_s: float

    @classmethod
    def from_baseline(cls, report: TestReport, targets: Sequence[str], config: RunnerConfig) -> Timeouts:
        durations = report.durations
        target_time = sum(d for t, d in durations.items() if any(t == g or t.startswith(g + "::") for g in targets))
        cap = config.limits.timeout_s
        slowest_passing = max((durations.get(t, 0.0) for t in report.passed), default=0.0)
        return cls(
            targets_s=min(cap, max(TARGET_FLOOR_S, TIME_MULTIPLE * target_time)),
            suite_s=min(cap, max(SUITE_FLOOR_S, TIME_MULTIPLE * sum(durations.values()))),
            test_s=min(config.test_timeout_s, max(1.0, TIME_MULTIPLE * slowest_passing)),
        )


class Search:
    """One search over `ranked` mutants of `workspace` (a private fork: workers write report files there)."""

    def __init__(self, workspace: Workspace, config: RunnerConfig, baseline: TestReport, targets: Sequence[str],
                 *, workers: int, deadline: float, cancel: threading.Event) -> None:
        self.workspace, self.config, self.baseline, self.targets = workspace, config, baseline, list(targets)
        self.workers, self.deadline, self.cancel = max(1, workers), deadline, cancel
        self.timeouts = Timeouts.from_baseline(baseline, targets, config)
        self.stats = SearchStats()
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._wanted = 1

    def run(self, ranked: Sequence[Mutant], originals: dict[str, str], wanted: int = 1) -> list[Found]:
        """The `wanted` smallest plausible patches found, smallest first."""
        self.stats.generated, self._wanted = len(ranked), wanted
        queue = iter(ranked)
        threads = [threading.Thread(target=self._work, args=(queue, originals), daemon=True)
                   for _ in range(min(self.workers, len(ranked)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.stats.seconds = time.monotonic() - self._started
        if self.cancel.is_set():
            raise Cancelled("the built-in repairer was cancelled")
        return sorted(self.stats.found, key=lambda f: (f.size, f.tried))[:wanted]

    def _enough(self) -> bool:
        """`wanted` plausible patches, and the grace after the first one is spent."""
        found = self.stats.found
        if len(found) < self._wanted:
            return False
        return (self.stats.tried >= found[0].tried + GRACE_CANDIDATES
                or time.monotonic() - self._started >= found[0].seconds + GRACE_S)

    def _next(self, queue: Iterator[Mutant]) -> Mutant | None:
        with self._lock:
            if self._enough() or self.cancel.is_set() or time.monotonic() >= self.deadline:
                return None
            mutant = next(queue, None)
            if mutant is not None:
                self.stats.tried += 1
            return mutant

    def _work(self, queue: Iterator[Mutant], originals: dict[str, str]) -> None:
        validator: Validator | None = None
        try:
            while (mutant := self._next(queue)) is not None:
                if validator is None:
                    validator = self._validator()
                text = mutant.mutation.apply(originals[mutant.path])
                if not parses(text):
                    continue
                try:
                    plausible = self._plausible(validator, FileVersion(mutant.path, text))
                except SessionClosed as exc:  # the worker died or outlived its time: start a fresh one
                    self.stats.worker_errors.append(str(exc)[:300])
                    validator.close()
                    validator = None
                    continue
                if plausible:
                    size = patch_size(originals[mutant.path], text)
                    with self._lock:
                        self.stats.found.append(Found(mutant, text, time.monotonic() - self._started,
                                                      self.stats.tried, size))
        except Cancelled:
            pass
        except Exception as exc:  # a worker that cannot start: the search goes on in the other threads
            self.stats.worker_errors.append(f"{type(exc).__name__}: {exc}"[:300])
        finally:
            if validator is not None:
                validator.close()

    def _validator(self) -> Validator:
        if self.config.command:
            return ColdValidator(self.workspace, self.config, self.deadline)
        lifetime = max(1.0, self.deadline - time.monotonic()) + self.timeouts.suite_s + 30.0
        return WarmWorker(self.workspace, self.config, lifetime)

    def _until(self, timeout_s: float) -> float:
        return _until(self.deadline, timeout_s)

    def _plausible(self, validator: Validator, candidate: FileVersion) -> bool:
        if self.config.command:  # one command runs everything: its verdict is the whole suite's
            verdict = validator.run(candidate, [], timeout_s=self._until(self.timeouts.suite_s),
                                    test_timeout_s=self.timeouts.test_s, cancel=self.cancel)
            return verdict.satisfies(self.targets) and verdict.keeps(self.baseline)
        quick = validator.run(candidate, self.targets, timeout_s=self._until(self.timeouts.targets_s),
                              test_timeout_s=self.timeouts.test_s, cancel=self.cancel)
        if not quick.satisfies(self.targets):
            return False
        with self._lock:
            self.stats.full_runs += 1
        full = validator.run(candidate, [], timeout_s=self._until(self.timeouts.suite_s),
                             test_timeout_s=self.timeouts.test_s, cancel=self.cancel)
        return full.satisfies(self.targets) and full.keeps(self.baseline)
