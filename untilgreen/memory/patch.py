"""A small unified-diff parser and applier with exact context matching (no fuzz).

Hunks are applied at their stated line or, when the file has moved, at the nearest place where the hunk's old
lines match exactly. Creating a file (`--- /dev/null`) is supported; deleting one is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(Exception):
    """The diff is malformed or does not apply to the current text."""


@dataclass
class Hunk:
    old_start: int
    lines: list[str] = field(default_factory=list)  # each starts with " ", "-" or "+"

    @property
    def old(self) -> list[str]:
        return [line[1:] for line in self.lines if line[:1] in (" ", "-")]

    @property
    def new(self) -> list[str]:
        return [line[1:] for line in self.lines if line[:1] in (" ", "+")]


@dataclass
class FilePatch:
    old_path: str | None  # None for a new file
    new_path: str | None  # None for a deleted file
    hunks: list[Hunk] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""


def parse_diff(diff: str) -> list[FilePatch]:
    patches: list[FilePatch] = []
    lines = diff.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            patches.append(FilePatch(_path(line[4:]), _path(lines[i + 1][4:])))
            i += 2
            continue
        m = _HUNK.match(line)
        if m:
            if not patches:
                raise PatchError("The diff has a hunk before any file header.")
            hunk = Hunk(int(m.group(1)))
            old_left, new_left = int(m.group(2) or 1), int(m.group(4) or 1)
            i += 1
            while i < len(lines) and (old_left > 0 or new_left > 0):
                body = lines[i] if lines[i] else " "
                if body.startswith("\\"):  # "\ No newline at end of file"
                    i += 1
                    continue
                if body[0] not in " -+":
                    raise PatchError(f"Malformed hunk line {i + 1}: {lines[i]!r}.")
                hunk.lines.append(body)
                old_left -= body[0] != "+"
                new_left -= body[0] != "-"
                i += 1
            patches[-1].hunks.append(hunk)
            continue
        i += 1
    return patches


def _path(header: str) -> str | None:
    name = header.split("\t")[0].strip()
    if name == "/dev/null":
        return None
    return re.sub(r"^[ab]/", "", name)


def changed_files(diff: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.path for p in parse_diff(diff)))


def apply_diff(diff: str, read_file: Callable[[str], str | None]) -> dict[str, str]:
    """The new text of every file the diff touches; raises PatchError if any hunk does not match exactly."""
    patches = parse_diff(diff)
    if not patches:
        raise PatchError("The diff touches no file.")
    result: dict[str, str] = {}
    for patch in patches:
        if patch.new_path is None:
            raise PatchError(f"The diff deletes {patch.old_path}; deleting files is not supported.")
        if patch.old_path is None:
            original = ""
        else:
            text = result.get(patch.old_path, read_file(patch.old_path))
            if text is None:
                raise PatchError(f"{patch.old_path} does not exist.")
            original = text
        result[patch.new_path] = apply_file_patch(original, patch)
    return result


def apply_file_patch(text: str, patch: FilePatch) -> str:
    lines = text.splitlines()
    trailing_newline = text.endswith("\n") or not text
    offset = 0
    for hunk in patch.hunks:
        at = _locate(lines, hunk.old, max(hunk.old_start - 1, 0) + offset)
        if at is None:
            raise PatchError(
                f"A hunk for {patch.path} near line {hunk.old_start} does not match the current code."
            )
        lines[at : at + len(hunk.old)] = hunk.new
        offset = at - max(hunk.old_start - 1, 0) + len(hunk.new) - len(hunk.old)
    return "\n".join(lines) + ("\n" if trailing_newline and lines else "")


def _locate(lines: list[str], old: list[str], expected: int) -> int | None:
    """The start index nearest `expected` where `old` matches exactly."""
    if not old:
        return min(expected, len(lines))
    last = len(lines) - len(old)
    for delta in range(0, max(expected, last - expected) + 1):
        for at in (expected - delta, expected + delta):
            if 0 <= at <= last and lines[at : at + len(old)] == old:
                return at
    return None
