"""What the subcommands share: the project argument, settings flags, JSON output, and the console."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from untilgreen.errors import UserError
from untilgreen.settings import SPECS, Settings, load_settings

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

    from rich.console import Console
    from rich.table import Table


def add_project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="the project directory (default: .)"
    )


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    add_set_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="settings",
        help="override a setting for this run, e.g. --set sandbox.timeout=120 (repeatable)",
    )


def add_ray_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="run each run as a Ray task: on the cluster at ADDRESS (HOST:PORT of its head; `auto`: "
        "RAY_ADDRESS), or on a local Ray started for this command when no ADDRESS follows (needs `pip install "
        "'untilgreen[ray]'`)",
    )


def ray_cluster(args: argparse.Namespace) -> AbstractContextManager[None]:
    """Connected to the `--ray` cluster while inside, or nothing without --ray (Ray is then never imported)."""
    if args.ray is None:
        return nullcontext()
    from untilgreen.agent.on_ray import cluster

    return cluster(args.ray or None)


def project_root(args: argparse.Namespace) -> Path:
    return directory(args.path)


def directory(path: str) -> Path:
    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise UserError(f"{path} is not a directory; pass the project directory.")
    return root


def settings_for(args: argparse.Namespace, root: Path, **flags: Any) -> Settings:
    """Settings for `root` with `--set` values and explicit flags (those not None) on top; warnings to stderr."""
    overrides: dict[str, Any] = {}
    for item in getattr(args, "settings", []):
        key, sep, value = item.partition("=")
        if not sep:
            raise UserError(f"--set {item!r} needs the form KEY=VALUE, e.g. --set sandbox.timeout=120.")
        overrides[key.strip()] = value
    overrides.update({k: v for k, v in flags.items() if v is not None})
    unknown = [k for k in overrides if k not in SPECS]
    if unknown:
        raise UserError(
            f"unknown setting `{unknown[0]}` on the command line; known settings: {', '.join(SPECS)}."
        )
    settings, warnings = load_settings(root, overrides=overrides)
    for warning in warnings:
        print(f"untilgreen: {warning}", file=sys.stderr)
    return settings


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def stderr_console() -> Console:  # rich imported lazily
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def narrow_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    fixed: Collection[str] = (),
    right: Collection[str] = (),
    title: str = "",
) -> Table:
    """A table that reads at 80 columns: no rules, one space between columns. Cells of `fixed` columns (ids,
    dates, numbers) are never cut or wrapped; other cells share the rest and fold onto more lines rather than end
    in "…"; headers wrap between words. (Left to itself, rich drops columns or crops lines at 80 columns.)"""
    from rich.table import Column
    from rich.table import Table as RichTable

    rows = [list(row) for row in rows]

    def column(i: int, header: str) -> Column:
        justify: Literal["left", "right"] = "right" if header in right else "left"
        words = max(map(len, header.split()), default=1)
        if header in fixed:  # an exact width: rich crops the line when it resizes these with the others
            return Column(
                header, overflow="fold", justify=justify, width=max([words, *(len(r[i]) for r in rows)])
            )
        return Column(header, overflow="fold", justify=justify, min_width=words, ratio=1)

    columns = [column(i, header) for i, header in enumerate(headers)]
    table = RichTable(
        *columns,
        title=title or None,
        box=None,
        header_style="bold",
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
    )
    for row in rows:
        table.add_row(*row)
    return table


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)
