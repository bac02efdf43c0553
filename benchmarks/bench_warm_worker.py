"""Candidates validated per second: warm workers (forked pytest in the sandbox) vs cold pytest per candidate.

Run: python benchmarks/bench_warm_worker.py [--project rate_limiter | --root DIR] [--jobs 2] [--count 60]
[--cold-count 6] [--pytest-only]

Takes the mutants of a small corpus project's suspicious lines and runs each one's failing target tests (what
the search does first for every candidate), or of any project with failing tests (--root): warm, with --jobs
workers in parallel, and cold (`run_tests` on a
workspace fork with the mutant written), one at a time. Worker start-up is reported apart from the rate, and
the CPU a warm candidate cost (in the sandbox, and in this process) with it: on a shared machine the rate
follows the load. The workers run the targets without pytest's collection where they can (the direct runner);
--pytest-only turns that off, to compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from untilgreen.context.sbfl import ochiai_lines
from untilgreen.models.builtin.mutate import mutants
from untilgreen.models.builtin.validate import FileVersion, WarmWorker, cold_verdict
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="rate_limiter", help="a corpus project")
    parser.add_argument("--root", type=Path, help="any project with failing tests, instead of a corpus one")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--count", type=int, default=60, help="warm candidates")
    parser.add_argument("--cold-count", type=int, default=6, help="cold candidates")
    parser.add_argument("--pytest-only", action="store_true", help="no direct runner: every fork runs pytest")
    args = parser.parse_args()
    config = RunnerConfig(python=args.python, test_timeout_s=5)
    root = args.root.resolve() if args.root else Path(__file__).parent / "corpus" / args.project
    with Workspace.create(root) as workspace, workspace.fork() as shadow:
        report = run_tests(workspace, config=config, coverage=True)
        targets = report.failed_ids
        files = {f: workspace.read(f) for f in workspace.files() if f.endswith(".py") and "test" not in f}
        candidates = [
            FileVersion(m.path, m.mutation.apply(files[m.path])) for m in mutants(files, ochiai_lines(report))
        ]
        print(
            f"{root.name}: {len(candidates)} mutants, targets {len(targets)} tests, isolation "
            f"{report.isolation}"
        )

        started = time.monotonic()
        workers = [
            WarmWorker(shadow, config, lifetime_s=600, direct=not args.pytest_only) for _ in range(args.jobs)
        ]
        print(
            f"warm: {args.jobs} workers started in {time.monotonic() - started:.1f}s, prepared ahead: "
            f"{workers[0].prepared}"
        )
        queue = iter(candidates[: args.count])
        lock = threading.Lock()
        done = [0]

        def drain(worker: WarmWorker) -> None:
            while True:
                with lock:
                    candidate = next(queue, None)
                if candidate is None:
                    return
                worker.run(candidate, targets, timeout_s=10, test_timeout_s=5)
                with lock:
                    done[0] += 1

        started, own = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
        threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        warm_rate = done[0] / (time.monotonic() - started)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        here = usage.ru_utime + usage.ru_stime - own.ru_utime - own.ru_stime
        for worker in workers:
            worker.close()
        print(
            f"warm: {done[0]} candidates, {warm_rate:.1f} candidates/s; CPU per candidate "
            f"{sum(w.cpu_s for w in workers) / done[0] * 1000:.1f} ms in the sandbox + "
            f"{here / done[0] * 1000:.1f} ms here; load average {os.getloadavg()[0]:.1f}; paths "
            f"{dict(sum((w.paths for w in workers), Counter()))}"
        )

        started = time.monotonic()
        for candidate in candidates[: args.cold_count]:
            cold_verdict(shadow, candidate, targets, config)
        cold_rate = args.cold_count / (time.monotonic() - started)
        print(f"cold: {args.cold_count} candidates, {cold_rate:.2f} candidates/s (one at a time)")
        print(
            f"warm/cold: {warm_rate / cold_rate:.0f}x ({warm_rate / cold_rate / args.jobs:.0f}x per worker)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
