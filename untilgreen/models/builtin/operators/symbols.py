"""Operator replacement: comparison, arithmetic, bitwise and boolean operators, `not`, and `any`/`all`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site, parenthesized
from untilgreen.models.builtin.source import Mutation, TextEdit

_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_MEMBERSHIP = {
    ast.In: ("in", "not in"),
    ast.NotIn: ("not in", "in"),
    ast.Is: ("is", "is not"),
    ast.IsNot: ("is not", "is"),
}
_ARITHMETIC = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}
_BITWISE = {ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}
# Replacements a programmer confuses most often get the full prior; the rest a lower one.
_CLOSE = {
    frozenset(p)
    for p in [
        ("<", "<="),
        (">", ">="),
        ("==", "!="),
        ("<", ">"),
        ("<=", ">="),
        ("+", "-"),
        ("*", "/"),
        ("/", "//"),
        ("*", "+"),
        ("%", "//"),
        ("*", "**"),
        ("&", "|"),
        ("<<", ">>"),
    ]
}


def _token_pattern(token: str) -> str:
    """A regex for the operator token alone: `<` must not match inside `<=`, nor `*` inside `**`."""
    return r"\s+".join(
        rf"(?<![<>=!*/]){re.escape(part)}(?![<>=*/])" if not part.isalpha() else rf"\b{part}\b"
        for part in token.split()
    )


def _swap_token(
    site: Site, operator: str, left: ast.AST, right: ast.AST, old: str, new: str
) -> Mutation | None:
    found = site.source.find_between(left, right, _token_pattern(old))
    if found is None:
        return None
    weight = 1.0 if frozenset((old, new)) in _CLOSE else 0.6
    return Mutation(operator, right.lineno, (TextEdit(found[0], found[1], new),), weight)  # type: ignore[attr-defined]


def comparison(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if not isinstance(node, ast.Compare):
        return
    operands = [node.left, *node.comparators]
    for index, op in enumerate(node.ops):
        left, right = operands[index], operands[index + 1]
        if type(op) in _COMPARISONS:
            old = _COMPARISONS[type(op)]
            choices = [new for new in _COMPARISONS.values() if new != old]
        else:
            old, flipped = _MEMBERSHIP[type(op)]
            choices = [flipped]
        for new in choices:
            mutation = _swap_token(site, "comparison", left, right, old, new)
            if mutation:
                yield mutation


def _binary(
    node: ast.AST, site: Site, table: dict[type[ast.operator], str], operator: str
) -> Iterator[Mutation]:
    if isinstance(node, ast.BinOp) and type(node.op) in table:
        left, right = node.left, node.right
    elif isinstance(node, ast.AugAssign) and type(node.op) in table:
        left, right = node.target, node.value
    else:
        return
    old = table[type(node.op)]
    suffix = "=" if isinstance(node, ast.AugAssign) else ""
    for new in table.values():
        if new != old:
            mutation = _swap_token(site, operator, left, right, old + suffix, new + suffix)
            if mutation:
                yield mutation


def arithmetic(node: ast.AST, site: Site) -> Iterator[Mutation]:
    yield from _binary(node, site, _ARITHMETIC, "arithmetic")


def bitwise(node: ast.AST, site: Site) -> Iterator[Mutation]:
    yield from _binary(node, site, _BITWISE, "bitwise")


def boolean(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """`and` <-> `or`, one connective at a time."""
    if not isinstance(node, ast.BoolOp):
        return
    old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
    for left, right in zip(node.values, node.values[1:]):
        mutation = _swap_token(site, "boolean", left, right, old, new)
        if mutation:
            yield mutation


def negation(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """Remove a `not`, or insert one before a condition."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield site.source.replace("negation", node, site.source.segment(node.operand))
    elif _is_condition(node, site) and not (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        text = parenthesized(site.source, node)
        yield site.source.replace("negation", node, f"not {text}", 0.8)


def _is_condition(node: ast.AST, site: Site) -> bool:
    parent = site.parent(node)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is node:
        return True
    if isinstance(parent, ast.comprehension) and node in parent.ifs:
        return True
    if isinstance(parent, ast.BoolOp):
        return True
    return isinstance(parent, ast.Return) and isinstance(node, (ast.Compare, ast.BoolOp, ast.Call))


def any_all(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("any", "all"):
        yield site.source.replace("any-all", node.func, "all" if node.func.id == "any" else "any")
