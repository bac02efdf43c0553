from __future__ import annotations

from pathlib import Path

from untilgreen.context import Index
from untilgreen.context.operators import operator_methods
from untilgreen.sandbox.results import Failure, Frame, TestReport


def test_operators_subscripts_and_builtins_name_their_special_methods():
    code = "def f(a, b, q):\n    q[0] = a @ b == q[1]\n    q += -a\n    return len(q) < 2 or a not in b\n"
    found = operator_methods("pkg/mod.py", code)
    assert len(found) == len(set(found))
    assert set(found) == {
        "__matmul__",
        "__rmatmul__",
        "__eq__",
        "__setitem__",
        "__getitem__",
        "__iadd__",
        "__add__",
        "__neg__",
        "__len__",
        "__lt__",
        "__gt__",
        "__contains__",
    }


def test_operators_in_strings_decorators_and_other_languages_call_nothing():
    assert operator_methods("a.py", '@cache\ndef f(*args, **kw):\n    return "a @ b + c"\n') == []
    assert operator_methods("a.js", "const c = a + b[1];\n") == []


MATRIX = """\
class Matrix:
    def __init__(self, rows):
        self.rows = rows

    def __eq__(self, other):
        return self.rows == other.rows

    def __matmul__(self, other):
        return Matrix([[a + b for a, b in zip(r, other.rows[0])] for r in self.rows])
"""
TEST = """\
from mat import Matrix


def test_product():
    assert Matrix([[1]]) @ Matrix([[2]]) == Matrix([[2]])
"""


def test_a_special_method_the_test_calls_through_an_operator_is_referenced_where_it_ran(tmp_path: Path):
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "mat.py").write_text(MATRIX)
    (root / "tests" / "test_mat.py").write_text(TEST)
    failing = "tests/test_mat.py::test_product"
    failure = Failure(
        failing, "failed", "AssertionError", "", [Frame("tests/test_mat.py", 5, "test_product")]
    )
    ran = {failing: {"mat.py": [3, 9], "tests/test_mat.py": [5]}}  # __matmul__ ran, __eq__ did not
    with Index.for_root(root, cache_dir=tmp_path / "cache") as index:
        reasons = {
            c.symbol: c.why for c in index.localize(TestReport(failures=[failure], coverage=ran)).ranked
        }
        static = {c.symbol: c.why for c in index.localize(TestReport(failures=[failure])).ranked}
    assert "`__matmul__` is called through an operator by test_product" in reasons["Matrix.__matmul__"]
    assert "ran 1 call below the failing test (called by test_product)" in reasons["Matrix.__matmul__"]
    assert "operator" not in reasons.get("Matrix.__eq__", "")  # coverage says it never ran
    assert "`__eq__` is called through an operator by test_product" in static["Matrix.__eq__"]
