"""Indexing speed on a large real codebase (targets: cold < 5 s, one-file change < 100 ms).

Run: python benchmarks/bench_index.py [--package pip] [--repeat 3]

Indexes the installed source of a package found at run time (default: pip, about 180k lines) into a fresh
cache (cold), reopens it unchanged (warm), then edits one file and re-indexes (one-file change: the whole
tree is still checked by mtime, one file is re-chunked: a median-sized one, then the largest). Prints the
median of each step, and for the cold index the CPU seconds of this process and of the chunking workers:
on a loaded machine wall time mostly measures the other processes, CPU time does not.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from untilgreen.context import Index


def package_root(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed as a package; pick another with --package")
    return Path(next(iter(spec.submodule_search_locations)))


def timed(step) -> tuple[float, object]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="pip")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / args.package
        shutil.copytree(package_root(args.package), root, ignore=shutil.ignore_patterns("__pycache__"))
        files = sorted(root.rglob("*.py"))
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        by_size = sorted(files, key=lambda p: p.stat().st_size)
        victims = {"median-sized": by_size[len(by_size) // 2], "largest": by_size[-1]}
        sizes = {kind: victim.read_bytes().count(b"\n") for kind, victim in victims.items()}
        cold, warm, cold_cpu, worker_cpu = [], [], [], []
        change: dict[str, list[float]] = {kind: [] for kind in victims}
        for run in range(args.repeat):
            cache = Path(scratch) / f"cache{run}"
            cpu, workers = time.process_time(), _children_cpu()
            seconds, index = timed(lambda: Index.for_root(root, cache_dir=cache))
            cold.append(seconds)
            cold_cpu.append(time.process_time() - cpu)
            worker_cpu.append(_children_cpu() - workers)
            chunks = len(index.chunks())
            index.close()
            seconds, index = timed(lambda: Index.for_root(root, cache_dir=cache))
            warm.append(seconds)
            for kind, victim in victims.items():
                victim.write_text(victim.read_text() + f"\n\ndef added_{run}():\n    return {run}\n")
                seconds, _ = timed(index.refresh)
                change[kind].append(seconds)
                assert index.stats["chunked"] == 1, index.stats
            index.close()

    print(f"{args.package}: {len(files)} Python files, {lines} lines, {chunks} chunks")
    print(
        f"cold index:        {statistics.median(cold):.2f} s   (target < 5 s; CPU: this process "
        f"{statistics.median(cold_cpu):.2f} s, chunking workers {statistics.median(worker_cpu):.2f} s)"
    )
    print(f"warm, unchanged:   {statistics.median(warm) * 1000:.0f} ms")
    for kind, seconds in change.items():
        print(
            f"one-file change:   {statistics.median(seconds) * 1000:.0f} ms   (target < 100 ms; the {kind} "
            f"file, {sizes[kind]} lines)"
        )
    return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
