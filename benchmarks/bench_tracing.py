"""What tracing costs a run: importing OpenTelemetry (once per process, and only with an endpoint configured), and
making and exporting the spans of one run.

Run: python benchmarks/bench_tracing.py [--repeat 200]

A real fix of a small project (the tests' shop, a comparison-operator bug) with the built-in repairer records its events (untraced); they are then replayed
`--repeat` times through `RunSpans`, with the OTLP/HTTP exporter sending to a local receiver (tests/support/otlp.py).
Printed: the import time, the spans per run, the time a run's thread spends making them, and the time the exporter
(a background thread) spends encoding and sending them, each per run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.otlp import OtlpReceiver  # noqa: E402
from tests.agent.conftest import SHOP, write_tree  # noqa: E402
from untilgreen.agent import RunRequest, run  # noqa: E402
from untilgreen.protocol import Event  # noqa: E402
from untilgreen.settings import build  # noqa: E402
from untilgreen.telemetry.otlp import provider  # noqa: E402
from untilgreen.telemetry.spans import RunSpans  # noqa: E402


def import_seconds(module: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    imports = [
        import_seconds("untilgreen.telemetry.otlp") - import_seconds("untilgreen.telemetry.spans")
        for _ in range(5)
    ]
    print(
        f"importing the SDK and the OTLP/HTTP exporter: {statistics.median(imports) * 1000:.0f} ms (median of 5)"
    )
    events: list[Event] = []
    with tempfile.TemporaryDirectory() as temp:
        root = write_tree(Path(temp) / "shop", SHOP)
        settings = build({"memory.path": str(Path(temp) / "memory.sqlite3")})
        started = time.perf_counter()
        result = run(RunRequest(root, settings=settings), events.append)
        run_s = time.perf_counter() - started
    print(f"the run: {result.stop_reason} in {run_s:.2f} s, {len(events)} events")
    with OtlpReceiver() as receiver:
        traced = provider(receiver.url + "/v1/traces")  # as a traced run has it: batches, OTLP/HTTP protobuf
        tracer = traced.get_tracer("bench")
        making, sending = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            with tracer.start_as_current_span("untilgreen.run") as span:
                spans = RunSpans(tracer, span)
                for event in events:
                    spans.on(event)
                spans.close()
            made = time.perf_counter()
            traced.force_flush()
            making.append(made - started)
            sending.append(time.perf_counter() - made)
        traced.shutdown()
        per_run = len(receiver.spans) // args.repeat
    make_ms, send_ms = statistics.median(making) * 1000, statistics.median(sending) * 1000
    print(f"spans per run: {per_run}")
    print(
        f"making them (the run's thread): {make_ms:.2f} ms per run ({make_ms / run_s / 10:.3f} % of the run)"
    )
    print(f"encoding and sending them in one batch (the exporter's thread): {send_ms:.2f} ms per run")


if __name__ == "__main__":
    main()
