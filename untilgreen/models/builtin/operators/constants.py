"""Wrong constant: `[]`/`[[]]`, `True`/`False`, `None`/`0`/`1`, empty values, and module constants."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from untilgreen.models.builtin.operators.site import Site, similar
from untilgreen.models.builtin.source import Mutation


def constant(node: ast.AST, site: Site) -> Iterator[Mutation]:
    choices = _alternatives(node)
    if choices is None:
        return
    for choice in choices:
        yield site.source.replace("constant", node, choice)
    if not site.is_call_target(node):
        for name, weight in similar(site.source.segment(node), site.scope.constants):
            yield site.source.replace("constant", node, name, weight * 0.8)


def _alternatives(node: ast.AST) -> list[str] | None:
    if isinstance(node, ast.List) and not node.elts:
        return ["[[]]", "None"]
    if (
        isinstance(node, ast.List)
        and len(node.elts) == 1
        and isinstance(node.elts[0], ast.List)
        and not node.elts[0].elts
    ):
        return ["[]"]
    if isinstance(node, (ast.Tuple, ast.Dict, ast.Set)) and not getattr(
        node, "elts", getattr(node, "keys", None)
    ):
        return ["None"]
    if not isinstance(node, ast.Constant):
        return None
    value = node.value
    if isinstance(value, bool):
        return [str(not value)]
    if value is None:
        return ["0", "[]", "False"]
    if type(value) in (int, float) and value in (0, 1):  # +-1 of an int is the `integer` operator's
        return ["None"]
    if value == "":
        return ["None"]
    return None
