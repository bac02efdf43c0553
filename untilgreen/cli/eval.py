"""`untilgreen eval`: measure the loop over a corpus of buggy projects with any model (or `builtin`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from untilgreen.cli.common import (
    narrow_table,
    add_ray_argument,
    add_settings_arguments,
    print_json,
    ray_cluster,
    settings_for,
    stderr_console,
    stdout_console,
)
from untilgreen.cli.fix import add_model_arguments
from untilgreen.errors import EXIT_FAILURES, EXIT_GREEN, UserError

if TYPE_CHECKING:
    from collections.abc import Callable

    from untilgreen.agent.evaluate import Engine, Report, Sample
    from untilgreen.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="measure fix rate, time and cost over a corpus of buggy projects",
        description="Run `fix` k times on a copy of every project in CORPUS (folders with a bug.toml) and print "
        "pass@1, pass@k, time-to-green, attempts, tokens, cost, the repeated-mistake rate and a "
        "per-bug-class table. Exit 0 when at least one run went green. `untilgreen eval compare A.json B.json "
        "...` reads the --json output of earlier evals and compares them side by side instead.",
    )
    parser.add_argument(
        "corpus", metavar="CORPUS", help="a folder of projects, each with a bug.toml (or `compare`)"
    )
    parser.add_argument(
        "results", nargs="*", metavar="RESULT.json", help="after `compare`: eval --json files to compare"
    )
    add_model_arguments(parser)
    parser.add_argument("--runs", type=int, default=1, metavar="K", help="runs per project (default 1)")
    parser.add_argument("--jobs", type=int, default=1, metavar="J", help="runs at a time (default 1)")
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="only this project (repeatable)"
    )
    parser.add_argument(
        "--html", metavar="FILE", help="also write a self-contained HTML report with plots to FILE"
    )
    add_ray_argument(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    from untilgreen.agent.evaluate import evaluate, load_corpus
    from untilgreen.cli.fix import cancel_on_signals
    from untilgreen.telemetry.spans import command_span

    if args.corpus == "compare" and args.results:
        return run_compare(args)
    if args.results:
        raise UserError(
            "eval takes one CORPUS folder; to compare eval results, run "
            "`untilgreen eval compare A.json B.json`."
        )
    if args.runs < 1 or args.jobs < 1:
        raise UserError("--runs and --jobs must be at least 1.")
    if args.ray is not None and args.jobs != 1:
        raise UserError(
            "--jobs is for a local eval; with --ray the cluster's CPUs decide how many runs go at once."
        )
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

    attributes = {
        "untilgreen.corpus": str(corpus),
        "untilgreen.model": settings.model or "builtin",
        "untilgreen.eval.runs": args.runs,
        "untilgreen.eval.projects": len(projects),
    }
    # Ray is joined first: our signal handlers then replace the ones `ray.init` installs.
    with (
        ray_cluster(args),
        cancel_on_signals() as cancel,
        command_span(settings, "untilgreen.eval", attributes),
    ):
        report = evaluate(
            projects,
            settings,
            runs=args.runs,
            jobs=args.jobs,
            on_sample=progress,
            cancel=cancel,
            engine=_ray_engine(settings) if args.ray is not None else None,
        )
    if args.json:
        print_json(report.to_json())
    else:
        _print(report)
    if args.html:
        _write_html(args.html, [(report.model, report)])
    return EXIT_GREEN if any(s.green for s in report.samples) else EXIT_FAILURES


def _ray_engine(settings: Settings) -> Engine:
    from untilgreen.agent.on_ray import eval_engine

    return eval_engine(settings)


def run_compare(args: argparse.Namespace) -> int:
    """`eval compare`: the eval --json files side by side, as a table (or JSON) and with --html a report."""
    from untilgreen.agent.eval_files import labels, read_report

    flags = (args.model, args.api_base, args.only, args.settings, args.ray is not None)
    if any(flags) or (args.runs, args.jobs) != (1, 1):
        raise UserError(
            "`eval compare` reads finished results: --model, --api-base, --runs, --jobs, --only, --ray and --set "
            "belong to `untilgreen eval CORPUS`."
        )
    paths = [Path(name) for name in args.results]
    configs = list(zip(labels(paths), [read_report(path) for path in paths]))
    if args.json:
        print_json(
            {
                "configurations": [
                    {"label": label, "file": str(path), "model": report.model, "runs": report.runs,
                     "summary": report.summary(), "by_class": report.by_class()}
                    for path, (label, report) in zip(paths, configs)
                ]
            }
        )  # fmt: skip
    else:
        _print_comparison(configs)
    if args.html:
        _write_html(args.html, configs)
    return EXIT_GREEN


def _write_html(name: str, configs: list[tuple[str, Report]]) -> None:
    from untilgreen.agent.eval_html import render

    path = Path(name).expanduser()
    try:
        path.write_text(render(configs), encoding="utf-8")
    except OSError as err:
        raise UserError(
            f"the report cannot be written to {name} ({err.strerror}); pass another --html FILE."
        ) from None
    stderr_console().print(f"report written to {path}")


def _print(report: Report) -> None:
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
    numbers = columns[1:]
    rows = [
        (
            name,
            str(s["projects"]),
            _num(s["pass@1"]),
            _num(s[f"pass@{report.runs}"]),
            _num(s["time_to_green_s"]["median"]),
            _num(s["attempts_mean"]),
            str(s["tokens"]),
            *_costs(s),
            _num(s["repeated_mistake_rate"]),
        )
        for name, s in [*report.by_class().items(), ("all", report.summary())]
    ]
    title = f"{report.model}: {report.runs} run(s) per project"
    table = narrow_table(columns, rows, fixed=numbers, right=numbers, title=title)
    stdout_console().print(table)


def _print_comparison(configs: list[tuple[str, Report]]) -> None:
    """One column per configuration, one row per figure: it stays readable at 80 columns for a few of them."""
    summaries = [(report, report.summary()) for _, report in configs]
    figures: list[tuple[str, Callable[[Report, dict[str, Any]], str]]] = [
        ("model", lambda r, s: r.model),
        ("runs per project (k)", lambda r, s: str(r.runs)),
        ("projects", lambda r, s: str(s["projects"])),
        ("greens", lambda r, s: str(s["greens"])),
        ("pass@1", lambda r, s: _num(s["pass@1"])),
        ("pass@k", lambda r, s: _num(s[f"pass@{r.runs}"])),
        ("median s to green", lambda r, s: _num(s["time_to_green_s"]["median"])),
        ("p90 s to green", lambda r, s: _num(s["time_to_green_s"]["p90"])),
        ("tokens", lambda r, s: str(s["tokens"])),
        ("cost $", lambda r, s: _costs(s)[0]),
        ("$ per green", lambda r, s: _costs(s)[1]),
    ]
    rows = [(name, *(figure(r, s) for r, s in summaries)) for name, figure in figures]
    headers = ("configuration", *(label for label, _ in configs))
    table = narrow_table(headers, rows, fixed=headers[:1], title="eval results side by side")
    stdout_console().print(table)


def _costs(summary: dict[str, Any]) -> tuple[str, str]:
    """The cost and the cost per green as shown: ? when a price is unknown, - when nothing went green."""
    cost, per_green = summary["cost_usd"], summary["cost_per_green_usd"]
    if cost is None:
        return "?", "?"
    return f"{cost:.4f}", "-" if per_green is None else f"{per_green:.4f}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
