"""Split a source file into chunks with tree-sitter: functions, methods, classes, module-level variables
(constants) and module-level blocks (imports, main guards).

Nested functions stay inside their enclosing function's chunk. Decorators and `export` wrappers belong to
the definition they wrap. A file that does not parse still yields chunks: tree-sitter recovers around the
error, and every top-level statement that is not a definition (an ERROR node included) joins a module block.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import tree_sitter

from untilgreen.context.languages import LanguageSpec, grammar, spec_for
from untilgreen.context.model import Chunk, ChunkKind, chunk_id

_WRAPPERS = frozenset({"decorated_definition", "export_statement"})
MODULE = "<module>"
MAX_DEPTH = 12


@dataclass
class _Definition:
    node: tree_sitter.Node  # the definition as the query matched it
    outer: tree_sitter.Node  # with its decorators / export wrapper
    kind: str
    name: str
    body: tree_sitter.Node | None
    doc: tree_sitter.Node | None
    parent: _Definition | None = None
    children: list[_Definition] = field(default_factory=list)

    @property
    def symbol(self) -> str:
        return f"{self.parent.symbol}.{self.name}" if self.parent else self.name


def chunk_file(path: str, source: str) -> list[Chunk]:
    """Chunks of one file (`path` relative, posix); an unknown language yields no chunks."""
    spec = spec_for(path)
    if spec is None:
        return []
    return _Chunker(path, source, spec).chunks()


class _Chunker:
    def __init__(self, path: str, source: str, spec: LanguageSpec) -> None:
        self.path = path
        self.spec = spec
        self.src = source.encode("utf-8", errors="surrogatepass")
        self.lines = source.split("\n")  # tree-sitter's notion of a line
        if "\r" in source:
            self.lines = [line.rstrip("\r") for line in self.lines]
        self.grammar = grammar(spec)
        self.tree = self.grammar.parser.parse(self.src)

    def _text(self, start: int, end: int) -> str:
        return self.src[start:end].decode("utf-8", errors="replace")

    @staticmethod
    def _line_of(node: tree_sitter.Node) -> int:
        """Byte offset of the start of the line the node starts on (tree-sitter columns count bytes)."""
        return node.start_byte - node.start_point.column

    def chunks(self) -> list[Chunk]:
        roots = self._definitions()
        chunks: list[Chunk] = []
        for definition in roots:
            chunks.extend(self._definition_chunks(definition))
        chunks.extend(self._module_blocks(roots))
        return _unique_ids(sorted(chunks, key=lambda c: (c.start, -c.end)))

    def _definitions(self) -> list[_Definition]:
        found: dict[int, _Definition] = {}
        for _, captures in tree_sitter.QueryCursor(self.grammar.query).matches(self.tree.root_node):
            kind, nodes = next((k, v) for k, v in captures.items() if k.startswith("definition."))
            node = nodes[0]
            doc = captures.get("doc", [None])[0]
            known = found.get(node.id)
            if (
                known is not None
            ):  # matched again: by the docstring pattern, or as a function held in a variable
                known.doc = known.doc or doc
                known.body = known.body or captures.get("body", [None])[0]
                if known.kind == "variable":
                    known.kind = kind.removeprefix("definition.")
                continue
            outer = node
            while outer.parent is not None and outer.parent.type in _WRAPPERS:
                outer = outer.parent
            found[node.id] = _Definition(
                node,
                outer,
                kind.removeprefix("definition."),
                self._text(*_span(captures["name"][0])),
                captures.get("body", [None])[0],
                doc,
            )
        roots: list[_Definition] = []
        for definition in sorted(found.values(), key=lambda d: d.node.start_byte):
            ancestor = definition.outer.parent
            while ancestor is not None and ancestor.id not in found:
                ancestor = ancestor.parent
            parent = found[ancestor.id] if ancestor is not None else None
            if parent is None:
                roots.append(definition)
            elif parent.kind == "class" or parent.kind == "type":
                definition.parent = parent
                parent.children.append(definition)
            # else: nested in a function, so part of that function's chunk
        return roots

    def _definition_chunks(self, definition: _Definition) -> list[Chunk]:
        kind: ChunkKind = definition.kind  # type: ignore[assignment]
        if kind == "function" and definition.parent is not None:
            kind = "method"
        start = definition.outer.start_point.row + 1
        end = _end_row(definition.outer)
        skeleton = self._skeleton(definition)
        text = self._class_text(definition) if definition.children else "\n".join(self.lines[start - 1 : end])
        chunk = Chunk(
            id=chunk_id(self.path, definition.symbol),
            path=self.path,
            symbol=definition.symbol,
            kind=kind,
            start=start,
            end=end,
            text=text,
            header=self._header(definition.parent),
            skeleton=text if definition.children else skeleton,
        )
        chunks = [chunk]
        for child in definition.children:
            chunks.extend(self._definition_chunks(child))
        return chunks

    def _signature(self, definition: _Definition) -> str:
        """From the start of the definition's line (decorators included) up to its body."""
        stop = definition.body.start_byte if definition.body is not None else definition.outer.end_byte
        return self._text(self._line_of(definition.outer), stop).rstrip()

    def _header(self, parent: _Definition | None) -> str:
        headers: list[str] = []
        while parent is not None:
            headers.insert(0, self._signature(parent))
            parent = parent.parent
        return "\n".join(headers)

    def _skeleton(self, definition: _Definition) -> str:
        """From the start of the definition's line: the signature, the docstring, and the body elided."""
        body = definition.body
        head = self._signature(definition)
        if body is None:
            return head
        if body.start_point.row > definition.node.start_point.row:
            indent = " " * body.start_point.column
        else:  # a one-line definition
            indent = " " * (definition.node.start_point.column + 4)
        if definition.doc is not None:
            head += "\n" + indent + self._text(*_span(definition.doc))
        return head + self.spec.elision.replace("{indent}", indent)

    def _class_text(self, definition: _Definition) -> str:
        """The class's own source with each child definition shown as its skeleton (nested classes recurse)."""
        pieces: list[str] = []
        cursor = self._line_of(definition.outer)
        for child in definition.children:
            pieces.append(self._text(cursor, self._line_of(child.outer)))
            pieces.append(self._class_text(child) if child.children else self._skeleton(child))
            cursor = child.outer.end_byte
        pieces.append(self._text(cursor, definition.outer.end_byte))
        return "".join(pieces)

    def _module_blocks(self, roots: list[_Definition]) -> list[Chunk]:
        """Runs of top-level statements that are not definitions (imports, constants, main guards)."""
        covered = {d.outer.id for d in roots}
        runs: list[list[tree_sitter.Node]] = [[]]
        for node in _statements(self.tree.root_node, covered):
            if node.id in covered:
                if runs[-1]:
                    runs.append([])
            elif node.type != "comment" or runs[-1]:
                runs[-1].append(node)
        blocks: list[Chunk] = []
        for run in (r for r in runs if r):
            start, end = run[0].start_point.row + 1, _end_row(run[-1])
            symbol = MODULE if not blocks else f"{MODULE}#{len(blocks) + 1}"
            text = "\n".join(self.lines[start - 1 : end])
            blocks.append(
                Chunk(
                    id=chunk_id(self.path, symbol),
                    path=self.path,
                    symbol=symbol,
                    kind="module",
                    start=start,
                    end=end,
                    text=text,
                    skeleton=text,
                )
            )
        return blocks


