"""Plain data the store takes and returns."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

from untilgreen.memory.signature import Signature

AttemptSource = Literal["model", "builtin", "memory"]
# The outcome of the call that wrote a fix card's words: kept with the attempts for its tokens and cost, but no
# attempt (the run's attempt count leaves it out).
CARD_CALL = "fix-card"
CardStatus = Literal["pending", "accepted", "rejected"]


@dataclass
class RunRecord:
    project: str
    mode: str = "fix"  # "fix" or "goal"
    goal: str = ""
    command: str = ""
    model: str = ""
    started: float = field(default_factory=time.time)
    resumed_from: str = ""  # the stopped run this one resumes


@dataclass
class AttemptRecord:
    n: int
    source: AttemptSource = "model"
    model: str = ""
    prompt: str = ""
    response: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    duration_s: float = 0.0
    tests: str = ""  # test summary, e.g. "2 failed, 40 passed"
    diff: str = ""
    outcome: str = ""  # e.g. "green", "red", "lint", "rejected"
    fix_card: str | None = None  # the recalled card this attempt replayed (source "memory")
    fingerprint: str = ""  # the patch's normalised fingerprint (agent.fingerprint), "" when none was applied


@dataclass
class FixCard:
    signature: Signature
    diff: str
    project: str
    summary: str = ""
    root_cause: str = ""
    files: tuple[str, ...] = ()  # derived from the diff when empty
    symbols: tuple[str, ...] = ()
    verification: str = ""  # how it was verified, e.g. "target green; full suite 42 passed"
    status: CardStatus = "pending"  # accepted/rejected once the user reviewed the final diff
    run_id: str | None = None
    id: str = ""  # assigned by the store
    created: float = field(default_factory=time.time)
    uses: int = 0  # times replayed from memory
    origin: str = ""  # the label of the member who stored it (memory.label), "" if none was set
    digest: str = ""  # content digest, assigned by the store (the same card has the same digest everywhere)


@dataclass(frozen=True)
class Recollection:
    """A recalled fix card. Cards from other projects carry only the signature and the diff (and its files)."""

    card: FixCard
    score: float  # hybrid similarity in [0, 1]
    same_project: bool
    applied_in: str  # where the fix applied: "this project (run r-...)" or "another project"


@dataclass
class RunSummary:
    id: str
    project: str
    mode: str
    goal: str
    model: str
    started: float
    finished: float | None
    outcome: str | None
    stop_reason: str | None
    attempts: int
    tokens_in: int
    tokens_out: int
    cost: float


@dataclass
class Attempt(AttemptRecord):
    created: float = 0.0


@dataclass
class RunDetail:
    summary: RunSummary
    command: str
    final_diff: str
    attempts: list[Attempt]
    signatures: list[str]  # signature texts seen in this run
    resumed_from: str = ""  # the stopped run this one resumes
    # what resuming the run needs (empty for runs recorded before it was kept): "attempts" (the last one's
    # number), "targets", "settings" (the repairer's), "files" (path -> sha256 of the text the run started from, None: absent)
    resume: dict[str, Any] = field(default_factory=dict)
