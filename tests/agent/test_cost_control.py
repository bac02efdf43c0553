"""Cost the user controls, on the real loop with real litellm: a fast model first and the strong one after it
fails, Anthropic's prompt cache across attempts with the cached tokens counted, and the per-run and per-day cost
budgets, each stop naming its budget and the spend."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.agent.conftest import Events
from tests.agent.test_llm_loop import outcomes, request
from tests.support.projects import failing_project
from tests.support.scripted_llm import ANTHROPIC, PROVIDER_KEY, Reply, ScriptedLLM
from untilgreen.agent import run
from untilgreen.cli import main
from untilgreen.memory import AttemptRecord, RunRecord, Store

PRICED = "anthropic/claude-sonnet-4-5"  # litellm prices it, cache reads and writes included


@pytest.fixture(autouse=True)
def anthropic_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", PROVIDER_KEY)


def test_the_fast_model_first_then_the_strong_one(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    events = Events()
    with ScriptedLLM(project.wrong_fix, project.judge(after_attempt=True)) as llm:
        settings = {"model": "openai/strong", "fast_model": "openai/fast", "escalate_after": 1}
        result = run(request(project, llm.url, tmp_path, **settings), events)
    assert result.green, result.message
    assert [r.body["model"] for r in llm.requests] == [
        "fast",
        "strong",
        "fast",
    ]  # the fast model writes the card
    assert [r.source for r in result.records] == ["openai/fast", "openai/strong"]
    assert outcomes(events) == ["still-failing", "green"] and result.repairer == "openai/strong"


def test_the_fast_model_keeps_going_until_it_has_failed_escalate_after_attempts(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    with ScriptedLLM(project.wrong_fix, project.judge(after_attempt=True)) as llm:
        settings = {"model": "openai/strong", "fast_model": "openai/fast", "escalate_after": 2}
        result = run(request(project, llm.url, tmp_path, **settings), Events())
    assert result.green and [r.body["model"] for r in llm.requests] == ["fast", "fast", "fast"]


def spend_per_green(tmp_path: Path, name: str, *, cache: bool) -> tuple[float, int]:
    project = failing_project(tmp_path / name)
    with ScriptedLLM(
        Reply(project.wrong_fix, completion_tokens=60),
        project.judge(then=Reply(project.right_fix, completion_tokens=60), after_attempt=True),
        wire=ANTHROPIC,
        api_key=PROVIDER_KEY,
    ) as llm:
        settings = {"model": PRICED, "prompt_cache": cache, "memory.path": str(tmp_path / f"{name}.sqlite3")}
        result = run(request(project, llm.url, tmp_path, **settings), Events())
    assert result.green and result.attempts == 2, result.message
    assert result.cost_usd is not None
    marked = [any("cache_control" in str(m) for m in r.messages) for r in llm.requests]
    assert marked == [cache, cache, False]  # the fix card's call is asked once: nothing to cache
    return result.cost_usd, result.cached_tokens


def test_the_prompt_cache_is_read_on_the_second_attempt_and_costs_less(tmp_path: Path) -> None:
    cached_cost, cached_tokens = spend_per_green(tmp_path, "cached", cache=True)
    plain_cost, plain_tokens = spend_per_green(tmp_path, "plain", cache=False)
    # the stable start (instructions, task, failure, code) is written once, then read at a tenth of the price
    assert cached_tokens > 0 and plain_tokens == 0
    assert cached_cost < plain_cost


def record_spend(path: Path, root: Path, cost: float, *, created: float) -> None:
    with Store.open(path, root=root) as store:
        run_id = store.record_run(RunRecord(store.project or "", "fix", "", "untilgreen fix", PRICED))
        store.record_attempt(
            run_id,
            AttemptRecord(1, "model", PRICED, tokens_in=1000, tokens_out=100, cost=cost, outcome="green"),
        )
        if created:
            store.db.execute("UPDATE attempts SET created = ? WHERE run_id = ?", (created, run_id))


def test_the_days_budget_stops_a_run_before_any_model_call(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    memory = tmp_path / "memory.sqlite3"
    record_spend(memory, project.root, 0.75, created=0)  # today
    record_spend(memory, project.root, 5.0, created=time.time() - 3 * 86400)  # another day: not counted
    with ScriptedLLM(project.judge(), wire=ANTHROPIC, api_key=PROVIDER_KEY) as llm:
        settings = {"model": PRICED, "max_cost_usd_per_day": 0.75}
        result = run(request(project, llm.url, tmp_path, **settings), Events())
    assert (result.green, result.stop_reason, llm.requests) == (False, "budget", [])
    assert (
        "`max_cost_usd_per_day` of $0.75 was spent ($0.7500 today, $0.0000 of it in this run)"
        in result.message
    )


def test_the_days_budget_counts_this_runs_spend_too(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    memory = tmp_path / "memory.sqlite3"
    record_spend(memory, project.root, 0.01, created=0)
    with ScriptedLLM(Reply(project.wrong_fix), project.judge(), wire=ANTHROPIC, api_key=PROVIDER_KEY) as llm:
        settings = {"model": PRICED, "max_cost_usd_per_day": 0.0100001, "prompt_cache": False}
        result = run(request(project, llm.url, tmp_path, **settings), Events())
    assert (result.green, result.stop_reason, len(llm.requests)) == (False, "budget", 1)
    assert "of it in this run)" in result.message and result.cost_usd


def test_the_runs_budget_names_its_setting_and_the_spend(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    with ScriptedLLM(Reply(project.wrong_fix), project.judge(), wire=ANTHROPIC, api_key=PROVIDER_KEY) as llm:
        settings = {"model": PRICED, "max_cost_usd": 0.000001}
        result = run(request(project, llm.url, tmp_path, **settings), Events())
    assert (result.green, result.stop_reason, len(llm.requests)) == (False, "budget", 1)
    assert "the run's cost budget `max_cost_usd` of $1e-06 was spent ($0.0" in result.message


def test_the_cli_tells_the_tokens_read_from_the_prompt_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = failing_project(tmp_path)
    flags = ["--set", f"memory.path={tmp_path / 'memory.sqlite3'}", "--set", "strategy=model-only"]
    with ScriptedLLM(
        project.wrong_fix, project.judge(after_attempt=True), wire=ANTHROPIC, api_key=PROVIDER_KEY
    ) as llm:
        code = main(["fix", str(project.root), "--model", PRICED, "--api-base", llm.url, "--dry-run", *flags])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 0 and re.search(r"\d+ tokens \(\d+ from the prompt cache\), \$0\.\d{4}", err), err


def test_a_prompt_start_is_marked_only_where_the_cache_can_be_read_later(tmp_path: Path) -> None:
    """A cache write costs more than plain input: the fast model asked once is not marked; the strong one is,
    while a later attempt may ask it again."""
    project = failing_project(tmp_path)
    with ScriptedLLM(
        project.wrong_fix, project.judge(after_attempt=True), wire=ANTHROPIC, api_key=PROVIDER_KEY
    ) as llm:
        settings = {"model": PRICED, "fast_model": "anthropic/claude-haiku-4-5", "attempts": 3}
        result = run(request(project, llm.url, tmp_path, **settings), Events())
    models = [r.body["model"] for r in llm.requests]
    assert result.green and models == ["claude-haiku-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"]
    assert [any("cache_control" in str(m) for m in r.messages) for r in llm.requests] == [False, True, False]
