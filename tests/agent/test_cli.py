"""`untilgreen fix` and the worker protocol: dry runs leave the user's files alone, --apply writes only unchanged
files, the worker streams JSON events and cancels cleanly on SIGTERM to its process group."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.agent.conftest import leftovers, write_tree
from tests.support.projects import FailingProject, failing_project
from tests.support.scripted_llm import ScriptedLLM
from untilgreen.agent.accept import write_back
from untilgreen.protocol import Event, RunFailed, RunFinished, TestsRan
from untilgreen.agent.result import FileChange, sha256
from untilgreen.cli import main
from untilgreen.memory import Store
from untilgreen.errors import UserError


@pytest.fixture(autouse=True)
def no_provider_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_dry_run_prints_the_diff_and_apply_writes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project: FailingProject = failing_project(tmp_path)
    before = {rel: (project.root / rel).read_bytes() for rel in project.files}
    flags = ["--set", f"memory.path={tmp_path / 'memory.sqlite3'}", "--set", "strategy=model-only", "--json"]
    with ScriptedLLM(project.judge()) as llm:
        code = main(
            ["fix", str(project.root), "--model", llm.model, "--api-base", llm.url, "--dry-run", *flags]
        )
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert set(out) == {
        "run_id",
        "green",
        "stop_reason",
        "attempts",
        "repairer",
        "diff",
        "tokens",
        "cost_usd",
        "duration_s",
        "cached_tokens",
        "search",
        "security",
        "resumed_from",
    }
    assert out["green"] and out["repairer"] == llm.model and out["cost_usd"] is None and out["search"] is None
    assert out["security"] == []
    assert "+    return price - price * percent / 100" in out["diff"]
    assert {rel: (project.root / rel).read_bytes() for rel in project.files} == before
    # The second run replays the remembered fix (no model call) and writes it.
    code = main(
        [
            "fix",
            str(project.root),
            "--model",
            "openai/none",
            "--api-base",
            "http://127.0.0.1:9/v1",
            "--apply",
            *flags,
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert (code, out["repairer"]) == (0, "memory")
    assert "percent / 100\n" in (project.root / "shop/pricing.py").read_text()
    with Store.open(tmp_path / "memory.sqlite3") as store:  # applying it counted as a verdict for the card
        assert store.db.execute("SELECT status FROM fix_cards").fetchall() == [("accepted",)]


def test_write_back_refuses_a_file_changed_during_the_run_and_changes_nothing(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"a.py": "a = 1\n", "b.py": "b = 1\n"})
    changes = [
        FileChange("a.py", sha256("a = 1\n"), "a = 2\n"),
        FileChange("b.py", sha256("b = 0\n"), "b = 2\n"),
        FileChange("c.py", None, "c = 1\n"),
    ]
    with pytest.raises(UserError, match="b.py changed during the run; re-run untilgreen fix"):
        write_back(root, changes)
    assert (root / "a.py").read_text() == "a = 1\n" and not (root / "c.py").exists()
    changes[1] = FileChange("b.py", sha256("b = 1\n"), None)
    assert write_back(root, changes) == ["a.py", "b.py", "c.py"]
    assert (root / "a.py").read_text() == "a = 2\n" and not (root / "b.py").exists()
    assert (root / "c.py").read_text() == "c = 1\n"


def _worker(request: dict) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "untilgreen", "worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(request))
    proc.stdin.close()
    return proc


SLOW = """import time


def test_slow_and_wrong():
    time.sleep(60)
    assert 1 == 2
"""


def test_worker_streams_json_events_and_sigterm_cancels_cleanly(tmp_path: Path, private_dirs: Path) -> None:
    root = write_tree(
        tmp_path / "slow", {"tests/test_slow.py": SLOW, "tests/test_ok.py": "def test_ok():\n    pass\n"}
    )
    proc = _worker(
        {
            "root": str(root),
            "overlays": {"tests/test_ok.py": "def test_ok():\n    assert True\n"},
            "settings": {
                "memory.path": str(tmp_path / "m.sqlite3"),
                "model": "builtin",
                "sandbox.test_timeout": 120,
            },
        }
    )
    assert proc.stdout is not None
    events = []
    for line in proc.stdout:
        events.append(Event.from_json(line))
        if getattr(events[-1], "phase", "") == "baseline":
            break
    time.sleep(3)  # the baseline's pytest is now sleeping inside the sandbox
    os.killpg(proc.pid, signal.SIGTERM)
    events += [Event.from_json(line) for line in proc.stdout]
    assert proc.wait(timeout=60) == 130, proc.stderr.read() if proc.stderr else ""
    assert isinstance(events[-1], RunFinished) and events[-1].stop_reason == "cancelled"
    assert not any(isinstance(e, TestsRan) for e in events)
    assert leftovers(private_dirs) == []


def test_worker_reports_a_bad_request_as_one_sentence() -> None:
    proc = _worker({"root": "/nonexistent/project"})
    assert proc.stdout is not None
    out = proc.stdout.read()
    event = Event.from_json(out.strip().splitlines()[-1])
    assert proc.wait(timeout=60) == 2 and isinstance(event, RunFailed) and "not a folder" in event.message
