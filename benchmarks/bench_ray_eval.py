"""`untilgreen eval` locally vs on a two-node Ray cluster on this machine, and Ray's scheduling cost per task.

Run: python benchmarks/bench_ray_eval.py [--only NAME ...] [--noops 200]

The cluster: a head and a worker node started by `ray start` as separate processes (one CPU each, as in
tests/agent/test_ray.py), stopped at the end. Both evals use the built-in repairer and two runs at a time (the
local one `--jobs 2`). Both nodes share this machine, so the figure is the overhead per task, not a speed-up:
(wall time x 2 slots - the runs' own time) / runs. The scheduling cost is measured apart: a no-op task's round
trip one at a time, a batch of no-ops at once (the driver's dispatch rate), and the engine's whole path with a
no-op call (a project packed, put in the object store, unpacked in a temp folder on a worker).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.ray_nodes import Cluster  # noqa: E402
from untilgreen.agent.on_ray import cluster, run_tasks  # noqa: E402

CORPUS = ROOT / "benchmarks" / "corpus"
SLOTS = 2


def timed_eval(only: list[str], *ray: str, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    argv = ["eval", str(CORPUS), "--model", "builtin", "--json", *(f"--only={name}" for name in only), *ray]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", *argv], capture_output=True, text=True, env=env, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return wall, json.loads(done.stdout)


def overhead_per_task(wall: float, data: dict[str, Any]) -> float:
    runs = data["samples"]
    return (wall * SLOTS - sum(s["duration_s"] for s in runs)) / len(runs)


def scheduling(noops: int) -> dict[str, float]:
    import ray

    @ray.remote(num_cpus=1)
    def noop() -> None:
        return None

    ray.get([noop.remote() for _ in range(SLOTS * 2)])  # warm workers on both nodes
    trips = []
    for _ in range(50):
        start = time.perf_counter()
        ray.get(noop.remote())
        trips.append(time.perf_counter() - start)
    start = time.perf_counter()
    ray.get([noop.remote() for _ in range(noops)])
    batch = time.perf_counter() - start
    project = CORPUS / "ring_buffer"
    start = time.perf_counter()
    for _ in run_tasks([(project, os.fspath)] * 40, threading.Event(), lambda i, reason: reason):
        pass
    engine = (time.perf_counter() - start) / 40
    return {
        "noop_round_trip_ms": statistics.median(trips) * 1000,
        "noop_batch_per_task_ms": batch / noops * 1000,
        "engine_noop_per_task_ms": engine * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--noops", type=int, default=200)
    args = parser.parse_args()
    only = args.only or ["ring_buffer", "lru_cache", "text_wrap", "unit_convert"]
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as temp:
        nodes = Cluster(Path(temp))
        try:
            nodes.start_head(cpus=1)
            nodes.start_worker(cpus=1)
            env = nodes.environment()
            local_wall, local = timed_eval(only, "--jobs", str(SLOTS), env=env)
            ray_wall, remote = timed_eval(only, "--ray", nodes.address, env=env)
            os.environ.update({k: v for k, v in env.items() if k.startswith("RAY_")})
            with cluster(nodes.address):
                figures = scheduling(args.noops)
        finally:
            left = nodes.stop()
    verdicts = [[(s["project"], s["green"], s["stop_reason"]) for s in d["samples"]] for d in (local, remote)]
    run_s = statistics.median(s["duration_s"] for s in local["samples"])
    per_task = overhead_per_task(ray_wall, remote) - overhead_per_task(local_wall, local)
    print(
        f"projects: {', '.join(only)}; same verdicts: {verdicts[0] == verdicts[1]}; ray processes left: {left}"
    )
    print(
        f"local eval (--jobs {SLOTS}):    {local_wall:6.1f} s wall, {overhead_per_task(local_wall, local):5.2f} s/run overhead"
    )
    print(
        f"two-node Ray eval:      {ray_wall:6.1f} s wall, {overhead_per_task(ray_wall, remote):5.2f} s/run overhead"
    )
    print(
        f"Ray's extra per run:    {per_task:5.2f} s (includes connecting to the cluster, spread over the runs)"
    )
    print(f"median run:             {run_s:5.2f} s")
    for name, value in figures.items():
        print(f"{name + ':':24}{value:7.2f} ms")
    dispatch = 1000 / figures["noop_batch_per_task_ms"]
    per_run = run_s + figures["engine_noop_per_task_ms"] / 1000
    print("on paper, N nodes of c CPUs: min(N*c / (run + engine per task), driver dispatch rate) runs/s")
    for n in (1, 2, 4, 8, 16, 64):
        rate = min(n * 4 / per_run, dispatch)
        print(f"  N={n:3} c=4: {rate * 3600:8.0f} runs/hour")


if __name__ == "__main__":
    main()
