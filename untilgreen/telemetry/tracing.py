"""Whether runs are traced, and the process's tracer: started on the first traced run or command, shut down (its
spans flushed) when the command ends. opentelemetry is imported only when an endpoint is configured."""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer

    from untilgreen.settings import Settings

# The standard variables, read when `telemetry.otlp_endpoint` is empty.
ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
TRACES_ENV = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
MISSING = (
    "untilgreen: traces are to go to {url} but OpenTelemetry is not installed; "
    "run `pip install untilgreen[telemetry]` to send traces (this run goes on without them)."
)

_lock = threading.Lock()
_started = False
_provider: TracerProvider | None = None
_tracer: Tracer | None = None


def endpoint(settings: Settings) -> str:
    """Where spans go (an OTLP/HTTP `.../v1/traces` URL), or "" when tracing is off. The setting and
    `OTEL_EXPORTER_OTLP_ENDPOINT` name the collector's base URL, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` the whole URL."""
    base = settings.telemetry.otlp_endpoint.strip()
    if not base and os.environ.get(TRACES_ENV, "").strip():
        return os.environ[TRACES_ENV].strip()
    base = (base or os.environ.get(ENDPOINT_ENV, "").strip()).rstrip("/")
    return base if not base or base.endswith("/v1/traces") else base + "/v1/traces"


def start(settings: Settings) -> Tracer | None:
    """The tracer, set up on the first call of the process (later settings do not change it); None when tracing is
    off, or configured without the `telemetry` extra (said once on stderr)."""
    global _started, _provider, _tracer
    with _lock:
        if not _started:
            _started = True
            url = endpoint(settings)
            if url:
                try:
                    from untilgreen.telemetry.otlp import provider
                except ImportError:
                    print(MISSING.format(url=url), file=sys.stderr)
                else:
                    _provider = provider(url)
                    _tracer = _provider.get_tracer("untilgreen")
    return _tracer


def tracer() -> Tracer | None:
    """The process's tracer once tracing has started, else None."""
    return _tracer


def flush() -> None:
    """Export the spans ended so far: a Ray task's worker process lives on after its task."""
    if _provider is not None:
        _provider.force_flush()


def resolved(settings: Settings) -> Settings:
    """`settings` with the endpoint that this process's environment gives, for a process that has another
    environment (a Ray worker)."""
    import dataclasses

    telemetry = dataclasses.replace(settings.telemetry, otlp_endpoint=endpoint(settings))
    return dataclasses.replace(settings, telemetry=telemetry)


def shutdown() -> None:
    """Export what is left and stop; the end of a command. Bounded by the exporter's timeout."""
    global _provider, _tracer
    if _provider is not None:
        _provider.shutdown()
        _provider = _tracer = None
