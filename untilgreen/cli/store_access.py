"""The memory store as the `memory` and `runs` subcommands open it: the --memory option, damage handling, and
small shared output helpers."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from untilgreen.cli.common import settings_for
from untilgreen.errors import EXIT_USAGE, UserError
from untilgreen.memory import Store
from untilgreen.memory.db import is_corrupt, set_aside_damaged
from untilgreen.memory.store import ENV_PATH


def add_memory_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--memory",
        metavar="PATH",
        help=f"the memory database file (default: memory.url's team database, else ${ENV_PATH}, memory.path, "
        "else the user data directory)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    """The store named by --memory, else by the `memory.path` setting (env, config files), else the default.

    A file found damaged while a command reads it is moved aside, as a damaged file found when opening is.
    """
    memory = settings_for(argparse.Namespace(), Path.cwd()).memory
    if args.memory:  # an explicit file wins over the team store too
        memory = dataclasses.replace(memory, path=args.memory, url="")
    store = Store.configured(memory)
    if store.notice:
        print(f"untilgreen: {store.notice}", file=sys.stderr)
    try:
        with store:
            yield store
    except Exception as exc:
        if not is_corrupt(exc) or store.path is None:
            raise
        raise UserError("the memory database " + set_aside_damaged(store.path, exc)) from exc


def usage_error(message: str) -> int:
    print(f"untilgreen: {message}", file=sys.stderr)
    return EXIT_USAGE


def when(timestamp: float | None) -> str:
    if not timestamp:
        return "-"
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
