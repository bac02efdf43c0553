"""Missing or extra call: wrap a value in `max(0, x)`, `abs(x)` or `len(x)`, or unwrap a one-value call."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site
from untilgreen.models.builtin.source import Mutation

_WRAPPERS = ("max(0, {})", "abs({})", "len({})")
_UNWRAPPABLE = frozenset(
    {
        "abs",
        "len",
        "int",
        "float",
        "str",
        "round",
        "list",
        "sorted",
        "set",
        "tuple",
        "max",
        "min",
        "bool",
        "reversed",
    }
)


def wrap(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if not _is_value(node, site) or isinstance(node, ast.Constant):
        return
    text = site.source.segment(node)
    for template in _WRAPPERS:
        yield site.source.replace("wrap-call", node, template.format(text), 0.8)


def unwrap(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """`f(x)` -> `x` for a few builtins; `max(a, b)` -> `a` or `b`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _UNWRAPPABLE):
        return
    if node.keywords or not 1 <= len(node.args) <= 2:
        return
    for argument in node.args:
        if not isinstance(argument, ast.Starred):
            yield site.source.replace("unwrap-call", node, site.source.segment(argument))


def _is_value(node: ast.AST, site: Site) -> bool:
    """A computed value that is returned, assigned or passed on: where a missing clamp or conversion shows."""
    parent = site.parent(node)
    if isinstance(parent, (ast.Return, ast.Assign, ast.AugAssign, ast.AnnAssign)) and parent.value is node:
        return isinstance(node, (ast.BinOp, ast.Name, ast.Attribute, ast.Call, ast.Subscript))
    return isinstance(parent, ast.Call) and node in parent.args and isinstance(node, ast.BinOp)
