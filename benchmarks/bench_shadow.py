"""How long shadow workspaces take for a generated 5,000-file project (target: creation under 1 s).

Run: python benchmarks/bench_shadow.py [--files 5000] [--repeat 5] [--no-git]
Prints the median of each step: cold creation (empty base), warm creation (base in sync), creation after
touching 10 files, fork, and diff (10 files edited in the workspace). File creation dominates the cold step,
so its wall time depends on the file system and on how busy the machine is.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from untilgreen.sandbox.workspace import Workspace

TARGET_S = 1.0
AN_HOUR_AGO = time.time() - 3600
T = TypeVar("T")


def generate(root: Path, count: int, rng: random.Random) -> list[str]:
    """`count` Python files of 200 B to 4 KB (about 2 KB on average) in nested packages, dated an hour ago."""
    files = []
    for i in range(count):
        rel = f"pkg{i % 20}/sub{i % 7}/deep{i % 5}/module_{i}.py"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            f"def function_{i}_{n}(value):\n    return value * {n} + {rng.randrange(1000)}\n\n"
            for n in range(60)
        ]
        text = "".join(lines)[: rng.randint(200, 3800)]
        path.write_text(text + "\n")
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
        files.append(rel)
    return files


def timed(step: Callable[[], T], into: list[tuple[float, float]]) -> T:
    """Run `step`, appending its (wall, CPU) seconds; CPU time is steadier than wall time on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    into.append((time.perf_counter() - wall, time.process_time() - cpu))
    return result


def measure(
    root: Path, files: list[str], repeat: int, scratch: Path, rng: random.Random
) -> dict[str, list[tuple[float, float]]]:
    times: dict[str, list[tuple[float, float]]] = {
        name: [] for name in ("cold", "warm", "touched 10", "fork", "diff (10 edits)")
    }
    for run in range(repeat):
        cache = scratch / f"cache-{run}"
        timed(lambda: Workspace.create(root, cache_dir=cache), times["cold"]).close()
        timed(lambda: Workspace.create(root, cache_dir=cache), times["warm"]).close()
        for rel in rng.sample(files, 10):
            with open(root / rel, "a") as fh:
                fh.write(f"# touched {run}\n")
        with timed(lambda: Workspace.create(root, cache_dir=cache), times["touched 10"]) as ws:
            for rel in rng.sample(files, 10):
                ws.write(rel, ws.read(rel).replace("return", "return -", 1))
            timed(ws.fork, times["fork"]).close()
            timed(ws.diff, times["diff (10 edits)"])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-git", action="store_true", help="list files by walking instead of git ls-files")
    args = parser.parse_args()
    rng = random.Random(1234)
    with tempfile.TemporaryDirectory(prefix="untilgreen-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        root = scratch / "project"
        files = generate(root, args.files, rng)
        if not args.no_git:
            subprocess.run(["git", "init", "-q"], cwd=root, check=True)
            subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        size = sum((root / rel).stat().st_size for rel in files)
        listing = "walk" if args.no_git else "git ls-files"
        print(f"project: {len(files)} files, {size / len(files) / 1024:.1f} KB average, listing by {listing}")
        print(f"median of {args.repeat} runs, wall (min-max) and CPU time of this process:")
        for step, pairs in measure(root, files, args.repeat, scratch, rng).items():
            walls, cpus = [w * 1000 for w, _ in pairs], [c * 1000 for _, c in pairs]
            verdict = ""
            if not step.startswith(("fork", "diff")):
                verdict = "  under 1 s" if max(walls) < TARGET_S * 1000 else "  OVER 1 s at least once"
            print(
                f"  {step:<16} {statistics.median(walls):8.1f} ms ({min(walls):.1f}-{max(walls):.1f})"
                f"  cpu {statistics.median(cpus):7.1f} ms{verdict}"
            )


if __name__ == "__main__":
    main()
