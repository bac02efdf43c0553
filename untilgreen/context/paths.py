"""Which project files are tests: they are where failures show, not where the bug is looked for."""

from __future__ import annotations

from pathlib import PurePosixPath

_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec"})


def is_test_path(path: str) -> bool:
    pure = PurePosixPath(path)
    name = pure.name
    return (
        name.startswith("test_")
        or pure.stem.endswith("_test")
        or name == "conftest.py"
        or ".test." in name
        or ".spec." in name
        or any(part in _TEST_DIRS for part in pure.parts[:-1])
    )
