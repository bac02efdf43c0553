"""An AST-normalised fingerprint of a patch, so a patch already tried is recognised however it is formatted.

The fingerprint covers the files whose normalised form the patch changes: Python files by their AST without
positions, comments or docstrings; other files by their text with whitespace runs collapsed.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Mapping

_SPACE = re.compile(r"\s+")


def normalise(path: str, text: str | None) -> str:
    if text is None:
        return "<deleted>"
    if path.endswith(".py"):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            pass
        else:
            _drop_docstrings(tree)
            return ast.dump(tree, annotate_fields=False, include_attributes=False)
    return _SPACE.sub(" ", text).strip()


def _drop_docstrings(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]


def fingerprint(changes: Mapping[str, tuple[str | None, str | None]]) -> str:
    """`changes` maps a path to (text before, text after). An empty string means the patch changes nothing real."""
    parts = []
    for path in sorted(changes):
        before, after = changes[path]
        new = normalise(path, after)
        if new != normalise(path, before):
            parts.append(f"{path}\0{new}")
    if not parts:
        return ""
    return hashlib.sha256("\0\0".join(parts).encode()).hexdigest()[:16]
