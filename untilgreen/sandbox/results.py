"""The test-result model: what one sandboxed test run reports, independent of the runner that produced it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FailureKind = Literal["failed", "error", "timeout", "collection"]


@dataclass(frozen=True)
class Frame:
    """One traceback frame. `file` is relative to the project root when `in_project`, else as Python saw it."""

    file: str
    line: int
    function: str
    in_project: bool = True


@dataclass
class Failure:
    """One failing test (or a collection error, which has the failing file as its `test_id`)."""

    test_id: str
    kind: FailureKind
    exc_type: str
    message: str
    frames: list[Frame] = field(default_factory=list)
    output: str = ""  # captured output and the long traceback text, head + tail

    @property
    def project_frames(self) -> list[Frame]:
        return [f for f in self.frames if f.in_project]

    @property
    def deepest_project_frame(self) -> Frame | None:
        frames = self.project_frames
        return frames[-1] if frames else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Failure:
        frames = [Frame(**f) for f in data.get("frames", [])]
        return cls(
            test_id=data["test_id"],
            kind=data["kind"],
            exc_type=data.get("exc_type", ""),
            message=data.get("message", ""),
            frames=frames,
            output=data.get("output", ""),
        )


@dataclass
class TestReport:
    """The outcome of one test run in the sandbox.

    `coverage` maps test id -> {relative file -> sorted executed line numbers}; present only when asked for.
    `isolation` names the active isolation layer (see `untilgreen.sandbox.isolation`).
    `outcomes` maps each test that ran to passed, failed, error, skipped, xfailed, xpassed or timeout.
    """

    __test__ = False  # not a pytest test class

    passed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    coverage: dict[str, dict[str, list[int]]] | None = None
    isolation: str = "none"
    duration_s: float = 0.0
    exit_code: int = 0
    timed_out: bool = False
    output: str = ""  # the runner's own stdout/stderr, head + tail
    collected: int = 0

    @property
    def failed_ids(self) -> list[str]:
        return [f.test_id for f in self.failures]

    @property
    def green(self) -> bool:
        return not self.failures and not self.timed_out

    def failure(self, test_id: str) -> Failure | None:
        return next((f for f in self.failures if f.test_id == test_id), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestReport:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "failures"}
        return cls(failures=[Failure.from_dict(f) for f in data.get("failures", [])], **known)
