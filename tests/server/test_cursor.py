"""The test at the cursor: one rule for code actions and `untilgreen.fix` with a position (more cases in
test_actions.py)."""

from __future__ import annotations

from untilgreen.server.cursor import enclosing_test

NESTED = """\
import pytest

def helper():
    return 1

@pytest.mark.parametrize("n", [1, 2])
def test_one(n):
    def inner():
        return n
    assert inner() == n

class TestStock:
    level = 3

    async def test_reorder(self):
# a comment at the margin, inside the body
        assert self.level

    class TestInner:
        def test_deep(self):
            pass
""".splitlines(keepends=True)  # as the server's documents hold them


def test_decorators_and_nested_functions_belong_to_the_test():
    assert [enclosing_test(NESTED, line) for line in (5, 6, 7, 8, 9)] == ["test_one"] * 5


def test_methods_of_test_classes_get_their_classes_in_the_name():
    assert enclosing_test(NESTED, 14) == "TestStock::test_reorder"
    assert enclosing_test(NESTED, 16) == "TestStock::test_reorder"
    assert enclosing_test(NESTED, 15) == "TestStock::test_reorder", "a comment is no boundary"
    assert enclosing_test(NESTED, 20) == "TestStock::TestInner::test_deep"


def test_outside_a_test_there_is_none():
    assert enclosing_test(NESTED, 0) is None
    assert enclosing_test(NESTED, 3) is None
    assert enclosing_test(NESTED, 12) is None, "a class attribute is not a test"
    assert enclosing_test([], 0) is None
    assert enclosing_test(NESTED, 99) == "TestStock::TestInner::test_deep"  # past the end: the last line
