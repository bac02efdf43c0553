"""What the engine and the language server agree on; both import it, the server nothing else of the engine.

The typed events a run emits (`untilgreen worker` writes them as JSON lines, the server reads them back), the names
of an attempt's outcomes, what the editor is told of each judged attempt, and goal mode's need for a model.

Every event carries the run id; `to_json()` adds `"event": <kind>` and `Event.from_json` rebuilds the right class.
Line ranges are 1-based and inclusive, on the new side of the patch: `{"pkg/a.py": [[12, 14]]}`.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Union

if TYPE_CHECKING:
    from untilgreen.settings import Settings

Ranges = dict[str, list[list[int]]]

# Goal mode's first step adds `red` (the new tests fail on the current code, as they should), `goal-met` (they
# pass already), `vacuous` (a new test asserts nothing) and `invalid-tests` (they do not compile or collect).
Outcome = Literal[
    "green",
    "still-failing",
    "regression",
    "not-applied",
    "refused",
    "lint",
    "duplicate",
    "error",
    "timeout",
    "red",
    "goal-met",
    "vacuous",
    "invalid-tests",
]

NO_MODEL = (
    "goal mode needs a model: pass --model (any litellm model string, e.g. openai/gpt-4o-mini) or set "
    "`model` in your user config."
)


def needs_model(settings: Settings) -> bool:
    """Whether goal mode must refuse these settings: it writes tests, which only a model can."""
    return settings.model.strip() in ("", "builtin")


@dataclass
class FailureBrief:
    test_id: str
    kind: str
    message: str  # the first lines of the message
    signature: str = ""


@dataclass(frozen=True)
class Finding:
    """A problem ruff reports on a patched file that its baseline text did not have: the lint guard's (undefined
    names, syntax errors) and the security review's (flake8-bandit `S` rules). `line` is 1-based, new side."""

    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} ({self.code})"


@dataclass
class ChunkBrief:
    id: str
    path: str
    symbol: str
    start: int
    end: int
    score: float
    why: str


@dataclass
class Event:
    run_id: str
    kind: ClassVar[str] = ""
    _registry: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Event._registry[cls.kind] = cls

    def to_json(self) -> dict[str, Any]:
        return {"event": self.kind, **dataclasses.asdict(self)}

    def to_line(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"))

    @staticmethod
    def from_json(data: dict[str, Any] | str | bytes) -> Event:
        """Raises ValueError, saying what is wrong, for anything but an event this module writes."""
        try:
            if isinstance(data, (str, bytes)):
                data = json.loads(data)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            cls = Event._registry.get(data.get("event", ""))
            if cls is None:
                raise ValueError(f"unknown event {data.get('event')!r}")
            event: Event = _decode(cls, data)
            return event
        except (TypeError, AttributeError, ValueError) as exc:  # json's errors are ValueErrors
            raise ValueError(f"not an untilgreen event ({exc})") from None


def _decode(kind: Any, value: Any) -> Any:
    """Rebuild dataclasses (and lists / dicts of them) from plain JSON values; unknown keys (a newer writer's) are
    left out."""
    if value is None:
        return None
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind) if f.init}
        return kind(**{k: _decode(hints[k], v) for k, v in value.items() if k in names})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return [_decode(args[0], v) for v in value]
    if origin is dict:
        return {k: _decode(args[1], v) for k, v in value.items()}
    if origin is Union:
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value) if len(inner) == 1 else value
    return value


@dataclass
class RunStarted(Event):
    kind: ClassVar[str] = "run_started"
    root: str = ""
    mode: str = "fix"
    goal: str = ""
    targets: list[str] = field(default_factory=list)  # as asked; empty: every failing test
    attempts: int = 0  # the attempt budget
    candidates: int = 1
    repairers: list[str] = field(default_factory=list)  # in the order they are asked
    resumed_from: str = ""  # the stopped run this run resumes (its memory run id)


@dataclass
class PhaseChanged(Event):
    """Progress: what the run is doing now (`baseline`, `recall`, `localize`, `propose`, `apply`, `lint`,
    `validate`, `final-check`)."""

    kind: ClassVar[str] = "phase"
    phase: str = ""
    attempt: int = 0
    of: int = 0
    tokens: int = 0
    cost_usd: float | None = None


@dataclass
class Notice(Event):
    """Something the user should read: which repairer runs, a flaky test quarantined, a restart."""

    kind: ClassVar[str] = "notice"
    level: str = "info"  # info | warning
    message: str = ""


@dataclass
class TestsRan(Event):
    __test__: ClassVar[bool] = False  # not a pytest test class
    kind: ClassVar[str] = "tests_ran"
    phase: str = ""  # baseline | flaky-check | targets | affected | recheck | final
    attempt: int = 0
    candidate: int = 0
    passed: int = 0
    failed: list[FailureBrief] = field(default_factory=list)
    duration_s: float = 0.0


