"""`untilgreen worker` (hidden): the engine behind the language server, one run per process.

Reads one JSON RunRequest from stdin (`{"root", "targets", "overlays", "mode", "goal", "file", "settings"}`, and
`"resume"`: the id of a stopped run to continue, as `fix --resume`),
writes one JSON event per line to stdout (the last is `run_finished` or `run_failed`), and exits with the `fix`
exit codes. SIGTERM or SIGINT to its process group cancels the run: it cleans up, reports `run_finished` with stop
reason `cancelled`, and exits 130.
"""

from __future__ import annotations

import argparse
import json
import sys

from untilgreen.errors import EXIT_USAGE, UserError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "worker",
        description="Run one repair from a JSON request on stdin, writing JSON "
        "events to stdout (used by the language server).",
    )
    parser.set_defaults(handler=run_worker)


def run_worker(args: argparse.Namespace) -> int:
    from untilgreen.agent import RunRequest, run
    from untilgreen.protocol import Event, RunFailed
    from untilgreen.cli.fix import cancel_on_signals, exit_code

    def emit(event: Event) -> None:
        sys.stdout.write(event.to_line() + "\n")
        sys.stdout.flush()

    try:
        request = RunRequest.from_json(json.loads(sys.stdin.read() or "{}"), origin="the worker request")
    except (ValueError, UserError) as err:
        message = str(err) if isinstance(err, UserError) else f"the worker request is not JSON ({err})"
        emit(RunFailed("", message, EXIT_USAGE))
        return EXIT_USAGE
    with cancel_on_signals() as cancel:
        try:
            result = run(request, emit, cancel)
        except UserError as err:  # already reported as a run_failed event
            return err.exit_code
    return exit_code(result)
