"""Run one package's own test suite under plain `python -m pytest` and under `untilgreen check`, and compare.

Both runs get a fresh copy of the pristine sources and the same environment (the package's venv first on
PATH, an empty HOME, LANG=C.UTF-8). The plain side records outcomes with `plain/ecosystem_outcomes.py`, a
plugin of its own (nothing of untilgreen's); the untilgreen side reads `check --json` ("outcomes" and
"failures"). Outcomes compared per test id: passed, failed, skipped, xfailed, xpassed, error (a test whose
setup or teardown failed, or a file that failed to collect), and untilgreen's timeout.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.ecosystem.fetch import Prepared

PLAIN_PLUGIN_DIR = Path(__file__).resolve().parent / "plain"
UNTILGREEN = Path(sys.executable).with_name("untilgreen")
RUN_TIMEOUT_S = 900


class RunError(Exception):
    """One side produced no per-test outcomes; the message says what it printed."""


@dataclass(frozen=True)
class Difference:
    test_id: str
    plain: str  # "missing" when the test did not run on that side
    untilgreen: str
    reason: str = ""  # the allowlist's justification when the difference is environmental


@dataclass
class Comparison:
    name: str
    tests: int = 0
    identical: int = 0
    differences: list[Difference] = field(default_factory=list)
    plain_s: float = 0.0
    untilgreen_s: float = 0.0
    error: str = ""  # a side that did not run at all

    @property
    def unexplained(self) -> list[Difference]:
        return [d for d in self.differences if not d.reason]

    @property
    def environmental(self) -> list[Difference]:
        return [d for d in self.differences if d.reason]


def compare(prepared: Prepared) -> Comparison:
    """Both runs of `prepared`, compared test by test."""
    comparison = Comparison(prepared.name)
    with tempfile.TemporaryDirectory(prefix=f"ecosystem-{prepared.name}-") as scratch:
        base = Path(scratch)
        try:
            started = time.monotonic()
            plain = plain_outcomes(prepared, base / "plain")
            comparison.plain_s = time.monotonic() - started
            started = time.monotonic()
            untilgreen, flagged = untilgreen_outcomes(prepared, base / "untilgreen")
            comparison.untilgreen_s = time.monotonic() - started
        except RunError as exc:
            comparison.error = str(exc)
            return comparison
    allowlist = {**flagged, **prepared.package.environmental}
    pair_volatile_ids(plain, untilgreen)
    for test_id in sorted(plain.keys() | untilgreen.keys()):
        ours, theirs = plain.get(test_id, "missing"), untilgreen.get(test_id, "missing")
        comparison.tests += 1
        if ours == theirs:
            comparison.identical += 1
        else:
            comparison.differences.append(Difference(test_id, ours, theirs, allowlist.get(test_id, "")))
    return comparison


_DIGITS = re.compile(r"\d+")


def pair_volatile_ids(plain: dict[str, str], untilgreen: dict[str, str]) -> None:
    """Rename untilgreen's ids that only one side has to the plain side's id when they differ only in the numbers
    of their parameters and pair one to one: a test parametrized with the clock (marshmallow's
    `datetime.now()`) or a random number is named differently by any two runs."""

    def volatile(test_id: str) -> str:
        name, bracket, params = test_id.partition("[")
        return name + bracket + _DIGITS.sub("#", params)

    only_plain, only_ours = plain.keys() - untilgreen.keys(), untilgreen.keys() - plain.keys()
    theirs: dict[str, list[str]] = {}
    for test_id in only_plain:
        theirs.setdefault(volatile(test_id), []).append(test_id)
    ours: dict[str, list[str]] = {}
    for test_id in only_ours:
        ours.setdefault(volatile(test_id), []).append(test_id)
    for key, ids in ours.items():
        if "[" in key and len(ids) == 1 and len(theirs.get(key, ())) == 1:
            untilgreen[theirs[key][0]] = untilgreen.pop(ids[0])


def environment(prepared: Prepared, home: Path) -> dict[str, str]:
    """The environment both sides start from: nothing of the caller's but a plain PATH."""
    home.mkdir(parents=True, exist_ok=True)
    # One hash seed for both: a suite that parametrizes over a set (isodate) names its tests in the set's
    # iteration order, which changes with the seed from one plain run to the next.
    return {
        "PATH": f"{prepared.python.parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
    }


def plain_outcomes(prepared: Prepared, scratch: Path) -> dict[str, str]:
    """{test id: outcome} of `python -m pytest` in a fresh copy of the sources."""
    root = prepared.copy_to(scratch / "src")
    report = scratch / "outcomes.jsonl"
    env = environment(prepared, scratch / "home")
    # The sources importable from every process of the run, as an editable install makes them (untilgreen puts
    # its shadow's root and `src/` on PYTHONPATH, which a test's child processes inherit too).
    env["PYTHONPATH"] = ":".join([str(PLAIN_PLUGIN_DIR), *prepared.pythonpath(root), str(root)])
    env["ECOSYSTEM_OUTCOMES"] = str(report)
    # untilgreen runs past a file that fails to collect (one broken file must not hide every other verdict);
    # plain pytest would stop the session there, so the reference side is asked to do the same.
    argv = [
        str(prepared.python),
        "-m",
        "pytest",
        "-p",
        "ecosystem_outcomes",
        "-p",
        "no:cacheprovider",
        "--continue-on-collection-errors",
        *prepared.package.args,
    ]
    result = _run(argv, root, env)
    if not report.exists():
        raise RunError(f"plain pytest reported no test ({_tail(result)})")
    outcomes = {}
    for line in report.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        # pytest < 4 puts a `()` instance node in method ids (`Class::()::test`); untilgreen reports the id of
        # pytest >= 4 for the same test, so the plain side is read the same way.
        outcomes[event["test_id"].replace("::()::", "::")] = event["outcome"]
    return outcomes


def untilgreen_outcomes(prepared: Prepared, scratch: Path) -> tuple[dict[str, str], dict[str, str]]:
    """{test id: outcome} of `untilgreen check --json` on a fresh copy of the sources, and {test id: why} of the
    failures check itself reports as caused by the environment (its `environmental` key)."""
    root = prepared.copy_to(scratch / "src")
    env = environment(prepared, scratch / "home")
    argv = [str(UNTILGREEN), "check", str(root), "--json", "--set", f"python={prepared.python}"]
    for arg in prepared.package.args:
        argv += ["--test", arg]
    result = _run(argv, root, env)
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RunError(f"untilgreen check printed no JSON ({_tail(result)})") from None
    if "outcomes" not in data:
        raise RunError("untilgreen check --json has no per-test `outcomes` key")
    outcomes = dict(data["outcomes"])
    for failure in data["failures"]:
        if failure["kind"] == "collection":
            outcomes[failure["test_id"]] = "error"
        else:
            outcomes.setdefault(failure["test_id"], failure["kind"])
    flagged = {
        test_id: f"untilgreen check: {need['advice']}" for test_id, need in data["environmental"].items()
    }
    return outcomes, flagged


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise RunError(
            f"{Path(argv[0]).name} {' '.join(argv[1:3])} did not finish in {RUN_TIMEOUT_S} s"
        ) from None


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr.strip() or result.stdout.strip() or f"exit code {result.returncode}").splitlines()
    return lines[-1][:300]
