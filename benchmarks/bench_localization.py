"""Localization accuracy and packed-context size on the corpus (target: top-3 >= 90%).

Run: python benchmarks/bench_localization.py [--corpus benchmarks/corpus] [--budget 6000] [--reports DIR]
     python benchmarks/bench_localization.py --realbugs [--only NAME ...] [--reports DIR]

Each corpus project's tests run in the sandbox with coverage; the context engine then ranks chunks. A ranked
chunk is the bug when it is in bug.toml's `file` and either is bug.toml's `symbol` (qualified name) or holds
a line the reference fix changes (a bug in an import block has no symbol of its own). Prints each project's
rank of the bug, top-1/top-3 hit rates, the packed context's tokens against sending the touched files whole
(and the whole project), and how far the fast token approximation is from tiktoken's cl100k_base.
`--reports DIR` keeps the test reports, keyed by a hash of each project's files, so a second run only re-ranks
(and a changed project runs again).

Development set and held-out set: the first 48 corpus projects were all looked at while developing the localizer,
so their figure is not a measure on unseen code. The projects in `HELD_OUT` were written afterwards, blind to the
tools, and were only measured: the two sets are printed apart, then per bug class and tag. Do not tune the
localizer on the held-out set; when a change is made after looking at its results, move those names out.

`--realbugs` measures the real-code corpus instead (benchmarks/realbugs): each bug's project is the pristine sdist
of a package of the ecosystem check with the bug applied, tested with that package's own venv interpreter.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from untilgreen.context import Chunk, Index, approx_tokens, tiktoken_counter
from untilgreen.context.paths import is_test_path
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HUNK = re.compile(r"^@@ -(\d+)")
HELD_OUT = frozenset(
    {
        "address_normalise",
        "bowling_score",
        "cron_schedule",
        "inventory_holds",
        "invoice_numbering",
        "json_pointer",
        "kmer_stats",
        "league_table",
        "priority_scheduler",
        "recipe_scaling",
        "semver_range",
        "text_diff",
    }
)


@dataclass
class Bug:
    name: str
    root: Path
    file: str
    symbol: str
    fixed_lines: set[int]
    kind: str = ""
    tags: list[str] = field(default_factory=list)
    python: str = ""  # the interpreter of the project's own venv ("" for --python)
    test_paths: tuple[str, ...] = ()  # what pytest is given (nothing: its own default)

    def is_hit(self, chunk: Chunk) -> bool:
        if chunk.path != self.file:
            return False
        return chunk.symbol.split("#")[0] == self.symbol or any(
            chunk.start <= n <= chunk.end for n in self.fixed_lines
        )


def load_bug(bug_toml: Path) -> Bug:
    data = tomllib.loads(bug_toml.read_text(encoding="utf-8"))
    return Bug(
        bug_toml.parent.name,
        bug_toml.parent,
        data["file"],
        data["symbol"],
        _old_lines(data.get("fix", "")),
        data.get("class", ""),
        list(data.get("tags", [])),
    )


def real_bugs(only: Sequence[str] = ()) -> list[Bug]:
    """The bugs of the real-code corpus, each materialised from its package's pristine sdist."""
    sys.path.insert(0, str(Path(__file__).parent / "realbugs"))
    from descriptors import bugs, checkout, test_paths

    found = []
    for real in bugs(only):
        root, prepared = checkout(real)
        found.append(
            Bug(
                real.name,
                root,
                real.file,
                real.symbol,
                _old_lines(real.fix),
                real.bug_class,
                list(real.tags),
                str(prepared.python),
                tuple(test_paths(prepared) or ()),
            )
        )
    return found


def _old_lines(diff: str) -> set[int]:
    """Lines of the buggy file that the fix removes or replaces (for a pure insertion: the line before)."""
    lines: set[int] = set()
    current = 0
    for row in diff.splitlines():
        hunk = _HUNK.match(row)
        if hunk:
            current = int(hunk.group(1))
        elif row.startswith("-") and not row.startswith("---"):
            lines.add(current)
            current += 1
        elif row.startswith("+") and not row.startswith("+++"):
            lines.add(max(current - 1, 1))
        elif current:
            current += 1
    return lines


def test_report(bug: Bug, python: str, reports: Path | None, test_timeout_s: float = 30.0) -> TestReport:
    saved = reports / f"{bug.name}-{_fingerprint(bug.root)}.json" if reports else None
    if saved and saved.exists():
        return TestReport.from_dict(json.loads(saved.read_text()))
    with Workspace.create(bug.root) as workspace:
        report = run_tests(
            workspace,
            list(bug.test_paths) or None,
            coverage=True,
            config=RunnerConfig(python=bug.python or python, test_timeout_s=test_timeout_s),
        )
    if saved:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(report.to_dict()))
    return report


