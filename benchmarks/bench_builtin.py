"""The built-in repairer on the corpus: fix rate per bug class, time to a plausible patch, and the learning effect.

Run: python benchmarks/bench_builtin.py [--jobs N] [--budget 60] [--only NAME ...] [--reports DIR] [--learn]

Each project's baseline runs cold with coverage (kept in --reports DIR for later runs), then the built-in
repairer searches within --budget seconds with --jobs warm workers. A patch counts as fixed only when a cold
re-run of the whole suite on the patched copy has the targets passing and no new failures, as the loop does.

--learn measures learning from use without leakage: the corpus is split in two halves (alternating by name);
fix cards are made from the patches that fixed the first half (found with the base prior; each card holds only
the failure's signature and the diff, as memory recalls a card from another project), and the second
half is measured with the base prior, a uniform prior and the prior learned from those cards: candidates
validated before the fix and time to it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from untilgreen.memory.records import FixCard
from untilgreen.memory.signature import signature
from untilgreen.models.base import RepairRequest
from untilgreen.models.builtin import BuiltinRepairer, prior_from_cards
from untilgreen.models.builtin.priors import card_operator
from untilgreen.models.builtin.operators import BASE_PRIOR
from untilgreen.models.builtin.repairer import text_diff
from untilgreen.models.builtin.validate import FileVersion, cold_verdict
from untilgreen.sandbox.testrun import RunnerConfig
from untilgreen.sandbox.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parent))
from bench_localization import Bug, load_bug, test_report  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SINGLE_TOKEN = ("comparison-operator", "arithmetic-operator", "boolean-operator", "off-by-one", "wrong-name",
                "swapped-arguments", "wrong-constant")


@dataclass
class Outcome:
    name: str
    bug_class: str
    fixed: bool
    seconds: float | None  # to the plausible patch, from the start of the search
    tried: int
    generated: int
    source: str
    card: FixCard | None


def repair(bug: Bug, bug_class: str, args: argparse.Namespace, prior: dict[str, float] | None) -> Outcome:
    config = RunnerConfig(python=args.python, test_timeout_s=10)
    report = test_report(bug, args.python, args.reports)
    targets = report.failed_ids
    repairer = BuiltinRepairer(config, workers=args.jobs, prior=prior)
    with Workspace.create(bug.root) as workspace:
        request = RepairRequest(mode="fix", workspace=workspace, report=report, targets=targets,
                                failures=report.failures, context=None, time_budget_s=args.budget)  # type: ignore[arg-type]
        candidates = repairer.propose(request)
        stats = repairer.stats
        fixed, card, source = False, None, ""
        if candidates:
            edit = candidates[0].edits[0]
            verdict = cold_verdict(workspace, FileVersion(edit.path, edit.text), [], config)  # type: ignore[union-attr]
            fixed = verdict.satisfies(targets) and verdict.keeps(report)
            source = candidates[0].source
            # As memory recalls a card from another project: the signature and the diff, no text naming the
            # operator, so the learned prior reads each operator from the diff.
            card = FixCard(signature=signature(report.failures[0]),
                           diff=text_diff(workspace.read(edit.path), edit.text), project="")  # type: ignore[union-attr]
    found = stats.found[0] if stats and stats.found else None
    return Outcome(bug.name, bug_class, fixed, found.seconds if found and fixed else None,
                   found.tried if found else (stats.tried if stats else 0), stats.generated if stats else 0,
                   source, card if fixed else None)


def run_all(bugs: list[tuple[Bug, str]], args: argparse.Namespace, prior: dict[str, float] | None,
            label: str) -> list[Outcome]:
    outcomes = []
    for bug, bug_class in bugs:
        started = time.monotonic()
        outcome = repair(bug, bug_class, args, prior)
        outcomes.append(outcome)
        took = f"{outcome.seconds:.1f}s" if outcome.seconds is not None else "-"
        print(f"[{label}] {bug.name:<18} {bug_class:<20} {'FIXED' if outcome.fixed else 'no':<5} {took:>7} "
              f"tried {outcome.tried:>4}/{outcome.generated:<5} {outcome.source:<24} "
              f"({time.monotonic() - started:.0f}s with baseline)", flush=True)
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
            print(f"{label}: {fixed}/{len(items)} fixed ({fixed / len(items):.0%}), median time to a plausible "
                  f"patch {statistics.median(times) if times else float('nan'):.1f}s")


def learn(bugs: list[tuple[Bug, str]], args: argparse.Namespace) -> None:
    first, second = bugs[0::2], bugs[1::2]
    taught = run_all(first, args, None, "learn")
    cards = [o.card for o in taught if o.card is not None]
    uniform = {op: 1.0 for op in BASE_PRIOR}
    results = {label: run_all(second, args, prior, label) for label, prior in
               (("base", dict(BASE_PRIOR)), ("uniform", uniform), ("learned", prior_from_cards(cards)))}
    operators = Counter(card_operator(card) or "unread" for card in cards)
    print(f"\nlearning: {len(cards)} fix cards from {len(first)} projects ({dict(operators)}); measured on the "
          f"other {len(second)}")
    for label, outcomes in results.items():
        fixed = [o for o in outcomes if o.fixed]
        tried = statistics.median([o.tried for o in fixed]) if fixed else float("nan")
        seconds = statistics.median([o.seconds for o in fixed if o.seconds is not None]) if fixed else float("nan")
        print(f"{label:<8} fixed {len(fixed)}/{len(outcomes)}, median candidates to the fix {tried:.0f}, "
              f"median time {seconds:.1f}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the corpus tests")
    parser.add_argument("--jobs", type=int, default=2, help="warm workers")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per project")
    parser.add_argument("--reports", type=Path, default=None, help="keep/reuse baseline reports in this folder")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--learn", action="store_true")
    args = parser.parse_args()
    bugs = []
    for path in sorted(args.corpus.glob("*/bug.toml")):
        if args.only and path.parent.name not in args.only:
            continue
        bugs.append((load_bug(path), tomllib.loads(path.read_text(encoding="utf-8"))["class"]))
    if args.learn:
        learn(bugs, args)
    else:
        summarize(run_all(bugs, args, None, "builtin"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
