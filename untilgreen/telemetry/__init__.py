"""OpenTelemetry traces of runs: off, and opentelemetry never imported, unless an OTLP endpoint is configured
(`telemetry.otlp_endpoint`, else `OTEL_EXPORTER_OTLP_ENDPOINT`).

`tracing` starts the SDK once per process and shuts it down; `spans` turns a run's events into spans; `genai` is
the hook around a model call; `propagation` carries the trace into other processes (`TRACEPARENT`, Ray tasks).
"""

from untilgreen.telemetry.propagation import attach, current_traceparent

__all__ = ["attach", "current_traceparent"]
