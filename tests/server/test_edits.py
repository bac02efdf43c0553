"""The final edit: minimal UTF-16 text edits, versioned documents, new files, annotations, merge or refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.e2e.editor import apply_text_edits
from untilgreen.server.edits import ANNOTATION_ID, FileChange, merge, position, text_edits, workspace_edit
from untilgreen.server.snapshot import Refused, Snapshot, digest, plan

BASE = "def f(x):\n    return x > 1\n\n\ndef g():\n    return 2\n"
FIXED = BASE.replace("x > 1", "x >= 1")
DIFF = """\
--- a/m.py
+++ b/m.py
@@ -1,2 +1,2 @@
 def f(x):
-    return x > 1
+    return x >= 1
"""


def _apply(old: str, new: str) -> str:
    edits = [types.TextEdit(range=rng, new_text=text) for rng, text in text_edits(old, new)]
    return apply_text_edits(old, edits)


def test_text_edits_are_minimal_and_round_trip():
    [(rng, text)] = text_edits(BASE, FIXED)
    assert (rng.start.line, rng.start.character, rng.end.line, rng.end.character, text) == (1, 14, 1, 14, "=")
    assert _apply(BASE, FIXED) == FIXED


@pytest.mark.parametrize(
    "old, new",
    [
        ("s = '😀😀' + a\n", "s = '😀😀' + b\n"),  # astral characters count two UTF-16 units
        ("é = 1\nx = 'ü'\n", "é = 1\nx = 'üü'\ny = 2\n"),
        ("no newline", "no newline at the end"),
        ("", "created\n"),
        ("a\nb\nc\n", "a\nc\n"),
    ],
)
def test_utf16_positions_round_trip(old, new):
    assert _apply(old, new) == new


def test_position_counts_utf16_units():
    text = "😀x\n"
    assert position(text, text.index("x")) == types.Position(line=0, character=2)


def test_workspace_edit_versions_annotations_and_new_files():
    edit = workspace_edit(
        [FileChange("file:///p/m.py", BASE, FIXED, 7), FileChange("file:///p/new.py", None, "x\n")],
        annotate=True,
        label="fix",
    )
    kinds = [type(c).__name__ for c in edit.document_changes]
    assert kinds == ["TextDocumentEdit", "CreateFile", "TextDocumentEdit"]
    first = edit.document_changes[0]
    assert first.text_document.version == 7 and all(e.annotation_id == ANNOTATION_ID for e in first.edits)
    assert edit.change_annotations[ANNOTATION_ID].needs_confirmation is True
    plain = workspace_edit([FileChange("file:///p/m.py", BASE, FIXED, None)], annotate=False, label="fix")
    assert plain.change_annotations is None and type(plain.document_changes[0].edits[0]) is types.TextEdit


def test_merge_keeps_both_when_apart_and_refuses_when_close():
    mine = BASE.replace("return 2", "return 3")
    assert merge(BASE, mine, FIXED) == FIXED.replace("return 2", "return 3")
    assert merge(BASE, BASE.replace("x > 1", "x > 2"), FIXED) is None  # same line
    assert merge(BASE, BASE.replace("def f(x):", "def f(x):  # note"), FIXED) is None  # adjacent line


def _snapshot(tmp_path: Path, open_text: str | None = None) -> Snapshot:
    (tmp_path / "m.py").write_text(BASE)
    documents = {"m.py": (3, open_text)} if open_text is not None else {}
    hashes = {} if open_text is not None else {"m.py": digest(BASE)}
    return Snapshot(tmp_path, documents, hashes)


def test_plan_unchanged_document_keeps_its_version(tmp_path):
    snapshot = _snapshot(tmp_path, BASE)
    result = plan(snapshot, DIFF, lambda rel: (3, BASE), lambda rel: f"file:///p/{rel}")
    assert result.changes == [FileChange("file:///p/m.py", BASE, FIXED, 3)] and result.merged == []


def test_plan_merges_edits_elsewhere_and_asks_for_revalidation(tmp_path):
    typed = BASE.replace("return 2", "return 20")
    result = plan(_snapshot(tmp_path, BASE), DIFF, lambda rel: (5, typed), str)
    assert result.texts["m.py"] == FIXED.replace("return 2", "return 20") and result.merged == ["m.py"]
    assert result.changes[0].old == typed and result.changes[0].version == 5


def test_plan_refuses_an_overlapping_edit(tmp_path):
    typed = BASE.replace("x > 1", "x > 5")
    with pytest.raises(Refused, match="nothing you typed is lost"):
        plan(_snapshot(tmp_path, BASE), DIFF, lambda rel: (5, typed), str)


def test_plan_checks_unopened_files_by_content_hash(tmp_path):
    snapshot = _snapshot(tmp_path)
    assert plan(snapshot, DIFF, lambda rel: (None, BASE), str).changes[0].version is None
    with pytest.raises(Refused, match="changed on disk"):
        plan(snapshot, DIFF, lambda rel: (None, BASE + "# more\n"), str)


def test_plan_creates_new_files(tmp_path):
    diff = "--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1,1 @@\n+X = 1\n"
    result = plan(_snapshot(tmp_path), diff, lambda rel: (None, None), str)
    assert result.changes == [FileChange("pkg/new.py", None, "X = 1\n", None)]
    with pytest.raises(Refused, match="exists now"):
        plan(_snapshot(tmp_path), diff, lambda rel: (None, "X = 2\n"), str)


def test_snapshot_take_hashes_files_that_are_not_open(tmp_path):
    (tmp_path / "a.py").write_text("A\n")
    (tmp_path / "b.py").write_text("B\n")
    snapshot = Snapshot.take(tmp_path, {"a.py": (1, "A2\n")})
    assert snapshot.overlays == {"a.py": "A2\n"} and snapshot.hashes == {"b.py": digest("B\n")}
