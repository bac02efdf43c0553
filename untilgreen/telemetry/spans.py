"""A run's spans, made from the events it emits (the agent emits events; this subscribes to them):

    untilgreen.run
    ├─ untilgreen.phase.baseline ─ untilgreen.tests (baseline, flaky-check)
    ├─ untilgreen.phase.recall ─ untilgreen.memory.recall
    └─ untilgreen.attempt (one per attempt)
       └─ untilgreen.phase.localize / .propose / .validate / .final-check
          ├─ untilgreen.tests (targets, affected, recheck, final)
          └─ chat <model> (`genai`, a model call, in the current span)

A phase ends when the next begins, an attempt when the next begins, everything when the run ends. A test run or
a recall is told when it is over, with its duration: its span is laid back from that moment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from untilgreen.protocol import (
    AttemptProposed,
    AttemptValidated,
    Event,
    Localized,
    PhaseChanged,
    Recalled,
    RunFailed,
    RunFinished,
    RunStarted,
    TestsRan,
)
from untilgreen.telemetry.propagation import parent
from untilgreen.telemetry.tracing import start

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

    from untilgreen.settings import Settings

OnEvent = Callable[[Event], None]


@contextmanager
def command_span(settings: Settings, name: str, attributes: Mapping[str, Any]) -> Iterator[None]:
    """A span around a command (an eval), current while it runs, so the runs inside are its children."""
    with _current(settings, name, attributes):
        yield


@contextmanager
def run_spans(settings: Settings, on_event: OnEvent | None) -> Iterator[OnEvent | None]:
    """`on_event`, or (tracing on) a callback that also makes the run's spans from its events."""
    with _current(settings, "untilgreen.run", {}) as found:
        if found is None:
            yield on_event
            return
        spans = RunSpans(*found)

        def both(event: Event) -> None:
            spans.on(event)
            if on_event is not None:
                on_event(event)

        try:
            yield both
        finally:
            spans.close()


@contextmanager
def _current(
    settings: Settings, name: str, attributes: Mapping[str, Any]
) -> Iterator[tuple[Tracer, Span] | None]:
    traced = start(settings)
    if traced is None:
        yield None
        return
    with traced.start_as_current_span(name, context=parent(), attributes=attributes) as span:
        yield traced, span


