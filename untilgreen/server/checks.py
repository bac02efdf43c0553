"""Diagnostic test runs: `untilgreen check --json --coverage` in a child process, and which tests to run.

A check is a subprocess so the server never imports the sandbox's runner or waits on a test; cancelling the
asyncio task stops the child's process group.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from untilgreen.nodeids import matches
from untilgreen.server.diagnostics import FailureInfo
from untilgreen.server.process import last_sentence, set_arguments, spawn, stop, untilgreen_argv

_TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")


@dataclass
class CheckResult:
    selection: list[str]  # what ran: test ids or test files; empty: the whole suite
    passed: int = 0
    failures: list[FailureInfo] = field(default_factory=list)
    coverage: dict[str, set[str]] = field(default_factory=dict)  # test id -> project files it ran
    error: str = ""  # one sentence when the check itself could not run


def is_test_file(rel: str) -> bool:
    return bool(_TEST_FILE.search(rel))


def in_selection(test_id: str, selection: list[str]) -> bool:
    """Whether a run of `selection` reports on `test_id` (a file selects its tests; empty selects everything)."""
    return not selection or any(matches(test_id, s) for s in selection)


def parse_report(data: Mapping[str, Any], selection: list[str]) -> CheckResult:
    failures = [
        FailureInfo(
            test_id=f["test_id"],
            kind=f["kind"],
            message=f.get("message", ""),
            signature=f.get("signature", ""),
            frames=tuple(
                (fr["file"], int(fr["line"]), fr["function"])
                for fr in f.get("frames", [])
                if not Path(fr["file"]).is_absolute()
            ),  # files outside the project are absolute
        )
        for f in data.get("failures", [])
    ]
    coverage = {test: set(files) for test, files in (data.get("coverage") or {}).items()}
    return CheckResult(selection, int(data.get("passed", 0)), failures, coverage)


async def run_check(
    root: Path, selection: list[str], overlays: Mapping[str, str], overrides: Mapping[str, Any]
) -> CheckResult:
    argv = untilgreen_argv(
        "check", str(root), "--json", "--coverage", "--overlays", "-", *set_arguments(overrides)
    )
    for test in selection:
        argv += ["--test", test]
    proc = await spawn(argv, root)
    try:
        stdout, stderr = await proc.communicate(json.dumps(dict(overlays)).encode())
    except asyncio.CancelledError:
        await stop(proc)
        raise
    if proc.returncode in (0, 1):
        try:
            return parse_report(json.loads(stdout), selection)
        except (ValueError, KeyError, TypeError):
            pass
    reason = last_sentence(stderr) or f"the check exited with status {proc.returncode}"
    return CheckResult(selection, error=reason)


def module_names(rel: str) -> list[str]:
    """Dotted names a test could import `rel` by (`src/pkg/a.py` -> `pkg.a`, `src.pkg.a`)."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else []
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    names = [".".join(parts)] if parts else []
    if len(parts) > 1 and parts[0] in ("src", "lib"):
        names.append(".".join(parts[1:]))
    return names


def importing_tests(root: Path, rel: str, texts: Mapping[str, str]) -> list[str]:
    """Test files that import the module at `rel` (blocking: reads the project; `texts` are open buffers)."""
    from untilgreen.sandbox.file_listing import list_project_files

    names = module_names(rel)
    if not names:
        return []
    alternatives = "|".join(re.escape(n) for n in names)
    leaf = re.escape(names[0].rsplit(".", 1)[-1])
    parent = "|".join(re.escape(n.rsplit(".", 1)[0]) for n in names if "." in n)
    pattern = rf"^\s*(import\s+({alternatives})\b|from\s+({alternatives})\s+import\b"
    pattern += rf"|from\s+({parent})\s+import\s+[^#\n]*\b{leaf}\b)" if parent else ")"
    wanted = re.compile(pattern, re.MULTILINE)
    found = []
    for test in filter(is_test_file, list_project_files(root)):
        try:
            text = texts.get(test) or (root / test).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if wanted.search(text):
            found.append(test)
    return found


def covering_tests(coverage: Mapping[str, set[str]], rel: str) -> list[str]:
    return sorted(test for test, files in coverage.items() if rel in files)
