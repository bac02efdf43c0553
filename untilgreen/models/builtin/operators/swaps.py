"""Swapped arguments of a call, and swapped operands of a non-commutative operator or a comparison."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site
from untilgreen.models.builtin.source import Mutation, TextEdit

_NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift, ast.MatMult)


def _swap(site: Site, operator: str, first: ast.AST, second: ast.AST, weight: float) -> Mutation:
    (a_start, a_end), (b_start, b_end) = site.source.span(first), site.source.span(second)
    text = site.source.text
    edits = (TextEdit(a_start, a_end, text[b_start:b_end]), TextEdit(b_start, b_end, text[a_start:a_end]))
    return Mutation(operator, first.lineno, edits, weight)  # type: ignore[attr-defined]


def arguments(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if not isinstance(node, ast.Call):
        return
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    if len(positional) != len(node.args):
        return
    pairs = list(zip(positional, positional[1:]))
    if len(positional) > 2:
        pairs.append((positional[0], positional[-1]))
    for first, second in pairs:
        if site.source.segment(first) != site.source.segment(second):
            yield _swap(site, "swap-arguments", first, second, 1.0)


def operands(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, _NON_COMMUTATIVE):
        yield _swap(site, "swap-operands", node.left, node.right, 0.8)
    elif (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and not isinstance(node.ops[0], (ast.Eq, ast.NotEq, ast.Is, ast.IsNot))
    ):
        yield _swap(site, "swap-operands", node.left, node.comparators[0], 0.6)
