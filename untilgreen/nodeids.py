"""The one rule for which tests a test id names, as pytest applies it to the ids on its command line.

A file (`tests/test_a.py`) or folder (`tests`) names the tests under it, a class (`path::TestA`) its methods, and
a function (`path::test_f`) itself and, when parametrized, every `path::test_f[...]`. Dependency-free, so the
language server uses it without importing the sandbox.
"""


def matches(test_id: str, asked: str) -> bool:
    """Whether the id `asked` names the test `test_id`."""
    return test_id == asked or test_id.startswith((asked + "::", asked + "[", asked + "/"))
