"""Languages the chunker knows: a tree-sitter grammar, query files under `queries/` (concatenated), and how
a skeleton elides a body. Adding a language is one entry here plus one `.scm` file."""

from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePosixPath

import tree_sitter


@dataclass(frozen=True)
class LanguageSpec:
    name: str
    module: str  # the grammar package
    entry: str  # its function returning the language pointer
    queries: tuple[str, ...]  # file names under queries/
    extensions: tuple[str, ...]
    elision: str  # what replaces an elided body in a skeleton ("{indent}" is the body's indentation)


LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec(
        "python", "tree_sitter_python", "language", ("python.scm",), (".py", ".pyi"), "\n{indent}..."
    ),
    LanguageSpec(
        "javascript",
        "tree_sitter_javascript",
        "language",
        ("javascript.scm",),
        (".js", ".mjs", ".cjs", ".jsx"),
        " { … }",
    ),
    LanguageSpec(
        "typescript",
        "tree_sitter_typescript",
        "language_typescript",
        ("javascript.scm", "typescript.scm"),
        (".ts", ".mts", ".cts"),
        " { … }",
    ),
    LanguageSpec(
        "tsx",
        "tree_sitter_typescript",
        "language_tsx",
        ("javascript.scm", "typescript.scm"),
        (".tsx",),
        " { … }",
    ),
)

PYTHON = LANGUAGES[0]
_BY_EXTENSION = {ext: spec for spec in LANGUAGES for ext in spec.extensions}
EXTENSIONS = frozenset(_BY_EXTENSION)


def spec_for(path: str) -> LanguageSpec | None:
    return _BY_EXTENSION.get(PurePosixPath(path).suffix.lower())


@dataclass(frozen=True)
class Grammar:
    spec: LanguageSpec
    parser: tree_sitter.Parser
    query: tree_sitter.Query


@cache
def grammar(spec: LanguageSpec) -> Grammar:
    language = tree_sitter.Language(getattr(importlib.import_module(spec.module), spec.entry)())
    folder = resources.files("untilgreen.context").joinpath("queries")
    source = "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in spec.queries)
    return Grammar(spec, tree_sitter.Parser(language), tree_sitter.Query(language, source))


def is_python(path: str) -> bool:
    """Python source: the analyses beyond chunking (operators, test slices, data reads) are Python-only."""
    return spec_for(path) is PYTHON


def parse_python(text: str) -> tuple[tree_sitter.Tree, bytes]:
    """A chunk's text parsed as Python, dedented first (a method's text is indented), and the bytes parsed."""
    source = textwrap.dedent(text).encode("utf-8", errors="surrogatepass")
    return grammar(PYTHON).parser.parse(source), source


def node_text(node: tree_sitter.Node | None) -> str:
    return node.text.decode("utf-8", errors="replace") if node is not None and node.text is not None else ""
