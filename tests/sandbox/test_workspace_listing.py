"""Which files a workspace holds, and that the project's imports resolve to the shadow."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from untilgreen.sandbox.file_listing import list_project_files
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from tests.sandbox.conftest import Projects

SKIPPED = {
    ".git/config": "",
    ".hg/store": "",
    ".venv/lib/site.py": "",
    "venv/lib/site.py": "",
    "myenv/pyvenv.cfg": "home = /usr\n",
    "myenv/lib/site.py": "",
    "node_modules/x/index.js": "",
    "pkg/__pycache__/mod.cpython-311.pyc": b"\0",
    ".mypy_cache/3.11/x.json": "",
    ".pytest_cache/v/cache/lastfailed": "",
    ".ruff_cache/x": "",
    ".tox/py311/x": "",
    ".nox/x": "",
    "build/lib/pkg/mod.py": "",
    "dist/pkg.whl": b"PK",
    ".untilgreen/state": "",
}
KEPT = {
    "pkg/__init__.py": "",
    "pkg/mod.py": "A = 1\n",
    "tests/test_mod.py": "",
    ".env.example": "",
    "README": "",
    "pkg.egg-info/entry_points.txt": "[markdown.extensions]\nmeta = pkg.meta:Meta\n",
}


def test_walk_outside_git_skips_environments_caches_and_builds(projects: Projects) -> None:
    root = projects.tree("plain", {**SKIPPED, **KEPT})
    assert list_project_files(root) == sorted(KEPT)


def test_git_listing_keeps_untracked_files_git_does_not_ignore(projects: Projects) -> None:
    root = projects.repo("repo", {".gitignore": "*.log\nsecret/\n", "pkg/__init__.py": "", "pkg/gone.py": ""})
    projects.tree("repo", {"pkg/untracked.py": "", "debug.log": "", "secret/key": "", "venv/pyvenv.cfg": ""})
    projects.tree("repo", {"venv/lib/site.py": "", "node_modules/x.js": "", "pkg/__pycache__/m.pyc": b"\0"})
    (root / "pkg/gone.py").unlink()  # tracked but deleted in the work tree
    assert list_project_files(root) == [".gitignore", "pkg/__init__.py", "pkg/untracked.py"]


def test_git_listing_keeps_ignored_package_metadata_where_tests_import_from(projects: Projects) -> None:
    """An sdist or a `setup.py develop` checkout finds its own entry points through `*.egg-info` on sys.path."""
    root = projects.repo("repo", {".gitignore": "*.egg-info/\n", "setup.py": ""})
    projects.tree(
        "repo",
        {
            "pkg.egg-info/entry_points.txt": "",
            "src/lib.egg-info/PKG-INFO": "",
            "docs/old.egg-info/PKG-INFO": "",
        },
    )
    assert list_project_files(root) == [
        ".gitignore",
        "pkg.egg-info/entry_points.txt",
        "setup.py",
        "src/lib.egg-info/PKG-INFO",
    ]


def test_git_listing_keeps_tracked_files_in_folders_a_walk_would_skip(projects: Projects) -> None:
    root = projects.repo("repo", {"build/make_release.py": "", "setup.py": ""})
    assert list_project_files(root) == ["build/make_release.py", "setup.py"]


def test_project_in_a_subfolder_of_a_repo(projects: Projects) -> None:
    repo = projects.repo("mono", {"README": "", "services/api/app.py": "", "services/web/x.py": ""})
    projects.tree("mono/services/api", {"new.py": ""})
    assert list_project_files(repo / "services/api") == ["app.py", "new.py"]


def test_nested_repository_is_walked(projects: Projects) -> None:
    root = projects.repo("outer", {"a.py": ""})
    projects.repo("outer/vendored", {"v.py": ""})
    assert list_project_files(root) == ["a.py", "vendored/v.py"]


def test_symlinks_are_kept_only_when_they_point_inside(projects: Projects, tmp_path: Path) -> None:
    root = projects.repo("repo", {"real.py": "", "data/x.txt": ""})
    (root / "inside.py").symlink_to("real.py")
    (root / "inside_dir").symlink_to(root / "data")
    (root / "outside").symlink_to(tmp_path)
    (root / "dangling").symlink_to(tmp_path / "nowhere")
    assert list_project_files(root) == ["data/x.txt", "inside.py", "inside_dir", "real.py"]


def test_src_layout_imports_resolve_to_the_shadow_despite_an_editable_install(
    projects: Projects, cache_dir: Path
) -> None:
    root = projects.repo("proj", {"src/mylib/__init__.py": "VALUE = 'original'\n", "tests/test_x.py": ""})
    python = projects.editable_venv(root / "src")
    where = "import mylib, os; print(os.path.realpath(mylib.__file__))"
    installed = subprocess.run(
        [python, "-c", where], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert installed == str(root / "src/mylib/__init__.py")  # the fixture's install works

    with Workspace.create(root, cache_dir=cache_dir) as ws:
        assert ws.python_path_entries() == [str(ws.path), str(ws.path / "src")]
        assert ws.foreign_import_roots() == [str(root / "src/mylib"), str(root / "tests")]
        assert any(installed.startswith(foreign + os.sep) for foreign in ws.foreign_import_roots())
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(ws.python_path_entries())}
        done = subprocess.run(
            [python, "-c", where], capture_output=True, text=True, check=True, env=env, cwd=ws.path
        )
        assert done.stdout.strip() == str(ws.path / "src/mylib/__init__.py")


def test_flat_layout_path_entries_and_foreign_roots_leave_a_project_venv_out(
    projects: Projects, cache_dir: Path
) -> None:
    root = projects.repo("proj", {"app.py": "", "pkg/__init__.py": "", "src/notes.txt": "", "docs/x.md": ""})
    projects.tree("proj", {".venv/pyvenv.cfg": "", ".venv/lib/site-packages/dep.py": ""})
    with Workspace.create(root, cache_dir=cache_dir) as ws:
        assert ws.python_path_entries() == [str(ws.path)]
        assert ws.foreign_import_roots() == [str(root / "app.py"), str(root / "pkg")]
