"""Failures parsed from plain output, for test commands other than pytest (the generic fallback)."""

from __future__ import annotations

import re
from pathlib import Path

from untilgreen.sandbox.results import Failure, Frame

_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
_EXCEPTION = re.compile(
    r"^(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Failure)\b|AssertionError)"
    r"(?::\s?(?P<message>.*))?$"
)
_UNITTEST_HEADER = re.compile(r"^(?:FAIL|ERROR): (?P<test>\S+) \((?P<where>[^)]+)\)")


def relative_frame(file: str, line: int, function: str, root: Path) -> Frame:
    """A frame whose file is relative to `root` when it lies inside it (then it is a project frame)."""
    path = Path(file)
    try:
        rel = path.resolve().relative_to(root.resolve()) if path.is_absolute() else path
    except ValueError:
        return Frame(file=file, line=line, function=function, in_project=False)
    in_project = not any(part in ("site-packages", "dist-packages") for part in rel.parts)
    return Frame(file=rel.as_posix(), line=line, function=function, in_project=in_project)


def parse_tracebacks(output: str, root: Path, default_test_id: str) -> list[Failure]:
    """One Failure per `Traceback (most recent call last):` block, named after a unittest header when present."""
    failures: list[Failure] = []
    test_id = default_test_id
    frames: list[Frame] | None = None
    for line in output.splitlines():
        header = _UNITTEST_HEADER.match(line)
        if header:
            where, test = header["where"], header["test"]  # 3.11+ repeats the test name in `where`
            test_id = where if where.endswith("." + test) else f"{where}.{test}"
            continue
        if line.startswith("Traceback (most recent call last):"):
            frames = []
            continue
        if frames is None:
            continue
        frame = _FRAME.match(line)
        if frame:
            frames.append(relative_frame(frame["file"], int(frame["line"]), frame["function"], root))
            continue
        exception = _EXCEPTION.match(line.strip()) if not line.startswith(" ") else None
        if exception:
            taken = sum(1 for f in failures if f.test_id.split(" #")[0] == test_id)
            failures.append(
                Failure(
                    test_id=f"{test_id} #{taken + 1}" if taken else test_id,
                    kind="failed",
                    exc_type=exception["type"].rsplit(".", 1)[-1],
                    message=(exception["message"] or "").strip(),
                    frames=frames,
                )
            )
            frames = None
            test_id = default_test_id
    return failures
