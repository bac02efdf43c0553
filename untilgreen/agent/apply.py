"""Turning a candidate into a patched fork of the shadow, after refusing what a repair must never touch.

Refused, with the reason told to the repairer: paths outside the project, anything under `.git`, test files in
fix mode (unless `edit_tests`), binary files, oversized patches, and new files in fix mode. A reply applies all
or nothing: one block that does not apply refuses it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from untilgreen.agent.changes import changed_line_count
from untilgreen.errors import UserError
from untilgreen.memory.signature import is_test_file
from untilgreen.models.base import Candidate, FileWrite, SearchReplace, WholeFile
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from untilgreen.context.model import Chunk

MAX_CHANGED_LINES = 400
MAX_FILE_BYTES = 1_000_000


class Refusal(Exception):
    """The candidate touches what it must not; the message says what and why."""


@dataclass
class Patched:
    """A candidate applied to a fork. `changes` maps each changed path to (text before, text after)."""

    workspace: Workspace
    changes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    diff: str = ""


@dataclass(frozen=True)
class Policy:
    mode: str = "fix"
    edit_tests: bool = False

    def check_path(self, path: str) -> str:
        """The normalised path, or Refusal."""
        parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or os.path.isabs(path) or ".." in parts or ":" in parts[0]:
            raise Refusal(f"{path} is outside the project; edit files inside it, by their relative path.")
        if parts[0] == ".git":
            raise Refusal(f"{path} is inside .git; repository metadata is never edited.")
        rel = "/".join(parts)
        if self.mode == "fix" and not self.edit_tests and is_test_file(rel):
            raise Refusal(
                f"{rel} is a test file; in fix mode the tests define the wanted behaviour, so fix the "
                "code under test instead."
            )
        return rel


def apply_candidate(
    base: Workspace,
    candidate: Candidate,
    policy: Policy,
    chunks: Callable[[str], Chunk | None] | None = None,
) -> Patched:
    """Apply `candidate` to a fork of `base` (which is never written). Raises Refusal, or ValueError when the
    edits do not apply (the message is for the repairer)."""
    from untilgreen.models.llm.apply import apply_edits

    for edit in candidate.edits:
        if isinstance(edit, (SearchReplace, FileWrite, WholeFile)):
            policy.check_path(edit.path)
    if not candidate.edits:
        raise ValueError(candidate.parse_error or "The reply held no edit; answer with edit blocks.")
    result = apply_edits(
        candidate.edits,
        lambda p: _read(base, p),
        chunks,
        files=set(base.files()),
        create=policy.mode != "fix",
    )
    if not result.ok:
        raise ValueError(result.message)
    changes: dict[str, tuple[str | None, str | None]] = {}
    for path, after in result.files.items():
        rel = policy.check_path(path)
        before = _read(base, rel)
        if after is not None and ("\0" in after or len(after.encode()) > MAX_FILE_BYTES):
            raise Refusal(f"{rel}: the new content is binary or larger than {MAX_FILE_BYTES // 1000} kB.")
        if before != after:
            changes[rel] = (before, after)
    if not changes:
        raise ValueError("The edits change nothing: the replacement equals the current code.")
    changed = sum(changed_line_count(before, after) for before, after in changes.values())
    if changed > MAX_CHANGED_LINES:
        raise Refusal(
            f"the patch changes {changed} lines (more than {MAX_CHANGED_LINES}); make a smaller, focused fix."
        )
    fork = base.fork()
    try:
        for rel, (_, after) in changes.items():
            if after is None:
                fork.delete(rel)
            else:
                fork.write(rel, after)
    except UserError as err:
        fork.close()
        raise Refusal(str(err)) from None
    except BaseException:
        fork.close()
        raise
    return Patched(fork, changes, fork.diff())


def _read(workspace: Workspace, rel: str) -> str | None:
    """The file's text in `workspace`, None if absent; Refusal for binary files and paths that escape."""
    try:
        text = workspace.read(rel)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise Refusal(f"{rel} is a folder, not a file.") from None
    except UserError as err:  # not UTF-8, or a path that leaves the project
        raise Refusal(str(err)) from None
    if "\0" in text:
        raise Refusal(f"{rel} is a binary file; binary files are never edited.")
    return text
