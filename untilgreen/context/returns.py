"""Returned values: the definitions whose results reach a failing test through what the functions it uses
return.

A failing assertion compares the values the functions of its slice return. When such a function returns the
result of other calls (`return self._buf.latest()`, `return Payslip(gross, income_tax(gross))`), the test
observes those callees' values as directly as the caller's, so they count as used by the test too, at the
caller's strength, and on down while return statements return calls. Only the return statements the failing
tests executed count: this is one step of an approximate dynamic slice (the static slice narrowed to executed
statements, Agrawal and Horgan, PLDI 1990), through return values only; following the local variables a
return reads as well brings in most of the callee tree and ranked worse. Python only.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection

import tree_sitter

from untilgreen.context.languages import is_python, node_text, parse_python
from untilgreen.context.model import Chunk
from untilgreen.context.references import Found, sources
from untilgreen.context.store import Store


def returned(
    store: Store, found: Found, ran: Collection[tuple[str, int]], executed: Collection[str]
) -> Found:
    """Executed chunk id -> (strength, reason) for the chunks whose results the chunks in `found` return, and
    theirs in turn, each reached from its strongest caller; `ran` holds the (path, line)s the failing tests
    executed. Chunks in `found` are left out."""
    out: Found = {}
    pending = [(-strength, cid) for cid, (strength, _) in found.items()]
    heapq.heapify(pending)
    while pending:
        negative, cid = heapq.heappop(pending)
        caller = store.chunks_by_id([cid]).get(cid)
        if caller is None or not is_python(caller.path):
            continue
        reason = f"its result is returned by `{caller.symbol}` to the failing test"
        for name in _returned_calls(caller.text, _rows(caller, ran)):
            for callee in sources(store, store.chunks_named(name)):
                if callee.id in executed and callee.id not in found and callee.id not in out:
                    out[callee.id] = (-negative, reason)
                    heapq.heappush(pending, (negative, callee.id))
    return out


def _rows(chunk: Chunk, ran: Collection[tuple[str, int]]) -> set[int]:
    """The chunk's executed lines, as 0-based rows of its text."""
    return {
        line - chunk.start for path, line in ran if path == chunk.path and chunk.start <= line <= chunk.end
    }


def _returned_calls(text: str, rows: Collection[int]) -> list[str]:
    """Names of the functions called in the return statements that start on `rows` (0-based) of `text`."""
    names: dict[str, None] = {}
    stack = [parse_python(text)[0].root_node]
    while stack:
        node = stack.pop()
        if node.type == "return_statement" and node.start_point.row in rows:
            names.update(dict.fromkeys(_called(node)))
        else:
            stack.extend(node.named_children)
    return list(names)


def _called(node: tree_sitter.Node) -> list[str]:
    """The called names in an expression: `f` of `f(x)`, `g` of `obj.g(x)`."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        function = current.child_by_field_name("function") if current.type == "call" else None
        if function is not None:
            callee = function.child_by_field_name("attribute") if function.type == "attribute" else function
            if callee is not None and callee.type == "identifier":
                found.append(node_text(callee))
        stack.extend(current.named_children)
    return found
