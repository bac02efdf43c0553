"""Workspace behaviour: overlays, edits, diffs that `git apply` accepts, path safety, forks and cleanup."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from untilgreen.errors import UserError
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from tests.sandbox.conftest import Projects

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/calc.py": "def add(a, b):\n    return a - b\n",
    "pkg/long.py": "".join(f"line_{i} = {i}\n" for i in range(40)),
    "pkg/no_newline.py": "x = 1",
    "pkg/crlf.py": "a = 1\r\nb = 2\r\n",
    "pkg/feed.py": "a = 1\x0cb = 2\n",
    "run.sh": "#!/bin/sh\necho hi\n",
    "data/blob.bin": bytes(range(256)) * 4,
    "tests/test_calc.py": "from pkg.calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n",
}


def snapshot_tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.fixture
def project(projects: Projects) -> Path:
    root = projects.repo("project", PROJECT)
    os.chmod(root / "run.sh", 0o755)
    return root


def test_overlays_apply_to_existing_and_new_files(project: Path, cache_dir: Path) -> None:
    overlays = {"pkg/calc.py": "def add(a, b):\n    return a + b  # unsaved\n", "pkg/new.py": "NEW = 1\n"}
    with Workspace.create(project, overlays, cache_dir=cache_dir) as ws:
        assert ws.read("pkg/calc.py") == overlays["pkg/calc.py"]
        assert ws.read("pkg/new.py") == "NEW = 1\n"
        assert ws.start_text("pkg/calc.py") == overlays["pkg/calc.py"]
        assert ws.start_text("pkg/long.py") == PROJECT["pkg/long.py"]
        assert ws.start_text("pkg/missing.py") is None
        assert "pkg/new.py" in ws.files()
        assert ws.diff() == "" and ws.changed_files() == []
    assert (project / "pkg/calc.py").read_text() == PROJECT["pkg/calc.py"]
    assert not (project / "pkg/new.py").exists()


def test_binary_files_are_copied_byte_for_byte(project: Path, cache_dir: Path) -> None:
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        assert (ws.path / "data/blob.bin").read_bytes() == PROJECT["data/blob.bin"]
        assert os.access(ws.path / "run.sh", os.X_OK)
        ws.delete("data/blob.bin")
        assert ws.diff() == (
            "diff --git a/data/blob.bin b/data/blob.bin\n"
            "deleted file mode 100644\n"
            "Binary files a/data/blob.bin and /dev/null differ\n"
        )


def test_diff_is_git_style_and_applies_to_the_starting_state(
    project: Path, cache_dir: Path, projects: Projects
) -> None:
    overlays = {"pkg/calc.py": "def add(a, b):\n    return a - b  # unsaved\n", "pkg/buffer.py": "B = 1\n"}
    with Workspace.create(project, overlays, cache_dir=cache_dir) as ws:
        ws.write("pkg/calc.py", "def add(a, b):\n    return a + b\n")
        ws.write("pkg/long.py", PROJECT["pkg/long.py"].replace("line_20 = 20", "line_20 = 'twenty'"))
        ws.write("pkg/no_change.py", "temporary\n")
        ws.delete("pkg/no_change.py")  # created, then deleted: no change
        ws.write("pkg/no_newline.py", "x = 2")
        ws.write("pkg/crlf.py", "a = 1\r\nb = 3\r\n")
        ws.write("pkg/feed.py", "a = 1\x0cb = 3\n")
        ws.write("pkg/buffer.py", "B = 2\n")
        ws.write("pkg/sub dir/new file.py", "created = True")
        ws.write("run.sh", "#!/bin/sh\necho bye\n")
        ws.write("tests/test_calc.py", "changed, then deleted\n")
        ws.delete("tests/test_calc.py")
        ws.write("pkg/empty.py", "")
        ws.delete("pkg/__init__.py")  # an empty file
        ws.write("pkg/long.py", ws.read("pkg/long.py"))  # rewritten unchanged: no change
        diff = ws.diff()
        expected_changes = [
            "pkg/__init__.py",
            "pkg/buffer.py",
            "pkg/calc.py",
            "pkg/crlf.py",
            "pkg/empty.py",
            "pkg/feed.py",
            "pkg/long.py",
            "pkg/no_newline.py",
            "pkg/sub dir/new file.py",
            "run.sh",
            "tests/test_calc.py",
        ]
        assert ws.changed_files() == expected_changes
        assert "--- /dev/null\n+++ b/pkg/sub dir/new file.py\n" in diff
        assert "new file mode 100644\n" in diff
        assert "deleted file mode 100644\n--- a/tests/test_calc.py\n+++ /dev/null\n" in diff
        assert "-x = 1\n\\ No newline at end of file\n+x = 2\n\\ No newline at end of file\n" in diff
        assert "@@ -18,7 +18,7 @@" in diff  # three lines of context
        expected = snapshot_tree(ws.path)

    # The starting state is what the user sees in the editor: the originals with the unsaved buffers.
    start = shutil.copytree(project, projects.base / "start", ignore=shutil.ignore_patterns(".git"))
    projects.tree("start", overlays)
    (start / "patch.diff").write_text(diff, encoding="utf-8", newline="")
    subprocess.run(["git", "apply", "patch.diff"], cwd=start, check=True, capture_output=True)
    (start / "patch.diff").unlink()
    assert snapshot_tree(start) == expected
    assert os.access(start / "run.sh", os.X_OK)
    assert snapshot_tree(project) == {
        k: v if isinstance(v, bytes) else v.encode() for k, v in PROJECT.items()
    }


@pytest.mark.parametrize("bad", ["../outside.py", "pkg/../../outside.py", "/tmp/untilgreen-abs.py", "", "."])
def test_write_refuses_paths_escaping_the_shadow(project: Path, cache_dir: Path, bad: str) -> None:
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        with pytest.raises(UserError, match="Refusing the path"):
            ws.write(bad, "escaped = True\n")
        assert not (ws.path.parent / "outside.py").exists()
        assert not Path("/tmp/untilgreen-abs.py").exists()


def test_write_refuses_symlinks_pointing_outside(project: Path, cache_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.py").write_text("safe\n")
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        # A test run inside the shadow could leave such links behind.
        (ws.path / "link_dir").symlink_to(outside)
        (ws.path / "link_file.py").symlink_to(outside / "victim.py")
        for bad in ("link_dir/victim.py", "link_dir/new.py", "link_file.py"):
            with pytest.raises(UserError, match="outside the project"):
                ws.write(bad, "pwned\n")
            with pytest.raises(UserError, match="outside the project"):
                ws.read(bad)
        ws.delete("link_file.py")  # removing the link itself is fine
    assert (outside / "victim.py").read_text() == "safe\n"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.py"]


def test_symlinks_inside_are_kept_and_written_through(
    projects: Projects, cache_dir: Path, tmp_path: Path
) -> None:
    root = projects.tree("plain", {"real/mod.py": "A = 1\n", "secret_target.txt": "s\n"})
    (root / "alias").symlink_to(root / "real")  # absolute, but inside the project
    (root / "escape").symlink_to(tmp_path)
    with Workspace.create(root, cache_dir=cache_dir) as ws:
        assert ws.files() == ["alias", "real/mod.py", "secret_target.txt"]
        assert os.readlink(ws.path / "alias") == "real"
        ws.write("alias/mod.py", "A = 2\n")
        assert ws.changed_files() == ["real/mod.py"]
        assert ws.read("real/mod.py") == "A = 2\n"
    assert (root / "real/mod.py").read_text() == "A = 1\n"


def test_cleanup_on_exception_also_removes_forks(project: Path, cache_dir: Path) -> None:
    with pytest.raises(RuntimeError), Workspace.create(project, cache_dir=cache_dir) as ws:
        fork = ws.fork()
        os.chmod(ws.path / "pkg", 0o500)  # a test run left a read-only folder behind
        raise RuntimeError("boom")
    assert not ws.path.exists()
    assert fork.path.exists()  # a fork lives until it is closed...
    fork.close()
    fork.close()  # ...and closing twice is harmless
    assert not fork.path.exists()
    assert ws.path.name.startswith("untilgreen-")


def test_forks_are_independent(project: Path, cache_dir: Path) -> None:
    with Workspace.create(project, {"pkg/calc.py": "overlay = 1\n"}, cache_dir=cache_dir) as parent:
        parent.write("pkg/long.py", "parent = 1\n")
        with parent.fork() as child:
            assert child.read("pkg/long.py") == "parent = 1\n"
            assert child.changed_files() == ["pkg/long.py"]
            child.write("pkg/calc.py", "child = 1\n")
            child.write("pkg/child_only.py", "X = 1\n")
            with open(child.path / "pkg/long.py", "w") as fh:  # in place, as a test run might
                fh.write("scribbled\n")
            assert child.changed_files() == ["pkg/calc.py", "pkg/child_only.py", "pkg/long.py"]
            assert "+++ b/pkg/calc.py\n@@ -1 +1 @@\n-overlay = 1\n+child = 1\n" in child.diff()
            assert parent.read("pkg/calc.py") == "overlay = 1\n"
            assert parent.read("pkg/long.py") == "parent = 1\n"
            assert "pkg/child_only.py" not in parent.files()
            assert parent.changed_files() == ["pkg/long.py"]
        with Workspace.create(project, cache_dir=cache_dir) as fresh:
            assert fresh.read("pkg/calc.py") == PROJECT["pkg/calc.py"]
            assert fresh.read("pkg/long.py") == PROJECT["pkg/long.py"]


def test_editing_a_module_drops_its_stale_bytecode(project: Path, cache_dir: Path) -> None:
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        cached = ws.path / "pkg/__pycache__/calc.cpython-311.pyc"
        cached.parent.mkdir()
        cached.write_bytes(b"stale")
        ws.write("pkg/calc.py", "def add(a, b):\n    return a + b\n")
        assert not cached.exists()


def test_not_a_project_folder(tmp_path: Path, cache_dir: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        Workspace.create(tmp_path / "nope", cache_dir=cache_dir)
