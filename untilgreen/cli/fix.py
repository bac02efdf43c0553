"""`untilgreen fix`: take a red project to green in a shadow copy and print the reviewed diff (or apply it)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from untilgreen.cli.common import (
    add_project_argument,
    add_settings_arguments,
    print_json,
    project_root,
    settings_for,
)
from untilgreen.errors import EXIT_CANCELLED, EXIT_FAILURES, EXIT_GREEN, EXIT_USAGE, UserError

if TYPE_CHECKING:
    from untilgreen.agent import RunRequest, RunResult
    from untilgreen.protocol import Event, Finding
    from untilgreen.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fix",
        help="repair failing tests in a shadow copy and print the diff",
        description="Run the tests in a sandboxed shadow copy, ask a repairer for a patch, validate it, and loop "
        "until the tests are green or the budget is spent. Prints the diff; your files change only "
        "with --apply. Exit 0 when green, 1 when not, 130 when cancelled.",
    )
    add_project_argument(parser)
    parser.add_argument(
        "--test",
        action="append",
        default=[],
        metavar="ID",
        dest="tests",
        help="a failing test to make pass (repeatable; default: every failing test)",
    )
    parser.add_argument(
        "--resume",
        metavar="RUN_ID",
        help="continue a run that stopped on a budget or was cancelled: its targets and repairer settings (flags "
        "override them), the patches it tried skipped, attempts numbered on, a fresh budget",
    )
    add_model_arguments(parser)
    add_budget_arguments(parser)
    add_apply_arguments(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run_fix)


def add_apply_arguments(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="write the green patch to your files")
    mode.add_argument("--dry-run", action="store_true", help="only print the diff (the default)")


def add_budget_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--attempts", type=int, metavar="N", help="attempts before giving up (default 4)")
    parser.add_argument(
        "--candidates", type=int, metavar="N", help="candidate patches per attempt (default 1)"
    )


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="a litellm model string, or 'builtin' (default: the `model` setting)")
    parser.add_argument("--api-base", metavar="URL", help="an OpenAI-compatible API base URL")


def run_fix(args: argparse.Namespace) -> int:
    from untilgreen.agent import RunRequest

    root = project_root(args)
    resume = args.resume or ""
    if resume and args.tests:
        raise UserError(
            f"--resume {resume} runs the stopped run's own targets; leave out --test, or start a new run "
            "without --resume."
        )
    request = RunRequest(root, targets=list(args.tests), settings=fix_settings(args, root), resume=resume)
    return execute(args, root, request)


def fix_settings(args: argparse.Namespace, root: Path) -> Settings:
    """The settings of `root` with the model and budget flags on top."""
    return settings_for(
        args,
        root,
        model=args.model,
        api_base=args.api_base,
        attempts=args.attempts,
        candidates=args.candidates,
    )


def execute(args: argparse.Namespace, root: Path, request: RunRequest) -> int:
    """Run `request` with progress on stderr, print the diff (or `--json`), write it with `--apply`."""
    from untilgreen.agent import run
    from untilgreen.agent.accept import write_back

    progress = _Progress(quiet=args.json)
    with cancel_on_signals() as cancel, progress:
        result = run(request, progress, cancel)
    if args.json:
        print_json(result.summary_json())
    elif result.diff:
        sys.stdout.write(result.diff)
    written = write_back(root, result.files) if args.apply and result.green else []
    if written:
        from untilgreen.memory.verdict import record_verdict

        problem = record_verdict(request.settings, root, result.run_id, accepted=True)
        if problem:
            print(f"untilgreen: {problem}", file=sys.stderr)
    progress.conclude(result, written, args.apply, request.settings.model)
    return exit_code(result)


def exit_code(result: RunResult) -> int:
    if result.green:
        return EXIT_GREEN
    if result.stop_reason == "cancelled":
        return EXIT_CANCELLED
    return EXIT_USAGE if result.stop_reason == "model-error" else EXIT_FAILURES


class cancel_on_signals:  # noqa: N801 - used as a context manager
    """SIGINT/SIGTERM set the run's cancel event (the run then cleans up and returns); a second SIGINT aborts."""

    def __enter__(self) -> threading.Event:
        self.event = threading.Event()
        self.previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def handler(signum: int, frame: Any) -> None:
            if self.event.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            self.event.set()

        for sig in self.previous:
            signal.signal(sig, handler)
        return self.event

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self.previous.items():
            signal.signal(sig, previous)


