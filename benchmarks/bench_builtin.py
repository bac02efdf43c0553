"""The built-in repairer on the corpus: fix rate per bug class, time to a plausible patch, and the learning effect.

Run: python benchmarks/bench_builtin.py [--jobs N] [--budget 60] [--only NAME ...] [--reports DIR] [--learn]
     python benchmarks/bench_builtin.py --realbugs [--jobs N] [--budget 60] [--only NAME ...] [--reports DIR]

Each project's baseline runs cold with coverage (kept in --reports DIR for later runs), then the built-in
repairer searches within --budget seconds with --jobs warm workers. A patch counts as fixed only when a cold
re-run of the whole suite on the patched copy has the targets passing and no new failures, as the loop does.
Times are to the first plausible patch; `grace` is what the search spent after it looking for a smaller one.

--learn measures learning from use without leakage, the way the loop learns: the corpus is split in two halves
(alternating by name); the first half is repaired with the base prior and each fix is stored as the loop stores
it (signatures and a fix card, through the loop's memory bridge) in a fresh memory file. The second half is then
measured with the base prior, a uniform prior and the learned prior: the prior the repairer computes from the
cards memory recalls for the project's failure signatures (cross-project recall, so a card keeps only its
signature and diff). No card of a measured project is ever in the store.

--realbugs repairs the real-code corpus instead (benchmarks/realbugs, each bug tested with its package's own venv
interpreter); each row also gives the buggy file's lines, the suite's tests and the baseline run's duration.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from untilgreen.agent.memory_bridge import MemoryBridge
from untilgreen.memory import Recollection, Store
from untilgreen.models.base import Candidate, RepairRequest
from untilgreen.models.builtin import BuiltinRepairer
from untilgreen.models.builtin.operators import BASE_PRIOR
from untilgreen.models.builtin.priors import card_operator
from untilgreen.models.builtin.validate import FileVersion, cold_verdict
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.testrun import RunnerConfig
from untilgreen.sandbox.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parent))
from bench_localization import Bug, load_bug, real_bugs, test_report  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SINGLE_TOKEN = (
    "comparison-operator",
    "arithmetic-operator",
    "boolean-operator",
    "off-by-one",
    "wrong-name",
    "swapped-arguments",
    "wrong-constant",
)


@dataclass
class Outcome:
    name: str
    bug_class: str
    fixed: bool
    seconds: float | None  # to the first plausible patch, from the start of the search
    tried: int  # candidates validated up to the first plausible patch (all of them when none)
    generated: int
    grace: float | None  # seconds the search went on after the first plausible patch
    smaller: bool  # the patch returned is smaller than the first plausible one
    source: str
    report: TestReport
    winner: Candidate | None = None  # the cold-validated patch
    diff: str = ""
    recalled: list[str] = field(default_factory=list)  # operators of the cards the prior was learned from


def repair(
    bug: Bug,
    bug_class: str,
    args: argparse.Namespace,
    prior: dict[str, float] | None,
    recollections: Sequence[Recollection] = (),
) -> Outcome:
    config = RunnerConfig(python=bug.python or args.python, test_timeout_s=args.test_timeout or 10)
    report = baseline(bug, args)
    targets = report.failed_ids
    repairer = BuiltinRepairer(config, workers=args.jobs, prior=prior)
    winner, diff = None, ""
    with Workspace.create(bug.root) as workspace:
        request = RepairRequest(
            mode="fix",
            workspace=workspace,
            report=report,
            targets=targets,
            failures=report.failures,
            context=None,
            time_budget_s=args.budget,  # type: ignore[arg-type]
            recollections=list(recollections),
        )
        candidates = repairer.propose(request)
        if candidates:
            edit = candidates[0].edits[0]
            verdict = cold_verdict(workspace, FileVersion(edit.path, edit.text), [], config)  # type: ignore[union-attr]
            if verdict.satisfies(targets) and verdict.keeps(report):
                winner = candidates[0]
                with workspace.fork() as patched:
                    patched.write(edit.path, edit.text)  # type: ignore[union-attr]
                    diff = patched.diff()
    stats = repairer.stats
    first = stats.found[0] if stats and stats.found else None
    return Outcome(
        bug.name,
        bug_class,
        winner is not None,
        first.seconds if first and winner else None,
        first.tried if first else (stats.tried if stats else 0),
        stats.generated if stats else 0,
        stats.seconds - first.seconds if first and stats else None,
        bool(first and candidates and candidates[0].edits[0].text != first.text),  # type: ignore[union-attr]
        candidates[0].source if candidates else "",
        report,
        winner,
        diff,
        [card_operator(r.card) or "unread" for r in recollections],
    )


def baseline(bug: Bug, args: argparse.Namespace) -> TestReport:
    """The cold baseline with coverage; `--test-timeout` applies to it too when given."""
    return test_report(bug, args.python, args.reports, args.test_timeout or 30.0)


def run_all(
    bugs: list[tuple[Bug, str]],
    args: argparse.Namespace,
    prior: dict[str, float] | None,
    label: str,
    memory: Path | None = None,
) -> list[Outcome]:
    outcomes = []
    for bug, bug_class in bugs:
        started = time.monotonic()
        recalled = recall(memory, bug, baseline(bug, args)) if memory else []
        outcome = repair(bug, bug_class, args, prior, recalled)
        outcomes.append(outcome)
        took = f"{outcome.seconds:.1f}s" if outcome.seconds is not None else "-"
        grace = f"+{outcome.grace:.1f}s" if outcome.grace is not None else ""
        lines = len((bug.root / bug.file).read_text(encoding="utf-8").splitlines())
        tests = len(outcome.report.passed) + len(outcome.report.failures)
        print(
            f"[{label}] {bug.name:<34} {bug_class:<20} {lines:>5} lines {tests:>4} tests baseline "
            f"{outcome.report.duration_s:>5.1f}s {'FIXED' if outcome.fixed else 'no':<5} {took:>7} "
            f"{grace:<6} tried {outcome.tried:>4}/{outcome.generated:<5} {outcome.source:<24}"
            f"{' smaller' if outcome.smaller else ''}{' recalled ' + ','.join(outcome.recalled) if memory else ''} "
            f"({time.monotonic() - started:.0f}s with baseline)",
            flush=True,
        )
    return outcomes


def summarize(outcomes: list[Outcome]) -> None:
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_class[outcome.bug_class].append(outcome)
    print(f"\n{'class':<20} {'fixed':>7}  median time")
    for bug_class, items in sorted(by_class.items()):
        times = [o.seconds for o in items if o.seconds is not None]
        median = f"{statistics.median(times):.1f}s" if times else "-"
        print(f"{bug_class:<20} {sum(o.fixed for o in items):>3}/{len(items):<3}  {median}")
    single = [o for o in outcomes if o.bug_class in SINGLE_TOKEN]
    for label, items in (("single-token classes", single), ("all classes", outcomes)):
        times = [o.seconds for o in items if o.seconds is not None]
        fixed = sum(o.fixed for o in items)
        if items:
            print(
                f"{label}: {fixed}/{len(items)} fixed ({fixed / len(items):.0%}), median time to a plausible "
                f"patch {statistics.median(times) if times else float('nan'):.1f}s"
            )
    graces = [o.grace for o in outcomes if o.grace is not None]
    if graces:
        print(
            f"grace after the first plausible patch: median {statistics.median(graces):.2f}s, max "
            f"{max(graces):.2f}s; a smaller patch than the first was returned {sum(o.smaller for o in outcomes)} "
            f"time(s)"
        )


def remember(memory: Path, bug: Bug, outcome: Outcome) -> None:
    """Store a fix as the loop does at the end of a green run: its signatures and a fix card."""
    assert outcome.winner is not None
    bridge = _bridge(memory, bug)
    signatures = bridge.signatures(outcome.report.failures)
    verification = f"{len(outcome.report.failed_ids)} target test(s) green"
    bridge.fix_cards(signatures, outcome.winner, outcome.diff, (), verification)
    bridge.finish("green", "green", outcome.diff)
    _close(bridge)


def recall(memory: Path, bug: Bug, report: TestReport) -> list[Recollection]:
    """What the loop hands the repairer: the cards recalled for the failures' signatures (other projects' too)."""
    bridge = _bridge(memory, bug)
    recollections = bridge.recall(bridge.signatures(report.failures))
    _close(bridge)
    return recollections


def _bridge(memory: Path, bug: Bug) -> MemoryBridge:
    bridge = MemoryBridge(Store.open(memory, root=bug.root), cross_project=True)
    bridge.start("fix", "", "builtin", "untilgreen fix")
    return bridge


def _close(bridge: MemoryBridge) -> None:
    assert bridge.store is not None, (
        bridge.problem
    )  # the bridge turns memory off on an error; the benchmark must not
    bridge.close()


def learn(bugs: list[tuple[Bug, str]], args: argparse.Namespace) -> None:
    first, second = bugs[0::2], bugs[1::2]
    with tempfile.TemporaryDirectory() as folder:
        memory = Path(folder) / "memory.sqlite3"
        taught = run_all(first, args, None, "learn")
        for (bug, _), outcome in zip(first, taught):
            if outcome.winner is not None:
                remember(memory, bug, outcome)
        with Store.open(memory) as store:
            cards = store.stats()["fix_cards"]["pending"]
        uniform = {op: 1.0 for op in BASE_PRIOR}
        results = {
            label: run_all(second, args, prior, label, memory if label == "learned" else None)
            for label, prior in (("base", dict(BASE_PRIOR)), ("uniform", uniform), ("learned", None))
        }
        with Store.open(memory) as store:
            assert store.stats()["fix_cards"]["pending"] == cards, "a measured project added a fix card"
    operators = Counter(o.source.removeprefix("builtin:") for o in taught if o.fixed)
    print(
        f"\nlearning: {cards} fix cards from {sum(o.fixed for o in taught)} of {len(first)} projects "
        f"({dict(operators)}); measured on the other {len(second)}, "
        f"{sum(bool(o.recalled) for o in results['learned'])} of them recalled cards"
    )
    by_all = set.intersection(*({o.name for o in outcomes if o.fixed} for outcomes in results.values()))
    for label, outcomes in results.items():
        fixed = [o for o in outcomes if o.fixed]
        tried = [o.tried for o in fixed]
        seconds = [o.seconds for o in fixed if o.seconds is not None]
        common = [o.tried for o in fixed if o.name in by_all]
        print(
            f"{label:<8} fixed {len(fixed)}/{len(outcomes)}, candidates to the fix median "
            f"{statistics.median(tried) if tried else float('nan'):.0f} mean "
            f"{statistics.mean(tried) if tried else float('nan'):.1f}, mean on the {len(by_all)} fixed by all "
            f"{statistics.mean(common) if common else float('nan'):.1f}, median time "
            f"{statistics.median(seconds) if seconds else float('nan'):.1f}s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the corpus tests")
    parser.add_argument("--jobs", type=int, default=2, help="warm workers")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per project")
    parser.add_argument(
        "--reports", type=Path, default=None, help="keep/reuse baseline reports in this folder"
    )
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--learn", action="store_true")
    parser.add_argument(
        "--realbugs", action="store_true", help="repair the real-code corpus (benchmarks/realbugs)"
    )
    parser.add_argument(
        "--test-timeout",
        type=float,
        default=None,
        help="per-test timeout of the baseline and the candidates (default: 30 s and 10 s)",
    )
    args = parser.parse_args()
    if args.realbugs:
        bugs = [(bug, bug.kind) for bug in real_bugs(args.only or ())]
    else:
        bugs = [
            (load_bug(path), tomllib.loads(path.read_text(encoding="utf-8"))["class"])
            for path in sorted(args.corpus.glob("*/bug.toml"))
            if not args.only or path.parent.name in args.only
        ]
    if args.learn:
        learn(bugs, args)
    else:
        summarize(run_all(bugs, args, None, "builtin"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
