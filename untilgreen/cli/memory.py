"""`untilgreen memory stats|search|show|forget|export|import|push|pull|reindex`: look into and manage the memory."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from untilgreen.cli.common import narrow_table, print_json, settings_for, stdout_console
from untilgreen.cli.runs import show_run
from untilgreen.cli.store_access import add_memory_arguments, open_store, usage_error, when
from untilgreen.memory import Recollection
from untilgreen.memory.transfer import copy_cards


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
        ("push", "copy this machine's fix cards to the team memory (memory.url)", None),
        ("pull", "copy the team memory's fix cards to this machine's memory", None),
        ("reindex", "build the team memory's HNSW index if a bulk load left it missing", None),
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
    rows = [
        (
            r.card.id,
            f"{r.score:.2f}",
            r.card.status,
            r.card.signature.text,
            ", ".join(r.card.files),
            r.card.summary.strip(),
        )
        for r in found
    ]
    headers = ("id", "score", "status", "failure", "files", "summary")
    table = narrow_table(headers, rows, fixed=headers[:3], title=f"fix cards like {args.text!r}")
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
        ("from", card.origin),
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


def reindex(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        built = store.reindex()
    if args.json:
        print_json({"built": built})
    else:
        print("Built the HNSW index." if built else "The HNSW index is there; nothing to build.")
    return 0


def push(args: argparse.Namespace) -> int:
    return _copy(args, to_team=True)


def pull(args: argparse.Namespace) -> int:
    return _copy(args, to_team=False)


def _copy(args: argparse.Namespace, *, to_team: bool) -> int:
    """Fix cards between the local file (--memory, memory.path, the default) and the team store, by digest."""
    from untilgreen.memory import Store

    memory = settings_for(argparse.Namespace(), Path.cwd()).memory
    if not memory.url:
        return usage_error(
            "there is no team memory to "
            + ("push to" if to_team else "pull from")
            + ": set memory.url (e.g. UNTILGREEN_MEMORY_URL=postgresql://host/db) first."
        )
    local_settings = dataclasses.replace(memory, url="", read_only=False, path=args.memory or memory.path)
    with Store.configured(local_settings) as local, Store.configured(memory) as team:
        if to_team and team.read_only:
            return usage_error("the team memory is read-only here (memory.read_only): nothing was pushed.")
        source, target = (local, team) if to_team else (team, local)
        counts = copy_cards(source, target)
        data = {"from": source.location, "to": target.location, **counts}
    if args.json:
        print_json(data)
    else:
        print(
            f"{'Pushed' if to_team else 'Pulled'} {counts['fix_cards']} fix card(s) from {source.location} to "
            f"{target.location} ({counts['already_there']} already there, {counts['verdicts']} verdict(s) copied)."
        )
    return 0


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
    "push": push,
    "pull": pull,
    "reindex": reindex,
}
