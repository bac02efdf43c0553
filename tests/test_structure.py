"""The package's shape, as the code reads: no import cycles between modules (function-level and TYPE_CHECKING
imports included, since they only hide a cycle), and no private name imported from another module."""

from __future__ import annotations

import ast
from pathlib import Path

import untilgreen

PACKAGE = Path(untilgreen.__file__).parent


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"))
    return found


MODULES = _modules()
# The modules that run inside the project's interpreter import each other by their file name (their folder is
# put on that interpreter's path), e.g. `import untilgreen_pytest_plugin as plugin`.
BY_FILE_NAME = {
    name.rpartition(".")[2]: name for name in MODULES if name.rpartition(".")[2].startswith("untilgreen_")
}


def _imported(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in `tree`, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(BY_FILE_NAME.get(alias.name, alias.name), []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((BY_FILE_NAME.get(node.module, node.module), [alias.name for alias in node.names]))
    return found


def _private_attributes(tree: ast.Module) -> list[str]:
    """`module._name` uses, where `module` is bound by `import` to a module of ours."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = BY_FILE_NAME.get(alias.name, alias.name)
                if target in MODULES:
                    aliases[alias.asname or alias.name] = target
    return [
        f"{aliases[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def _targets(module: str, names: list[str]) -> set[str]:
    """The modules of ours an import reaches: the module, or its submodules when names are submodules."""
    reached = {f"{module}.{name}" for name in names if f"{module}.{name}" in MODULES}
    if module in MODULES and len(reached) < len(names):
        reached.add(module)
    return reached


def _graph() -> dict[str, set[str]]:
    return {
        name: {
            target
            for module, names in _imported(tree)
            if module.startswith("untilgreen")
            for target in _targets(module, names)
            if target != name
        }
        for name, tree in MODULES.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), packages and their own submodules excepted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _without_package_reexports(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's `__init__` re-exporting its submodules is not a cycle with them: drop the edges from a
    package to its own submodules."""
    return {name: {t for t in targets if not t.startswith(name + ".")} for name, targets in graph.items()}


def test_no_import_cycles_between_modules() -> None:
    assert _cycles(_without_package_reexports(_graph())) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    crossing = sorted(
        f"{importer} imports {module}.{name}"
        for importer, tree in MODULES.items()
        for module, names in _imported(tree)
        if module.startswith("untilgreen")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    )
    crossing += sorted(
        f"{importer} uses {used}" for importer, tree in MODULES.items() for used in _private_attributes(tree)
    )
    assert crossing == []


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
