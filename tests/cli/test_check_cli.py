"""`untilgreen check` and `untilgreen doctor` as a user runs them: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "inventory"


def untilgreen(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "untilgreen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_check_json_on_the_example(tmp_path):
    done = untilgreen("check", str(EXAMPLE), "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {
        "passed",
        "failed",
        "failures",
        "isolation",
        "duration_s",
        "skipped",
        "xfailed",
        "xpassed",
        "outcomes",
        "environmental",
    }
    assert data["environmental"] == {}
    assert (data["passed"], data["failed"]) == (6, 1)
    assert len(data["outcomes"]) == 7 and list(data["outcomes"].values()).count("passed") == 6
    assert data["outcomes"]["tests/test_stock.py::test_reorder_at_reorder_point"] == "failed"
    failure = data["failures"][0]
    assert set(failure) == {"test_id", "kind", "message", "signature", "frames"}
    assert failure["test_id"] == "tests/test_stock.py::test_reorder_at_reorder_point"
    assert failure["kind"] == "failed" and failure["signature"].startswith("AssertionError: assert False")
    assert failure["frames"] == [
        {"file": "tests/test_stock.py", "line": 35, "function": "test_reorder_at_reorder_point"}
    ]
    assert data["isolation"] in ("bubblewrap", "landlock", "limits")


def test_check_reports_a_failure_the_environment_causes(tmp_path):
    """A test that needs the network fails in the sandbox; `check` says so, in --json and in the text."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_net.py").write_text(
        "import socket\n\n"
        "def test_fetch():\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=2).close()\n\n"
        "def test_math():\n"
        "    assert 1 + 1 == 3\n"
    )
    data = json.loads(untilgreen("check", str(tmp_path), "--json").stdout)
    assert set(data["environmental"]) == {"tests/test_net.py::test_fetch"}
    need = data["environmental"]["tests/test_net.py::test_fetch"]
    assert need["need"] == "network" and "--set sandbox.network=true" in need["advice"]
    text = untilgreen("check", str(tmp_path)).stdout
    assert "environment: the failure of tests/test_net.py::test_fetch comes from the environment" in text


def test_check_green_selection_exits_0_and_prints_a_summary():
    done = untilgreen("check", str(EXAMPLE), "--test", "tests/test_orders.py")
    assert done.returncode == 0, done.stderr
    assert "green: 0 failed, 1 passed" in done.stdout


def test_check_text_output_names_test_location_and_signature():
    done = untilgreen("check", str(EXAMPLE))
    assert done.returncode == 1
    assert "FAILED tests/test_stock.py::test_reorder_at_reorder_point" in done.stdout
    assert "at tests/test_stock.py:35 in test_reorder_at_reorder_point" in done.stdout
    assert "signature " in done.stdout and "red: 1 failed, 6 passed" in done.stdout


@pytest.mark.parametrize(
    ("pyproject", "args", "expected"),
    [
        ("[tool.untilgreen]\ncolour = 1\n", [], "unknown setting `colour` in"),
        ("[tool.untilgreen.sandbox]\ntimeout = 'x'\n", [], "`sandbox.timeout`"),
        ("[tool.untilgreen\n", [], "is not valid TOML"),
        ("", ["--set", "sandbox.isolation=docker"], "must be one of auto, bubblewrap, landlock, limits"),
        ("", ["--set", "nonsense"], "needs the form KEY=VALUE"),
    ],
)
def test_configuration_errors_are_one_sentence_and_exit_2(tmp_path, pyproject, args, expected):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "test_a.py").write_text("def test_a():\n    pass\n")
    done = untilgreen("check", str(tmp_path), *args, env={"UNTILGREEN_CONFIG": str(tmp_path / "none.toml")})
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_no_tests_and_missing_directory_exit_2(tmp_path):
    (tmp_path / "lib.py").write_text("X = 1\n")
    done = untilgreen("check", str(tmp_path))
    assert done.returncode == 2 and "no tests were collected" in done.stderr
    done = untilgreen("check", str(tmp_path / "nope"))
    assert done.returncode == 2 and "is not a directory" in done.stderr


def test_project_cannot_set_the_model_and_is_told(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.untilgreen]\napi_base = 'http://attacker.example/v1'\n")
    (tmp_path / "test_a.py").write_text("def test_a():\n    pass\n")
    done = untilgreen("check", str(tmp_path), env={"UNTILGREEN_CONFIG": str(tmp_path / "none.toml")})
    assert done.returncode == 0
    assert "ignored `api_base`" in done.stderr and "a project cannot set it" in done.stderr


def test_ctrl_c_cancels_with_130_and_leaves_no_process(tmp_path):
    (tmp_path / "test_slow.py").write_text(
        "import time\n\ndef test_slow():\n    time.sleep(120)  # UG-CANCEL-MARK\n"
    )
    # SIGINT back to its default in the child: a job started in the background inherits it ignored.
    proc = subprocess.Popen(
        [
            sys.executable,
            "-X",
            "faulthandler",
            "-m",
            "untilgreen",
            "check",
            str(tmp_path),
            "--set",
            "sandbox.test_timeout=300",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # -X faulthandler prints every thread's stack on the way out
        _, stderr = proc.communicate(timeout=10)
        pytest.fail(f"untilgreen check did not stop within 30 s of Ctrl-C; its stacks:\n{stderr[-4000:]}")
    assert proc.returncode == 130 and "cancelled" in stderr
    time.sleep(0.5)
    survivors = [
        p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline_mentions(p, str(tmp_path))
    ]
    assert survivors == []


def _cmdline_mentions(proc_dir: Path, needle: str) -> bool:
    try:
        return needle in (proc_dir / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def test_doctor_json_reports_the_setup():
    done = untilgreen("doctor", str(EXAMPLE), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["python"]["pytest"] and data["git"].startswith("git version")
    assert data["isolation_selected"] in ("bubblewrap", "landlock", "limits")
    assert data["sqlite"]["sqlite_vec"] and data["model"]["repairer"] == "builtin"


def test_version():
    done = untilgreen("--version")
    assert done.returncode == 0 and done.stdout.startswith("untilgreen 0.")
