"""`untilgreen doctor`: what this machine and project give untilgreen to work with."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from untilgreen import __version__
from untilgreen.cli.common import (
    add_project_argument,
    add_settings_arguments,
    print_json,
    project_root,
    settings_for,
)
from untilgreen.settings import user_config_path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="report interpreter, pytest, git, isolation, SQLite and model setup"
    )
    add_project_argument(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = project_root(args)
    settings = settings_for(args, root)
    report = diagnose(root, settings)
    if args.json:
        print_json(report)
    else:
        _print(report)
    return 0


def diagnose(root: Path, settings: Any) -> dict[str, Any]:
    from untilgreen.sandbox import isolation
    from untilgreen.sandbox.interpreter import find_python

    python = find_python(root, settings.python)
    return {
        "untilgreen": __version__,
        "project": str(root),
        "python": {"path": str(python), **_pytest_version(python)},
        "git": _version(["git", "--version"]),
        "isolation": isolation.available_layers(),
        "isolation_selected": isolation.resolve(settings.sandbox.isolation),
        "sqlite": _sqlite(),
        "memory": _memory(settings),
        "model": _model(settings),
        "config": {"user_config": str(user_config_path()), "sources": dict(settings.sources)},
    }


def _version(argv: list[str]) -> str | None:
    if not shutil.which(argv[0]):
        return None
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def _pytest_version(python: Path) -> dict[str, Any]:
    from untilgreen.sandbox.interpreter import OLDEST_PYTEST, parse_version

    supported = f">= {'.'.join(map(str, OLDEST_PYTEST))}"
    out = _version(
        [str(python), "-c", "import sys, pytest; print(sys.version.split()[0], pytest.__version__)"]
    )
    if not out:
        return {"version": None, "pytest": None, "pytest_supported": supported, "pytest_ok": False}
    version, _, pytest_version = out.partition(" ")
    ok = (parse_version(pytest_version) or (0,)) >= OLDEST_PYTEST
    return {"version": version, "pytest": pytest_version, "pytest_supported": supported, "pytest_ok": ok}


def _sqlite() -> dict[str, Any]:
    import sqlite3

    stdlib = hasattr(sqlite3.Connection, "enable_load_extension")
    info: dict[str, Any] = {"stdlib_can_load_extensions": stdlib, "sqlean": None, "sqlite_vec": None}
    try:
        import sqlean
        import sqlite_vec

        conn = sqlean.connect(":memory:")
        conn.enable_load_extension(True)
        sqlite_vec.load(conn)
        info["sqlean"] = conn.execute("select sqlite_version()").fetchone()[0]
        info["sqlite_vec"] = conn.execute("select vec_version()").fetchone()[0]
        conn.close()
    except Exception as exc:  # noqa: BLE001 - report, don't crash: this is a diagnostic
        info["error"] = f"{type(exc).__name__}: {exc}"
    return info


def _memory(settings: Any) -> dict[str, Any]:
    """Where runs are remembered; for a team store, whether it opens (or the sentence saying what to do)."""
    from untilgreen.errors import UserError
    from untilgreen.memory import Store, default_path

    memory = settings.memory
    info: dict[str, Any] = {
        "backend": "postgresql" if memory.url else "sqlite",
        "read_only": memory.read_only,
    }
    if not memory.url:
        return {**info, "location": memory.path or str(default_path()), "ok": True, "problem": ""}
    try:
        with Store.configured(memory) as store:
            described = store.db.describe()
        return {**info, "location": store.location, "ok": True, "problem": "", "server": described["server"]}
    except UserError as err:
        return {**info, "location": "", "ok": False, "problem": str(err)}


def _model(settings: Any) -> dict[str, Any]:
    from untilgreen.models.llm.provider import describe

    model = settings.model or "builtin"
    key_env = settings.api_key_env
    return {
        "model": model,
        "api_base": settings.api_base or None,
        "api_key_env": key_env or None,
        "api_key_set": bool(key_env and os.environ.get(key_env)) if key_env else None,
        "repairer": "builtin" if model == "builtin" else "llm",
        # what litellm makes of it (imports litellm, so only with a model configured)
        "provider": None if model == "builtin" else describe(settings).to_json(),
    }


def _print(report: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    ok, bad = "[green]ok[/green]", "[red]missing[/red]"
    py = report["python"]
    console.print(f"untilgreen {report['untilgreen']} ({sys.executable})")
    console.print(f"project      {report['project']}")
    console.print(f"interpreter  {py['path']} (Python {py['version'] or '?'})")
    if not py["pytest"]:
        console.print(
            f"pytest       {bad} - install it in that interpreter (supported: pytest {py['pytest_supported']})"
        )
    elif not py["pytest_ok"]:
        console.print(
            f"pytest       {py['pytest']} [red]unsupported[/red] - untilgreen supports pytest "
            f"{py['pytest_supported']}; upgrade it in that interpreter"
        )
    else:
        console.print(f"pytest       {py['pytest']} (supported: {py['pytest_supported']})")
    console.print(f"git          {report['git'] or bad}")
    layers = ", ".join(
        f"{name}: {ok if value is True else value if value else bad}"
        for name, value in report["isolation"].items()
    )
    console.print(f"isolation    {report['isolation_selected']} selected ({layers})")
    sqlite = report["sqlite"]
    console.print(
        f"sqlite       stdlib extensions: {'yes' if sqlite['stdlib_can_load_extensions'] else 'no'}; "
        f"sqlean {sqlite['sqlean'] or bad}; sqlite-vec {sqlite['sqlite_vec'] or bad}"
    )
    memory = report["memory"]
    where = f"{memory['backend']} {memory['location']}" + (
        f" ({memory['server']})" if "server" in memory else ""
    )
    console.print(
        f"memory       {where if memory['ok'] else '[red]unusable[/red]: ' + memory['problem']}"
        + (" read-only" if memory["read_only"] else "")
    )
    model = report["model"]
    key = (
        ""
        if model["api_key_env"] is None
        else f", key in ${model['api_key_env']}: {'set' if model['api_key_set'] else 'NOT set'}"
    )
    console.print(
        f"model        {model['model']}{' at ' + model['api_base'] if model['api_base'] else ''}{key}"
    )
    provider = model["provider"]
    if provider:
        env = f"${provider['key_env']}" if provider["key_env"] else "litellm's variables"
        state = "set" if provider["key_set"] else "NOT set"
        key = f"key in {env}: {state}" if provider["key_needed"] else "no key needed"
        price = "" if provider["price_known"] else f"; price unknown for {model['model']}"
        where = f"{provider['name']} at {provider['api_base'] or 'its public API'}, {key}{price}"
        console.print(f"provider     {where if provider['name'] else '[red]unknown to litellm[/red]'}")
        for problem in provider["missing"]:
            console.print(f"             [red]missing[/red]: {problem}")
    console.print(f"config       {report['config']['user_config']}")
