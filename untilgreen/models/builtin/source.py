"""Source text with `ast` positions turned into text offsets, and mutations as minimal text edits.

`ast` column offsets count UTF-8 bytes; edits count characters. Everything outside an edit's span is kept byte
for byte, so comments and formatting survive.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class TextEdit:
    start: int  # character offsets into the source
    end: int
    text: str


@dataclass(frozen=True)
class Mutation:
    """One candidate change of one file. `weight` scales the operator's prior (e.g. name similarity)."""

    operator: str
    line: int
    edits: tuple[TextEdit, ...]
    weight: float = 1.0

    def apply(self, source: str) -> str:
        for edit in sorted(self.edits, key=lambda e: e.start, reverse=True):
            source = source[: edit.start] + edit.text + source[edit.end :]
        return source


@dataclass
class Source:
    text: str
    tree: ast.Module = field(init=False)

    def __post_init__(self) -> None:
        self.tree = ast.parse(self.text)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0, 0]  # 1-based lines
        for match in re.finditer("\n", self.text):
            starts.append(match.end())
        return starts

    def line_text(self, lineno: int) -> str:
        start = self._line_starts[lineno]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def offset(self, lineno: int, col_bytes: int) -> int:
        prefix = self.line_text(lineno).encode()[:col_bytes]
        return self._line_starts[lineno] + len(prefix.decode(errors="replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        # Every node mutated carries a position; `ast.AST` itself declares none.
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def replace(self, operator: str, node: ast.AST, text: str, weight: float = 1.0) -> Mutation:
        start, end = self.span(node)
        return Mutation(operator, node.lineno, (TextEdit(start, end, text),), weight)  # type: ignore[attr-defined]

    def find_between(self, left: ast.AST, right: ast.AST, pattern: str) -> tuple[int, int] | None:
        """The span of the first match of `pattern` in the text between two nodes (the operator token)."""
        start, end = self.span(left)[1], self.span(right)[0]
        match = re.search(pattern, self.text[start:end])
        return None if match is None else (start + match.start(), start + match.end())

    def line_start(self, lineno: int) -> int:
        return self._line_starts[lineno]

    def indent_of(self, lineno: int) -> str:
        line = self.line_text(lineno)
        return line[: len(line) - len(line.lstrip())]


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True
