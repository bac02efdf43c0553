"""The lint guard: a patch must not add syntax errors or undefined names that the baseline did not have.

Python's `compile` catches what the interpreter refuses; ruff (F821/F822, and its own syntax errors) catches names
that would only fail when the line runs. Problems are compared with the baseline by (code, message) counts, so
existing problems and shifted line numbers never reject a patch.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

RUFF_RULES = "F821,F822"
RUFF_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class LintProblem:
    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} ({self.code})"


def new_problems(changes: Mapping[str, tuple[str | None, str | None]]) -> list[LintProblem]:
    """Problems in the patched Python files that their baseline text did not have."""
    found: list[LintProblem] = []
    for path, (before, after) in sorted(changes.items()):
        if after is None or not path.endswith(".py"):
            continue
        old = Counter((p.code, p.message) for p in problems(path, before or ""))
        for problem in problems(path, after):
            key = (problem.code, problem.message)
            if old[key]:
                old[key] -= 1
            else:
                found.append(problem)
    return found


@functools.lru_cache(maxsize=256)
def problems(path: str, text: str) -> tuple[LintProblem, ...]:
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as err:
        return (LintProblem(path, err.lineno or 0, "syntax", f"SyntaxError: {err.msg}"),)
    except ValueError as err:  # null bytes
        return (LintProblem(path, 0, "syntax", str(err)),)
    return _ruff(path, text)


def _ruff(path: str, text: str) -> tuple[LintProblem, ...]:
    ruff = _ruff_binary()
    if not ruff:
        return ()
    try:
        done = subprocess.run(
            [
                ruff,
                "check",
                "--isolated",
                "--select",
                RUFF_RULES,
                "--output-format",
                "json",
                "--no-cache",
                "--stdin-filename",
                path,
                "-",
            ],
            input=text,
            capture_output=True,
            text=True,
            timeout=RUFF_TIMEOUT_S,
        )
        items = json.loads(done.stdout or "[]")
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError):
        return ()  # the guard is a filter, not a gate: without ruff the tests still decide
    return tuple(
        LintProblem(path, item["location"]["row"], item["code"] or "syntax", item["message"])
        for item in items
    )


@functools.lru_cache(maxsize=1)
def _ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        return ""
    try:
        return str(find_ruff_bin())
    except FileNotFoundError:
        return ""
