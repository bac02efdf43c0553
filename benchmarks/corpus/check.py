"""Validate the corpus of buggy projects.

For every project under benchmarks/corpus/<name>/ (a directory with a bug.toml):

* bug.toml is well formed: a known class word and tags, the buggy file exists, the buggy symbol exists in it
  (checked with `ast` on the fixed file), `failing` names tests, and `fix` applies with `git apply`;
* inside the sandbox, on the buggy code the `failing` tests fail and every other test passes;
* with the reference fix applied, every test passes.

It prints a table (lines of code, bug class, results, whether the deepest project traceback frame of the failure
is the buggy symbol), the totals, and the share of projects whose bug is NOT at the deepest frame. The exit status
is non-zero when a project is invalid or that share is below 30 %.

    python benchmarks/corpus/check.py [--jobs N] [--timeout S] [--only NAME ...] [--json] [--realbugs]

`--realbugs` checks the real-code corpus instead (benchmarks/realbugs/validate.py: each bug against its pristine
package; LOC is then the lines of the buggy file, tests the tests that pass on the pristine package).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parent
MIN_NOT_DEEPEST_SHARE = 0.30

CLASSES = (
    "comparison-operator", "arithmetic-operator", "off-by-one", "wrong-name", "swapped-arguments",
    "wrong-constant", "boolean-operator", "missing-line", "missing-condition", "missing-call",
    "wrong-method", "infinite-loop", "multi-line",
)
TAGS = (
    "deep-module", "inheritance", "two-tests", "src-layout", "tempting-fix", "deep-stack-error",
    "collection-error",
)
REQUIRED_KEYS = ("class", "file", "symbol", "summary", "failing", "fix")


class SpecError(ValueError):
    """bug.toml is missing or malformed."""


@dataclass(frozen=True)
class BugSpec:
    """The parsed bug.toml of one project."""

    name: str
    path: Path
    bug_class: str
    file: str
    symbol: str
    summary: str
    failing: tuple[str, ...]
    tags: tuple[str, ...]
    fix: str


@dataclass
class ProjectResult:
    """What the check found for one project."""

    name: str
    bug_class: str = ""
    tags: list[str] = field(default_factory=list)
    loc: int = 0
    tests: int = 0
    buggy: str = "-"  # "ok" or a short reason
    fixed: str = "-"
    deepest_is_bug: bool | None = None  # None: no project frame was reported
    deepest_frame: str = ""
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def valid(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------- bug.toml


def load_spec(project: Path) -> BugSpec:
    """Parse `project/bug.toml`; raises SpecError naming the problem."""
    try:
        data = tomllib.loads((project / "bug.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"bug.toml: {exc}") from None
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise SpecError(f"bug.toml: missing keys {', '.join(missing)}")
    failing, tags = data["failing"], data.get("tags", [])
    if not isinstance(failing, list) or not all(isinstance(f, str) for f in failing):
        raise SpecError("bug.toml: `failing` must be a list of pytest node ids")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise SpecError("bug.toml: `tags` must be a list of strings")
    return BugSpec(
        name=project.name, path=project, bug_class=str(data["class"]), file=str(data["file"]),
        symbol=str(data["symbol"]), summary=str(data["summary"]), failing=tuple(failing), tags=tuple(tags),
        fix=str(data["fix"]),
    )


def defined_names(source: str) -> set[str]:
    """Qualified names defined in a module: functions, classes, `Class.method`, module-level assignments and imports."""
    tree = ast.parse(source)
    names: set[str] = set()
    for node in tree.body:
        names.update(_names_of(node, prefix=""))
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                names.update(_names_of(member, prefix=node.name + "."))
    return names


def _names_of(node: ast.stmt, prefix: str) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {prefix + node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {prefix + t.id for t in targets if isinstance(t, ast.Name)}
    if isinstance(node, (ast.Import, ast.ImportFrom)) and not prefix:
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return set()


def validate_spec(spec: BugSpec) -> list[str]:
    """Static problems of a bug.toml (no tests are run)."""
    problems = []
    if spec.bug_class not in CLASSES:
        problems.append(f"unknown class {spec.bug_class!r}")
    problems += [f"unknown tag {t!r}" for t in spec.tags if t not in TAGS]
    if not spec.failing:
        problems.append("`failing` is empty")
    problems += [f"failing id {f!r} is not under tests/" for f in spec.failing if not f.startswith("tests/")]
    if not (spec.path / spec.file).is_file():
        return problems + [f"buggy file {spec.file} does not exist"]
    with tempfile.TemporaryDirectory(prefix="corpus-spec-") as tmp:
        copy = Path(tmp) / spec.name
        shutil.copytree(spec.path, copy)
        error = apply_patch(copy, spec.fix)
        if error:
            return problems + [f"fix does not apply: {error}"]
        fixed_source = (copy / spec.file).read_text(encoding="utf-8")
    if fixed_source == (spec.path / spec.file).read_text(encoding="utf-8"):
        problems.append(f"fix does not change {spec.file}")
    try:
        names = defined_names(fixed_source)
    except SyntaxError as exc:
        return problems + [f"{spec.file} does not parse after the fix: {exc}"]
    if spec.symbol not in names:
        problems.append(f"symbol {spec.symbol!r} is not defined in {spec.file}")
    return problems


# ---------------------------------------------------------------- helpers


def apply_patch(directory: Path, patch: str, reverse: bool = False) -> str | None:
    """`git apply` the patch inside `directory` (never a surrounding repository); returns the error or None."""
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=str(directory.parent))
    argv = ["git", "apply", "--whitespace=nowarn", *(["-R"] if reverse else []), "-"]
    done = subprocess.run(argv, input=patch, text=True, cwd=directory, env=env, capture_output=True, check=False)
    _drop_bytecode(directory)
    if done.returncode:
        return done.stderr.strip() or f"exit {done.returncode}"
    return None


def _drop_bytecode(directory: Path) -> None:
    """Stale .pyc files could hide a same-size edit made within the same second."""
    for cache in directory.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def package_loc(project: Path) -> int:
    """Non-blank lines of the project's Python code, tests excluded."""
    total = 0
    for path in project.rglob("*.py"):
        rel = path.relative_to(project).parts
        if rel[0] in ("tests", "build") or "__pycache__" in rel:
            continue
        total += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return total


