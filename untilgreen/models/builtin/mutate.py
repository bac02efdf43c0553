"""All mutants of the suspicious statements of a project, as whole new file texts with their operator."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from untilgreen.models.builtin.operators import EXPRESSION_OPERATORS, STATEMENT_OPERATORS
from untilgreen.models.builtin.operators.site import Site, parent_map
from untilgreen.models.builtin.scope import Vocabulary, function_scope, module_scope
from untilgreen.models.builtin.source import Mutation, Source, TextEdit

_NESTED = ("body", "orelse", "finalbody", "handlers", "cases")
_IMPORT_TIME_SHARE = 0.2  # module- and class-level statements run at import, outside any test's coverage
_LONE_ASSIGN = re.compile(r"(?<![=!<>+\-*/%&|^@:])=(?!=)")


@dataclass(frozen=True)
class Mutant:
    path: str
    mutation: Mutation
    suspiciousness: float

    @property
    def operator(self) -> str:
        return self.mutation.operator


def mutants(files: Mapping[str, str], suspicious: Mapping[tuple[str, int], float]) -> list[Mutant]:
    """Every mutant of every statement with a suspicious line, in files[path] order; duplicates removed."""
    trees = {path: tree for path, text in files.items() if (tree := _parse(text)) is not None}
    vocabulary = Vocabulary()
    for tree in trees.values():
        vocabulary.add(tree)
    found: list[Mutant] = []
    seen: set[tuple[str, str]] = set()
    for path, text in files.items():
        lines = {line: score for (file, line), score in suspicious.items() if file == path and score > 0}
        if not lines:
            continue
        generated = (
            _syntax_mutations(text, lines)
            if path not in trees
            else _file_mutations(path, Source(text), lines, trees, vocabulary)
        )
        for mutation, score in generated:
            key = (path, mutation.apply(text))
            if key not in seen:
                seen.add(key)
                found.append(Mutant(path, mutation, score))
    return found


def _file_mutations(
    path: str,
    source: Source,
    lines: dict[int, float],
    trees: Mapping[str, ast.Module],
    vocabulary: Vocabulary,
) -> Iterator[tuple[Mutation, float]]:
    parents = parent_map(source.tree)
    module = module_scope(source.tree)
    module_names = _imported_modules(path, source.tree, trees)
    import_time = _IMPORT_TIME_SHARE * max(lines.values())
    scopes: dict[int, Site] = {}
    for stmt in ast.walk(source.tree):
        if not isinstance(stmt, ast.stmt):
            continue
        owner = _enclosing_function(stmt, parents)
        score = max((lines.get(n, 0.0) for n in _header_lines(stmt)), default=0.0)
        if owner is None and not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            score = max(score, import_time)
        if score <= 0:
            continue
        site = scopes.get(id(owner))
        if site is None:
            site = scopes[id(owner)] = Site(
                source, function_scope(owner, module, vocabulary, module_names), parents
            )
        for operator in STATEMENT_OPERATORS:
            for mutation in operator(stmt, site):
                yield mutation, score
        for node in _header_expressions(stmt):
            for operator in EXPRESSION_OPERATORS:
                for mutation in operator(node, site):
                    yield mutation, score


def _syntax_mutations(text: str, lines: dict[int, float]) -> Iterator[tuple[Mutation, float]]:
    """An unparsable file: `=` written for `==` on the line the parser names (and the suspicious ones)."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        lines = {**lines, (error.lineno or 1): max(lines.values(), default=1.0)}
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for line, score in lines.items():
        if line > len(starts):
            continue
        start = starts[line - 1]
        end = text.find("\n", start)
        for match in _LONE_ASSIGN.finditer(text[start : end if end >= 0 else len(text)]):
            mutation = Mutation("syntax", line, (TextEdit(start + match.start(), start + match.end(), "=="),))
            if _parse(mutation.apply(text)) is not None:
                yield mutation, score


def _header_lines(stmt: ast.stmt) -> range:
    """The statement's own lines: for a compound statement, up to its first nested statement."""
    nested = [getattr(stmt, name) for name in _NESTED if getattr(stmt, name, None)]
    end = min(block[0].lineno for block in nested) - 1 if nested else (stmt.end_lineno or stmt.lineno)
    return range(stmt.lineno, max(end, stmt.lineno) + 1)


def _header_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    for name, value in ast.iter_fields(stmt):
        if name in _NESTED:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.AST) and not isinstance(child, ast.stmt):
                yield from (node for node in ast.walk(child) if isinstance(node, ast.expr))


def _enclosing_function(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    parent = parents.get(id(node))
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parent = parents.get(id(parent))
    return parent


def _imported_modules(path: str, tree: ast.Module, trees: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    """For each `from X import ...` of a project module: the names X defines at its top level."""
    folder = path.rsplit("/", 1)[0].split("/") if "/" in path else []
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = folder[: len(folder) - node.level + 1] if node.level else []
        parts = [*base, *(node.module.split(".") if node.module else [])]
        for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
            target = trees.get(candidate) or trees.get(f"src/{candidate}")
            if target is not None:
                values, callables = module_scope(target)
                found["." * node.level + (node.module or "")] = {*values, *callables}
                break
    return found


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None
