"""The `untilgreen` command. Each subcommand lives in its own module with `register(subparsers)`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from untilgreen import __version__
from untilgreen.errors import EXIT_CANCELLED, EXIT_INTERNAL, Cancelled, UserError

# Subcommand modules, in the order `--help` lists them. Imported lazily by `build_parser` so that
# `untilgreen --version` and the language server's start-up stay fast.
COMMANDS = (
    "check",
    "fix",
    "fix_all",
    "goal",
    "eval",
    "context",
    "doctor",
    "lsp",
    "memory",
    "runs",
    "serve",
    "worker",
)


def build_parser() -> argparse.ArgumentParser:
    from importlib import import_module

    parser = argparse.ArgumentParser(
        prog="untilgreen", description="Fix failing Python tests until they are green."
    )
    parser.add_argument("--version", action="version", version=f"untilgreen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"untilgreen.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = None
    try:  # Ctrl-C while the subcommands are still importing is a cancel too, not a traceback
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return int(args.handler(args))
    except UserError as exc:
        if getattr(args, "json", False):  # a reader of --json output gets an object, never nothing
            json.dump({"error": str(exc)}, sys.stdout)
            sys.stdout.write("\n")
        print(f"untilgreen: {exc}", file=sys.stderr)
        return exc.exit_code
    except (Cancelled, KeyboardInterrupt):
        print("untilgreen: cancelled.", file=sys.stderr)
        return EXIT_CANCELLED
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one sentence, traceback only on request
        if os.environ.get("UNTILGREEN_DEBUG"):
            traceback.print_exc()
        print(
            f"untilgreen: internal error ({type(exc).__name__}: {exc}); rerun with UNTILGREEN_DEBUG=1 for the "
            "traceback and report it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        from untilgreen.telemetry.tracing import shutdown

        shutdown()  # the spans still queued, exported before the process ends
