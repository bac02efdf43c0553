"""`untilgreen serve` on loopback: GET /runs requests per second and event-stream latency, bounded in time.

Run: python benchmarks/bench_serve.py [--runs 10] [--clients 8] [--seconds 10]

Starts a real `untilgreen serve` (uvicorn, one process) on 127.0.0.1 over a small green project, finishes --runs
runs on it (the built-in repairer; each ends after its baseline) so GET /runs lists that many, then for --seconds
keeps --clients asyncio connections (httpx) asking GET /runs back to back and reports requests per second and
latency percentiles. Event-stream figures: opening a finished run's stream and reading all its events (the replay a
late reader gets), while the GET load runs, and from POST /runs to the `run_started` event of a new run (the
worker's start included), idle.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

GREEN = {
    "calc/__init__.py": "def add(a, b):\n    return a + b\n",
    "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    "pyproject.toml": '[project]\nname = "calc"\nversion = "0"\n',
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def start(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    for rel, text in GREEN.items():
        (tmp / "calc" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / "calc" / rel).write_text(text)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp), "UNTILGREEN_MEMORY_PATH": str(tmp / "memory.sqlite3")}
    argv = [sys.executable, "-m", "untilgreen", "serve", "--port", str(port), "--project", str(tmp / "calc")]
    proc = subprocess.Popen(argv + ["--model", "builtin", "--workers", "2", "--queue", "64"], env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(url + "/openapi.json").status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


async def load(url: str, clients: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    end = time.perf_counter() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url) as http:
            while time.perf_counter() < end:
                t = time.perf_counter()
                (await http.get("/runs")).raise_for_status()
                latencies.append(time.perf_counter() - t)

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


async def replay(url: str, run_id: str, until: float) -> list[tuple[float, float]]:
    """(first event, whole stream) seconds for each opening of a finished run's stream until `until`."""
    found = []
    async with httpx.AsyncClient(base_url=url) as http:
        while time.perf_counter() < until:
            t = time.perf_counter()
            first = 0.0
            async with http.stream("GET", f"/runs/{run_id}/events") as answer:
                async for line in answer.aiter_lines():
                    if line.startswith("data: ") and not first:
                        first = time.perf_counter() - t
            found.append((first, time.perf_counter() - t))
    return found


async def first_event(url: str) -> float:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        t = time.perf_counter()
        run_id = (await http.post("/runs", json={"project": "calc"})).json()["id"]
        found = 0.0
        async with http.stream("GET", f"/runs/{run_id}/events") as answer:
            async for line in answer.aiter_lines():  # to the end: the next run then gets a free worker
                if line == "event: run_started":
                    found = time.perf_counter() - t
    if not found:
        raise SystemExit("no run_started event")
    return found


async def measure(url: str, runs: int, clients: int, seconds: float) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        ids = [
            (await http.post("/runs?wait=true", json={"project": "calc"})).json()["id"] for _ in range(runs)
        ]
    starts = [await first_event(url) for _ in range(3)]
    t0 = time.perf_counter()
    latencies, streams = await asyncio.gather(load(url, clients, seconds), replay(url, ids[0], t0 + seconds))
    elapsed = time.perf_counter() - t0
    ms = [x * 1000 for x in latencies]
    print(f"GET /runs ({runs} runs listed), {clients} clients, {elapsed:.1f} s: {len(ms) / elapsed:.0f} requests/s, "
          f"p50 {statistics.median(ms):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms")  # fmt: skip
    first = [f * 1000 for f, _ in streams]
    whole = [w * 1000 for _, w in streams]
    print(f"finished run's stream under that load ({len(streams)} opened): first event p50 "
          f"{statistics.median(first):.1f} ms, p99 {percentile(first, 0.99):.1f} ms; whole stream p50 "
          f"{statistics.median(whole):.1f} ms")  # fmt: skip
    print(f"POST /runs to run_started, idle (3 runs): {', '.join(f'{s * 1000:.0f}' for s in starts)} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start(Path(tmp))
        try:
            asyncio.run(measure(url, args.runs, args.clients, args.seconds))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)


if __name__ == "__main__":
    main()
