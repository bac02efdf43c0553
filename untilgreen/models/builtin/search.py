"""Validate ranked mutants in parallel workers: the failing targets first (most mutants stop there), then the
whole suite; a candidate is plausible when the targets pass and no test that passed at baseline fails.

The first plausible patch is not always the simplest (a statement rewrite can rank above a one-character fix
on the same line), so the search goes on for a short grace — at most `GRACE_CANDIDATES` more candidates and
`GRACE_S` seconds after the first plausible one, plus those already in flight — and returns the smallest patches
it found (fewest lines touched, then characters, then earliest).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from untilgreen.errors import Cancelled, UserError
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
    def run(
        self,
        candidate: FileVersion | None,
        tests: Sequence[str],
        *,
        timeout_s: float,
        test_timeout_s: float,
        cancel: threading.Event | None = None,
    ) -> Verdict: ...

    def close(self) -> None: ...


@dataclass
class ColdValidator:
    """A fresh `run_tests` per candidate: for a custom test command, where no warm worker can run pytest.

    A cold run includes the interpreter's start-up, so the baseline-based timeouts do not fit it: it keeps the
    configured limit, cut at the search's deadline."""

    workspace: Workspace
    config: RunnerConfig
    deadline: float

    def run(
        self,
        candidate: FileVersion | None,
        tests: Sequence[str],
        *,
        timeout_s: float,
        test_timeout_s: float,
        cancel: threading.Event | None = None,
    ) -> Verdict:
        limit = _until(self.deadline, self.config.limits.timeout_s)
        config = replace(self.config, limits=replace(self.config.limits, timeout_s=limit))
        return cold_verdict(self.workspace, candidate, tests, config, cancel)

    def close(self) -> None:
        pass


def _one_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[-1][:200]


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
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    return a[head : len(a) - tail], b[head : len(b) - tail]


@dataclass
class SearchStats:
    generated: int = 0
    tried: int = 0
    full_runs: int = 0
    seconds: float = 0.0  # the whole search, grace included
    out_of_time: bool = False  # stopped at its deadline with candidates left
    found: list[Found] = field(default_factory=list)  # in the order they were found
    worker_errors: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)  # per candidate tried: one of OUTCOMES
    lines: Counter[tuple[str, int]] = field(default_factory=Counter)  # candidates tried per (path, line)


# What each candidate tried came to, in the words of the search's summary.
OUTCOMES = (
    "still failing the target",
    "broke other tests",
    "timed out",
    "did not parse",
    "worker error",
    "plausible",
)


@dataclass(frozen=True)
class Timeouts:
    targets_s: float
    suite_s: float
    test_s: float

    @classmethod
    def from_baseline(cls, report: TestReport, targets: Sequence[str], config: RunnerConfig) -> Timeouts:
        durations = report.durations
        target_time = sum(
            d for t, d in durations.items() if any(t == g or t.startswith(g + "::") for g in targets)
        )
        cap = config.limits.timeout_s
        slowest_passing = max((durations.get(t, 0.0) for t in report.passed), default=0.0)
        return cls(
            targets_s=min(cap, max(TARGET_FLOOR_S, TIME_MULTIPLE * target_time)),
            suite_s=min(cap, max(SUITE_FLOOR_S, TIME_MULTIPLE * sum(durations.values()))),
            test_s=min(config.test_timeout_s, max(1.0, TIME_MULTIPLE * slowest_passing)),
        )


