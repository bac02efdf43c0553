"""`untilgreen eval`: measure the loop over a corpus of buggy projects with any model (or `builtin`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from untilgreen.cli.common import (
    add_settings_arguments,
    print_json,
    settings_for,
    stderr_console,
    stdout_console,
)
from untilgreen.cli.fix import add_model_arguments
from untilgreen.errors import EXIT_FAILURES, EXIT_GREEN, UserError

if TYPE_CHECKING:
    from untilgreen.agent.evaluate import Report, Sample


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="measure fix rate, time and cost over a corpus of buggy projects",
        description="Run `fix` k times on a copy of every project in CORPUS (folders with a bug.toml) and print "
        "pass@1, pass@k, time-to-green, attempts, tokens, cost, the repeated-mistake rate and a "
        "per-bug-class table. Exit 0 when at least one run went green.",
    )
    parser.add_argument("corpus", metavar="CORPUS", help="a folder of projects, each with a bug.toml")
    add_model_arguments(parser)
    parser.add_argument("--runs", type=int, default=1, metavar="K", help="runs per project (default 1)")
    parser.add_argument("--jobs", type=int, default=1, metavar="J", help="runs at a time (default 1)")
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="only this project (repeatable)"
    )
    add_settings_arguments(parser)
    parser.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    from untilgreen.agent.evaluate import evaluate, load_corpus
    from untilgreen.cli.fix import cancel_on_signals

    if args.runs < 1 or args.jobs < 1:
        raise UserError("--runs and --jobs must be at least 1.")
    corpus = Path(args.corpus).expanduser().resolve()
    projects = load_corpus(corpus, args.only)
    settings = settings_for(args, corpus, model=args.model, api_base=args.api_base)
    console = stderr_console()

    def progress(sample: Sample) -> None:
        if not args.json:
            verdict = "[green]green[/]" if sample.green else f"[red]{sample.stop_reason}[/]"
            console.print(
                f"{sample.project} #{sample.run}: {verdict} in {sample.duration_s:.1f} s, "
                f"{sample.attempts} attempt(s)"
            )

    with cancel_on_signals() as cancel:
        report = evaluate(
            projects, settings, runs=args.runs, jobs=args.jobs, on_sample=progress, cancel=cancel
        )
    if args.json:
        print_json(report.to_json())
    else:
        _print(report)
    return EXIT_GREEN if any(s.green for s in report.samples) else EXIT_FAILURES


def _print(report: Report) -> None:
    from rich.table import Table

    table = Table(title=f"{report.model}: {report.runs} run(s) per project")
    columns = (
        "class",
        "projects",
        "pass@1",
        f"pass@{report.runs}",
        "median s to green",
        "attempts",
        "tokens",
        "cost $",
        "$ per green",
        "repeated",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "class" else "right")
    rows = [*report.by_class().items(), ("all", report.summary())]
    for name, s in rows:
        cost = "?" if s["cost_usd"] is None else f"{s['cost_usd']:.4f}"
        per_green = s["cost_per_green_usd"]
        each = "?" if s["cost_usd"] is None else "-" if per_green is None else f"{per_green:.4f}"
        table.add_row(
            name,
            str(s["projects"]),
            _num(s["pass@1"]),
            _num(s[f"pass@{report.runs}"]),
            _num(s["time_to_green_s"]["median"]),
            _num(s["attempts_mean"]),
            str(s["tokens"]),
            cost,
            each,
            _num(s["repeated_mistake_rate"]),
        )
    stdout_console().print(table)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
