"""A sandboxed test run gets a fresh, writable home with XDG directories under every isolation layer, so tests
that create `~/.config/<app>` pass as under plain pytest, while the real home stays hidden and unwritten."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from untilgreen.sandbox import RunnerConfig, Workspace, isolation, run_tests

APP = f"untilgreen-home-test-{uuid.uuid4().hex[:8]}"
TESTS = f'''\
import os
import tempfile
from pathlib import Path

APP = "{APP}"
AT_IMPORT = os.listdir(os.path.expanduser("~"))  # before any test of this module wrote there


def test_home_is_fresh_and_the_xdg_dirs_are_in_it():
    home = os.path.expanduser("~")
    assert Path(home) == Path.home() and os.path.isdir(home)
    assert AT_IMPORT == []
    assert os.path.realpath(home) != os.path.realpath(tempfile.gettempdir())  # a home, not the shared temp dir
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        assert os.environ.get(name, home).startswith(home)


def test_writes_config_and_cache():
    config = Path(os.environ.get("XDG_CONFIG_HOME", "~/.config")).expanduser() / APP
    config.mkdir(parents=True)
    (config / "x").write_text("settings")
    cache = Path("~/.cache").expanduser() / APP
    cache.mkdir(parents=True)
    (cache / "y").write_text("cached")
    assert (config / "x").read_text() == "settings"
'''
SECRET = "real-home-secret-" + uuid.uuid4().hex


def layers() -> list[str]:
    return [
        layer
        for layer, ok in isolation.available_layers().items()
        if layer in isolation.LAYERS and ok is True
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "test_home.py").write_text(TESTS)
    return root


def test_plain_pytest_passes_them_in_a_new_account(project, tmp_path):
    home = tmp_path / "new-user"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project)],
        cwd=project,
        env={**env, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("layer", layers())
def test_each_layer_gives_a_private_home(project, tmp_path, layer):
    real_home = Path.home()
    planted = real_home / f".{APP}-secret"
    planted.write_text(SECRET)
    (project / "test_secret.py").write_text(
        f"def test_reads_the_real_home():\n    assert open({str(planted)!r}).read() == {SECRET!r}\n"
    )
    try:
        with Workspace.create(project, cache_dir=tmp_path / "cache") as workspace:
            report = run_tests(workspace, config=RunnerConfig(isolation=layer))
    finally:
        planted.unlink()
    assert sorted(t for t in report.passed if t.startswith("test_home.py")) == [
        "test_home.py::test_home_is_fresh_and_the_xdg_dirs_are_in_it",
        "test_home.py::test_writes_config_and_cache",
    ]
    assert not (real_home / ".config" / APP).exists() and not (real_home / ".cache" / APP).exists()
    if layer != "limits":  # the weakest layer hides nothing, and says so
        assert report.failed_ids == ["test_secret.py::test_reads_the_real_home"]
