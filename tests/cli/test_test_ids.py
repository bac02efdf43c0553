"""Every command that takes test ids reads them as pytest does: a file, a class, a function (its parametrized
cases included) or one case; an id that names no test is one sentence and exit 2, never an empty success."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from untilgreen.sandbox import Failure, TestReport
from untilgreen.sandbox.testids import expand_test_ids


def untilgreen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "untilgreen", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ids") / "project"
    (root / "calc").mkdir(parents=True)
    (root / "calc" / "__init__.py").write_text("")
    (root / "calc" / "ops.py").write_text(
        "def double(x):\n    return x + x + 1\n\n\ndef half(x):\n    return x / 2\n"
    )
    (root / "tests").mkdir()
    (root / "tests" / "test_ops.py").write_text(
        textwrap.dedent("""\
        import pytest

        from calc.ops import double, half


        @pytest.mark.parametrize("x, y", [(1, 2), (2, 4)])
        def test_double(x, y):
            assert double(x) == y


        class TestHalf:
            def test_half(self):
                assert half(4) == 2
    """)
    )
    return root


@pytest.mark.parametrize(
    "test_id",
    ["tests/test_ops.py::test_double", "tests/test_ops.py::test_double[1-2]", "tests/test_ops.py", "tests"],
)
def test_context_localizes_for_file_function_and_case_ids(project, tmp_path, test_id):
    done = untilgreen("context", str(project), "--test", test_id, "--json")
    assert done.returncode == 0, done.stderr
    chunks = json.loads(done.stdout)["chunks"]
    assert chunks and chunks[0]["symbol"] == "double", chunks


def test_context_with_an_unknown_id_says_so_and_exits_2(project):
    done = untilgreen("context", str(project), "--test", "tests/test_ops.py::test_nothing", "--json")
    assert done.returncode == 2
    assert done.stderr.startswith(
        "untilgreen: no test matches tests/test_ops.py::test_nothing; `untilgreen check`"
    )
    assert json.loads(done.stdout)["error"] in done.stderr


def test_fix_with_an_unknown_id_says_so_and_exits_2(project, tmp_path):
    done = untilgreen(
        "fix",
        str(project),
        "--test",
        "tests/test_ops.py::TestNothing",
        "--model",
        "builtin",
        "--set",
        f"memory.path={tmp_path / 'memory.sqlite3'}",
    )
    assert done.returncode == 2
    assert "no test matches tests/test_ops.py::TestNothing" in done.stderr


def test_check_takes_class_and_function_ids(project):
    done = untilgreen("check", str(project), "--test", "tests/test_ops.py::TestHalf", "--json")
    assert (done.returncode, json.loads(done.stdout)["passed"]) == (0, 1), done.stderr
    done = untilgreen("check", str(project), "--test", "tests/test_ops.py::test_double", "--json")
    assert [f["test_id"] for f in json.loads(done.stdout)["failures"]] == [
        "tests/test_ops.py::test_double[1-2]",
        "tests/test_ops.py::test_double[2-4]",
    ]


def test_the_rule_is_pytests():
    report = TestReport(
        passed=["t/a.py::TestX::test_y", "t/a.py::test_z[1]", "t/a.py::test_zz"],
        failures=[Failure("t/b.py", "collection", "E", "")],
        skipped=["u/c.py::test_s"],
    )
    assert expand_test_ids(["t/a.py::test_z"], report) == ["t/a.py::test_z[1]"]
    assert expand_test_ids(["t/a.py::TestX"], report) == ["t/a.py::TestX::test_y"]
    assert expand_test_ids(["t/", "u/c.py"], report) == [*report.passed, "t/b.py", "u/c.py::test_s"]
