"""`untilgreen fix-all`: one `fix` run per project, in sequence or as Ray tasks, and one patch per project."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from untilgreen.cli.common import (
    add_ray_argument,
    add_settings_arguments,
    directory,
    print_json,
    ray_cluster,
    stderr_console,
)
from untilgreen.cli.fix import add_budget_arguments, add_model_arguments, cancel_on_signals, fix_settings
from untilgreen.errors import EXIT_FAILURES, EXIT_GREEN, Cancelled

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from untilgreen.agent.fix_all import ProjectFix


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fix-all",
        help="repair the failing tests of several projects and print one patch per project",
        description="Run `fix` once per PATH on every test failing there, one project after another, or all as "
        "Ray tasks with --ray, and print each project's diff after a `# PATH` line. Your files are never "
        "written (there is no --apply here yet: apply a patch with `git apply`, or run `untilgreen fix PATH "
        "--apply`). Exit 0 when every project ended green, 1 when not, 130 when cancelled.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a project directory (one or more)")
    add_model_arguments(parser)
    add_budget_arguments(parser)
    add_ray_argument(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run_fix_all)


def run_fix_all(args: argparse.Namespace) -> int:
    from untilgreen.agent.fix_all import fix_project
    from untilgreen.telemetry.spans import command_span

    roots = list(dict.fromkeys(directory(path) for path in args.paths))
    settings = {root: fix_settings(args, root) for root in roots}
    console = stderr_console()
    done: dict[Path, ProjectFix] = {}
    fixes: Iterator[ProjectFix]
    first = settings[roots[0]]
    with (
        ray_cluster(args),
        cancel_on_signals() as cancel,
        command_span(first, "untilgreen.fix-all", {"untilgreen.fix_all.projects": len(roots)}),
    ):
        if args.ray is None:
            fixes = (fix_project(root, settings[root], cancel) for root in roots if not cancel.is_set())
        else:
            from untilgreen.agent.on_ray import fix_on_ray

            fixes = fix_on_ray(roots, settings, cancel)
        for fix in fixes:
            done[fix.root] = fix
            if not args.json:
                console.print(f"{fix.root}: {_verdict(fix)}", highlight=False, markup=False)
    if cancel.is_set():
        raise Cancelled("fix-all was cancelled")
    ordered = [done[root] for root in roots]
    if args.json:
        print_json({"projects": [fix.to_json() for fix in ordered]})
    else:
        for fix in ordered:
            if fix.result and fix.result.diff:
                sys.stdout.write(f"# {fix.root}\n{fix.result.diff}")
    return EXIT_GREEN if all(fix.green for fix in ordered) else EXIT_FAILURES


def _verdict(fix: ProjectFix) -> str:
    if fix.result is None:
        return f"no run: {fix.error}"
    result = fix.result
    verdict = "green" if result.green else f"not green ({result.stop_reason})"
    return f"{verdict} in {result.duration_s:.1f} s, {result.attempts} attempt(s)"
