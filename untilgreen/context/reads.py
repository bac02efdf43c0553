"""Data read by suspicious code: the module-level constants and tables and the class-level attributes
(dataclass field defaults included) that the most suspicious executed lines read.

Such data is assigned once, at import, for every test, so coverage holds no evidence of its own about it: a
wrong entry in a lookup table shows only in the lines that read it. Functions and methods are not data
(crediting the methods that set what suspicious code reads mostly credits `__init__`). Python only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate

import tree_sitter

from untilgreen.context.languages import is_python, node_text, parse_python
from untilgreen.context.model import Chunk, chunk_id
from untilgreen.context.paths import is_test_path
from untilgreen.context.references import Found
from untilgreen.context.store import Store
from untilgreen.context.terms import identifiers

_READERS = frozenset({"function", "method"})
_OWN = frozenset({"self", "cls"})

# (the chunk holding the line, the line, its suspicion, what made it suspicious)
Reader = tuple[Chunk, int, float, str]


def read_data(store: Store, file_chunks: Callable[[str], list[Chunk]], readers: Iterable[Reader]) -> Found:
    """Data chunk id -> (the suspicion of the strongest line reading it, the reason)."""
    found: Found = {}
    for reader, line, strength, how in readers:
        if reader.kind not in _READERS or not is_python(reader.path):
            continue
        for owner, name in _reads(reader.text, line - reader.start):
            for data in _resolve(store, file_chunks, reader, owner, name):
                if strength > found.get(data.id, (0.0, ""))[0]:
                    where = f"`{owner}.{name}`" if owner else f"`{name}`"
                    found[data.id] = (strength, f"{where} read by `{reader.symbol}` at line {line}, {how}")
    return found


def _resolve(
    store: Store, file_chunks: Callable[[str], list[Chunk]], reader: Chunk, owner: str | None, name: str
) -> list[Chunk]:
    """The data chunks `owner.name` (or a bare `name`) can mean where `reader` reads it."""
    if owner in _OWN:
        enclosing = chunk_id(reader.path, reader.symbol.split("#")[0].rpartition(".")[0])
        classes = [c for c in file_chunks(reader.path) if c.id == enclosing and reader.kind == "method"]
    elif owner is None:
        return _visible(store, file_chunks, reader.path, name, ("variable", "module"))
    else:
        classes = _visible(store, file_chunks, reader.path, owner, ("class",))
    return [c for c in classes if name in _bindings(c.text)[0]]


def _visible(
    store: Store, file_chunks: Callable[[str], list[Chunk]], path: str, name: str, kinds: tuple[str, ...]
) -> list[Chunk]:
    """The chunks of those kinds that define `name` in `path`, or else where `path` imports `name` from."""
    here = [c for c in file_chunks(path) if c.kind in kinds and _defines(c, name)]
    if here or not any(name in _bindings(c.text)[1] for c in file_chunks(path) if c.kind == "module"):
        return here
    return [c for c in store.chunks_named(name) if c.kind in kinds and not is_test_path(c.path)]


def _defines(chunk: Chunk, name: str) -> bool:
    """A module block that assigns `name`, or the variable or class of that name."""
    return name in _bindings(chunk.text)[0] if chunk.kind == "module" else chunk.name == name


@lru_cache(maxsize=1024)
def _tree(text: str) -> tuple[tree_sitter.Tree, tuple[int, ...]]:
    """The parsed (dedented) text and the byte offset each of its lines starts at."""
    tree, source = parse_python(text)
    starts = (0, *accumulate(len(line) + 1 for line in source.split(b"\n")))
    return tree, starts


@lru_cache(maxsize=4096)
def _reads(text: str, row: int) -> tuple[tuple[str | None, str], ...]:
    """(owner or None, name) for each `owner.name` and bare `name` read on `row` (0-based) of `text`."""
    tree, starts = _tree(text)
    if row + 1 >= len(starts):
        return ()
    begin, end = starts[row], starts[row + 1]
    found: dict[tuple[str | None, str], None] = {}
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.start_byte >= end or node.end_byte <= begin:
            continue
        on_row = node.start_byte >= begin
        obj = node.child_by_field_name("object") if node.type == "attribute" else None
        if obj is not None and obj.type == "identifier" and on_row:
            found[(node_text(obj), node_text(node.child_by_field_name("attribute")))] = None
        elif obj is not None:
            stack.append(obj)
        elif node.type == "identifier" and on_row and _is_read(node):
            found[(None, node_text(node))] = None
        else:
            stack.extend(node.children)
    return tuple(found)


def _is_read(node: tree_sitter.Node) -> bool:
    """Not a keyword argument's name nor a parameter or definition name."""
    parent = node.parent
    return parent is None or parent.type not in ("keyword_argument", "parameters", "function_definition")


@lru_cache(maxsize=4096)
def _bindings(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(names assigned, names imported) by the top-level statements of a module block, or by the class-level
    statements of a class (its methods are not data)."""
    statements = _tree(text)[0].root_node.named_children
    definition = statements[0] if statements else None
    if definition is not None and definition.type == "decorated_definition":
        definition = definition.child_by_field_name("definition")
    if definition is not None and definition.type == "class_definition":
        body = definition.child_by_field_name("body")
        statements = body.named_children if body is not None else []
    assigned: set[str] = set()
    imported: set[str] = set()
    for statement in statements:
        if statement.type == "expression_statement":
            for child in statement.named_children:
                if child.type in ("assignment", "augmented_assignment"):
                    left = child.child_by_field_name("left")
                    assigned.update(identifiers(node_text(left)) if left is not None else ())
        elif statement.type == "import_from_statement":
            for bound in statement.children_by_field_name("name"):
                imported.update(identifiers(node_text(bound.child_by_field_name("alias") or bound))[-1:])
    return frozenset(assigned), frozenset(imported)
