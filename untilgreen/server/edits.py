"""The final WorkspaceEdit: minimal text edits in UTF-16 positions, versioned documents, new files, confirmation.

Also the three-way merge used when the user edited a document while the run went on: the fix is carried over
only when none of its changes touches a line the user changed; otherwise the edit is refused.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from lsprotocol import types

ANNOTATION_ID = "untilgreen.fix"


@dataclass(frozen=True)
class FileChange:
    """One file's change: `old` is the text the edit applies to (None: a new file); `version` the open document's
    version the edit is computed against (None for files not open)."""

    uri: str
    old: str | None
    new: str
    version: int | None = None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position(text: str, offset: int) -> types.Position:
    """The LSP position (line, UTF-16 column) of a character offset in `text`."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=utf16_len(text[start:offset]))


def text_edits(old: str, new: str) -> list[tuple[types.Range, str]]:
    """Minimal replacements turning `old` into `new`, as (range in `old`, new text), in document order."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits: list[tuple[types.Range, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        begin, end = starts[i1], starts[i2]
        before, after = old[begin:end], "".join(new_lines[j1:j2])
        prefix = len(_common_prefix(before, after))
        suffix = len(_common_prefix(before[prefix:][::-1], after[prefix:][::-1]))
        replacement = after[prefix : len(after) - suffix]
        rng = types.Range(start=position(old, begin + prefix), end=position(old, end - suffix))
        edits.append((rng, replacement))
    return edits


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def merge(base: str, mine: str, theirs: str) -> str | None:
    """`base` with both the user's changes (`mine`) and the fix (`theirs`), or None when they touch the same or
    adjacent lines (then only the user can decide)."""
    base_lines = base.splitlines(keepends=True)
    hunks = []
    for side, text in (("mine", mine), ("theirs", theirs)):
        lines = text.splitlines(keepends=True)
        matcher = difflib.SequenceMatcher(None, base_lines, lines, autojunk=False)
        hunks += [
            (i1, i2, lines[j1:j2], side) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
        ]
    hunks.sort(key=lambda h: (h[0], h[1]))
    for i, a in enumerate(hunks):
        if any(b[3] != a[3] and b[0] <= a[1] and a[0] <= b[1] for b in hunks[i + 1 :]):
            return None
    out: list[str] = []
    at = 0
    for i1, i2, lines, _ in hunks:
        out += base_lines[at:i1] + lines
        at = i2
    return "".join(out + base_lines[at:])


def workspace_edit(
    changes: list[FileChange],
    *,
    annotate: bool,
    label: str,
    document_changes: bool = True,
    description: str = "Review the fix untilgreen found.",
) -> types.WorkspaceEdit:
    """Versioned TextDocumentEdits (CreateFile first for new files); with `annotate`, every edit carries a change
    annotation that needs confirmation, so the client shows a preview before applying. Clients without
    `documentChanges` get the plain `changes` map (no versions, no new files: the caller refuses those)."""
    if not document_changes:
        return types.WorkspaceEdit(
            changes={
                c.uri: [
                    types.TextEdit(range=rng, new_text=text) for rng, text in text_edits(c.old or "", c.new)
                ]
                for c in changes
            }
        )
    annotation = ANNOTATION_ID if annotate else None
    operations: list[types.TextDocumentEdit | types.CreateFile] = []
    for change in changes:
        if change.old is None:
            operations.append(
                types.CreateFile(
                    uri=change.uri,
                    options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
                    annotation_id=annotation,
                )
            )
        edits = [
            types.AnnotatedTextEdit(range=rng, new_text=text, annotation_id=annotation)
            if annotation
            else types.TextEdit(range=rng, new_text=text)
            for rng, text in text_edits(change.old or "", change.new)
        ]
        if edits:
            operations.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=change.uri, version=change.version
                    ),
                    edits=edits,
                )
            )
    annotations = None
    if annotate:
        annotations = {
            ANNOTATION_ID: types.ChangeAnnotation(
                label=label, needs_confirmation=True, description=description
            )
        }
    return types.WorkspaceEdit(document_changes=operations, change_annotations=annotations)


def edit_support(caps: types.ClientCapabilities) -> tuple[bool, bool]:
    """(documentChanges, change annotations) as the client declared them."""
    edit = caps.workspace.workspace_edit if caps.workspace else None
    document_changes = bool(edit and edit.document_changes)
    return document_changes, bool(document_changes and edit and edit.change_annotation_support)