class RunSpans:
    """The spans below one run's span, opened and closed as its events arrive (one at a time: the session emits
    under a lock)."""

    def __init__(self, tracer: Tracer, run: Span) -> None:
        self.tracer, self.run = tracer, run
        self.attempt: Span | None = None
        self.number = 0
        self.phase: Span | None = None
        self.outcomes: dict[int, str] = {}  # the attempt's candidates' latest outcomes
        self.tokens = 0  # the attempt's
        self.opened: dict[Span, int] = {}  # when each span below the run's started
        self.thread = threading.get_ident()  # the run's own: model calls made from it nest in its phase
        self.handlers: dict[type[Event], Callable[[Any], None]] = {
            RunStarted: self._started,
            PhaseChanged: self._phase,
            AttemptProposed: self._proposed,
            AttemptValidated: self._validated,
            TestsRan: self._tests,
            Recalled: self._recalled,
            Localized: self._localized,
            RunFinished: self._finished,
            RunFailed: self._failed,
        }

    def on(self, event: Event) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(event)

    def close(self) -> None:
        self._begin_attempt(0)

    def _started(self, event: RunStarted) -> None:
        self.run.set_attributes(
            {
                "untilgreen.run.id": event.run_id,
                "untilgreen.mode": event.mode,
                "untilgreen.project.root": event.root,
                "untilgreen.targets": event.targets,
                "untilgreen.attempts.budget": event.attempts,
                "untilgreen.repairers": event.repairers,
            }
        )

    def _phase(self, event: PhaseChanged) -> None:
        from opentelemetry import context, trace

        self._begin_attempt(event.attempt)
        self._end_phase()
        self.phase = self._child(
            f"untilgreen.phase.{event.phase}",
            self.attempt or self.run,
            {"untilgreen.phase": event.phase},
        )
        if threading.get_ident() == self.thread:  # the run's context is restored when its span ends
            context.attach(trace.set_span_in_context(self.phase))

    def _proposed(self, event: AttemptProposed) -> None:
        self._begin_attempt(event.attempt)
        if self.attempt is None:
            return
        self.tokens += event.tokens
        attributes: dict[str, int | str] = {
            "untilgreen.attempt.candidates": event.candidate + 1,
            "untilgreen.tokens": self.tokens,
        }
        if event.candidate == 0:
            attributes["untilgreen.attempt.source"] = event.source
        self.attempt.set_attributes(attributes)

    def _validated(self, event: AttemptValidated) -> None:
        if self.attempt is None or event.attempt != self.number:
            return
        self.outcomes[event.candidate] = event.outcome
        outcomes = [self.outcomes[c] for c in sorted(self.outcomes)]
        self.attempt.set_attribute(
            "untilgreen.attempt.outcome", "green" if "green" in outcomes else outcomes[0]
        )

    def _tests(self, event: TestsRan) -> None:
        attributes = {
            "untilgreen.tests.phase": event.phase,
            "untilgreen.tests.passed": event.passed,
            "untilgreen.tests.failed": len(event.failed),
            "untilgreen.tests.duration_s": event.duration_s,
            "untilgreen.attempt.number": event.attempt,
            "untilgreen.candidate": event.candidate,
        }
        self._past("untilgreen.tests", event.duration_s, attributes)

    def _recalled(self, event: Recalled) -> None:
        attributes = {
            "untilgreen.memory.signatures": event.signatures,
            "untilgreen.memory.cards": event.cards,
            "untilgreen.memory.known_fixes": event.known,
        }
        self._past("untilgreen.memory.recall", event.duration_s, attributes)

    def _localized(self, event: Localized) -> None:
        if self.phase is not None:
            self.phase.set_attributes(
                {
                    "untilgreen.context.tokens": event.tokens,
                    "untilgreen.context.chunks": len(event.chunks),
                    "untilgreen.context.memory_hints": event.hints,
                }
            )

    def _finished(self, event: RunFinished) -> None:
        self.run.set_attributes(
            _known(
                {
                    "untilgreen.run.green": event.green,
                    "untilgreen.run.outcome": event.stop_reason,
                    "untilgreen.run.attempts": event.attempts,
                    "untilgreen.run.repairer": event.repairer,
                    "untilgreen.tokens": event.tokens,
                    "untilgreen.cost_usd": event.cost_usd,
                    "untilgreen.duration_s": event.duration_s,
                }
            )
        )

    def _failed(self, event: RunFailed) -> None:
        from opentelemetry.trace import StatusCode

        self.run.set_attribute("untilgreen.run.outcome", "error")
        self.run.set_status(StatusCode.ERROR, event.message)

    def _begin_attempt(self, number: int) -> None:
        """Attempt `number` is the current one (0: none): the one before ends, with its phase."""
        if number == self.number:
            return
        self._end_phase()
        if self.attempt is not None:
            self.attempt.end()
        self.number, self.outcomes, self.tokens = number, {}, 0
        self.attempt = (
            self._child("untilgreen.attempt", self.run, {"untilgreen.attempt.number": number})
            if number
            else None
        )

    def _end_phase(self) -> None:
        if self.phase is not None:
            self.phase.end()
            self.phase = None

    def _child(self, name: str, of: Span, attributes: Mapping[str, Any], start_ns: int | None = None) -> Span:
        from opentelemetry import trace

        start_ns = max(start_ns or time.time_ns(), self.opened.get(of, 0))
        span = self.tracer.start_span(
            name, context=trace.set_span_in_context(of), attributes=attributes, start_time=start_ns
        )
        self.opened[span] = start_ns
        return span

    def _past(self, name: str, duration_s: float, attributes: Mapping[str, Any]) -> None:
        """A span for something that took `duration_s` and has just ended, in the current phase (from its start
        at the earliest: a duration is rounded and measured on another clock)."""
        now = time.time_ns()
        self._child(
            name, self.phase or self.attempt or self.run, attributes, now - int(duration_s * 1e9)
        ).end(now)


def _known(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Without the unknown values (a cost whose price is unknown): a span attribute cannot be None."""
    return {k: v for k, v in attributes.items() if v is not None}
