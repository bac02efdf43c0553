"""`untilgreen context`: run the test suite with coverage and print the code most likely to hold the bug behind
the failing tests (or the named ones)."""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from untilgreen.cli.common import (
    narrow_table,
    add_project_argument,
    add_settings_arguments,
    print_json,
    project_root,
    settings_for,
    stderr_console,
    stdout_console,
)
from untilgreen.errors import EXIT_GREEN, UserError
from untilgreen.sandbox.results import NOT_FAILING
from untilgreen.nodeids import matches

if TYPE_CHECKING:
    from untilgreen.context import Context
    from untilgreen.sandbox import RunnerConfig, TestReport, Workspace

DEFAULT_BUDGET = 6000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "context",
        help="show the ranked code a repairer would be shown for the failing tests",
        description="Run the tests in the sandbox with coverage, localize the failures and print the ranked "
        "chunks with the reason each was chosen, packed into a token budget.",
    )
    add_project_argument(parser)
    parser.add_argument(
        "--test",
        action="append",
        default=[],
        metavar="ID",
        dest="tests",
        help="a pytest node id to localize (repeatable; default: every failing test); the whole suite still "
        "runs, because the passing tests are what the failing ones are contrasted with",
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=DEFAULT_BUDGET,
        metavar="N",
        help=f"token budget of the packed context (default: {DEFAULT_BUDGET})",
    )
    parser.add_argument(
        "--show", action="store_true", help="also print the packed context as a model sees it"
    )
    add_settings_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from untilgreen.context import Index
    from untilgreen.sandbox import RunnerConfig, Workspace, run_tests
    from untilgreen.sandbox.testids import expand_test_ids

    root = project_root(args)
    config = RunnerConfig.from_settings(settings_for(args, root))
    status = (
        nullcontext()
        if args.json
        else stderr_console().status(f"Running the tests of {root.name} with coverage…")
    )
    with status, Workspace.create(root) as workspace:
        report = suite_report(workspace, args.tests, config, run_tests)
    targets = expand_test_ids(args.tests, report)
    with Index.for_root(root) as index:
        context = index.localize(report, targets=targets or None, budget_tokens=args.budget)
    if args.json:
        print_json(context_json(context))
    else:
        failing = [t for t in targets if t in report.failed_ids] if targets else report.failed_ids
        _print_context(context, not failing, args.show)
    return EXIT_GREEN


Runner = Callable[..., "TestReport"]


def suite_report(
    workspace: Workspace, targets: Sequence[str], config: RunnerConfig, runner: Runner
) -> TestReport:
    """The whole suite with per-test coverage, then any target the suite did not collect.

    Running only the targets would leave SBFL with no passing test to contrast, so every line a failing test
    ran would look equally suspicious.
    """
    report = runner(workspace, None, config=config, coverage=True)
    missing = [t for t in targets if not any(matches(seen, t) for seen in report.test_ids)]
    if missing:
        try:
            extra = runner(workspace, missing, config=config, coverage=True)
        except UserError:  # pytest found none of them either: `expand_test_ids` names the first one
            return report
        for outcome in NOT_FAILING:
            getattr(report, outcome).extend(getattr(extra, outcome))
        report.failures += extra.failures
        report.coverage = {**(report.coverage or {}), **(extra.coverage or {})}
    return report


def context_json(context: Context) -> dict[str, Any]:
    """The `context --json` shape (a documented interface: extend, never rename)."""
    return {"chunks": [c.summary() for c in context.chunks], "tokens": context.tokens}


def _print_context(context: Context, green: bool, show: bool) -> None:
    console = stdout_console()
    if green:
        console.print("[green]green[/green]: no failing test to localize.")
        return
    rows = [
        (str(rank), chunk.id, f"{chunk.start}-{chunk.end}", f"{chunk.score:.2f}", chunk.why)
        for rank, chunk in enumerate(context.chunks, 1)
    ]
    table = narrow_table(
        ("#", "chunk", "lines", "score", "why"), rows, fixed=("#", "lines", "score"), right=("#", "score")
    )
    console.print(table)
    tests = ", ".join(t.id for t in context.tests) or "not found in the index"
    console.print(
        f"{len(context.chunks)} chunks packed with the failing test ({tests}): {context.tokens} tokens"
    )
    if show:
        console.print(context.rendered, markup=False, highlight=False)
