"""Launch overhead of each isolation layer: `python -c pass`, bare versus through `run_sandboxed`.

Run: python benchmarks/bench_sandbox_overhead.py [--repeat 20] [--python PATH]
Prints the median and 90th percentile wall time per launch in ms, and the median overhead over a bare launch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from untilgreen.sandbox.isolation import LAYERS, available_layers, interpreter_paths
from untilgreen.sandbox.process import Limits, run_sandboxed, scrub_environment


def timed(launch: Callable[[], object], repeat: int) -> list[float]:
    launch()  # warm caches (interpreter paths, bwrap probe, page cache)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        launch()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    python = Path(options.python)
    argv = [str(python), "-c", "pass"]
    env = scrub_environment(os.environ)
    readonly = interpreter_paths(python)
    layers = available_layers()
    with tempfile.TemporaryDirectory(prefix="untilgreen-bench-") as workdir:
        launches: dict[str, Callable[[], object]] = {
            "bare": lambda: subprocess.run(argv, cwd=workdir, env=env, check=True)
        }
        for layer in LAYERS:
            if layers[layer] is True:
                launches[layer] = lambda layer=layer: run_sandboxed(
                    argv, workdir=Path(workdir), limits=Limits(), env=env, isolation=layer, readonly=readonly
                )
        results = {name: timed(launch, options.repeat) for name, launch in launches.items()}
    bare = statistics.median(results["bare"])
    print(f"python -c pass, {options.repeat} launches each ({python}); cgroup: {layers['cgroup']}")
    print(f"{'layer':<12}{'median ms':>10}{'p90 ms':>10}{'overhead ms':>13}")
    for name, times in results.items():
        median, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
        print(f"{name:<12}{median:>10.1f}{p90:>10.1f}{median - bare:>13.1f}")
    for name in LAYERS:
        if layers[name] is not True:
            print(f"{name:<12} unavailable: {layers[name]}")


if __name__ == "__main__":
    main()
