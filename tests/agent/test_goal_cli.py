"""`untilgreen goal` in a terminal: JSON output, --apply writes tests and code (plain pytest is then green), and
without a model one sentence and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.goal_project import GOAL, write_code, write_project, write_tests
from tests.support.scripted_llm import ScriptedLLM
from untilgreen.protocol import NO_MODEL
from untilgreen.cli import main


@pytest.fixture(autouse=True)
def no_provider_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_goal_json_and_apply_make_plain_pytest_green(tmp_path: Path) -> None:
    root = write_project(tmp_path / "textkit")
    with ScriptedLLM(write_tests(), write_code()) as llm:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "untilgreen",
                "goal",
                GOAL,
                str(root),
                "--file",
                "textkit/strings.py",
                "--model",
                llm.model,
                "--api-base",
                llm.url,
                "--apply",
                "--json",
                "--set",
                "model_retries=1",
                "--set",
                "sandbox.test_timeout=5",
                "--set",
                f"memory.path={tmp_path / 'memory.sqlite3'}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {
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
        "resumed_from",
        "mode",
        "plan",
        "tests",
        "mutation_score",
        "security",
    } == set(out)
    assert (out["mode"], out["green"], out["stop_reason"], out["attempts"]) == ("goal", True, "green", 2)
    assert out["plan"].startswith("Plan:") and len(out["tests"]) == 2
    assert out["security"] == []  # the new tests' asserts are no security finding
    assert out["mutation_score"]["total"] >= out["mutation_score"]["caught"] > 0
    assert "mutation check: the new tests caught" in done.stderr
    assert (
        "def slugify" in (root / "textkit/strings.py").read_text()
        and (root / "tests/test_slugify.py").exists()
    )
    plain = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plain.returncode == 0, plain.stdout


@pytest.mark.parametrize("model", [[], ["--model", "builtin"]])
def test_without_a_model_goal_says_so_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], model: list[str]
) -> None:
    root = write_project(tmp_path / "textkit")
    assert main(["goal", GOAL, str(root), *model]) == 2
    assert capsys.readouterr().err.strip() == f"untilgreen: {NO_MODEL}"
