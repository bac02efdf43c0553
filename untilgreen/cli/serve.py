"""`untilgreen serve`: the HTTP API and web page for runs and evals (needs the `serve` extra)."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from untilgreen.cli.common import add_set_argument, settings_for
from untilgreen.cli.fix import add_model_arguments
from untilgreen.errors import UserError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve runs and evals over HTTP, with a web page",
        description="Start, watch and cancel runs and evals over HTTP (an OpenAPI document at /openapi.json) and "
        "in a web page at /. Listens on 127.0.0.1 unless --host says otherwise; any other address needs a bearer "
        "token from --token-env. Runs only in the --project roots; never applies a patch.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, metavar="N", help="the port (default 8765; 0: any)")
    parser.add_argument(
        "--project",
        action="append",
        default=[],
        metavar="PATH",
        dest="projects",
        help="a project root (or eval corpus) requests may name (repeatable; at least one)",
    )
    parser.add_argument(
        "--token-env",
        metavar="NAME",
        help="the environment variable holding the bearer token requests must send (required off loopback)",
    )
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="runs at a time (default 2)")
    parser.add_argument("--queue", type=int, default=8, metavar="M", help="runs waiting at most (default 8)")
    add_model_arguments(parser)
    add_set_argument(parser)
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from untilgreen.serve.app import Config, create_app
    except ImportError as exc:
        raise UserError(
            f"untilgreen serve needs the `serve` extra ({exc.name} is missing); install it with "
            "`pip install 'untilgreen[serve]'`."
        ) from None
    from untilgreen.serve.auth import server_token
    from untilgreen.serve.projects import Projects

    if args.workers < 1 or args.queue < 0:
        raise UserError("--workers must be at least 1 and --queue at least 0.")
    token = server_token(args.host, args.token_env)
    projects = Projects.of(args.projects)
    operator = _operator_settings(args, next(iter(projects.roots.values())))
    config = Config(projects, operator, args.workers, args.queue, token)
    listening = _listen(args.host, args.port)
    port = listening.getsockname()[1]  # the one the system chose, with --port 0
    print(f"untilgreen: serving {', '.join(projects.roots)} on http://{args.host}:{port}/", file=sys.stderr)
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", access_log=False))
    server.run(sockets=[listening])
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, opened here so that a port in use is one sentence and port 0 can be told."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise UserError(
            f"untilgreen serve cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port "
            "(0 lets the system pick one) or --host."
        ) from None


def _operator_settings(args: argparse.Namespace, root: Path) -> dict[str, str]:
    """The operator's `--set` values and model flags, checked once here, passed on to every run as overrides."""
    settings_for(args, root, model=args.model, api_base=args.api_base)  # raises on an unknown or bad value
    flags = {"model": args.model, "api_base": args.api_base}
    overrides = dict(item.partition("=")[::2] for item in args.settings)
    return {k.strip(): v for k, v in overrides.items()} | {k: v for k, v in flags.items() if v is not None}