def covers(spec_id: str, test_id: str) -> bool:
    """A listed id covers a reported one when equal, or when one is a file/class prefix of the other."""
    return spec_id == test_id or test_id.startswith(spec_id + "::") or spec_id.startswith(test_id + "::")


def _covered(test_id: str, ids: Iterable[str]) -> bool:
    return any(covers(i, test_id) for i in ids)


# ---------------------------------------------------------------- judging test reports


def judge_fixed(spec: BugSpec, report: Any) -> list[str]:
    """Problems with the run on the fixed code: everything must pass, including every `failing` test."""
    problems = [f"fixed: {f.test_id} {f.kind} ({f.exc_type})" for f in report.failures]
    if report.timed_out:
        problems.append("fixed: the run timed out")
    problems += [f"fixed: {f} did not run" for f in spec.failing if not _covered(f, report.passed)]
    return problems


def judge_buggy(spec: BugSpec, report: Any, all_tests: Sequence[str]) -> tuple[list[str], list[str]]:
    """Problems with the run on the buggy code, and the other tests that did not run (to run separately)."""
    failed = [f.test_id for f in report.failures]
    problems = [f"buggy: {f} passed" for f in spec.failing if _covered(f, report.passed)]
    problems += [f"buggy: {f} did not fail" for f in spec.failing
                 if not _covered(f, failed) and not _covered(f, report.passed)]
    problems += [f"buggy: unexpected failure of {f.test_id} ({f.kind} {f.exc_type})"
                 for f in report.failures if not _covered(f.test_id, spec.failing)]
    others = [t for t in all_tests if not _covered(t, spec.failing) and t not in report.passed]
    return problems, others


def deepest_frame_verdict(spec: BugSpec, report: Any) -> tuple[bool | None, str]:
    """Whether the deepest project frame of a listed failure is the buggy symbol (None: no frame reported)."""
    function = spec.symbol.split(".")[-1]
    seen = []
    for failure in report.failures:
        frame = failure.deepest_project_frame if _covered(failure.test_id, spec.failing) else None
        if frame is None:
            continue
        seen.append(f"{frame.file}:{frame.function}")
        if frame.file == spec.file and frame.function == function:
            return True, seen[-1]
    return (False, seen[0]) if seen else (None, "")


# ---------------------------------------------------------------- running one project


def check_project(project: Path, timeout_s: float) -> ProjectResult:
    """Validate bug.toml, then run the tests on the buggy and on the fixed code in the sandbox."""
    start = time.monotonic()
    result = ProjectResult(name=project.name, loc=package_loc(project))
    try:
        spec = load_spec(project)
    except SpecError as exc:
        result.problems.append(str(exc))
        return result
    result.bug_class, result.tags = spec.bug_class, list(spec.tags)
    result.problems += validate_spec(spec)
    if not result.problems:
        try:
            _run_both(spec, timeout_s, result)
        except Exception as exc:  # a sandbox or setup failure makes the project invalid, not the whole check
            result.problems.append(f"run failed: {type(exc).__name__}: {exc}")
    result.seconds = round(time.monotonic() - start, 1)
    return result


