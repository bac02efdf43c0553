"""`untilgreen memory stats|search|show|forget|export|import`: look into and manage the memory database."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from untilgreen.cli.common import print_json, stdout_console
from untilgreen.cli.runs import show_run
from untilgreen.cli.store_access import add_memory_arguments, open_store, usage_error, when
from untilgreen.memory import Recollection


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("memory", help="inspect and manage remembered signatures and fix cards")
    actions = parser.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    for name, help_text, arg in (
        ("stats", "counts, size, embedder and spend", None),
        ("search", "fix cards whose failure resembles TEXT", "text"),
        ("show", "one fix card (or run) by id", "id"),
        ("forget", "delete a fix card or a run by id", "id"),
        ("export", "write everything to a JSON file", "file"),
        ("import", "merge a JSON file written by export", "file"),
    ):
        action = actions.add_parser(name, help=help_text)
        if arg:
            action.add_argument(arg, metavar=arg.upper())
        if name == "search":
            action.add_argument("--limit", type=int, default=10, help="at most this many cards (default 10)")
        add_memory_arguments(action)
        action.set_defaults(handler=HANDLERS[name])


def stats(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        data = store.stats()
    if args.json:
        print_json(data)
        return 0
    from rich.table import Table

    table = Table("", "", show_header=False, box=None)
    for key, value in data.items():
        shown = ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
        table.add_row(key.replace("_", " "), shown)
    stdout_console().print(table)
    return 0


def search(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        found = store.search(args.text, k=args.limit)
    if args.json:
        print_json({"query": args.text, "results": [_recollection(r) for r in found]})
        return 0
    from rich.table import Column, Table

    table = Table(
        Column("id", no_wrap=True),
        "score",
        "status",
        "failure",
        "files",
        "summary",
        title=f"fix cards like {args.text!r}",
    )
    for r in found:
        table.add_row(
            r.card.id,
            f"{r.score:.2f}",
            r.card.status,
            r.card.signature.text,
            ", ".join(r.card.files),
            r.card.summary,
        )
    stdout_console().print(table if found else "No remembered fix resembles that.")
    return 0


def show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        card = store.card(args.id)
        if card is None:
            return show_run(store, args)
    if args.json:
        print_json({"fix_card": dataclasses.asdict(card)})
        return 0
    from rich.syntax import Syntax

    console = stdout_console()
    console.print(f"[bold]{card.id}[/] {card.status}, created {when(card.created)}, replayed {card.uses}x")
    for label, value in (
        ("failure", card.signature.text),
        ("summary", card.summary),
        ("root cause", card.root_cause),
        ("files", ", ".join(card.files)),
        ("symbols", ", ".join(card.symbols)),
        ("verified", card.verification),
        ("run", card.run_id or ""),
    ):
        if value:
            console.print(f"[dim]{label}:[/] {value}")
    console.print(Syntax(card.diff, "diff", background_color="default"))
    return 0


def forget(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        try:
            kind = store.forget(args.id)
        except KeyError:
            return usage_error(
                f"no run or fix card has the id {args.id}; list them with `untilgreen runs` or "
                "`untilgreen memory search`."
            )
    if args.json:
        print_json({"forgotten": args.id, "kind": kind})
    else:
        print(f"Forgot {kind} {args.id}.")
    return 0


def export(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        counts = store.export(Path(args.file))
    return _report({"exported": args.file, **counts}, args)


def import_(args: argparse.Namespace) -> int:
    if not Path(args.file).is_file():
        return usage_error(f"{args.file} does not exist; pass a file written by `untilgreen memory export`.")
    with open_store(args) as store:
        counts = store.import_(Path(args.file))
    return _report({"imported": args.file, **counts}, args)


def _report(data: dict[str, Any], args: argparse.Namespace) -> int:
    if args.json:
        print_json(data)
    else:
        print(", ".join(f"{k} {v}" for k, v in data.items()))
    return 0


def _recollection(r: Recollection) -> dict[str, Any]:
    return {
        "score": r.score,
        "same_project": r.same_project,
        "applied_in": r.applied_in,
        "card": dataclasses.asdict(r.card),
    }


HANDLERS = {
    "stats": stats,
    "search": search,
    "show": show,
    "forget": forget,
    "export": export,
    "import": import_,
}
