"""Each mutation operator on small sources: the mutants it makes, as minimal edits that keep formatting."""

from __future__ import annotations

import ast
import textwrap

from untilgreen.models.builtin.operators import calls, constants, names, numbers, statements, swaps, symbols
from untilgreen.models.builtin.operators.site import Site, parent_map
from untilgreen.models.builtin.scope import Vocabulary, function_scope, module_scope
from untilgreen.models.builtin.source import Source


def mutants_of(operator, code: str, *, module_names: dict | None = None) -> set[str]:
    """The changed lines (stripped) of every mutant `operator` makes anywhere in `code`."""
    source = Source(textwrap.dedent(code))
    vocabulary = Vocabulary()
    vocabulary.add(source.tree)
    parents = parent_map(source.tree)
    function = next((n for n in ast.walk(source.tree) if isinstance(n, ast.FunctionDef)), None)
    site = Site(
        source, function_scope(function, module_scope(source.tree), vocabulary, module_names or {}), parents
    )
    results = set()
    for node in ast.walk(source.tree):
        if not hasattr(node, "lineno"):
            continue
        for mutation in operator(node, site):
            text = mutation.apply(source.text)
            ast.parse(text)
            before, after = source.text.splitlines(), text.splitlines()
            changed = (
                [a for b, a in zip(before, after) if a != b]
                if len(before) == len(after)
                else [line for line in after if line not in before] or ["<deleted>"]
            )
            results.add(" | ".join(line.strip() for line in changed))
    return results


def test_comparison_keeps_spacing_and_comments() -> None:
    found = mutants_of(symbols.comparison, "ok = a<b  # keep\n")
    assert "ok = a<=b  # keep" in found and "ok = a>b  # keep" in found and len(found) == 5
    assert mutants_of(symbols.comparison, "x = k not in d\n") == {"x = k in d"}
    assert mutants_of(symbols.comparison, "x = a is  not None\n") == {"x = a is None"}


def test_comparison_does_not_touch_longer_tokens() -> None:
    assert "x = a <= b" not in mutants_of(symbols.comparison, "x = a << 1 < b\n")


def test_arithmetic_bitwise_and_augmented() -> None:
    assert "y = a - b * c" in mutants_of(symbols.arithmetic, "y = a + b * c\n")
    assert "y = a // 2" in mutants_of(symbols.arithmetic, "y = a / 2\n")
    assert "t -= 1" in mutants_of(symbols.arithmetic, "t += 1\n")
    assert "m = a | b" in mutants_of(symbols.bitwise, "m = a & b\n")
    assert "y = a ** 2" in mutants_of(symbols.arithmetic, "y = a * 2\n")


def test_boolean_one_connective_at_a_time() -> None:
    assert mutants_of(symbols.boolean, "ok = a and b and c\n") == {"ok = a or b and c", "ok = a and b or c"}


def test_negation_inserts_and_removes() -> None:
    assert "if not x:" in mutants_of(symbols.negation, "if x:\n    pass\n")
    assert "if x:" in mutants_of(symbols.negation, "if not x:\n    pass\n")
    assert "if not (a and b):" in mutants_of(symbols.negation, "if a and b:\n    pass\n")


def test_any_all() -> None:
    assert mutants_of(symbols.any_all, "ok = all(v for v in xs)\n") == {"ok = any(v for v in xs)"}


def test_integer_and_bounds() -> None:
    assert mutants_of(numbers.integer, "rows = r[2:]\n") == {"rows = r[3:]", "rows = r[1:]"}
    found = mutants_of(numbers.bound, "c = s[i % n]\n")
    assert "c = s[(i % n) + 1]" in found and "c = s[(i % n) - 1]" in found
    assert "ok = pos + 1 < len(src)" in mutants_of(numbers.bound, "ok = pos < len(src)\n")
    assert "end = start + per_page" in mutants_of(numbers.bound, "end = start + per_page - 1\n")


def test_name_replacement_with_in_scope_names_of_the_same_kind() -> None:
    code = "def f(start, end):\n    return start < 1\n"
    assert "return end < 1" in mutants_of(names.name, code)
    assert all("print" not in m for m in mutants_of(names.name, code))


def test_attribute_replacement_and_removal() -> None:
    code = "def f(e, o):\n    a = o.start\n    return e.end\n"
    found = mutants_of(names.attribute, code)
    assert "a = o.end" in found and "a = o" in found


def test_imported_name_replaced_by_a_name_the_module_defines() -> None:
    code = "from .tables import LENGTH_FACTOR\n"
    found = mutants_of(names.imported, code, module_names={".tables": {"LENGTH_FACTORS", "MASS"}})
    assert "from .tables import LENGTH_FACTORS" in found


def test_swapped_arguments_and_operands() -> None:
    assert mutants_of(swaps.arguments, "r = rate(a, b)\n") == {"r = rate(b, a)"}
    assert mutants_of(swaps.operands, "d = a - b\n") == {"d = b - a"}
    assert mutants_of(swaps.operands, "d = a + b\n") == set()


def test_call_wrap_and_unwrap() -> None:
    found = mutants_of(calls.wrap, "def f(t, c):\n    return t - c\n")
    assert {"return max(0, t - c)", "return abs(t - c)", "return len(t - c)"} <= found
    assert mutants_of(calls.unwrap, "x = max(0, v)\n") == {"x = 0", "x = v"}


def test_constants() -> None:
    assert mutants_of(constants.constant, "s = []\n") == {"s = [[]]", "s = None"}
    assert mutants_of(constants.constant, "ok = True\n") == {"ok = False"}
    code = "ERRORS = (KeyError,)\n\nclass P:\n    retry_on: tuple = ()\n"
    assert "retry_on: tuple = ERRORS" in mutants_of(constants.constant, code)


def test_strengthen_and_guard() -> None:
    found = mutants_of(statements.strengthen, "def f(m, s):\n    if s <= m[-1]:\n        pass\n")
    assert "if m and s <= m[-1]:" in found
    code = "def f(xs):\n    for x in xs:\n        hit = g(x)\n        use(hit)\n"
    assert any("if hit is None:" in m for m in mutants_of(statements.guard, code))


def test_delete_duplicate_move_and_return() -> None:
    code = "def f(t):\n    t += 1\n    t *= 2\n    return t\n"
    assert "<deleted>" in mutants_of(statements.delete, code)
    assert "return pass" not in mutants_of(statements.delete, code)
    assert mutants_of(statements.move, code) >= {"t *= 2 | t += 1"}
    assert "<deleted>" in mutants_of(statements.duplicate, code)  # a repeated line: no line is new
    assert {"return None", "return True", "return False"} <= mutants_of(statements.return_value, code)


def test_unicode_columns_are_characters() -> None:
    assert "s = 'é' + x < y" in mutants_of(symbols.comparison, "s = 'é' + x <= y\n")
