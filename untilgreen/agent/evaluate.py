"""The eval harness: run the loop k times over every project of a corpus and measure it.

A corpus is a folder of projects, each with a `bug.toml` (`class`, `failing`, `fix`, ...). Every run works on a
fresh copy of the project (without `bug.toml`) with a fresh memory database, so runs are independent samples.
Measured: pass@1 and pass@k (the unbiased estimator over k runs), time-to-green, attempts, tokens, cost, the
repeated-mistake rate (candidates that repeated a patch already tried) and a per-bug-class table.
"""

from __future__ import annotations

import contextvars
import dataclasses
import math
import shutil
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean, median
from typing import Any

from untilgreen.agent.budget import per_green
from untilgreen.agent.request import RunRequest
from untilgreen.agent.run import run
from untilgreen.errors import Cancelled, UserError
from untilgreen.models.base import Repairer
from untilgreen.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SPEC = "bug.toml"


@dataclass(frozen=True)
class Project:
    name: str
    root: Path
    bug_class: str
    failing: tuple[str, ...]
    fix: str  # the reference fix, a unified diff


@dataclass
class Sample:
    project: str
    bug_class: str
    run: int
    green: bool
    stop_reason: str
    attempts: int
    candidates: int
    repeated: int  # candidates that were an already-tried patch
    duration_s: float
    tokens: int
    cost_usd: float | None
    repairer: str
    message: str = ""
    cached_tokens: int = 0  # of `tokens`, read from the provider's prompt cache
    diff: str = ""  # the patch of a green run


@dataclass
class Report:
    model: str
    runs: int
    samples: list[Sample] = field(default_factory=list)

    def summary(self, samples: Sequence[Sample] | None = None) -> dict[str, Any]:
        samples = self.samples if samples is None else samples
        grouped: dict[str, list[Sample]] = {}
        for sample in samples:
            grouped.setdefault(sample.project, []).append(sample)
        green = [s for s in samples if s.green]
        costs = [s.cost_usd for s in samples]
        candidates = sum(s.candidates for s in samples)
        cost = None if any(c is None for c in costs) else _round(sum(c or 0.0 for c in costs), 6)
        times = sorted(s.duration_s for s in green)
        return {
            "projects": len(grouped),
            "runs": len(samples),
            "greens": len(green),
            "pass@1": _rate([pass_at_k(len(g), sum(s.green for s in g), 1) for g in grouped.values()]),
            f"pass@{self.runs}": _rate(
                [pass_at_k(len(g), sum(s.green for s in g), self.runs) for g in grouped.values()]
            ),
            "time_to_green_s": {
                "median": _round(median(times)) if times else None,
                "mean": _round(mean(times)) if times else None,
                "p90": times[math.ceil(0.9 * len(times)) - 1] if times else None,  # nearest rank
            },
            "attempts_mean": _round(mean([s.attempts for s in samples])) if samples else None,
            "tokens": sum(s.tokens for s in samples),
            "cached_tokens": sum(s.cached_tokens for s in samples),
            "cost_usd": cost,
            "cost_per_green_usd": per_green(cost, len(green)),
            "tokens_per_green": round(sum(s.tokens for s in samples) / len(green)) if green else None,
            "repeated_mistake_rate": _round(sum(s.repeated for s in samples) / candidates)
            if candidates
            else 0.0,
            "stop_reasons": dict(Counter(s.stop_reason for s in samples)),
        }

    def by_class(self) -> dict[str, dict[str, Any]]:
        classes: dict[str, list[Sample]] = {}
        for sample in self.samples:
            classes.setdefault(sample.bug_class, []).append(sample)
        return {name: self.summary(group) for name, group in sorted(classes.items())}

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "runs": self.runs,
            "summary": self.summary(),
            "by_class": self.by_class(),
            "samples": [dataclasses.asdict(s) for s in self.samples],
        }


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased pass@k estimate from n samples of which c passed (Chen et al., 2021)."""
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def load_corpus(path: Path, only: Sequence[str] = ()) -> list[Project]:
    """The projects under `path` (or `path` itself when it holds a bug.toml), sorted by name."""
    path = Path(path).resolve()
    if not path.is_dir():
        raise UserError(f"{path} is not a folder; pass a corpus folder (projects with a {SPEC} each).")
    dirs = [path] if (path / SPEC).is_file() else sorted(p for p in path.iterdir() if (p / SPEC).is_file())
    projects = []
    for root in dirs:
        if only and root.name not in only:
            continue
        try:
            spec = tomllib.loads((root / SPEC).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise UserError(f"{root / SPEC} cannot be read ({err}); fix or remove it.") from None
        projects.append(
            Project(
                root.name,
                root,
                str(spec.get("class", "unknown")),
                tuple(spec.get("failing", ())),
                str(spec.get("fix", "")),
            )
        )
    if not projects:
        raise UserError(f"no project with a {SPEC} was found in {path}; pass a corpus folder.")
    return projects


# Runs the (project, run number) pairs and yields their samples as they finish: the local thread pool, or Ray.
Engine = Callable[[Sequence[tuple[Project, int]], threading.Event], Iterable[Sample]]


def evaluate(
    projects: Sequence[Project],
    settings: Settings,
    *,
    runs: int = 1,
    jobs: int = 1,
    repairers: Callable[[Project], Sequence[Repairer]] | None = None,
    on_sample: Callable[[Sample], None] | None = None,
    cancel: threading.Event | None = None,
    engine: Engine | None = None,
) -> Report:
    """Run every project `runs` times, `jobs` runs at a time (or on `engine`, which then decides how many).
    `repairers` replaces the settings' choice."""
    cancel = cancel or threading.Event()
    report = Report(settings.model or "builtin", runs)
    work = [(p, n) for p in projects for n in range(1, runs + 1)]
    samples = engine(work, cancel) if engine else _in_threads(work, settings, jobs, repairers, cancel)
    for sample in samples:
        report.samples.append(sample)
        if on_sample is not None:
            on_sample(sample)
    if cancel.is_set():
        raise Cancelled("the evaluation was cancelled")
    report.samples.sort(key=lambda s: (s.project, s.run))
    return report


