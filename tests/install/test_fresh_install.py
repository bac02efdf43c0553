"""A fresh machine, as a newcomer meets it: the locks install as complete locks with each claimed Python's own pip,
the README's Quick start runs as written on a fresh copy of the repository, and the VS Code package builds there
and installs from its bundled lock. These need the package index (pip's cache makes repeats quick), not the
internet beyond it.

Why: with `--require-hashes` alone, pip re-resolves extras (`coverage[toml]`) against the newest release on the
index, so a lock that passed the day it was made failed once a new release appeared. Installed with `--no-deps`,
the lock names every file pip fetches, and nothing the index publishes later can change the install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


def claimed_pythons() -> list[str]:
    """The oldest and the newest Python of pyproject.toml's classifiers (scripts/claimed-pythons.py)."""
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "claimed-pythons.py")], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def interpreter(version: str) -> str:
    """This machine's Python `version` (scripts/find-python.sh), or a clean skip when it has none."""
    found = subprocess.run([str(SCRIPTS / "find-python.sh"), version], capture_output=True, text=True)
    if found.returncode != 0:
        pytest.skip(f"no Python {version} on this machine")
    return found.stdout.strip()


def quick_start_command() -> str:
    """The first command of the README's Quick start section, exactly as the README writes it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2, f"the Quick start should have exactly two commands, found {len(blocks)}"
    return blocks[0].strip()


def fresh_copy(destination: Path) -> Path:
    """The repository's tracked and new (not ignored) files, as a clone of this tree would have them."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def shell_with_python3(version: str) -> dict[str, str]:
    """An environment whose `python3` is this machine's Python `version`, as on a machine with only that one: its
    own folder first on PATH (not a link in a temp folder, which a venv would point at and the sandbox hides)."""
    folder = Path(interpreter(version)).parent
    assert (folder / "python3").exists(), f"{folder} has no python3 next to Python {version}"
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def run(command: list[str] | str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        shell=isinstance(command, str),
        capture_output=True,
        text=True,
        timeout=timeout,
        executable="/bin/bash" if isinstance(command, str) else None,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{output[-5000:]}"
    return output


@pytest.mark.slow
@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_the_quick_start_runs_as_written_on_a_fresh_copy(which: str, tmp_path: Path) -> None:
    version = claimed_pythons()[0 if which == "oldest" else 1]
    env = shell_with_python3(version)
    copy = fresh_copy(tmp_path / "untilgreen")
    output = run(quick_start_command(), cwd=copy, env=env)
    assert "No broken requirements found." in output
    # The example's one failing test is repaired in the shadow and the patch printed; the files are untouched.
    assert re.search(r"^\+\+\+ b/inventory/", output, flags=re.MULTILINE), output[-3000:]
    assert "green after" in output
    assert (
        subprocess.run(
            ["git", "diff", "--quiet", "--no-index", str(ROOT / "examples"), str(copy / "examples")],
            capture_output=True,
        ).returncode
        == 0
    )
    python = run(
        [str(copy / ".venv/bin/python"), "-c", "import platform; print(platform.python_version())"], copy
    )
    assert python.startswith(version + ".")


@pytest.mark.slow
@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_the_dev_lock_installs_as_a_complete_lock(which: str) -> None:
    python = interpreter(claimed_pythons()[0 if which == "oldest" else 1])
    output = run([str(SCRIPTS / "check-lock.sh"), python, "requirements-dev.lock"], cwd=ROOT)
    assert "No broken requirements found." in output


@pytest.mark.slow
def test_the_vscode_package_builds_on_a_fresh_copy_and_installs_from_its_lock(tmp_path: Path) -> None:
    if shutil.which("npm") is None:
        pytest.fail("npm is not installed: run scripts/install-system-deps.sh")
    oldest = claimed_pythons()[0]
    env = shell_with_python3(oldest)
    env.pop("UNTILGREEN_PYTHON", None)  # the build must find its own Python, as on a fresh clone
    client = fresh_copy(tmp_path / "untilgreen") / "client-vscode"
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=client, env=env)
    run(["npm", "run", "package"], cwd=client, env=env)

    unpacked = tmp_path / "vsix"
    with zipfile.ZipFile(client / "untilgreen.vsix") as vsix:
        vsix.extractall(unpacked)
    wheels = unpacked / "extension" / "wheels"
    wheel, lock = sorted(wheels.iterdir(), key=lambda p: p.suffix == ".lock")
    assert (wheel.suffix, lock.name) == (".whl", "requirements.lock")
    assert f"./{wheel.name} --hash=sha256:" in lock.read_text()
    # What the extension runs in its install terminal (client-vscode/src/install.ts), from the wheels folder,
    # in a brand-new virtualenv of the newest claimed Python.
    venv = tmp_path / "user-venv"
    run([interpreter(claimed_pythons()[1]), "-m", "venv", str(venv)], cwd=tmp_path)
    run(
        [
            str(venv / "bin/python"),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--require-hashes",
            "-r",
            "requirements.lock",
        ],
        cwd=wheels,
    )
    assert "No broken requirements found." in run(
        [str(venv / "bin/python"), "-m", "pip", "check"], cwd=tmp_path
    )
    assert "untilgreen" in run([str(venv / "bin/python"), "-m", "untilgreen", "--help"], cwd=tmp_path)
