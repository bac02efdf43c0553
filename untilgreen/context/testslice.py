"""Test slicing: the statements of a failing test that its failing line depends on.

A test that stops at an assertion never ran the statements after it, and the statements before it that share
no variable with it did not make the values it compares. What the test uses outside that slice is weak
evidence about the bug (test-case purification, Xuan and Monperrus, FSE 2014, does this dynamically; here it
is a static backward slice over the test's own variables). Python tests are sliced; other languages and
tests that do not parse keep everything up to the failing line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import tree_sitter

from untilgreen.context.languages import is_python, node_text, parse_python
from untilgreen.context.model import Chunk, chunk_id, split_test_id
from untilgreen.context.terms import identifiers
from untilgreen.sandbox.results import Failure

_DEFINITIONS = frozenset({"function_definition", "class_definition", "decorated_definition"})
_COMPOUND_BODIES = frozenset({"block", "else_clause", "elif_clause", "except_clause", "finally_clause"})
_BINDERS = frozenset({"assignment", "augmented_assignment", "for_statement"})
# Scopes of their own: the names bound inside them are not the test's variables.
_OWN_SCOPES = frozenset(
    {
        "block",
        "lambda",
        "function_definition",
        "class_definition",
        "list_comprehension",
        "set_comprehension",
        "dictionary_comprehension",
        "generator_expression",
    }
)


@dataclass(frozen=True)
class _Statement:
    start: int  # 1-based lines within the chunk
    end: int
    text: str
    defines: frozenset[str]
    # "parameters": the fixtures, set up before the test ran, so always in the slice; "check": an assertion,
    # which checks state rather than makes it (one before the failing line passed); "step": anything else.
    kind: str = "step"


def purified(tests: Sequence[Chunk], failures: Sequence[Failure]) -> list[Chunk]:
    """The failing tests with their text narrowed to what their failing lines depend on (a test whose
    traceback never passes through its own lines stays whole)."""
    out: list[Chunk] = []
    for test in tests:
        mine = [f for f in failures if chunk_id(*split_test_id(f.test_id)) == test.id]
        lines = dict.fromkeys(line for f in mine if (line := failing_line(test, f)) is not None)
        out.append(replace(test, text="\n".join(sliced(test, line) for line in lines)) if lines else test)
    return out


def failing_line(test: Chunk, failure: Failure) -> int | None:
    """The line of the test where its failure happened: its deepest traceback frame inside the test."""
    inside = [f.line for f in failure.frames if f.file == test.path and test.start <= f.line <= test.end]
    return inside[-1] if inside else None


def sliced(test: Chunk, line: int) -> str:
    """The text of the statements the failing `line` of `test` depends on, in order."""
    lines = test.text.split("\n")
    relative = line - test.start + 1
    statements = _statements(test) if is_python(test.path) else []
    if not statements:  # another language, or a test that does not parse
        return "\n".join(lines[:relative])
    at = next((s for s in statements if s.start <= relative <= s.end and s.kind != "parameters"), None)
    if at is None:  # not at one of its statements (a decorator, the signature): nothing to narrow by
        return test.text
    local = frozenset().union(*(s.defines for s in statements))
    wanted = set(identifiers(at.text)) & local
    kept = {at, *(s for s in statements if s.kind == "parameters")}
    before = [s for s in statements if s.end < at.start and s.kind == "step"]
    grew = True
    while grew:  # the statements before the failing one linked to it through the test's variables
        grew = False
        for statement in before:
            uses = set(identifiers(statement.text))
            if statement not in kept and wanted & uses:
                kept.add(statement)
                wanted |= uses & local
                grew = True
    return "\n".join(s.text for s in statements if s in kept)


def _statements(test: Chunk) -> list[_Statement]:
    """The test's parameters as a statement, then every statement of its body in order; a compound statement
    (for, with, if...) counts by its header, and the statements of its blocks come after it."""
    root = parse_python(test.text)[0].root_node
    function = root.named_children[0] if root.named_children else None
    if function is not None and function.type == "decorated_definition":
        function = function.child_by_field_name("definition")
    if function is None or function.type != "function_definition" or root.has_error:
        return []
    found: list[_Statement] = []
    parameters = function.child_by_field_name("parameters")
    if parameters is not None:
        found.append(_statement(parameters, [parameters], _names(parameters), "parameters"))
    body = function.child_by_field_name("body")
    if body is not None:
        _collect(body, found)
    return found


def _collect(block: tree_sitter.Node, found: list[_Statement]) -> None:
    for node in block.named_children:
        if node.type == "comment":
            continue
        if node.type in _DEFINITIONS:  # a nested function or class: one statement that binds its name
            name = (node.child_by_field_name("definition") or node).child_by_field_name("name")
            found.append(_statement(node, [node], _names(name) if name is not None else set()))
            continue
        bodies = [c for c in node.named_children if c.type in _COMPOUND_BODIES]
        header = [c for c in node.children if c not in bodies]
        kind = "check" if node.type == "assert_statement" else "step"
        found.append(_statement(node, header or [node], _defined(node), kind))
        for body in bodies:
            _collect(_block_of(body), found)


def _block_of(body: tree_sitter.Node) -> tree_sitter.Node:
    """A block, or the block inside an `else`, `elif`, `except` or `finally` clause."""
    return body if body.type == "block" else next((c for c in body.named_children if c.type == "block"), body)


def _statement(
    node: tree_sitter.Node, parts: list[tree_sitter.Node], defines: set[str], kind: str = "step"
) -> _Statement:
    text = " ".join(node_text(p) for p in parts)
    return _Statement(node.start_point.row + 1, parts[-1].end_point.row + 1, text, frozenset(defines), kind)


def _defined(node: tree_sitter.Node) -> set[str]:
    """Names a statement binds: assignment targets, loop variables, `with ... as` and `except ... as` names."""
    targets: list[tree_sitter.Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _BINDERS and (left := current.child_by_field_name("left")) is not None:
            targets.append(left)
        elif current.type == "as_pattern_target":
            targets.append(current)
        if current.type not in _OWN_SCOPES:
            stack.extend(current.named_children)
    return {n for t in targets if t.type not in ("attribute", "subscript") for n in _names(t)}


def _names(node: tree_sitter.Node) -> set[str]:
    return set(identifiers(node_text(node)))
