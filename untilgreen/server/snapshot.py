"""What a run started from, and how its final diff becomes file changes against what the user has now.

Open documents travel to the worker as overlays (their text and version are kept); every other project file is
remembered by content hash. At the end each file the diff touches is checked: unchanged since the start → the
fix as is; an open document the user edited → a three-way merge (then re-validated) or a refusal; a closed file
changed on disk → a refusal. Nothing here writes a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from untilgreen.server.edits import FileChange, merge

# rel path -> (open document version or None, current text or None when the file does not exist)
CurrentState = Callable[[str], tuple["int | None", "str | None"]]


class Refused(Exception):
    """The fix cannot be offered safely; the message says why and what to do."""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Snapshot:
    root: Path
    documents: dict[str, tuple[int | None, str]]  # rel -> (version, text) of the open documents
    hashes: dict[str, str] = field(default_factory=dict)  # rel -> sha256 of the other files on disk
    remembered: dict[str, str] = field(default_factory=dict)  # rel -> start text of a file an attempt touched

    @classmethod
    def take(cls, root: Path, documents: dict[str, tuple[int | None, str]]) -> Snapshot:
        """Blocking (reads the project): call it off the event loop."""
        from untilgreen.sandbox.file_listing import list_project_files

        hashes: dict[str, str] = {}
        for rel in list_project_files(root):
            if rel in documents:
                continue
            try:
                hashes[rel] = digest((root / rel).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
        return cls(root, dict(documents), hashes)

    @property
    def overlays(self) -> dict[str, str]:
        return {rel: text for rel, (_, text) in self.documents.items()}

    def start_text(self, rel: str, now: str | None) -> str | None:
        """The file's text when the run started, if known: the overlay, or `now` when its hash is unchanged."""
        if rel in self.documents:
            return self.documents[rel][1]
        if rel in self.remembered:
            return self.remembered[rel]
        if now is not None and self.hashes.get(rel) == digest(now):
            return now
        return None

    def remember(self, diff: str, current: CurrentState) -> None:
        """Keep the start text of each file `diff` touches while it is still known, so that an attempt can be
        shown and offered after the files changed (the final fix applied, say)."""
        from untilgreen.memory.patch import PatchError, parse_diff

        try:
            patches = parse_diff(diff)
        except PatchError:
            return
        for patch in patches:
            rel = patch.old_path
            if rel is not None and rel not in self.documents and rel not in self.remembered:
                text = self.start_text(rel, current(rel)[1])
                if text is not None:
                    self.remembered[rel] = text


@dataclass
class Plan:
    changes: list[FileChange]
    texts: dict[str, str]  # rel -> the text each changed file will have
    merged: list[str]  # files where the user's edits were merged in: the result must be re-validated


def plan(snapshot: Snapshot, diff: str, current: CurrentState, uri_of: Callable[[str], str]) -> Plan:
    """File changes that bring the fix to what the user has now; raises Refused when that is not safe."""
    from untilgreen.memory.patch import PatchError, apply_file_patch, parse_diff

    patches = parse_diff(diff)
    if not patches:
        raise Refused("the run's diff touches no file; nothing to apply.")
    changes: list[FileChange] = []
    texts: dict[str, str] = {}
    merged: list[str] = []
    for patch in patches:
        rel = patch.path
        if patch.new_path is None:
            raise Refused(
                f"the fix deletes {rel}, which untilgreen never does on its own; apply the diff by hand."
            )
        version, now = current(rel)
        base = None if patch.old_path is None else snapshot.start_text(rel, now)
        if patch.old_path is None and now is not None:
            raise Refused(f"the fix creates {rel}, but that file exists now; move it away and run again.")
        if patch.old_path is not None and now is None:
            raise Refused(
                f"{rel} was deleted while the run went on; restore it and run Fix until green again."
            )
        if patch.old_path is not None and base is None:
            raise Refused(f"{rel} changed on disk while the run went on; run Fix until green again.")
        try:
            fixed = apply_file_patch(base or "", patch)
        except PatchError as exc:
            raise Refused(
                f"the run's diff does not apply to {rel} ({exc}); run Fix until green again."
            ) from None
        if base is not None and now is not None and now != base:
            result = merge(base, now, fixed)
            if result is None:
                raise Refused(
                    f"you changed {rel} where the fix edits it since the run started; the fix was not "
                    "applied, so nothing you typed is lost; run Fix until green again."
                )
            fixed = result
            merged.append(rel)
        changes.append(FileChange(uri_of(rel), now if base is not None else None, fixed, version))
        texts[rel] = fixed
    return Plan(changes, texts, merged)


def before_after(snapshot: Snapshot, diff: str, current: CurrentState) -> list[tuple[str, str, str]]:
    """(path, text when the run started, that text with `diff` applied) for each file `diff` touches; raises
    Refused when a start text is no longer known or the diff does not apply to it."""
    from untilgreen.memory.patch import PatchError, apply_file_patch, parse_diff

    files: list[tuple[str, str, str]] = []
    for patch in parse_diff(diff):
        rel = patch.path
        base = (
            "" if patch.old_path is None else snapshot.start_text(patch.old_path, current(patch.old_path)[1])
        )
        if base is None:
            raise Refused(
                f"{rel} changed on disk since the run started, so untilgreen no longer knows its text then."
            )
        try:
            after = "" if patch.new_path is None else apply_file_patch(base, patch)
        except PatchError as exc:
            raise Refused(f"the attempt's diff does not apply to {rel} as it was ({exc}).") from None
        files.append((rel, base, after))
    return files
