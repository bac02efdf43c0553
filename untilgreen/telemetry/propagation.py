"""The W3C trace context across processes, so one eval or one editor run is one trace: a run's span starts in
the current span, else in the `traceparent` given to `attach`, else in the `TRACEPARENT` environment variable
(the language server's worker, any process started by a traced one).

For a Ray task: `tp = current_traceparent()` where the task is submitted, `with attach(tp): ...` inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from untilgreen.telemetry.tracing import tracer

if TYPE_CHECKING:
    from opentelemetry.context import Context

ENV = "TRACEPARENT"
_attached: ContextVar[str] = ContextVar("untilgreen_traceparent", default="")


def current_traceparent() -> str:
    """The current span's W3C `traceparent` header value, "" when nothing is traced."""
    if tracer() is None:
        return ""
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier.get("traceparent", "")


@contextmanager
def attach(traceparent: str) -> Iterator[None]:
    """Runs started inside this block (in this thread) join `traceparent`'s trace. Needs nothing imported or
    started: tracing starts with the first run, from its settings."""
    token = _attached.set(traceparent)
    try:
        yield
    finally:
        _attached.reset(token)


def parent() -> Context:
    """The context a run's or a command's span starts in (tracing is on)."""
    from opentelemetry import context, trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    current = context.get_current()
    if trace.get_current_span(current).get_span_context().is_valid:
        return current
    traceparent = _attached.get() or os.environ.get(ENV, "")
    return TraceContextTextMapPropagator().extract({"traceparent": traceparent})