class _Progress:
    """Live progress on stderr (attempt k/N, phase, tokens, cost) and one line per step that matters."""

    def __init__(self, quiet: bool) -> None:
        from untilgreen.cli.common import stderr_console

        self.console = stderr_console()
        self.quiet = quiet
        self.status = None if quiet else self.console.status("Starting…")

    def __enter__(self) -> _Progress:
        if self.status is not None:
            self.status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.stop()

    def __call__(self, event: Event) -> None:
        from rich.markup import escape

        from untilgreen import protocol as ev

        if isinstance(event, ev.Notice):
            self.console.print(
                f"[{'yellow' if event.level == 'warning' else 'cyan'}]{escape(event.message)}[/]"
            )
        if self.quiet:
            return
        if isinstance(event, ev.RunStarted):
            if event.resumed_from:
                self.console.print(
                    f"resuming run {escape(event.resumed_from)}; its patches are not tried again"
                )
            self.console.print(f"repairer: {escape(' then '.join(event.repairers))}")
        elif isinstance(event, ev.PhaseChanged) and self.status is not None:
            where = f"attempt {event.attempt}/{event.of} · " if event.attempt else ""
            cost = f" · ${event.cost_usd:.4f}" if event.cost_usd else ""
            self.status.update(f"{where}{event.phase} · {event.tokens} tokens{cost}")
        elif isinstance(event, ev.ModelProgress) and self.status is not None:
            self.status.update(f"attempt {event.attempt}/{event.of}: {event.message()}")
        elif isinstance(event, ev.TestsRan) and event.phase in ("baseline", "final"):
            self.console.print(
                f"{event.phase}: {event.passed} passed, {len(event.failed)} failed ({event.duration_s:.1f} s)"
            )
        elif isinstance(event, ev.AttemptValidated):
            colour = "green" if event.outcome == "green" else "red"
            detail = escape(event.detail.splitlines()[0][:160]) if event.detail else ""
            self.console.print(
                f"attempt {event.attempt} ({escape(event.source)}): [{colour}]{event.outcome}[/] {detail}"
            )
            for finding in event.security:
                self.console.print(f"  [yellow]security: {escape(str(finding))}[/]", soft_wrap=True)

    def conclude(self, result: RunResult, written: list[str], apply: bool, model: str) -> None:
        from rich.markup import escape

        spent = [f"{result.duration_s:.1f} s"]
        if result.tokens:
            cost = f"price unknown for {model}" if result.cost_usd is None else f"${result.cost_usd:.4f}"
            cached = f" ({result.cached_tokens} from the prompt cache)" if result.cached_tokens else ""
            spent.append(f"{result.tokens} tokens{cached}, {cost}")
        if result.green:
            self.console.print(f"[green bold]{escape(result.message)}[/] ({', '.join(spent)})")
        else:
            self.console.print(
                f"[red bold]not green ({result.stop_reason})[/]: {escape(result.message)}; "
                f"{result.attempts} attempt(s), {', '.join(spent)}"
            )
        if result.security:
            self.console.print(security_block(result.security), soft_wrap=True)
        if written:
            self.console.print(f"applied to {', '.join(written)}")
        elif result.green and result.diff and not apply:
            self.console.print("your files are unchanged; re-run with --apply to write this patch")


def security_block(findings: list[Finding]) -> str:
    """The warning under the final diff: one line per new finding, file:line, rule code, message (rich markup)."""
    from rich.markup import escape

    n = len(findings)
    lines = [
        f"[yellow bold]security review: the patch adds {n} finding{'s' if n != 1 else ''} "
        "(ruff's flake8-bandit rules):[/]"
    ]
    lines += [f"[yellow]  {escape(f'{f.path}:{f.line}: {f.code} {f.message}')}[/]" for f in findings]
    return "\n".join(lines)