def _run_both(spec: BugSpec, timeout_s: float, result: ProjectResult) -> None:
    from untilgreen.sandbox import Limits, RunnerConfig, Workspace, run_tests

    config = RunnerConfig(test_timeout_s=timeout_s, limits=Limits(timeout_s=max(60.0, 4 * timeout_s)))

    def run(ws: Workspace, ids: Sequence[str] | None = None) -> Any:
        return run_tests(ws, list(ids) if ids else None, config=config)

    with Workspace.create(spec.path) as ws:
        _drop_bytecode(ws.path)
        buggy = run(ws)
        error = apply_patch(ws.path, spec.fix)
        if error:
            result.problems.append(f"fix does not apply in the shadow: {error}")
            return
        fixed = run(ws)
        fixed_problems = judge_fixed(spec, fixed)
        buggy_problems, others = judge_buggy(spec, buggy, fixed.passed)
        if others and not buggy_problems:  # a collection error or a timeout kept them from running
            apply_patch(ws.path, spec.fix, reverse=True)
            rerun = run(ws, others)
            buggy_problems += [f"buggy: other test {f.test_id} {f.kind}" for f in rerun.failures]
            buggy_problems += [f"buggy: other test {t} did not run" for t in others if t not in rerun.passed]
    result.tests = len(fixed.passed)
    result.buggy = "ok" if not buggy_problems else "INVALID"
    result.fixed = "ok" if not fixed_problems else "INVALID"
    result.problems += buggy_problems + fixed_problems
    result.deepest_is_bug, result.deepest_frame = deepest_frame_verdict(spec, buggy)


# ---------------------------------------------------------------- the whole corpus


def project_dirs(corpus: Path = CORPUS, only: Sequence[str] = ()) -> list[Path]:
    found = sorted(p for p in corpus.iterdir() if (p / "bug.toml").is_file())
    if only:
        unknown = sorted(set(only) - {p.name for p in found})
        if unknown:
            raise SystemExit(f"unknown project(s): {', '.join(unknown)}")
        found = [p for p in found if p.name in only]
    return found


def not_deepest_share(results: Sequence[ProjectResult]) -> float:
    return sum(r.deepest_is_bug is False for r in results) / len(results) if results else 0.0


def _deepest_word(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "?"}[value]


def render_table(results: Sequence[ProjectResult]) -> str:
    header = ("project", "class", "tags", "LOC", "tests", "buggy", "fixed", "bug@deepest")
    rows = [header] + [
        (r.name, r.bug_class, ",".join(r.tags) or "-", str(r.loc), str(r.tests), r.buggy, r.fixed,
         _deepest_word(r.deepest_is_bug))
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_totals(results: Sequence[ProjectResult], seconds: float) -> str:
    valid = sum(r.valid for r in results)
    classes = Counter(r.bug_class for r in results)
    tags = Counter(t for r in results for t in r.tags)
    share = not_deepest_share(results)
    lines = [
        f"projects: {len(results)}, valid: {valid}, invalid: {len(results) - valid}",
        "classes: " + ", ".join(f"{c} {classes[c]}" for c in CLASSES),
        "tags: " + ", ".join(f"{t} {tags[t]}" for t in TAGS),
        f"LOC: {sum(r.loc for r in results)} in all, {min((r.loc for r in results), default=0)}"
        f"-{max((r.loc for r in results), default=0)} per project",
        f"bug NOT at the deepest project frame: {sum(r.deepest_is_bug is False for r in results)}/{len(results)}"
        f" = {share:.0%} (minimum {MIN_NOT_DEEPEST_SHARE:.0%})",
        f"time: {seconds:.0f} s",
    ]
    for r in results:
        lines += [f"INVALID {r.name}: {p}" for p in r.problems]
    return "\n".join(lines)


def check_all(projects: Sequence[Any], jobs: int, timeout_s: float,
              check: Callable[[Any, float], ProjectResult] = check_project) -> list[ProjectResult]:
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: check(p, timeout_s), projects))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="projects checked in parallel (default 2)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-test timeout in seconds (default 10)")
    parser.add_argument("--only", nargs="+", default=(), metavar="NAME", help="check only these projects")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--realbugs", action="store_true",
                        help="check the real-code corpus (benchmarks/realbugs) against the pristine packages instead")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.realbugs:
        sys.path.insert(0, str(CORPUS.parent / "realbugs"))
        from descriptors import bugs
        from validate import check_realbug

        results = check_all(bugs(args.only), args.jobs, args.timeout, check_realbug)
    else:
        results = check_all(project_dirs(CORPUS, args.only), args.jobs, args.timeout)
    seconds = time.monotonic() - started
    if args.json:
        print(json.dumps({"projects": [asdict(r) for r in results], "not_deepest_share": not_deepest_share(results),
                          "seconds": round(seconds, 1)}, indent=2))
    else:
        print(render_table(results))
        print()
        print(render_totals(results, seconds))
    invalid = any(not r.valid for r in results)
    share_too_low = not args.only and not args.realbugs and not_deepest_share(results) < MIN_NOT_DEEPEST_SHARE
    return 1 if invalid or share_too_low else 0


if __name__ == "__main__":
    sys.exit(main())
