"""`untilgreen check`: run the tests in the sandbox and print the failing ones with their signatures."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from untilgreen.cli.common import (
    add_project_argument,
    add_settings_arguments,
    print_json,
    project_root,
    settings_for,
    stderr_console,
    stdout_console,
)
from untilgreen.errors import EXIT_FAILURES, EXIT_GREEN, UserError
from untilgreen.sandbox.results import TestReport

if TYPE_CHECKING:
    from untilgreen.agent.environment import EnvironmentNeed


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="run the tests in the sandbox and list the failures",
        description="Run the project's tests in the sandbox and print each failure "
        "with its error signature. Exit 0 when green, 1 on failures.",
    )
    add_project_argument(parser)
    parser.add_argument(
        "--test",
        action="append",
        default=[],
        metavar="ID",
        dest="tests",
        help="a pytest node id to run (repeatable; default: the whole suite)",
    )
    parser.add_argument(
        "--overlays",
        metavar="FILE|-",
        help="a JSON object {relative path: text} of unsaved editor buffers to test instead of the "
        "files on disk (- reads it from stdin)",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="record which project lines each test ran (adds a `coverage` key to --json output)",
    )
    add_settings_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from untilgreen.agent.environment import classify_all
    from untilgreen.sandbox import RunnerConfig, Workspace, run_tests

    root = project_root(args)
    settings = settings_for(args, root)
    config = RunnerConfig.from_settings(settings)
    status = (
        nullcontext()
        if args.json
        else stderr_console().status(f"Running the tests of {root.name} in the sandbox…")
    )
    overlays = _read_overlays(args.overlays) if args.overlays else {}
    with status, Workspace.create(root, overlays) as workspace:
        report = run_tests(workspace, args.tests or None, config=config, coverage=args.coverage)
        needs = classify_all(report.failures, [str(workspace.path), str(root)])
    if args.json:
        data = report_json(report)
        data["environmental"] = {
            n.test_id: {"need": n.need, "detail": n.detail, "advice": n.advice()} for n in needs
        }
        if args.coverage:
            data["coverage"] = report.coverage or {}
        print_json(data)
    else:
        _print_report(report, needs)
    return EXIT_GREEN if report.green else EXIT_FAILURES


def _read_overlays(source: str) -> dict[str, str]:
    """`{relative path: text}` from a file or stdin; anything else is a usage error naming the expected shape."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise UserError(
            f"cannot read the overlays from {source} ({exc}); pass a JSON object {{relative path: text}}."
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UserError(
            f"the overlays in {source} must be a JSON object {{relative path: text}}; fix the file."
        )
    return data


def report_json(report: TestReport) -> dict[str, Any]:
    """The `check --json` shape (a documented interface: extend, never rename)."""
    from untilgreen.memory.signature import signature

    return {
        "passed": len(report.passed),
        "failed": len(report.failures),
        "failures": [
            {
                "test_id": f.test_id,
                "kind": f.kind,
                "message": f.message,
                "signature": signature(f).text,
                "frames": [{"file": fr.file, "line": fr.line, "function": fr.function} for fr in f.frames],
            }
            for f in report.failures
        ],
        "isolation": report.isolation,
        "duration_s": round(report.duration_s, 3),
        "skipped": len(report.skipped),
        "xfailed": len(report.xfailed),
        "xpassed": len(report.xpassed),
        "outcomes": report.outcomes,
    }


def _print_report(report: TestReport, needs: list[EnvironmentNeed]) -> None:
    from rich.markup import escape

    from untilgreen.agent.environment import explain
    from untilgreen.memory.signature import signature

    console = stdout_console()
    for failure in report.failures:
        lines = failure.message.strip().splitlines()
        console.print(f"[red bold]{failure.kind.upper()}[/] {escape(failure.test_id)}")
        console.print(f"  {escape(failure.exc_type)}: {escape(lines[0]) if lines else ''}")
        deepest = failure.deepest_project_frame
        if deepest:
            console.print(f"  at {escape(deepest.file)}:{deepest.line} in {escape(deepest.function)}")
        sig = signature(failure)
        console.print(f"  [dim]signature {sig.digest}: {escape(sig.text[:160])}[/]")
    if needs:
        console.print(
            f"[yellow]environment:[/] {escape(explain(needs, 'untilgreen fix will not try to repair them'))}"
        )
    verdict = "[green bold]green[/]" if report.green else "[red bold]red[/]"
    console.print(
        f"{verdict}: {len(report.failures)} failed, {len(report.passed)} passed"
        + "".join(
            f", {len(ids)} {word}"
            for word, ids in (
                ("skipped", report.skipped),
                ("xfailed", report.xfailed),
                ("xpassed", report.xpassed),
            )
            if ids
        )
        + f" in {report.duration_s:.2f} s (isolation: {report.isolation})"
    )
