"""What names a mutation may put where: in-scope variables and callables, and the project's attribute names."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

_BUILTINS = frozenset(dir(builtins))


@dataclass
class Vocabulary:
    """Attribute names seen anywhere in the project's (non-test) code, split into values and methods."""

    fields: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)

    def add(self, tree: ast.AST) -> None:
        calls = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                (self.methods if id(node) in calls else self.fields).add(node.attr)
            elif isinstance(node, ast.ClassDef):
                self._add_class(node)

    def _add_class(self, node: ast.ClassDef) -> None:
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = {d.id for d in item.decorator_list if isinstance(d, ast.Name)}
                (self.fields if decorators & {"property", "cached_property"} else self.methods).add(item.name)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                self.fields.add(item.target.id)


@dataclass
class Scope:
    variables: list[str]  # values readable here: parameters, locals, module-level values
    callables: list[str]  # functions, classes and imported names
    constants: list[str]  # module-level UPPER_CASE names
    vocabulary: Vocabulary
    module_names: dict[str, set[str]]  # import target (as written, with leading dots) -> names it defines


def module_scope(tree: ast.Module) -> tuple[list[str], list[str]]:
    """(values, callables) defined at the top level of a module."""
    values: list[str] = []
    callables: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            callables.append(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                name = (alias.asname or alias.name).split(".")[0]
                (values if name.isupper() else callables).append(name)
        else:
            values.extend(_stored_names(stmt))
    return _unique(values), _unique(callables)


def function_scope(
    function: ast.AST | None,
    module: tuple[list[str], list[str]],
    vocabulary: Vocabulary,
    module_names: dict[str, set[str]],
) -> Scope:
    values, callables = module
    local: list[str] = []
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        arguments = function.args
        local = [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]]
        local += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
        body = function.body if isinstance(function.body, list) else [function.body]
        for stmt in body:
            local.extend(_stored_names(stmt))
    constants = [name for name in values if name.isupper()]
    return Scope(_unique(local + values), callables, constants, vocabulary, module_names)


def _stored_names(node: ast.AST) -> list[str]:
    names = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            names.append(child.id)
        elif isinstance(child, ast.arg):
            names.append(child.arg)
    return names


def _unique(names: list[str]) -> list[str]:
    return [name for name in dict.fromkeys(names) if name != "_" and name not in _BUILTINS]
