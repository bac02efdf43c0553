"""The base shadow: incremental sync, integrity against writes through hard links, and concurrent runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from untilgreen.sandbox.file_listing import list_project_files
from untilgreen.sandbox.shadow_cache import BaseShadow
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from tests.sandbox.conftest import Projects

FILES = {f"pkg/m{i}.py": f"VALUE = {i}\n" * (i + 1) for i in range(20)}
AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def project(projects: Projects) -> Path:
    root = projects.repo("project", FILES)
    for rel in FILES:  # settled files, as in a real project (fresh ones are hashed again on the next sync)
        os.utime(root / rel, (AN_HOUR_AGO, AN_HOUR_AGO))
    return root


def sync(shadow: BaseShadow) -> tuple[list[str], list[str]]:
    with shadow.locked():
        result = shadow.sync(list_project_files(shadow.root))
    return result.copied, result.removed


def inode(path: Path) -> int:
    return path.stat().st_ino


def test_only_changed_files_are_copied_and_deleted_files_removed(project: Path, cache_dir: Path) -> None:
    shadow = BaseShadow(cache_dir, project)
    assert sync(shadow) == (sorted(FILES), [])
    assert sync(shadow) == ([], [])
    inodes = {rel: inode(shadow.base / rel) for rel in FILES}

    (project / "pkg/m3.py").write_text("VALUE = 'changed'\n")
    (project / "pkg/m4.py").touch()  # new stat, same content: hashed, not copied
    (project / "pkg/m5.py").unlink()
    os.chmod(project / "pkg/m6.py", 0o755)
    assert sync(shadow) == (["pkg/m3.py", "pkg/m6.py"], ["pkg/m5.py"])
    assert (shadow.base / "pkg/m3.py").read_text() == "VALUE = 'changed'\n"
    assert not (shadow.base / "pkg/m5.py").exists()
    assert os.access(shadow.base / "pkg/m6.py", os.X_OK)
    assert inode(shadow.base / "pkg/m4.py") == inodes["pkg/m4.py"]
    assert inode(shadow.base / "pkg/m3.py") != inodes["pkg/m3.py"]  # replaced, never rewritten in place
    assert sync(shadow) == ([], [])


def test_a_path_may_change_kind(project: Path, cache_dir: Path) -> None:
    shadow = BaseShadow(cache_dir, project)
    sync(shadow)
    (project / "pkg/m1.py").unlink()
    (project / "pkg/m1.py").mkdir()
    (project / "pkg/m1.py/inner.py").write_text("inner\n")
    (project / "pkg/m2.py").unlink()
    (project / "pkg/m2.py").symlink_to("m0.py")
    sync(shadow)
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        assert ws.read("pkg/m1.py/inner.py") == "inner\n"
        assert os.readlink(ws.path / "pkg/m2.py") == "m0.py"
    shutil.rmtree(project / "pkg/m1.py")
    (project / "pkg/m1.py").write_text("file again\n")
    (project / "pkg/m2.py").unlink()
    (project / "pkg/m2.py").write_text("no longer a link\n")
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        assert ws.read("pkg/m1.py") == "file again\n"
        assert ws.read("pkg/m2.py") == "no longer a link\n"


def test_workspaces_link_into_the_base_never_into_the_users_tree(project: Path, cache_dir: Path) -> None:
    with Workspace.create(project, cache_dir=cache_dir) as ws:
        shadow = BaseShadow(cache_dir, project)
        assert inode(ws.path / "pkg/m1.py") == inode(shadow.base / "pkg/m1.py")
        assert inode(ws.path / "pkg/m1.py") != inode(project / "pkg/m1.py")
        assert (project / "pkg/m1.py").stat().st_nlink == 1
        ws.write("pkg/m1.py", "edited\n")
        assert (shadow.base / "pkg/m1.py").read_text() == FILES["pkg/m1.py"]


def test_base_stays_pristine_after_an_in_place_write_through_a_hard_link(
    project: Path, cache_dir: Path
) -> None:
    with Workspace.create(project, cache_dir=cache_dir) as first:
        # What a sandboxed test might do: open a project file and rewrite it in place, here keeping its size.
        with open(first.path / "pkg/m2.py", "r+") as fh:
            fh.write("VALUE = 9")
        with open(first.path / "pkg/m7.py", "a") as fh:
            fh.write("appended = True\n")
        with Workspace.create(project, cache_dir=cache_dir) as second:
            assert second.read("pkg/m2.py") == FILES["pkg/m2.py"]
            assert second.read("pkg/m7.py") == FILES["pkg/m7.py"]
        assert first.changed_files() == []  # not written through the API: not part of the run's diff
    shadow = BaseShadow(cache_dir, project)
    assert (shadow.base / "pkg/m2.py").read_text() == FILES["pkg/m2.py"]
    assert sync(shadow) == ([], [])


CREATE_AND_CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from untilgreen.sandbox.workspace import Workspace

    root, cache = Path(sys.argv[1]), Path(sys.argv[2])
    with Workspace.create(root, cache_dir=cache) as ws:
        for rel in ws.files():
            assert ws.read(rel) == (root / rel).read_text(), rel
        print(len(ws.files()))
    """
)


def test_concurrent_creation_from_two_processes(projects: Projects, cache_dir: Path) -> None:
    many = {f"pkg{i % 10}/m{i}.py": f"V = {i}\n" * 40 for i in range(600)}
    root = projects.repo("big", many)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_AND_CHECK, str(root), str(cache_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    assert [out.strip() for out, _ in outcomes] == ["600", "600"]
    assert sync(BaseShadow(cache_dir, root))[1] == []


SHM = Path("/dev/shm")


@pytest.mark.skipif(
    not SHM.is_dir() or not os.access(SHM, os.W_OK) or SHM.stat().st_dev == Path("/tmp").stat().st_dev,
    reason="needs a writable tmpfs on another device than the temp folder",
)
def test_cache_on_another_device_keeps_workspaces_next_to_the_base(project: Path, tmp_path: Path) -> None:
    cache = SHM / f"untilgreen-test-{tmp_path.name}-{os.getpid()}"
    try:
        with Workspace.create(project, cache_dir=cache) as ws:
            shadow = BaseShadow(cache, project)
            assert ws.path.parent == shadow.dir / "runs"
            assert inode(ws.path / "pkg/m1.py") == inode(shadow.base / "pkg/m1.py")
        assert list((shadow.dir / "runs").iterdir()) == []
    finally:
        shutil.rmtree(cache, ignore_errors=True)
