"""Goal mode's static checks on the tests a model writes: which files it may touch in each step, whether the test
code compiles, which test functions are new, and whether each of them asserts anything."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from untilgreen.agent.apply import Policy, Refusal
from untilgreen.agent.changes import Changes
from untilgreen.memory.signature import is_test_file

# A collection error of a new test file with one of these means the code the goal adds does not exist yet: red,
# as it should be, not invalid test code.
MISSING = ("ImportError", "ModuleNotFoundError", "AttributeError", "NameError")
_RAISES = {"raises", "warns", "deprecated_call"}


@dataclass(frozen=True)
class GoalPolicy(Policy):
    """In the `tests` step only test files may change; in the `code` step no test file may (the new ones are
    `frozen`: they define the goal)."""

    phase: str = "code"
    frozen: frozenset[str] = field(default_factory=frozenset)

    def check_path(self, path: str) -> str:
        rel = super().check_path(path)
        test = is_test_file(rel)
        if self.phase == "tests" and not test:
            raise Refusal(
                f"{rel} is not a test file; this step only writes the tests that encode the goal (the "
                "code comes once they fail)."
            )
        if self.phase == "code" and rel in self.frozen:
            raise Refusal(
                f"{rel} holds the tests written for the goal, which are frozen now that they fail; "
                "change the code under test instead."
            )
        if self.phase == "code" and test:
            raise Refusal(
                f"{rel} is a test file; in goal mode tests change only in the first step, so change the "
                "code under test instead."
            )
        return rel


@dataclass(frozen=True)
class NewTest:
    """A test function the edits add or change: `id` is its pytest node id without parameters."""

    id: str
    path: str
    asserts: bool
    parametrized: bool = False


def syntax_errors(changes: Changes) -> list[str]:
    """One line per changed Python file that does not compile."""
    errors = []
    for path, (_, after) in sorted(changes.items()):
        if after is None or not path.endswith(".py"):
            continue
        try:
            compile(after, path, "exec", dont_inherit=True)
        except SyntaxError as err:
            errors.append(f"{path} line {err.lineno}: {err.msg}")
    return errors


def new_tests(changes: Changes) -> list[NewTest]:
    """Test functions (`test*`, module level or in a `Test*` class) that are new or changed, in file order."""
    found = []
    for path, (before, after) in sorted(changes.items()):
        if after is None or not path.endswith(".py"):
            continue
        old = {name: ast.dump(node) for name, node in _test_functions(before or "")}
        for name, node in _test_functions(after):
            if old.get(name) != ast.dump(node):
                parametrized = any("parametrize" in ast.unparse(d) for d in node.decorator_list)
                found.append(NewTest(f"{path}::{name}", path, _asserts(node), parametrized))
    return found


def _test_functions(text: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for inner in node.body:
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner.name.startswith(
                    "test"
                ):
                    yield f"{node.name}::{inner.name}", inner


def _asserts(function: ast.AST) -> bool:
    """An `assert`, a `pytest.raises`/`warns` (call or `with`), or a `self.assert*` call."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in _RAISES or (name.startswith("assert") and _is_self(node.func.value)):
                return True
    return False


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def vacuous(tests: list[NewTest]) -> str:
    """The rejection told to the model when some new test asserts nothing, else ''."""
    empty = [t.id for t in tests if not t.asserts]
    if not empty:
        return ""
    return (
        f"Rejected: {', '.join(empty)} has no assertion (assert, pytest.raises or self.assert...); a test "
        "without one passes whatever the code does, so it cannot encode the goal."
    )
