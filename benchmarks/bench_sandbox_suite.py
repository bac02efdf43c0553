"""Sandboxed run of a 50-test suite vs bare `python -m pytest` on the same suite.

Prints the median wall time of each over --repeat runs and their ratio (target <= 1.3). The sandboxed figure is
`run_tests` on a ready shadow workspace (the steady state of a repair loop); shadow creation is printed apart.

    .venv/bin/python benchmarks/bench_sandbox_suite.py [--repeat 7] [--isolation auto]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from untilgreen.sandbox import RunnerConfig, Workspace, run_tests

MODULE = '''\
"""Order arithmetic used by the benchmark suite."""


def subtotal(lines):
    return sum(quantity * price for quantity, price in lines)


def discount(amount, percent):
    return round(amount * (100 - percent) / 100, 2)


def checksum(text):
    value = 0
    for char in text * 200:
        value = (value * 31 + ord(char)) % 1_000_003
    return value
'''

TEST = """\
import pytest

from orders import checksum, discount, subtotal


@pytest.mark.parametrize("n", range(10))
def test_subtotal_{k}(n):
    assert subtotal([(n, 2.5), (1, 1.0)]) == n * 2.5 + 1.0


@pytest.mark.parametrize("percent", [0, 10, 25, 50, 100])
def test_discount_{k}(percent):
    assert discount(200, percent) == 200 - 2 * percent
    assert checksum("order-{k}") == checksum("order-{k}")
"""


def make_suite(root: Path) -> None:
    (root / "tests").mkdir(parents=True)
    (root / "orders.py").write_text(MODULE)
    for k in range(2):  # 2 files x (10 + 5) parametrised tests... plus the remainder below = 50
        (root / "tests" / f"test_orders_{k}.py").write_text(TEST.format(k=k))
    extra = "\n".join(f"def test_extra_{i}():\n    assert {i} + 1 == {i + 1}\n" for i in range(20))
    (root / "tests" / "test_extra.py").write_text(extra)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--isolation", default="auto")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "suite"
        make_suite(root)
        cache = Path(tmp) / "cache"
        bare_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
        config = RunnerConfig(python=sys.executable, isolation=args.isolation)
        create = [timed(lambda: Workspace.create(root, cache_dir=cache).close()) for _ in range(args.repeat)]
        with Workspace.create(root, cache_dir=cache) as workspace:
            report = run_tests(workspace, config=config)
            assert len(report.passed) == 50 and report.green, report.failures
            bare, boxed = [], []
            for _ in range(args.repeat):  # interleaved, so load changes hit both alike
                bare.append(
                    timed(lambda: subprocess.run(bare_cmd, cwd=root, check=True, capture_output=True))
                )
                boxed.append(timed(lambda: run_tests(workspace, config=config)))
        b, s = statistics.median(bare), statistics.median(boxed)
        print(f"tests: 50, isolation: {report.isolation}, repeat: {args.repeat}")
        print(f"bare python -m pytest   median {b * 1000:7.0f} ms")
        print(f"sandboxed run_tests     median {s * 1000:7.0f} ms")
        print(f"ratio                   {s / b:7.2f}   (target <= 1.3)")
        print(f"shadow creation (warm)  median {statistics.median(create[1:] or create) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
