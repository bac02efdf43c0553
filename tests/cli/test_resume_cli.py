"""`untilgreen fix --resume RUN_ID`: a run stopped by its budget goes on with the built-in repairer; a green run,
an unknown id and `--test` beside `--resume` are refused with one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.agent.conftest import SHOP, WRONG, Scripted, candidate, write_tree
from tests.agent.conftest import private_dirs  # noqa: F401 - autouse here too: the test's own temp, cache, memory

from untilgreen.agent import RunRequest, run
from untilgreen.cli import main
from untilgreen.settings import build


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "shop", SHOP)


def fix(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["fix", *args, "--json", "--set", "sandbox.test_timeout=5"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_a_stopped_run_resumed_from_the_command_line(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = build({"attempts": 1, "sandbox.test_timeout": 5.0})
    first = run(RunRequest(shop, settings=settings), repairers=[Scripted([candidate(WRONG)])])
    assert first.stop_reason == "budget", first.message

    code, result, err = fix(
        capsys, str(shop), "--resume", first.run_id, "--model", "builtin", "--attempts", "3"
    )
    assert (code, result["green"], result["resumed_from"]) == (0, True, first.run_id), err
    assert result["attempts"] >= 2 and "+    if total >= 100:" in result["diff"]
    for key in ("run_id", "stop_reason", "repairer", "tokens", "cost_usd", "duration_s", "search"):
        assert key in result  # the keys scripts read are all still there

    code, refused, err = fix(capsys, str(shop), "--resume", result["run_id"])
    assert code == 2 and refused == {"error": err.removeprefix("untilgreen: ").strip()}
    assert refused["error"].startswith(
        f"run {result['run_id']} is already green, so there is nothing to resume"
    )

    code, plain, err = fix(capsys, str(shop), "--resume", first.run_id, "--test", "tests/test_cart.py")
    assert code == 2 and "leave out --test" in plain["error"]


def test_an_unknown_run_id_is_refused(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, refused, _ = fix(capsys, str(shop), "--resume", "r-nosuchrun1")
    assert code == 2 and refused == {
        "error": "there is no run r-nosuchrun1 of this project in memory; `untilgreen runs` lists the runs you "
        "can resume."
    }