@dataclass
class Recalled(Event):
    """Memory was asked about the baseline failures: their signatures, the fix cards recalled, the remembered
    fixes that still apply (tried first, as one attempt)."""

    kind: ClassVar[str] = "recalled"
    signatures: int = 0
    cards: int = 0
    known: int = 0
    duration_s: float = 0.0


@dataclass
class Localized(Event):
    kind: ClassVar[str] = "localized"
    attempt: int = 0
    tokens: int = 0
    chunks: list[ChunkBrief] = field(default_factory=list)
    hints: int = 0  # memory hints given to localization


@dataclass
class ModelProgress(Event):
    """A streaming model writing a candidate: tokens so far (the provider's count when it has said, else an
    estimate) and seconds since the request; a few a second at most, and one when the reply is complete."""

    kind: ClassVar[str] = "model_progress"
    attempt: int = 0
    of: int = 0
    candidate: int = 0
    tokens: int = 0
    elapsed_s: float = 0.0

    def message(self) -> str:
        """What the CLI's status line and the editor's progress show, after "attempt k/N: "."""
        which = f" (candidate {self.candidate + 1})" if self.candidate else ""
        return f"model writing{which}… {self.tokens} tokens, {self.elapsed_s:.1f} s"


@dataclass
class AttemptProposed(Event):
    kind: ClassVar[str] = "attempt_proposed"
    attempt: int = 0
    of: int = 0
    candidate: int = 0
    source: str = ""
    explanation: str = ""
    tokens: int = 0
    cost_usd: float | None = None
    run_tokens: int = 0
    run_cost_usd: float | None = None


@dataclass
class AttemptApplied(Event):
    kind: ClassVar[str] = "attempt_applied"
    attempt: int = 0
    candidate: int = 0
    source: str = ""
    diff: str = ""
    ranges: Ranges = field(default_factory=dict)
    fingerprint: str = ""


@dataclass
class AttemptValidated(Event):
    """The outcome of one candidate. Every candidate gets one; a candidate green on its targets and the affected
    tests that then fails the whole-suite check gets a second one, which supersedes the first."""

    kind: ClassVar[str] = "attempt_validated"
    attempt: int = 0
    candidate: int = 0
    source: str = ""
    outcome: Outcome = "error"
    detail: str = ""
    signature: str = ""  # of the first target failure left, if any
    diff: str = ""
    ranges: Ranges = field(default_factory=dict)
    regressions: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)
    security: list[Finding] = field(default_factory=list)  # the security review's new findings on the patch


@dataclass
class RunFinished(Event):
    kind: ClassVar[str] = "run_finished"
    green: bool = False
    stop_reason: str = ""
    message: str = ""
    attempts: int = 0
    repairer: str = ""
    diff: str = ""
    ranges: Ranges = field(default_factory=dict)
    tokens: int = 0
    cost_usd: float | None = None
    duration_s: float = 0.0
    quarantined: list[str] = field(default_factory=list)
    search: dict[str, Any] | None = (
        None  # as in `fix --json`: the built-in repairer's search that found nothing
    )
    security: list[Finding] = field(default_factory=list)  # the security review of `diff`, as in `fix --json`
    summary: dict[str, Any] = field(default_factory=dict)  # the `fix --json` (or `goal --json`) object itself


@dataclass
class RunFailed(Event):
    """The run could not go on (no tests collected, bad settings, an internal error): one sentence."""

    kind: ClassVar[str] = "run_failed"
    message: str = ""
    exit_code: int = 2


@dataclass
class JudgedAttempt:
    """What the editor is told of one judged candidate: the `untilgreen/attempt` notification and each attempt of
    `untilgreen.showRun` carry `number` (the attempt) and the fields from `of` to `diff` (`AttemptFields` in the
    VS Code client's protocol.ts); `ranges` are where its diagnostics go, `security` the security review's
    findings, shown as warning diagnostics."""

    number: int
    of: int  # the attempt budget
    candidate: int
    source: str
    outcome: Outcome
    signature: str
    detail: str
    diff: str
    ranges: Ranges
    security: list[Finding] = field(default_factory=list)

    @classmethod
    def of_event(cls, event: AttemptValidated, of: int) -> JudgedAttempt:
        return cls(
            event.attempt,
            of,
            event.candidate,
            event.source,
            event.outcome,
            event.signature,
            event.detail,
            event.diff,
            event.ranges,
            list(event.security),
        )

    def fields(self) -> dict[str, Any]:
        """`of` to `diff`, as both messages carry them."""
        return {
            k: v for k, v in dataclasses.asdict(self).items() if k not in ("number", "ranges", "security")
        }
