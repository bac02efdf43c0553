"""One candidate's way through an attempt: apply in a fork → refuse → skip if already tried → lint → security review
→ validate."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from untilgreen.agent.apply import Patched, Policy, Refusal, apply_candidate
from untilgreen.agent.changes import new_ranges
from untilgreen.protocol import AttemptApplied, AttemptValidated, Event, Finding, Outcome
from untilgreen.agent.fingerprint import fingerprint
from untilgreen.agent.lint import new_problems
from untilgreen.agent.security import new_findings, refusal
from untilgreen.agent.validate import Validator
from untilgreen.models.base import AttemptSummary, Candidate
from untilgreen.sandbox.results import Failure
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from untilgreen.context.model import Chunk


@dataclass
class Tried:
    """A candidate after its attempt. `patched` (a fork) is kept until the run decides; then closed."""

    number: int
    index: int
    candidate: Candidate
    outcome: Outcome = "error"
    detail: str = ""
    patched: Patched | None = None
    fingerprint: str = ""
    failures: list[Failure] = field(default_factory=list)
    regressions: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)
    security: list[Finding] = field(default_factory=list)  # the security review's new findings on the patch
    passed: int = 0
    duration_s: float = 0.0

    @property
    def changes(self) -> dict[str, tuple[str | None, str | None]]:
        return self.patched.changes if self.patched else {}

    @property
    def diff(self) -> str:
        return self.patched.diff if self.patched else ""

    def summary(self, signature: str = "") -> AttemptSummary:
        return AttemptSummary(
            self.number, self.candidate.source, self.outcome, self.diff, self.detail, signature
        )

    def close(self) -> None:
        if self.patched is not None:
            self.patched.workspace.close()


@dataclass
class Earlier:
    """A patch tried by the stopped run a resumed run continues."""

    number: int
    outcome: str


class Seen:
    """Fingerprints of every patch tried in the run, with where it was first tried (thread-safe); `earlier`: those
    of the stopped run this run resumes, fingerprint -> (attempt, outcome)."""

    def __init__(self, earlier: Mapping[str, tuple[int, str]] | None = None) -> None:
        self._first: dict[str, Tried | Earlier] = {
            fp: Earlier(number, outcome) for fp, (number, outcome) in (earlier or {}).items()
        }
        self._lock = threading.Lock()

    def claim(self, tried: Tried) -> Tried | Earlier | None:
        """Register `tried`'s fingerprint; returns the earlier attempt if the same patch was already tried."""
        with self._lock:
            earlier = self._first.get(tried.fingerprint)
            if earlier is None:
                self._first[tried.fingerprint] = tried
            return earlier


@dataclass
class AttemptRunner:
    base: Workspace
    policy: Policy
    validator: Validator
    seen: Seen
    emit: Callable[[Event], None]
    run_id: str
    chunks: Callable[[str], Chunk | None] | None = None
    refuse_security: bool = False  # `review.refuse_security`: a patch with security findings is refused

    def run(self, number: int, index: int, candidate: Candidate) -> Tried:
        started = time.monotonic()
        tried = Tried(number, index, candidate)
        try:
            self._run(tried)
        finally:
            tried.duration_s = time.monotonic() - started
        self.emit(
            AttemptValidated(
                self.run_id,
                number,
                index,
                candidate.source,
                tried.outcome,
                tried.detail,
                signature=_signature(tried.failures),
                diff=tried.diff,
                ranges=new_ranges(tried.changes),
                regressions=tried.regressions,
                flaky=tried.flaky,
                security=tried.security,
            )
        )
        return tried

    def _run(self, tried: Tried) -> None:
        try:
            tried.patched = apply_candidate(self.base, tried.candidate, self.policy, self.chunks)
        except Refusal as err:
            tried.outcome, tried.detail = "refused", f"Refused: {err}"
            return
        except ValueError as err:
            tried.outcome, tried.detail = "not-applied", str(err)
            return
        tried.fingerprint = fingerprint(tried.changes)
        if not tried.fingerprint:
            tried.outcome = "duplicate"
            tried.detail = (
                "The patch changes only comments, docstrings or formatting, so it cannot change the "
                "test outcome; change the code."
            )
            return
        earlier = self.seen.claim(tried)
        if earlier is not None:
            tried.outcome = "duplicate"
            tried.detail = (
                f"This patch is the same as attempt {earlier.number}'s (outcome: {earlier.outcome}); it "
                "was not run again. Propose a different change."
            )
            return
        self.emit(
            AttemptApplied(
                self.run_id,
                tried.number,
                tried.index,
                tried.candidate.source,
                tried.diff,
                new_ranges(tried.changes),
                tried.fingerprint,
            )
        )
        problems = new_problems(tried.changes)
        if problems:
            tried.outcome = "lint"
            tried.detail = "The patch introduces errors: " + "; ".join(map(str, problems[:5]))
            return
        tried.security = new_findings(tried.changes)
        if tried.security and self.refuse_security:
            tried.outcome, tried.detail = "refused", refusal(tried.security)
            return
        verdict = self.validator.check(tried.patched.workspace, tried.changes, tried.number, tried.index)
        tried.outcome, tried.detail, tried.failures = verdict.outcome, verdict.detail, verdict.failures
        tried.regressions, tried.flaky, tried.passed = verdict.regressions, verdict.flaky, verdict.passed


def _signature(failures: list[Failure]) -> str:
    if not failures:
        return ""
    from untilgreen.memory.signature import signature

    return signature(failures[0]).text
