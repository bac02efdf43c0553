"""The same verdict as plain pytest: every outcome pytest knows, on the current pytest and on old ones.

Each test runs a small project under untilgreen (`run_tests`, `untilgreen check --json`) and under plain
`python -m pytest -v` in the same interpreter, and compares what each says about every test. Old pytests run in
throwaway venvs built from the hash-pinned locks in `tests/fixtures/old_pytest/`; a Python the machine lacks is
skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.old_pytest import MATRIX
from untilgreen.sandbox import RunnerConfig, Workspace, run_tests

OUTCOMES = textwrap.dedent("""\
    import pytest


    @pytest.fixture
    def needs_service():
        pytest.skip("no service here")


    def test_passes():
        assert True


    def test_fails():
        assert 1 == 2


    @pytest.mark.skip(reason="marked")
    def test_marked_skip():
        pass


    def test_skips_in_its_body():
        pytest.skip("decided at run time")


    def test_importorskip():
        pytest.importorskip("no_such_module_for_untilgreen")


    def test_fixture_skips(needs_service):
        pass


    @pytest.mark.xfail(reason="known bug")
    def test_xfails():
        assert 0


    @pytest.mark.xfail(reason="fixed already")
    def test_xpasses():
        pass


    @pytest.mark.xfail(reason="must fail", strict=True)
    def test_strict_xpass():
        pass


    def test_xfail_in_its_body():
        pytest.xfail("imperative")


    @pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.skip(reason="param")), 3])
    def test_param(n):
        assert n != 3


    class TestGroup:
        def test_method(self):
            pass
""")
PYTEST_WORDS = {
    "PASSED": "passed",
    "FAILED": "failed",
    "ERROR": "error",
    "SKIPPED": "skipped",
    "XFAIL": "xfailed",
    "XPASS": "xpassed",
}
VERBOSE_LINE = re.compile(
    r"^(\S+::\S+) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b", re.IGNORECASE
)  # 3.x: xfail


@pytest.fixture(scope="session", params=["current", *(f"pytest {entry.pytest}" for entry in MATRIX)])
def python(request, tmp_path_factory) -> Path:
    """An interpreter with the pytest under test: untilgreen's own, or a throwaway venv with an old one."""
    if request.param == "current":
        return Path(sys.executable)
    entry = next(e for e in MATRIX if request.param == f"pytest {e.pytest}")
    if entry.interpreter is None:
        pytest.skip(f"no Python {entry.python} on this machine")
    return entry.venv(tmp_path_factory.mktemp("old-pytest"))


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    (root / "tests" / "test_outcomes.py").write_text(OUTCOMES)
    return root


def plain_pytest(python: Path, root: Path, tmp_path: Path) -> dict[str, str]:
    """Each test's outcome as plain `python -m pytest -v` prints it, run on a copy of the project."""
    copy = tmp_path / "plain"
    shutil.copytree(root, copy)
    done = subprocess.run(
        [str(python), "-m", "pytest", "-v", "-p", "no:cacheprovider"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outcomes = {
        m[1]: PYTEST_WORDS[m[2].upper()] for m in map(VERBOSE_LINE.match, done.stdout.splitlines()) if m
    }
    assert outcomes, done.stdout + done.stderr
    return outcomes


def test_run_tests_counts_every_outcome_as_pytest_does(python, project, tmp_path):
    with Workspace.create(project, cache_dir=tmp_path / "cache") as workspace:
        report = run_tests(workspace, config=RunnerConfig(python=str(python)), coverage=True)
    expected = plain_pytest(python, project, tmp_path)
    assert report.outcomes == expected
    assert report.coverage["tests/test_outcomes.py::test_fails"] == {"tests/test_outcomes.py": [14]}
    assert expected["tests/test_outcomes.py::test_skips_in_its_body"] == "skipped"
    assert expected["tests/test_outcomes.py::test_xpasses"] == "xpassed"
    assert expected["tests/test_outcomes.py::test_strict_xpass"] == "failed"


def test_check_json_counts_every_outcome_as_pytest_does(python, project, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", "check", str(project), "--json", "--set", f"python={python}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    expected = plain_pytest(python, project, tmp_path)
    assert data["outcomes"] == expected
    words = list(expected.values())
    counted = {word: words.count(word) for word in ("passed", "skipped", "xfailed", "xpassed")}
    assert {word: data[word] for word in counted} == counted
    assert data["failed"] == words.count("failed") + words.count("error")
    assert sorted(f["test_id"] for f in data["failures"]) == [
        "tests/test_outcomes.py::test_fails",
        "tests/test_outcomes.py::test_param[3]",
        "tests/test_outcomes.py::test_strict_xpass",
    ]


def test_a_run_that_stops_before_any_test_shows_pytests_error_and_the_command(project):
    (project / "setup.cfg").write_text("[tool:pytest]\naddopts = --no-such-option\n")
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", "check", str(project), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert "unrecognized arguments: --no-such-option" in error
    assert f"--rootdir {project} " in error and "-m pytest -p untilgreen_pytest_plugin" in error
    assert done.stderr.strip() == f"untilgreen: {error}"


def test_doctor_names_the_pytest_and_the_supported_versions(python, project):
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", "doctor", str(project), "--json", "--set", f"python={python}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = json.loads(done.stdout)["python"]
    version = subprocess.run(
        [str(python), "-c", "import pytest; print(pytest.__version__)"], capture_output=True, text=True
    ).stdout.strip()
    assert (found["pytest"], found["pytest_supported"], found["pytest_ok"]) == (version, ">= 3.10", True)
