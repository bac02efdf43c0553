"""`untilgreen goal`: implement a described change test-first in a shadow copy and print the diff (or apply it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from untilgreen.cli.common import add_project_argument, add_settings_arguments, project_root, settings_for
from untilgreen.cli.fix import add_apply_arguments, add_model_arguments, execute
from untilgreen.errors import UserError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "goal",
        help="implement a described change test-first and print the diff",
        description="Ask the model for a short plan and tests that encode the goal; they must fail on the current "
        "code (if they pass, the goal seems met and nothing changes). Then loop as `fix` does until the "
        "new tests pass and no test that passed before fails, and check the new tests against a few "
        "mutations of the new code. Prints one diff of tests and code; your files change only with "
        "--apply. Needs a model. Exit 0 when green, 1 when not, 2 for a usage or model error, 130 when "
        "cancelled.",
    )
    parser.add_argument("goal", metavar="TEXT", help='the change you want, e.g. "add a slugify() that ..."')
    add_project_argument(parser)
    parser.add_argument(
        "--file", metavar="F", help="the source file the goal is about (shown whole to the model)"
    )
    add_model_arguments(parser)
    parser.add_argument(
        "--attempts", type=int, metavar="N", help="attempts, tests and code together (default 4)"
    )
    add_apply_arguments(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run_goal)


def run_goal(args: argparse.Namespace) -> int:
    from untilgreen.agent import RunRequest
    from untilgreen.protocol import NO_MODEL, needs_model

    root = project_root(args)
    settings = settings_for(args, root, model=args.model, api_base=args.api_base, attempts=args.attempts)
    if needs_model(settings):
        raise UserError(NO_MODEL)
    focus = _relative(args.file, root) if args.file else ""
    return execute(args, root, RunRequest(root, mode="goal", goal=args.goal, file=focus, settings=settings))


def _relative(name: str, root: Path) -> str:
    """`name` (relative to the current folder, or to the project) as a path relative to the project."""
    for candidate in (Path(name).expanduser().resolve(), root / name):
        if candidate.is_file() and candidate.resolve().is_relative_to(root):
            return candidate.resolve().relative_to(root).as_posix()
    raise UserError(f"--file {name} is not a file inside {root}; pass a source file of the project.")
