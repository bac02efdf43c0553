"""Off-by-one: integer literals +-1, and index, slice, comparison and `range` bounds +-1 (or a +-1 removed)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site
from untilgreen.models.builtin.source import Mutation

_ADDITIVE = (ast.Add, ast.Sub)


def integer(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        for delta in (1, -1):
            value = node.value + delta
            if value >= 0 or node.value < 0:
                yield site.source.replace("integer", node, str(value))


def bound(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """`x` -> `x + 1` / `x - 1` where `x` bounds an index, slice, comparison or range; `x + 1` -> `x`."""
    if _is_plus_minus_one(node):
        assert isinstance(node, ast.BinOp)
        yield site.source.replace("bound", node, site.source.segment(node.left))
        return
    if isinstance(node, ast.Constant) or not _is_bound(node, site):
        return
    text = site.source.segment(node)
    if not isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) and not (
        isinstance(node, ast.BinOp) and isinstance(node.op, _ADDITIVE)
    ):
        text = f"({text})"
    for sign in ("+", "-"):
        yield site.source.replace("bound", node, f"{text} {sign} 1")


def _is_plus_minus_one(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, _ADDITIVE)
        and isinstance(node.right, ast.Constant)
        and node.right.value == 1
    )


def _is_bound(node: ast.AST, site: Site) -> bool:
    parent = site.parent(node)
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        return True
    if isinstance(parent, ast.Slice):
        return True
    if isinstance(parent, ast.Compare) and not isinstance(
        parent.ops[0], (ast.In, ast.NotIn, ast.Is, ast.IsNot)
    ):
        return True
    return (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id == "range"
        and node in parent.args
    )
