"""Wrong name: a variable, attribute or imported name replaced by an in-scope name of the same kind."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site, similar
from untilgreen.models.builtin.source import Mutation, TextEdit


def name(node: ast.AST, site: Site) -> Iterator[Mutation]:
    if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
        return
    choices = site.scope.callables if site.is_call_target(node) else site.scope.variables
    for choice, weight in similar(node.id, choices):
        yield site.source.replace("name", node, choice, weight)


def attribute(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """`obj.a` -> `obj.b` (same kind: method or value), or `obj.a` -> `obj`."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)):
        return
    vocabulary = site.scope.vocabulary
    is_method = site.is_call_target(node)
    start, end = site.source.span(node)
    attr_start = end - len(node.attr)
    for choice, weight in similar(node.attr, vocabulary.methods if is_method else vocabulary.fields):
        yield Mutation(
            "attribute", node.end_lineno or node.lineno, (TextEdit(attr_start, end, choice),), weight
        )
    if not is_method:
        yield site.source.replace("attribute", node, site.source.segment(node.value), 0.5)


def imported(node: ast.AST, site: Site) -> Iterator[Mutation]:
    """`from .m import NAME` where m lacks NAME -> the most similar names m defines."""
    if not isinstance(node, ast.ImportFrom):
        return
    defined = site.scope.module_names.get("." * node.level + (node.module or ""))
    if not defined:
        return
    line = site.source.line_start(node.lineno)
    for alias in node.names:
        if alias.name in defined:
            continue
        at = site.source.text.find(alias.name, site.source.span(node)[0] + len("from"))
        if at < line:
            continue
        for choice, weight in similar(alias.name, defined):
            yield Mutation("name", node.lineno, (TextEdit(at, at + len(alias.name), choice),), weight)
