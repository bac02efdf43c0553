"""The loop's own cost and the corpus time-to-green with a model that knows each project's reference fix.

Run: python benchmarks/bench_loop.py overhead [--attempts 4] [--repeat 3]
     python benchmarks/bench_loop.py corpus [--jobs 2] [--only NAME ...] [--direct] [--json]

`overhead`: attempts on a small two-file package where a scripted repairer answers wrong until the last attempt.
Per attempt it prints the loop's overhead: the attempt's wall time minus the time inside the sandboxed test runs
and inside the repairer (apply, refusals, fingerprint, lint guard, coverage selection, events, memory records,
localization on the first attempt).

`corpus`: every corpus project through `untilgreen.agent.evaluate` with a model that answers the project's
reference fix (from bug.toml) as SEARCH/REPLACE blocks: by default through the real LLM repairer and litellm
against the scripted OpenAI-compatible server from tests/support (the prompt is rendered, sent and parsed);
with --direct, as whole-file edits handed to the loop without a model.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.agent.conftest import RIGHT, SHOP, Scripted, candidate, write_tree  # noqa: E402
from tests.support.scripted_llm import ScriptedLLM  # noqa: E402
from untilgreen.agent import RunRequest, run  # noqa: E402
from untilgreen.agent import validate as validate_module  # noqa: E402
from untilgreen.agent.evaluate import Project, evaluate, load_corpus  # noqa: E402
from untilgreen.protocol import AttemptValidated, Event, PhaseChanged  # noqa: E402
from untilgreen.memory.patch import apply_diff, parse_diff  # noqa: E402
from untilgreen.models.base import Candidate, FileWrite, RepairRequest, SearchReplace  # noqa: E402
from untilgreen.settings import build  # noqa: E402


class _Timed:
    """Wall-clock intervals spent inside a wrapped function."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.intervals: list[tuple[float, float]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.intervals.append((start, time.perf_counter()))

    def inside(self, start: float, end: float) -> float:
        return sum(min(b, end) - max(a, start) for a, b in self.intervals if b > start and a < end)


def overhead(attempts: int, repeat: int) -> dict[str, Any]:
    per_attempt: list[float] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as temp:
            root = write_tree(Path(temp) / "shop", SHOP)
            wrong = [
                candidate(SearchReplace("shop/pricing.py", "        return 0.1", f"        return 0.1{k}"))
                for k in range(1, attempts)
            ]
            repairer = Scripted(*[[c] for c in wrong], [candidate(RIGHT)])
            propose = _Timed(repairer.propose)
            repairer.propose = propose  # type: ignore[method-assign]
            tests = _Timed(validate_module.run_tests)
            validate_module.run_tests = tests  # type: ignore[assignment]
            stamps: list[tuple[float, Event]] = []
            settings = build({"attempts": attempts, "memory.path": f"{temp}/memory.sqlite3"})
            try:
                result = run(
                    RunRequest(root, settings=settings),
                    lambda e: stamps.append((time.perf_counter(), e)),
                    repairers=[repairer],
                )
            finally:
                validate_module.run_tests = tests.function
            assert result.green and result.attempts == attempts, result.message
            for k in range(1, attempts + 1):
                start = min(t for t, e in stamps if isinstance(e, PhaseChanged) and e.attempt == k)
                end = max(t for t, e in stamps if isinstance(e, AttemptValidated) and e.attempt == k)
                per_attempt.append(end - start - tests.inside(start, end) - propose.inside(start, end))
    ms = sorted(1000 * x for x in per_attempt)
    return {
        "attempts_measured": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1),
    }


def _blocks(diff: str) -> str:
    """The reference diff as SEARCH/REPLACE blocks, one per hunk."""
    parts = ["This is the reference fix.\n"]
    for patch in parse_diff(diff):
        for hunk in patch.hunks:
            search = "".join(line + "\n" for line in hunk.old)
            replace = "".join(line + "\n" for line in hunk.new)
            parts.append(f"{patch.path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n")
    return "\n".join(parts)


class _Reference:
    """Answers the reference fix as whole files (no model)."""

    name = "reference"

    def __init__(self, project: Project) -> None:
        self.project = project

    def propose(self, request: RepairRequest) -> list[Candidate]:
        def read(rel: str) -> str | None:
            try:
                return request.workspace.read(rel)
            except OSError:
                return None

        files = apply_diff(self.project.fix, read)
        return [Candidate([FileWrite(p, t) for p, t in files.items()], "reference", "the reference fix")]


def corpus(jobs: int, only: list[str], direct: bool) -> dict[str, Any]:
    projects = load_corpus(ROOT / "benchmarks" / "corpus", only)
    base = {"attempts": 2, "strategy": "model-only", "model_retries": 0}
    if direct:
        report = evaluate(projects, build(base), jobs=jobs, repairers=lambda p: [_Reference(p)])
    else:
        from untilgreen.models.llm import LLMRepairer

        def model(project: Project) -> list[Any]:
            server = ScriptedLLM(default=_blocks(project.fix))  # lives as long as the process
            return [LLMRepairer(build({**base, "model": server.model, "api_base": server.url}))]

        report = evaluate(projects, build({**base, "model": "openai/scripted"}), jobs=jobs, repairers=model)
    data = report.to_json()
    data["per_project"] = {
        s.project: {"green": s.green, "s": s.duration_s, "attempts": s.attempts} for s in report.samples
    }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("overhead")
    one.add_argument("--attempts", type=int, default=4)
    one.add_argument("--repeat", type=int, default=3)
    two = sub.add_parser("corpus")
    two.add_argument("--jobs", type=int, default=2)
    two.add_argument("--only", action="append", default=[])
    two.add_argument("--direct", action="store_true")
    two.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.what == "overhead":
        print(json.dumps(overhead(args.attempts, args.repeat), indent=2))
        return
    data = corpus(args.jobs, args.only, args.direct)
    if args.json:
        print(json.dumps(data, indent=2))
        return
    summary = data["summary"]
    for name, row in data["per_project"].items():
        print(
            f"{name:20} {'green' if row['green'] else 'RED  '} {row['s']:7.1f} s  {row['attempts']} attempt(s)"
        )
    print(
        f"pass@1 {summary['pass@1']}, time to green median {summary['time_to_green_s']['median']} s, "
        f"mean {summary['time_to_green_s']['mean']} s over {summary['runs']} projects"
    )


if __name__ == "__main__":
    main()
