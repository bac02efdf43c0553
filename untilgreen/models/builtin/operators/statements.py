"""Statement-level operators: a condition strengthened, a guard added, a statement deleted, duplicated or moved,
and return-value variants."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site, parenthesized
from untilgreen.models.builtin.source import Mutation, TextEdit

_SIMPLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.Delete, ast.Assert)


def strengthen(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """`if c:` -> `if n and c:` / `if n is not None and c:` for the names the condition reads."""
    if not isinstance(node, (ast.If, ast.While)):
        return
    test = node.test
    names = dict.fromkeys(
        n.id for n in ast.walk(test) if isinstance(n, ast.Name) and n.id in site.scope.variables
    )
    text = parenthesized(site.source, test) if isinstance(test, ast.BoolOp) else site.source.segment(test)
    for name in names:
        yield site.source.replace("strengthen", test, f"{name} and {text}")
        yield site.source.replace("strengthen", test, f"{name} is not None and {text}", 0.8)


def guard(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """After `x = ...` in a loop: `if x is None: continue` (a skipped value the loop must not use)."""
    if not (
        isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    ):
        return
    if not _in_loop(node, site):
        return
    indent = site.source.indent_of(node.lineno)
    end = _end_of_line(site, node)
    name = node.targets[0].id
    for condition, weight in ((f"{name} is None", 1.0), (f"not {name}", 0.8)):
        block = f"{indent}if {condition}:\n{indent}    continue\n"
        yield Mutation("guard", node.lineno, (TextEdit(end, end, block),), weight)


def delete(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if not isinstance(node, _SIMPLE) or _is_docstring(node):
        return
    siblings = _siblings(node, site)
    start, end = site.source.line_start(node.lineno), _end_of_line(site, node)
    if len(siblings) == 1:
        start, end = site.source.span(node)
        yield Mutation("delete", node.lineno, (TextEdit(start, end, "pass"),))
    else:
        yield Mutation("delete", node.lineno, (TextEdit(start, end, ""),))


def duplicate(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """Repeat a simple statement right after itself (a missing second call or update)."""
    if not isinstance(node, (ast.Expr, ast.AugAssign, ast.Assign)) or _is_docstring(node):
        return
    start, end = site.source.line_start(node.lineno), _end_of_line(site, node)
    yield Mutation("duplicate", node.lineno, (TextEdit(end, end, site.source.text[start:end]),))


def move(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """Swap a simple statement with the one after it in the same block."""
    siblings = _siblings(node, site)
    if not isinstance(node, _SIMPLE) or node not in siblings:
        return
    index = siblings.index(node)
    if index + 1 >= len(siblings):
        return
    following = siblings[index + 1]
    if not isinstance(following, _SIMPLE):
        return
    a = (site.source.line_start(node.lineno), _end_of_line(site, node))
    b = (site.source.line_start(following.lineno), _end_of_line(site, following))
    if a[1] != b[0]:
        return  # a comment or blank line between them: keep it simple
    text = site.source.text
    yield Mutation("move", node.lineno, (TextEdit(a[0], b[1], text[b[0] : b[1]] + text[a[0] : a[1]]),))


def return_value(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if not (isinstance(node, ast.Return) and node.value is not None):
        return
    current = site.source.segment(node.value)
    for variant in ("None", "True", "False"):
        if variant != current:
            yield site.source.replace("return", node.value, variant, 0.6)


def _siblings(node: ast.AST, site: Site) -> list[ast.AST]:
    parent = site.parent(node)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and node in block:
            return block
    return []


def _in_loop(node: ast.AST, site: Site) -> bool:
    parent = site.parent(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        if isinstance(parent, (ast.For, ast.While)):
            return True
        parent = site.parent(parent)
    return False


def _is_docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _end_of_line(site: Site, node: ast.AST) -> int:
    """The offset just after the newline that ends the node's last line."""
    end = site.source.span(node)[1]
    newline = site.source.text.find("\n", end)
    return len(site.source.text) if newline < 0 else newline + 1
