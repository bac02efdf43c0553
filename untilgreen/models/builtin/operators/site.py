"""Where an operator works: the file's source, the names in scope, and each node's parent."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from untilgreen.models.builtin.scope import Scope
from untilgreen.models.builtin.source import Source

MAX_NAMES = 8  # replacement names tried per site, most similar first


@dataclass
class Site:
    source: Source
    scope: Scope
    parents: dict[int, ast.AST]

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def is_call_target(self, node: ast.AST) -> bool:
        parent = self.parent(node)
        return isinstance(parent, ast.Call) and parent.func is node


def parent_map(tree: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def similar(name: str, choices: Iterable[str]) -> Iterator[tuple[str, float]]:
    """Other names, most similar first, with a weight in [0.5, 1] growing with similarity."""
    scored = sorted(
        ((difflib.SequenceMatcher(None, name, c).ratio(), c) for c in set(choices) if c != name),
        key=lambda pair: (-pair[0], pair[1]),
    )
    for ratio, choice in scored[:MAX_NAMES]:
        yield choice, 0.5 + ratio / 2


def parenthesized(source: Source, node: ast.AST) -> str:
    """The node's text, in parentheses unless it is atomic (a name, attribute, call, subscript or constant)."""
    text = source.segment(node)
    atomic = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.List, ast.Tuple, ast.Dict)
    return text if isinstance(node, atomic) else f"({text})"