def _in_threads(
    work: Sequence[tuple[Project, int]],
    settings: Settings,
    jobs: int,
    repairers: Callable[[Project], Sequence[Repairer]] | None,
    cancel: threading.Event,
) -> Iterator[Sample]:
    def one(project: Project, number: int) -> Sample | None:
        if cancel.is_set():
            return None
        return run_sample(project, number, settings, repairers(project) if repairers else None, cancel)

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="eval") as pool:
        # each run in a copy of the caller's context: a traced eval's runs are its span's children
        futures = [pool.submit(contextvars.copy_context().run, one, p, n) for p, n in work]
        for future in as_completed(futures):
            sample = future.result()
            if sample is not None:
                yield sample


def run_sample(
    project: Project,
    number: int,
    settings: Settings,
    repairers: Sequence[Repairer] | None,
    cancel: threading.Event,
) -> Sample:
    """Run `number` of `project`: `fix` on a fresh copy with a fresh memory. The one unit of work of every engine."""
    with tempfile.TemporaryDirectory(prefix="untilgreen-eval-") as temp:
        root = Path(temp) / project.name
        shutil.copytree(
            project.root, root, ignore=shutil.ignore_patterns(SPEC, "__pycache__", ".pytest_cache")
        )
        memory = dataclasses.replace(settings.memory, path=str(Path(temp) / "memory.sqlite3"))
        request = RunRequest(root, settings=dataclasses.replace(settings, memory=memory))
        try:
            result = run(request, None, cancel, repairers=repairers)
        except UserError as err:
            return failed_sample(project, number, str(err))
    repeated = sum(r.outcome == "duplicate" for r in result.records)
    return Sample(
        project.name,
        project.bug_class,
        number,
        result.green,
        result.stop_reason,
        result.attempts,
        len(result.records),
        repeated,
        round(result.duration_s, 3),
        result.tokens,
        result.cost_usd,
        result.repairer,
        result.message,
        result.cached_tokens,
        result.diff,
    )


def failed_sample(project: Project, number: int, message: str) -> Sample:
    """The sample of a run that ended without a result: a UserError, or a Ray task that never completed."""
    return Sample(project.name, project.bug_class, number, False, "error", 0, 0, 0, 0.0, 0, 0.0, "", message)


def _rate(values: Sequence[float]) -> float | None:
    return _round(mean(values)) if values else None


def _round(value: float, digits: int = 3) -> float:
    return round(value, digits)
