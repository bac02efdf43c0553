"""The one interface every repairer implements, and the plain data that crosses it.

A repairer reads a `RepairRequest` (what failed, the ranked context, what was tried before, what memory
recalls) and returns candidate edits. It never applies them to the user's files and never decides whether the
run goes on: the loop (`untilgreen.agent`) applies candidates in a shadow, validates and decides.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal, Protocol, Union, runtime_checkable

from untilgreen.errors import UserError
from untilgreen.protocol import Outcome

if TYPE_CHECKING:
    from untilgreen.context.model import Context
    from untilgreen.memory.records import Recollection
    from untilgreen.sandbox.results import Failure, TestReport
    from untilgreen.sandbox.workspace import Workspace


@dataclass(frozen=True)
class SearchReplace:
    """Replace `search` (which must occur in the file; empty means "create the file") by `replace`."""

    path: str
    search: str
    replace: str


@dataclass(frozen=True)
class SymbolReplace:
    """Replace a whole symbol, named by its chunk id (`path::Qualified.name`), with `text`."""

    chunk_id: str
    text: str


@dataclass(frozen=True)
class FileWrite:
    """The whole new text of a file (`None` deletes it). Used by the built-in repairer and remembered fixes."""

    path: str
    text: str | None


@dataclass(frozen=True)
class WholeFile:
    """A model's reply giving the whole new text of an existing file (one fence, no SEARCH/REPLACE markers)."""

    path: str
    text: str


Edit = Union[SearchReplace, SymbolReplace, FileWrite, WholeFile]


@dataclass
class Usage:
    """What producing a candidate cost."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None  # None: the price is unknown
    duration_s: float = 0.0
    cached_tokens: int = 0  # of `prompt_tokens`, read from the provider's prompt cache (billed at a discount)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class Candidate:
    """One proposed change. `source` names where it came from: `builtin:<operator>`, `memory:<card id>`, or the
    model string. `prompt`/`response` are kept for the run record (redacted before storage)."""

    edits: list[Edit]
    source: str
    explanation: str = ""
    usage: Usage = field(default_factory=Usage)
    prompt: str = ""
    response: str = ""
    parse_error: str = ""  # the reply could not be turned into edits; told to the model on the next attempt


@dataclass
class AttemptSummary:
    """An earlier attempt as the next proposal sees it."""

    number: int
    source: str
    outcome: Outcome
    diff: str
    detail: str  # why it failed: the new failure message, the lint error, the refusal, the match error
    signature: str = ""


@dataclass
class RepairRequest:
    """Everything a repairer may use. `workspace` is the run's shadow at the baseline state (read it, never write)."""

    mode: Literal["fix", "goal"]
    workspace: Workspace
    report: TestReport  # the baseline run, with per-test coverage
    targets: list[str]  # the failing test ids to make pass
    failures: list[Failure]  # the targets' failures at baseline (or at the last attempt)
    context: Context
    attempts: list[AttemptSummary] = field(default_factory=list)
    recollections: list[Recollection] = field(default_factory=list)
    goal: str = ""
    phase: Literal["tests", "code"] = "code"  # goal mode: write the tests first, then the code
    candidates: int = 1  # how many candidates to return at most
    temperature: float = 0.0
    time_budget_s: float = 60.0
    cancel: threading.Event = field(default_factory=threading.Event)
    notify: Callable[[str], None] | None = None  # a warning for the user while the repairer works
    # a model writing candidate `index` (0-based) says how far it got: (index, tokens so far, seconds)
    progress: Callable[[int, int, float], None] | None = None


class Repairer(Protocol):
    name: str

    def propose(self, request: RepairRequest) -> list[Candidate]:
        """Candidates for the request, best first; an empty list means "nothing more to offer"."""
        ...


@runtime_checkable
class Explains(Protocol):
    """A repairer that can say why it had nothing (more) to propose; optional (the built-in repairer's search)."""

    def summary(self, next_repairer: str = "") -> tuple[str, dict[str, Any]] | None:
        """A sentence and the same as JSON, or None when there is nothing to tell; `next_repairer` names the
        repairer the run asks next, when there is one."""
        ...


class RepairerError(UserError):
    """The repairer cannot work (model unreachable, bad API key, exhausted retries): stops the run with its message."""
