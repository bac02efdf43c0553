from __future__ import annotations

import textwrap

from untilgreen.context.chunker import chunk_file


def chunks_of(path: str, source: str) -> dict[str, object]:
    return {c.symbol: c for c in chunk_file(path, textwrap.dedent(source))}


def test_functions_classes_methods_and_module_blocks():
    chunks = chunks_of(
        "pkg/mod.py",
        '''\
        import os
        LIMIT = 3

        def top(a):
            return a

        class Box:
            """A box."""
            size = 1

            def grow(self):
                self.size += 1

        if __name__ == "__main__":
            top(1)
        ''',
    )
    assert set(chunks) == {"<module>", "LIMIT", "top", "Box", "Box.grow", "<module>#2"}
    assert chunks["LIMIT"].kind == "variable" and chunks["LIMIT"].text == "LIMIT = 3"
    grow = chunks["Box.grow"]
    assert (grow.id, grow.kind, grow.start, grow.end) == ("pkg/mod.py::Box.grow", "method", 11, 12)
    assert grow.header == "class Box:"
    assert grow.text == "    def grow(self):\n        self.size += 1"
    assert (chunks["<module>"].start, chunks["<module>"].end) == (1, 1)
    assert chunks["<module>#2"].text.startswith("if __name__")
    # the class chunk keeps its own statements and shows methods as skeletons
    assert chunks["Box"].kind == "class"
    assert "size = 1" in chunks["Box"].text and "self.size += 1" not in chunks["Box"].text


def test_decorators_belong_to_their_definition():
    chunks = chunks_of(
        "m.py",
        """\
        import functools

        @functools.cache
        @other
        def cached(x):
            return x

        class P:
            @property
            def value(self):
                return 1

            @value.setter
            def value(self, v):
                pass
        """,
    )
    assert (chunks["cached"].start, chunks["cached"].end) == (3, 6)
    assert chunks["cached"].text.startswith("@functools.cache\n@other\ndef cached")
    assert chunks["P.value"].start == 9
    assert chunks["P.value#2"].text.lstrip().startswith("@value.setter")


def test_nested_functions_stay_inside_their_function():
    chunks = chunks_of(
        "m.py",
        """\
        def outer():
            def inner():
                class Local:
                    pass
                return Local
            return inner
        """,
    )
    assert set(chunks) == {"outer"}
    assert "def inner" in chunks["outer"].text and (chunks["outer"].start, chunks["outer"].end) == (1, 6)


def test_async_functions_and_nested_classes():
    chunks = chunks_of(
        "m.py",
        '''\
        class Outer:
            class Inner:
                async def run(self):
                    """Run it."""
                    await go()
        async def main():
            pass
        ''',
    )
    assert chunks["Outer.Inner.run"].kind == "method"
    assert chunks["Outer.Inner.run"].header == "class Outer:\n    class Inner:"
    assert chunks["main"].kind == "function" and chunks["main"].start == 6
    assert (
        chunks["Outer.Inner.run"].skeleton
        == '        async def run(self):\n            """Run it."""\n            ...'
    )


def test_skeleton_elides_bodies_and_keeps_docstrings():
    chunks = chunks_of(
        "m.py",
        '''\
        def f(a: int,
              b: int = 2) -> int:
            """Add."""
            return a + b

        def g(): return 1
        ''',
    )
    assert chunks["f"].skeleton == 'def f(a: int,\n      b: int = 2) -> int:\n    """Add."""\n    ...'
    assert chunks["g"].skeleton == "def g():\n    ..."


def test_syntax_errors_still_yield_chunks():
    source = "def ok():\n    return 1\n\ndef broken(:\n    x = = 2\n\nclass K:\n    def m(self):\n        return 2\n"
    chunks = chunk_file("bad.py", source)
    symbols = {c.symbol for c in chunks}
    assert "ok" in symbols
    assert chunks and all(1 <= c.start <= c.end <= source.count("\n") for c in chunks)
    assert chunk_file("garbage.py", ")))(((\n\x00 def def class\n")  # never raises, still indexed


def test_unicode_lines_and_columns():
    source = 'NAME = "héllo wörld \u2028 ✓"\n\ndef grüß(ä):\n    """Sag hallo — 🙂."""\n    return ä\n'
    chunks = {c.symbol: c for c in chunk_file("u.py", source)}
    assert (chunks["grüß"].start, chunks["grüß"].end) == (3, 5)
    assert chunks["grüß"].text.endswith("return ä")
    assert chunks["grüß"].skeleton == 'def grüß(ä):\n    """Sag hallo — 🙂."""\n    ...'


def test_unknown_languages_and_empty_files():
    assert chunk_file("README.md", "# hi") == []
    assert chunk_file("empty.py", "") == []


def test_javascript():
    chunks = chunks_of(
        "web/app.js",
        """\
        import { x } from "./x.js";

        export function add(a, b) {
          return a + b;
        }

        export const RATE = 0.2;

        const twice = (n) => {
          return n * 2;
        };

        export class Cart {
          constructor() { this.items = []; }
          total() {
            return this.items.length;
          }
        }
        """,
    )
    assert set(chunks) == {"<module>", "add", "twice", "Cart", "Cart.constructor", "Cart.total", "RATE"}
    assert chunks["RATE"].kind == "variable" and chunks["twice"].kind == "function"
    assert chunks["add"].text.startswith("export function add")
    assert chunks["Cart.total"].kind == "method" and chunks["Cart.total"].header == "export class Cart"
    assert chunks["add"].skeleton == "export function add(a, b) { … }"


def test_typescript_and_tsx():
    chunks = chunks_of(
        "src/a.ts",
        """\
        interface Shape { area(): number }
        type Id = string;
        enum Color { Red, Green }
        export abstract class Base implements Shape {
          abstract area(): number;
          describe(): string {
            return `area ${this.area()}`;
          }
        }
        """,
    )
    assert {"Shape", "Id", "Color", "Base", "Base.describe"} <= set(chunks)
    assert chunks["Shape"].kind == "type" and chunks["Base"].kind == "class"
    tsx = chunks_of("src/view.tsx", "export const View = (p: {n: number}) => <div>{p.n}</div>;\n")
    assert tsx["View"].kind == "function"
