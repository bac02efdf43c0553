"""The mutation operators, one small function each: `(node, site) -> mutations`. Expression operators see every
expression of a suspicious statement's own header; statement operators see the statement."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from untilgreen.models.builtin.operators import calls, constants, names, numbers, statements, swaps, symbols
from untilgreen.models.builtin.operators.site import Site
from untilgreen.models.builtin.source import Mutation

Operator = Callable[[ast.AST, Site], Iterator[Mutation]]

EXPRESSION_OPERATORS: tuple[Operator, ...] = (
    symbols.comparison,
    symbols.arithmetic,
    symbols.bitwise,
    symbols.boolean,
    symbols.negation,
    symbols.any_all,
    numbers.integer,
    numbers.bound,
    names.name,
    names.attribute,
    swaps.arguments,
    swaps.operands,
    calls.wrap,
    calls.unwrap,
    constants.constant,
)
STATEMENT_OPERATORS: tuple[Operator, ...] = (
    names.imported,
    statements.strengthen,
    statements.guard,
    statements.delete,
    statements.duplicate,
    statements.move,
    statements.return_value,
)

# How often each operator is the fix of a single-location bug, before anything is learned: single-token
# replacements first, statement-level rewrites last. `syntax` repairs an unparsable line.
BASE_PRIOR: dict[str, float] = {
    "comparison": 1.0,
    "arithmetic": 1.0,
    "bitwise": 0.6,
    "boolean": 1.0,
    "negation": 0.7,
    "any-all": 1.0,
    "integer": 0.9,
    "bound": 0.8,
    "name": 0.8,
    "attribute": 0.8,
    "swap-arguments": 0.9,
    "swap-operands": 0.6,
    "wrap-call": 0.5,
    "unwrap-call": 0.5,
    "constant": 0.8,
    "strengthen": 0.4,
    "guard": 0.4,
    "delete": 0.3,
    "duplicate": 0.2,
    "move": 0.2,
    "return": 0.3,
    "syntax": 1.0,
}