class Search:
    """One search over `ranked` mutants of `workspace` (a private fork: workers write report files there)."""

    def __init__(
        self,
        workspace: Workspace,
        config: RunnerConfig,
        baseline: TestReport,
        targets: Sequence[str],
        *,
        workers: int,
        deadline: float,
        cancel: threading.Event,
        cold_reason: str = "",
        notify: Callable[[str], None] | None = None,
    ) -> None:
        """`cold_reason`: why warm workers are not to be trusted on this project (then every candidate runs
        cold); `notify` tells the user when this search finds such a reason."""
        self.workspace, self.config, self.baseline, self.targets = workspace, config, baseline, list(targets)
        self.workers, self.deadline, self.cancel = max(1, workers), deadline, cancel
        self.cold_reason, self.notify = cold_reason, notify
        self.timeouts = Timeouts.from_baseline(baseline, targets, config)
        self.stats = SearchStats()
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._wanted = 1

    def run(self, ranked: Sequence[Mutant], originals: dict[str, str], wanted: int = 1) -> list[Found]:
        """The `wanted` smallest plausible patches found, smallest first."""
        self.stats.generated, self._wanted = len(ranked), wanted
        queue = iter(ranked)
        threads = [
            threading.Thread(target=self._work, args=(queue, originals), daemon=True)
            for _ in range(min(self.workers, len(ranked)))
        ]
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
        return (
            self.stats.tried >= found[0].tried + GRACE_CANDIDATES
            or time.monotonic() - self._started >= found[0].seconds + GRACE_S
        )

    def _next(self, queue: Iterator[Mutant]) -> Mutant | None:
        with self._lock:
            if self._enough() or self.cancel.is_set():
                return None
            if time.monotonic() >= self.deadline:
                self.stats.out_of_time = True
                return None
            mutant = next(queue, None)
            if mutant is not None:
                self.stats.tried += 1
            return mutant

    def _work(self, queue: Iterator[Mutant], originals: dict[str, str]) -> None:
        validator: Validator | None = None
        try:
            while (mutant := self._next(queue)) is not None:
                if self.cold_reason and isinstance(validator, WarmWorker):
                    validator.close()
                    validator = None
                if validator is None:
                    validator = self._validator()
                text = mutant.mutation.apply(originals[mutant.path])
                outcome = (
                    self._outcome(validator, FileVersion(mutant.path, text))
                    if parses(text)
                    else "did not parse"
                )
                with self._lock:
                    self.stats.outcomes[outcome] += 1
                    self.stats.lines[(mutant.path, mutant.mutation.line)] += 1
                    if outcome == "plausible":
                        size = patch_size(originals[mutant.path], text)
                        self.stats.found.append(
                            Found(mutant, text, time.monotonic() - self._started, self.stats.tried, size)
                        )
                if outcome == "worker error":  # the worker died or outlived its time: start a fresh one
                    validator.close()
                    validator = None
        except Cancelled:
            pass
        except (
            Exception
        ) as exc:  # this thread stops; the search goes on in the others and the summary counts it
            with self._lock:
                self.stats.worker_errors.append(f"{type(exc).__name__}: {exc}"[:300])
        finally:
            if validator is not None:
                validator.close()

    def _validator(self) -> Validator:
        if self.config.command or self.cold_reason:
            return ColdValidator(self.workspace, self.config, self.deadline)
        lifetime = max(1.0, self.deadline - time.monotonic()) + self.timeouts.suite_s + 30.0
        try:
            return WarmWorker(self.workspace, self.config, lifetime)
        except (SessionClosed, UserError, OSError) as exc:
            self._fall_back(f"it did not start ({_one_line(exc)})")
            return ColdValidator(self.workspace, self.config, self.deadline)

    def _fall_back(self, why: str) -> None:
        """From now on every candidate of this project runs cold; the user is told once."""
        with self._lock:
            if self.cold_reason:
                return
            self.cold_reason = why
        if self.notify is not None:
            self.notify(
                f"the built-in repairer's warm test worker gave no verdict on this project ({why}); "
                "its candidates are validated with plain pytest runs instead, which is slower"
            )

    def _outcome(self, validator: Validator, candidate: FileVersion) -> str:
        """One of OUTCOMES: "plausible" when the targets pass and nothing that passed at baseline fails."""
        try:
            if self.config.command:  # one command runs everything: its verdict is the whole suite's
                return self._whole(self._judge(validator, candidate, [], self.timeouts.suite_s))
            quick = self._judge(validator, candidate, self.targets, self.timeouts.targets_s)
            if not quick.satisfies(self.targets):
                return "timed out" if quick.timed_out else "still failing the target"
            with self._lock:
                self.stats.full_runs += 1
            return self._whole(self._judge(validator, candidate, [], self.timeouts.suite_s))
        except SessionClosed as exc:
            with self._lock:
                self.stats.worker_errors.append(str(exc)[:300])
            return "worker error"

    def _whole(self, full: Verdict) -> str:
        """The outcome of a whole-suite verdict."""
        if full.satisfies(self.targets) and full.keeps(self.baseline):
            return "plausible"
        if full.timed_out:
            return "timed out"
        return "broke other tests" if full.satisfies(self.targets) else "still failing the target"

    def _until(self, timeout_s: float) -> float:
        return _until(self.deadline, timeout_s)

    def _judge(
        self, validator: Validator, candidate: FileVersion, tests: list[str], timeout_s: float
    ) -> Verdict:
        """The validator's verdict; a warm one that says nothing (or less than the baseline's suite) is checked
        by a cold run, and when the cold run says more, this project's candidates all run cold from now on."""
        verdict = validator.run(
            candidate,
            tests,
            timeout_s=self._until(timeout_s),
            test_timeout_s=self.timeouts.test_s,
            cancel=self.cancel,
        )
        missing = set() if tests or verdict.broken else verdict.missing(self.baseline)
        if not isinstance(validator, WarmWorker) or not (verdict.broken or missing):
            return verdict
        cold = ColdValidator(self.workspace, self.config, self.deadline).run(
            candidate, tests, timeout_s=timeout_s, test_timeout_s=self.timeouts.test_s, cancel=self.cancel
        )
        if verdict.broken and not cold.broken:
            self._fall_back(verdict.broken)
        elif missing - cold.missing(self.baseline):
            self._fall_back(
                f"it missed {len(missing)} test(s) a plain pytest run has, such as {min(missing)}"
            )
        return cold
