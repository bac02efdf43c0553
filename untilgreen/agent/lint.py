"""The lint guard: a patch must not add syntax errors or undefined names that the baseline did not have.

Python's `compile` catches what the interpreter refuses; ruff (F821/F822, and its own syntax errors) catches names
that would only fail when the line runs. Problems are compared with the baseline by (code, message) counts, so
existing problems and shifted line numbers never reject a patch. The security review (`agent/security.py`) runs
the same comparison with its own rules through `new_problems(changes, check)` and `ruff(path, text, rules)`.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping

from untilgreen.protocol import Finding

RUFF_RULES = "F821,F822"
RUFF_TIMEOUT_S = 20.0


LintProblem = Finding


def new_problems(
    changes: Mapping[str, tuple[str | None, str | None]],
    check: Callable[[str, str], tuple[Finding, ...]] | None = None,
) -> list[Finding]:
    """Problems in the patched Python files that their baseline text did not have; `check(path, text)` finds them
    (default: the lint guard's `problems`)."""
    check = check or problems
    found: list[Finding] = []
    for path, (before, after) in sorted(changes.items()):
        if after is None or not path.endswith(".py"):
            continue
        old = Counter((p.code, p.message) for p in check(path, before or ""))
        for problem in check(path, after):
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
    return ruff(path, text)


def ruff(path: str, text: str, rules: str = RUFF_RULES) -> tuple[Finding, ...]:
    """What `ruff check --select rules` reports on `text` as the file `path` (nothing when ruff cannot run)."""
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
                rules,
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
