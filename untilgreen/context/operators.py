"""Operators as calls: Python runs a special method for an operator (`a @ b` is `a.__matmul__(b)`, `a[i]` is
`a.__getitem__(i)`, `len(a)` is `a.__len__()`), so code that multiplies two matrices calls `Matrix.__matmul__`
without naming it. The names here join the identifiers a chunk uses wherever calls are resolved by name."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import tree_sitter

from untilgreen.context.languages import PYTHON, grammar, is_python, node_text

_ARITHMETIC = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "@": "matmul",
    "/": "truediv",
    "//": "floordiv",
    "%": "mod",
    "**": "pow",
    "<<": "lshift",
    ">>": "rshift",
    "&": "and",
    "|": "or",
    "^": "xor",
}
# Both operands may answer a binary operator: the left one's method, else the right one's reflected method.
_BINARY = {op: (f"__{name}__", f"__r{name}__") for op, name in _ARITHMETIC.items()}
_AUGMENTED = {f"{op}=": (f"__i{name}__", f"__{name}__") for op, name in _ARITHMETIC.items()}
_COMPARISON = {
    "==": ("__eq__",),
    "!=": ("__ne__", "__eq__"),
    "<": ("__lt__", "__gt__"),
    "<=": ("__le__", "__ge__"),
    ">": ("__gt__", "__lt__"),
    ">=": ("__ge__", "__le__"),
    "in": ("__contains__",),
    "not in": ("__contains__",),
}
_UNARY = {"-": ("__neg__",), "+": ("__pos__",), "~": ("__invert__",)}
_BUILTINS = {
    "len": "__len__",
    "iter": "__iter__",
    "next": "__next__",
    "reversed": "__reversed__",
    "abs": "__abs__",
    "hash": "__hash__",
    "bool": "__bool__",
    "str": "__str__",
    "repr": "__repr__",
}
# node type -> {operator token: the special methods it calls}
_TABLES: dict[str, Mapping[str, tuple[str, ...]]] = {
    "binary_operator": _BINARY,
    "augmented_assignment": _AUGMENTED,
    "comparison_operator": _COMPARISON,
    "unary_operator": _UNARY,
}


def operator_methods(path: str, text: str) -> list[str]:
    """The special methods the operators, subscripts and data-model builtins in `text` call (Python only)."""
    return list(_methods(text)) if is_python(path) else []


@lru_cache(maxsize=4096)
def _methods(text: str) -> tuple[str, ...]:
    parser = grammar(PYTHON).parser
    found: dict[str, None] = {}
    stack = [parser.parse(text.encode("utf-8", errors="surrogatepass")).root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        found.update(dict.fromkeys(_node_methods(node)))
    return tuple(found)


def _node_methods(node: tree_sitter.Node) -> tuple[str, ...]:
    table = _TABLES.get(node.type)
    if table is not None:
        return tuple(m for child in node.children if not child.is_named for m in table.get(child.type, ()))
    if node.type == "subscript":
        parent = node.parent
        stored = (
            parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == node
        )
        return ("__setitem__",) if stored else ("__getitem__",)
    if node.type == "call":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "identifier":
            method = _BUILTINS.get(node_text(function))
            return (method,) if method else ()
    return ()
