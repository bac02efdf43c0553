"""The OpenTelemetry SDK's side, imported only when tracing is on: a tracer provider exporting OTLP/HTTP protobuf
in batches from a background thread, so a run never waits for the collector."""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections.abc import Sequence

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from untilgreen import __version__

EXPORT_TIMEOUT_S = 5.0  # per batch, retries included: the longest the end of a command waits for a collector


def provider(url: str) -> TracerProvider:
    logging.getLogger("opentelemetry.exporter.otlp").setLevel(logging.CRITICAL)  # said once, by OneWarning
    resource = Resource.create(
        {
            "service.name": "untilgreen",
            "service.version": __version__,
            "process.pid": os.getpid(),  # which of an eval's workers
            "host.name": socket.gethostname(),
        }
    )
    traced = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=url, timeout=EXPORT_TIMEOUT_S)
    traced.add_span_processor(BatchSpanProcessor(OneWarning(exporter, url)))
    return traced


class OneWarning(SpanExporter):
    """`inner`, until an export fails: then one sentence on stderr, and later batches are dropped at once rather
    than each waiting out the timeout of a collector that is down."""

    def __init__(self, inner: SpanExporter, url: str) -> None:
        self.inner, self.url = inner, url
        self.failed = False

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self.failed:
            return SpanExportResult.FAILURE
        result = self.inner.export(spans)
        if result is not SpanExportResult.SUCCESS:
            self.failed = True
            print(
                f"untilgreen: traces cannot be sent to {self.url} (is the collector running?); "
                "runs go on without them.",
                file=sys.stderr,
            )
        return result

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)
