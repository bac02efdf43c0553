"""What a run returns: the verdict, the patch (as a diff and as whole files with their starting hashes, so it can be
written back safely), and every attempt."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from untilgreen.protocol import Finding

StopReason = Literal[
    "green",
    "already-green",
    "budget",
    "no-progress",
    "cancelled",
    "model-error",
    "environment",
    "nothing-to-fix",
    "goal-met",
]


def sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()


def source_kind(source: str) -> str:
    """The repairer a candidate source names: builtin, memory, or the model string."""
    head = source.split(":", 1)[0]
    return head if head in ("builtin", "memory") else source


@dataclass
class FileChange:
    """One file of the patch. `start_sha256` is the hash of the text the run started from (None: a new file);
    `text` the new content (None: deleted)."""

    path: str
    start_sha256: str | None
    text: str | None


@dataclass
class AttemptResult:
    number: int
    candidate: int
    source: str
    outcome: str
    detail: str
    diff: str
    tokens: int
    cost_usd: float | None
    duration_s: float


@dataclass
class RunResult:
    run_id: str
    green: bool
    stop_reason: StopReason
    message: str = ""  # one sentence for the user
    attempts: int = 0
    repairer: str = ""  # whose patch won: builtin, memory, or the model string
    diff: str = ""
    files: list[FileChange] = field(default_factory=list)
    ranges: dict[str, list[list[int]]] = field(default_factory=dict)  # changed new-side lines per file
    tokens: int = 0
    cost_usd: float | None = 0.0
    duration_s: float = 0.0
    cached_tokens: int = 0  # of `tokens`, read from the provider's prompt cache
    records: list[AttemptResult] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)  # flaky tests, reported not blamed
    targets: list[str] = field(default_factory=list)
    search: dict[str, Any] | None = None  # the built-in repairer's last search, when it had nothing more
    security: list[Finding] = field(default_factory=list)  # the security review of `diff` (agent/security.py)
    resumed_from: str = ""  # the stopped run this run resumes ("": none)

    def summary_json(self) -> dict[str, Any]:
        """The `fix --json` shape (a documented interface: extend, never rename)."""
        return {
            "run_id": self.run_id,
            "green": self.green,
            "stop_reason": self.stop_reason,
            "attempts": self.attempts,
            "repairer": self.repairer,
            "diff": self.diff,
            "tokens": self.tokens,
            "cost_usd": self.cost_usd,
            "duration_s": round(self.duration_s, 3),
            "cached_tokens": self.cached_tokens,
            "search": self.search,  # {"generated", "validated", "seconds", "out_of_time", "lines", "locations",
            #                           "failed_on", "cold_fallback", "worker_errors"} or null
            "security": [asdict(f) for f in self.security],  # [{"path", "line", "code", "message"}]
            "resumed_from": self.resumed_from or None,  # the run id `--resume` continued, or null
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