def _fingerprint(root: Path) -> str:
    """A hash of the project's files (caches and hidden files aside), so a saved report is reused only for the
    code it was made from."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
            digest.update(f"{'/'.join(parts)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--budget", type=int, default=6000)
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the corpus tests")
    parser.add_argument("--reports", type=Path, default=None, help="keep/reuse test reports in this folder")
    parser.add_argument(
        "--realbugs", action="store_true", help="measure the real-code corpus (benchmarks/realbugs)"
    )
    parser.add_argument(
        "--only", nargs="+", default=(), metavar="NAME", help="measure only these bugs (--realbugs)"
    )
    parser.add_argument(
        "--test-timeout", type=float, default=30.0, help="per-test timeout of the baseline run"
    )
    args = parser.parse_args()

    exact = tiktoken_counter()
    count = exact or approx_tokens
    bugs = (
        real_bugs(args.only)
        if args.realbugs
        else [load_bug(p) for p in sorted(args.corpus.glob("*/bug.toml"))]
    )
    ranks: list[int | None] = []
    packed_tokens: list[int] = []
    touched_tokens: list[int] = []
    project_tokens: list[int] = []
    approx_errors: list[float] = []
    print(
        f"{'project':<34} {'class':<19} {'lines':>5} {'tests':>5} {'rank':>4}  {'packed':>6} {'touched':>7} "
        f"{'project':>7}  top 3"
    )
    for bug in bugs:
        report = test_report(bug, args.python, args.reports, args.test_timeout)
        with tempfile.TemporaryDirectory() as cache, Index.for_root(bug.root, cache_dir=Path(cache)) as index:
            context = index.localize(report, budget_tokens=args.budget, tokenizer=count)
            rank = next((i + 1 for i, c in enumerate(context.ranked) if bug.is_hit(c)), None)
            touched = dict.fromkeys([t.path for t in context.tests] + [c.path for c in context.chunks])
            sources = [p for p in sorted({c.path for c in index.chunks()}) if not is_test_path(p)]
            failing_tests = dict.fromkeys(t.path for t in context.tests)
        ranks.append(rank)
        packed_tokens.append(context.tokens)
        touched_tokens.append(sum(count((bug.root / p).read_text(encoding="utf-8")) for p in touched))
        project_tokens.append(
            sum(count((bug.root / p).read_text(encoding="utf-8")) for p in [*sources, *failing_tests])
        )
        if exact:
            approx_errors.append(approx_tokens(context.rendered) / exact(context.rendered) - 1)
        top3 = ", ".join(c.symbol for c in context.ranked[:3])
        lines = len((bug.root / bug.file).read_text(encoding="utf-8").splitlines())
        tests = len(report.passed) + len(report.failures)
        print(
            f"{bug.name:<34} {bug.kind:<19} {lines:>5} {tests:>5} {rank or '-':>4}  {packed_tokens[-1]:>6} "
            f"{touched_tokens[-1]:>7} "
            f"{project_tokens[-1]:>7}  {top3}   (bug: {bug.symbol})"
        )

    print(f"\nlocalization on {len(bugs)} corpus bugs: {_hit_rates(ranks)}")
    developed = [r for bug, r in zip(bugs, ranks) if bug.name not in HELD_OUT]
    held_out = [r for bug, r in zip(bugs, ranks) if bug.name in HELD_OUT]
    if developed and held_out:
        print(f"  development set: {_hit_rates(developed)}")
        print(f"  held out (never tuned on): {_hit_rates(held_out)}")
    groups: dict[str, list[int | None]] = defaultdict(list)
    for bug, rank in zip(bugs, ranks):
        for group in [f"class {bug.kind}", *(f"tag {t}" for t in bug.tags)]:
            groups[group].append(rank)
    for group in sorted(groups):
        print(f"  {group:<32} {_hit_rates(groups[group])}")
    unit = "cl100k_base tokens" if exact else "approximate tokens (tiktoken unavailable)"
    print(
        f"packed context (budget {args.budget}): median {statistics.median(packed_tokens):.0f} {unit}; "
        f"touched files whole: median {statistics.median(touched_tokens):.0f} "
        f"({sum(packed_tokens) / sum(touched_tokens):.0%} of it in total); whole project: median "
        f"{statistics.median(project_tokens):.0f} ({sum(packed_tokens) / sum(project_tokens):.0%})"
    )
    if approx_errors:
        print(
            f"fast approximation vs cl100k_base on the packed contexts: mean {statistics.mean(approx_errors):+.1%}, "
            f"worst {max(approx_errors, key=abs):+.1%}"
        )
    return 0


def _hit_rates(ranks: Sequence[int | None]) -> str:
    n = len(ranks)
    top1 = sum(1 for r in ranks if r == 1)
    top3 = sum(1 for r in ranks if r is not None and r <= 3)
    return f"top-1 {top1}/{n} ({top1 / n:.0%}), top-3 {top3}/{n} ({top3 / n:.0%})"


if __name__ == "__main__":
    raise SystemExit(main())
