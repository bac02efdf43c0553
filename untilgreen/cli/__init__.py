"""The `untilgreen` command: one subcommand per module in this package, registered in `COMMANDS`."""

from __future__ import annotations

import argparse
import sys

from untilgreen import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="untilgreen", description="Fix failing Python tests until they are green.")
    parser.add_argument("--version", action="version", version=f"untilgreen {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return 0
