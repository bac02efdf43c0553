"""The ecosystem check: real packages' own test suites under plain pytest and under `untilgreen check`.

    .venv/bin/python benchmarks/ecosystem/run.py [--only NAME ... | --ci] [--jobs N] [--prepare-only]

Prints a table per package (tests, identical, differing, environmental, seconds for each side) and then every
difference. Exits 1 when a difference is not in a package's `environmental` allowlist (packages.toml) or a
side did not run; 0 otherwise. A benchmark, not a timed test: the seconds are figures to record.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.ecosystem.compare import Comparison, compare  # noqa: E402
from benchmarks.ecosystem.fetch import FetchError, packages, prepare  # noqa: E402


def check(name: str) -> Comparison:
    try:
        prepared = prepare(name)
    except FetchError as exc:
        return Comparison(name, error=str(exc))
    return compare(prepared)


HEADER = f"{'package':<26} {'tests':>6} {'identical':>9} {'differing':>9} {'environ.':>8} {'plain s':>8} {'ug s':>7}"


def row(r: Comparison) -> str:
    if r.error:
        return f"{r.name:<26} did not run: {r.error}"
    return (
        f"{r.name:<26} {r.tests:>6} {r.identical:>9} {len(r.unexplained):>9} {len(r.environmental):>8} "
        f"{r.plain_s:>8.1f} {r.untilgreen_s:>7.1f}"
    )


def total(results: list[Comparison]) -> str:
    ran = [r for r in results if not r.error]
    return (
        f"{'total (' + str(len(ran)) + ' packages)':<26} {sum(r.tests for r in ran):>6} "
        f"{sum(r.identical for r in ran):>9} {sum(len(r.unexplained) for r in ran):>9} "
        f"{sum(len(r.environmental) for r in ran):>8} {sum(r.plain_s for r in ran):>8.1f} "
        f"{sum(r.untilgreen_s for r in ran):>7.1f}"
    )


def print_differences(results: list[Comparison]) -> None:
    for r in results:
        for d in r.differences:
            verdict = f"environmental: {d.reason}" if d.reason else "UNEXPLAINED"
            print(f"{r.name}: {d.test_id}: plain {d.plain}, untilgreen {d.untilgreen} ({verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="check only these packages")
    parser.add_argument("--ci", action="store_true", help="only the fast subset our test suite runs")
    parser.add_argument("--jobs", type=int, default=1, help="packages checked at once (default 1)")
    parser.add_argument("--prepare-only", action="store_true", help="download and build, run nothing")
    args = parser.parse_args()
    known = packages()
    unknown = [name for name in args.only or () if name not in known]
    if unknown:
        parser.error(f"not in packages.toml: {', '.join(unknown)}")
    names = args.only or [name for name, package in known.items() if package.ci or not args.ci]
    if args.prepare_only:
        for name in names:
            try:
                prepare(name)
            except FetchError as exc:
                print(f"cannot prepare {name}: {exc}", file=sys.stderr)
                return 1
        return 0
    print(HEADER)
    print("-" * len(HEADER))
    results = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for result in pool.map(
            check, names
        ):  # rows in manifest order, each as soon as it and those above are done
            print(row(result), flush=True)
            results.append(result)
    print("-" * len(HEADER))
    print(total(results))
    print_differences(results)
    failed = [r.name for r in results if r.error or r.unexplained]
    if failed:
        print(f"unexplained differences or runs that failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
