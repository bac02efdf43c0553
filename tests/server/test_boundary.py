"""The language server's boundary: it imports `protocol`, never the engine (`agent`) or the repairers (`models`)."""

from __future__ import annotations

import ast
from pathlib import Path

import untilgreen.server

FORBIDDEN = ("untilgreen.agent", "untilgreen.models")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
    return found


def test_the_server_never_imports_the_engine_or_the_repairers() -> None:
    folder = Path(untilgreen.server.__file__).parent
    crossing = {
        f"{path.name}: {name}"
        for path in sorted(folder.glob("*.py"))
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    }
    assert not crossing


def test_the_protocol_imports_nothing_of_the_engine() -> None:
    import untilgreen.protocol

    names = _imports(Path(untilgreen.protocol.__file__))
    assert {n for n in names if n.startswith("untilgreen")} <= {
        "untilgreen.settings",
        "untilgreen.settings.Settings",
    }
