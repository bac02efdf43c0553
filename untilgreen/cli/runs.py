"""`untilgreen runs` and `untilgreen runs show ID`: the history of runs with attempts, outcome, tokens and cost."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from untilgreen.agent.budget import per_green
from untilgreen.cli.common import narrow_table, print_json, stdout_console
from untilgreen.cli.store_access import add_memory_arguments, open_store, usage_error, when
from untilgreen.memory import RunSummary, Store, project_key


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("runs", help="history of runs: attempts, outcome, tokens, cost")
    parser.add_argument("--project", metavar="PATH", help="only runs of the project in PATH")
    parser.add_argument(
        "--limit", type=int, default=20, help="at most this many runs, newest first (default 20)"
    )
    add_memory_arguments(parser)
    parser.set_defaults(handler=list_runs)
    actions = parser.add_subparsers(dest="runs_command", metavar="ACTION")
    show = actions.add_parser("show", help="one run with its attempts")
    show.add_argument("id", metavar="ID")
    add_memory_arguments(show)
    show.set_defaults(handler=show_handler)


def list_runs(args: argparse.Namespace) -> int:
    project = project_key(Path(args.project).expanduser()) if args.project else None
    with open_store(args) as store:
        runs = store.runs(project, limit=args.limit)
    totals = _totals(runs)
    if args.json:
        print_json({"runs": [dataclasses.asdict(r) for r in runs], "totals": totals})
        return 0
    headers = ("id", "started", "mode", "outcome", "attempts", "tokens", "cost", "goal / stop reason")
    rows = [
        (
            r.id,
            when(r.started),
            r.mode,
            r.outcome or "running",
            str(r.attempts),
            f"{r.tokens_in + r.tokens_out}",
            f"${r.cost:.4f}",
            r.goal or r.stop_reason or "",
        )
        for r in runs
    ]
    table = narrow_table(headers, rows, fixed=headers[:-1], right=("attempts", "tokens", "cost"))
    console = stdout_console()
    console.print(table if runs else "No runs recorded yet.")
    if runs:
        each = totals["cost_per_green"]
        console.print(
            f"{totals['runs']} run(s), {totals['green']} green: ${totals['cost']:.4f} spent"
            + (f", ${each:.4f} per green" if each is not None else "")
        )
    return 0


def _totals(runs: list[RunSummary]) -> dict[str, Any]:
    """The runs listed, the green ones among them, and what they cost in all and per green run."""
    green = sum(r.outcome == "green" for r in runs)
    cost = round(sum(r.cost for r in runs), 6)
    return {"runs": len(runs), "green": green, "cost": cost, "cost_per_green": per_green(cost, green)}


def show_handler(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        return show_run(store, args)


def show_run(store: Store, args: argparse.Namespace) -> int:
    detail = store.run(args.id)
    if detail is None:
        return usage_error(f"no run has the id {args.id}; list them with `untilgreen runs`.")
    if args.json:
        print_json({"run": dataclasses.asdict(detail)})
        return 0
    from rich.syntax import Syntax

    s = detail.summary
    console = stdout_console()
    console.print(
        f"[bold]{s.id}[/] {s.mode} run, {s.outcome or 'running'}"
        f"{f' ({s.stop_reason})' if s.stop_reason else ''}, started {when(s.started)}"
    )
    console.print(f"[dim]tokens:[/] {s.tokens_in} in, {s.tokens_out} out; [dim]cost:[/] ${s.cost:.4f}")
    if detail.resumed_from:
        console.print(f"[dim]resumes:[/] {detail.resumed_from}")
    if s.stop_reason in ("budget", "cancelled") and s.mode == "fix" and detail.resume:
        console.print(f"[dim]continue it with:[/] untilgreen fix --resume {s.id}")
    for sig in detail.signatures:
        console.print(f"[dim]failure:[/] {sig}")
    headers = ("#", "source", "model", "outcome", "tests", "tokens", "cost", "seconds")
    rows = [
        (
            str(a.n),
            a.source,
            a.model,
            a.outcome,
            a.tests,
            str(a.tokens_in + a.tokens_out),
            f"${a.cost:.4f}",
            f"{a.duration_s:.1f}",
        )
        for a in detail.attempts
    ]
    numbers = ("#", "tokens", "cost", "seconds")
    table = narrow_table(headers, rows, fixed=(*numbers, "outcome"), right=numbers)
    console.print(table)
    if detail.final_diff:
        console.print(Syntax(detail.final_diff, "diff", background_color="default"))
    return 0
