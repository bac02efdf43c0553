"""The unified-diff applier and project keys."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from untilgreen.memory.patch import PatchError, apply_diff, changed_files
from untilgreen.memory.project import normalise_remote, project_key


def diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{path}", f"b/{path}"))


def test_two_hunks_with_drift_and_a_new_file() -> None:
    old = "".join(f"line {i}\n" for i in range(40))
    new = old.replace("line 3\n", "line three\n").replace("line 30\n", "")
    patch = diff("m.py", old, new) + diff("new.py", "", "x = 1\n").replace("a/new.py", "/dev/null")
    drifted = "# added on top\n" + old
    result = apply_diff(patch, {"m.py": drifted}.get)
    assert result == {"m.py": "# added on top\n" + new, "new.py": "x = 1\n"}
    assert changed_files(patch) == ("m.py", "new.py")


def test_mismatch_missing_file_and_deletion_are_refused() -> None:
    patch = diff("m.py", "a\nb\n", "a\nc\n")
    with pytest.raises(PatchError, match="does not match"):
        apply_diff(patch, {"m.py": "a\nB\n"}.get)
    with pytest.raises(PatchError, match="does not exist"):
        apply_diff(patch, {}.get)
    with pytest.raises(PatchError, match="deleting"):
        apply_diff(diff("m.py", "a\n", "").replace("b/m.py", "/dev/null"), {"m.py": "a\n"}.get)


def test_no_newline_at_end_of_file() -> None:
    patch = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 1\n\\ No newline at end of file\n+x = 2\n\\ No newline at end of file\n"
    assert apply_diff(patch, {"m.py": "x = 1"}.get) == {"m.py": "x = 2"}


def test_project_key_prefers_the_remote(tmp_path: Path) -> None:
    a, b, plain = tmp_path / "a", tmp_path / "b", tmp_path / "plain"
    for root, url in ((a, "git@github.com:Org/repo.git"), (b, "https://user:tok@github.com/Org/repo")):
        (root / ".git").mkdir(parents=True)
        (root / ".git" / "config").write_text(f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {url}\n')
    plain.mkdir()
    assert project_key(a) == project_key(b) != project_key(plain)
    assert project_key(plain) == project_key(plain / ".") and project_key(a).startswith("p")
    assert normalise_remote("ssh://git@gitlab.example.com:2222/g/r.git") == "gitlab.example.com:2222/g/r"
