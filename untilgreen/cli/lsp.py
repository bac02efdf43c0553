"""`untilgreen lsp`: the language server over stdio (runs are worker processes; see untilgreen/server)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="start the language server on stdio (for editors)",
        description="Start the untilgreen language server, speaking LSP on stdin/stdout. "
        "Editors start it; settings come from the editor (section "
        "`untilgreen`, camelCase keys).",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from untilgreen.server.server import main

    main()
    return 0