def _unique_ids(chunks: list[Chunk]) -> list[Chunk]:
    """A symbol defined again (a property setter, an overload) gets `#2`, `#3`... in order of appearance."""
    seen: dict[str, int] = {}
    unique: list[Chunk] = []
    for chunk in chunks:
        seen[chunk.symbol] = count = seen.get(chunk.symbol, 0) + 1
        if count > 1:
            symbol = f"{chunk.symbol}#{count}"
            chunk = replace(chunk, id=chunk_id(chunk.path, symbol), symbol=symbol)
        unique.append(chunk)
    return unique


def _statements(node: tree_sitter.Node, covered: set[int]) -> list[tree_sitter.Node]:
    """Top-level statements, looking into ERROR nodes that recovered definitions."""
    statements: list[tree_sitter.Node] = []
    for child in node.children:
        if child.type == "ERROR" and any(d in covered for d in _descendant_ids(child)):
            statements.extend(_statements(child, covered))
        else:
            statements.append(child)
    return statements


def _descendant_ids(node: tree_sitter.Node) -> set[int]:
    ids: set[int] = set()
    stack = list(node.children)
    while stack:
        current = stack.pop()
        ids.add(current.id)
        stack.extend(current.children)
    return ids


def _span(node: tree_sitter.Node) -> tuple[int, int]:
    return node.start_byte, node.end_byte


def _end_row(node: tree_sitter.Node) -> int:
    """1-based last line of a node (a node ending at column 0 ends on the line before)."""
    row, column = node.end_point
    return row if column == 0 and row > node.start_point.row else row + 1
